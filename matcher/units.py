"""Units the whole engine shares: the integer scale of solver weights.

Solver weights are integers: one unit is a millionth of a weight point. Printing weights with
six decimals therefore shows them exactly, and their sum is the objective exactly.
"""

from __future__ import annotations

from typing import Final

WEIGHT_SCALE: Final = 1_000_000
WEIGHT_DECIMALS: Final = 6

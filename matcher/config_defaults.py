"""The default config without pydantic's validators: what a plain `matcher match` needs.

Building the validators of the config's sections costs more than a whole city round's
solve (fourteen models; pydantic also loads its plugin machinery with the first one), and
most runs never need them: no `--config`, or a file that only repeats defaults (as
`matcher config` and the scenario generator write it). The sections are therefore built on
first validation (`defer_build`), their defaults are made with `model_construct` (exactly
what validating no input gives), and a file's table is validated only when it says
anything but the defaults. `tests/test_config_defaults.py` checks both against pydantic.
"""

from __future__ import annotations

import json
import re
from typing import Any, Final

from pydantic import BaseModel

# Lines TOML reads as nothing: blank, or a comment (any character but a control one, tab
# excepted), each ending in LF or CRLF.
_NOTHING_BUT_COMMENTS: Final = re.compile(
    r"(?:[ \t]*(?:#[^\x00-\x08\x0a-\x1f\x7f]*)?\r?\n)*"
).fullmatch


def says_only(text: str, default_text: str) -> bool:
    """Whether a TOML file's `text` is `default_text` (whose comments may change nothing)
    behind comment or blank lines, as the scenario generator writes it (its header, then
    `matcher config`'s text): such a file parses to exactly what `default_text` parses to,
    so it need not be parsed. Anything else, however small a difference: False."""
    return text.endswith(default_text) and bool(
        _NOTHING_BUT_COMMENTS(text[: len(text) - len(default_text)])
    )


def only_defaults(given: Any, default: Any) -> bool:
    """Whether a config table `given` (as read from TOML) holds nothing but `default`'s
    values, so validating it would give `default` itself. Cautious: a value of another type
    (1 for 1.0, a bool for a number), a key the section lacks, a table or list with entries
    where the default has none: False, and the validators decide as always."""
    if isinstance(default, BaseModel):
        fields = type(default).model_fields
        return type(given) is dict and all(
            key in fields and only_defaults(value, getattr(default, key))
            for key, value in given.items()
        )
    if type(default) is tuple:  # a TOML array validated into a tuple
        return (
            type(given) in (list, tuple)
            and len(given) == len(default)
            and all(map(only_defaults, given, default))
        )
    if type(default) is dict:
        return type(given) is dict and not given and not default
    if type(default) is float:
        # repr: -0.0 equals 0.0 but is kept (and written) as -0.0.
        return type(given) is float and repr(given) == repr(default)
    return type(given) is type(default) and given == default


def plain(value: Any) -> Any:
    """A config (or part of one) as JSON values, fields in declaration order, as
    `model_dump(mode="json")` gives them for the defaults."""
    if isinstance(value, BaseModel):
        return {name: plain(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [plain(item) for item in value]
    return value


def compact_json(data: Any) -> str:
    """JSON as pydantic's `model_dump_json` writes it: no spaces, text as it is."""
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False)

"""The base of every JSON body of /api/v1: unknown fields refused, nothing changed after."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

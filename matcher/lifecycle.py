"""The programme's course around a match, as configured: outreach, introduction, check-ins, end.

`[lifecycle]` in matcher.toml holds the defaults for every programme; `[lifecycle.programmes.X]`
changes them for programme X (a life-story book lasts a year: `max_match_weeks = 52`).
The ledger reads these to say what is due this week; the matching engine never does.
"""

from __future__ import annotations

import itertools
from typing import Final

from pydantic import BaseModel, ConfigDict, Field, field_validator

from matcher import vocab

# defer_build: as matcher.config's sections, built on first validation (config_defaults).
_SECTION = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, defer_build=True)
# Humanitas evaluates after about two, six and twelve months; the default: 6 weeks,
# 6 months, 12 months.
DEFAULT_CHECKIN_WEEKS: Final = (6, 26, 52)
MAX_WEEKS: Final = 520


def _check_weeks(weeks: tuple[int, ...]) -> tuple[int, ...]:
    if any(not 1 <= week <= MAX_WEEKS for week in weeks):
        raise ValueError(f"checkin_weeks: each must be 1-{MAX_WEEKS} (got {list(weeks)})")
    if any(later <= earlier for earlier, later in itertools.pairwise(weeks)):
        raise ValueError(f"checkin_weeks: must increase (got {list(weeks)})")
    return weeks


class ProgrammeSettings(BaseModel):
    """One programme's own course; a key left out keeps the `[lifecycle]` value."""

    model_config = _SECTION

    introduction_days: int | None = Field(None, ge=1, le=365)
    checkin_weeks: tuple[int, ...] | None = None
    max_match_weeks: int | None = Field(None, ge=1, le=MAX_WEEKS)

    @field_validator("checkin_weeks")
    @classmethod
    def _weeks(cls, weeks: tuple[int, ...] | None) -> tuple[int, ...] | None:
        return None if weeks is None else _check_weeks(weeks)


class Course(BaseModel):
    """A programme's settings with every default filled in (what the ledger works with)."""

    model_config = _SECTION

    introduction_days: int
    checkin_weeks: tuple[int, ...]
    max_match_weeks: int | None
    end_reminder_weeks: int


class Lifecycle(BaseModel):
    """Outreach before a client waits, and the course of a match after it is accepted."""

    model_config = _SECTION

    # Calls that do not reach the person before outreach stops (then close the record).
    max_attempts: int = Field(3, ge=1, le=20)
    # Days after the letter (or referral) before the first call: the letter arrives first.
    first_call_days: int = Field(7, ge=0, le=365)
    days_between_attempts: int = Field(7, ge=1, le=365)
    # After the introductory meeting, days in which either side may still say no.
    introduction_days: int = Field(14, ge=1, le=365)
    checkin_weeks: tuple[int, ...] = DEFAULT_CHECKIN_WEEKS
    # Not set: a match lasts as long as it is needed.
    max_match_weeks: int | None = Field(None, ge=1, le=MAX_WEEKS)
    # How long before max_match_weeks `matcher status` starts to remind.
    end_reminder_weeks: int = Field(4, ge=0, le=52)
    programmes: dict[str, ProgrammeSettings] = {}

    @field_validator("checkin_weeks")
    @classmethod
    def _weeks(cls, weeks: tuple[int, ...]) -> tuple[int, ...]:
        return _check_weeks(weeks)

    @field_validator("programmes")
    @classmethod
    def _programme_names(
        cls, programmes: dict[str, ProgrammeSettings]
    ) -> dict[str, ProgrammeSettings]:
        # Programme names are compared as the readers store them (lower case, hyphens).
        return {vocab.normalise_word(name): settings for name, settings in programmes.items()}

    def course(self, programme: str) -> Course:
        own = self.programmes.get(vocab.normalise_word(programme), ProgrammeSettings())
        return Course(
            introduction_days=own.introduction_days or self.introduction_days,
            checkin_weeks=self.checkin_weeks if own.checkin_weeks is None else own.checkin_weeks,
            max_match_weeks=own.max_match_weeks or self.max_match_weeks,
            end_reminder_weeks=self.end_reminder_weeks,
        )


LIFECYCLE_TOML: Final = """\
[lifecycle]
# The programme around a match (matcher outreach, introduce, checkin; matcher status says
# what is due this week). Per programme in [lifecycle.programmes.NAME] (see below).
max_attempts = 3             # 1-20: calls that do not reach someone before outreach stops
first_call_days = 7          # 0-365: days after the letter or referral before the first call
days_between_attempts = 7    # 1-365
introduction_days = 14       # 1-365: after the introduction either side may still say no
checkin_weeks = [6, 26, 52]  # weeks after the start of a match, increasing, each 1-520
# max_match_weeks = 104      # 1-520; not set: a match lasts as long as it is needed
end_reminder_weeks = 4       # 0-52: status reminds this long before max_match_weeks

[lifecycle.programmes]
# A programme's own course, e.g. a life-story book takes a year:
# [lifecycle.programmes.levensboek]
# max_match_weeks = 52
# checkin_weeks = [6, 26]
"""

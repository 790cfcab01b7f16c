"""The planner's words (`matcher plan` and its report), English and Dutch; matcher.report.texts
merges them into its tables."""

from __future__ import annotations

from typing import Final

PLAN_TEXTS: Final[dict[str, dict[str, str]]] = {
    "en": {
        "plan_title": "What if: {scenario}",
        "plan_varied": "Varied",
        "plan_cells": "Cells",
        "plan_policies": "Policies",
        "plan_tables": "Results per cell (estimate [95 % interval]; — undefined in every run)",
        "plan_target": "Target",
        "plan_met": "{policy}: {cell} is the first that meets {target} ({end} {bound}).",
        "plan_none": "{policy}: none from {first} to {last} meets {target} with 95 % confidence.",
        "plan_lower_end": "lower end of the 95 % interval",
        "plan_upper_end": "upper end of the 95 % interval",
        "plan_chart": "{metric} against {key}, per policy (bars: 95 % interval)",
        "plan_recruit": "Which profile to recruit",
        "plan_recruit_intro": (
            "The round's recruit suggestions, each simulated as one more volunteer from week 0"
            " ({policy}), ranked by the change in {metric} against today's pool ({better} is"
            " better): mean per run [95 % interval], the same worlds otherwise."
        ),
        "plan_rank": "rank",
        "plan_profile": "one more volunteer",
        "plan_reaches": "reaches (waiting in the round)",
        "plan_change": "change",
        "plan_higher": "higher",
        "plan_lower": "lower",
    },
    "nl": {
        "plan_title": "Wat als: {scenario}",
        "plan_varied": "Gevarieerd",
        "plan_cells": "Cellen",
        "plan_policies": "Beleid",
        "plan_tables": "Uitkomsten per cel (schatting [95 %-interval]; — nergens bepaald)",
        "plan_target": "Doel",
        "plan_met": "{policy}: {cell} is de eerste die {target} haalt ({end} {bound}).",
        "plan_none": "{policy}: geen van {first} tot {last} haalt {target} met 95 % zekerheid.",
        "plan_lower_end": "ondergrens van het 95 %-interval",
        "plan_upper_end": "bovengrens van het 95 %-interval",
        "plan_chart": "{metric} tegen {key}, per beleid (strepen: 95 %-interval)",
        "plan_recruit": "Welk profiel werven",
        "plan_recruit_intro": (
            "De wervingssuggesties van de ronde, elk gesimuleerd als één vrijwilliger meer vanaf"
            " week 0 ({policy}), gerangschikt naar de verandering in {metric} tegenover de"
            " huidige pool ({better} is beter): gemiddelde per herhaling [95 %-interval], verder"
            " dezelfde werelden."
        ),
        "plan_rank": "plaats",
        "plan_profile": "één vrijwilliger meer",
        "plan_reaches": "bereikt (wachtend in de ronde)",
        "plan_change": "verandering",
        "plan_higher": "hoger",
        "plan_lower": "lager",
    },
}

"""JSON Schema of the input format (clients, volunteers) and of the config, for integrators.

pydantic writes the schema from the models; the closed vocabularies that the models check in
a validator (needs, slots, factors, trainings) are added as enums here, from matcher.vocab,
so every closed word list is an enum. Extra keys are allowed in the input, as the readers
ignore columns the model lacks (names, notes), but never passed on.
"""

from __future__ import annotations

from typing import Any, Final

from matcher import vocab

KINDS: Final = ("clients", "volunteers", "config")
_WORD_LISTS: Final = {
    "clients": {
        "hindering_factors": vocab.HINDERING_FACTORS,
        "protective_factors": vocab.PROTECTIVE_FACTORS,
        "needs": vocab.NEEDS,
        "availability": vocab.SLOTS,
    },
    "volunteers": {
        "lived_experience": vocab.LOSS_TYPES,
        "training": vocab.TRAININGS,
        "skills": vocab.NEEDS,
        "availability": vocab.SLOTS,
    },
}
_LANGUAGE: Final = {"type": "string", "pattern": "^[a-z]{2}$"}


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one client or volunteer record, or of the config (a TOML file's
    content as JSON)."""
    if kind == "config":
        from matcher.config import MatchConfig
        from matcher.policies import POLICY_NAMES

        schema = MatchConfig.model_json_schema()
        schema["properties"]["policy"]["enum"] = list(POLICY_NAMES)
        return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
    from matcher.models import Client, Volunteer

    model = Client if kind == "clients" else Volunteer
    schema = model.model_json_schema()
    properties = schema["properties"]
    for name, words in _WORD_LISTS[kind].items():
        properties[name]["items"] = {"type": "string", "enum": list(words)}
        properties[name]["uniqueItems"] = True
    properties["languages"]["items"] = dict(_LANGUAGE)
    # Readers ignore columns the model lacks; a CRM may send its own fields along.
    schema["additionalProperties"] = True
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
        "title": f"matcher {kind[:-1]} record",
    }

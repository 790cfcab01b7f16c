"""For developers who embed matcher: file objects, dicts into the ledger, a ledger used from
other threads, to_dict and --format json with numbers as numbers, and the JSON Schemas."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import json
import threading
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import matcher
from matcher import vocab
from matcher.cli import main
from matcher.errors import InputError
from matcher.io.schema import json_schema
from matcher.output import summary
from matcher.rounds import Ledger
from tests.ledger_checks import ROOT

CLIENTS = ROOT / "examples" / "clients.csv"
VOLUNTEERS = ROOT / "examples" / "volunteers.csv"
ROUND_DATE = dt.date(2026, 11, 23)


def test_readers_take_text_and_binary_file_objects() -> None:
    by_path = matcher.read_clients(str(CLIENTS))
    text = CLIENTS.read_text(encoding="utf-8")
    assert matcher.read_clients(io.StringIO(text)) == by_path
    with CLIENTS.open("rb") as binary:
        assert matcher.read_clients(binary) == by_path
    as_json = json.dumps([c.model_dump(mode="json") for c in by_path])
    assert matcher.read_clients(io.BytesIO(as_json.encode())) == by_path
    with VOLUNTEERS.open(encoding="utf-8") as handle:
        assert matcher.read_volunteers(handle) == matcher.read_volunteers(str(VOLUNTEERS))


def test_problems_in_a_file_object_name_it_not_a_temporary_file() -> None:
    with pytest.raises(InputError) as caught:
        matcher.read_clients(io.StringIO("client_id,programme,age\nK1,p,-3\n"))
    assert str(caught.value).startswith("clients:2: age:")
    assert "tmp" not in str(caught.value)


def test_ledger_imports_dicts_as_match_takes_them(tmp_path: Path) -> None:
    with Ledger.create(tmp_path / "m.db") as ledger:
        ledger.import_volunteers([{"volunteer_id": "V1", "programmes": "p", "contact": "phone"}])
        with pytest.raises(InputError, match="clients:2: contact"):
            ledger.import_clients(
                [{"client_id": "C1", "programme": "p"}, {"client_id": "C2", "programme": "p",
                                                          "contact": "fax"}]
            )  # fmt: skip
        assert ledger.status(on=ROUND_DATE).waiting == ()
        ledger.import_clients([{"client_id": "C1", "programme": "p", "contact": "phone"}])
        assert [w.client_id for w in ledger.status(on=ROUND_DATE).waiting] == ["C1"]


def _filled(path: Path) -> Ledger:
    ledger = Ledger.create(path)
    ledger.import_volunteers(matcher.read_volunteers(str(VOLUNTEERS)), on=ROUND_DATE)
    ledger.import_clients(matcher.read_clients(str(CLIENTS)), on=ROUND_DATE)
    return ledger


def test_a_ledger_opened_in_one_thread_works_in_others(tmp_path: Path) -> None:
    with _filled(tmp_path / "m.db") as ledger:
        found: list[Any] = []
        errors: list[BaseException] = []

        def work() -> None:
            try:
                found.append(len(ledger.status(on=ROUND_DATE).waiting))
            except BaseException as error:  # reported below, in the test's thread
                errors.append(error)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors and found == [found[0]] * 4 and found[0] > 0

        async def propose_and_show() -> tuple[int, int]:
            proposal = await asyncio.to_thread(ledger.propose, round_date=ROUND_DATE)
            shown = await asyncio.to_thread(ledger.round, proposal.round_id)
            return len(proposal.pairs), len(shown.pairs)

        # An event loop of its own, in a thread of its own: another test's loop may be running
        # in this one (asyncio.run refuses to nest).
        counts: list[tuple[int, int]] = []
        runner = threading.Thread(target=lambda: counts.append(asyncio.run(propose_and_show())))
        runner.start()
        runner.join()
        ((made, shown),) = counts
        assert made == shown > 0


def test_to_dict_has_summary_json_keys_and_numbers_as_numbers() -> None:
    result = matcher.match(
        matcher.read_clients(str(CLIENTS)), matcher.read_volunteers(str(VOLUNTEERS)),
        round_date=ROUND_DATE,
    )  # fmt: skip
    data = json.loads(json.dumps(result.to_dict()))
    written = summary(result)
    for key, value in written.items():
        if key not in ("input_hash", "versions", "timings"):
            assert data[key] == value, key
    first = data["matches"][0]
    assert isinstance(first["weight"], float) and isinstance(first["weight_units"], int)
    assert first["weight_units"] == result.matches[0].weight_units
    assert isinstance(first["facts"]["shared_slots"], list)
    assert sum(m["weight_units"] for m in data["matches"]) == data["objective_units"]
    waiting = data["waiting"][0]
    assert waiting["reason"] in matcher.REASON_CODES
    assert all(isinstance(n, int) for n in waiting["options_left"].values())


def test_match_format_json_is_summary_json_with_matches_and_waiting(tmp_path: Path) -> None:
    out = tmp_path / "out"
    printed = CliRunner().invoke(
        main,
        ["match", str(CLIENTS), str(VOLUNTEERS), "--out", str(out), "--date", "2026-11-23",
         "--format", "json"],
    )  # fmt: skip
    assert printed.exit_code == 0, printed.output
    data = json.loads(printed.stdout)
    written = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert list(data)[: len(written)] == list(written)
    assert {k: v for k, v in data.items() if k in written and k != "timings"} == {
        k: v for k, v in written.items() if k != "timings"
    }
    assert isinstance(data["objective"], float) and isinstance(data["matched"], int)
    first = data["matches"][0]
    assert isinstance(first["weight"], float) and isinstance(first["distance_km"], float | None)
    assert first["why"] and data["waiting"][0]["detail"]


def _valid(value: Any, schema: dict[str, Any], defs: dict[str, Any]) -> bool:
    """The subset of JSON Schema pydantic writes: type, enum, anyOf, items, bounds, $ref."""
    if "$ref" in schema:
        return _valid(value, defs[schema["$ref"].split("/")[-1]], defs)
    if "anyOf" in schema:
        return any(_valid(value, option, defs) for option in schema["anyOf"])
    kind = schema.get("type")
    types = {"string": str, "integer": int, "number": (int, float), "boolean": bool,
             "array": list, "object": dict, "null": type(None)}  # fmt: skip
    if kind is not None and not isinstance(value, types[kind]):
        return False
    if "enum" in schema and value not in schema["enum"]:
        return False
    if "minimum" in schema and value < schema["minimum"]:
        return False
    if "maximum" in schema and value > schema["maximum"]:
        return False
    if kind == "array":
        return all(_valid(item, schema.get("items", {}), defs) for item in value)
    if kind == "object" and "properties" in schema:
        if not set(schema.get("required", ())) <= set(value):
            return False
        return all(
            _valid(item, schema["properties"][key], defs)
            for key, item in value.items()
            if key in schema["properties"]
        )
    return True


@pytest.mark.parametrize("kind", ["clients", "volunteers"])
def test_schemas_accept_the_sample_records_and_refuse_unknown_words(kind: str) -> None:
    printed = CliRunner().invoke(main, ["schema", kind])
    assert printed.exit_code == 0
    schema = json.loads(printed.stdout)
    assert schema == json_schema(kind)
    path = CLIENTS if kind == "clients" else VOLUNTEERS
    read = matcher.read_clients if kind == "clients" else matcher.read_volunteers
    records = [r.model_dump(mode="json", exclude_none=True) for r in read(str(path))]
    defs = schema.get("$defs", {})
    assert records and all(_valid(r, schema, defs) for r in records)
    words = {"availability": vocab.SLOTS, "contact": vocab.CONTACT_MODES, "gender": vocab.GENDERS}
    for field, vocabulary in words.items():
        prop = schema["properties"][field]
        enum = (
            prop.get("enum")
            or prop.get("items", {}).get("enum")
            or next(o["enum"] for o in prop["anyOf"] if "enum" in o)
        )
        assert tuple(enum) == vocabulary
        bad = dict(records[0], **{field: ["never"] if prop.get("type") == "array" else "never"})
        assert not _valid(bad, schema, defs)


def test_config_schema_knows_the_policies() -> None:
    schema = json.loads(CliRunner().invoke(main, ["schema", "config"]).stdout)
    assert tuple(schema["properties"]["policy"]["enum"]) == matcher.policies.POLICY_NAMES
    assert _valid(matcher.MatchConfig().model_dump(mode="json"), schema, schema.get("$defs", {}))

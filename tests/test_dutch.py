"""Dutch out of the box: headers, cell values, safe hints, her own words, her own risk tier."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from matcher import vocab, vocab_nl
from matcher.cli import main
from matcher.config import config_from_dict
from matcher.engine import match, prepare, solve
from matcher.errors import ConfigError, InputError
from matcher.explain import explain_client, render_explanation
from matcher.io import read_clients, read_volunteers
from matcher.io.values import ValueMapper
from matcher.models import Client
from matcher.suggest import unknown_word_message

ROUND_DATE = dt.date(2026, 11, 23)
WEEKEND = tuple(f"{day}-{part}" for day in ("sat", "sun") for part in vocab.DAY_PARTS)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path, **config: object) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_clients(path, config_from_dict(dict(config)))
    return [str(problem) for problem in caught.value.problems]


# Headers ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Cliëntnummer", "client_id"),
        ("Clientnr.", "client_id"),
        ("clientid", "client_id"),
        ("Programma", "programme"),
        ("Leeftijd", "age"),
        ("Geslacht", "gender"),
        ("Postcode", "postcode"),
        ("Wijk", "district"),
        ("Soort verlies", "loss_type"),
        ("Datum overlijden", "loss_date"),
        ("Beschikbaarheid", "availability"),
        ("Talen", "languages"),
        ("Voorkeur geslacht", "preferred_gender"),
        ("Contact", "contact"),
        ("Wachtend sinds", "waiting_since"),
        ("Hulpvragen", "needs"),
        ("Risico", "risk_tier"),
    ],
)
def test_dutch_client_headers(header: str, field: str) -> None:
    assert vocab_nl.header_field(header, Client.model_fields) == field


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Programma", "programmes"),  # a volunteer serves programmes
        ("Vrijwilligersnummer", "volunteer_id"),
        ("Capaciteit", "capacity"),
        ("Reisafstand (km)", "max_travel_km"),
        ("Ervaring", "lived_experience"),
        ("Opleiding", "training"),
        ("Vaardigheden", "skills"),
        ("Huidige cliënten", "active_clients"),
    ],
)
def test_dutch_volunteer_headers(header: str, field: str) -> None:
    from matcher.models import Volunteer

    assert vocab_nl.header_field(header, Volunteer.model_fields) == field


def test_a_name_column_is_never_read(tmp_path: Path) -> None:
    path = write(
        tmp_path, "c.csv", "Cliëntnummer;Naam;Programma;Contact\nK1;Anna;rouw;telefonisch\n"
    )
    assert read_clients(path).ignored_columns == ("naam",)
    assert vocab_nl.header_field("Vrijwilliger", Client.model_fields) is None


def test_her_config_wins_over_the_dutch_table(tmp_path: Path) -> None:
    text = "Nr;Leeftijd;Programma;Contact\nK1;ignored;rouw;telefonisch\n"
    path = write(tmp_path, "c.csv", text)
    config = config_from_dict({"columns": {"clients": {"Nr": "client_id", "Leeftijd": "district"}}})
    (client,) = read_clients(path, config)
    assert client.district == "ignored" and client.age is None


# Values -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "cell", "value"),
    [
        ("gender", "Vrouw", "f"),
        ("gender", "V", "f"),
        ("gender", "man", "m"),
        ("gender", "M", "m"),
        ("gender", "anders", "x"),
        ("loss_type", "kind", "child"),
        ("loss_type", "partner", "partner"),
        ("loss_type", "ouder", "parent"),
        ("loss_type", "broer", "sibling"),
        ("loss_type", "zus", "sibling"),
        ("loss_type", "vriendin", "friend"),
        ("loss_type", "vriend(in)", "friend"),
        ("loss_type", "anders", "other"),
        ("loss_type", "geen", "none"),
        ("availability", "ma-ochtend", ("mon-am",)),
        ("availability", "maandagochtend", ("mon-am",)),
        ("availability", "ma ochtend", ("mon-am",)),
        ("availability", "Di-middag, wo-avond", ("tue-pm", "wed-eve")),
        ("availability", "weekend", WEEKEND),
        ("availability", "mon-am|za-ochtend", ("mon-am", "sat-am")),
        ("contact", "bezoek", "visit"),
        ("contact", "huisbezoek", "visit"),
        ("contact", "telefonisch", "phone"),
        ("contact", "beide", "either"),
        ("languages", "Nederlands, Engels", ("en", "nl")),
        ("languages", "Turks|Arabisch|Pools", ("ar", "pl", "tr")),
        ("languages", "NL", ("nl",)),
        ("preferred_gender", "geen voorkeur", None),
        ("needs", "emotioneel, praktisch", ("emotional", "practical")),
        ("hindering_factors", "plotseling overlijden, financiële zorgen",
         ("sudden-death", "financial-worries")),
        ("risk_tier", "hoog", "high"),
        ("risk_tier", "matig", "moderate"),
        ("risk_tier", "midden", "moderate"),
        ("risk_tier", "laag", "low"),
    ],
)  # fmt: skip
def test_dutch_cell_values(tmp_path: Path, field: str, cell: str, value: object) -> None:
    path = write(
        tmp_path, "c.csv", f'client_id;programme;contact;{field}\nK1;rouw;phone;"{cell}"\n'
    )
    if field == "contact":
        path = write(tmp_path, "c.csv", f"client_id;programme;lat;lon;contact\nK1;r;52;6;{cell}\n")
    (client,) = read_clients(path)
    assert getattr(client, field) == value


@pytest.mark.parametrize(
    ("training", "value"),
    [("basis", ("basic",)), ("basis, rouw", ("basic", "grief")), ("gevorderd", ("advanced",)),
     ("levensvragen, levensverhaal", ("life-questions", "life-story"))],
)  # fmt: skip
def test_dutch_trainings(tmp_path: Path, training: str, value: tuple[str, ...]) -> None:
    text = f'volunteer_id;programmes;contact;training\nV1;rouw;phone;"{training}"\n'
    (volunteer,) = read_volunteers(write(tmp_path, "v.csv", text))
    assert volunteer.training == value


def test_kind_is_a_child_not_a_misspelt_friend(tmp_path: Path) -> None:
    # The probe: 'kind' got "did you mean 'friend'?".
    path = write(tmp_path, "c.csv", "client_id;programme;contact;loss_type\nK1;r;phone;kind\n")
    assert read_clients(path)[0].loss_type == "child"
    assert "friend" not in unknown_word_message("loss type", "kind", vocab.LOSS_TYPES)


@pytest.mark.parametrize(
    ("kind", "word", "message"),
    [
        # Near a Dutch word: that word, not an English one further away.
        ("gender", "vrouwe", "unknown gender 'vrouwe'; did you mean 'vrouw'?"),
        ("loss type", "dochters", "unknown loss type 'dochters'; did you mean 'dochter'?"),
        # Near an English word only.
        ("loss type", "partnr", "unknown loss type 'partnr'; did you mean 'partner'?"),
        # Near nothing: say nothing rather than something wrong.
        ("loss type", "kinderen", "unknown loss type 'kinderen'; expected one of partner, child,"
         " parent, sibling, friend, other, none"),
        ("gender", "q", "unknown gender 'q'; expected one of f, m, x"),
        # A Dutch word where the table was not applied (a library call): its meaning.
        ("gender", "v", "unknown gender 'v'; did you mean 'f'?"),
    ],
)  # fmt: skip
def test_hints_are_safe(kind: str, word: str, message: str) -> None:
    choices = vocab_nl.CHOICES[kind]
    assert unknown_word_message(kind, word, choices) == message


def test_an_unknown_dutch_word_is_reported_as_she_wrote_it(tmp_path: Path) -> None:
    text = (
        "Cliëntnummer;Programma;Contact;Beschikbaarheid\nK1;rouw;telefonisch;ma ochtend, someday\n"
    )
    assert problems(write(tmp_path, "c.csv", text)) == [
        f"{tmp_path / 'c.csv'}:2: Beschikbaarheid: unknown availability slot 'someday'; expected"
        " e.g. mon-am, mon-pm, mon-eve, tue-am, tue-pm, tue-eve, … (got 'ma ochtend, someday')"
    ]


def test_each_distinct_value_is_mapped_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls: list[tuple[str, str]] = []
    original = ValueMapper.map_value

    def counted(self: ValueMapper, field: str, text: str) -> str | None:
        calls.append((field, text))
        return original(self, field, text)

    monkeypatch.setattr(ValueMapper, "map_value", counted)
    rows = "".join(f"K{i};rouw;telefonisch;{'vrouw' if i % 2 else 'man'}\n" for i in range(1000))
    path = write(tmp_path, "c.csv", "Cliëntnummer;Programma;Contact;Geslacht\n" + rows)
    assert len(read_clients(path)) == 1000
    assert sorted(calls) == [
        ("contact", "telefonisch"), ("gender", "man"), ("gender", "vrouw")
    ]  # fmt: skip


# Her own words ---------------------------------------------------------------------------------


def test_her_own_values_come_before_the_dutch_table(tmp_path: Path) -> None:
    text = (
        "Cliëntnummer;Programma;Contact;Soort verlies\n"
        "K1;r;telefonisch;Partner overleden\nK2;r;telefonisch;kind\n"
    )
    path = write(tmp_path, "c.csv", text)
    config = config_from_dict(
        {"values": {"loss_type": {"Partner overleden": "partner", "kind": "other"}}}
    )
    assert [c.loss_type for c in read_clients(path, config)] == ["partner", "other"]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"loss_typ": {"a": "partner"}},
         "config: values.loss_typ: unknown column; did you mean 'loss_type'?"),
        ({"loss_type": {"Partner overleden": "partnr"}},
         "config: values.loss_type: 'Partner overleden' = 'partnr': unknown loss type 'partnr';"
         " did you mean 'partner'?"),
        ({"languages": {"Fries": "frl"}},
         "config: values.languages: 'Fries' = 'frl': must be two-letter ISO 639-1 codes like"
         " 'nl' or 'en'"),
    ],
)  # fmt: skip
def test_her_own_values_are_checked_when_the_config_is_read(
    values: dict[str, dict[str, str]], message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        config_from_dict({"values": values})
    assert str(caught.value) == message


# Her own risk tier -------------------------------------------------------------------------------

# One place, two clients: K1 waited longer, K2 had a sudden death and has money worries.
_TIER_CLIENTS = (
    "client_id;programme;lat;lon;contact;waiting_since;hindering_factors{extra}\n"
    "K1;r;52.5;6.1;visit;01-01-2026;{k1}\n"
    "K2;r;52.5;6.1;visit;01-10-2026;{k2}\n"
)
_ONE_PLACE = "volunteer_id;programmes;lat;lon;contact;training\nV1;r;52.5;6.1;visit;grief\n"


def _round(tmp_path: Path, extra: str = "", k1: str = "", k2: str = "") -> tuple[Path, Path]:
    clients = write(tmp_path, "c.csv", _TIER_CLIENTS.format(extra=extra, k1=k1, k2=k2))
    return clients, write(tmp_path, "v.csv", _ONE_PLACE)


def test_without_factors_the_file_is_named_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="matcher")
    clients, _ = _round(tmp_path)
    read_clients(clients)
    assert caplog.messages == [
        f"{clients}: no client has a hindering or protective factor or a risk_tier, so every"
        " client counts as low risk; add those columns to put the most vulnerable first"
    ]


def test_the_computed_tier_puts_sudden_death_and_money_worries_first(tmp_path: Path) -> None:
    clients, volunteers = _round(tmp_path, k2="plotseling overlijden, geldzorgen")
    result = match(read_clients(clients), read_volunteers(volunteers), round_date=ROUND_DATE)
    assert [(m.client_id, m.risk_tier) for m in result.matches] == [("K2", "moderate")]


def test_her_tier_wins_and_the_computed_one_is_shown_beside_it(tmp_path: Path) -> None:
    clients, volunteers = _round(
        tmp_path, extra=";Risico", k1=";hoog", k2="plotseling overlijden, geldzorgen;laag"
    )
    read = read_clients(clients)
    assert [c.risk_tier for c in read] == ["high", "low"]
    prepared = prepare(read, read_volunteers(volunteers), round_date=ROUND_DATE)
    result = solve(prepared)
    assert [(m.client_id, m.risk_tier) for m in result.matches] == [("K1", "high")]
    assert [(u.client_id, u.risk_tier) for u in result.unmatched] == [("K2", "low")]
    k2 = render_explanation(explain_client(prepared, result, "K2"), prepared)
    assert k2.splitlines()[0].startswith(
        "client K2: risk low (set at the intake; the factors give moderate), waited"
    )
    k1 = render_explanation(explain_client(prepared, result, "K1"), prepared)
    assert "risk high (set at the intake; the factors give low)" in k1.splitlines()[0]


def test_no_note_when_her_tier_is_the_computed_one(tmp_path: Path) -> None:
    clients, volunteers = _round(tmp_path, extra=";Risico", k1=";laag", k2=";laag")
    prepared = prepare(read_clients(clients), read_volunteers(volunteers), round_date=ROUND_DATE)
    result = solve(prepared)
    text = render_explanation(explain_client(prepared, result, "K1"), prepared)
    assert text.splitlines()[0].startswith("client K1: risk low, waited")


def test_explain_command_shows_both_tiers(tmp_path: Path) -> None:
    clients, volunteers = _round(tmp_path, extra=";risk_tier", k1=";", k2="sudden-death;low")
    args = ["explain", str(clients), str(volunteers), "--client", "K2", "--date", "2026-11-23"]
    result = CliRunner().invoke(main, [*args, "--lang", "en"])
    assert result.exit_code == 0, result.stderr
    assert "risk low (set at the intake; the factors give moderate)" in result.stdout
    dutch = CliRunner().invoke(main, args)  # the config's [report] lang: nl
    assert "risico laag (bij de intake gezet; de factoren geven matig)" in dutch.stdout

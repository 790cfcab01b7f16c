"""A pseudonymised report singles nobody out (k-anonymity), and its key must be a real secret."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from matcher import scenarios
from matcher.engine import match
from matcher.recruits import Profile, client_profiles, recruits
from matcher.report.privacy import (
    COARSE_LAT,
    COARSE_LON,
    coarsened,
    count_text,
    places,
    shareable_recruits,
)
from matcher.report.pseudonyms import Pseudonyms
from tests.report_support import CLIENTS, DATE, KEY, VOLUNTEERS, everything_in, match_report, run

# One client alone in Westenholte who lost a partner, out of every volunteer's reach; four in
# Noord for the one place of the one volunteer: two suggestions, for 1 and for 3 clients.
PROBE_CLIENTS = (
    "client_id,programme,lat,lon,district,languages,loss_type,availability\n"
    "c1,p,52.53,6.05,Westenholte,nl,partner,mon-am\n"
    + "".join(f"c{n},p,52.60,6.30,Noord,nl,child,wed-eve\n" for n in range(2, 6))
)
PROBE_VOLUNTEERS = (
    "volunteer_id,programmes,lat,lon,capacity,availability\nv1,p,52.6,6.3,1,wed-eve\n"
)


def probe_report(tmp_path: Path, *options: str, name: str = "r.html") -> str:
    clients, volunteers = tmp_path / "clients.csv", tmp_path / "volunteers.csv"
    clients.write_text(PROBE_CLIENTS)
    volunteers.write_text(PROBE_VOLUNTEERS)
    report = tmp_path / name
    result = run(
        "match", str(clients), str(volunteers), "--out", str(tmp_path / "out"), *DATE,
        "--report", str(report), "--lang", "en", *options,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return report.read_text()


def section(html: str, name: str) -> str:
    start = html.index(f'<section id="{name}">')
    return html[start : html.index("</section>", start)]


def test_a_shared_report_does_not_single_out_the_one_client_in_westenholte(
    tmp_path: Path,
) -> None:
    own = probe_report(tmp_path, name="own.html")
    # The coordinator's own report says it (the probe is real) ...
    assert (
        "A volunteer in Westenholte with lived experience of losing a partner could be matched"
        " with 1 waiting client(s): c1." in own
    )
    shared = probe_report(tmp_path, "--pseudonymise", name="shared.html")
    c1 = Pseudonyms(KEY["MATCHER_PSEUDONYM_KEY"].encode()).client("c1")
    text = everything_in(shared)
    # ... the shared one neither names the district nor lists the client anywhere.
    assert "Westenholte" not in text
    assert c1 not in text
    recruits_section = section(shared, "recruits")
    assert "losing a partner" not in recruits_section
    assert (
        "To protect privacy, 2 suggestion(s) reaching fewer than 5 waiting clients were left out."
        in recruits_section
    )
    waiting = section(shared, "waiting")
    assert "<h2>Clients left waiting (&lt;5)</h2>" in waiting
    assert '<td class="ids"' not in waiting
    assert "Fewer than 5 clients: not listed one by one, to protect privacy." in waiting


def test_small_waiting_groups_and_counts_are_told_as_fewer_than_k(tmp_path: Path) -> None:
    # The example round leaves 5 clients waiting, in groups of 3, 1 and 1; 4 are high risk.
    shared = match_report(tmp_path, "--pseudonymise", "--lang", "en", name="shared.html")
    shared_text = shared.read_text()
    waiting = section(shared_text, "waiting")
    assert '<td class="ids"' not in waiting
    assert re.findall(r"<h3>[^<:]+: ([^<]+)</h3>", waiting) == ["&lt;5"] * 3
    assert "<h2>Clients left waiting (5)</h2>" in waiting
    assert "High risk with a proposal</dt><dd>&lt;5 of &lt;5</dd>" in shared_text
    assert 'alt="high: &lt;5 Proposed, 0 Waiting;' in shared_text
    # k = 1 turns the protection off: every waiting client listed again, under a pseudonym.
    config = tmp_path / "k1.toml"
    config.write_text("[report]\nmin_group_size = 1\n")
    listed = match_report(
        tmp_path, "--pseudonymise", "--lang", "en", "--config", str(config), name="k1.html"
    ).read_text()
    assert section(listed, "waiting").count('<td class="ids"') == 5
    assert "High risk with a proposal</dt><dd>4 of 4</dd>" in listed


def test_a_shared_map_draws_places_of_at_least_k_people_and_says_so(tmp_path: Path) -> None:
    shared = match_report(tmp_path, "--pseudonymise", "--lang", "en").read_text()
    caption = re.search(r'id="map-chart">.*?<figcaption>([^<]*)</figcaption>', shared)
    assert caption
    assert re.search(r"middle of a place about \d+ km across where at least 5 people", caption[1])


@pytest.mark.parametrize("k", [0, 101])
def test_min_group_size_must_be_between_1_and_100(tmp_path: Path, k: int) -> None:
    config = tmp_path / "bad.toml"
    config.write_text(f"[report]\nmin_group_size = {k}\n")
    result = run("match", CLIENTS, VOLUNTEERS, "--config", str(config), "--out", str(tmp_path))
    assert result.exit_code == 1
    assert "report.min_group_size" in result.stderr


def test_the_shared_pair_reasons_name_only_losses_k_clients_had(tmp_path: Path) -> None:
    # Four clients who lost a partner each get the one volunteer who did too: the shared report
    # says the volunteer knows loss first-hand, not which loss.
    clients, volunteers = tmp_path / "clients.csv", tmp_path / "volunteers.csv"
    clients.write_text(
        "client_id,programme,lat,lon,languages,loss_type,availability\n"
        + "".join(f"c{n},p,52.60,6.30,nl,partner,wed-eve\n" for n in range(4))
    )
    volunteers.write_text(
        "volunteer_id,programmes,lat,lon,capacity,availability,lived_experience\n"
        "v1,p,52.6,6.3,4,wed-eve,partner\n"
    )
    for k, said in ((5, "volunteer knows loss first-hand"), (4, "both lost a partner")):
        config = tmp_path / f"k{k}.toml"
        config.write_text(f"[report]\nmin_group_size = {k}\n")
        report = tmp_path / f"k{k}.html"
        result = run(
            "match", str(clients), str(volunteers), "--out", str(tmp_path / "out"), *DATE,
            "--config", str(config), "--report", str(report), "--lang", "en", "--pseudonymise",
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        reasons = re.findall(r'<td class="why"[^>]*>([^<]*)</td>', report.read_text())
        assert len(reasons) == 4 and all(said in r for r in reasons), reasons


@pytest.mark.parametrize("name", ["rural", "volunteer-shortage", "welzijn-op-recept"])
def test_every_shared_suggestion_is_about_at_least_k_waiting_clients(name: str) -> None:
    scenario = scenarios.load(name)
    clients, volunteers = scenarios.generate(scenario)
    result = match(clients, volunteers, scenario.config, round_date=scenario.round_date)
    by_id = {c.client_id: c for c in clients}
    waiting = [by_id[u.client_id] for u in result.unmatched]
    profiles = client_profiles(waiting, scenario.config)
    chosen = recruits(waiting, scenario.config, scenario.round_date)
    for k in (1, 3, 5, 10):
        shared = shareable_recruits(chosen, profiles, k)
        assert len(shared.shown) + shared.left_out <= len(chosen)
        for suggestion in shared.shown:
            assert suggestion.n_clients >= k
            told = told_details(suggestion.profile)
            assert sum(told_details(p, like=suggestion.profile) == told for p in profiles) >= k
        if k == 1:  # nothing to protect: every suggestion as it was
            assert [s.profile for s in shared.shown] == [r.profile for r in chosen]


def told_details(profile: Profile, like: Profile | None = None) -> tuple[object, ...]:
    """The details a suggestion's sentence tells (those `like` tells, if given)."""
    like = like or profile
    return tuple(
        value
        for value, said in (
            (profile.loss_type, bool(like.loss_type)),
            ((profile.phone, profile.district), like.phone or bool(like.district)),
            (profile.grief_trained, like.grief_trained),
            (profile.language, like.language != "nl"),
            (profile.gender, bool(like.gender)),
        )
        if said
    )


def profile(**details: object) -> Profile:
    base: dict[str, object] = dict(
        programme="p", district="Zuid", phone=False, loss_type="partner", language="nl",
        grief_trained=False, gender="",
    )  # fmt: skip
    return Profile(**{**base, **details})  # type: ignore[arg-type]


def test_coarsening_keeps_the_most_details_that_k_clients_share() -> None:
    rare = profile(language="ar", gender="f")
    waiting = [profile()] * 4 + [profile(gender="f")] * 1 + [rare]
    # Zuid + partner: 6 clients; with "female" only 2, with Arabic only 1.
    assert coarsened(rare, waiting, 5) == profile()
    assert coarsened(rare, waiting, 2) == profile(gender="f")
    assert coarsened(rare, waiting, 1) == rare
    # A tie between keeping the loss and keeping the district: the loss is kept.
    mixed = [profile(district="Noord")] * 3 + [profile(loss_type="child")] * 3
    assert coarsened(profile(), [*mixed, profile()], 4) == profile(district="")
    # Nobody shares anything: the sentence says nothing about them.
    assert coarsened(rare, [rare], 2) == profile(district="", loss_type="")


def test_places_are_the_finest_that_hide_at_most_a_tenth() -> None:
    crowd = [(52.5, 6.1)] * 9
    assert places([*crowd, (53.0, 7.0)], 5).step == 1  # one of ten hidden: fine
    grid = places([*crowd, (53.0, 7.0), (53.5, 7.5)], 5)  # two of eleven: coarser
    assert grid.step > 1
    rng = np.random.default_rng(4)
    spread = [(52.5 + a, 6.1 + b) for a, b in rng.normal(0, 0.05, (300, 2)).tolist()]
    for k in (2, 5, 10):
        grid = places(spread, k)
        counts = Counter(grid.cell(lat, lon) for lat, lon in spread)
        assert grid.drawn == {cell for cell, n in counts.items() if n >= k}
        assert grid.hidden == sum(n for n in counts.values() if n < k) <= 0.1 * len(spread)
        for lat, lon in spread:
            where = grid.place(lat, lon)
            assert (where is None) == (counts[grid.cell(lat, lon)] < k)
            if where is not None:  # the middle of the place, within half a place
                assert abs(where[0] - lat) <= COARSE_LAT * grid.step / 2 + 1e-9
                assert abs(where[1] - lon) <= COARSE_LON * grid.step / 2 + 1e-9


def test_count_text() -> None:
    assert [count_text(n, 5) for n in (0, 1, 4, 5, 12)] == ["0", "<5", "<5", "5", "12"]
    assert count_text(3, None) == "3"


# The pseudonym key.


def key_run(tmp_path: Path, env: dict[str, str | None], *command: str) -> tuple[int, str]:
    out = tmp_path / "out"
    args = command or ("match", CLIENTS, VOLUNTEERS, "--out", str(out), *DATE)
    result = run(*args, "--report", str(tmp_path / "r.html"), "--pseudonymise", env=env)
    return result.exit_code, result.stderr


def own_key(tmp_path: Path, content: bytes) -> dict[str, str | None]:
    key = tmp_path / "config" / "matcher" / "pseudonym.key"
    key.parent.mkdir(parents=True)
    key.write_bytes(content)
    return {"XDG_CONFIG_HOME": str(tmp_path / "config"), "MATCHER_PSEUDONYM_KEY": None}


def test_an_empty_key_file_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    env = own_key(tmp_path, b"")
    code, stderr = key_run(tmp_path, env)
    path = tmp_path / "config" / "matcher" / "pseudonym.key"
    assert code == 1
    assert stderr == (
        f"{path}: the pseudonym key is 0 bytes; at least 32 are needed, or anyone can recompute"
        " the pseudonyms from the ids. Make a random one with:"
        f' python -c "import secrets; print(secrets.token_hex(32))" > {path}\n'
    )
    assert not (tmp_path / "out").exists() and not (tmp_path / "r.html").exists()
    assert path.read_bytes() == b""  # the user's file is theirs to replace


def test_a_key_of_whitespace_counts_as_empty(tmp_path: Path) -> None:
    code, stderr = key_run(tmp_path, own_key(tmp_path, b" " * 40 + b"\n"))
    assert code == 1 and "the pseudonym key is 0 bytes" in stderr


def test_a_31_byte_key_is_refused_and_32_accepted(tmp_path: Path) -> None:
    short = "k" * 31
    code, stderr = key_run(tmp_path, {"MATCHER_PSEUDONYM_KEY": short})
    assert code == 1
    assert stderr.startswith("MATCHER_PSEUDONYM_KEY: the pseudonym key is 31 bytes;")
    assert "export MATCHER_PSEUDONYM_KEY=$(python -c" in stderr
    assert short not in stderr  # the message never shows the key
    assert not (tmp_path / "r.html").exists()
    code, stderr = key_run(tmp_path, {"MATCHER_PSEUDONYM_KEY": "k" * 32})
    assert code == 0, stderr
    # A final newline is not part of the key: the file and the variable agree.
    env = own_key(tmp_path, b"k" * 32 + b"\n")
    (tmp_path / "r.html").rename(tmp_path / "from-env.html")
    assert key_run(tmp_path, env)[0] == 0
    assert (tmp_path / "r.html").read_bytes() == (tmp_path / "from-env.html").read_bytes()


def test_a_short_key_stores_no_round(tmp_path: Path) -> None:
    env: dict[str, str | None] = {**KEY, "MATCHER_DB": str(tmp_path / "m.db")}
    for args in (("db", "init"), ("import", "volunteers", VOLUNTEERS),
                 ("import", "clients", CLIENTS, *DATE)):  # fmt: skip
        assert run(*args, env=env).exit_code == 0
    short = {**env, "MATCHER_PSEUDONYM_KEY": "too short"}
    code, stderr = key_run(tmp_path, short, "round", "propose", *DATE)
    assert code == 1 and "the pseudonym key is 9 bytes" in stderr
    assert run("round", "show", "1", env=env).exit_code == 1  # nothing was stored


def test_a_key_the_tool_makes_is_32_random_bytes_for_its_owner_only(tmp_path: Path) -> None:
    env: dict[str, str | None] = {
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "MATCHER_PSEUDONYM_KEY": None,
    }
    assert key_run(tmp_path, env)[0] == 0
    key = (tmp_path / "config" / "matcher" / "pseudonym.key").read_bytes()
    assert re.fullmatch(rb"[0-9a-f]{64}", key)
    assert (tmp_path / "config" / "matcher" / "pseudonym.key").stat().st_mode & 0o077 == 0

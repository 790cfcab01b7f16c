"""The command line's structure: commands load lazily, `--help` and `validate` stay light."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from matcher.cli import COMMANDS, main

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("ortools", "scipy", "matplotlib", "jinja2", "matcher.simulate", "matcher.engine")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_stored_short_help_is_the_commands_own(name: str) -> None:
    command = main.get_command(click.Context(main), name)
    assert command is not None
    assert command.get_short_help_str(limit=1000) == COMMANDS[name].short_help


def test_every_command_is_listed_once_in_help() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "matcher", "--help"], capture_output=True, text=True, check=True
    ).stdout
    listed = [line.split()[0] for line in out.split("Commands:")[1].splitlines() if line.strip()]
    assert listed == sorted(COMMANDS)


def _modules_after(*args: str) -> set[str]:
    # A fresh interpreter: which modules running the command loaded.
    program = (
        "import json, sys\n"
        f"sys.argv = ['matcher', *{list(args)!r}]\n"
        "from matcher.__main__ import run\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
        "sys.__stderr__.write('\\n' + json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    return set(json.loads(done.stderr.splitlines()[-1]))


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        (
            "validate",
            str(ROOT / "examples" / "clients.csv"),
            str(ROOT / "examples" / "volunteers.csv"),
        ),
    ],
)
def test_help_and_validate_import_nothing_heavy(args: tuple[str, ...]) -> None:
    loaded = _modules_after(*args)
    assert "matcher.cli" in loaded
    assert sorted(m for m in loaded if m.split(".")[0] in HEAVY or m in HEAVY) == []
    if args == ("--help",):
        assert (
            sorted(m for m in loaded if m.startswith("matcher.cli.") and m != "matcher.cli.lazy")
            == []
        )


def test_match_imports_only_what_a_plain_round_uses(tmp_path: Path) -> None:
    """`match` without --report, --xlsx or --call-list: the engine and OR-Tools' flow, but
    not scipy (components and bottleneck groups are labelled in numpy; scipy only takes over
    a pathological chain), the report stack, the ledger or the simulator."""
    loaded = _modules_after(
        "--quiet", "match", str(ROOT / "examples" / "clients.csv"),
        str(ROOT / "examples" / "volunteers.csv"), "--out", str(tmp_path / "out"),
        "--date", "2026-11-23",
    )  # fmt: skip
    assert "matcher.engine" in loaded and "ortools.graph.python.min_cost_flow" in loaded
    heavy = ("scipy", "matplotlib", "jinja2", "openpyxl", "matcher.simulate", "matcher.rounds",
             "matcher.report", "matcher.proposals_book")  # fmt: skip
    assert sorted(m for m in loaded if m in heavy or m.split(".")[0] in heavy or
                  any(m.startswith(h + ".") for h in heavy)) == []  # fmt: skip
    assert (tmp_path / "out" / "matches.csv").exists()


def test_a_plain_round_builds_no_row_model_and_skips_pydantic_plugins(tmp_path: Path) -> None:
    """The readers check CSV cells without Client or Volunteer validators (built on first use),
    and the command, not the library, turns pydantic's plugin search off."""
    argv = ["matcher", "--quiet", "match", str(ROOT / "examples" / "clients.csv"),
            str(ROOT / "examples" / "volunteers.csv"), "--out", str(tmp_path / "out"),
            "--date", "2026-11-23"]  # fmt: skip
    program = (
        "import json, os, sys\n"
        "import matcher\n"
        "from matcher.__main__ import run\n"
        "library_env = os.environ.get('PYDANTIC_DISABLE_PLUGINS')\n"
        f"sys.argv = {argv!r}\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
        "from matcher.models import Client, Volunteer\n"
        "from pydantic.plugin import _loader\n"
        "sys.__stderr__.write('\\n' + json.dumps({'library_env': library_env,\n"
        "    'built': [Client.__pydantic_complete__, Volunteer.__pydantic_complete__],\n"
        "    'plugins_searched': _loader._plugins is not None}))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env=env)
    facts = json.loads(done.stderr.splitlines()[-1])
    assert facts == {"library_env": None, "built": [False, False], "plugins_searched": False}
    assert (tmp_path / "out" / "matches.csv").exists()
    # Built when first used, with the same checks as ever.
    from matcher.models import Client

    with pytest.raises(ValueError, match="client_id"):
        Client.model_validate({"programme": "maatjes"})


# What a plain `--quiet` round on CSV files does not load, and what needs it: each was loaded
# by every round before, costing the city round's start-up (README "Start-up").
LOADED_ONLY_WHEN_NEEDED = {
    # The first TypeAdapter loads pydantic's plugin loader, which loads importlib.metadata:
    # matcher.plain_values reads plain cell values off without one.
    "pydantic.type_adapter": "a cell value that is not plainly valid",
    "pydantic.plugin._loader": "a cell value that is not plainly valid",
    "importlib.metadata": "a cell value that is not plainly valid",
    "importlib.resources": "nothing: the shipped places are read with pkgutil",
    "zipfile": "nothing: the shipped places are read with pkgutil",
    "multiprocessing": "a round large enough to solve its parts in worker processes",
    "concurrent.futures": "a round large enough to score its pairs on two threads",
    "python_calamine": "a workbook",
    "difflib": "a message or note with 'did you mean'",
    "_strptime": "a --date not written as YYYY-MM-DD",
    "tomllib": "a config file that says more than the defaults (config_defaults.says_only)",
    "matcher.explain": "`matcher explain`",
    "matcher.explain_wording": "`matcher explain`",
    "matcher.hints": "`matcher explain`",
    "matcher.hint_wording": "`matcher explain`",
    "matcher.io.kept": "--keep-columns",
    "matcher.io.workbook_out": "--excel-nl, --xlsx or --call-list",
    "matcher.policies.reserve": "--policy reserve",
    "matcher.solvers.lp": "--policy reserve",
    "matcher.policies.stable": "--policy stable",
    "matcher.solvers.hours": "a round in mixed hours",
}


def test_a_plain_round_loads_only_what_it_needs(tmp_path: Path) -> None:
    # The demo files have columns the round ignores (names, notes); the note about them is
    # not shown with --quiet, and its hints are not made.
    loaded = _modules_after(
        "--quiet", "match", str(ROOT / "examples" / "clients.csv"),
        str(ROOT / "examples" / "volunteers.csv"), "--out", str(tmp_path / "out"),
        "--date", "2026-11-23",
    )  # fmt: skip
    assert "matcher.engine" in loaded and (tmp_path / "out" / "summary.json").exists()
    assert {m: why for m, why in LOADED_ONLY_WHEN_NEEDED.items() if m in loaded} == {}


@pytest.mark.parametrize(
    "text",
    ["2026-11-23", "23-11-2026", "2026-1-5", "2026-02-30", "0000-01-01", "9999-12-31",
     "2026-11-23 ", "2026-13-01", "\uff12026-11-23", "31-12-2026", "tomorrow", ""],
)  # fmt: skip
def test_the_date_option_reads_what_clicks_datetime_reads(text: str) -> None:
    from matcher.cli.options import DATE_FORMATS, date_type

    def outcome(kind: click.DateTime) -> object:
        try:
            return kind.convert(text, None, None)
        except click.BadParameter as error:
            return error.message

    assert outcome(date_type()) == outcome(click.DateTime(formats=DATE_FORMATS))


def test_a_plain_round_with_a_file_of_defaults_builds_no_config_validator(
    tmp_path: Path,
) -> None:
    """A config file that repeats the defaults (as `matcher config` and the scenario generator
    write it) is read without building any section's validator or serializer, the round
    loads neither numpy.ma, sqlite3 nor tomllib (the file is not even parsed), and its
    summary is the one without the file."""
    from matcher.config_toml import DEFAULT_TOML

    config = tmp_path / "matcher.toml"
    config.write_text(DEFAULT_TOML, encoding="utf-8")
    inputs = [str(ROOT / "examples" / "clients.csv"), str(ROOT / "examples" / "volunteers.csv")]
    argv = ["matcher", "--quiet", "match", *inputs, "--config", str(config),
            "--out", str(tmp_path / "out"), "--date", "2026-11-23"]  # fmt: skip
    program = (
        "import json, sys\n"
        "from matcher.__main__ import run\n"
        f"sys.argv = {argv!r}\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
        "from pydantic import BaseModel\n"
        "import matcher.config, matcher.lifecycle\n"
        "sections = [c for m in (matcher.config, matcher.lifecycle) for c in vars(m).values()\n"
        "            if isinstance(c, type) and issubclass(c, BaseModel) and c is not BaseModel]\n"
        "sys.__stderr__.write('\\n' + json.dumps({\n"
        "    'sections': len(sections),\n"
        "    'built': sorted(c.__name__ for c in sections if c.__pydantic_complete__),\n"
        "    'loaded': sorted(m for m in ('numpy.ma', 'sqlite3', 'tomllib') if m in sys.modules),\n"
        "    'frozen': __import__('gc').get_freeze_count() > 0}))\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    facts = json.loads(done.stderr.splitlines()[-1])
    assert facts["sections"] >= 15 and facts == {**facts, "built": [], "loaded": []}
    # Done: what is left is frozen, so the shutdown does not walk it (matcher/__main__.py).
    assert facts["frozen"]
    plain = subprocess.run(
        [sys.executable, "-m", "matcher", "--quiet", "match", *inputs,
         "--out", str(tmp_path / "plain"), "--date", "2026-11-23"],
        capture_output=True, check=True,
    )  # fmt: skip
    assert plain.returncode == 0

    def without_timings(folder: str) -> dict[str, object]:
        data = json.loads((tmp_path / folder / "summary.json").read_text(encoding="utf-8"))
        return {key: value for key, value in data.items() if key != "timings"}

    assert without_timings("out") == without_timings("plain")


def test_the_command_imports_its_module_without_the_cycle_collector() -> None:
    """In the command's process the command's module (numpy, pydantic, OR-Tools, the engine)
    is imported with the collector off and then frozen; a program using the library keeps
    the collector as it set it."""
    program = (
        "import gc, json, sys, click\n"
        "from matcher.cli import lazy, main\n"
        "ctx = click.Context(main)\n"
        "before = gc.get_freeze_count()\n"
        "main.get_command(ctx, 'validate')\n"
        "library = gc.get_freeze_count() - before\n"
        "lazy.freeze_imports = True\n"
        "main.get_command(ctx, 'match')\n"
        "print(json.dumps({'library': library, 'command': gc.get_freeze_count() > 0,\n"
        "    'enabled': gc.isenabled(), 'engine': 'matcher.engine' in sys.modules}))\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert json.loads(done.stdout) == {
        "library": 0, "command": True, "enabled": True, "engine": True,
    }  # fmt: skip

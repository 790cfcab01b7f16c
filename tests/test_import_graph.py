"""The import graph of the package: no cycle, counting every import the code holds.

import-linter (`make lint`) checks the layers and who may import OR-Tools, scipy, click,
jinja2 and matplotlib; it sees module-level imports. This test reads every module with `ast`
and also counts the imports inside functions and under TYPE_CHECKING, which hide a cycle from
a module-level check but still tie the two modules together.
"""

from __future__ import annotations

import ast
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "matcher"
FRONT_ENDS = {
    "matcher.__main__",
    "matcher.cli",
    "matcher.web",
    "matcher.report",
    "matcher.proposals_book",
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _module_of(name: str) -> str | None:
    # `from matcher.report import charts` names a module; `from matcher.io import format_csv`
    # names its package.
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(tree: ast.AST) -> Iterator[tuple[ast.Import | ast.ImportFrom, list[str]]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield node, [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node, [f"{node.module}.{alias.name}" for alias in node.names]


def import_graph() -> dict[str, set[str]]:
    """Module → the modules of the package it imports, anywhere in its text."""
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for name, path in MODULES.items():
        for _, targets in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            for target in targets:
                found = _module_of(target) if target.split(".")[0] == "matcher" else None
                if found is not None and found != name:
                    graph[name].add(found)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a path that ends where it starts, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)) is not None:
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)) is not None:
            return cycle
    return None


def test_the_package_has_no_import_cycle() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, " → ".join(cycle or [])


def test_the_cycle_finder_finds_a_cycle_through_a_function_local_import() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_graph_counts_imports_inside_functions() -> None:
    # matcher.cli.options reads the policy registry only when help is shown.
    assert "matcher.policies" in import_graph()["matcher.cli.options"]


def _local_imports() -> Iterator[tuple[str, int, list[str]]]:
    for name, path in MODULES.items():
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        module_level = {id(node) for node in tree.body}
        type_checking = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for inner in ast.walk(node)
        }
        for node, _ in _imports(tree):
            if id(node) not in module_level and id(node) not in type_checking:
                yield name, node.lineno, text.splitlines()


@pytest.mark.parametrize(
    ("module", "line"), [(module, line) for module, line, _ in _local_imports()]
)
def test_an_import_inside_a_function_says_why(module: str, line: int) -> None:
    # Left only for a slow or optional dependency; the comment on it, or just above, says so.
    lines = next(text for name, at, text in _local_imports() if (name, at) == (module, line))
    nearby = lines[max(0, line - 4) : line]
    assert any("#" in text for text in nearby), f"{MODULES[module]}:{line}: {lines[line - 1]}"


def test_only_the_solvers_import_or_tools_and_scipy_optimize() -> None:
    # import-linter names external packages only at their root (scipy, not scipy.optimize).
    found = []
    for name, path in MODULES.items():
        for node, targets in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            solver = [t for t in targets if t.startswith(("ortools", "scipy.optimize"))]
            if solver and not name.startswith("matcher.solvers"):
                found.append(f"{path}:{node.lineno}")
    assert found == []


def _contracts() -> list[dict[str, object]]:
    pyproject = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    contracts: list[dict[str, object]] = pyproject["tool"]["importlinter"]["contracts"]
    return contracts


def _top_level() -> set[str]:
    return {".".join(name.split(".")[:2]) for name in MODULES if name != "matcher"}


def test_every_module_has_a_layer() -> None:
    # A new module or package is placed in the layers (pyproject.toml), so the contracts
    # cover it; import-linter ignores a module that no layer names.
    (layers,) = [c for c in _contracts() if c["type"] == "layers"]
    named = {part.strip() for layer in layers["layers"] for part in re.split(r"[|:]", layer)}  # type: ignore[attr-defined]
    assert sorted(_top_level() - named) == []


@pytest.mark.parametrize("forbidden", ["ortools", "click"])
def test_the_forbidden_contracts_name_every_module_but_their_own(forbidden: str) -> None:
    (contract,) = [c for c in _contracts() if forbidden in c.get("forbidden_modules", [])]  # type: ignore[operator]
    allowed = {"ortools": {"matcher.solvers"}, "click": FRONT_ENDS}[forbidden]
    assert sorted(_top_level() - allowed - set(contract["source_modules"])) == []  # type: ignore[arg-type]

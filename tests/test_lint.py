"""ruff and mypy as part of the one test command, and the layers' import rules."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_ruff() -> None:
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.slow
def test_mypy() -> None:
    proc = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_domain_does_not_import_qt() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for folder in ("models", "reports")
        for p in (ROOT / folder).rglob("*.py")
        if "PySide6" in p.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_no_generated_files_tracked() -> None:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    assert not [f for f in files if f.endswith((".sqlite3", ".db", ".pyc", ".pdf", ".xlsx", ".zpb"))]


#: The layers whose modules may import each other: each import runs one way.
_LAYERS = ("reports", "ui")


def _modules() -> dict[str, Path]:
    """Every module of reports/ and ui/ by its dotted name (a package by its own)."""
    found = {}
    for layer in _LAYERS:
        for path in (ROOT / layer).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _imports(modules: dict[str, Path]) -> tuple[dict[str, set[str]], list[str]]:
    """Each module's imports of the others (at the top or inside a function: a late
    import is still an arrow), and every ``from x import _name`` of another module."""
    graph: dict[str, set[str]] = {name: set() for name in modules}
    private = []
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                graph[name] |= {a.name for a in node.names if a.name in modules and a.name != name}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                # ``from reports.workbook import layout`` imports the submodule, not a name
                # of the package (whose __init__ Python runs first whatever is imported)
                names = [a.name for a in node.names if f"{node.module}.{a.name}" not in modules]
                if names and node.module in modules and node.module != name:
                    graph[name].add(node.module)
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    if sub in modules:
                        graph[name].add(sub)
                    elif alias.name.startswith("_") and node.module != name and \
                            node.module.split(".")[0] in (*_LAYERS, "models"):
                        private.append(f"{path.relative_to(ROOT)}:{node.lineno}: from {node.module} import {alias.name}")
    for name, imported in graph.items():
        imported.discard(name)
    return graph, private


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other, round a loop (Tarjan's components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while (w := stack.pop()) != v:
                group.append(w)
            if group:
                found.append(sorted([v, *group]))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle_under_reports_and_ui() -> None:
    graph, _private = _imports(_modules())
    assert _cycles(graph) == []


def test_no_private_name_imported_from_another_module() -> None:
    _graph, private = _imports(_modules())
    assert private == []


def test_a_cycle_is_found() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []

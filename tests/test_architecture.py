"""The package's shape: layers that show the flow data → analysis → notebooks → book.

Read from the source with ``ast`` (nothing is imported): every ``import`` and
``from … import`` in ``analysis/``, at module level or inside a function.

* Each sub-package has a layer; a module imports only from its own
  sub-package or from a lower layer (no upward arrow, so no circle between
  layers), and the module graph has no circle inside a layer either.
* Chapters and the presentation layer reach the data only through
  ``analysis.data.book`` (the ``Book`` of one reporting year).
* No module imports another module's private (``_``-prefixed) name.
* No module is much over 400 lines.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "analysis"
MAX_LINES = 420

LAYER = {
    "config": 0,
    "calc": 1,
    "data": 2,
    "present": 3,
    "intake": 3,
    "editions": 3,
    "chapters": 4,
    "pipeline": 4,
    "cli": 5,
}
"""Sub-package (or top-level module) → layer: imports point to a lower number or stay inside."""

DATA_DOOR = "analysis.data.book"
"""The one data module chapters and presentation may import."""


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(module: str, path: Path) -> list[tuple[str, list[str], int]]:
    """(imported module, names taken from it, line) for every import of ``analysis`` code."""
    return list(_imports_in(module, path, path.read_text(encoding="utf-8"), frozenset(_modules())))


@functools.lru_cache(maxsize=1024)
def _imports_in(module: str, path: Path, text: str, known: frozenset[str]) -> tuple[tuple[str, list[str], int], ...]:
    """``_imports`` of one text of the module (parsed once: every rule reads every module)."""
    found = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            found += [(a.name, [], node.lineno) for a in node.names if a.name.split(".")[0] == "analysis"]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, path, node)
            if target.split(".")[0] != "analysis":
                continue
            names = [a.name for a in node.names]
            # `from analysis.present import tables` imports the module analysis.present.tables
            subs = [n for n in names if f"{target}.{n}" in known]
            found += [(f"{target}.{n}", [], node.lineno) for n in subs]
            rest = [n for n in names if n not in subs]
            if rest:
                found.append((target, rest, node.lineno))
    return tuple(found)


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def _graph() -> dict[str, set[str]]:
    mods = _modules()
    return {m: {t for t, _, _ in _imports(m, p) if t in mods and t != m} for m, p in mods.items()}


def test_every_subpackage_has_a_layer():
    missing = sorted({_layer(m) for m in _modules()} - set(LAYER) - {None})
    assert not missing, f"sub-packages without a layer in LAYER: {missing}"


def test_no_import_points_upward():
    upward = []
    for module, path in _modules().items():
        own = _layer(module)
        if own is None:  # analysis/__init__.py: the notebooks' door, above everything (its imports are lazy)
            continue
        for target, _, line in _imports(module, path):
            other = _layer(target)
            if other is None or other == own:
                continue
            if LAYER[other] >= LAYER[own]:
                upward.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {target} (layer {other} is not below {own})")
    assert not upward, "\n".join(upward)


def test_no_circle_of_imports():
    graph = _graph()
    circles = []
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                circles.append(" -> ".join(stack[stack.index(nxt) :] + [nxt]))
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert not circles, "\n".join(circles)


@pytest.mark.parametrize("layer", ["chapters", "present"])
def test_chapters_and_presentation_reach_data_only_through_book(layer):
    direct = []
    for module, path in _modules().items():
        if _layer(module) != layer:
            continue
        for target, _, line in _imports(module, path):
            if _layer(target) == "data" and target != DATA_DOOR:
                direct.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {target}")
    assert not direct, "\n".join(direct)


def test_no_module_imports_a_private_name():
    private = []
    for module, path in _modules().items():
        for target, names, line in _imports(module, path):
            for n in names:
                if n.startswith("_") and not n.startswith("__"):
                    private.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {n} from {target}")
    assert not private, "\n".join(private)


def test_no_module_is_much_over_400_lines():
    sizes = {str(p.relative_to(PACKAGE.parent)): len(p.read_text(encoding="utf-8").splitlines()) for p in PACKAGE.rglob("*.py")}
    long = {name: n for name, n in sizes.items() if n > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_the_checks_see_a_planted_violation(tmp_path, monkeypatch):
    """The reader itself: an upward import and a private name in a fake module are found."""
    fake = tmp_path / "analysis"
    (fake / "calc").mkdir(parents=True)
    (fake / "present").mkdir()
    for d in (fake, fake / "calc", fake / "present"):
        (d / "__init__.py").write_text("")
    (fake / "calc" / "low.py").write_text("from analysis.present.high import _secret\n")
    (fake / "present" / "high.py").write_text("from analysis.calc import low\n_secret = 1\n")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", fake)
    with pytest.raises(AssertionError, match="low.py:1 imports analysis.present.high"):
        test_no_import_points_upward()
    with pytest.raises(AssertionError, match="imports _secret"):
        test_no_module_imports_a_private_name()
    with pytest.raises(AssertionError, match="low -> analysis.present.high"):
        test_no_circle_of_imports()

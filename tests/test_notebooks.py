"""Rules every chapter notebook in notebooks/ follows (the book's house style).

* the first cell is the papermill ``parameters`` cell with ``year`` and ``data_dir``;
* no markdown cell and no caption states a figure: no digits at all (every
  figure a reader sees is computed from data/);
* notebooks are thin: after the parameters and setup cells, every code cell is
  one call into ``analysis`` (no definitions, loops, assignments or arithmetic);
* every table has a ``tbl-`` label and a caption, every chart a ``fig-`` label,
  a caption and alt text; labels are unique across the book.
"""

import ast
import re

import nbformat
import pytest

from analysis.config import NOTEBOOKS, NOTEBOOKS_DIR

NOTEBOOK_PATHS = [NOTEBOOKS_DIR / f"{n}.ipynb" for n in NOTEBOOKS]
DIGIT = re.compile(r"\d")


def _options(source: str) -> dict[str, str]:
    opts = {}
    for line in source.splitlines():
        if not line.startswith("#|"):
            break
        key, _, value = line[2:].partition(":")
        opts[key.strip()] = value.strip().strip('"')
    return opts


def _body(source: str) -> str:
    return "\n".join(line for line in source.splitlines() if not line.startswith("#|"))


def test_every_notebook_exists():
    missing = [p.name for p in NOTEBOOK_PATHS if not p.exists()]
    assert missing == []


@pytest.fixture(params=[p for p in NOTEBOOK_PATHS if p.exists()], ids=lambda p: p.stem)
def nb(request):
    return request.param, nbformat.read(request.param, as_version=4)


def test_parameters_cell_first(nb):
    _, book = nb
    first = book.cells[0]
    assert first.cell_type == "code" and "parameters" in first.metadata.get("tags", [])
    tree = ast.parse(first.source)
    names = {t.id for stmt in tree.body for t in stmt.targets}
    assert names == {"year", "data_dir"}


def test_setup_cell_second(nb):
    _, book = nb
    assert "va.setup(year, data_dir)" in book.cells[1].source


def test_no_figures_typed_into_markdown(nb):
    path, book = nb
    offenders = [c.source[:80] for c in book.cells if c.cell_type == "markdown" and DIGIT.search(c.source)]
    assert offenders == [], f"{path.name}: markdown cells with digits"


def test_first_heading_has_section_id(nb):
    path, book = nb
    md = next(c for c in book.cells if c.cell_type == "markdown")
    assert re.match(r"# .+ \{#sec-[a-z0-9-]+\}", md.source), md.source[:80]


def test_code_cells_are_one_call(nb):
    path, book = nb
    for cell in book.cells[2:]:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(_body(cell.source))
        assert len(tree.body) == 1, f"{path.name}: more than one statement in {cell.source[:80]!r}"
        stmt = tree.body[0]
        assert isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call), f"{path.name}: not a single call: {cell.source[:80]!r}"
        for node in ast.walk(stmt):
            assert not isinstance(node, ast.BinOp | ast.Lambda | ast.ListComp | ast.GeneratorExp | ast.IfExp), (
                f"{path.name}: logic in {cell.source[:80]!r}"
            )


def test_tables_and_figures_have_captions(nb):
    path, book = nb
    for cell in book.cells:
        if cell.cell_type != "code":
            continue
        opts = _options(cell.source)
        body = _body(cell.source)
        if ".tab_" in body:
            assert opts.get("label", "").startswith("tbl-"), f"{path.name}: table without tbl- label: {body[:60]}"
            assert opts.get("tbl-cap"), f"{path.name}: table without caption"
        if ".chart_" in body:
            assert opts.get("label", "").startswith("fig-"), f"{path.name}: chart without fig- label: {body[:60]}"
            assert opts.get("fig-cap") and opts.get("fig-alt"), f"{path.name}: chart without caption or alt text"
        for key in ("tbl-cap", "fig-cap", "fig-alt"):
            assert not DIGIT.search(opts.get(key, "")), f"{path.name}: a figure typed into {key}"


def test_labels_unique_across_book():
    labels = []
    for p in NOTEBOOK_PATHS:
        if p.exists():
            for c in nbformat.read(p, as_version=4).cells:
                if c.cell_type == "code" and "label" in _options(c.source):
                    labels.append(_options(c.source)["label"])
    assert len(labels) == len(set(labels)), [x for x in labels if labels.count(x) > 1]


def test_ids_match_labels():
    # a builder's id is its label without the tbl-/fig- prefix, so the HTML ids it derives are unique too
    for p in NOTEBOOK_PATHS:
        if not p.exists():
            continue
        for c in nbformat.read(p, as_version=4).cells:
            opts = _options(c.source)
            m = re.search(r'id="([^"]+)"', _body(c.source))
            if "label" in opts and m:
                assert opts["label"].split("-", 1)[1] == m.group(1), f"{p.name}: label {opts['label']} vs id {m.group(1)}"

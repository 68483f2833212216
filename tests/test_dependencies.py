"""A chapter runs again exactly when a file it read has changed, so an incremental build is never stale.

On a private copy of the project (the real notebooks, a copy of ``data/``, a snapshot of ``analysis/`` that
the chapters' kernels import through ``PYTHONPATH``, so edits made while the test runs do not count):

* an independent oracle of what each chapter reads: its notebook's code run in this process with an audit
  hook noting every file of ``data/`` opened (except by the validation's fingerprint, a gate and not a
  dependency);
* for every file in ``data/`` (each resource of the descriptor, ``checks.yaml``, the descriptor, the
  observation schema, the README): change one value; the build must plan exactly the chapters that opened
  it (``test_build_reruns_exactly_the_readers``);
* for every chapter: change one value in *every* file it did not open, all at once; the incremental build
  skips it, and ``run --force`` in a second book folder writes the same bytes
  (``test_skipped_chapter_equals_a_forced_run``). The chapters that did read a changed file run in both
  ways, so comparing them would only test determinism (``test_build``); the forced runs are limited to
  the skipped chapter to keep the test near a minute.
"""

from __future__ import annotations

import ast
import csv
import functools
import io
import json
import os
import shutil
import sys
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from analysis import config
from analysis.data.package import read_descriptor
from analysis.data.validate import cached_problems
from analysis.pipeline import keys, run, state
from analysis.pipeline.kernels import KernelPool
from helpers import kernels_per_worker

ROOT = config.PROJ_ROOT
NAMES = list(config.NOTEBOOKS)
YEAR = 2018

# --------------------------------------------------------------------------- one change per file


def _tweak_number(text: str) -> str:
    """One step of its last printed digit, towards zero (the data stay valid): 4.7 -> 4.6, -759.2 -> -759.1."""
    old = Decimal(text)
    step = Decimal(1).scaleb(old.as_tuple().exponent)
    return str(old - step if old > 0 else old + step)


def change_one_value(path: Path) -> None:
    """Change one value of a data file, keeping ``data/`` valid."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".csv":
        rows = list(csv.reader(io.StringIO(text)))
        head = rows[0]
        if len(rows) == 1:  # no value to change (the empty changelog): add a row its schema accepts
            rows.append([_valid_cell(f) for f in _fields(path)])
        elif "value" in head:
            col = head.index("value")
            bound = _same_facts(path.parent).get(path.stem, {})  # a value another dataset must repeat stays as it is

            def free(row: list[str]) -> bool:
                if not {"indicator", "group", "year"} <= set(head):
                    return True
                years = bound.get((row[head.index("indicator")], row[head.index("group")]), ())
                return years != "all" and int(row[head.index("year")]) not in years

            candidates = [i for i in range(1, len(rows)) if rows[i][col] and free(rows[i])]
            idx = max((i for i in candidates if "year" in head and rows[i][head.index("year")] == str(YEAR)), default=candidates[-1])
            rows[idx][col] = _tweak_number(rows[idx][col])
        else:
            col = head.index("label") if "label" in head else len(head) - 1
            rows[-1][col] += " (endret)"
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")
    elif path.suffix == ".yaml":
        lines = text.split("\n")
        i = next(i for i, line in enumerate(lines) if line.lstrip().startswith(("title:", "- title:")) and i > 0)
        lines[i] += " (endret)"
        path.write_text("\n".join(lines), encoding="utf-8")
    else:
        path.write_text(text + "\nEndret.\n", encoding="utf-8")


def _same_facts(data: Path) -> dict[str, dict[tuple[str, str], object]]:
    """Dataset -> {(indicator, group): the years ("all" or a list)} that ``checks.yaml`` declares one fact with another dataset."""
    return _same_facts_in((data / config.CHECKS_FILE).read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=4)
def _same_facts_in(text: str) -> dict[str, dict[tuple[str, str], object]]:
    """``_same_facts`` of one text of ``checks.yaml`` (parsed once: every changed file asks)."""
    import yaml

    checks = yaml.safe_load(text) or []
    entries = checks if isinstance(checks, list) else checks.get("checks", [])
    bound: dict[str, dict[tuple[str, str], object]] = {}
    for entry in entries:
        for ref in entry.get("same_fact", []) if isinstance(entry, dict) else []:
            years = [int(y) for y in entry["years"]] if entry.get("years") else "all"
            bound.setdefault(ref["dataset"], {})[(ref["indicator"], ref["group"])] = years
    return bound


def _fields(path: Path) -> list[dict]:
    (res,) = [r for r in read_descriptor(path.parent)["resources"] if r.get("path") == path.name]
    return res["schema"]["fields"]


def _valid_cell(field: dict) -> str:
    known = {"dataset": "osu_arsverk", "indicator": "arsverk", "group": "kommunen"}  # ids the lookups hold
    if field["name"] in known:
        return known[field["name"]]
    c = field.get("constraints", {})
    if c.get("enum"):
        return str(c["enum"][0])
    if c.get("pattern") == "[0-9a-f]{64}":
        return "0" * 64
    return {"datetime": "2019-01-01T00:00:00", "integer": str(YEAR), "number": "1"}.get(field.get("type", "string"), "x")


def data_files(data: Path) -> list[str]:
    """Every resource of the descriptor, the descriptor, the checks, the schema and the README."""
    files = [r["path"] for r in read_descriptor(data)["resources"]]
    return sorted({*files, config.DESCRIPTOR, config.CHECKS_FILE, "observation.schema.yaml", "README.md"})


# --------------------------------------------------------------------------- the oracle: what a chapter opens

_OPENED: dict[str, set[str]] = {}
_WATCH: list[tuple[Path, set[str]]] = []  # (data folder, names opened) while a chapter runs in-process
_GATES = {"_fingerprint", "_validated", "validate_data"}


def _audit(event: str, args: tuple) -> None:
    if event != "open" or not _WATCH or not isinstance(args[0], str | bytes | os.PathLike):
        return
    _note(args[0])


def _note(file) -> None:
    folder, opened = _WATCH[-1]
    path = Path(os.fsdecode(file)).resolve()
    if path.parent != folder:
        return
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name in _GATES:
            return
        frame = frame.f_back
    opened.add(path.name)


def _run_cells_in_process(notebook: Path, data: Path) -> None:
    """Execute a notebook's code cells here (parameters overridden), rendering each cell's result like Jupyter."""
    ns: dict = {}
    cells = [c for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    for i, cell in enumerate(cells):
        src = "".join(cell["source"])
        if i == 0:
            src += f"\nyear = {YEAR}\ndata_dir = {str(data)!r}"
        tree = ast.parse(src)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, f"{notebook.name}[{i}]", "exec"), ns)  # noqa: S102 - the project's own notebooks
        if last is not None:
            value = eval(compile(ast.Expression(last.value), f"{notebook.name}[{i}]", "eval"), ns)  # noqa: S307
            for method in ("_repr_mimebundle_", "_repr_html_", "_repr_markdown_"):
                if hasattr(value, method):
                    getattr(value, method)()
                    break


def opened_by(name: str, tmp: Path) -> set[str]:
    """Files of a fresh copy of ``data/`` that chapter ``name`` opens (cached per session)."""
    if name not in _OPENED:
        data = tmp / f"oracle-{name}" / "data"
        shutil.copytree(config.DATA_DIR, data)
        shutil.copytree(config.NARRATIVE_DIR, data.parent / "narrative")  # the text: beside the data, not part of it
        opened: set[str] = set()
        _WATCH.append((data.resolve(), opened))
        read_csv = pl.read_csv  # polars opens files in Rust, out of the audit hook's sight

        def noting_read_csv(source, *args, **kwargs):
            if isinstance(source, str | os.PathLike):
                _note(source)
            return read_csv(source, *args, **kwargs)

        # validated here, unwatched (a fresh checkout has no stamp of passed data): the chapter's run opens
        # only what the chapter itself reads (every read of the descriptor opens it: analysis.data.package.load_yaml)
        assert cached_problems(data) == []
        try:
            with pytest.MonkeyPatch.context() as mp:
                mp.setattr(pl, "read_csv", noting_read_csv)
                _run_cells_in_process(config.NOTEBOOKS_DIR / f"{name}.ipynb", data)
        finally:
            _WATCH.pop()
        _OPENED[name] = opened
    return _OPENED[name]


# --------------------------------------------------------------------------- the project copy


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory):
    """Notebooks, data and an ``analysis`` snapshot in a temporary folder, with every chapter run once."""
    tmp = tmp_path_factory.mktemp("dependencies")
    src = tmp / "src"
    shutil.copytree(ROOT / "analysis", src / "analysis", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", src / "pyproject.toml")  # the data validator's cache key reads it
    shutil.copytree(ROOT / "notebooks", tmp / "notebooks")
    shutil.copytree(config.DATA_DIR, tmp / "pristine")
    shutil.copytree(config.DATA_DIR, tmp / "data")
    shutil.copytree(config.NARRATIVE_DIR, tmp / "narrative")
    p = {"tmp": tmp, "notebooks": tmp / "notebooks", "data": tmp / "data", "book": tmp / "book", "state": tmp / ".build"}
    sys.addaudithook(_audit)  # inert unless a chapter runs in-process (_WATCH)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PYTHONPATH", os.pathsep.join([str(src), *filter(None, [os.environ.get("PYTHONPATH")])]))
        mp.setattr(keys, "package_hash", lambda: "pinned")  # the analysis source may be edited while the test runs
        with KernelPool(kernels_per_worker()) as pool:  # its kernels import the snapshot (PYTHONPATH); every run here uses them
            p["pool"] = pool
            run.run_notebooks(
                NAMES, year=YEAR, notebooks_dir=p["notebooks"], book_dir=p["book"], state_dir=p["state"], data_dir=p["data"], pool=pool
            )
            yield p


def _restore(p: dict) -> None:
    shutil.rmtree(p["data"])
    shutil.copytree(p["tmp"] / "pristine", p["data"])


def _outdated(p: dict, names=NAMES, book=None, state_dir=None) -> list[str]:
    params = keys.parameters_for(YEAR, p["data"])
    st = state.read_state(state_dir or p["state"])
    return state.plan(names, params, False, notebooks_dir=p["notebooks"], book_dir=book or p["book"], data_dir=p["data"], state=st)[1]


def test_build_reruns_exactly_the_readers(project):
    p = project
    readers_of = {n: opened_by(n, p["tmp"]) for n in NAMES}
    assert _outdated(p) == [], "nothing changed yet"
    wrong = {}
    for file in data_files(p["data"]):
        change_one_value(p["data"] / file)
        expected = [n for n in NAMES if file in readers_of[n]]
        planned = _outdated(p)
        if planned != expected:
            wrong[file] = {"read by": expected, "build would run": planned}
        _restore(p)
    assert not wrong, json.dumps(wrong, indent=1, ensure_ascii=False)


def test_build_reruns_exactly_the_chapter_whose_text_changed(project):
    """The text is data a chapter reads: a changed block (or its review record) runs that chapter again, no other."""
    p = project
    edition = p["tmp"] / "narrative" / str(YEAR)
    files = sorted(edition.glob("*.md"))
    assert files, "the project copy has the edition's text"
    wrong = {}
    for path in [*files, *(edition / f"{f.stem}.review.json" for f in files)]:
        before = path.read_bytes() if path.exists() else None
        if path.suffix == ".md":
            path.write_text(path.read_text(encoding="utf-8").replace("\n\n", "\n\nEndret tekst.\n\n", 1), encoding="utf-8")
        else:
            path.write_text('{"blocks": {}}\n', encoding="utf-8")  # a review record appears
        planned = _outdated(p)
        if planned != [path.name.split(".")[0]]:
            wrong[path.name] = planned
        if before is None:
            path.unlink()
        else:
            path.write_bytes(before)
    assert not wrong, wrong
    assert _outdated(p) == []


@pytest.mark.parametrize("name", NAMES)
def test_skipped_chapter_equals_a_forced_run(project, name):
    p = project
    unread = [f for f in data_files(p["data"]) if f not in opened_by(name, p["tmp"])]
    if not unread:
        pytest.skip(f"{name} reads every data file")
    try:
        for file in unread:
            change_one_value(p["data"] / file)
        incremental = run.run_notebooks(
            [name], year=YEAR, notebooks_dir=p["notebooks"], book_dir=p["book"], state_dir=p["state"], data_dir=p["data"], pool=p["pool"]
        )
        assert incremental.skipped == [name], f"{name} read none of {unread}, yet the build runs it"
        forced_book, forced_state = p["tmp"] / f"forced-{name}", p["tmp"] / f".build-forced-{name}"
        run.run_notebooks(
            [name],
            year=YEAR,
            force=True,
            notebooks_dir=p["notebooks"],
            book_dir=forced_book,
            state_dir=forced_state,
            data_dir=p["data"],
            pool=p["pool"],
        )
        kept, fresh = (p["book"] / f"{name}.ipynb").read_bytes(), (forced_book / f"{name}.ipynb").read_bytes()
        assert kept == fresh, f"{name} is stale after changing {unread}"
    finally:
        _restore(p)

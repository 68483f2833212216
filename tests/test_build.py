"""The build: run (papermill on a pool of warm kernels, or a process per chapter), render (Quarto), post-render.

Notebooks here are the SYNTHETIC fixtures in tests/fixtures/notebooks/ (see
tests/fixtures/make_fixtures.py), run on the synthetic data package in
tests/fixtures/data/, in temporary folders: the real book/ is never touched.
Quarto is replaced by a small fake executable (via ``$QUARTO``) or hidden.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from analysis import config
from analysis.cli import main as cli
from analysis.pipeline import errors, keys, notebook, render, run, state

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ROOT = config.PROJ_ROOT
runner = CliRunner()


# --------------------------------------------------------------------------- helpers


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kernel_pool) -> dict:
    """A private project: copies of the fixture notebooks and data, empty book/ and .build/, the shared warm kernels.

    The ``analysis`` source hash is pinned: the package may be edited while the tests run.
    """
    monkeypatch.setattr(keys, "package_hash", lambda: "pinned")
    paths = {
        "notebooks": tmp_path / "notebooks",
        "data": tmp_path / "data",
        "book": tmp_path / "book",
        "state": tmp_path / ".build",
        "root": tmp_path,
        "pool": kernel_pool,
    }
    shutil.copytree(FIXTURES / "notebooks", paths["notebooks"])
    shutil.copytree(FIXTURES / "data", paths["data"])
    for year in (2017, 2018):  # editions of the text, empty: the fixture chapters place no block
        (tmp_path / "narrative" / str(year)).mkdir(parents=True)
    return paths


def _run(p: dict, names=("tiny_a", "tiny_b"), **kw) -> run.RunResult:
    kw.setdefault("pool", p["pool"])
    return run.run_notebooks(list(names), notebooks_dir=p["notebooks"], book_dir=p["book"], state_dir=p["state"], data_dir=p["data"], **kw)


def _dirs(p: dict[str, Path]) -> dict[str, Path]:
    return {"book_dir": p["book"], "state_dir": p["state"], "data_dir": p["data"]}


def _differences(got: dict[str, bytes], want: dict[str, bytes]) -> str:
    """The lines in which two snapshots differ, file by file (for an assertion's message)."""
    import difflib

    out = []
    for name in sorted(set(got) | set(want)):
        a, b = want.get(name, b"").decode("utf-8", "replace"), got.get(name, b"").decode("utf-8", "replace")
        if a != b:
            out += [f"--- {name}", *list(difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=1))[2:40]]
    return "\n".join(out)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _use_project(monkeypatch: pytest.MonkeyPatch, p: dict[str, Path], names: tuple[str, ...]) -> None:
    """Point config (read by the CLI at call time) at the private project."""
    monkeypatch.setattr(config, "NOTEBOOKS", names)
    monkeypatch.setattr(config, "NOTEBOOKS_DIR", p["notebooks"])
    monkeypatch.setattr(config, "BOOK_DIR", p["book"])
    monkeypatch.setattr(config, "STATE_DIR", p["state"])
    monkeypatch.setattr(config, "PROJ_ROOT", p["root"])
    monkeypatch.setattr(config, "OUTPUT_DIR", p["root"] / "_book")


def _load_post_render():
    """tools/post_render.py, a standalone script (Quarto runs it), loaded as a module."""
    return render.post_render_module()


# --------------------------------------------------------------------------- run: parameters and hashing


def test_default_data_dir_is_not_injected(tmp_path: Path):
    assert keys.parameters_for(2018) == {"year": 2018}
    assert keys.parameters_for(2018, config.DATA_DIR) == {"year": 2018}
    assert keys.parameters_for(2017, tmp_path) == {"year": 2017, "data_dir": str(tmp_path.resolve())}


def test_each_run_records_the_files_it_read_and_their_hashes(project):
    _run(project, year=2017)
    chapters = json.loads((project["state"] / "state.json").read_text(encoding="utf-8"))["chapters"]
    for name, dataset in (("tiny_a", "osu_obs"), ("tiny_b", "digit_obs")):
        sha = hashlib.sha256((project["data"] / f"{dataset}.csv").read_bytes()).hexdigest()
        assert chapters[name]["reads"] == {f"{dataset}.csv": {"name": dataset, "sha256": sha}}
        assert keys.stale_reads(chapters[name]["reads"], project["data"]) == []
    with open(project["data"] / "digit_obs.csv", "a", encoding="utf-8") as f:
        f.write("2018,digit_c,kommunen,1.5\n")
    assert keys.stale_reads(chapters["tiny_b"]["reads"], project["data"]) == ["digit_obs.csv"]
    (project["data"] / "osu_obs.csv").unlink()
    assert keys.stale_reads(chapters["tiny_a"]["reads"], project["data"]) == ["osu_obs.csv"]  # gone counts as changed


def test_a_run_that_records_nothing_depends_on_all_data(project):
    _run(project, names=("kilder",))  # reads data/ without the data layer: no record
    entry = json.loads((project["state"] / "state.json").read_text(encoding="utf-8"))["chapters"]["kilder"]
    assert entry["reads"] is None and entry["data"]
    assert _run(project, names=("kilder",)).skipped == ["kilder"]
    (project["data"] / "README.md").write_text("changed\n", encoding="utf-8")
    assert list(_run(project, names=("kilder",)).executed) == ["kilder"]


def test_data_layer_records_every_read(data_copy):
    from analysis.data import load as data

    data.clear_reads()
    data.load_observations("osu_arsverk", data_copy)
    data.load_table("groups", data_copy)
    data.load_checks(data_copy)
    got = {Path(r["path"]).name: (r["name"], r["sha256"]) for r in data.reads()}
    expected = {"osu_arsverk.csv": "osu_arsverk", "groups.csv": "groups", "checks.yaml": "checks", "datapackage.yaml": "datapackage"}
    for file, name in expected.items():
        assert got[file] == (name, hashlib.sha256((data_copy / file).read_bytes()).hexdigest()), file
    assert [r["path"] for r in data.reads()] == sorted(r["path"] for r in data.reads())
    data.clear_reads()


def test_key_covers_notebook_code_and_parameters(project, monkeypatch):
    def key(year=2018):
        params = keys.parameters_for(year, project["data"])
        return keys.chapter_key("tiny_a", params, notebooks_dir=project["notebooks"])

    base = key()
    assert key(2017) != base
    monkeypatch.setattr(keys, "package_hash", lambda: "edited")
    assert key() != base
    monkeypatch.setattr(keys, "package_hash", lambda: "pinned")
    assert key() == base
    nb = project["notebooks"] / "tiny_a.ipynb"
    nb.write_text(nb.read_text(encoding="utf-8").replace("total:.1f", "total:.2f"), encoding="utf-8")
    assert key() != base


# --------------------------------------------------------------------------- run: incremental, atomic, deterministic


def test_incremental_skip_force_and_fine_grained_data(project):
    first = _run(project, year=2017)
    assert sorted(first.executed) == ["tiny_a", "tiny_b"] and first.skipped == []
    before = _snapshot(project["book"])

    again = _run(project, year=2017)
    assert again.executed == {} and again.skipped == ["tiny_a", "tiny_b"]

    forced = _run(project, year=2017, force=True)
    assert sorted(forced.executed) == ["tiny_a", "tiny_b"]
    assert _snapshot(project["book"]) == before  # deterministic: same inputs, same bytes

    with open(project["data"] / "digit_obs.csv", "a", encoding="utf-8") as f:  # only tiny_b reads it (its record says so)
        f.write("2018,digit_c,kommunen,1.5\n")
    assert state.outdated(["tiny_a", "tiny_b"], year=2017, notebooks_dir=project["notebooks"], **_dirs(project)) == ["tiny_b"]
    assert list(_run(project, year=2017).executed) == ["tiny_b"]

    assert sorted(_run(project, year=2018).executed) == ["tiny_a", "tiny_b"]  # parameters changed

    (project["book"] / "tiny_a.ipynb").write_text("{}", encoding="utf-8")  # output no longer the one we wrote
    assert list(_run(project, year=2018).executed) == ["tiny_a"]


def test_failing_chapter_leaves_book_untouched_and_is_reported(project):
    _run(project)
    before = _snapshot(project["book"])
    state_before = (project["state"] / "state.json").read_bytes()
    shutil.copy(project["notebooks"] / "broken.ipynb", project["notebooks"] / "tiny_a.ipynb")

    with pytest.raises(errors.ChapterRunError) as info:
        _run(project, force=True)  # tiny_b succeeds, tiny_a fails: nothing moves

    assert _snapshot(project["book"]) == before
    assert (project["state"] / "state.json").read_bytes() == state_before
    (failure,) = info.value.failures
    assert (failure.chapter, failure.cell, failure.ename, failure.evalue) == ("tiny_a", 4, "ZeroDivisionError", "division by zero")
    assert failure.first_line == "share = x / 0  # fails on purpose"
    assert "Traceback" not in str(info.value)
    assert Path(failure.saved).exists() and Path(failure.saved).parent == project["state"] / "failed"
    assert not list(project["state"].glob("run-*"))  # the temporary run folder is gone


def test_executed_notebooks_carry_no_timing_metadata(project):
    _run(project, year=2017)
    for path in project["book"].glob("*.ipynb"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", text), f"timestamp in {path.name}"
        nb = json.loads(text)
        assert nb["metadata"]["papermill"] == {"parameters": {"year": 2017, "data_dir": str(project["data"].resolve())}}
        for cell in nb["cells"]:
            assert not {"papermill", "execution"} & set(cell["metadata"]), cell["id"]
        tags = {c["id"]: c["metadata"].get("tags", []) for c in nb["cells"]}
        assert tags["parameters"] == ["parameters"] and tags["injected-parameters"] == ["injected-parameters"]


# --------------------------------------------------------------------------- the kernel pool


def _notebook(path: Path, *sources: str) -> None:
    """A notebook with a ``parameters`` cell (``year``, ``data_dir``) and then one code cell per source."""
    import nbformat

    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nb.cells = [nbformat.v4.new_code_cell("year = 2018\ndata_dir = None", metadata={"tags": ["parameters"]})]
    nb.cells += [nbformat.v4.new_code_cell(src) for src in sources]
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"
    nbformat.write(nb, path)


LEAKY = (
    "import os, warnings\nLEAK = 1\nwarnings.warn('from leaky')\nwarnings.simplefilter('ignore')\nos.chdir('/')",
    "from analysis.data import package\npackage.read_descriptor(data_dir)['name']",
)
PROBE = (
    "import os, warnings\nprint(sorted(k for k in globals() if not k.startswith('_')))\nprint(os.path.basename(os.getcwd()))",
    "warnings.warn('from probe')\nwarnings.warn('from leaky')",
    "from analysis.data import package\npackage.read_descriptor(data_dir)['name']",
)


def test_a_chapter_on_a_used_kernel_is_as_on_a_fresh_one(project):
    """On one kernel, after a chapter that leaves names, warnings, filters and a working folder behind,
    the next chapter writes the bytes and read record a papermill process of its own writes."""
    _notebook(project["notebooks"] / "leaky.ipynb", *LEAKY)
    _notebook(project["notebooks"] / "probe.ipynb", *PROBE)
    from analysis.pipeline.kernels import KernelPool

    with KernelPool(1) as one:
        _run(project, names=("leaky", "probe"), pool=one, force=True)  # in this order, on the one kernel

    def probe_bytes() -> bytes:  # a warning names the kernel's temporary folder, /tmp/ipykernel_<pid>/
        return re.sub(rb"ipykernel_[0-9]+", b"ipykernel_N", (project["book"] / "probe.ipynb").read_bytes())

    pooled = probe_bytes()
    pooled_reads = json.loads((project["state"] / "state.json").read_text(encoding="utf-8"))["chapters"]["probe"]["reads"]
    _run(project, names=("probe",), pool=None, engine="processes", force=True)
    assert pooled == probe_bytes()
    assert pooled_reads == json.loads((project["state"] / "state.json").read_text(encoding="utf-8"))["chapters"]["probe"]["reads"]
    probe = json.loads(pooled)["cells"]
    assert "LEAK" not in "".join(probe[2]["outputs"][0]["text"]) and "book" in "".join(probe[2]["outputs"][0]["text"])
    assert "from leaky" in "".join(probe[3]["outputs"][0]["text"])  # warned again: the registry is fresh, the filter gone
    assert [c.get("execution_count") for c in probe if c["cell_type"] == "code"] == [1, 2, 3, 4, 5]
    assert list(pooled_reads) == ["datapackage.yaml"]  # read by leaky before, on the same kernel: recorded again


def test_a_chapter_that_kills_its_kernel_fails_alone(project):
    """The chapter is reported (chapter, error), the others on the same kernel still run, and the kernel is replaced."""
    _notebook(project["notebooks"] / "killer.ipynb", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)")
    from analysis.pipeline.kernels import KernelPool

    with KernelPool(1, warm="import os") as one:  # the chapters here import nothing of the book's: no need to warm two kernels with it
        with pytest.raises(errors.ChapterRunError) as info:
            _run(project, names=("killer", "tiny_a", "tiny_b"), pool=one)
        (failure,) = info.value.failures
        assert (failure.chapter, failure.ename) == ("killer", "DeadKernelError"), failure
        assert "Traceback" not in str(info.value) and Path(failure.log).exists()
        assert not project["book"].exists() or not list(project["book"].glob("*.ipynb"))
        assert sorted(_run(project, pool=one).executed) == ["tiny_a", "tiny_b"]  # the pool still runs chapters


def test_both_engines_write_the_same_bytes(project):
    _run(project, year=2017)
    pooled = _snapshot(project["book"])
    _run(project, year=2017, force=True, pool=None, engine="processes", jobs=2)
    processed = _snapshot(project["book"])
    assert processed == pooled, _differences(processed, pooled)


def _printed(book: Path, name: str) -> str:
    cells = json.loads((book / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
    return "".join("".join(o.get("text", "")) for c in cells if c["cell_type"] == "code" for o in c.get("outputs", [])).strip()


def test_each_engine_tells_the_chapter_where_to_keep_its_charts(project, monkeypatch, tmp_path):
    from analysis.present.png import CHARTS_ENV

    monkeypatch.delenv(CHARTS_ENV, raising=False)
    _run(project, names=("tiny_charts",))  # the warm kernels: the state folder's charts/
    assert _printed(project["book"], "tiny_charts") == str((project["state"] / "charts").resolve())
    monkeypatch.setenv(CHARTS_ENV, str(tmp_path / "elsewhere"))
    _run(project, names=("tiny_charts",), force=True, pool=None, engine="processes", jobs=1)  # the folder the variable names
    assert _printed(project["book"], "tiny_charts") == str((tmp_path / "elsewhere").resolve())


def test_clean_notebook_strips_papermill_timing():
    nb = {
        "metadata": {"papermill": {"duration": 1.2, "start_time": "2026-01-01T00:00:00", "input_path": "/x", "parameters": {"year": 2018}}},
        "cells": [
            {
                "id": "9f3a",
                "metadata": {"tags": ["injected-parameters"], "papermill": {"duration": 0.1}, "execution": {"iopub.status.busy": "t"}},
            },
            {"id": "b", "metadata": {"tags": [], "papermill": {"status": "completed"}}},
        ],
    }
    cleaned = notebook.clean_notebook(nb)
    assert cleaned["metadata"] == {"papermill": {"parameters": {"year": 2018}}}
    assert cleaned["cells"] == [
        {"id": "injected-parameters", "metadata": {"tags": ["injected-parameters"]}},
        {"id": "b", "metadata": {}},
    ]


# --------------------------------------------------------------------------- CLI: run


def test_cli_run_reports_chapter_cell_and_error(project, monkeypatch):
    _use_project(monkeypatch, project, ("tiny_a", "broken"))
    monkeypatch.setattr("analysis.data.validate.validate_data", lambda data_dir: [])
    result = runner.invoke(cli.app, ["run", "--year", "2018", "--data-dir", str(project["data"]), "--jobs", "2"])
    assert result.exit_code == cli.EXIT_CHAPTER, result.output
    assert "chapter 'broken', cell 4 (In [4]): `share = x / 0  # fails on purpose`" in result.output
    assert "ZeroDivisionError: division by zero" in result.output
    assert "Traceback" not in result.output
    assert not project["book"].exists() or not list(project["book"].glob("*.ipynb"))


def test_cli_run_stops_on_invalid_data(project, monkeypatch):
    _use_project(monkeypatch, project, ("tiny_a",))
    (project["data"] / "datapackage.yaml").unlink()
    result = runner.invoke(cli.app, ["run", "--data-dir", str(project["data"])])
    assert result.exit_code == cli.EXIT_DATA
    assert "datapackage.yaml" in result.output and "nothing was run" in result.output
    assert not project["state"].exists()


def test_cli_run_rejects_unknown_chapter(project, monkeypatch):
    _use_project(monkeypatch, project, ("tiny_a",))
    monkeypatch.setattr("analysis.data.validate.validate_data", lambda data_dir: [])
    result = runner.invoke(cli.app, ["run", "--chapter", "nope", "--data-dir", str(project["data"])])
    assert result.exit_code == 2 and "unknown chapter" in result.output


# --------------------------------------------------------------------------- render


def test_missing_quarto_message_and_exit_4(tmp_path, monkeypatch):
    monkeypatch.setenv("QUARTO", str(tmp_path / "no-quarto-here"))
    result = runner.invoke(cli.app, ["render"])
    assert result.exit_code == cli.EXIT_NO_QUARTO
    for way in ("conda env create -f environment.yml", "https://quarto.org/docs/get-started/", "pip install quarto-cli"):
        assert way in result.output


@pytest.mark.skipif((Path(sys.executable).parent / "quarto").exists(), reason="quarto is installed in this venv")
def test_missing_quarto_with_path_stripped(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "QUARTO"} | {"PATH": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-m", "analysis.cli", "render"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert proc.returncode == 4, proc.stderr
    assert "pip install quarto-cli" in proc.stderr


FAKE_QUARTO = """#!{python}
# A stand-in for `quarto render --output-dir DIR [--to FMT] [--no-clean]`: writes pages like Quarto's.
import os, sys
from pathlib import Path
args = sys.argv[1:]
assert args[0] == "render", args
out = Path(args[args.index("--output-dir") + 1])
to = args[args.index("--to") + 1] if "--to" in args else "all"
Path("quarto-args.txt").write_text(" ".join(args))
if os.environ.get("FAKE_QUARTO_FAIL"):
    Path("index.typ").write_text("// what a failed Typst compile leaves in the project root")
    (Path("book") / "a_files").mkdir(parents=True, exist_ok=True)
    print("ERROR: something broke", file=sys.stderr)
    sys.exit(1)
head = ('<script src="https://cdn.jsdelivr.net/npm/requirejs@2.3.6/require.min.js" crossorigin="anonymous"></script>'
        '<script src="assets/vega-bundle.js" data-vega-bundle></script>')
if to in ("html", "all"):
    (out / "book").mkdir(parents=True, exist_ok=True)
    (out / "index.html").write_text("<html><head>" + head + "</head><body>Forord</body></html>")
    (out / "book" / "osu.html").write_text("<html><head>" + head + "</head><body>OSU</body></html>")
if to in ("typst", "all"):
    out.mkdir(parents=True, exist_ok=True)
    (out / "virksomhetsanalyse.pdf").write_text("%PDF-fake " + os.environ.get("FAKE_STAMP", ""))
"""


@pytest.fixture
def render_project(tmp_path, monkeypatch) -> dict[str, Path]:
    """A project with two executed chapters (year 2017) and a fake quarto in $QUARTO."""
    book = tmp_path / "book"
    book.mkdir()
    for name in ("a", "b"):
        nb = {"cells": [], "metadata": {"papermill": {"parameters": {"year": 2017}}}, "nbformat": 4, "nbformat_minor": 5}
        (book / f"{name}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    fake = tmp_path / "fake-quarto"
    fake.write_text(FAKE_QUARTO.format(python=sys.executable), encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("QUARTO", str(fake))
    monkeypatch.delenv("FAKE_QUARTO_FAIL", raising=False)
    return {"root": tmp_path, "book": book, "out": tmp_path / "_book"}


def _render(p, to="all", force=False):
    return render.render_book(to, root=p["root"], book_dir=p["book"], output_dir=p["out"], names=("a", "b"), force=force)


def test_render_swaps_in_a_clean_book(render_project):
    p = render_project
    _render(p)
    assert (p["root"] / "quarto-args.txt").read_text().startswith("render --output-dir _book.tmp")
    osu = (p["out"] / "book" / "osu.html").read_text()
    index = (p["out"] / "index.html").read_text()
    assert "cdn.jsdelivr" not in osu + index  # post-render clean-up applied
    assert 'src="assets/vega-bundle.js"' in osu and 'src="book/assets/vega-bundle.js"' in index
    assert (p["book"] / "assets" / "vega-bundle.js").stat().st_size > 100_000
    assert 'subtitle: "Rapporteringsår 2017"' in (p["root"] / "_quarto-year.yml").read_text(encoding="utf-8")
    assert not (p["root"] / "_book.tmp").exists()


def test_failed_render_keeps_previous_book(render_project, monkeypatch):
    p = render_project
    _render(p)
    before = _snapshot(p["out"])
    monkeypatch.setenv("FAKE_QUARTO_FAIL", "1")
    with pytest.raises(errors.QuartoFailed):
        _render(p, force=True)
    assert _snapshot(p["out"]) == before
    assert not (p["root"] / "_book.tmp").exists()
    assert not (p["root"] / "index.typ").exists() and not (p["book"] / "a_files").exists()  # Quarto's intermediates


def test_render_runs_only_when_what_it_reads_changed(render_project, monkeypatch):
    p = render_project
    args = p["root"] / "quarto-args.txt"
    assert _render(p).rendered
    args.unlink()
    assert not _render(p).rendered and not args.exists()  # nothing changed: Quarto not started
    assert not _render(p, to="html").rendered and not _render(p, to="typst").rendered
    assert _render(p, force=True).rendered and args.exists()
    args.unlink()
    for change in (
        lambda: (p["book"] / "a.ipynb").write_text((p["book"] / "a.ipynb").read_text() + " "),  # a chapter
        lambda: (p["root"] / "_quarto.yml").write_text("project: {type: book}\n"),  # the configuration
        lambda: (p["root"] / "tools").mkdir() or (p["root"] / "tools" / "typst-header.typ").write_text("#set text(size: 10pt)"),
        lambda: (p["out"] / "virksomhetsanalyse.pdf").unlink(),  # an output deleted
        lambda: monkeypatch.setenv("QUARTO_PROFILE", "other"),  # a profile
    ):
        change()
        assert _render(p).rendered and args.exists(), "rendered again after a change"
        args.unlink()
        assert not _render(p).rendered and not args.exists(), "up to date right after"
    (p["book"] / "b.ipynb").write_text((p["book"] / "b.ipynb").read_text() + " ")
    assert _render(p, to="html").rendered  # the PDF is now older than the chapters
    assert _render(p, to="typst").rendered and not _render(p).rendered


def test_partial_render_keeps_the_other_format(render_project, monkeypatch):
    p = render_project
    monkeypatch.setenv("FAKE_STAMP", "first")
    _render(p)
    monkeypatch.setenv("FAKE_STAMP", "second")
    _render(p, to="html", force=True)
    assert "--to html --no-clean" in (p["root"] / "quarto-args.txt").read_text()
    assert (p["out"] / "virksomhetsanalyse.pdf").read_text() == "%PDF-fake first"
    _render(p, to="typst", force=True)
    assert (p["out"] / "virksomhetsanalyse.pdf").read_text() == "%PDF-fake second"
    assert (p["out"] / "index.html").exists()


def test_cli_render_quarto_failure_exit_5(render_project, monkeypatch):
    p = render_project
    monkeypatch.setattr(config, "PROJ_ROOT", p["root"])
    monkeypatch.setattr(config, "BOOK_DIR", p["book"])
    monkeypatch.setattr(config, "OUTPUT_DIR", p["out"])
    monkeypatch.setattr(config, "NOTEBOOKS", ("a", "b"))
    monkeypatch.setenv("FAKE_QUARTO_FAIL", "1")
    result = runner.invoke(cli.app, ["render"])
    assert result.exit_code == cli.EXIT_QUARTO_FAILED and "quarto failed" in result.output


def test_cli_build_validates_runs_and_renders(project, render_project, monkeypatch):
    project["root"] = render_project["root"]
    project["book"] = render_project["root"] / "built"  # render_project's book/ holds dummy chapters
    _use_project(monkeypatch, project, ("tiny_a", "tiny_b"))
    monkeypatch.setattr(cli, "_report_validation", lambda data_dir: True)
    result = runner.invoke(cli.app, ["build", "--year", "2017", "--data-dir", str(project["data"]), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in project["book"].glob("*.ipynb")) == ["tiny_a.ipynb", "tiny_b.ipynb"]
    assert 'subtitle: "Rapporteringsår 2017"' in (project["root"] / "_quarto-year.yml").read_text(encoding="utf-8")
    assert (project["root"] / "_book" / "book" / "osu.html").exists() and "book rendered" in result.output


def test_cli_render_without_executed_chapters_exit_2(render_project, monkeypatch):
    p = render_project
    monkeypatch.setattr(config, "PROJ_ROOT", p["root"])
    monkeypatch.setattr(config, "BOOK_DIR", p["book"])
    monkeypatch.setattr(config, "OUTPUT_DIR", p["out"])
    monkeypatch.setattr(config, "NOTEBOOKS", ("a", "b", "c"))
    result = runner.invoke(cli.app, ["render"])
    assert result.exit_code == 2 and "c.ipynb not found" in result.output
    assert not p["out"].exists() and not (p["root"] / "quarto-args.txt").exists()


@pytest.mark.parametrize("command", ["render", "build"])
def test_to_accepts_only_the_render_targets(command, render_project):
    result = runner.invoke(cli.app, [command, "--to", "pdf"])
    assert result.exit_code == 2 and "'pdf' is not one of 'html', 'typst', 'all'" in result.output, result.output
    assert not (render_project["root"] / "quarto-args.txt").exists()
    with pytest.raises(errors.BuildError, match="--to must be one of html, typst, all, not 'pdf'"):
        _render(render_project, to="pdf")
    assert [t.value for t in render.Target] == ["html", "typst", "all"]


def test_book_year_refuses_mixed_years(render_project):
    p = render_project
    nb = json.loads((p["book"] / "b.ipynb").read_text())
    nb["metadata"]["papermill"]["parameters"]["year"] = 2018
    (p["book"] / "b.ipynb").write_text(json.dumps(nb))
    with pytest.raises(errors.BuildError, match="different years"):
        render.book_year(p["book"], ("a", "b"))


def test_find_quarto_prefers_env(tmp_path):
    exe = tmp_path / "quarto"
    exe.write_text("#!/bin/sh\n")
    exe.chmod(0o755)
    assert render.find_quarto({"QUARTO": str(exe), "PATH": ""}) == str(exe)
    assert render.find_quarto({"QUARTO": str(tmp_path / "missing"), "PATH": str(tmp_path)}) is None
    assert render.find_quarto({"PATH": str(tmp_path)}) == str(exe)


def test_find_quarto_in_its_own_venv_and_make_installs_it_there(tmp_path):
    venv_bin = tmp_path / render.QUARTO_VENV / "bin"
    venv_bin.mkdir(parents=True)
    assert render.find_quarto({"PATH": ""}, root=tmp_path) is None or Path(sys.executable).with_name("quarto").exists()
    (venv_bin / "quarto").write_text("#!/bin/sh\n")
    (venv_bin / "quarto").chmod(0o755)
    if not Path(sys.executable).with_name("quarto").exists():
        assert render.find_quarto({"PATH": ""}, root=tmp_path) == str(venv_bin / "quarto")
    # `make get-quarto` installs quarto-cli into that venv, never into the pinned .venv
    recipe = (config.PROJ_ROOT / "Makefile").read_text(encoding="utf-8").split("get-quarto:", 1)[1].split("\nbook:", 1)[0]
    assert "$(QUARTO_VENV)/bin/python -m pip install 'quarto-cli" in recipe and "$(BIN)/python -m pip install" not in recipe


# --------------------------------------------------------------------------- post-render


CDNJS = "https://cdnjs.cloudflare.com/ajax/libs"
JSDELIVR = "https://cdn.jsdelivr.net/npm"
SAMPLE_HEAD = "\n".join(  # what Quarto writes (widgets.ts), in its older (cdnjs) and newer (jsdelivr) forms
    [
        "<head>",
        '<meta charset="utf-8">',
        '<script src="../site_libs/quarto-nav/quarto-nav.js"></script>',
        f'<script src="{CDNJS}/require.js/2.3.6/require.min.js" integrity="sha512-c3Nl" crossorigin="anonymous"></script>',
        f'<script src="{CDNJS}/jquery/3.5.1/jquery.min.js" integrity="sha512-bLT0" crossorigin="anonymous" data-relocate-top="true">'
        "</script>",
        '<script type="application/javascript" data-relocate-top="true">define(\'jquery\', [],function() {return window.jQuery;})</script>',
        f'<script src="{JSDELIVR}/requirejs@2.3.6/require.min.js" crossorigin="anonymous"></script>',
        f'<script src="{JSDELIVR}/jquery@3.5.1/dist/jquery.min.js" crossorigin="anonymous" data-relocate-top="true"></script>',
        '<script src="assets/vega-bundle.js" data-vega-bundle=""></script>',
        "</head>",
    ]
)
SAMPLE_BODY = """<body><div id="fig-osu" role="img" aria-label="Årsverk økte"></div>
<script type="text/javascript">vegaEmbed('#fig-osu', {"mark": "bar"}, {actions: false});</script></body>"""


def test_post_render_strips_cdn_tags():
    pr = _load_post_render()
    html, removed = pr.strip_cdn_scripts(SAMPLE_HEAD + SAMPLE_BODY)
    assert removed == 5
    assert "require" not in html and "jquery" not in html.lower()
    assert "quarto-nav.js" in html and "vegaEmbed('#fig-osu'" in html and "assets/vega-bundle.js" in html
    assert pr.remote_resources(html) == []
    assert pr.strip_cdn_scripts(html) == (html, 0)  # idempotent


def test_post_render_hook_as_quarto_runs_it(tmp_path):
    out = tmp_path / "_book"
    (out / "book").mkdir(parents=True)
    page = "<html>" + SAMPLE_HEAD + SAMPLE_BODY + "</html>"
    mathjax = '<script src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml-full.js"></script>'
    (out / "index.html").write_text(page.replace("</head>", mathjax + "</head>"), encoding="utf-8")
    (out / "book" / "osu.html").write_text(page, encoding="utf-8")
    env = {**os.environ, "QUARTO_PROJECT_OUTPUT_DIR": "_book"}  # relative to the project dir, Quarto's cwd for scripts
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "post_render.py")], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "removed 10 CDN script tag(s)" in proc.stdout
    assert "mathjax" in proc.stderr  # other remote resources are reported, not removed
    index, osu = (out / "index.html").read_text(), (out / "book" / "osu.html").read_text()
    assert 'src="book/assets/vega-bundle.js"' in index and 'src="assets/vega-bundle.js"' in osu
    assert "cdnjs" not in index + osu and "requirejs" not in index + osu
    assert _load_post_render().process(out).pages == 0  # a second pass changes nothing


def test_cli_preview_writes_pages(tmp_path):
    from typer.testing import CliRunner

    from analysis.cli.main import app

    result = CliRunner().invoke(app, ["preview", "--out", str(tmp_path / "p")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "p" / "index.html").exists() and (tmp_path / "p" / "osu.html").exists()
    assert (tmp_path / "p" / "assets" / "vega-bundle.js").stat().st_size > 100_000


def test_vega_bundle_is_written_once_per_vl_convert_version(tmp_path, monkeypatch):
    path = render.write_vega_bundle(tmp_path)
    assert path.read_bytes().startswith(b"// vega, vega-lite and vega-embed from vl-convert-python ")
    monkeypatch.setattr(render, "_vega_bundle", lambda: pytest.fail("assembled again although the bundle is current"))
    assert render.write_vega_bundle(tmp_path) == path  # not assembled (vl-convert takes up to 2 s)
    path.write_bytes(b"// vega from vl-convert-python 0.0.1\n")
    monkeypatch.setattr(render, "_vega_bundle", lambda: b"new")
    assert render.write_vega_bundle(tmp_path).read_bytes() == b"new"  # another version: written again

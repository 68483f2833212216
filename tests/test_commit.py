"""All or nothing across files, one writer at a time (issue 20, cases 1 and 2).

* The journal of ``analysis.data.commit`` is killed with SIGKILL at *every* step of a commit (the hook
  ``VIRKSOMHETSANALYSE_KILL_AT``, not timing luck), in a small folder and a process that imports only the
  commit module; the next recovery leaves the folder wholly old (killed before the commit point) or wholly
  new (after it), with nothing staged left. A recovery killed at every one of its own steps is finished by
  the next one.
* Through the command line: an import killed after its first file is in place (the issue's new
  ``osu_arsverk.csv`` with the old ``provenance.csv``) is completed by the next command, whichever it is,
  and its staged copy of ``data/`` removed.
* Two imports at once: a writer that cannot get the write lock in time names the command holding it; given
  time, the second waits for the first and both keep their rows in the changelog and the provenance.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from analysis.cli.main import app
from analysis.config import DATA_DIR, PROJ_ROOT
from analysis.data.validate import validate_data
from analysis.intake.workbook import build_template

# the hooks and names of analysis.data.commit and analysis.data.lock, as a user (or the old code) sees them
KILL_ENV, TRACE_ENV = "VIRKSOMHETSANALYSE_KILL_AT", "VIRKSOMHETSANALYSE_TRACE_STEPS"
WAIT_ENV, COMMIT_DIR = "VIRKSOMHETSANALYSE_LOCK_WAIT", ".commit"
OLD = {"a.csv": "x\n1\n", "b.csv": "x\n2\n", "c.csv": "x\n3\n"}
NEW = {"a.csv": "x\n10\n", "b.csv": "x\n20\n", "c.csv": "x\n30\n"}
COMMIT = f"""
import sys
from pathlib import Path
from analysis.data.commit import commit_files
folder, new = Path(sys.argv[1]), Path(sys.argv[2])
commit_files(folder, {{n: new / n for n in {sorted(NEW)!r}}}, "test")
"""
RECOVER = "import sys; from analysis.data.commit import recover; recover(sys.argv[1])"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in (KILL_ENV, TRACE_ENV)}
    env["PYTHONPATH"] = os.pathsep.join([str(PROJ_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    return {**env, **extra}


def recover(folder: Path):
    from analysis.data.commit import recover

    return recover(folder)


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _folder(tmp: Path, name: str) -> tuple[Path, Path]:
    data, new = tmp / name / "data", tmp / name / "new"
    for folder, files in ((data, OLD), (new, NEW)):
        folder.mkdir(parents=True)
        for n, text in files.items():
            (folder / n).write_text(text, encoding="utf-8")
    return data, new


def _state(data: Path) -> dict[str, str]:
    return {n: (data / n).read_text(encoding="utf-8") for n in OLD}


def _python(code: str, *args: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], env=_env(**env), capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def steps(tmp_path_factory) -> list[str]:
    """Every step of one commit of three files, as the hook names them (a run that is not killed)."""
    tmp = tmp_path_factory.mktemp("trace")
    data, new = _folder(tmp, "trace")
    trace = tmp / "steps.txt"
    done = _python(COMMIT, data, new, **{TRACE_ENV: str(trace)})
    assert done.returncode == 0, done.stderr
    assert _state(data) == NEW and not (data / COMMIT_DIR).exists()
    return trace.read_text(encoding="utf-8").splitlines()


def test_the_commit_has_the_steps_of_its_scheme(steps):
    names = sorted(NEW)
    assert steps == [
        *(f"staged {n}" for n in names), "staged", "journal written", "committed",
        *(f"replaced {n}" for n in names), "applied", "journal removed", "cleaned",
    ]  # fmt: skip


def test_a_commit_killed_at_every_step_is_completed_or_rolled_back(steps, tmp_path):
    point = steps.index("committed")
    wrong = {}
    for i, step in enumerate(steps):
        data, new = _folder(tmp_path, f"kill-{i}")
        killed = _python(COMMIT, data, new, **{KILL_ENV: step})
        assert killed.returncode == -signal.SIGKILL, (step, killed.returncode, killed.stderr)
        said = recover(data)
        want = NEW if i >= point else OLD
        if _state(data) != want or (data / COMMIT_DIR).exists() or (said is None) != (i == len(steps) - 1):
            wrong[step] = {"files": _state(data), "staged left": (data / COMMIT_DIR).exists(), "recovery said": said}
        assert recover(data) is None  # nothing left for a second recovery
    assert not wrong, json.dumps(wrong, indent=1)


def test_a_recovery_killed_at_every_step_is_finished_by_the_next(tmp_path):
    trace = tmp_path / "recovery-steps.txt"
    data, new = _folder(tmp_path, "once")
    assert _python(COMMIT, data, new, **{KILL_ENV: "committed"}).returncode == -signal.SIGKILL
    assert _python(RECOVER, data, **{TRACE_ENV: str(trace)}).returncode == 0
    recovery = trace.read_text(encoding="utf-8").splitlines()
    assert recovery == [*(f"recover replaced {n}" for n in sorted(NEW)), "recover applied", "recover journal removed", "recover cleaned"]
    for i, step in enumerate(recovery):
        data, new = _folder(tmp_path, f"recover-{i}")
        assert _python(COMMIT, data, new, **{KILL_ENV: "committed"}).returncode == -signal.SIGKILL
        assert _python(RECOVER, data, **{KILL_ENV: step}).returncode == -signal.SIGKILL, step
        recover(data)
        assert _state(data) == NEW and not (data / COMMIT_DIR).exists(), step


# --------------------------------------------------------------------------- through the command line


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory) -> dict[str, Path]:
    """Two filled 2019 templates: A fills osu_arsverk, B hr_laerlinger (SYNTHETIC: 2018's figures again)."""
    tmp = tmp_path_factory.mktemp("mal")
    mal = tmp / "mal-2019.xlsx"
    build_template(DATA_DIR, 2019, mal, ["osu_arsverk", "hr_laerlinger"])
    out = {}
    for name, sheet in (("a", "osu_arsverk"), ("b", "hr_laerlinger")):
        wb = load_workbook(mal)
        ws = wb[sheet]
        col = [c.value for c in ws[1]].index(2019) + 1
        kilde = ws.max_column
        for row in ws.iter_rows(min_row=2):
            last = ws.cell(row=row[0].row, column=col - 1).value  # the year before's figure: plausible, not flagged
            if row[0].value and last is not None:
                ws.cell(row=row[0].row, column=col, value=last)
                ws.cell(row=row[0].row, column=kilde, value="SYNTETISK: kilde for testene")
        out[name] = tmp / f"{name}.xlsx"
        wb.save(out[name])
    return out


def _cli(*args: object, **env: str) -> subprocess.CompletedProcess:
    code = "import sys; from analysis.cli import app; sys.argv[0] = 'virksomhetsanalyse'; app()"
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], env=_env(**env), capture_output=True, text=True, timeout=120)


def _sources(data: Path) -> set[str]:
    return {r["source_file"] for r in read_rows(data / "changelog.csv")}


def test_an_import_killed_after_its_first_file_is_completed_by_the_next_command(workbooks, data_copy):
    killed = _cli("import", workbooks["a"], "--data-dir", data_copy, **{KILL_ENV: "replaced osu_arsverk.csv"})
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert list(data_copy.parent.glob(".import-*.tmp")), "the killed import left its staged copy (removed below)"
    result = CliRunner().invoke(app, ["validate", "--data-dir", str(data_copy)])
    assert result.exit_code == 0, result.output
    assert "completed an interrupted commit (import of a.xlsx" in result.output
    assert _sources(data_copy) == {"a.xlsx"}
    assert any(r["year"] == "2019" for r in read_rows(data_copy / "osu_arsverk.csv"))
    assert not (data_copy / COMMIT_DIR).exists() and not list(data_copy.parent.glob(".import-*.tmp"))


def _slow_import(workbook: Path, data: Path, seconds: float) -> subprocess.Popen:
    """``import workbook`` in a process whose check of the staged copy takes ``seconds`` longer; returned once it is there."""
    marker = data.parent / f"{workbook.stem}-staged"
    code = (
        "import sys, time, pathlib\n"
        "import analysis.intake.apply as apply\n"
        "checked = apply.cached_problems\n"
        f"def slow(d):\n    pathlib.Path({str(marker)!r}).write_text('x')\n    time.sleep({seconds})\n    return checked(d)\n"
        "apply.cached_problems = slow\n"
        "from analysis.cli import app\nsys.argv[0] = 'virksomhetsanalyse'\napp()\n"
    )
    args = [sys.executable, "-c", code, "import", str(workbook), "--data-dir", str(data)]
    proc = subprocess.Popen(args, env=_env(**{WAIT_ENV: "60"}), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    return proc


def test_two_imports_at_once_keep_both(workbooks, data_copy, monkeypatch):
    """A holds its staged copy for a while (its check is slowed); B runs meanwhile. Without a lock, A's commit put back
    the changelog and provenance it had copied before B wrote: B's rows were lost. Now B, given half a second, stops
    naming A; given a minute, waits for A and writes after it."""
    a = _slow_import(workbooks["a"], data_copy, 1.5)
    monkeypatch.setenv(WAIT_ENV, "0.3")
    busy = CliRunner().invoke(app, ["import", str(workbooks["b"]), "--data-dir", str(data_copy)])
    monkeypatch.setenv(WAIT_ENV, "60")
    b = CliRunner().invoke(app, ["import", str(workbooks["b"]), "--data-dir", str(data_copy)])
    out_a = a.communicate(timeout=120)[0]
    assert a.returncode == 0, out_a
    assert _sources(data_copy) == {"a.xlsx", "b.xlsx"}, "an import's changelog rows were lost"
    assert validate_data(data_copy) == [], "an import's provenance rows were lost"
    assert busy.exit_code == 75, busy.output
    assert f"'virksomhetsanalyse import {workbooks['a']} --data-dir {data_copy}' (pid {a.pid}, since" in busy.output
    assert "waited 0.3 s" in busy.output and "Nothing was done" in busy.output
    assert b.exit_code == 0 and "wrote: hr_laerlinger.csv, provenance.csv, changelog.csv" in b.output, b.output

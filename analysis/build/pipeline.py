"""Run the chapter notebooks into ``book/`` and render the book with Quarto.

``run_notebooks`` executes ``notebooks/<name>.ipynb`` with papermill into
``book/<name>.ipynb``:

* **incremental**: a chapter is skipped when its key is unchanged since its
  last successful run, every file that run read is unchanged, and
  ``book/<name>.ipynb`` is the file that run wrote. The key hashes the
  notebook's source, the ``analysis`` package's source, the Python
  environment and the parameters (``chapter_key``). The data part is what the
  chapter actually read: each run records, through the data layer
  (``analysis.data.reads``, written line by line to the file named by
  ``$VIRKSOMHETSANALYSE_READS``), every file it read with the SHA-256 of the
  bytes read (datasets, lookups, side tables, ``checks.yaml``, the
  descriptor); the state file keeps that record with the key
  (``stale_reads``). Nothing is declared by hand. A run that recorded nothing
  (a notebook that reads ``data/`` around the data layer) depends on all of
  ``data/``.
* **atomic**: notebooks run in a temporary folder; only when every requested
  chapter succeeded are the outputs moved into ``book/`` (``os.replace`` per
  file). A failure leaves ``book/`` as it was and keeps the failed notebook
  in ``.build/failed/`` for inspection.
* **deterministic**: papermill's timing metadata, timestamps, input and output
  paths are removed and the injected cell gets a fixed id, so a re-run that
  computes the same figures writes the same bytes (nbval compares outputs).

``render_book`` runs ``quarto render`` into a temporary output folder and swaps
it into ``_book/`` only when Quarto succeeded.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import ModuleType

from analysis import config
from analysis.present import fonts

__all__ = [
    "BuildError",
    "ChapterFailure",
    "ChapterRunError",
    "QuartoMissing",
    "QuartoFailed",
    "RunResult",
    "parameters_for",
    "chapter_key",
    "stale_reads",
    "outdated",
    "clean_notebook",
    "run_notebooks",
    "cores",
    "book_year",
    "write_year_profile",
    "write_vega_bundle",
    "find_quarto",
    "quarto_command",
    "render_book",
    "QUARTO_HELP",
]

STATE_FILE = "state.json"
STATE_VERSION = 2
"""Version 2 keeps, per chapter, the files its last run read (``reads``); older state files are ignored (everything runs)."""
INJECTED_TAG = "injected-parameters"
PACKAGE_DIR = Path(__file__).resolve().parents[1]
READS_SUFFIX = ".reads.jsonl"
"""Beside each executed notebook in the run folder: the data layer's record of what the run read."""
CELL_TIMEOUT = 600
"""Seconds a chapter cell may run before papermill stops it (a hung chapter must not hang CI)."""
YEAR_PROFILE = "_quarto-year.yml"
VEGA_BUNDLE = Path("assets") / "vega-bundle.js"
POST_RENDER_SCRIPT = Path("tools") / "post_render.py"

Event = Callable[[str, str, float | None], None]
"""Progress callback: ``(chapter, status, seconds)``; status is one of
``skipped``, ``queued``, ``running``, ``done``, ``failed``."""


class BuildError(Exception):
    """A problem that stops the build before or after running anything."""


@dataclass(frozen=True)
class ChapterFailure:
    """Where and why one chapter failed, without the traceback."""

    chapter: str
    cell: int | None
    execution_count: int | None
    first_line: str | None
    ename: str
    evalue: str
    saved: str | None = None
    log: str | None = None

    def __str__(self) -> str:
        where = [f"chapter '{self.chapter}'"]
        if self.cell is not None:
            count = f" (In [{self.execution_count}])" if self.execution_count is not None else ""
            where.append(f"cell {self.cell}{count}")
        head = ", ".join(where)
        line = f": `{self.first_line}`" if self.first_line else ""
        return f"{head}{line}\n    {self.ename}: {self.evalue}"


class ChapterRunError(BuildError):
    """One or more chapters failed; ``book/`` was left unchanged."""

    def __init__(self, failures: Sequence[ChapterFailure]):
        self.failures = list(failures)
        super().__init__("\n".join(str(f) for f in self.failures))


class QuartoMissing(BuildError):
    """``quarto`` is not installed (or ``$QUARTO`` points nowhere)."""


class QuartoFailed(BuildError):
    """``quarto render`` exited non-zero; ``_book/`` was left unchanged."""


@dataclass
class RunResult:
    """What ``run_notebooks`` did: chapters executed and skipped, with seconds."""

    executed: dict[str, float] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- hashing


def _sha256(*parts: bytes) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(len(p).to_bytes(8, "little"))
        h.update(p)
    return h.hexdigest()


def _files_hash(files: Iterable[Path], base: Path) -> str:
    """Hash of the files' paths (relative to ``base``) and bytes."""
    parts: list[bytes] = []
    for p in sorted(files):
        parts += [p.relative_to(base).as_posix().encode(), p.read_bytes()]
    return _sha256(*parts)


def parameters_for(year: int, data_dir: Path | None = None) -> dict:
    """Papermill parameters: ``year``, and ``data_dir`` only when it is not the default.

    The committed chapters must not carry a machine's absolute path, so the
    default ``config.DATA_DIR`` is never injected (the notebook's
    ``data_dir = None`` means the same folder).
    """
    params: dict = {"year": int(year)}
    if data_dir is not None and Path(data_dir).resolve() != config.DATA_DIR.resolve():
        params["data_dir"] = str(Path(data_dir).resolve())
    return params


def _package_hash() -> str:
    """Hash of the ``analysis`` package's source files."""
    return _files_hash(PACKAGE_DIR.rglob("*.py"), PACKAGE_DIR)


@lru_cache(maxsize=1)
def _environment_hash() -> str:
    """Hash of the Python version and every installed distribution's version.

    Read from the names of the ``*.dist-info`` folders on ``sys.path`` (``name-version.dist-info``):
    the same information as ``importlib.metadata.distributions()`` without parsing every METADATA
    file, which cost about a second of each ``run``.
    """
    dists = sorted({p.name.lower() for entry in sys.path if entry and Path(entry).is_dir() for p in Path(entry).glob("*.dist-info")})
    return _sha256(sys.version.encode(), "\n".join(dists).encode())


def chapter_key(name: str, params: dict, *, notebooks_dir: Path = config.NOTEBOOKS_DIR) -> str:
    """The content hash of everything but the data deciding whether chapter ``name`` must run again.

    Covers the notebook's bytes, the ``analysis`` package's source, the Python
    environment and ``params``. The data a chapter depends on are the files its
    last run read (``stale_reads``).
    """
    source = Path(notebooks_dir) / f"{name}.ipynb"
    return _sha256(
        source.read_bytes(),
        _package_hash().encode(),
        _environment_hash().encode(),
        json.dumps(params, sort_keys=True).encode(),
    )


def _read_record(path: Path, data_dir: Path) -> dict[str, dict] | None:
    """The record a run left (``analysis.data.READS_ENV``): ``{file: {"name", "sha256"}}``, sorted; None when it read nothing.

    A file inside ``data_dir`` is named relative to it, any other by its absolute path.
    """
    if not path.exists():
        return None
    base = Path(data_dir).resolve()
    record: dict[str, dict] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        file = Path(entry["path"])
        rel = file.relative_to(base).as_posix() if file.is_relative_to(base) else file.as_posix()
        if rel in record and record[rel]["sha256"] != entry["sha256"]:
            from analysis.data.store import CHANGED_DURING_READS

            entry["sha256"] = CHANGED_DURING_READS
        record[rel] = {"name": entry["name"], "sha256": entry["sha256"]}
    return dict(sorted(record.items()))


def stale_reads(reads: dict[str, dict], data_dir: Path) -> list[str]:
    """The files of a run's record whose bytes are no longer the ones read (a missing file counts as ``None``)."""
    base = Path(data_dir)
    return [f for f, r in reads.items() if _file_sha(base / f) != r["sha256"]]


# --------------------------------------------------------------------------- state


def _read_state(state_dir: Path) -> dict:
    path = Path(state_dir) / STATE_FILE
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"version": STATE_VERSION, "chapters": {}}
    if state.get("version") != STATE_VERSION:
        return {"version": STATE_VERSION, "chapters": {}}
    return state


def _write_state(state_dir: Path, state: dict) -> None:
    path = Path(state_dir) / STATE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(state, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _file_sha(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def _up_to_date(entry: dict | None, key: str, output: Path, data_dir: Path) -> bool:
    """Same key, the output the last run wrote, and every file that run read unchanged."""
    if not entry or entry.get("key") != key or entry.get("output") != _file_sha(output):
        return False
    reads = entry.get("reads")
    if reads is None:  # the run recorded no read: it may have read anything in data/
        from analysis.data.store import fingerprint

        return entry.get("data") == fingerprint(data_dir)
    return not stale_reads(reads, data_dir)


# --------------------------------------------------------------------------- notebook cleaning


def clean_notebook(nb: dict) -> dict:
    """Make an executed notebook deterministic (in place; also returned).

    Drops papermill's per-cell and notebook timing (``start_time``,
    ``end_time``, ``duration``), nbclient's ``execution`` timestamps, the input
    and output paths and papermill's version, keeps
    ``metadata.papermill.parameters`` (the year the chapter was run for) and
    gives the injected-parameters cell a fixed id.
    """
    pm = nb.get("metadata", {}).pop("papermill", None) or {}
    nb["metadata"]["papermill"] = {"parameters": pm.get("parameters", {})}
    for cell in nb.get("cells", []):
        meta = cell.setdefault("metadata", {})
        meta.pop("papermill", None)
        meta.pop("execution", None)
        if meta.get("tags") == []:
            del meta["tags"]
        if INJECTED_TAG in meta.get("tags", []):
            cell["id"] = INJECTED_TAG
        if cell.get("cell_type") == "code":
            _set_generated_alt(cell)
    return nb


_FIG_ALT = re.compile(r"^#\|\s*fig-alt:.*$", re.MULTILINE)


def _set_generated_alt(cell: dict) -> None:
    """Put a chart's generated alt text into its ``#| fig-alt:`` option.

    The source notebook's ``fig-alt`` can only say what kind of chart it is (no
    figure is typed into a notebook); the chart output carries alt text that
    states the figures, computed from the data (``ChartOutput.alt``, its
    ``text/plain``). Quarto gives ``fig-alt`` to the image in the PDF, so the
    executed chapter carries the generated text there.
    """
    source = "".join(cell.get("source", ""))
    if not _FIG_ALT.search(source):
        return
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        html = "".join(data.get("text/html", ""))
        if "image/png" in data and 'class="va-chart"' in html:
            alt = re.sub(r"[ \t\r\n]+", " ", "".join(data.get("text/plain", ""))).strip()  # keeps no-break spaces
            if alt:
                line = "#| fig-alt: " + json.dumps(alt, ensure_ascii=False)
                cell["source"] = _FIG_ALT.sub(lambda _m, line=line: line, source, count=1)
            return


def _clean_file(path: Path) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(clean_notebook(nb), indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- execution


@dataclass(frozen=True)
class _Job:
    name: str
    source: Path
    target: Path
    cwd: Path
    log: Path
    params: dict

    @property
    def reads(self) -> Path:
        """Where the chapter's run records what it read (``analysis.data.READS_ENV``)."""
        return self.target.with_suffix(READS_SUFFIX)


@dataclass(frozen=True)
class _Outcome:
    name: str
    seconds: float
    failure: ChapterFailure | None


def _first_line(source: str | list) -> str | None:
    text = "".join(source) if isinstance(source, list) else source
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return None


def _error_cell(cells: list[dict]) -> tuple[dict, dict] | None:
    """The first cell with an error output (as papermill's ``raise_for_execution_errors`` finds it) and that output."""
    for cell in cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error" and not (out.get("ename") == "SystemExit" and out.get("evalue") in ("", "0")):
                return cell, out
    return None


def _log_tail(log: Path) -> tuple[str, str]:
    """``(ename, evalue)`` from the last ``Name: message`` line of a log, for failures outside a cell."""
    try:
        lines = [ln.strip() for ln in log.read_text(encoding="utf-8", errors="replace").splitlines() if ln.strip()]
    except OSError:
        lines = []
    for line in reversed(lines):
        head, sep, tail = line.partition(": ")
        if sep and head.replace(".", "").replace("_", "").isalnum() and " " not in head:
            return head.rsplit(".", 1)[-1], tail
    return "PapermillFailed", lines[-1] if lines else "papermill exited without a message"


def _failure(job: _Job) -> ChapterFailure:
    """Describe a failed run from its executed notebook (the failing cell) or, failing that, its log."""
    from papermill.execute import ERROR_MARKER_TAG  # the markdown cells papermill adds to a failed notebook

    try:
        executed = json.loads(job.target.read_text(encoding="utf-8"))["cells"]
        source_ids = [c.get("id") for c in json.loads(job.source.read_text(encoding="utf-8"))["cells"]]
    except (OSError, ValueError, KeyError):
        executed, source_ids = [], []
    executed = [c for c in executed if ERROR_MARKER_TAG not in c.get("metadata", {}).get("tags", [])]
    found = _error_cell(executed)
    if found is None:
        return ChapterFailure(job.name, None, None, None, *_log_tail(job.log))
    cell, out = found
    position = source_ids.index(cell.get("id")) + 1 if cell.get("id") in source_ids else None
    return ChapterFailure(job.name, position, cell.get("execution_count"), _first_line(cell.get("source", "")), out["ename"], out["evalue"])


def _papermill_command(job: _Job) -> list[str]:
    """papermill's command line for one chapter (its documented CLI, in a fresh interpreter)."""
    return [
        sys.executable,
        "-m",
        "papermill",
        str(job.source),
        str(job.target),
        "--parameters_yaml",
        json.dumps(job.params),  # JSON is YAML: types kept exactly
        "--cwd",
        str(job.cwd),
        "--execution-timeout",
        str(CELL_TIMEOUT),
        "--no-progress-bar",
        "--no-log-output",
        "--no-request-save-on-cell-execute",
    ]


class _Processes:
    """The running papermill processes, so that an interrupt can stop them all."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.procs: set[subprocess.Popen] = set()
        self.stopped = False

    def run(self, cmd: list[str], log: Path, cwd: Path, env: dict[str, str] | None = None) -> int:
        with open(log, "w", encoding="utf-8") as out:
            with self.lock:
                if self.stopped:
                    return -1
                proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=cwd, env=env)
                self.procs.add(proc)
            try:
                return proc.wait()
            finally:
                with self.lock:
                    self.procs.discard(proc)

    def stop(self) -> None:
        with self.lock:
            self.stopped = True
            for proc in self.procs:
                proc.terminate()


def _execute(job: _Job, procs: _Processes) -> _Outcome:
    """Run one notebook with papermill in a subprocess (its output goes to the job's log); never raises."""
    start = time.perf_counter()
    try:
        from analysis.data.store import READS_ENV

        job.reads.unlink(missing_ok=True)
        env = {**os.environ, READS_ENV: str(job.reads)}  # papermill's kernel inherits it: the data layer records there
        code = procs.run(_papermill_command(job), job.log, job.log.parent, env)
        failure = _failure(job) if code != 0 or not job.target.exists() else None
        if job.target.exists():
            _clean_file(job.target)
    except Exception as exc:  # e.g. an unreadable output notebook
        failure = ChapterFailure(job.name, None, None, None, type(exc).__name__, str(exc))
    return _Outcome(job.name, time.perf_counter() - start, failure)


def _move_into(src: Path, dst: Path) -> None:
    """``os.replace`` src onto dst; across file systems, copy beside dst first."""
    try:
        os.replace(src, dst)
    except OSError:
        tmp = dst.with_name(f".{dst.name}.tmp")
        shutil.copy2(src, tmp)
        os.replace(tmp, dst)


def _keep_failed(failures: list[ChapterFailure], jobs: dict[str, _Job], state_dir: Path) -> list[ChapterFailure]:
    """Copy each failed notebook and its log to ``.build/failed/``; return failures naming them."""
    failed_dir = Path(state_dir) / "failed"
    failed_dir.mkdir(parents=True, exist_ok=True)
    kept = []
    for f in failures:
        job = jobs[f.chapter]
        saved = log = None
        if job.target.exists():
            saved = failed_dir / job.target.name
            shutil.copy2(job.target, saved)
        if job.log.exists():
            log = failed_dir / job.log.name
            shutil.copy2(job.log, log)
        kept.append(ChapterFailure(**{**f.__dict__, "saved": str(saved) if saved else None, "log": str(log) if log else None}))
    return kept


def _run_jobs(jobs: list[_Job], n_jobs: int, on_event: Event) -> list[_Outcome]:
    """Run the jobs, ``n_jobs`` at a time, reporting progress; return every outcome.

    Each notebook runs in its own ``python -m papermill`` process (threads only
    wait on them): no fork of this process, no shared kernel client state.
    """
    outcomes: list[_Outcome] = []
    procs = _Processes()
    with ThreadPoolExecutor(max_workers=max(1, min(n_jobs, len(jobs)))) as pool:
        pending = {pool.submit(_execute, job, procs): job.name for job in jobs}
        running: set[str] = set()
        try:
            while pending:
                done, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                for fut, name in pending.items():
                    if (fut.running() or fut in done) and name not in running:
                        running.add(name)
                        on_event(name, "running", None)
                for fut in done:
                    outcome = fut.result()
                    outcomes.append(outcome)
                    on_event(pending.pop(fut), "failed" if outcome.failure else "done", outcome.seconds)
        except BaseException:
            procs.stop()
            for fut in pending:
                fut.cancel()
            raise
    return outcomes


def cores() -> int:
    """CPUs this process may use (the default number of notebooks run at once)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _plan(
    names: Sequence[str], params: dict, force: bool, *, notebooks_dir: Path, book_dir: Path, data_dir: Path, state: dict
) -> tuple[dict[str, str], list[str]]:
    """Keys of every chapter, and the chapters that must run."""
    missing = [n for n in names if not (Path(notebooks_dir) / f"{n}.ipynb").exists()]
    if missing:
        raise BuildError("notebook(s) not found: " + ", ".join(str(Path(notebooks_dir) / f"{n}.ipynb") for n in missing))
    keys = {n: chapter_key(n, params, notebooks_dir=notebooks_dir) for n in names}
    todo = [n for n in names if force or not _up_to_date(state["chapters"].get(n), keys[n], Path(book_dir) / f"{n}.ipynb", data_dir)]
    return keys, todo


def outdated(
    names: Sequence[str] | None = None,
    *,
    year: int = config.DEFAULT_YEAR,
    notebooks_dir: Path = config.NOTEBOOKS_DIR,
    book_dir: Path = config.BOOK_DIR,
    state_dir: Path = config.STATE_DIR,
    data_dir: Path = config.DATA_DIR,
) -> list[str]:
    """The chapters ``run_notebooks`` would execute now (without ``force``), in book order; runs nothing."""
    names = list(config.NOTEBOOKS if names is None else names)
    params = parameters_for(year, data_dir)
    state = _read_state(Path(state_dir))
    return _plan(names, params, False, notebooks_dir=notebooks_dir, book_dir=book_dir, data_dir=data_dir, state=state)[1]


def run_notebooks(
    names: Sequence[str] | None = None,
    *,
    year: int = config.DEFAULT_YEAR,
    force: bool = False,
    jobs: int | None = None,
    notebooks_dir: Path = config.NOTEBOOKS_DIR,
    book_dir: Path = config.BOOK_DIR,
    state_dir: Path = config.STATE_DIR,
    data_dir: Path = config.DATA_DIR,
    on_event: Event | None = None,
) -> RunResult:
    """Execute the chapter notebooks into ``book_dir``, all or nothing.

    Parameters
    ----------
    names : chapters to run (default ``config.NOTEBOOKS``), in book order.
    year : the reporting year, injected as ``year``.
    force : run even the chapters whose key is unchanged.
    jobs : notebooks run at once (default: the number of cores).
    data_dir : the data folder; injected as ``data_dir`` only when it is not
        ``config.DATA_DIR`` (see ``parameters_for``).
    on_event : progress callback ``(chapter, status, seconds)``.

    Raises
    ------
    ChapterRunError : one or more chapters failed; ``book_dir`` is unchanged.
    BuildError : a notebook is missing.
    """
    names = list(config.NOTEBOOKS if names is None else names)
    on_event = on_event or (lambda *_: None)
    book_dir, state_dir = Path(book_dir), Path(state_dir)
    params = parameters_for(year, data_dir)
    state = _read_state(state_dir)
    keys, todo = _plan(names, params, force, notebooks_dir=notebooks_dir, book_dir=book_dir, data_dir=data_dir, state=state)
    result = RunResult(skipped=[n for n in names if n not in todo])
    for n in result.skipped:
        on_event(n, "skipped", None)
    if not todo:
        return result
    book_dir.mkdir(parents=True, exist_ok=True)
    state_dir.mkdir(parents=True, exist_ok=True)
    from analysis.data.store import fingerprint

    data_state = fingerprint(data_dir)  # before the run: the fallback for a chapter that records no read
    with tempfile.TemporaryDirectory(prefix="run-", dir=state_dir) as tmp:
        src, out = Path(notebooks_dir).resolve(), Path(tmp).resolve()
        job_list = [_Job(n, src / f"{n}.ipynb", out / f"{n}.ipynb", book_dir.resolve(), out / f"{n}.log", params) for n in todo]
        for job in job_list:
            on_event(job.name, "queued", None)
        outcomes = _run_jobs(job_list, jobs or cores(), on_event)
        failures = [o.failure for o in sorted(outcomes, key=lambda o: todo.index(o.name)) if o.failure]
        if failures:
            raise ChapterRunError(_keep_failed(failures, {j.name: j for j in job_list}, state_dir))
        records = {j.name: _read_record(j.reads, data_dir) for j in job_list}
        for job in job_list:  # every chapter succeeded: now, and only now, touch book/
            _move_into(job.target, book_dir / job.target.name)
    for o in sorted(outcomes, key=lambda o: todo.index(o.name)):
        output = _file_sha(book_dir / f"{o.name}.ipynb")
        entry = {"key": keys[o.name], "output": output, "reads": records[o.name], "year": int(year), "seconds": round(o.seconds, 2)}
        if records[o.name] is None:
            entry["data"] = data_state
        state["chapters"][o.name] = entry
        result.executed[o.name] = o.seconds
    _write_state(state_dir, state)
    return result


# --------------------------------------------------------------------------- render


QUARTO_HELP = """Quarto is not installed, so the book cannot be rendered (running the chapters does not need it).
Get Quarto (>= 1.10) in one of these ways, then run `virksomhetsanalyse render` again:
  - conda:  conda env create -f environment.yml   (conda-forge's `quarto` package)
  - installer: https://quarto.org/docs/get-started/
  - pip:    pip install quarto-cli   (on a machine with normal internet access: it downloads Quarto from GitHub when it installs)
Or point the environment variable QUARTO at a quarto executable."""


def find_quarto(env: dict | None = None) -> str | None:
    """The quarto executable: ``$QUARTO`` if set, else ``quarto`` on PATH, else next to this Python (pip's quarto-cli)."""
    env = os.environ if env is None else env
    if env.get("QUARTO"):
        path = Path(env["QUARTO"])
        return str(path) if path.is_file() and os.access(path, os.X_OK) else None
    found = shutil.which("quarto", path=env.get("PATH", ""))
    if found:
        return found
    beside = Path(sys.executable).parent / "quarto"
    return str(beside) if beside.is_file() and os.access(beside, os.X_OK) else None


def book_year(book_dir: Path = config.BOOK_DIR, names: Sequence[str] = config.NOTEBOOKS) -> int:
    """The reporting year the executed chapters were run for (``metadata.papermill.parameters.year``).

    Raises ``BuildError`` when a chapter is missing or the chapters disagree.
    """
    years: dict[str, int | None] = {}
    for n in names:
        path = Path(book_dir) / f"{n}.ipynb"
        if not path.exists():
            raise BuildError(f"{path} not found: run `virksomhetsanalyse run --year YEAR` first")
        meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
        years[n] = meta.get("papermill", {}).get("parameters", {}).get("year")
    distinct = {y for y in years.values() if y is not None}
    if len(distinct) > 1:
        listing = ", ".join(f"{n}: {y}" for n, y in years.items())
        raise BuildError(f"the chapters in {book_dir} were run for different years ({listing}); run them all for one year")
    return distinct.pop() if distinct else config.DEFAULT_YEAR


def write_year_profile(year: int, root: Path = config.PROJ_ROOT) -> Path:
    """Write ``_quarto-year.yml``: the Quarto profile carrying the reporting year.

    ``_quarto.yml`` activates it with ``profile: default: year``; Quarto merges
    it over the project config (https://quarto.org/docs/projects/profiles.html).
    Written only when its content changes.
    """
    path = Path(root) / YEAR_PROFILE
    text = (
        "# Generated by `virksomhetsanalyse run/render` from the executed chapters'\n"
        "# metadata.papermill.parameters.year. Do not edit; see analysis/build/pipeline.py.\n"
        "book:\n"
        f'  subtitle: "Rapporteringsår {int(year)}"\n'
        f"reporting-year: {int(year)}\n"
    )
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def write_vega_bundle(book_dir: Path = config.BOOK_DIR) -> Path:
    """Write ``vl_convert.javascript_bundle()`` (vega, vega-lite, vega-embed; ~0.9 MB) to ``book/assets/``.

    Written only when missing or different, so repeated renders leave it alone.
    """
    import vl_convert

    path = Path(book_dir) / VEGA_BUNDLE
    data = vl_convert.javascript_bundle().encode("utf-8")
    if not path.exists() or path.read_bytes() != data:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    return path


def _post_render_module() -> ModuleType:
    """``tools/post_render.py`` (a standalone script, so that Quarto can run it with any Python)."""
    path = PACKAGE_DIR.parent / POST_RENDER_SCRIPT
    name = "_virksomhetsanalyse_post_render"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None or not path.exists():
        raise BuildError(f"{path} not found")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def quarto_command(quarto: str, to: str, output_dir: str, keep: bool) -> list[str]:
    """The ``quarto render`` command line.

    ``--output-dir`` is documented as "Write output to DIR (path is
    input/project relative)" (https://quarto.org/docs/cli/render.html); a book
    project cleans it before a full render, so a partial render (``--to``) of
    a copy of the previous output adds ``--no-clean`` ("Do not clean project
    output-dir prior to render") to keep the other format's files.
    """
    cmd = [quarto, "render", "--output-dir", output_dir]
    if to != "all":
        cmd += ["--to", to]
    if keep:
        cmd.append("--no-clean")
    return cmd


def _swap_dir(new: Path, target: Path) -> None:
    """Put ``new`` in place of ``target`` with two renames; the old one is removed after."""
    old = target.with_name(target.name + ".old.tmp")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


def render_book(
    to: str = "all",
    *,
    root: Path = config.PROJ_ROOT,
    book_dir: Path = config.BOOK_DIR,
    output_dir: Path = config.OUTPUT_DIR,
    names: Sequence[str] = config.NOTEBOOKS,
    quarto: str | None = None,
) -> Path:
    """Render the book with Quarto into ``output_dir``, all or nothing.

    Parameters
    ----------
    to : ``html``, ``typst`` (the PDF) or ``all``.
    quarto : the quarto executable (default ``find_quarto()``).

    Raises
    ------
    QuartoMissing : no quarto executable; nothing was touched.
    BuildError : a chapter is missing in ``book_dir`` or chapters disagree on the year.
    QuartoFailed : quarto exited non-zero; ``output_dir`` is unchanged.
    """
    if to not in ("html", "typst", "all"):
        raise BuildError(f"--to must be html, typst or all, not {to!r}")
    quarto = quarto or find_quarto()
    if quarto is None:
        raise QuartoMissing(QUARTO_HELP)
    root, output_dir = Path(root), Path(output_dir)
    write_year_profile(book_year(book_dir, names), root)
    write_vega_bundle(book_dir)
    fonts.write_web_fonts(book_dir)  # book/assets/fonts/*.ttf and fonts.css (HTML @font-face; Typst's font-paths)
    staging = output_dir.with_name(output_dir.name + ".tmp")  # beside _book/: same file system, so the swap is a rename
    shutil.rmtree(staging, ignore_errors=True)
    keep = to != "all" and output_dir.exists()
    if keep:
        shutil.copytree(output_dir, staging, symlinks=True)
    env = {**os.environ, "QUARTO_PYTHON": sys.executable}  # the post-render script runs with this Python
    env["TYPST_FONT_PATHS"] = str((Path(book_dir) / fonts.WEB_DIR).resolve())  # Lato for Typst, as font-paths says
    if env.get("QUARTO_PROFILE") and "year" not in env["QUARTO_PROFILE"].split(","):
        env["QUARTO_PROFILE"] += ",year"  # an explicit QUARTO_PROFILE replaces `profile: default:`
    cmd = quarto_command(quarto, to, os.path.relpath(staging, root), keep)
    proc = subprocess.run(cmd, cwd=root, env=env)
    if proc.returncode != 0 or not staging.is_dir():
        shutil.rmtree(staging, ignore_errors=True)
        raise QuartoFailed(f"`{' '.join(cmd)}` failed with exit code {proc.returncode}; {output_dir} was left as it was")
    _post_render_module().process(staging)  # idempotent: the same clean-up Quarto's post-render hook did
    _swap_dir(staging, output_dir)
    return output_dir

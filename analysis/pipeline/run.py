"""Run the chapter notebooks into ``book/``: incremental, atomic, deterministic.

``run_notebooks`` executes ``notebooks/<name>.ipynb`` with papermill into
``book/<name>.ipynb``:

* **incremental**: a chapter is skipped when its key is unchanged since its
  last successful run, every file that run read is unchanged, and
  ``book/<name>.ipynb`` is the file that run wrote (``state.plan``; the key
  and the read record: ``keys``).
* **atomic**: notebooks run in a temporary folder; only when every requested
  chapter succeeded are the outputs moved into ``book/`` (``os.replace`` per
  file). A failure leaves ``book/`` as it was and keeps the failed notebook
  in ``.build/failed/`` for inspection.
* **deterministic**: ``notebook.clean_notebook`` removes timing and paths, so a
  re-run that computes the same figures writes the same bytes (nbval compares
  outputs).
* **warm**: by default the chapters run on a ``kernels.KernelPool`` (one live
  kernel per job slot, each chapter in a fresh namespace); ``engine="processes"``
  runs each chapter in its own papermill process, as before the pool.
* **drawn once**: the chapters keep the chart PNGs they draw in
  ``.build/charts/`` (``chart_folder``, ``present.png``), so a chapter run
  again draws only the charts whose spec changed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from analysis import config
from analysis.pipeline.errors import ChapterFailure, ChapterRunError
from analysis.pipeline.job import Engine, Job, Outcome
from analysis.pipeline.keys import file_sha, parameters_for, read_record, shown_record
from analysis.pipeline.state import plan, read_state, write_state

__all__ = ["RunResult", "Event", "run_notebooks", "cores", "chart_folder", "ENGINES"]

Event = Callable[[str, str, float | None], None]
"""Progress callback: ``(chapter, status, seconds)``; status is one of
``skipped``, ``queued``, ``running``, ``done``, ``failed``."""

EngineName = Literal["kernels", "processes"]
ENGINES: tuple[str, ...] = ("kernels", "processes")

shared_pool: Engine | None = None
"""When set, ``run_notebooks(engine="kernels")`` without a ``pool`` runs on it and leaves it open, instead of
starting kernels for that run alone (the test suite sets one per session: ``tests/conftest.py``)."""


@dataclass
class RunResult:
    """What ``run_notebooks`` did: chapters executed and skipped, with seconds."""

    executed: dict[str, float] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


def cores() -> int:
    """CPUs this process may use (the default number of notebooks run at once)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def chart_folder(state_dir: Path) -> Path:
    """Where the chapters keep the chart PNGs they draw (``present.png``): the folder ``CHARTS_ENV`` names, else ``charts/`` in the
    state folder (``.build/charts/``; ``make clean`` removes it)."""
    from analysis.present.png import CHARTS_ENV

    return Path(os.environ.get(CHARTS_ENV) or Path(state_dir) / "charts").resolve()


def _move_into(src: Path, dst: Path) -> None:
    """``os.replace`` src onto dst; across file systems, copy beside dst first."""
    try:
        os.replace(src, dst)
    except OSError:
        tmp = dst.with_name(f".{dst.name}.tmp")
        shutil.copy2(src, tmp)
        os.replace(tmp, dst)


def _keep_failed(failures: list[ChapterFailure], jobs: dict[str, Job], state_dir: Path) -> list[ChapterFailure]:
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


def _run_jobs(jobs: list[Job], engine: Engine, on_event: Event) -> list[Outcome]:
    """Submit every job to the engine and wait, reporting progress; return every outcome.

    On an interrupt (or any other exception while waiting) the engine is stopped:
    running chapters end, waiting ones never start.
    """
    outcomes: list[Outcome] = []
    pending = {engine.submit(job): job.name for job in jobs}
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
        engine.stop()
        for fut in pending:
            fut.cancel()
        raise
    return outcomes


def _longest_first(todo: list[str], state: dict) -> list[str]:
    """Chapters in the order to start them: the slowest last time first (unknown ones first of all), so the slots end together."""
    last = {n: state["chapters"].get(n, {}).get("seconds") for n in todo}
    return sorted(todo, key=lambda n: -(last[n] if last[n] is not None else float("inf")))


def _engine(engine: EngineName, size: int) -> Engine:
    if engine == "processes":
        from analysis.pipeline.processes import ProcessEngine

        return ProcessEngine(size)
    if engine == "kernels":
        from analysis.pipeline.kernels import KernelPool

        return KernelPool(size)
    raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")


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
    engine: EngineName = "kernels",
    pool: Engine | None = None,
) -> RunResult:
    """Execute the chapter notebooks into ``book_dir``, all or nothing.

    Parameters
    ----------
    names : chapters to run (default ``config.NOTEBOOKS``), in book order.
    year : the reporting year, injected as ``year``.
    force : run even the chapters whose key is unchanged.
    jobs : notebooks run at once (default: the number of cores); ignored with ``pool``.
    data_dir : the data folder; injected as ``data_dir`` only when it is not
        ``config.DATA_DIR`` (see ``keys.parameters_for``).
    on_event : progress callback ``(chapter, status, seconds)``.
    engine : ``kernels`` (a pool of warm kernels, made and closed for this run) or
        ``processes`` (a papermill process per chapter).
    pool : an engine to use instead, kept open after the run (``kernels.KernelPool``); default
        ``shared_pool`` when it is set and ``engine`` is ``kernels``.

    Raises
    ------
    ChapterRunError : one or more chapters failed; ``book_dir`` is unchanged.
    BuildError : a notebook is missing.
    """
    names = list(config.NOTEBOOKS if names is None else names)
    on_event = on_event or (lambda *_: None)
    book_dir, state_dir = Path(book_dir), Path(state_dir)
    params = parameters_for(year, data_dir)
    state = read_state(state_dir)
    keys, todo = plan(names, params, force, notebooks_dir=notebooks_dir, book_dir=book_dir, data_dir=data_dir, state=state)
    result = RunResult(skipped=[n for n in names if n not in todo])
    for n in result.skipped:
        on_event(n, "skipped", None)
    if not todo:
        return result
    book_dir.mkdir(parents=True, exist_ok=True)
    state_dir.mkdir(parents=True, exist_ok=True)
    from analysis.data.package import fingerprint

    data_state = fingerprint(data_dir)  # before the run: the fallback for a chapter that records no read
    if pool is None and engine == "kernels":
        pool = shared_pool
    runner = pool if pool is not None else _engine(engine, min(jobs or cores(), len(todo)))
    try:
        with tempfile.TemporaryDirectory(prefix="run-", dir=state_dir) as tmp:
            src, out = Path(notebooks_dir).resolve(), Path(tmp).resolve()
            charts = chart_folder(state_dir)
            job_list = [Job(n, src / f"{n}.ipynb", out / f"{n}.ipynb", book_dir.resolve(), out / f"{n}.log", params, charts) for n in todo]
            for job in job_list:
                on_event(job.name, "queued", None)
            by_name = {j.name: j for j in job_list}
            outcomes = _run_jobs([by_name[n] for n in _longest_first(todo, state)], runner, on_event)
            outcomes.sort(key=lambda o: todo.index(o.name))
            failures = [o.failure for o in outcomes if o.failure]
            if failures:
                raise ChapterRunError(_keep_failed(failures, by_name, state_dir))
            records = {j.name: read_record(j.reads, data_dir) for j in job_list}
            shown = {j.name: shown_record(j.reads) for j in job_list}
            from analysis.data.lock import commit_lock

            with commit_lock(book_dir):  # a reader of book/ (preview) sees the chapters before or after, never between
                for job in job_list:  # every chapter succeeded: now, and only now, touch book/
                    _move_into(job.target, book_dir / job.target.name)
    finally:
        if pool is None:
            runner.close()
    for o in outcomes:
        output = file_sha(book_dir / f"{o.name}.ipynb")
        entry = {"key": keys[o.name], "output": output, "reads": records[o.name], "year": int(year), "seconds": round(o.seconds, 2)}
        entry["shown"] = shown[o.name]  # the figures it took from Book to show: the edition's record (publish)
        if records[o.name] is None:
            entry["data"] = data_state
        state["chapters"][o.name] = entry
        result.executed[o.name] = o.seconds
    write_state(state_dir, state)
    return result

"""One chapter to run (``Job``), what came of it (``Outcome``), and what the two engines share.

An engine takes jobs with ``submit(job) -> Future[Outcome]`` and never raises
for a chapter's failure: the outcome carries it. ``stop()`` ends every running
chapter at once (an interrupt), ``close()`` releases what the engine holds.

* ``kernels.KernelPool``: one live kernel per core that runs chapters in turn,
  each in a fresh namespace (the default);
* ``processes.ProcessEngine``: one ``python -m papermill`` process per chapter
  (the way before the pool; ``run_notebooks(engine="processes")``).
"""

from __future__ import annotations

import time
import traceback
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from analysis.pipeline.errors import ChapterFailure, describe_failure
from analysis.pipeline.notebook import clean_file

__all__ = ["Job", "Outcome", "Engine", "CELL_TIMEOUT", "READS_SUFFIX", "chapter_env", "finish", "write_log"]

CELL_TIMEOUT = 600
"""Seconds a chapter cell may run before papermill stops it (a hung chapter must not hang CI)."""
READS_SUFFIX = ".reads.jsonl"
"""Beside each executed notebook in the run folder: the data layer's record of what the run read."""


@dataclass(frozen=True)
class Job:
    name: str
    source: Path
    target: Path
    cwd: Path
    log: Path
    params: dict
    charts: Path | None = None
    """Where the chapter keeps its chart PNGs (``present.png.CHARTS_ENV``); None: every chart is drawn."""

    @property
    def reads(self) -> Path:
        """Where the chapter's run records what it read (the data layer's ``READS_ENV``)."""
        return self.target.with_suffix(READS_SUFFIX)


@dataclass(frozen=True)
class Outcome:
    name: str
    seconds: float
    failure: ChapterFailure | None


class Engine(Protocol):
    def submit(self, job: Job) -> Future: ...

    def stop(self) -> None: ...

    def close(self) -> None: ...


def chapter_env(job: Job) -> dict[str, str | None]:
    """The environment variables a chapter runs with (None: unset): where it records its reads and keeps its charts."""
    from analysis.data.reads import READS_ENV
    from analysis.present.png import CHARTS_ENV

    return {READS_ENV: str(job.reads), CHARTS_ENV: None if job.charts is None else str(job.charts)}


def write_log(log: Path, exc: BaseException) -> None:
    """Append an exception's traceback to a chapter's log: its last line is ``module.Name: message``."""
    with open(log, "a", encoding="utf-8") as fh:
        fh.write("".join(traceback.format_exception(exc)))


def finish(job: Job, start: float, failed: bool) -> Outcome:
    """Clean the executed notebook and describe the failure, if any; never raises."""
    try:
        failure = describe_failure(job.name, job.source, job.target, job.log) if failed or not job.target.exists() else None
        if job.target.exists():
            clean_file(job.target)
    except Exception as exc:  # e.g. an unreadable output notebook
        failure = ChapterFailure(job.name, None, None, None, type(exc).__name__, str(exc))
    return Outcome(job.name, time.perf_counter() - start, failure)

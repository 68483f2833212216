"""The per-process engine: each chapter in its own ``python -m papermill`` process.

The way chapters ran before the kernel pool (``kernels``), kept for comparison
(``benchmarks/build.py``) and as a fall-back: ``run_notebooks(engine="processes")``.
Each process starts its own kernel and imports the libraries again, so every
chapter pays that floor; threads only wait on the processes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from analysis.pipeline.job import CELL_TIMEOUT, Job, Outcome, chapter_env, finish

__all__ = ["ProcessEngine", "papermill_command"]


def papermill_command(job: Job) -> list[str]:
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


class ProcessEngine:
    """Runs each job as a papermill process, ``size`` at a time; ``stop`` terminates them all."""

    def __init__(self, size: int) -> None:
        self.lock = threading.Lock()
        self.procs: set[subprocess.Popen] = set()
        self.stopped = False
        self.pool = ThreadPoolExecutor(max_workers=max(1, size), thread_name_prefix="papermill")

    def submit(self, job: Job) -> Future:
        return self.pool.submit(self._execute, job)

    def _run(self, cmd: list[str], log: Path, cwd: Path, env: dict[str, str]) -> int:
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

    def _execute(self, job: Job) -> Outcome:
        """Run one notebook with papermill in a subprocess (its output goes to the job's log); never raises."""
        start = time.perf_counter()
        job.reads.unlink(missing_ok=True)
        own = chapter_env(job)
        env = {k: v for k, v in os.environ.items() if k not in own}
        env.update({k: v for k, v in own.items() if v is not None})  # papermill's kernel inherits them
        try:
            code = self._run(papermill_command(job), job.log, job.log.parent, env)
        except OSError as exc:
            job.log.write_text(f"{type(exc).__name__}: {exc}\n", encoding="utf-8")
            code = -1
        return finish(job, start, failed=code != 0)

    def stop(self) -> None:
        with self.lock:
            self.stopped = True
            for proc in self.procs:
                proc.terminate()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

"""The kernel pool: one live kernel per core that runs chapters in turn, each in a fresh namespace.

Starting a kernel and importing polars, great-tables, altair and vl-convert
costs about a second; with a process per chapter every chapter paid it. A
``KernelPool`` pays it once per kernel: each kernel is started and warmed
(``WARM_CODE``) when the pool is made, then executes chapter after chapter with
papermill's own API (``papermill.execute_notebook``, its nbclient engine, given
the live kernel manager and client), so the executed notebooks are the ones
papermill's command line writes.

Before each chapter the kernel is made fresh (``_prologue``, run silently so
that it uses no execution count): its working folder is the book folder, the
data layer's read record is emptied and pointed at the chapter's own file
(``READS_ENV``), the chart PNGs are kept where the job says (``CHARTS_ENV``),
every ``functools`` cache in the ``analysis`` package is cleared (no chapter sees data another one cached, and every read is recorded
again), the warning filters and registries are those after the warm-up, and
IPython's ``reset(new_session=True)`` empties the namespace and starts the
execution count at 1 again.

A chapter that fails in a cell leaves its kernel usable; any other failure (the
kernel died, a cell timed out) replaces the kernel before the next chapter, so
one chapter never takes the others down.
"""

from __future__ import annotations

import logging
import os
import queue
import subprocess
import tempfile
import threading
import time
from concurrent.futures import Future
from pathlib import Path

from analysis.pipeline.errors import ChapterFailure
from analysis.pipeline.job import CELL_TIMEOUT, Job, Outcome, chapter_env, finish, write_log

__all__ = ["KernelPool", "WARM_CODE"]

WARM_CODE = "import polars, great_tables, altair, vl_convert, analysis.present.charts, analysis.present.tables"
"""What every chapter imports: run once per kernel, when it starts."""
KERNEL_NAME = "python3"
START_TIMEOUT = 60
ENGINE = "virksomhetsanalyse-warm"

_SAVE = """
import sys as _s, types as _t, warnings as _w
_s.modules["_va_pool"] = _m = _t.ModuleType("_va_pool")
_m.filters = list(_w.filters)
del _s, _t, _w, _m
"""

_PROLOGUE = """
import importlib as _i, os as _o, sys as _s, warnings as _w
_o.chdir({cwd!r})
for _k, _v in {env!r}.items():
    if _v is None:
        _o.environ.pop(_k, None)
    else:
        _o.environ[_k] = _v
for _n, _mod in list(_s.modules.items()):
    if _n == "analysis" or _n.startswith("analysis."):
        for _v in list(vars(_mod).values()):
            if callable(getattr(_v, "cache_clear", None)) and hasattr(_v, "cache_info"):
                _v.cache_clear()
    _reg = getattr(_mod, "__warningregistry__", None)
    if isinstance(_reg, dict):
        _reg.clear()
if {reads_module!r} in _s.modules:
    _s.modules[{reads_module!r}].clear_reads()
_w.filters[:] = _s.modules["_va_pool"].filters
_w.onceregistry.clear()
get_ipython().reset(new_session=True)
"""


def _prologue(job: Job) -> str:
    from analysis.data import reads

    return _PROLOGUE.format(cwd=str(job.cwd), env=chapter_env(job), reads_module=reads.clear_reads.__module__)


class _ChapterLog(logging.Handler):
    """papermill's log lines go to the log of the chapter the logging thread runs (as its command line's stderr did)."""

    current = threading.local()

    def emit(self, record: logging.LogRecord) -> None:
        log = getattr(self.current, "log", None)
        if log is not None:
            with open(log, "a", encoding="utf-8") as fh:
                fh.write(self.format(record) + "\n")


def _register_engine() -> None:
    """papermill's nbclient engine, on a kernel and a client that outlive the notebook (registered once)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.utils import remove_args

    if ENGINE in papermill_engines._engines:
        return
    logger = logging.getLogger("papermill")
    logger.addHandler(_ChapterLog())
    logger.setLevel(logging.INFO)
    logger.propagate = False  # not on the terminal: into the chapter logs, as with `python -m papermill` per chapter

    class WarmEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, start_timeout=60, execution_timeout=None, kc=None, **kw):
            kw = remove_args(["input_path", "timeout", "startup_timeout", "stdout_file", "stderr_file"], **kw)
            client = PapermillNotebookClient(
                nb_man, timeout=execution_timeout, startup_timeout=start_timeout, kernel_name=kernel_name, log_output=log_output, **kw
            )
            client.kc = kc  # nbclient makes a client only when it has none, and closes only what it made
            return client.execute()

    papermill_engines.register(ENGINE, WarmEngine)


class _Kernel:
    """One started, warmed kernel with its client; every call runs on the thread that made it (its event loop)."""

    def __init__(self, env: dict[str, str], warm: str, log: Path) -> None:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import ensure_event_loop

        self.loop = ensure_event_loop()  # the loop nbclient's run_sync uses on this thread too
        self.log = log
        self.km = AsyncKernelManager(kernel_name=KERNEL_NAME)
        with open(log, "ab") as out:  # the kernel's own stdout and stderr
            self.loop.run_until_complete(self.km.start_kernel(env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL))
        self.kc = self.km.client()
        try:
            self.kc.start_channels()
            self.loop.run_until_complete(self.kc.wait_for_ready(timeout=START_TIMEOUT))
            self.execute(warm)  # an import error shows again in the chapter's own cell, as without the pool
            self.execute(_SAVE)
        except BaseException:
            self.shutdown()  # no kernel left behind
            raise

    def execute(self, code: str) -> dict:
        reply = self.kc.execute_interactive(
            code, silent=True, store_history=False, allow_stdin=False, timeout=CELL_TIMEOUT, output_hook=lambda _msg: None
        )
        return self.loop.run_until_complete(reply)["content"]

    def alive(self) -> bool:
        return bool(self.loop.run_until_complete(self.km.is_alive()))

    def pid(self) -> int | None:
        proc = getattr(self.km.provisioner, "process", None)
        return proc.pid if proc is not None else None

    def run(self, job: Job) -> tuple[Outcome, bool]:
        """Execute one chapter; ``(outcome, kernel still fit for another chapter)``."""
        import papermill
        from papermill.exceptions import PapermillExecutionError

        start = time.perf_counter()
        job.reads.unlink(missing_ok=True)
        job.log.write_text("", encoding="utf-8")
        seen = self.log.stat().st_size
        fit = True
        _ChapterLog.current.log = job.log
        try:
            content = self.execute(_prologue(job))
            if content.get("status") != "ok":
                raise RuntimeError(f"the kernel could not be reset: {content.get('ename')}: {content.get('evalue')}")
            papermill.execute_notebook(
                str(job.source),
                str(job.target),
                parameters=job.params,
                engine_name=ENGINE,
                request_save_on_cell_execute=False,
                progress_bar=False,
                log_output=False,
                execution_timeout=CELL_TIMEOUT,
                km=self.km,
                kc=self.kc,
            )
            failed = False
        except PapermillExecutionError as exc:  # a cell raised: the notebook names it, the kernel is fine
            write_log(job.log, exc)
            failed = True
        except Exception as exc:  # the kernel died, a cell timed out, ...
            self._copy_output(seen, job.log)
            write_log(job.log, exc)
            failed, fit = True, False
        finally:
            _ChapterLog.current.log = None
        return finish(job, start, failed), fit and self.alive()

    def _copy_output(self, since: int, log: Path) -> None:
        with open(self.log, "rb") as fh:
            fh.seek(since)
            text = fh.read().decode("utf-8", errors="replace")
        if text:
            with open(log, "a", encoding="utf-8") as out:
                out.write(text)

    def shutdown(self) -> None:
        try:
            self.kc.stop_channels()
            self.loop.run_until_complete(self.km.shutdown_kernel(now=True))
        except Exception:  # noqa: BLE001 - already gone
            pass


class KernelPool:
    """``size`` live kernels, each on its own thread, taking chapters from one queue.

    Made with the environment it is given (default: this process's), which the
    kernels keep: ``PYTHONPATH`` decides which ``analysis`` they import. Use it
    as a context manager, or ``close()`` it; ``run_notebooks(pool=...)`` reuses a
    pool across runs (the tests do), otherwise each run makes and closes one.
    """

    def __init__(self, size: int, *, env: dict[str, str] | None = None, warm: str = WARM_CODE) -> None:
        _register_engine()
        self.size = max(1, size)
        self.env = dict(os.environ if env is None else env)
        self.warm = warm
        self.jobs: queue.Queue = queue.Queue()
        self.stopping = threading.Event()
        self.kernels: dict[int, _Kernel] = {}
        self.folder = tempfile.TemporaryDirectory(prefix="va-kernels-")
        self.threads = [threading.Thread(target=self._work, args=(i,), name=f"va-kernel-{i}", daemon=True) for i in range(self.size)]
        for t in self.threads:
            t.start()

    def __enter__(self) -> KernelPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def submit(self, job: Job) -> Future:
        fut: Future = Future()
        self.jobs.put((job, fut))
        return fut

    def _start(self, slot: int) -> _Kernel | None:
        if self.stopping.is_set():
            return None
        kernel = _Kernel(self.env, self.warm, Path(self.folder.name) / f"kernel-{slot}.log")
        self.kernels[slot] = kernel
        return kernel

    def _work(self, slot: int) -> None:
        kernel: _Kernel | None = None
        error: Exception | None = None
        try:
            kernel = self._start(slot)
        except Exception as exc:  # noqa: BLE001 - reported with each chapter this slot takes
            error = exc
        while True:
            item = self.jobs.get()
            if item is None:
                break
            job, fut = item
            if not fut.set_running_or_notify_cancel():
                continue
            if kernel is None and error is None and not self.stopping.is_set():
                try:
                    kernel = self._start(slot)
                except Exception as exc:  # noqa: BLE001
                    error = exc
            if kernel is None:
                reason = error or RuntimeError("the build was stopped")
                fut.set_result(Outcome(job.name, 0.0, ChapterFailure(job.name, None, None, None, type(reason).__name__, str(reason))))
                error = None  # the next chapter tries a new kernel
                continue
            try:
                outcome, fit = kernel.run(job)
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
                fut.set_exception(exc)
                fit = False
            else:
                fut.set_result(outcome)
            if not fit:
                kernel.shutdown()
                kernel = None  # a fresh kernel for the next chapter
                try:
                    kernel = self._start(slot)
                except Exception as exc:  # noqa: BLE001
                    error = exc
        if kernel is not None:
            kernel.shutdown()
        self.kernels.pop(slot, None)

    def stop(self) -> None:
        """End every kernel at once (an interrupt): running chapters fail, waiting ones are not started."""
        self.stopping.set()
        while True:
            try:
                _job, fut = self.jobs.get_nowait()
            except queue.Empty:
                break
            fut.cancel()
        for kernel in list(self.kernels.values()):
            pid = kernel.pid()
            if pid is not None:
                try:
                    os.kill(pid, 9)
                except OSError:
                    pass

    def close(self) -> None:
        """Shut the kernels down and wait for their threads."""
        for _ in self.threads:
            self.jobs.put(None)
        for t in self.threads:
            t.join()
        self.folder.cleanup()

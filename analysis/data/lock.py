"""One writer at a time: the project's write lock, and the commit lock readers share with commits.

Two lock files (``filelock``: an ``flock`` on Linux, released by the kernel when the process dies, even
by SIGKILL) in the folder that holds what is written (the project folder for ``data/``, ``book/`` and
``_book/``; for ``--data-dir DIR``, DIR's parent):

* ``.virksomhetsanalyse.lock``, the **write lock**: every command that writes ``data/``, ``book/`` or
  ``_book/`` holds it for its whole run (``analysis.data.access.writing``). A second writer waits ``wait_seconds()`` (10 s,
  ``VIRKSOMHETSANALYSE_LOCK_WAIT`` overrides), then stops with ``LockBusy``, which names the command
  that holds it: the holder writes its command line, process id and start time into the side file
  ``.virksomhetsanalyse.lock.json``.
* ``.virksomhetsanalyse-commit.lock``, the **commit lock**: held while files are swapped in (the
  journal of ``analysis.data.commit``, ``run``'s move into ``book/``) and by a reader (``validate``,
  ``preview``, ``template``, a ``--dry-run``) while it reads (``analysis.data.access.reading``), so that a reader sees
  either the old or the new state, never half of a commit; a reader need not wait for a long
  ``build``, only for a commit.

A folder whose lock cannot be created (a read-only checkout) has no writer either: a reader goes on
without it; a writer stops (``analysis.data.commit.DiskError``).
"""

from __future__ import annotations

import json
import os
import shlex
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime
from pathlib import Path

__all__ = [
    "LOCK_FILE",
    "HOLDER_FILE",
    "COMMIT_LOCK_FILE",
    "WAIT_ENV",
    "LockBusy",
    "wait_seconds",
    "command_line",
    "holder",
    "commit_lock",
    "acquire",
    "write_holder",
    "clear_holder",
]

LOCK_FILE = ".virksomhetsanalyse.lock"
HOLDER_FILE = ".virksomhetsanalyse.lock.json"
COMMIT_LOCK_FILE = ".virksomhetsanalyse-commit.lock"
WAIT_ENV = "VIRKSOMHETSANALYSE_LOCK_WAIT"
WAIT_SECONDS = 10.0
"""How long a second writer waits for the first before it stops."""
COMMIT_WAIT_SECONDS = 60.0
"""How long a commit (or a reader) waits for readers (or a commit): each holds the commit lock for seconds at most."""

Notice = Callable[[str], None]


class LockBusy(Exception):
    """Another command holds the lock: ``holder`` (its command line, pid, start), the folder, the seconds waited."""

    def __init__(self, folder: Path, who: dict, waited: float, kind: str = "writing"):
        self.folder, self.holder, self.waited, self.kind = folder, who, waited, kind
        cmd = f"'{who['command']}'" if who.get("command") else "another virksomhetsanalyse command"
        since = f", since {who['since']}" if who.get("since") else ""
        pid = f" (pid {who['pid']}{since})" if who.get("pid") else ""
        doing = "writing" if kind == "writing" else "reading or committing files"
        super().__init__(
            f"another command is {doing} in {folder}: {cmd}{pid}; waited {waited:g} s for it. "
            "Nothing was done: run this command again when that one has finished"
        )


def wait_seconds() -> float:
    """How long a writer waits for the lock: ``VIRKSOMHETSANALYSE_LOCK_WAIT`` seconds, else ``WAIT_SECONDS``."""
    try:
        return max(0.0, float(os.environ.get(WAIT_ENV, "")))
    except ValueError:
        return WAIT_SECONDS


def command_line(command: str) -> str:
    """The command as the user typed it (``virksomhetsanalyse import b.xlsx``), for the side file."""
    args = sys.argv[1:]
    if command in args:
        return shlex.join(["virksomhetsanalyse", *args[args.index(command) :]])
    return f"virksomhetsanalyse {command}"


def _lock(path: Path):
    """The one lock object of ``path`` in this process (``is_singleton``): taken again by the same thread, it only counts."""
    from filelock import FileLock

    return FileLock(str(path), is_singleton=True)


def holder(root: Path) -> dict:
    """What the side file says about the command holding the write lock of ``root`` (empty if nothing readable)."""
    try:
        who = json.loads((Path(root) / HOLDER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return who if isinstance(who, dict) else {}


def acquire(stack: ExitStack, path: Path, timeout: float, on_busy: Callable[[float], Exception]) -> OSError | None:
    """Take a lock into ``stack``; the error when its file cannot be created (a read-only folder), else None."""
    from filelock import Timeout

    lock = _lock(path)
    start = time.monotonic()
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise on_busy(time.monotonic() - start) from None
    except OSError as exc:
        return exc
    stack.callback(lock.release)
    return None


@contextmanager
def commit_lock(folder: Path, wait: float = COMMIT_WAIT_SECONDS) -> Iterator[bool]:
    """Hold the commit lock of ``folder`` (a data folder or ``book/``): True if held, False if it cannot be created."""
    root = Path(folder).resolve().parent
    with ExitStack() as stack:
        failed = acquire(stack, root / COMMIT_LOCK_FILE, wait, lambda w: LockBusy(root, {}, round(w, 1), "commit"))
        yield failed is None


def write_holder(root: Path, command: str) -> None:
    """Say in the side file which command holds the write lock of ``root``: its command line, pid and start."""
    info = {"command": command_line(command), "pid": os.getpid(), "since": datetime.now().strftime("%Y-%m-%d %H:%M:%S")}
    try:
        (root / HOLDER_FILE).write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
    except OSError:
        pass  # the lock holds without it; a waiting command then names no holder


def clear_holder(root: Path) -> None:
    """Remove the side file when the write lock is released."""
    try:
        (root / HOLDER_FILE).unlink(missing_ok=True)
    except OSError:
        pass

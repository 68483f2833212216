"""What a command holds while it runs: the write lock for a writer, the commit lock for a reader (``analysis.data.lock``).

``writing`` and ``reading`` take the locks of the folders a command writes or reads, then recover every data
folder it touches (``analysis.data.commit.recover``: an import killed half-way is completed or rolled back
before anything else happens) and remove staged copies a killed import left behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from analysis.data.commit import DiskError, clean_stale_stages, recover
from analysis.data.lock import (
    COMMIT_LOCK_FILE,
    COMMIT_WAIT_SECONDS,
    LOCK_FILE,
    LockBusy,
    acquire,
    clear_holder,
    holder,
    wait_seconds,
    write_holder,
)

__all__ = ["writing", "reading"]

Notice = Callable[[str], None]


def _roots(folders: Iterable[Path]) -> list[Path]:
    """The folders holding the locks of ``folders`` (each one's parent), each once, in a fixed order (no deadlock)."""
    return sorted({Path(f).resolve().parent for f in folders}, key=str)


def _recover(data_dirs: Iterable[Path], notice: Notice | None) -> None:
    for d in data_dirs:
        done = recover(d)
        if done and notice:
            notice(done)
        clean_stale_stages(d)


@contextmanager
def writing(command: str, folders: Iterable[Path], data_dirs: Iterable[Path] = (), notice: Notice | None = None) -> Iterator[None]:
    """Hold the write lock of every folder in ``folders`` for the block (``data/``, ``book/``, ``_book/``).

    First the data folders in ``data_dirs`` are recovered (``analysis.data.commit.recover``) and stale staged
    copies removed; ``notice`` is told what a recovery did. Raises ``LockBusy`` after ``wait_seconds()``,
    ``analysis.data.commit.DiskError`` when a lock file cannot be created.
    """
    wait = wait_seconds()
    with ExitStack() as stack:
        for root in _roots(folders):
            failed = acquire(stack, root / LOCK_FILE, wait, lambda w, r=root: LockBusy(r, holder(r), round(w, 1)))
            if failed is not None:
                raise DiskError(root, "take the write lock", failed, "Nothing was done")
            write_holder(root, command)
            stack.callback(clear_holder, root)
        _recover(data_dirs, notice)
        yield


@contextmanager
def reading(folders: Iterable[Path], data_dirs: Iterable[Path] = (), notice: Notice | None = None) -> Iterator[None]:
    """Hold the commit lock of every folder in ``folders`` while reading, so that no commit happens meanwhile.

    The data folders in ``data_dirs`` are recovered first, if an interrupted commit left them half-written, and
    staged copies of a killed import removed.
    Without a lock file (a read-only folder, where nobody can write) the block runs unlocked.
    """
    with ExitStack() as stack:
        for root in _roots(folders):
            acquire(stack, root / COMMIT_LOCK_FILE, COMMIT_WAIT_SECONDS, lambda w, r=root: LockBusy(r, {}, round(w, 1), "commit"))
        _recover(data_dirs, notice)
        yield

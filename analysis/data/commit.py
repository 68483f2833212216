"""Several files of ``data/`` replaced as one step that survives SIGKILL at any instant and a power cut.

``commit_files`` is a **redo journal** in the folder ``data/.commit/``:

1. *stage*: each new file is copied into ``.commit/`` and flushed to disk (``fsync``), then ``.commit/``
   itself. ``.commit/`` is inside ``data/``, so the renames of step 3 never cross a file system (no
   ``EXDEV`` when ``data/`` is a mount of its own) and each is atomic;
2. *commit point*: ``journal.json`` (every file with the SHA-256 of its new bytes, the command, the
   time) is written as ``journal.json.tmp``, flushed, renamed to ``journal.json``, and ``.commit/``
   flushed. Until this rename is on disk, nothing in ``data/`` has changed;
3. *apply*: each staged file is renamed onto its name in ``data/`` (``os.replace``), ``data/`` flushed;
4. *done*: the journal removed, ``.commit/`` removed, ``data/`` flushed.

``recover``, which every command runs before it reads or writes ``data/`` (``analysis.data.lock``),
finishes what a killed process left: with a journal, the commit happened, so every staged file still
there is renamed into ``data/`` (its hash checked against the journal; a file already moved has the
journal's hash) and step 4 follows (*completed*); without one, ``.commit/`` is removed and ``data/``,
never touched, stays as it was (*rolled back*). Recovery is itself a sequence of atomic renames, so
a recovery killed half-way is finished by the next one.

Why a redo journal: the new files are complete and checked before the commit point, so after a
crash the one question is whether the commit point was reached, which the journal's presence
answers; rolling forward needs no copy of the old files (an undo journal does) and no new layout
of ``data/`` (swapping a whole folder behind a symbolic link would change what git and the user see,
and a folder cannot be replaced atomically on Linux while it is in use). Each step that matters to
a power cut is followed by ``fsync`` of the file and of the folder holding its name.

``checkpoint`` marks every step; ``VIRKSOMHETSANALYSE_KILL_AT=<step>`` makes the process SIGKILL itself
there (the tests kill a commit at every step), ``VIRKSOMHETSANALYSE_TRACE_STEPS=<file>`` lists the steps.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import signal
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

__all__ = [
    "COMMIT_DIR",
    "JOURNAL",
    "KILL_ENV",
    "TRACE_ENV",
    "STAGE_PREFIX",
    "DiskError",
    "checkpoint",
    "commit_files",
    "recover",
    "clean_stale_stages",
    "stage_name",
]

COMMIT_DIR = ".commit"
JOURNAL = "journal.json"
KILL_ENV = "VIRKSOMHETSANALYSE_KILL_AT"
TRACE_ENV = "VIRKSOMHETSANALYSE_TRACE_STEPS"
STAGE_PREFIX = ".import-"
"""Staged copies of ``data/`` (``.import-<pid>-<random>.tmp`` beside it) that an import validates before it commits."""


class DiskError(Exception):
    """A folder that refuses a write (read-only, permission denied, full, another device): one message, what to do."""

    ADVICE = {
        errno.EROFS: "the file system is read-only: work in a writable copy of the project, or mount it writable",
        errno.EACCES: "permission denied: give your user write permission on the folder, or work in a copy you own",
        errno.EPERM: "permission denied: give your user write permission on the folder, or work in a copy you own",
        errno.ENOSPC: "the disk is full: free some space on it, then run the command again",
        errno.EDQUOT: "your disk quota is used up: free some space, then run the command again",
        errno.EXDEV: "the file would have to move to another file system: keep the folder on one file system",
    }

    def __init__(self, folder: Path, what: str, error: OSError, outcome: str = "Nothing was written"):
        self.folder, self.what, self.error, self.outcome = Path(folder), what, error, outcome
        self.advice = self.ADVICE.get(error.errno, f"{error.strerror or error}: check the folder and the disk")
        super().__init__(f"cannot {what} in {folder}: {self.advice}. {outcome}")


def checkpoint(step: str) -> None:
    """A step of a commit or a recovery: noted for ``TRACE_ENV``, and the process SIGKILLs itself at ``KILL_ENV``."""
    trace = os.environ.get(TRACE_ENV)
    if trace:
        with open(trace, "a", encoding="utf-8") as fh:
            fh.write(step + "\n")
    if os.environ.get(KILL_ENV) == step:
        os.kill(os.getpid(), signal.SIGKILL)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_durably(src: Path, dst: Path) -> str:
    """Copy ``src`` to ``dst``, flushed to disk; the SHA-256 of the bytes."""
    data = Path(src).read_bytes()
    with open(dst, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return hashlib.sha256(data).hexdigest()


def _sha(path: Path) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def commit_files(data_dir: Path, files: Mapping[str, Path], about: str = "") -> None:
    """Replace ``data_dir/<name>`` by the file ``files[name]`` for every name, all or nothing.

    ``about`` says what the commit is (the journal keeps it; a recovery names it). Holds the commit lock
    (``analysis.data.lock.commit_lock``). Raises ``DiskError`` when the disk refuses a write before the
    commit point; then ``data_dir`` is as it was and nothing is left behind.
    """
    from analysis.data.lock import commit_lock

    data_dir = Path(data_dir).resolve()
    with commit_lock(data_dir):
        recover(data_dir)
        stage = data_dir / COMMIT_DIR
        try:
            stage.mkdir()
            hashes = {}
            for name, src in files.items():
                hashes[name] = _copy_durably(src, stage / name)
                checkpoint(f"staged {name}")
            _fsync_dir(stage)
            checkpoint("staged")
            journal = {"about": about, "started": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "files": hashes}
            tmp = stage / f"{JOURNAL}.tmp"
            with open(tmp, "w", encoding="utf-8") as fh:
                json.dump(journal, fh, ensure_ascii=False, indent=1)
                fh.flush()
                os.fsync(fh.fileno())
            checkpoint("journal written")
            os.replace(tmp, stage / JOURNAL)
            _fsync_dir(stage)
        except OSError as exc:
            shutil.rmtree(stage, ignore_errors=True)  # before the commit point: roll back
            raise DiskError(data_dir, "write the new files", exc) from exc
        checkpoint("committed")
        try:
            _apply(data_dir, stage, hashes, "")
        except OSError as exc:  # after the commit point: the journal stays, the next command completes the commit
            kept = "The journal is kept: the next command that can write there completes the commit"
            raise DiskError(data_dir, "finish writing the new files", exc, kept) from exc


def _apply(data_dir: Path, stage: Path, hashes: Mapping[str, str], step: str) -> None:
    """Steps 3 and 4: every staged file into ``data_dir``, then the journal and ``.commit/`` removed."""
    for name, sha in hashes.items():
        staged = stage / name
        if staged.exists():
            if _sha(staged) != sha:
                what = f"complete the interrupted commit ({name} in {COMMIT_DIR}/ is not the file its journal names)"
                raise DiskError(stage, what, OSError(errno.EIO, "the staged file changed"), "Nothing was changed; the journal is kept")
            os.replace(staged, data_dir / name)
            checkpoint(f"{step}replaced {name}")
        elif _sha(data_dir / name) != sha:
            what = f"complete the interrupted commit ({name} is neither staged nor the file its journal names)"
            raise DiskError(data_dir, what, OSError(errno.EIO, "the file changed"), "Nothing was changed; the journal is kept")
    _fsync_dir(data_dir)
    checkpoint(f"{step}applied")
    (stage / JOURNAL).unlink()
    _fsync_dir(stage)
    checkpoint(f"{step}journal removed")
    shutil.rmtree(stage)
    _fsync_dir(data_dir)
    checkpoint(f"{step}cleaned")


def recover(data_dir: Path) -> str | None:
    """Complete or roll back a commit a killed process left in ``data_dir``; what was done, or None if nothing was left.

    Runs under the commit lock. Raises ``DiskError`` when the folder cannot be written (the journal stays
    for a command that can).
    """
    from analysis.data.lock import commit_lock

    data_dir = Path(data_dir).resolve()
    stage = data_dir / COMMIT_DIR
    if not stage.exists():
        return None
    with commit_lock(data_dir):
        if not stage.exists():
            return None  # another process finished it while this one waited
        try:
            journal = json.loads((stage / JOURNAL).read_text(encoding="utf-8"))
        except FileNotFoundError:
            journal = None
        except (OSError, ValueError) as exc:
            unreadable = OSError(errno.EIO, str(exc))
            raise DiskError(stage, "read the journal of an interrupted commit", unreadable, "Nothing was changed") from None
        try:
            if journal is None:
                shutil.rmtree(stage)
                _fsync_dir(data_dir)
                return f"rolled back an interrupted commit in {data_dir} (it had not begun to change any file; nothing was lost)"
            _apply(data_dir, stage, journal["files"], "recover ")
        except OSError as exc:
            kept = "The journal is kept for a command that can write there"
            raise DiskError(data_dir, "finish an interrupted commit", exc, kept) from exc
    about = f" ({journal['about']})" if journal.get("about") else ""
    return f"completed an interrupted commit{about} from {journal.get('started', '?')}: {', '.join(journal['files'])} now hold its figures"


def stage_name() -> str:
    """The prefix of a staged copy made by this process (``tempfile.mkdtemp(prefix=...)``)."""
    return f"{STAGE_PREFIX}{os.getpid()}-"


_STAGE = re.compile(rf"^{re.escape(STAGE_PREFIX)}(?:(\d+)-)?.*\.tmp$")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale_stages(data_dir: Path) -> list[Path]:
    """Remove staged copies (beside ``data_dir`` or in the temp folder) whose process is gone: an import killed before it cleaned up."""
    import tempfile

    removed = []
    entries = []
    for parent in dict.fromkeys((Path(data_dir).resolve().parent, Path(tempfile.gettempdir()))):
        try:
            entries += list(parent.iterdir())
        except OSError:
            continue
    for p in entries:
        m = _STAGE.match(p.name)
        if m and p.is_dir() and not p.is_symlink() and (m.group(1) is None or not _alive(int(m.group(1)))):
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p)
    return removed

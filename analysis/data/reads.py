"""The read record: every file of ``data/`` this process read, with the SHA-256 of the bytes read.

The loaders (``analysis.data.load``) and ``read_descriptor``
(``analysis.data.package``) note each read here; when ``$VIRKSOMHETSANALYSE_READS``
is set (the build sets it for each chapter's run), every read is also
appended to that file as one JSON line. The build keys each chapter on it
(``analysis.pipeline``), so a chapter runs again exactly when a file it read has
changed.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

__all__ = [
    "READS_ENV",
    "CHANGED_DURING_READS",
    "SHOWN_KEY",
    "record_read",
    "read_recorded",
    "reads",
    "record_shown",
    "shown",
    "clear_reads",
]

READS_ENV = "VIRKSOMHETSANALYSE_READS"
"""When set (the build sets it for each chapter's run), every read is also appended to this file as one JSON line."""

CHANGED_DURING_READS = "changed-during-run"
"""Recorded instead of a hash when one process read two different versions of a file (it never matches a file)."""

SHOWN_KEY = "shown"
"""A line of the record that names figures a chapter took from ``Book`` to show (``record_shown``), not a file read."""

_READS: dict[str, dict] = {}
_SHOWN: set[tuple[str, str | None, str | None]] = set()


def record_read(name: str, path: Path, sha256: str | None) -> None:
    """Note that resource ``name`` was read from ``path`` with these bytes (``None``: the file does not exist)."""
    key = str(Path(path).resolve())
    seen = _READS.get(key)
    if seen is not None and seen["sha256"] in (sha256, CHANGED_DURING_READS):
        return
    entry = {"name": name, "path": key, "sha256": sha256 if seen is None else CHANGED_DURING_READS}
    _READS[key] = entry
    log = os.environ.get(READS_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as fh:  # at once, line by line: the record survives a kernel that dies
            fh.write(json.dumps(entry, sort_keys=True) + "\n")


def read_recorded(name: str, path: Path) -> bytes:
    """The bytes of a resource's file, recorded with their hash."""
    data = Path(path).read_bytes()
    record_read(name, path, hashlib.sha256(data).hexdigest())
    return data


def record_shown(dataset: str, indicator: str | None = None, group: str | None = None) -> None:
    """Note that a chapter took figures from ``Book`` to show: one series, or (``indicator`` None) a whole dataset.

    ``Book`` calls it; ``virksomhetsanalyse publish`` turns the chapters' notes into the edition's record of every
    figure the book shows (``analysis.pipeline.publish``). ``dataset`` ``text_figures`` with an ``indicator`` is one
    figure the source states in its text (its id).
    """
    key = (dataset, indicator, group)
    if key in _SHOWN:
        return
    _SHOWN.add(key)
    log = os.environ.get(READS_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({SHOWN_KEY: list(key)}) + "\n")


def shown() -> list[tuple[str, str | None, str | None]]:
    """Every ``record_shown`` note of this process, sorted (``None`` first)."""
    return sorted(_SHOWN, key=lambda k: tuple("" if x is None else x for x in k))


def reads() -> list[dict]:
    """Every file this process read through the loaders: ``{"name", "path", "sha256"}``, sorted by path."""
    return [dict(_READS[k]) for k in sorted(_READS)]


def clear_reads() -> None:
    """Forget the read record and the figures shown (tests)."""
    _READS.clear()
    _SHOWN.clear()

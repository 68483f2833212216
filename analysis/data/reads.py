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

__all__ = ["READS_ENV", "CHANGED_DURING_READS", "record_read", "read_recorded", "reads", "clear_reads"]

READS_ENV = "VIRKSOMHETSANALYSE_READS"
"""When set (the build sets it for each chapter's run), every read is also appended to this file as one JSON line."""

CHANGED_DURING_READS = "changed-during-run"
"""Recorded instead of a hash when one process read two different versions of a file (it never matches a file)."""

_READS: dict[str, dict] = {}


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


def reads() -> list[dict]:
    """Every file this process read through the loaders: ``{"name", "path", "sha256"}``, sorted by path."""
    return [dict(_READS[k]) for k in sorted(_READS)]


def clear_reads() -> None:
    """Forget the read record (tests)."""
    _READS.clear()

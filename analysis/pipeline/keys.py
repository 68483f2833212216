"""What decides whether a chapter must run again: its key and the record of what its last run read.

* ``chapter_key`` hashes everything but the data: the notebook's bytes, the
  ``analysis`` package's source, the Python environment and the parameters.
* The data part is what the chapter actually read: each run records, through
  the data layer (``READS_ENV``: every file read, with the SHA-256 of the bytes
  read, one JSON line each), datasets, lookups, side tables, ``checks.yaml``
  and the descriptor; ``read_record`` turns that file into the state entry's
  ``reads`` and ``stale_reads`` says which of them changed since. Nothing is
  declared by hand.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from analysis import config

__all__ = [
    "parameters_for",
    "package_hash",
    "environment_hash",
    "chapter_key",
    "read_record",
    "shown_record",
    "stale_reads",
    "file_sha",
    "PACKAGE_DIR",
]

PACKAGE_DIR = Path(__file__).resolve().parents[1]


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


def file_sha(path: Path) -> str | None:
    """SHA-256 of a file's bytes; ``None`` when it does not exist."""
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


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


def package_hash() -> str:
    """Hash of the ``analysis`` package's source files."""
    return _files_hash(PACKAGE_DIR.rglob("*.py"), PACKAGE_DIR)


@lru_cache(maxsize=1)
def environment_hash() -> str:
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
    return _sha256(source.read_bytes(), package_hash().encode(), environment_hash().encode(), json.dumps(params, sort_keys=True).encode())


def read_record(path: Path, data_dir: Path) -> dict[str, dict] | None:
    """The record a run left (the data layer's ``READS_ENV`` file): ``{file: {"name", "sha256"}}``, sorted; None when it read nothing.

    A file inside ``data_dir`` is named relative to it, any other by its absolute path. A file
    read twice with different bytes gets the data layer's ``CHANGED_DURING_READS``, which never
    matches a file (the chapter runs again next time).
    """
    if not path.exists():
        return None
    from analysis.data.reads import CHANGED_DURING_READS, SHOWN_KEY

    base = Path(data_dir).resolve()
    record: dict[str, dict] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        if SHOWN_KEY in entry:
            continue
        file = Path(entry["path"])
        rel = file.relative_to(base).as_posix() if file.is_relative_to(base) else file.as_posix()
        if rel in record and record[rel]["sha256"] != entry["sha256"]:
            entry["sha256"] = CHANGED_DURING_READS
        record[rel] = {"name": entry["name"], "sha256": entry["sha256"]}
    return dict(sorted(record.items()))


def shown_record(path: Path) -> list[list] | None:
    """The figures a run took from ``Book`` to show (the record's ``shown`` lines): ``[dataset, indicator, group]``
    (``None`` for a whole dataset), sorted; ``None`` when the run left no record."""
    if not path.exists():
        return None
    from analysis.data.reads import SHOWN_KEY

    entries = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    keys = {tuple(e[SHOWN_KEY]) for e in entries if SHOWN_KEY in e}
    return [list(k) for k in sorted(keys, key=lambda k: tuple("" if x is None else x for x in k))]


def stale_reads(reads: dict[str, dict], data_dir: Path) -> list[str]:
    """The files of a run's record whose bytes are no longer the ones read (a missing file counts as ``None``)."""
    base = Path(data_dir)
    return [f for f, r in reads.items() if file_sha(base / f) != r["sha256"]]

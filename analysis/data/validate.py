"""Validate ``data/``: every problem, with file, row and column.

``validate_data`` checks the whole Data Package: first that every path it names
stays inside the folder (``analysis.data.paths``; nothing else is read otherwise),
then in three passes: the gate
(``analysis.data.gate``: files read as text), the schema check
(``analysis.data.schema``: Frictionless against ``datapackage.yaml``), and
what a schema cannot say (``analysis.data.semantic``: ranges, references,
the declarations of ``checks.yaml``). ``cached_problems`` and ``ensure_valid``
skip the work for data whose content already passed this validator.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from analysis import config
from analysis.config import DATA_DIR
from analysis.data.gate import file_problems
from analysis.data.package import fingerprint, read_descriptor
from analysis.data.paths import path_problems
from analysis.data.problems import DataError, Problem, display
from analysis.data.schema import schema_problems
from analysis.data.semantic import semantic_problems

__all__ = ["validate_data", "cached_problems", "ensure_valid"]


def validate_data(data_dir: Path = DATA_DIR) -> list[Problem]:
    """Every problem in ``data_dir``; an empty list means the data are valid."""
    data_dir = Path(data_dir)
    try:
        descriptor = read_descriptor(data_dir)
    except DataError as exc:
        return exc.problems
    unsafe = path_problems(data_dir, descriptor)  # before any file the descriptor names is opened
    if unsafe:
        return unsafe
    own, skip, cells = file_problems(data_dir, descriptor)
    schema = [
        p
        for p in dict.fromkeys(schema_problems(data_dir, descriptor))  # one row's errors may repeat
        if p.file not in skip and (p.file, p.row, p.column) not in cells and p.kind != "encoding-error"
    ]
    order = {display(data_dir, r.get("path", r["name"])): i for i, r in enumerate(descriptor["resources"])}
    problems = sorted(own + schema, key=lambda p: order.get(p.file, len(order)))  # stable: by file, rows in order
    broken = set()
    for r in descriptor["resources"]:
        file = display(data_dir, r.get("path", r["name"]))
        if any(p.file == file for p in problems):
            broken.add(r["name"])
    problems += semantic_problems(data_dir, descriptor, broken)
    return problems


@lru_cache(maxsize=8)
def _validated(data_dir: str, state: str) -> tuple[Problem, ...]:
    stamp = _stamp(state)
    if stamp.exists():
        return ()
    problems = tuple(validate_data(Path(data_dir)))
    if not problems:
        try:
            stamp.parent.mkdir(parents=True, exist_ok=True)
            stamp.touch()
        except OSError:
            pass  # a read-only checkout still works, it just validates again next time
    return problems


def _stamp(state: str) -> Path:
    """Marker that data with this content hash passed this validator (``.build/valid/``).

    The key covers the data's bytes and the validator's own source (every
    module of ``analysis/data/`` and ``analysis/calc/``), so new data or a
    changed rule validates again; chapters run by ``run`` right after
    ``validate`` then skip a second, identical validation.
    """
    here = Path(__file__).resolve().parent
    sources = [*sorted(here.glob("*.py")), *sorted((here.parent / "calc").glob("*.py")), DATA_DIR.parent / "pyproject.toml"]
    code = hashlib.sha256(b"".join(p.read_bytes() for p in sources if p.exists())).hexdigest()[:16]
    return config.STATE_DIR / "valid" / f"{state[:32]}-{code}"  # read when called: a test's STATE_DIR holds its own


def cached_problems(data_dir: Path = DATA_DIR) -> list[Problem]:
    """``validate_data``, skipped when data with the same content already passed this validator."""
    return list(_validated(str(Path(data_dir).resolve()), fingerprint(data_dir)))


def ensure_valid(data_dir: Path = DATA_DIR) -> None:
    """Raise ``DataError`` unless ``data_dir`` is valid (cached per data state)."""
    problems = _validated(str(Path(data_dir).resolve()), fingerprint(data_dir))
    if problems:
        raise DataError(problems)

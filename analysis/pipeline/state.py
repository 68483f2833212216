"""The build's memory (``.build/state.json``) and the plan it gives: which chapters must run.

A chapter is up to date when its key is unchanged since its last successful
run, ``book/<name>.ipynb`` is the file that run wrote, and every file that run
read is unchanged (``keys.stale_reads``). A run that recorded no read (a
notebook that reads ``data/`` around the data layer) depends on all of
``data/`` (``analysis.data.store.fingerprint``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

from analysis import config
from analysis.pipeline.errors import BuildError
from analysis.pipeline.keys import chapter_key, file_sha, parameters_for, stale_reads

__all__ = ["STATE_FILE", "STATE_VERSION", "read_state", "write_state", "up_to_date", "plan", "outdated"]

STATE_FILE = "state.json"
STATE_VERSION = 3
"""Version 2 keeps, per chapter, the files its last run read (``reads``); version 3 also the figures it took from ``Book``
to show (``shown``, for ``publish``). Older state files are ignored (everything runs)."""


def read_state(state_dir: Path) -> dict:
    """The state file's content; an empty state when it is missing, unreadable or of another version."""
    path = Path(state_dir) / STATE_FILE
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"version": STATE_VERSION, "chapters": {}}
    if state.get("version") != STATE_VERSION:
        return {"version": STATE_VERSION, "chapters": {}}
    return state


def write_state(state_dir: Path, state: dict) -> None:
    """Write the state file atomically (a temporary file renamed over it)."""
    path = Path(state_dir) / STATE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(state, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def up_to_date(entry: dict | None, key: str, output: Path, data_dir: Path) -> bool:
    """Same key, the output the last run wrote, and every file that run read unchanged."""
    if not entry or entry.get("key") != key or entry.get("output") != file_sha(output):
        return False
    reads = entry.get("reads")
    if reads is None:  # the run recorded no read: it may have read anything in data/
        from analysis.data.package import fingerprint

        return entry.get("data") == fingerprint(data_dir)
    return not stale_reads(reads, data_dir)


def plan(
    names: Sequence[str], params: dict, force: bool, *, notebooks_dir: Path, book_dir: Path, data_dir: Path, state: dict
) -> tuple[dict[str, str], list[str]]:
    """Keys of every chapter, and the chapters that must run."""
    missing = [n for n in names if not (Path(notebooks_dir) / f"{n}.ipynb").exists()]
    if missing:
        raise BuildError("notebook(s) not found: " + ", ".join(str(Path(notebooks_dir) / f"{n}.ipynb") for n in missing))
    keys = {n: chapter_key(n, params, notebooks_dir=notebooks_dir) for n in names}
    todo = [n for n in names if force or not up_to_date(state["chapters"].get(n), keys[n], Path(book_dir) / f"{n}.ipynb", data_dir)]
    return keys, todo


def outdated(
    names: Sequence[str] | None = None,
    *,
    year: int = config.DEFAULT_YEAR,
    notebooks_dir: Path = config.NOTEBOOKS_DIR,
    book_dir: Path = config.BOOK_DIR,
    state_dir: Path = config.STATE_DIR,
    data_dir: Path = config.DATA_DIR,
) -> list[str]:
    """The chapters ``run_notebooks`` would execute now (without ``force``), in book order; runs nothing."""
    names = list(config.NOTEBOOKS if names is None else names)
    params = parameters_for(year, data_dir)
    state = read_state(Path(state_dir))
    return plan(names, params, False, notebooks_dir=notebooks_dir, book_dir=book_dir, data_dir=data_dir, state=state)[1]

"""The lookups ``units``, ``indicators`` and ``groups``, read one way for every user.

``lookup`` gives one lookup table as ``{id: row}`` in file order (the source's
order), each row typed by its schema (``decimals`` an ``int``, an empty
``minimum`` or ``direction`` ``None``), read through ``load_table``: validated
and recorded in the read record. The chapters' ``Book`` and the intake's
template and import both read them here.
"""

from __future__ import annotations

from pathlib import Path

from analysis.config import DATA_DIR
from analysis.data.load import load_table

__all__ = ["LOOKUPS", "lookup", "lookup_tables"]

LOOKUPS = ("units", "indicators", "groups")


def lookup(name: str, data_dir: Path = DATA_DIR) -> dict[str, dict]:
    """One lookup table (``units``, ``indicators`` or ``groups``): ``{id: row}`` in file order, typed by its schema."""
    if name not in LOOKUPS:
        raise KeyError(f"'{name}' is not a lookup table; the lookups are {', '.join(LOOKUPS)}")
    return {r["id"]: r for r in load_table(name, data_dir).to_dicts()}


def lookup_tables(data_dir: Path = DATA_DIR) -> dict[str, dict[str, dict]]:
    """Every lookup table: ``{"units": {...}, "indicators": {...}, "groups": {...}}``."""
    return {name: lookup(name, data_dir) for name in LOOKUPS}

"""Where each figure comes from, per year (and, where needed, per value).

``data/provenance.csv`` credits every observation to a source:

| column | meaning |
| --- | --- |
| ``dataset``, ``year`` | the dataset and year credited |
| ``indicator``, ``group`` | empty: every figure of that dataset and year; filled: one series (overrides the empty row) |
| ``kind`` | ``document`` (the dataset's ``sources`` in the descriptor), ``workbook`` (typed from a named source), ``ssb`` (from SSB) |
| ``source`` | the source as the book names it (empty for ``document``) |
| ``url``, ``updated``, ``fetched`` | for ``ssb``: the query URL, the table's last-updated date, the time of fetching (UTC) |

``Credit`` is one such source; ``credit_for`` finds the credit of one figure,
``Credits`` does the same for many (an index of the rows). ``merge_credits``
gives the rows after an import has credited the values it writes: compactly,
one dataset-year row where one credit covers them all, else one row per series.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = [
    "PROVENANCE_RESOURCE",
    "PROVENANCE_COLUMNS",
    "KINDS",
    "Credit",
    "DOCUMENT",
    "Credits",
    "credit_for",
    "credit_key",
    "credit_row",
    "merge_credits",
]

PROVENANCE_RESOURCE = "provenance"
PROVENANCE_COLUMNS = ("dataset", "year", "indicator", "group", "kind", "source", "url", "updated", "fetched")
KINDS = ("document", "workbook", "ssb")

Key = tuple[str, int, str, str]
"""``(dataset, year, indicator, group)``; indicator and group empty for "every figure of the dataset-year"."""


@dataclass(frozen=True)
class Credit:
    """The source of one or more figures."""

    kind: str
    source: str = ""
    url: str = ""
    updated: str = ""
    fetched: str = ""

    @classmethod
    def from_row(cls, row: Mapping) -> Credit:
        return cls(*(str(row.get(k) or "") for k in ("kind", "source", "url", "updated", "fetched")))


DOCUMENT = Credit("document")
"""The original report: the dataset's ``sources`` in ``datapackage.yaml``."""


def credit_key(row: Mapping) -> Key:
    """``(dataset, year, indicator, group)`` of a provenance row (empty strings for "every")."""
    return (str(row["dataset"]), int(row["year"]), str(row.get("indicator") or ""), str(row.get("group") or ""))


def credit_row(key: Key, credit: Credit) -> dict[str, str]:
    """One row of ``provenance.csv`` (every value a string, as written)."""
    values = (*key[:1], str(key[1]), *key[2:], credit.kind, credit.source, credit.url, credit.updated, credit.fetched)
    return dict(zip(PROVENANCE_COLUMNS, values, strict=True))


def credit_for(rows: Iterable[Mapping], dataset: str, year: int, indicator: str, group: str) -> Credit | None:
    """The credit of one figure: the row for its series, else the row for its dataset and year, else ``None``."""
    exact = wildcard = None
    for r in rows:
        key = credit_key(r)
        if key[:2] != (dataset, year):
            continue
        if key[2:] == (indicator, group):
            exact = r
        elif key[2:] == ("", ""):
            wildcard = r
    found = exact or wildcard
    return Credit.from_row(found) if found is not None else None


class Credits:
    """The rows of ``provenance.csv``, indexed: ``of`` answers as ``credit_for`` does, without a scan."""

    def __init__(self, rows: Iterable[Mapping]):
        self.by_key: dict[Key, Credit] = {credit_key(r): Credit.from_row(r) for r in rows}

    def of(self, dataset: str, year: int, indicator: str, group: str) -> Credit | None:
        """The credit of one figure (its series' row, else its dataset-year's), or ``None``."""
        found = self.by_key.get((dataset, year, indicator, group))
        return found if found is not None else self.by_key.get((dataset, year, "", ""))


def merge_credits(
    rows: Iterable[Mapping], written: Iterable[tuple[Key, Credit]], figures: Mapping[tuple[str, int], set[tuple[str, str]]]
) -> list[dict[str, str]]:
    """The rows of ``provenance.csv`` after crediting the values an import writes, sorted by key.

    Parameters
    ----------
    rows : the rows before the import.
    written : ``((dataset, year, indicator, group), credit)`` of every value written.
    figures : per ``(dataset, year)``, every series the data hold after the import.

    Per dataset-year: when one credit covers every value written and no row
    for the dataset-year exists yet, or the values written are every figure of
    the dataset-year, that credit becomes the dataset-year row (and series rows
    it makes redundant go); otherwise each value gets its series row, unless
    it has the dataset-year row's credit. A value written again (``--replace``)
    gets its new credit.
    """
    table: dict[Key, Credit] = {credit_key(r): Credit.from_row(r) for r in rows}
    by_year: dict[tuple[str, int], dict[tuple[str, str], Credit]] = {}
    for key, credit in written:
        by_year.setdefault(key[:2], {})[key[2:]] = credit
    for (dataset, year), series in by_year.items():
        everything = (dataset, year, "", "")
        credits = set(series.values())
        whole = set(series) >= figures.get((dataset, year), set())
        if len(credits) == 1 and (everything not in table or whole):
            table[everything] = next(iter(credits))
            if whole:
                for key in [k for k in table if k[:2] == (dataset, year) and k != everything]:
                    del table[key]
        base = table.get(everything)
        for (indicator, group), credit in series.items():
            if credit == base:
                table.pop((dataset, year, indicator, group), None)
            else:
                table[(dataset, year, indicator, group)] = credit
    return [credit_row(k, table[k]) for k in sorted(table)]

"""The public result of a KOSTRA fetch: plain records for the importer.

``KostraValue.literal`` is the figure as it should be stored in ``data/``
(``data/README.md``: a value keeps the decimals it was printed with). SSB's
figure is kept with the decimals SSB publishes (``category.unit.decimals``),
rounded half up to the indicator's display decimals when SSB has more, and
never padded with zeros when SSB has fewer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from analysis.calc.rounding import half_up

__all__ = ["KostraValue", "KostraMissing", "TableRead", "KostraResult", "literal", "decimals_of"]


@dataclass(frozen=True)
class KostraValue:
    """One figure for ``data/``, with its provenance."""

    dataset: str
    indicator: str
    group: str
    year: int
    literal: str
    """Decimal string as stored (``3237``, ``4.4``)."""
    table_id: str
    """SSB Statistikkbank table (``12362``)."""
    url: str
    """The query URL (or ``file://`` URI of a saved file) the figure came from."""
    updated: str
    """The table's last-updated time as SSB states it (``updated`` in the response)."""
    fetched: str
    """When it was fetched (or read), UTC, ``YYYY-MM-DDTHH:MM:SSZ``."""
    note: str = ""
    """How the figure was obtained when that is more than a copy (ASSS average, rounding, border change)."""


@dataclass(frozen=True)
class KostraMissing:
    """A figure the mapping asks for that SSB does not give (special value, status, no value)."""

    dataset: str
    indicator: str
    group: str
    year: int
    reason: str
    table_id: str
    url: str


@dataclass(frozen=True)
class TableRead:
    """One SSB answer the figures came from: a query (or a saved file) of one table."""

    table_id: str
    url: str
    """The query URL, or the ``file://`` URI of a saved file."""
    updated: str
    fetched: str


@dataclass
class KostraResult:
    """Everything one fetch produced: the figures, the figures missing, and notes for the book."""

    year: int
    values: list[KostraValue] = field(default_factory=list)
    missing: list[KostraMissing] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tables: list[TableRead] = field(default_factory=list)
    """Every answer read, in query order."""
    sha256: str = ""
    """SHA-256 of what was read: the saved file's bytes, or SSB's data answers (UTF-8, in query order)."""

    @property
    def table_ids(self) -> list[str]:
        """The tables read, each once, in query order."""
        return list(dict.fromkeys(t.table_id for t in self.tables))

    def value(self, dataset: str, indicator: str, group: str) -> KostraValue | None:
        """The figure for one dataset/indicator/group of the year, if there is one."""
        for v in self.values:
            if (v.dataset, v.indicator, v.group, v.year) == (dataset, indicator, group, self.year):
                return v
        return None

    def add_note(self, text: str) -> None:
        """Add a note once."""
        if text not in self.notes:
            self.notes.append(text)


def decimals_of(d: Decimal) -> int:
    """The number of decimals a Decimal is written with (``Decimal('4.40')`` → 2)."""
    exponent = d.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def literal(d: Decimal, places: int) -> str:
    """``d`` rounded half up to ``places`` decimals, written without exponent; ``-0`` is ``0``."""
    q = half_up(d, places)
    text = format(q, "f")
    if text.startswith("-") and q == 0:
        text = text[1:]
    return text

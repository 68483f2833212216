"""What ``Book`` hands out besides observations: text figures, the source's charts without figures, dataset notes.

Plain records, re-exported by ``analysis.data.book`` (the one door chapters use).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TextFigure", "SourceChart", "DatasetNote"]


@dataclass(frozen=True)
class TextFigure:
    """A figure the source states in its text (``text_figures.csv``)."""

    id: str
    year: int
    value: float
    decimals: int
    unit: str
    unit_label: str
    section: str
    approximate: bool
    base_year: int | None = None
    """The year a change or target is measured against, where the source names one."""
    claim: str | None = None
    """What the figure says about a table (``value``, ``change_pct``, ...), or ``None``."""
    dataset: str | None = None
    indicator: str | None = None
    group: str | None = None
    """The series the claim is about (with ``claim``)."""


@dataclass(frozen=True)
class SourceChart:
    """A chart of the source whose figures it does not print (``source_charts.csv``)."""

    section: str
    """The section number (``2.2.3``), without the document."""
    title: str
    what_it_shows: str


@dataclass(frozen=True)
class DatasetNote:
    """A note on a dataset from the descriptor: a quirk of the source kept visible."""

    dataset: str
    title: str
    sections: tuple[str, ...]
    note: str

"""The record of a published edition: ``editions/<year>/``, written by ``virksomhetsanalyse publish``.

* ``figures.csv``: every figure the book showed (``FIGURE_COLUMNS``: dataset,
  indicator, group, year, value as stored, unit, source); text figures (the
  source's running text) as dataset ``text_figures`` with their id as indicator;
* ``findings.csv``: the data-quality findings the book reported (``FINDING_COLUMNS``);
* ``series.csv``: every series ``data/`` held up to the year (``SERIES_COLUMNS``), shown or not, so that the next
  edition tells a series new since from one the book did not show;
* ``edition.json``: the year, the date of publishing, the git commit the book
  was built from, the SHA-256 of the data package (``data/``) and of the
  edition's text (``narrative/<year>/``), the PDF's SHA-256, and counts.

The folder ``editions/`` lies beside the data folder, like ``narrative/``
(``editions_dir_for``). ``previous_edition`` finds the latest record before a
year and notes every file it looked at in the read record (a record that
appears later runs the chapter that looked again).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from analysis import config
from analysis.data.reads import read_recorded, record_read

__all__ = [
    "EDITIONS_FOLDER",
    "RECORD_FILE",
    "FIGURES_FILE",
    "FINDINGS_FILE",
    "SERIES_FILE",
    "SERIES_COLUMNS",
    "FIGURE_COLUMNS",
    "FINDING_COLUMNS",
    "Figure",
    "Finding",
    "EditionRecord",
    "editions_dir_for",
    "published",
    "load_edition",
    "previous_edition",
    "figures_csv",
    "findings_csv",
    "series_csv",
]

EDITIONS_FOLDER = "editions"
RECORD_FILE = "edition.json"
FIGURES_FILE = "figures.csv"
FINDINGS_FILE = "findings.csv"
SERIES_FILE = "series.csv"
SERIES_COLUMNS = ("dataset", "indicator", "group", "first_year", "last_year")
FIGURE_COLUMNS = ("dataset", "indicator", "group", "year", "value", "unit", "source")
FINDING_COLUMNS = ("kind", "ref", "year", "section", "printed", "computed", "description")


@dataclass(frozen=True)
class Figure:
    """One figure a book shows: the value as stored in ``data/`` (its printed decimals kept), unit id, source named."""

    dataset: str
    indicator: str
    group: str
    year: int
    value: str
    unit: str
    source: str

    @property
    def key(self) -> tuple[str, str, str, int]:
        return (self.dataset, self.indicator, self.group, self.year)

    @property
    def number(self) -> float:
        return float(self.value)


@dataclass(frozen=True)
class Finding:
    """A data-quality finding the book reported: what was compared (kind, ref, year), where, and the two values."""

    kind: str
    ref: str
    year: int
    section: str
    printed: str
    computed: str
    description: str

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.kind, self.ref, self.year)


@dataclass(frozen=True)
class EditionRecord:
    year: int
    meta: dict
    figures: dict[tuple[str, str, str, int], Figure]
    findings: dict[tuple[str, str, int], Finding]
    series: frozenset[tuple[str, str, str]] = frozenset()
    """Every series the data held up to the year (``series.csv``; the figures' series when a record has none)."""

    @property
    def published(self) -> str:
        return str(self.meta.get("published", ""))


def editions_dir_for(data_dir: Path | None) -> Path:
    """The records' folder of a project: ``editions/`` beside its data folder."""
    return Path(data_dir or config.DATA_DIR).resolve().parent / EDITIONS_FOLDER


def published(editions_dir: Path) -> list[int]:
    """The years with a record (``editions/<year>/edition.json``), oldest first."""
    root = Path(editions_dir)
    if not root.is_dir():
        return []
    return sorted(int(p.name) for p in root.iterdir() if p.name.isdigit() and len(p.name) == 4 and (p / RECORD_FILE).is_file())


def _rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def load_edition(editions_dir: Path, year: int, *, record: bool = True) -> EditionRecord:
    """The record of edition ``year`` (raises ``OSError`` when a file is missing, ``ValueError`` when one is malformed)."""
    folder = Path(editions_dir) / str(int(year))

    def read(name: str) -> bytes:
        path = folder / name
        return read_recorded(f"edition:{year}/{name}", path) if record else path.read_bytes()

    meta = json.loads(read(RECORD_FILE).decode("utf-8"))
    figures = {}
    for r in _rows(read(FIGURES_FILE)):
        f = Figure(r["dataset"], r["indicator"], r["group"], int(r["year"]), r["value"], r["unit"], r["source"])
        figures[f.key] = f
    findings = {}
    for r in _rows(read(FINDINGS_FILE)):
        g = Finding(r["kind"], r["ref"], int(r["year"]), r["section"], r["printed"], r["computed"], r["description"])
        findings[g.key] = g
    if (folder / SERIES_FILE).exists():
        series = frozenset((r["dataset"], r["indicator"], r["group"]) for r in _rows(read(SERIES_FILE)))
    else:
        series = frozenset((f.dataset, f.indicator, f.group) for f in figures.values())
    return EditionRecord(int(year), meta, figures, findings, series)


def previous_edition(editions_dir: Path, year: int, first: int) -> EditionRecord | None:
    """The latest record of an edition before ``year`` (looking back to ``first``), or ``None``.

    Every ``edition.json`` looked for is noted in the read record, found or not, so that a record published
    later makes a chapter that used this answer run again.
    """
    for y in range(int(year) - 1, int(first) - 1, -1):
        path = Path(editions_dir) / str(y) / RECORD_FILE
        if path.is_file():
            return load_edition(editions_dir, y)
        record_read(f"edition:{y}/{RECORD_FILE}", path, None)
    return None


def _csv(columns: tuple[str, ...], rows: list[tuple]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    w.writerows(rows)
    return buf.getvalue()


def figures_csv(figures: list[Figure]) -> str:
    """``figures.csv`` of a record, sorted by dataset, indicator, group and year."""
    rows = sorted((f.dataset, f.indicator, f.group, f.year, f.value, f.unit, f.source) for f in figures)
    return _csv(FIGURE_COLUMNS, rows)


def findings_csv(findings: list[Finding]) -> str:
    """``findings.csv`` of a record, sorted by kind, ref and year."""
    rows = sorted((g.kind, g.ref, g.year, g.section, g.printed, g.computed, g.description) for g in findings)
    return _csv(FINDING_COLUMNS, rows)


def series_csv(figures: list[Figure]) -> str:
    """``series.csv`` of a record: each series of ``figures`` with its first and last year, sorted."""
    spans: dict[tuple[str, str, str], list[int]] = {}
    for f in figures:
        spans.setdefault((f.dataset, f.indicator, f.group), []).append(f.year)
    return _csv(SERIES_COLUMNS, [(*k, min(v), max(v)) for k, v in sorted(spans.items())])

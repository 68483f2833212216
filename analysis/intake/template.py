"""What the new year's input workbook looks like: one ``SheetLayout`` per dataset, read from ``data/``.

One sheet per observation dataset, in the wide layout analysts know: a row per
(indicator, group), a column per year. The columns are, in this order::

    indikator_id | gruppe_id | Indikator | Gruppe | Enhet | <years before Y> | Y | Kilde

The two id columns (grey) let the import map a row back to the data; the
labels come from ``indicators.csv`` and ``groups.csv`` and the unit label from
``units.csv``. Previous years are filled in and locked; only the new year's
column and *Kilde* are open. *Kilde* is the source of the row's figure for Y,
read by the import for every figure filled in: prefilled with the source of the
series' latest year when someone chose it (a ``workbook`` or ``ssb`` credit of
``data/provenance.csv``), left empty when that year is the original document's
(a document cannot hold a later year's figures: ``document_sources`` are
refused by the import); ``known_sources`` are offered as a drop-down. If
``data/`` already holds figures for Y (a correction round), they are filled
into Y's column.

A figure the source prints in two tables is stored in two datasets (a *same
fact* of ``checks.yaml``). It is typed once, in the dataset named first in the
declaration (``RowLayout.copied_to``); the row of each other dataset
(``RowLayout.copied_from``) is locked and shows that cell, and the import
copies the figure and its source there (``analysis.intake.plan``).

The first sheet, *Veiledning* (``GUIDE_SHEET``), tells the analyst what to do;
a hidden sheet ``_mal`` (``META_SHEET``) records the template's year and the
sheet → dataset mapping, so that the import does not depend on sheet names alone.

``layouts`` is shared by the workbook (``analysis.intake.workbook``) and the
import (``analysis.intake.check``): it is the one definition of what a sheet
must look like for a given year.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from analysis.calc.numbers import value_decimals
from analysis.config import CHECKS_FILE, DATA_DIR
from analysis.data.checks import parse_checks, same_facts
from analysis.data.csvfile import read_rows
from analysis.data.lookups import lookup_tables
from analysis.data.package import observation_names, read_descriptor, resource
from analysis.data.provenance import DOCUMENT, PROVENANCE_RESOURCE, Credit, Credits
from analysis.data.sources import source_text

__all__ = [
    "FIXED_HEADER",
    "SOURCE_HEADER",
    "GUIDE_SHEET",
    "META_SHEET",
    "META_FORMAT",
    "Unit",
    "RowLayout",
    "SheetLayout",
    "Lookups",
    "read_lookups",
    "read_observation_literals",
    "read_credits",
    "known_sources",
    "document_sources",
    "same_fact_homes",
    "sheet_names",
    "layouts",
    "unknown_dataset_message",
]

FIXED_HEADER = ("indikator_id", "gruppe_id", "Indikator", "Gruppe", "Enhet")
"""The first columns of every dataset sheet (the ids are what the import reads)."""
SOURCE_HEADER = "Kilde"
GUIDE_SHEET = "Veiledning"
META_SHEET = "_mal"
META_FORMAT = "virksomhetsanalyse-mal/1"
MAX_SHEET_NAME = 31


@dataclass(frozen=True)
class Unit:
    """A measurement unit: label and allowed range (``None`` = unbounded)."""

    id: str
    label: str
    minimum: float | None
    maximum: float | None

    @property
    def is_percent(self) -> bool:
        """True for units written with a ``%`` sign."""
        return self.label == "%"


@dataclass(frozen=True)
class Lookups:
    """The three lookup tables, keyed by id, in file order."""

    units: dict[str, Unit]
    indicators: dict[str, dict[str, str]]
    groups: dict[str, dict[str, str]]

    def unit_of(self, indicator: str) -> Unit:
        """The unit of an indicator."""
        return self.units[self.indicators[indicator]["unit"]]


@dataclass(frozen=True)
class RowLayout:
    """One row of a dataset sheet: an (indicator, group) series."""

    indicator: str
    group: str
    indicator_label: str
    group_label: str
    unit: Unit
    values: dict[int, str]
    """Value literals in ``data/`` by year (previous years and, if present, the new year)."""
    decimals: int
    """Decimals of the new year's number format: those of the latest value, else the indicator's."""
    credit: Credit = DOCUMENT
    """The credit of the series' latest year up to the new year (``data/provenance.csv``)."""
    source: str = ""
    """The *Kilde* cell as the template fills it: a chosen ``credit``'s source, empty for the document's."""
    copied_from: tuple[str, str, str] | None = None
    """``(dataset, indicator, group)`` where this same fact is typed; the row's figure is copied from there."""
    copied_to: tuple[tuple[str, str, str], ...] = ()
    """The rows of other datasets this figure is copied into (a same fact typed here)."""


@dataclass(frozen=True)
class SheetLayout:
    """What one dataset sheet looks like for a given new year."""

    dataset: str
    sheet: str
    title: str
    source: str
    """The dataset's document, section(s) and table(s) (``source_text``): the guide's list of sheets."""
    years: tuple[int, ...]
    """Previous years shown (locked), ascending."""
    new_year: int
    rows: tuple[RowLayout, ...]

    @property
    def header(self) -> tuple[str, ...]:
        """The header row, as the import expects it."""
        return FIXED_HEADER + tuple(str(y) for y in self.years) + (str(self.new_year), SOURCE_HEADER)

    def year_column(self, year: int) -> int:
        """1-based column index of a year."""
        return self.header.index(str(year)) + 1

    @property
    def new_column(self) -> int:
        """1-based column index of the new year."""
        return self.year_column(self.new_year)


# --------------------------------------------------------------------------- reading data/


def _read_csv(path: Path) -> list[dict[str, str]]:
    return read_rows(path)


def read_lookups(data_dir: Path = DATA_DIR, descriptor: dict | None = None) -> Lookups:
    """Units, indicators and groups of ``data_dir`` in file order, read as every user reads them (``analysis.data.lookups``).

    ``descriptor`` may be given but is not needed: the data layer reads it itself.
    """
    tables = lookup_tables(Path(data_dir))
    units = {k: Unit(k, r["label"], r["minimum"], r["maximum"]) for k, r in tables["units"].items()}
    return Lookups(units, tables["indicators"], tables["groups"])


def read_observation_literals(path: Path) -> dict[tuple[str, str, int], str]:
    """``{(indicator, group, year): value literal}`` of one observation file."""
    return {(r["indicator"], r["group"], int(r["year"])): r["value"] for r in _read_csv(path)}


def read_credits(data_dir: Path, descriptor: dict) -> Credits:
    """The credits of ``data/provenance.csv`` (none when the descriptor does not list it)."""
    try:
        path = Path(data_dir) / resource(descriptor, PROVENANCE_RESOURCE)["path"]
    except KeyError:
        return Credits([])
    return Credits(_read_csv(path)) if path.exists() else Credits([])


def _prefill(credit: Credit) -> str:
    """The *Kilde* cell for a credit: a source someone chose (workbook, SSB); empty for the original document."""
    return "" if credit.kind == "document" else credit.source


def known_sources(data_dir: Path, descriptor: dict | None = None) -> list[str]:
    """The sources named in ``data/provenance.csv`` for figures typed or fetched (not the document), sorted."""
    descriptor = descriptor or read_descriptor(Path(data_dir))
    credits = read_credits(data_dir, descriptor)
    return sorted({c.source.strip() for c in credits.by_key.values() if c.kind != "document" and c.source.strip()}, key=str.casefold)


def document_sources(descriptor: dict) -> set[str]:
    """How the book names the original documents (``source_text`` of every observation resource, and each document title)."""
    found = set()
    for name in observation_names(descriptor):
        res = resource(descriptor, name)
        found.add(" ".join(source_text(res).split()))
        found.update(" ".join(str(s.get("title", "")).split()) for s in res.get("sources", []) or [] if s.get("title"))
    return {f for f in found if f}


Ref = tuple[str, str, str]


def same_fact_homes(data_dir: Path, year: int) -> dict[Ref, Ref]:
    """``{copied row: the row it is typed in}`` for every same fact of ``checks.yaml`` that holds in ``year``.

    A same fact is typed in the dataset its declaration names first; every other reference copies it.
    """
    path = Path(data_dir) / CHECKS_FILE
    if not path.exists():
        return {}
    homes: dict[Ref, Ref] = {}
    for entry in same_facts(parse_checks(path.read_text(encoding="utf-8"))):
        if entry.get("years") and year not in entry["years"]:
            continue
        refs = [(r["dataset"], r["indicator"], r["group"]) for r in entry["same_fact"]]
        homes.update({ref: refs[0] for ref in refs[1:]})
    return homes


def sheet_names(datasets: Sequence[str]) -> dict[str, str]:
    """``{dataset: sheet name}``: the dataset name, cut to Excel's 31 characters and made unique."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for ds in datasets:
        name = ds[:MAX_SHEET_NAME]
        i = 1
        while name.lower() in used or name in (GUIDE_SHEET, META_SHEET):
            suffix = f"~{i}"
            name = ds[: MAX_SHEET_NAME - len(suffix)] + suffix
            i += 1
        used.add(name.lower())
        names[ds] = name
    return names


def _row_order(lookups: Lookups) -> dict[tuple[str, str], tuple[int, int]]:
    ind = {k: i for i, k in enumerate(lookups.indicators)}
    grp = {k: i for i, k in enumerate(lookups.groups)}
    return {(i, g): (ind[i], grp[g]) for i in ind for g in grp}


def _row_layout(
    key: tuple[str, str],
    literals: dict[tuple[str, str, int], str],
    lookups: Lookups,
    new_year: int,
    res: dict,
    credits: Credits,
    homes: dict[Ref, Ref],
) -> RowLayout:
    indicator, group = key
    values = {y: v for (i, g, y), v in literals.items() if (i, g) == key and y <= new_year}
    previous = [y for y in values if y < new_year]
    latest = values[max(previous)] if previous else None
    decimals = value_decimals(latest) if latest is not None else int(lookups.indicators[indicator]["decimals"])
    credit = (credits.of(res["name"], max(values), indicator, group) if values else None) or DOCUMENT
    return RowLayout(
        indicator=indicator,
        group=group,
        indicator_label=lookups.indicators[indicator]["label"],
        group_label=lookups.groups[group]["label"],
        unit=lookups.unit_of(indicator),
        values=values,
        decimals=decimals,
        credit=credit,
        source=_prefill(credit),
        copied_from=homes.get((res["name"], indicator, group)),
        copied_to=tuple(copy for copy, home in homes.items() if home == (res["name"], indicator, group)),
    )


def layouts(
    data_dir: Path, new_year: int, datasets: Iterable[str] | None = None, *, descriptor: dict | None = None, lookups: Lookups | None = None
) -> list[SheetLayout]:
    """The sheet layout of every (or the named) observation dataset for ``new_year``.

    Parameters
    ----------
    data_dir : the data folder (must be valid).
    new_year : the year to fill in; earlier years of each dataset are shown.
    datasets : restrict to these dataset names (in this order); default all.
    descriptor, lookups : already read from ``data_dir`` (read when not given).
    """
    data_dir = Path(data_dir)
    descriptor = descriptor or read_descriptor(data_dir)
    lookups = lookups or read_lookups(data_dir, descriptor)
    all_names = observation_names(descriptor)
    names = list(datasets) if datasets is not None else all_names
    unknown = [n for n in names if n not in all_names]
    if unknown:
        raise KeyError("; ".join(unknown_dataset_message(n, all_names) for n in unknown))
    sheets = sheet_names(all_names)
    order = _row_order(lookups)
    credits = read_credits(data_dir, descriptor)
    homes = same_fact_homes(data_dir, new_year)
    result = []
    for name in names:
        res = resource(descriptor, name)
        literals = read_observation_literals(data_dir / res["path"])
        keys = sorted({(i, g) for i, g, _ in literals}, key=lambda k: order[k])
        years = tuple(sorted({y for *_, y in literals if y < new_year}))
        rows = tuple(_row_layout(k, literals, lookups, new_year, res, credits, homes) for k in keys)
        result.append(SheetLayout(name, sheets[name], res.get("title", name), source_text(res), years, new_year, rows))
    return result


def unknown_dataset_message(name: str, names: Sequence[str]) -> str:
    """``unknown dataset 'osu_aarsverk'; did you mean osu_arsverk?`` (or the list of datasets)."""
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    if close:
        return f"unknown dataset '{name}'; did you mean {' or '.join(close)}?"
    return f"unknown dataset '{name}'; the datasets are: {', '.join(names)}"

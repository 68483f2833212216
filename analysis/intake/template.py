"""What the new year's input workbook looks like: one ``SheetLayout`` per dataset, read from ``data/``.

One sheet per observation dataset, in the wide layout analysts know: a row per
(indicator, group), a column per year. The columns are, in this order::

    indikator_id | gruppe_id | Indikator | Gruppe | Enhet | <years before Y> | Y | Kilde

The two id columns (grey) let the import map a row back to the data; the
labels come from ``indicators.csv`` and ``groups.csv`` and the unit label from
``units.csv``. Previous years are filled in and locked; only the new year's
column and *Kilde* are open. *Kilde* is the source of the row's figure for Y:
prefilled with the credit of the series' latest year (``data/provenance.csv``:
the descriptor's document, section and table for ``document``, else the source
stored), read by the import for every figure filled in. If ``data/`` already
holds figures for Y (a correction round), they are filled into Y's column.

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
from analysis.config import DATA_DIR
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
    """The *Kilde* cell as the template fills it: ``credit`` as the book names it."""


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


def _prefill(res: dict, credit: Credit) -> str:
    """The *Kilde* cell for a credit: the document as the book names it (``analysis.data.sources``), else the source given."""
    return source_text(res) if credit.kind == "document" else credit.source


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
    key: tuple[str, str], literals: dict[tuple[str, str, int], str], lookups: Lookups, new_year: int, res: dict, credits: Credits
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
        source=_prefill(res, credit),
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
    result = []
    for name in names:
        res = resource(descriptor, name)
        literals = read_observation_literals(data_dir / res["path"])
        keys = sorted({(i, g) for i, g, _ in literals}, key=lambda k: order[k])
        years = tuple(sorted({y for *_, y in literals if y < new_year}))
        rows = tuple(_row_layout(k, literals, lookups, new_year, res, credits) for k in keys)
        result.append(SheetLayout(name, sheets[name], res.get("title", name), source_text(res), years, new_year, rows))
    return result


def unknown_dataset_message(name: str, names: Sequence[str]) -> str:
    """``unknown dataset 'osu_aarsverk'; did you mean osu_arsverk?`` (or the list of datasets)."""
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    if close:
        return f"unknown dataset '{name}'; did you mean {' or '.join(close)}?"
    return f"unknown dataset '{name}'; the datasets are: {', '.join(names)}"

"""The new year's input workbook (``virksomhetsanalyse template``).

One sheet per observation dataset, in the wide layout analysts know: a row per
(indicator, group), a column per year. The columns are, in this order::

    indikator_id | gruppe_id | Indikator | Gruppe | Enhet | <years before Y> | Y | Kilde

The two id columns (grey) let the import map a row back to the data; the
labels come from ``indicators.csv`` and ``groups.csv``, the unit label from
``units.csv`` and the source (document, section, table) from the descriptor.
Previous years are filled in and locked (sheet protection, no password); only
the new year's column is open, and the sheets cannot be renamed, added or deleted. If ``data/`` already holds figures for Y (a correction
round), they are filled into Y's column.

The first sheet, *Veiledning*, tells the analyst what to do (Norwegian). A
hidden sheet ``_mal`` records the template's year and the sheet → dataset
mapping, so that the import does not depend on sheet names alone.

``layouts`` is shared with the import: it is the one definition of what a
sheet must look like for a given year.
"""

from __future__ import annotations

import csv
import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.worksheet import Worksheet

from analysis.config import DATA_DIR
from analysis.data.store import ensure_valid, observation_names, read_descriptor, resource, value_decimals

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
    "sheet_names",
    "layouts",
    "excel_number_format",
    "unknown_dataset_message",
    "build_template",
]

FIXED_HEADER = ("indikator_id", "gruppe_id", "Indikator", "Gruppe", "Enhet")
"""The first columns of every dataset sheet (the ids are what the import reads)."""
SOURCE_HEADER = "Kilde"
GUIDE_SHEET = "Veiledning"
META_SHEET = "_mal"
META_FORMAT = "virksomhetsanalyse-mal/1"
MAX_SHEET_NAME = 31

_REJECTED_HEADING = "Dette avvises (ingenting blir lagret før alt er rettet)"
_GREY = Font(color="808080")
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_ID_FILL = PatternFill("solid", fgColor="F2F2F2")
_NEW_FILL = PatternFill("solid", fgColor="FFF2CC")
_NEW_HEADER_FILL = PatternFill("solid", fgColor="FFD966")


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


@dataclass(frozen=True)
class SheetLayout:
    """What one dataset sheet looks like for a given new year."""

    dataset: str
    sheet: str
    title: str
    source: str
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
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _bound(s: str | None) -> float | None:
    return float(s) if s not in (None, "") else None


def read_lookups(data_dir: Path = DATA_DIR, descriptor: dict | None = None) -> Lookups:
    """Units, indicators and groups of ``data_dir`` (as strings, in file order)."""
    descriptor = descriptor or read_descriptor(data_dir)

    def rows(name: str) -> list[dict[str, str]]:
        return _read_csv(Path(data_dir) / resource(descriptor, name)["path"])

    units = {r["id"]: Unit(r["id"], r["label"], _bound(r["minimum"]), _bound(r["maximum"])) for r in rows("units")}
    return Lookups(units, {r["id"]: r for r in rows("indicators")}, {r["id"]: r for r in rows("groups")})


def read_observation_literals(path: Path) -> dict[tuple[str, str, int], str]:
    """``{(indicator, group, year): value literal}`` of one observation file."""
    return {(r["indicator"], r["group"], int(r["year"])): r["value"] for r in _read_csv(path)}


def _source_text(res: dict) -> str:
    parts = [f"{s.get('document', '')} avsnitt {s.get('section', '')}: {s.get('table', '')}" for s in res.get("sources", [])]
    return "; ".join(parts)


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


def _row_layout(key: tuple[str, str], literals: dict[tuple[str, str, int], str], lookups: Lookups, new_year: int) -> RowLayout:
    indicator, group = key
    values = {y: v for (i, g, y), v in literals.items() if (i, g) == key and y <= new_year}
    previous = [y for y in values if y < new_year]
    latest = values[max(previous)] if previous else None
    decimals = value_decimals(latest) if latest is not None else int(lookups.indicators[indicator]["decimals"])
    return RowLayout(
        indicator=indicator,
        group=group,
        indicator_label=lookups.indicators[indicator]["label"],
        group_label=lookups.groups[group]["label"],
        unit=lookups.unit_of(indicator),
        values=values,
        decimals=decimals,
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
    result = []
    for name in names:
        res = resource(descriptor, name)
        literals = read_observation_literals(data_dir / res["path"])
        keys = sorted({(i, g) for i, g, _ in literals}, key=lambda k: order[k])
        years = tuple(sorted({y for *_, y in literals if y < new_year}))
        rows = tuple(_row_layout(k, literals, lookups, new_year) for k in keys)
        result.append(SheetLayout(name, sheets[name], res.get("title", name), _source_text(res), years, new_year, rows))
    return result


def unknown_dataset_message(name: str, names: Sequence[str]) -> str:
    """``unknown dataset 'osu_aarsverk'; did you mean osu_arsverk?`` (or the list of datasets)."""
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    if close:
        return f"unknown dataset '{name}'; did you mean {' or '.join(close)}?"
    return f"unknown dataset '{name}'; the datasets are: {', '.join(names)}"


# --------------------------------------------------------------------------- writing the workbook


def excel_number_format(decimals: int) -> str:
    """Excel number format with thousands grouping and ``decimals`` decimals (shown with the user's locale)."""
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def _write_header(ws: Worksheet, layout: SheetLayout) -> None:
    for col, text in enumerate(layout.header, start=1):
        cell = ws.cell(row=1, column=col, value=int(text) if text.isdigit() else text)
        cell.font = _BOLD
        cell.fill = _NEW_HEADER_FILL if col == layout.new_column else _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for col in (1, 2):
        ws.cell(row=1, column=col).font = Font(bold=True, color="808080")


def _write_row(ws: Worksheet, r: int, layout: SheetLayout, row: RowLayout) -> None:
    fixed = (row.indicator, row.group, row.indicator_label, row.group_label, row.unit.label)
    for col, text in enumerate(fixed, start=1):
        cell = ws.cell(row=r, column=col, value=text)
        if col <= 2:
            cell.font, cell.fill = _GREY, _ID_FILL
    for year in (*layout.years, layout.new_year):
        literal = row.values.get(year)
        cell = ws.cell(row=r, column=layout.year_column(year))
        if literal is not None:
            cell.value = float(literal) if "." in literal else int(literal)
            cell.number_format = excel_number_format(value_decimals(literal))
    new = ws.cell(row=r, column=layout.new_column)
    if new.value is None:
        new.number_format = excel_number_format(row.decimals)
    new.fill = _NEW_FILL
    new.protection = Protection(locked=False)
    ws.cell(row=r, column=len(layout.header), value=layout.source).font = _GREY


def _protect(ws: Worksheet) -> None:
    """Lock the sheet (no password); number formats and column widths may still be changed."""
    ws.protection.sheet = True
    ws.protection.formatCells = False
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _dataset_sheet(wb: Workbook, layout: SheetLayout) -> None:
    ws = wb.create_sheet(layout.sheet)
    _write_header(ws, layout)
    for r, row in enumerate(layout.rows, start=2):
        _write_row(ws, r, layout, row)
    widths = {1: 16, 2: 16, 3: 48, 4: 32, 5: 14}
    for col in range(1, len(layout.header) + 1):
        ws.column_dimensions[get_column_letter(col)].width = widths.get(col, 11)
    ws.column_dimensions[get_column_letter(len(layout.header))].width = 60
    ws.freeze_panes = "F2"
    _protect(ws)


def _guide_lines(year: int, made: date) -> list[str]:
    return [
        f"Denne arbeidsboken er malen for å legge inn tallene for {year} i virksomhetsanalysen for Bærum kommune. "
        f"Den ble laget {made:%d.%m.%Y} med kommandoen «virksomhetsanalyse template --year {year}» fra tallene i data/.",
        "",
        "Hva du skal fylle inn",
        "• Hvert ark er ett datasett (listen står nederst). Hver rad er én indikator for én gruppe, og kolonnene er årene.",
        f"• Skriv tallene for {year} i den gule kolonnen «{year}». Det er den eneste kolonnen som er åpen; "
        "tidligere år er låst og skal ikke endres.",
        "• Skriv tallet slik det er trykt i kilden, med samme antall desimaler. Prosenter skrives i prosent (12,8 betyr 12,8 %).",
        "• Kolonnene indikator_id og gruppe_id (grå) brukes av importen for å finne raden igjen. Ikke endre dem, og ikke endre, "
        "flytt, sett inn eller slett kolonner eller kolonneoverskrifter.",
        "• Tomme celler betyr «ikke tilgjengelig ennå»: ingenting lagres for dem, og tallet kan legges inn ved en senere import. "
        f"Et datasett uten tall for {year} får ingen rader for {year}.",
        "",
        "Tallformater som godtas",
        "• Desimalkomma: 12,8 (desimalpunktum, 12.8, godtas også; 1.234 avvises fordi det kan bety både 1,234 og 1234).",
        "• Mellomrom som tusenskille, vanlig eller hardt mellomrom: 1 163,5.",
        "• Prosent: 12,8 % eller 12,8% – bare for indikatorer med enhet %. Tallet lagres i prosent (12,8).",
        "• Minus: -3,5 eller −3,5.",
        "• Tall lagret som tekst (for eksempel med apostrof foran: '104,0): desimalene lagres nøyaktig slik du skrev dem.",
        "• Tall i tallceller: cellens tallformat bestemmer hvor mange desimaler som lagres. Kolonnen er forhåndsformatert med samme "
        "antall desimaler som året før; endre tallformatet hvis kilden trykker et annet antall. Har cellen formatet Standard, lagres "
        "tallet uten unødvendige desimaler (104 og ikke 104,0).",
        "",
        _REJECTED_HEADING,
        "• Tekst i en tallcelle (for eksempel «ca. 12», «–» eller «n/a»). La cellen stå tom hvis tallet mangler.",
        "• Feilverdier fra Excel: #REF!, #DIV/0!, #VALUE!, #N/A og lignende.",
        "• Formler uten beregnet verdi (filen må være lagret i Excel etter at formlene er regnet ut). Skriv helst tallet direkte.",
        "• Tall utenfor enhetens gyldige område, for eksempel negative årsverk eller andeler over 100 %.",
        "• Prosenttegn på indikatorer som ikke måles i %.",
        "• Nye ark, rader med ukjent indikator eller gruppe, omdøpte eller flyttede kolonner og endrede tall for tidligere år.",
        "• Et tall som ville endre et tall som allerede finnes i data/ (samme indikator, gruppe og år), med mindre importen "
        "kjøres med --replace.",
        "",
        "Hva skjer ved import",
        f"• «virksomhetsanalyse import mal-{year}.xlsx --dry-run» viser hva som blir lagt inn, uten å skrive noe.",
        f"• «virksomhetsanalyse import mal-{year}.xlsx» kontrollerer hele arbeidsboken først. Finnes det feil, listes alle med ark, "
        "celle (for eksempel G7), hva som var ventet og hva som ble funnet, og ingenting blir skrevet.",
        "• Er alt i orden, legges tallene inn i data/ i én operasjon, hele datapakken kontrolleres på nytt, og importen føres i "
        "endringsloggen i data/ (filnavn, sjekksum, tidspunkt, datasett og år, og erstattede verdier).",
        "• Et år kan fylles ut i flere omganger: lag en ny mal når flere tall er klare. Tall som allerede er importert, står da "
        "ferdig utfylt; like tall hoppes over, og nye tall i tomme celler legges til.",
        f"• Vil du rette et tall som allerede finnes i data/, lag en mal for det året (for eksempel --year {year}), skriv det nye "
        "tallet og kjør importen med --replace. Da vises hver endring (gammel → ny verdi) før den skrives. Tomme celler sletter ingenting.",
        "• Et enkelt ark kan også lagres som CSV (semikolon- eller kommaseparert, UTF-8 eller Windows-tegnsett). Filnavnet må være "
        "datasettets navn (for eksempel osu_arsverk.csv); ellers oppgis datasettet med --dataset.",
        f"• Etter importen: «virksomhetsanalyse validate», og deretter «virksomhetsanalyse build --year {year}».",
    ]


def _guide_sheet(wb: Workbook, year: int, sheets: Sequence[SheetLayout], made: date) -> None:
    ws = wb.active
    ws.title = GUIDE_SHEET
    ws["A1"] = "Ny årgang"
    ws["A1"].font = Font(bold=True, size=16)
    headings = {"Hva du skal fylle inn", "Tallformater som godtas", _REJECTED_HEADING, "Hva skjer ved import"}
    r = 3
    for line in _guide_lines(year, made):
        cell = ws.cell(row=r, column=1, value=line or None)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if line in headings:
            cell.font = Font(bold=True, size=12)
        r += 1
    r += 1
    for col, text in enumerate(("Ark", "Datasett", "Tittel", "Kilde"), start=1):
        ws.cell(row=r, column=col, value=text).font = _BOLD
    for layout in sheets:
        r += 1
        for col, text in enumerate((layout.sheet, layout.dataset, layout.title, layout.source), start=1):
            ws.cell(row=r, column=col, value=text).alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 110
    for col, width in (("B", 30), ("C", 60), ("D", 60)):
        ws.column_dimensions[col].width = width
    _protect(ws)


def _meta_sheet(wb: Workbook, year: int, sheets: Sequence[SheetLayout]) -> None:
    ws = wb.create_sheet(META_SHEET)
    ws.append(["format", META_FORMAT])
    ws.append(["year", year])
    ws.append(["sheet", "dataset"])
    for layout in sheets:
        ws.append([layout.sheet, layout.dataset])
    ws.sheet_state = "hidden"
    _protect(ws)


def build_template(
    data_dir: Path, year: int, output: Path, datasets: Iterable[str] | None = None, *, made: date | None = None
) -> list[SheetLayout]:
    """Write the input workbook for ``year`` to ``output``.

    Parameters
    ----------
    data_dir : the data folder; it must be valid.
    year : the new year (its column is the only one open).
    output : the ``.xlsx`` file to write.
    datasets : only these datasets (default: every observation dataset).
    made : the date printed in the instructions (default: today).

    Returns
    -------
    The layouts written, one per dataset sheet.
    """
    ensure_valid(data_dir)
    sheets = layouts(data_dir, year, datasets)
    wb = Workbook()
    _guide_sheet(wb, year, sheets, made or date.today())
    for layout in sheets:
        _dataset_sheet(wb, layout)
    _meta_sheet(wb, year, sheets)
    wb.security = WorkbookProtection(lockStructure=True)  # no renamed, added or deleted sheets
    wb.properties.title = f"Virksomhetsanalyse – mal for {year}"
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    wb.save(output)
    return sheets

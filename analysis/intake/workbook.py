"""Writing the new year's input workbook (``virksomhetsanalyse template``): ``build_template``.

One sheet per dataset as ``analysis.intake.template.layouts`` describes it:
the header (grey ids, yellow new year and source), a row per (indicator,
group) with earlier years filled in and locked, the new year's column and
its source (*Kilde*) the only cells open (sheet protection, no password).

What the spreadsheet program is told, so that a figure cannot be misread
while it is typed (checked with LibreOffice Calc in ``tests/test_libreoffice.py``):

* an input cell of a unit in % has a percent number format: ``30 %`` and
  ``30%`` store 0,3 (Excel also turns a plain ``30`` into 30 %), and the
  import reads the fraction back as 30;
* every input cell has a data validation (a decimal within the unit's range;
  a fraction of one in a percent cell) whose input message gives the unit and
  the year before's figure, and whose error message says how to type it;
* *Kilde* offers the sources already in ``data/provenance.csv`` as a
  drop-down (any other text is allowed: a new source);
* a same fact (``RowLayout.copied_from``) is locked and shows the cell it is
  typed in.

The first sheet is the guide (``analysis.intake.guide``), one wrapped column
with row heights set, so that it reads in LibreOffice and Excel; every sheet
prints to the page width. A hidden sheet ``_mal`` records the year and the
sheet → dataset mapping. The workbook's structure is locked: sheets cannot be
renamed, added or deleted.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from analysis.calc.numbers import value_decimals
from analysis.data.package import read_descriptor
from analysis.data.validate import ensure_valid
from analysis.data.years import check_template_year
from analysis.intake.cells import shown_literal
from analysis.intake.guide import HEADINGS, SOURCES_HEADING, TITLE, guide_lines, same_fact_lines, sheet_lines
from analysis.intake.template import GUIDE_SHEET, META_FORMAT, META_SHEET, RowLayout, SheetLayout, known_sources, layouts

__all__ = ["excel_number_format", "build_template"]

_GREY = Font(color="808080")
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_ID_FILL = PatternFill("solid", fgColor="F2F2F2")
_NEW_FILL = PatternFill("solid", fgColor="FFF2CC")
_NEW_HEADER_FILL = PatternFill("solid", fgColor="FFD966")
_WRAP = Alignment(wrap_text=True, vertical="top")
_LINE_POINTS = 15.0
"""The height of one line of 11-point text, in points."""
_GUIDE_WIDTH = 72
"""Column A of the guide, in character widths: LibreOffice makes it about 18 cm, the width of an A4 page inside its margins."""
_WIDTHS = {1: 16, 2: 16, 3: 40, 4: 28, 5: 10}
_YEAR_WIDTH, _SOURCE_WIDTH = 10, 48
_UNBOUNDED = 1e15


def excel_number_format(decimals: int, percent: bool = False) -> str:
    """Excel number format with ``decimals`` decimals: grouped thousands, or a percentage (shown with the user's locale)."""
    fraction = "." + "0" * decimals if decimals > 0 else ""
    return f"0{fraction}%" if percent else f"#,##0{fraction}"


def _lines(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column ``width`` characters wide (rounded up: a row too high reads, one too low overlaps)."""
    return sum(max(1, math.ceil(len(part) / max(width * 1.05, 1))) for part in str(text).split("\n"))


def _print_setup(ws: Worksheet, landscape: bool, last_row: int, last_col: int) -> None:
    """A4, to the page width (as many pages down as needed), the header row on every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_area = f"A1:{get_column_letter(last_col)}{last_row}"
    ws.print_options.gridLines = landscape
    ws.page_margins.left = ws.page_margins.right = 0.5


def _write_header(ws: Worksheet, layout: SheetLayout) -> None:
    for col, text in enumerate(layout.header, start=1):
        cell = ws.cell(row=1, column=col, value=int(text) if text.isdigit() else text)
        cell.font = _BOLD
        cell.fill = _NEW_HEADER_FILL if col in (layout.new_column, len(layout.header)) else _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for col in (1, 2):
        ws.cell(row=1, column=col).font = Font(bold=True, color="808080")


def _stored(literal: str, percent: bool) -> float | int:
    """A value literal as a cell value: a fraction of one in a percent cell."""
    if percent:
        return float(Decimal(literal).scaleb(-2))
    return float(literal) if "." in literal else int(literal)


def _validation(row: RowLayout, layout: SheetLayout) -> DataValidation:
    """The input cell's data validation: a decimal in the unit's range, with the unit and the year before's figure."""
    unit, percent = row.unit, row.unit.is_percent
    scale = 0.01 if percent else 1.0
    lo = -_UNBOUNDED if unit.minimum is None else unit.minimum * scale
    hi = _UNBOUNDED if unit.maximum is None else unit.maximum * scale
    previous = [y for y in row.values if y < layout.new_year]
    before = f"{max(previous)}: {shown_literal(row.values[max(previous)], percent)}. " if previous else ""
    example = "for eksempel 30 %" if percent else "med desimalkomma, for eksempel 104,4"
    rng = "mellom 0 % og 100 %" if percent and unit.minimum == 0 and unit.maximum == 100 else ""
    if not rng and unit.minimum is not None:
        rng = f"minst {unit.minimum:g}" + (f" og høyst {unit.maximum:g}" if unit.maximum is not None else "")
    prompt = f"{before}Skriv tallet for {layout.new_year} slik kilden trykker det, {example}."
    error = (
        f"Skriv andelen med prosenttegn, {rng}: 30 % eller 7,1 %."
        if percent
        else f"Skriv et tall {rng + ' ' if rng else ''}med desimalkomma (7,1, ikke 7.1 – det blir en dato)."
    )
    dv = DataValidation(type="decimal", operator="between", formula1=repr(lo), formula2=repr(hi), allow_blank=True)
    dv.showInputMessage = dv.showErrorMessage = True
    dv.errorStyle = "stop"
    dv.promptTitle, dv.prompt = f"Enhet: {unit.label}"[:32], prompt[:255]
    dv.errorTitle, dv.error = f"Ugyldig tall ({unit.label})"[:32], error[:255]
    return dv


def _write_row(ws: Worksheet, r: int, layout: SheetLayout, row: RowLayout, sheets: dict[str, SheetLayout]) -> None:
    fixed = (row.indicator, row.group, row.indicator_label, row.group_label, row.unit.label)
    for col, text in enumerate(fixed, start=1):
        cell = ws.cell(row=r, column=col, value=text)
        cell.alignment = _WRAP
        if col <= 2:
            cell.font, cell.fill = _GREY, _ID_FILL
    percent = row.unit.is_percent
    for year in layout.years:
        literal = row.values.get(year)
        if literal is not None:
            cell = ws.cell(row=r, column=layout.year_column(year), value=_stored(literal, False))
            cell.number_format = excel_number_format(value_decimals(literal))
    new = ws.cell(row=r, column=layout.new_column)
    source = ws.cell(row=r, column=len(layout.header))
    literal = row.values.get(layout.new_year)
    new.number_format = excel_number_format(value_decimals(literal) if literal is not None else row.decimals, percent)
    source.alignment = _WRAP
    if row.copied_from:
        _copied_row(new, source, row, sheets)
    else:
        new.value = _stored(literal, percent) if literal is not None else None
        new.fill = source.fill = _NEW_FILL
        new.protection = source.protection = Protection(locked=False)
        source.value = row.source or None
        if row.source.startswith("="):
            source.data_type = "s"  # a source text, never a formula
        dv = _validation(row, layout)
        ws.add_data_validation(dv)
        dv.add(new.coordinate)
    if row.copied_to:
        where = ", ".join(f"{ds}" for ds, _, _ in row.copied_to)
        new.comment = Comment(f"Tallet kopieres ved import også til {where} (samme tall i to tabeller).", "virksomhetsanalyse")
    lines = max(_lines(row.indicator_label, _WIDTHS[3]), _lines(row.group_label, _WIDTHS[4]), _lines(row.source, _SOURCE_WIDTH))
    ws.row_dimensions[r].height = lines * _LINE_POINTS + 2


def _copied_row(new, source, row: RowLayout, sheets: dict[str, SheetLayout]) -> None:
    """A same fact typed in another sheet: locked, grey, showing that sheet's cell (empty while it is empty)."""
    home_ds, ind, grp = row.copied_from
    home = sheets.get(home_ds)
    new.fill = source.fill = _ID_FILL
    note = f"Dette tallet skrives i arket {home.sheet if home else home_ds}"
    if home is not None:
        r = 2 + [(x.indicator, x.group) for x in home.rows].index((ind, grp))
        ref = f"{quote_sheetname(home.sheet)}!{get_column_letter(home.new_column)}{r}"
        kilde = f"{quote_sheetname(home.sheet)}!{get_column_letter(len(home.header))}{r}"
        new.value = f'=IF(ISBLANK({ref}),"",{ref})'
        source.value = f'=IF(ISBLANK({kilde}),"",{kilde})'
        note += f", celle {get_column_letter(home.new_column)}{r}"
    new.comment = Comment(note + ", og kopieres hit ved import (samme tall i to tabeller).", "virksomhetsanalyse")


def _protect(ws: Worksheet) -> None:
    """Lock the sheet (no password); number formats, column widths and row heights may still be changed."""
    ws.protection.sheet = True
    ws.protection.formatCells = False
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _dataset_sheet(wb: Workbook, layout: SheetLayout, sheets: dict[str, SheetLayout], sources: str | None) -> None:
    ws = wb.create_sheet(layout.sheet)
    _write_header(ws, layout)
    for r, row in enumerate(layout.rows, start=2):
        _write_row(ws, r, layout, row, sheets)
    width = len(layout.header)
    for col in range(1, width + 1):
        ws.column_dimensions[get_column_letter(col)].width = _WIDTHS.get(col, _YEAR_WIDTH)
    ws.column_dimensions[get_column_letter(width)].width = _SOURCE_WIDTH
    if sources:
        dv = DataValidation(type="list", formula1=sources, allow_blank=True)
        dv.showErrorMessage = False  # a new source is typed in: the list only offers those already used
        dv.showInputMessage = True
        dv.promptTitle, dv.prompt = "Kilde", "Velg en kilde som er brukt før, eller skriv den riktige kilden for tallet."
        ws.add_data_validation(dv)
        for r, row in enumerate(layout.rows, start=2):
            if not row.copied_from:
                dv.add(f"{get_column_letter(width)}{r}")
    ws.freeze_panes = "F2"
    ws.print_title_rows = "1:1"
    _print_setup(ws, True, len(layout.rows) + 1, width)
    _protect(ws)


def _guide_sheet(wb: Workbook, year: int, sheets: Sequence[SheetLayout], made: date, sources: list[str]) -> str | None:
    """The guide, one wrapped column; returns the range of the source list (for the *Kilde* drop-down), if any."""
    ws = wb.active
    ws.title = GUIDE_SHEET
    ws["A1"] = TITLE
    ws["A1"].font = Font(bold=True, size=16)
    ws.row_dimensions[1].height = 24
    lines = guide_lines(year, made) + ["", *same_fact_lines(sheets), "", *sheet_lines(sheets), "", SOURCES_HEADING]
    r = 2
    for line in lines:
        r += 1
        cell = ws.cell(row=r, column=1, value=line or None)
        cell.alignment = _WRAP
        big = line in HEADINGS or line == SOURCES_HEADING
        if big:
            cell.font = Font(bold=True, size=12)
        ws.row_dimensions[r].height = (_lines(line, _GUIDE_WIDTH) * _LINE_POINTS + 3) if line else 8
    first = r + 1
    for source in sources or ["(ingen ennå: skriv kilden i kolonnen «Kilde»)"]:
        r += 1
        ws.cell(row=r, column=1, value=source).alignment = _WRAP
        ws.row_dimensions[r].height = _lines(source, _GUIDE_WIDTH) * _LINE_POINTS + 2
    ws.column_dimensions["A"].width = _GUIDE_WIDTH
    _print_setup(ws, False, r, 1)
    _protect(ws)
    return f"{quote_sheetname(GUIDE_SHEET)}!$A${first}:$A${r}" if sources else None


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
    year : the new year (its column is the only one open): the year after the latest year in the
        data, or a year they hold (a correction); any other raises ``analysis.data.years.YearRefused``.
    output : the ``.xlsx`` file to write.
    datasets : only these datasets (default: every observation dataset).
    made : the date printed in the instructions (default: today).

    Returns
    -------
    The layouts written, one per dataset sheet.
    """
    ensure_valid(data_dir)
    check_template_year(year, data_dir)
    sheets = layouts(data_dir, year, datasets)
    by_dataset = {s.dataset: s for s in sheets}
    wb = Workbook()
    source_range = _guide_sheet(wb, year, sheets, made or date.today(), known_sources(data_dir, read_descriptor(Path(data_dir))))
    for layout in sheets:
        _dataset_sheet(wb, layout, by_dataset, source_range)
    _meta_sheet(wb, year, sheets)
    wb.security = WorkbookProtection(lockStructure=True)  # no renamed, added or deleted sheets
    wb.calculation.fullCalcOnLoad = True  # the copied same facts show their cell as soon as the file opens
    wb.properties.title = f"Virksomhetsanalyse – mal for {year}"
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".mal-", suffix=".xlsx", dir=output.parent)  # a workbook overwritten (--force) is never half-written
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, output)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return sheets

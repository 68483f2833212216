"""Writing the new year's input workbook (``virksomhetsanalyse template``): ``build_template``.

One sheet per dataset as ``analysis.intake.template.layouts`` describes it:
the header (grey ids, yellow new year and source), a row per (indicator,
group) with earlier years filled in and locked, the new year's column and
its source (*Kilde*, prefilled with the source of the series' latest year)
the only cells open (sheet protection, no password). The first sheet is the
guide (``analysis.intake.guide``); a hidden sheet ``_mal`` records the year
and the sheet → dataset mapping. The workbook's structure is locked: sheets
cannot be renamed, added or deleted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.worksheet import Worksheet

from analysis.calc.numbers import value_decimals
from analysis.data.validate import ensure_valid
from analysis.intake.guide import HEADINGS, TITLE, guide_lines
from analysis.intake.template import GUIDE_SHEET, META_FORMAT, META_SHEET, RowLayout, SheetLayout, layouts

__all__ = ["excel_number_format", "build_template"]

_GREY = Font(color="808080")
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_ID_FILL = PatternFill("solid", fgColor="F2F2F2")
_NEW_FILL = PatternFill("solid", fgColor="FFF2CC")
_NEW_HEADER_FILL = PatternFill("solid", fgColor="FFD966")


def excel_number_format(decimals: int) -> str:
    """Excel number format with thousands grouping and ``decimals`` decimals (shown with the user's locale)."""
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def _write_header(ws: Worksheet, layout: SheetLayout) -> None:
    for col, text in enumerate(layout.header, start=1):
        cell = ws.cell(row=1, column=col, value=int(text) if text.isdigit() else text)
        cell.font = _BOLD
        cell.fill = _NEW_HEADER_FILL if col in (layout.new_column, len(layout.header)) else _HEADER_FILL
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
    source = ws.cell(row=r, column=len(layout.header), value=row.source or None)
    if row.source.startswith("="):
        source.data_type = "s"  # a source text, never a formula
    source.fill = _NEW_FILL
    source.protection = Protection(locked=False)


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


def _guide_sheet(wb: Workbook, year: int, sheets: Sequence[SheetLayout], made: date) -> None:
    ws = wb.active
    ws.title = GUIDE_SHEET
    ws["A1"] = TITLE
    ws["A1"].font = Font(bold=True, size=16)
    r = 3
    for line in guide_lines(year, made):
        cell = ws.cell(row=r, column=1, value=line or None)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if line in HEADINGS:
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

"""Reading the input: the sheets of a filled ``.xlsx`` or ``.ods`` template, or one sheet exported as ``.csv``, as rows of cells.

An ``.ods`` file (LibreOffice's own format) is read by ``analysis.intake.ods``
into the same cells, number formats included, so every check is the same.

Nothing is checked here beyond what reading needs: a sheet (or file) with more
than ``MAX_ROWS`` rows with content is refused as a whole, and a workbook is
refused before any of it is parsed when, by the zip's own directory, a sheet's
XML unpacks to more than ``MAX_SHEET_BYTES``, any other XML part (shared
strings, styles, the workbook's index) to more than ``MAX_PART_BYTES``, all
parts together to more than ``MAX_WORKBOOK_BYTES``, or it has more than
``MAX_PARTS`` parts. A CSV file larger than ``MAX_CSV_BYTES``, and anything
that is not a regular file, is refused before it is read. These keep a wrong
or hostile file (a small .xlsx that unpacks to gigabytes) from costing
minutes and gigabytes.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from analysis.calc.numbers import thousands
from analysis.intake.cells import BLANKS, Cell
from analysis.intake.problems import ImportProblem, ImportRejected
from analysis.intake.template import GUIDE_SHEET, META_SHEET

__all__ = [
    "MAX_ROWS", "MAX_SHEET_BYTES", "MAX_PART_BYTES", "MAX_WORKBOOK_BYTES", "MAX_PARTS", "MAX_CSV_BYTES", "CSV_DELIMITERS",
    "InputSheet", "read_input", "too_long_problem",
]  # fmt: skip

MAX_ROWS = 2000
"""Most rows with content a sheet (or CSV file) may have below its header; the largest dataset has far fewer."""
MAX_SHEET_BYTES = 8_000_000
"""Largest sheet XML (uncompressed) read at all; a template sheet of ``MAX_ROWS`` rows is far smaller."""
MAX_PART_BYTES = 8_000_000
"""Largest other XML part (shared strings, styles, workbook, relations) read at all; a template's are below 1 MB."""
MAX_WORKBOOK_BYTES = 64_000_000
"""Largest sum of all parts, unpacked."""
MAX_PARTS = 2_000
"""Most parts (files in the zip) of a workbook; a template has about 30."""
MAX_CSV_BYTES = 16_000_000
"""Largest CSV file read; a sheet of ``MAX_ROWS`` rows is far smaller."""
CSV_DELIMITERS = ";,\t"
"""The delimiters a CSV export may use (Excel's Norwegian "CSV" is semicolon-separated); sniffed from the header row."""
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')
_UNREADABLE = (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, SyntaxError)
"""What openpyxl raises for a file that is not a readable workbook (``SyntaxError``: broken XML, ``xml.etree``'s ``ParseError``)."""


@dataclass
class InputSheet:
    """A sheet of the workbook, or a CSV file, as rows of cells."""

    where: str
    name: str
    dataset: str | None
    rows: list[list[Cell]]
    problems: list[ImportProblem] = field(default_factory=list)
    year: int | None = None
    hidden: bool = False
    merged: list[str] = field(default_factory=list)
    """Merged cell ranges (``K4:K5``)."""
    too_long: bool = False
    """More rows with content than ``MAX_ROWS``: refused as a whole, its cells are not checked."""


def too_long_problem(where: str) -> ImportProblem:
    """The one problem of a sheet (or file) with more than ``MAX_ROWS`` rows."""
    msg = (
        f"expected at most {thousands(MAX_ROWS)} rows below the header (one per indicator and group of the template), "
        f"found more; new rows are added in data/, not in the template: make a new template and copy the figures into it. "
        "The sheet was not checked further"
    )
    return ImportProblem(where, None, msg, "too-many-rows")


def _has_content(cells: list[Cell]) -> bool:
    return any(c.value is not None for c in cells)


# --------------------------------------------------------------------------- the workbook


def _meta(wb) -> tuple[int | None, dict[str, str]]:
    """The template's year and sheet → dataset mapping from the hidden sheet (if present)."""
    if META_SHEET not in wb.sheetnames:
        return None, {}
    rows = [[*r, None, None] for r in wb[META_SHEET].iter_rows(values_only=True)]
    year = next((r[1] for r in rows if r[0] == "year"), None)
    start = next((i for i, r in enumerate(rows) if r[0] == "sheet"), len(rows))
    mapping = {str(r[0]): str(r[1]) for r in rows[start + 1 :] if r[0] and r[1]}
    try:
        return int(year), mapping
    except (TypeError, ValueError):  # no year row, or not a number: the header's years are used
        return None, mapping


def _sheet_cells(ws_values, ws_formulas, sheet: InputSheet) -> None:
    """The cells of a read-only sheet into ``sheet.rows``; stops after ``MAX_ROWS`` rows with content."""
    content = 0
    pairs = zip(ws_values.iter_rows(min_row=1), ws_formulas.iter_rows(min_row=1), strict=False)
    for r, (vals, forms) in enumerate(pairs, start=1):
        row = []
        for c, (v, f) in enumerate(zip(vals, forms, strict=False), start=1):
            formula = None
            if getattr(f, "data_type", None) == "f":
                formula = f.value if isinstance(f.value, str) else str(getattr(f.value, "text", f.value))
            error = getattr(v, "data_type", None) == "e"
            row.append(Cell(f"{get_column_letter(c)}{r}", v.value, getattr(v, "number_format", None), formula, error))
        if r > 1 and (_has_content(row) or any(c.formula for c in row)):
            content += 1
            if content > MAX_ROWS:
                sheet.too_long = True
                sheet.problems.append(too_long_problem(sheet.where))
                return
        sheet.rows.append(row)


def _sheet_parts(path: Path) -> dict[str, str]:
    """``{sheet name: its XML part in the zip}``, from the workbook's own index (openpyxl's reader; no cell is read)."""
    reader = ExcelReader(path, read_only=True, keep_links=False)
    try:
        reader.read_manifest()
        reader.read_workbook()
        return {sheet.name: rel.target for sheet, rel in reader.parser.find_sheets()}
    finally:
        reader.archive.close()


def _oversized(path: Path, parts: dict[str, str]) -> list[ImportProblem]:
    """Sheets too large to be a template sheet, found from the zip directory alone (nothing is parsed)."""
    with zipfile.ZipFile(path) as z:
        sizes = {i.filename: i.file_size for i in z.infolist() if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")}
    names = {part: name for name, part in parts.items()}
    big = [k for k, size in sizes.items() if size > MAX_SHEET_BYTES]
    return [too_long_problem(f"sheet '{names[k]}'" if k in names else f"file '{path.name}' ({k})") for k in big]


def _merged_ranges(archive: zipfile.ZipFile, part: str | None) -> list[str]:
    """The merged cell ranges of a sheet: openpyxl does not read them in read-only mode, so they are found in its XML.

    A pattern for the one element (``<mergeCell ref="K4:K5"/>``) rather than an XML parser: the sheet
    may be up to ``MAX_SHEET_BYTES``, and a streaming parse of that takes ten times as long.
    """
    if not part:
        return []
    return [m.decode() for m in _MERGE.findall(archive.read(part))]


def _mb(size: int) -> str:
    """``8,0 MB``, or ``58 kB`` below a megabyte (Norwegian decimal comma)."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} kB"
    return f"{size / 1_000_000:,.1f} MB".replace(",", "\u00a0").replace(".", ",")


def _large_parts(path: Path) -> list[ImportProblem]:
    """Parts that unpack to more than the limits, from the zip directory alone (before any XML is parsed)."""
    where = f"file '{path.name}'"
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
    if len(infos) > MAX_PARTS:
        msg = f"expected a workbook of at most {MAX_PARTS} parts (a template has about 30), found {len(infos)}; nothing was read"
        return [ImportProblem(where, None, msg, "too-large")]
    problems = []
    for i in infos:
        is_sheet = i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")
        if not is_sheet and i.file_size > MAX_PART_BYTES:
            what = {"xl/sharedStrings.xml": " (the workbook's text)", "xl/styles.xml": " (the cell styles)"}.get(i.filename, "")
            msg = (
                f"expected each part of the workbook to unpack to at most {_mb(MAX_PART_BYTES)}, found {i.filename}{what} "
                f"unpacking to {_mb(i.file_size)} from {_mb(i.compress_size)}; not a template (save the template again from Excel). "
                "Nothing was read"
            )
            problems.append(ImportProblem(where, None, msg, "too-large"))
    total = sum(i.file_size for i in infos)
    if not problems and total > MAX_WORKBOOK_BYTES:
        msg = f"expected a workbook that unpacks to at most {_mb(MAX_WORKBOOK_BYTES)}, found {_mb(total)}; nothing was read"
        problems.append(ImportProblem(where, None, msg, "too-large"))
    return problems


def _read_workbook(path: Path, names: list[str]) -> list[InputSheet]:
    large = _large_parts(path)
    if large:
        raise ImportRejected(large)
    parts = _sheet_parts(path)
    oversized = _oversized(path, parts)
    if oversized:
        raise ImportRejected(oversized)
    values = load_workbook(path, data_only=True, read_only=True)
    formulas = load_workbook(path, data_only=False, read_only=True)
    try:
        year, mapping = _meta(values)
        sheets = []
        with zipfile.ZipFile(path) as archive:
            for name in values.sheetnames:
                if name in (GUIDE_SHEET, META_SHEET):
                    continue
                ws = values[name]
                dataset = mapping.get(name) if mapping else name
                sheet = InputSheet(f"sheet '{name}'", name, dataset if dataset in names else None, [], year=year)
                sheet.hidden = getattr(ws, "sheet_state", "visible") != "visible"
                if not sheet.hidden and hasattr(ws, "iter_rows"):
                    sheet.merged = _merged_ranges(archive, parts.get(name))
                    _sheet_cells(ws, formulas[name], sheet)
                sheets.append(sheet)
        return sheets
    finally:
        values.close()
        formulas.close()


# --------------------------------------------------------------------------- an OpenDocument spreadsheet


def _read_ods(path: Path, names: list[str]) -> list[InputSheet]:
    from analysis.intake.ods import read_ods

    tables = read_ods(path, MAX_ROWS)
    meta = next((t for t in tables if t.name == META_SHEET), None)
    rows = [[*(c.value for c in r), None, None] for r in meta.rows] if meta else []
    year = next((r[1] for r in rows if r[0] == "year"), None)
    start = next((i for i, r in enumerate(rows) if r[0] == "sheet"), len(rows))
    mapping = {str(r[0]): str(r[1]) for r in rows[start + 1 :] if r[0] and r[1]}
    sheets = []
    for t in tables:
        if t.name in (GUIDE_SHEET, META_SHEET):
            continue
        dataset = mapping.get(t.name) if mapping else t.name
        sheet = InputSheet(f"sheet '{t.name}'", t.name, dataset if dataset in names else None, [], hidden=t.hidden, merged=t.merged)
        sheet.year = int(year) if isinstance(year, int | float) else None
        if t.content_rows - 1 > MAX_ROWS:
            sheet.too_long = True
            sheet.problems.append(too_long_problem(sheet.where))
        else:
            sheet.rows = t.rows
        sheets.append(sheet)
    return sheets


# --------------------------------------------------------------------------- a CSV export of one sheet


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _delimiter(text: str) -> str:
    """The delimiter of the header row (``csv.Sniffer``, limited to ``CSV_DELIMITERS``); a comma when it has none."""
    try:
        return csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=CSV_DELIMITERS).delimiter
    except csv.Error:  # a header of one cell (or none): the header check reports what is missing
        return ","


def _csv_dataset(path: Path, names: list[str], dataset: str | None) -> str | None:
    if dataset:
        return dataset if dataset in names else None
    stem = path.stem
    if stem in names:
        return stem
    prefixes = [n for n in names if stem.startswith(n) and stem[len(n)] in "-_ ."]
    return max(prefixes, key=len) if prefixes else None


def _read_csv(path: Path, names: list[str], dataset: str | None) -> InputSheet:
    with path.open("rb") as fh:
        raw = fh.read(MAX_CSV_BYTES + 1)
    if len(raw) > MAX_CSV_BYTES:
        msg = f"expected a CSV export of one sheet of at most {_mb(MAX_CSV_BYTES)}, found a larger file; nothing was read"
        raise ImportRejected([ImportProblem(f"file '{path.name}'", None, msg, "too-large")])
    text = _decode(raw)
    delimiter = _delimiter(text)
    where = f"file '{path.name}'"
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    width = len(records[0]) if records else 0
    sheet = InputSheet(where, path.name, _csv_dataset(path, names, dataset), [])
    content = 0
    for r, record in enumerate(records, start=1):
        cells = [Cell(f"{get_column_letter(c)}{r}", v if v.strip(BLANKS) else None) for c, v in enumerate(record, start=1)]
        extra = [c for c in cells[width:] if c.value is not None]
        if extra:
            sep = "comma" if delimiter == "," else repr(delimiter)
            sheet.problems.append(
                ImportProblem(
                    where,
                    extra[0].ref,
                    f"expected {width} cells as in the header, found {len(cells)}: in a {sep}-separated file a number with a "
                    'decimal comma must be in quotes ("85,8"), or save the file as semicolon-separated',
                    "row-shape",
                )
            )
        if r > 1 and _has_content(cells):
            content += 1
            if content > MAX_ROWS:
                sheet.too_long = True
                sheet.problems.append(too_long_problem(where))
                break
        sheet.rows.append(cells[:width])
    return sheet


def _not_regular(path: Path) -> str | None:
    """What ``path`` is when it is not a regular file (a named pipe would make the import wait for ever), else None."""
    import stat

    try:
        mode = path.stat().st_mode
    except OSError:
        return None  # reported by the reader
    if stat.S_ISREG(mode):
        return None
    return {stat.S_IFIFO: "a named pipe", stat.S_IFDIR: "a folder"}.get(stat.S_IFMT(mode), "a device or special file")


def read_input(path: Path, names: list[str], dataset: str | None = None) -> list[InputSheet]:
    """The sheets of an ``.xlsx`` or ``.ods`` workbook, or the one sheet of a ``.csv`` file.

    Parameters
    ----------
    path : the input file.
    names : the observation datasets of ``data/``.
    dataset : for a CSV file, the dataset it holds (default: from the file name).

    Raises
    ------
    ImportRejected : not a workbook or CSV file, a file openpyxl cannot read, or a sheet far too large.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    kind = _not_regular(path)
    if kind:
        msg = f"expected a regular file (a workbook saved by Excel, or a CSV file), found {kind}; nothing was read"
        raise ImportRejected([ImportProblem(f"file '{path.name}'", None, msg, "file-type")])
    if suffix == ".csv":
        return [_read_csv(path, names, dataset)]
    where = f"file '{path.name}'"
    if suffix == ".ods":
        try:
            return _read_ods(path, names)
        except _UNREADABLE as exc:
            msg = f"expected an OpenDocument spreadsheet (.ods), found a file that cannot be read as one ({exc})"
            raise ImportRejected([ImportProblem(where, None, msg, "file-type")]) from exc
    if suffix not in (".xlsx", ".xlsm"):
        msg = f"expected a workbook (.xlsx or .ods) or a CSV file (.csv), found '{suffix or path.name}'; save it as .xlsx or .ods"
        raise ImportRejected([ImportProblem(where, None, msg, "file-type")])
    try:
        return _read_workbook(path, names)
    except _UNREADABLE as exc:
        msg = f"expected an Excel workbook (.xlsx), found a file openpyxl cannot read ({exc})"
        raise ImportRejected([ImportProblem(where, None, msg, "file-type")]) from exc

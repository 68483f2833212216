"""Import the new year's figures (``virksomhetsanalyse import``).

Input is the workbook made by ``analysis.intake.template`` (or a CSV export of one of
its sheets). ``plan_import`` reads and checks *everything* and either returns
an ``ImportPlan`` or raises ``ImportRejected`` with every problem, each naming
the sheet (or file), the cell (``G7``), what was expected and what was found.
``apply_import`` then writes atomically: it stages a full copy of ``data/``
next to it, applies the new rows, runs ``validate_data`` on the copy and only
then moves the changed files into ``data/`` (``os.replace`` per file).

Number rules (what people type):

* text cells: decimal comma (or point), space / U+00A0 / U+202F as thousands
  separator, ``12,8 %`` and ``12,8%`` (units in % only), ``-``/``−`` minus. The
  value keeps exactly the decimals typed (``'104,0`` → ``104.0``). ``1.234``
  is refused as ambiguous (decimal point or thousands point?).
* numeric cells: the decimals of the cell's number format when it has one
  (``#,##0.0`` → one decimal; a percent format multiplies by 100); with the
  format *General* the shortest decimal Excel shows (15 significant digits,
  ``104.0`` → ``104``).
* an empty cell means "not available yet": no row is written.

Figures already in ``data/``: a value equal to the stored one is skipped; a
different one is refused unless ``replace`` (then every change is listed, old
→ new); a figure missing from a year already in ``data/`` is added, so a year
can be filled in several rounds. Empty cells never delete anything.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from analysis.data.gate import PLACEHOLDERS, SIG_DIGITS, capped_lines, significant_digits, thousands
from analysis.data.store import OBS_COLUMNS, ensure_valid, observation_names, read_descriptor, resource, validate_data
from analysis.intake.template import (
    FIXED_HEADER,
    GUIDE_SHEET,
    META_SHEET,
    SOURCE_HEADER,
    Lookups,
    RowLayout,
    SheetLayout,
    Unit,
    layouts,
    read_lookups,
)

__all__ = [
    "ImportProblem",
    "ImportRejected",
    "Cell",
    "InputSheet",
    "Parsed",
    "NumberError",
    "parse_text",
    "numeric_literal",
    "cell_number",
    "NewValue",
    "Change",
    "ImportPlan",
    "read_input",
    "plan_import",
    "apply_import",
    "summary_lines",
    "change_lines",
]

CHANGELOG_RESOURCE = "changelog"
CHANGELOG_COLUMNS = ("imported_at", "source_file", "sha256", "dataset", "year", "indicator", "group", "action", "old_value", "new_value")
EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#SPILL!", "#CALC!", "#GETTING_DATA", "#FIELD!"}
)
_SPACES = " \t\u00a0\u202f"
_NUMBER = re.compile(r"(?P<sign>[-−–+]?)\s*(?P<int>\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:(?P<mark>[,.])(?P<frac>\d+))?")
_PERCENT = re.compile(r"(?P<body>.*?)[ \u00a0\u202f]*%")
_COLUMN_HINT = "columns must stay as in the template: do not rename, move, insert or delete columns"


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong in the input file."""

    where: str
    """``sheet 'osu_arsverk'`` or ``file 'osu_arsverk.csv'``."""
    cell: str | None
    message: str
    kind: str

    def __str__(self) -> str:
        return f"{self.where}, cell {self.cell}: {self.message}" if self.cell else f"{self.where}: {self.message}"


class ImportRejected(Exception):
    """The input was refused; carries every problem found. Nothing was written."""

    def __init__(self, problems: Iterable[ImportProblem], warnings: Iterable[ImportProblem] = ()):
        self.problems = list(problems)
        self.warnings = list(warnings)
        lines = "\n".join(capped_lines(self.problems, problem_key))
        super().__init__(f"{len(self.problems)} problem(s); nothing was written:\n{lines}")


def problem_key(p: ImportProblem) -> tuple[str, str]:
    """What problems are grouped (and capped) by when printed: sheet or file, and kind."""
    return (p.where, p.kind)


# --------------------------------------------------------------------------- numbers


@dataclass(frozen=True)
class Parsed:
    """A number read from a cell: its literal for data/ and whether it was a percentage."""

    literal: str
    percent: bool = False

    @property
    def shown(self) -> str:
        """The value written the Norwegian way, for messages."""
        return self.literal.replace(".", ",") + (" %" if self.percent else "")


class NumberError(ValueError):
    """A cell that is not an acceptable number; ``kind`` classifies it."""

    def __init__(self, message: str, kind: str):
        super().__init__(message)
        self.kind = kind


def _literal(negative: bool, integer: str, fraction: str | None) -> str:
    integer = integer.lstrip("0") or "0"
    zero = set(integer + (fraction or "")) <= {"0"}
    sign = "-" if negative and not zero else ""
    return f"{sign}{integer}.{fraction}" if fraction is not None else f"{sign}{integer}"


def parse_text(text: str) -> Parsed | None:
    """A number typed as text, with the decimals typed; ``None`` for an empty cell.

    Raises
    ------
    NumberError : text that is not a number, or an ambiguous ``1.234``.
    """
    s = text.strip(_SPACES)
    if not s:
        return None
    if s.upper() in EXCEL_ERRORS:
        raise NumberError(f"expected a number, found the Excel error value {s.upper()}", "excel-error")
    m = _PERCENT.fullmatch(s)
    body = m.group("body").strip(_SPACES) if m else s
    n = _NUMBER.fullmatch(body)
    if not n and s.lower() in PLACEHOLDERS:
        raise NumberError(
            f"expected a number, found '{text}'; a missing figure is simply an empty cell: clear the cell (nothing is written for it, "
            "and the figure can come in a later import)",
            "missing-figure",
        )
    if not n:
        hint = "; leave the cell empty if the figure is not available yet" if not any(ch.isdigit() for ch in s) else ""
        raise NumberError(f"expected a number (like 1 163,5 or 12,8 %), found text '{text}'{hint}", "text")
    integer, mark, frac = n.group("int"), n.group("mark"), n.group("frac")
    if mark == "." and len(frac) == 3 and not re.search(r"[ \u00a0\u202f]", integer) and integer.strip("0"):
        raise NumberError(
            f"expected a number with a decimal comma, found '{text}', which could mean {integer},{frac} or {integer}{frac}; "
            f"write {integer},{frac} or {integer}{frac}",
            "ambiguous-number",
        )
    digits = re.sub(r"[ \u00a0\u202f]", "", integer)
    return Parsed(_literal(n.group("sign") in "-−–" and n.group("sign") != "", digits, frac), percent=m is not None)


def _format_decimals(number_format: str | None) -> tuple[int, int, bool] | None:
    """``(min decimals, max decimals, percent)`` of an Excel number format; ``None`` for General, text or scientific."""
    if not number_format or number_format.strip().lower() in ("general", "@"):
        return None
    section = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.', "", number_format.split(";")[0])
    if re.search(r"[eE][+-]", section) or not re.search(r"[0#?]", section):
        return None
    m = re.search(r"\.([0#?]+)", section)
    frac = m.group(1) if m else ""
    return frac.count("0"), len(frac), "%" in section


def _plain(d: Decimal) -> str:
    """A Decimal as a data literal without exponent (and without a needless ``.0``)."""
    if d == d.to_integral_value():
        return _literal(d < 0, str(abs(int(d))), None)
    text = format(d.normalize(), "f")
    integer, frac = text.lstrip("-").split(".")
    return _literal(d < 0, integer, frac)


def numeric_literal(value: int | float, number_format: str | None) -> Parsed:
    """The literal of a numeric cell: its number format's decimals, else the shortest form Excel shows."""
    d = Decimal(value) if isinstance(value, int) else Decimal(f"{value:.15g}")
    spec = _format_decimals(number_format)
    if spec is None:
        return Parsed(_plain(d))
    lo, hi, percent = spec
    if percent:
        d = d.scaleb(2)
    text = format(d.quantize(Decimal(1).scaleb(-hi), rounding=ROUND_HALF_UP), "f")
    integer, _, frac = text.lstrip("-").partition(".")
    while len(frac) > lo and frac.endswith("0"):
        frac = frac[:-1]
    return Parsed(_literal(text.startswith("-"), integer, frac or None), percent=percent)


@dataclass(frozen=True)
class Cell:
    """One input cell: its address, cached value, number format and formula (if any)."""

    ref: str
    value: object
    number_format: str | None = None
    formula: str | None = None


def cell_number(cell: Cell) -> Parsed | None:
    """The number in a cell, ``None`` when empty.

    Raises
    ------
    NumberError : an Excel error value, a formula without cached value, text, a date or a logical value.
    """
    v = cell.value
    if cell.formula is not None and v is None:
        raise NumberError(
            f"expected a number, found a formula without a computed value ({cell.formula}); open the file in Excel, "
            "let it calculate and save it, or type the number",
            "formula-no-value",
        )
    if v is None:
        return None
    if isinstance(v, bool):
        raise NumberError(f"expected a number, found the logical value {'TRUE' if v else 'FALSE'}", "text")
    if isinstance(v, datetime | date | time):
        raise NumberError(
            f"expected a number, found a date or time ({v}); Excel turned the input into a date: "
            "format the cell as a number and type the figure again",
            "date",
        )
    if isinstance(v, int | float):
        return numeric_literal(v, cell.number_format)
    return parse_text(str(v))


# --------------------------------------------------------------------------- reading the input


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


def _cell_text(cell: Cell | None) -> str:
    if cell is None or cell.value is None:
        return ""
    v = cell.value
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip(_SPACES)


def _meta(wb) -> tuple[int | None, dict[str, str]]:
    """The template's year and sheet → dataset mapping from the hidden sheet (if present)."""
    if META_SHEET not in wb.sheetnames:
        return None, {}
    rows = [[c for c in r] for r in wb[META_SHEET].iter_rows(values_only=True)]
    rows = [list(r) + [None, None] for r in rows]
    year = next((r[1] for r in rows if r[0] == "year"), None)
    start = next((i for i, r in enumerate(rows) if r[0] == "sheet"), len(rows))
    mapping = {str(r[0]): str(r[1]) for r in rows[start + 1 :] if r[0] and r[1]}
    return (int(year) if year is not None else None), mapping


MAX_ROWS = 2000
"""Most rows with content a sheet (or CSV file) may have below its header; the largest dataset has far fewer."""


def _too_long(where: str) -> ImportProblem:
    msg = (
        f"expected at most {thousands(MAX_ROWS)} rows below the header (one per indicator and group of the template), "
        f"found more; new rows are added in data/, not in the template: make a new template and copy the figures into it. "
        "The sheet was not checked further"
    )
    return ImportProblem(where, None, msg, "too-many-rows")


def _has_content(cells) -> bool:
    return any(c.value is not None for c in cells)


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
            row.append(Cell(f"{get_column_letter(c)}{r}", v.value, getattr(v, "number_format", None), formula))
        if r > 1 and (_has_content(row) or any(c.formula for c in row)):
            content += 1
            if content > MAX_ROWS:
                sheet.too_long = True
                sheet.problems.append(_too_long(sheet.where))
                return
        sheet.rows.append(row)


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')


def _merged_ranges(path: Path, ws) -> list[str]:
    """The merged cell ranges of a read-only sheet (openpyxl does not read them in read-only mode)."""
    member = getattr(ws, "_worksheet_path", None)
    if not member:
        return []
    with zipfile.ZipFile(path) as z:
        data = z.read(member)
    return [m.decode() for m in _MERGE.findall(data)]


MAX_SHEET_BYTES = 8_000_000
"""Largest sheet XML (uncompressed) read at all; a template sheet of ``MAX_ROWS`` rows is far smaller."""


def _oversized(path: Path) -> list[ImportProblem]:
    """Sheets too large to be a template sheet, found from the zip directory alone (nothing is parsed)."""
    with zipfile.ZipFile(path) as z:
        sizes = {i.filename: i.file_size for i in z.infolist() if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")}
        big = {k: v for k, v in sizes.items() if v > MAX_SHEET_BYTES}
        if not big:
            return []
        try:
            book = z.read("xl/workbook.xml").decode("utf-8", "replace")
            rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
        except KeyError:
            book = rels = ""

    def attr(tag: str, name: str) -> str:
        m = re.search(rf'\s{name}="([^"]*)"', tag)
        return m.group(1) if m else ""

    targets = {attr(t, "Id"): attr(t, "Target") for t in re.findall(r"<(?:\w+:)?Relationship\b[^>]*>", rels)}
    sheets = {}
    for tag in re.findall(r"<(?:\w+:)?sheet\b[^>]*>", book):
        target = targets.get(attr(tag, r"r:id"), "").lstrip("/")
        sheets[target if target.startswith("xl/") else "xl/" + target] = attr(tag, "name")
    return [_too_long(f"sheet '{sheets[k]}'" if k in sheets else f"file '{path.name}' ({k})") for k in big]


def _read_workbook(path: Path, names: list[str]) -> list[InputSheet]:
    oversized = _oversized(path)
    if oversized:
        raise ImportRejected(oversized)
    values = load_workbook(path, data_only=True, read_only=True)
    formulas = load_workbook(path, data_only=False, read_only=True)
    try:
        year, mapping = _meta(values)
        sheets = []
        for name in values.sheetnames:
            if name in (GUIDE_SHEET, META_SHEET):
                continue
            ws = values[name]
            dataset = mapping.get(name) if mapping else name
            sheet = InputSheet(f"sheet '{name}'", name, dataset if dataset in names else None, [], year=year)
            sheet.hidden = getattr(ws, "sheet_state", "visible") != "visible"
            if not sheet.hidden and hasattr(ws, "iter_rows"):
                sheet.merged = _merged_ranges(path, ws)
                _sheet_cells(ws, formulas[name], sheet)
            sheets.append(sheet)
        return sheets
    finally:
        values.close()
        formulas.close()


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    return max((";", ",", "\t"), key=header.count)


def _csv_dataset(path: Path, names: list[str], dataset: str | None) -> str | None:
    if dataset:
        return dataset if dataset in names else None
    stem = path.stem
    if stem in names:
        return stem
    prefixes = [n for n in names if stem.startswith(n) and stem[len(n)] in "-_ ."]
    return max(prefixes, key=len) if prefixes else None


def _read_csv(path: Path, names: list[str], dataset: str | None) -> InputSheet:
    text = _decode(path.read_bytes())
    delimiter = _delimiter(text)
    where = f"file '{path.name}'"
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    width = len(records[0]) if records else 0
    sheet = InputSheet(where, path.name, _csv_dataset(path, names, dataset), [])
    content = 0
    for r, record in enumerate(records, start=1):
        cells = [Cell(f"{get_column_letter(c)}{r}", v if v.strip(_SPACES) else None) for c, v in enumerate(record, start=1)]
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
                sheet.problems.append(_too_long(where))
                break
        sheet.rows.append(cells[:width])
    return sheet


def read_input(path: Path, names: list[str], dataset: str | None = None) -> list[InputSheet]:
    """The sheets of an ``.xlsx`` workbook, or the one sheet of a ``.csv`` file.

    Parameters
    ----------
    path : the input file.
    names : the observation datasets of ``data/``.
    dataset : for a CSV file, the dataset it holds (default: from the file name).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return [_read_csv(path, names, dataset)]
    where = f"file '{path.name}'"
    if suffix not in (".xlsx", ".xlsm"):
        msg = f"expected an Excel workbook (.xlsx) or a CSV file (.csv), found '{suffix or path.name}'; save it as .xlsx"
        raise ImportRejected([ImportProblem(where, None, msg, "file-type")])
    try:
        return _read_workbook(path, names)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        msg = f"expected an Excel workbook (.xlsx), found a file openpyxl cannot read ({exc})"
        raise ImportRejected([ImportProblem(where, None, msg, "file-type")]) from exc


# --------------------------------------------------------------------------- checking


@dataclass(frozen=True)
class NewValue:
    """One figure of the new year, read from a cell."""

    dataset: str
    indicator: str
    group: str
    year: int
    literal: str
    where: str
    cell: str


@dataclass(frozen=True)
class Change:
    """A value in data/ that ``--replace`` overwrites with a new one."""

    value: NewValue
    old: str


def _header_year(sheet: InputSheet) -> int | None:
    header = [_cell_text(c) for c in (sheet.rows[0] if sheet.rows else [])]
    years = [int(h) for h in header[len(FIXED_HEADER) :] if re.fullmatch(r"\d{4}", h)]
    return max(years) if years else None


def _check_header(sheet: InputSheet, layout: SheetLayout) -> list[ImportProblem]:
    header = sheet.rows[0] if sheet.rows else []
    expected = layout.header
    problems = []
    for i, want in enumerate(expected):
        cell = header[i] if i < len(header) else None
        found = _cell_text(cell)
        ref = f"{get_column_letter(i + 1)}1"
        if found == want:
            continue
        if not found:
            msg = f"expected the column header '{want}', found an empty cell (deleted column?); {_COLUMN_HINT}"
            kind = "missing-column"
        elif found in expected:
            home = get_column_letter(expected.index(found) + 1)
            msg = f"expected the column header '{want}', found '{found}', which belongs in column {home} (reordered column); {_COLUMN_HINT}"
            kind = "reordered-column"
        else:
            msg = f"expected the column header '{want}', found '{found}' (renamed or inserted column); {_COLUMN_HINT}"
            kind = "renamed-column"
        problems.append(ImportProblem(sheet.where, ref, msg, kind))
    for cell in header[len(expected) :]:
        if _cell_text(cell):
            msg = f"expected no column after '{SOURCE_HEADER}', found '{_cell_text(cell)}'; {_COLUMN_HINT}"
            problems.append(ImportProblem(sheet.where, cell.ref, msg, "extra-column"))
    return problems


def _check_ids(
    sheet: InputSheet, row: list[Cell], layout: SheetLayout, lookups: Lookups
) -> tuple[tuple[str, str] | None, ImportProblem | None]:
    """The (indicator, group) of a row, or the problem with its id cells."""
    ind, grp = _cell_text(row[0]), _cell_text(row[1])
    keys = [(r.indicator, r.group) for r in layout.rows]
    indicators = list(dict.fromkeys(i for i, _ in keys))
    if ind not in indicators:
        why = "which is not an indicator of this dataset" if ind in lookups.indicators else "which is not an id in indicators.csv"
        found = f"'{ind}', {why}" if ind else "an empty cell"
        msg = f"expected an indicator id of {layout.dataset} ({', '.join(indicators)}), found {found}"
        return None, ImportProblem(sheet.where, row[0].ref, msg, "unknown-indicator")
    if (ind, grp) not in keys:
        groups = [g for i, g in keys if i == ind]
        why = f"which is not a row of {ind} in this dataset" if grp in lookups.groups else "which is not an id in groups.csv"
        found = f"'{grp}', {why}" if grp else "an empty cell"
        msg = (
            f"expected a group id of {ind} in {layout.dataset} ({', '.join(groups)}), found {found}; "
            "new rows are added in data/, not in the template"
        )
        return None, ImportProblem(sheet.where, row[1].ref, msg, "unknown-group")
    return (ind, grp), None


def _check_value(sheet: InputSheet, cell: Cell, unit: Unit, key: tuple[str, str]) -> tuple[Parsed | None, ImportProblem | None]:
    """The new year's value of a cell, checked against its unit."""
    try:
        parsed = cell_number(cell)
    except NumberError as exc:
        return None, ImportProblem(sheet.where, cell.ref, str(exc), exc.kind)
    if parsed is None:
        return None, None
    series = f"{key[0]} / {key[1]}"
    digits = significant_digits(parsed.literal)
    if digits > SIG_DIGITS:
        shown = parsed.shown if len(parsed.shown) <= 30 else f"{parsed.shown[:24]}…"
        msg = (
            f"expected at most {SIG_DIGITS} significant digits for {series} (the figure as printed in the source), "
            f"found a number with {thousands(digits)} digits ({shown})"
        )
        return None, ImportProblem(sheet.where, cell.ref, msg, "too-many-digits")
    if parsed.percent and not unit.is_percent:
        msg = f"expected a number in {unit.label} for {series} (no %), found the percentage {parsed.shown}"
        return None, ImportProblem(sheet.where, cell.ref, msg, "percent-unit")
    v = Decimal(parsed.literal)
    if unit.minimum is not None and v < Decimal(repr(unit.minimum)):
        msg = f"expected a value of at least {unit.minimum:g} (unit {unit.label}) for {series}, found {parsed.shown}"
        return None, ImportProblem(sheet.where, cell.ref, msg, "out-of-range")
    if unit.maximum is not None and v > Decimal(repr(unit.maximum)):
        msg = f"expected a value of at most {unit.maximum:g} {unit.label} for {series}, found {parsed.shown}"
        return None, ImportProblem(sheet.where, cell.ref, msg, "out-of-range")
    return parsed, None


def _check_previous(sheet: InputSheet, row: list[Cell], layout: SheetLayout, values: dict[int, str]) -> list[ImportProblem]:
    """Earlier years must equal data/ (they are locked in the template)."""
    problems = []
    for year in layout.years:
        cell = row[layout.year_column(year) - 1]
        old = values.get(year)
        try:
            if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                found: Decimal | None = Decimal(f"{cell.value:.15g}")
            else:
                parsed = cell_number(cell)
                found = Decimal(parsed.literal) if parsed else None
        except NumberError:
            found = Decimal("NaN")
        same = (old is None and found is None) or (old is not None and found is not None and not found.is_nan() and found == Decimal(old))
        if same:
            continue
        shown_old = old.replace(".", ",") if old is not None else "no value"
        shown_new = "an empty cell" if cell.value is None else f"'{_cell_text(cell)}'"
        msg = (
            f"expected {year}'s value as in data/ ({shown_old}), found {shown_new}; earlier years cannot be changed here: "
            f"to correct {year}, make a template with --year {year} and import it with --replace"
        )
        problems.append(ImportProblem(sheet.where, cell.ref, msg, "changed-previous-year"))
    return problems


def _range_columns(ref: str) -> tuple[int, int]:
    from openpyxl.utils.cell import range_boundaries

    min_col, _, max_col, _ = range_boundaries(ref)
    return min_col, max_col


def _check_merged(sheet: InputSheet, layout: SheetLayout) -> tuple[list[ImportProblem], list[ImportProblem]]:
    """Merged cells: refused when they touch an id or year column, a warning elsewhere."""
    problems, warnings = [], []
    data_columns = {1, 2} | set(range(len(FIXED_HEADER) + 1, layout.new_column + 1))
    for ref in sheet.merged:
        lo, hi = _range_columns(ref)
        first = ref.split(":")[0]
        if data_columns & set(range(lo, hi + 1)):
            msg = (
                f"cells {ref} are merged: expected one figure per cell; a merged range keeps only the value of its first cell "
                f"({first}), so the figures of the others would be lost. Unmerge the cells and type each figure in its own cell"
            )
            problems.append(ImportProblem(sheet.where, ref, msg, "merged-cells"))
        else:
            msg = f"cells {ref} are merged; the import does not read this column, so nothing is lost (unmerge them to keep the layout)"
            warnings.append(ImportProblem(sheet.where, ref, msg, "merged-label"))
    return problems, warnings


def _check_labels(sheet: InputSheet, row: list[Cell], layout: SheetLayout, spec: RowLayout) -> list[ImportProblem]:
    """Warnings for label cells that differ from the template (they are not read)."""
    source_col = len(layout.header)
    wanted = (
        (3, spec.indicator_label, "indicators.csv"),
        (4, spec.group_label, "groups.csv"),
        (5, spec.unit.label, "units.csv"),
        (source_col, layout.source, "the sources in datapackage.yaml"),
    )
    warnings = []
    for col, want, home in wanted:
        cell = row[col - 1]
        found = _cell_text(cell)
        if found == (want or "").strip(_SPACES):
            continue
        header = layout.header[col - 1]
        shown = f"'{found}'" if found else "an empty cell"
        msg = (
            f"the label column '{header}' is not read by the import: expected '{want}', found {shown}; "
            f"the change is ignored (labels come from {home}: change them there)"
        )
        warnings.append(ImportProblem(sheet.where, cell.ref, msg, "edited-label"))
    return warnings


def _check_sheet(
    sheet: InputSheet, layout: SheetLayout, lookups: Lookups, warnings: list[ImportProblem] | None = None
) -> tuple[list[NewValue], list[ImportProblem]]:
    """Every new value of one sheet, and every problem in it (warnings are appended to ``warnings``)."""
    warnings = [] if warnings is None else warnings
    problems = _check_header(sheet, layout)
    merged, merged_warnings = _check_merged(sheet, layout)
    problems += merged
    warnings += merged_warnings
    label_columns = {f"{get_column_letter(i)}1" for i in (3, 4, 5, len(layout.header))}
    if any(p.cell not in label_columns for p in problems):
        return [], problems  # ids or years moved: cells cannot be mapped
    values: list[NewValue] = []
    seen: dict[tuple[str, str], int] = {}
    by_key = {(r.indicator, r.group): r for r in layout.rows}
    width = len(layout.header)
    for r, row in enumerate(sheet.rows[1:], start=2):
        row = row + [Cell(f"{get_column_letter(c)}{r}", None) for c in range(len(row) + 1, width + 1)]
        if all(c.value is None and c.formula is None for c in row[:width]):
            continue
        key, problem = _check_ids(sheet, row, layout, lookups)
        if problem:
            problems.append(problem)
            continue
        if key in seen:
            msg = f"expected each indicator/group once, found {key[0]} / {key[1]} again (first in row {seen[key]})"
            problems.append(ImportProblem(sheet.where, row[0].ref, msg, "duplicate-row"))
            continue
        seen[key] = r
        spec = by_key[key]
        warnings += _check_labels(sheet, row, layout, spec)
        problems += _check_previous(sheet, row, layout, spec.values)
        parsed, problem = _check_value(sheet, row[layout.new_column - 1], spec.unit, key)
        if problem:
            problems.append(problem)
        elif parsed:
            cell = row[layout.new_column - 1].ref
            values.append(NewValue(layout.dataset, key[0], key[1], layout.new_year, parsed.literal, sheet.where, cell))
    return values, problems


def _overwrites(plan: ImportPlan, data_files: dict[str, str]) -> list[ImportProblem]:
    """Without --replace: one problem per cell that would change a figure already in data/."""
    problems = []
    for c in plan.changes:
        v = c.value
        msg = (
            f"expected no figure for {v.indicator} / {v.group} {v.year}, which data/{data_files[v.dataset]} already has "
            f"({c.old.replace('.', ',')}), found {v.literal.replace('.', ',')}; import with --replace to overwrite it "
            "(every change is printed first, old → new)"
        )
        problems.append(ImportProblem(v.where, v.cell, msg, "year-present"))
    return problems


# --------------------------------------------------------------------------- the plan


@dataclass
class ImportPlan:
    """What an import will write."""

    source: Path
    sha256: str
    replace: bool
    added: list[NewValue] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    unchanged: list[NewValue] = field(default_factory=list)
    datasets: list[str] = field(default_factory=list)
    """Every dataset in the input (filled or not)."""
    warnings: list[ImportProblem] = field(default_factory=list)
    """Things not refused but worth a word (edited label cells, a skipped year)."""
    last_years: dict[str, int | None] = field(default_factory=dict)
    """Per dataset, the latest year in data/ before the new year."""

    @property
    def written(self) -> list[NewValue]:
        """The values that go into data/ (added or changed)."""
        return self.added + [c.value for c in self.changes]

    @property
    def years(self) -> list[int]:
        """Years with values added or replaced."""
        return sorted({v.year for v in self.written})

    @property
    def filled(self) -> list[str]:
        """Datasets with at least one value written, in input order."""
        touched = {v.dataset for v in self.written}
        return [d for d in self.datasets if d in touched]


def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _resolve_sheets(sheets: list[InputSheet], names: list[str], csv_input: bool) -> list[ImportProblem]:
    problems = []
    for sheet in sheets:
        if sheet.hidden:
            what = "a dataset sheet of the template" if sheet.dataset else "not a sheet of the template"
            msg = (
                f"the sheet is hidden ({what}): expected only visible sheets, so that nothing is imported unseen; "
                "unhide it in Excel (right-click a sheet tab → Unhide) and check it, then delete it or keep it visible"
            )
            problems.append(ImportProblem(sheet.where, None, msg, "hidden-sheet"))
            continue
        if sheet.dataset is not None:
            continue
        if csv_input:
            msg = (
                "cannot tell which dataset the file holds: expected a file named after a dataset "
                f"(such as osu_arsverk.csv) or --dataset, found '{sheet.name}'"
            )
            problems.append(ImportProblem(sheet.where, None, msg, "unknown-dataset"))
        else:
            msg = f"unknown sheet: expected a dataset sheet of the template ({', '.join(names)}) or '{GUIDE_SHEET}', found '{sheet.name}'"
            problems.append(ImportProblem(sheet.where, "A1", msg, "unknown-sheet"))
    return problems


def _classify(plan: ImportPlan, layout: SheetLayout, values: list[NewValue]) -> None:
    """Add new values to the plan as added, changed or unchanged."""
    existing = {(r.indicator, r.group): r.values.get(layout.new_year) for r in layout.rows}
    for v in values:
        old = existing.get((v.indicator, v.group))
        if old is None:
            plan.added.append(v)
        elif old == v.literal:
            plan.unchanged.append(v)
        else:
            plan.changes.append(Change(v, old))
    plan.datasets.append(layout.dataset)


def plan_import(path: Path, data_dir: Path, *, replace: bool = False, dataset: str | None = None) -> ImportPlan:
    """Read and check an input file against ``data_dir``.

    Parameters
    ----------
    path : the filled ``.xlsx`` template or a ``.csv`` export of one sheet.
    data_dir : the data folder (must be valid).
    replace : allow changing figures already in ``data_dir``. Without it, a cell whose
        (indicator, group, year) has a different value in ``data_dir`` is a problem; a
        value equal to the stored one is left alone, and a figure missing from a year
        already in ``data_dir`` is added (a year can be filled in several rounds).
    dataset : for a CSV file, the dataset it holds (default: from the file name).

    Raises
    ------
    ImportRejected : with every problem found.
    """
    path, data_dir = Path(path), Path(data_dir)
    ensure_valid(data_dir)
    descriptor = read_descriptor(data_dir)
    names = observation_names(descriptor)
    lookups = read_lookups(data_dir, descriptor)
    sheets = read_input(path, names, dataset)
    problems = _resolve_sheets(sheets, names, path.suffix.lower() == ".csv")
    plan = ImportPlan(path, _sha256(path), replace)
    for sheet in (s for s in sheets if s.dataset is not None and not s.hidden):
        problems += sheet.problems
        if sheet.too_long:
            continue
        year = sheet.year or _header_year(sheet)
        if year is None:
            msg = "expected year columns (such as 2018, 2019) in the header row, found none"
            problems.append(ImportProblem(sheet.where, "A1", msg, "missing-column"))
            continue
        layout = layouts(data_dir, year, [sheet.dataset], descriptor=descriptor, lookups=lookups)[0]
        values, sheet_problems = _check_sheet(sheet, layout, lookups, plan.warnings)
        problems += sheet_problems
        _classify(plan, layout, values)
        plan.last_years[layout.dataset] = max(layout.years) if layout.years else None
    plan.warnings += _skipped_years(plan, f"file '{path.name}'")
    if not replace:
        problems += _overwrites(plan, {ds: resource(descriptor, ds)["path"] for ds in plan.datasets})
    if problems:
        raise ImportRejected(problems, plan.warnings)
    return plan


def _skipped_years(plan: ImportPlan, where: str) -> list[ImportProblem]:
    """A warning per gap: figures for year Y written into a dataset whose data end before Y - 1."""
    gaps: dict[tuple[int, int], list[str]] = {}
    for v in plan.written:
        last = plan.last_years.get(v.dataset)
        if last is not None and last < v.year - 1 and v.dataset not in gaps.get((last, v.year), []):
            gaps.setdefault((last, v.year), []).append(v.dataset)
    warnings = []
    for (last, year), datasets in gaps.items():
        skipped = range(last + 1, year)
        years = str(skipped[0]) if len(skipped) == 1 else f"{skipped[0]}–{skipped[-1]}"
        msg = (
            f"the template is for {year}, but the data of {', '.join(datasets)} end at {last}: {years} is skipped (no figures for "
            f"{years} are written); if they exist, import a template for {years} first"
        )
        warnings.append(ImportProblem(where, None, msg, "skipped-year"))
    return warnings


# --------------------------------------------------------------------------- writing


def _write_observations(path: Path, values: list[NewValue]) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = {(r["indicator"], r["group"], int(r["year"])): r["value"] for r in csv.DictReader(fh)}
    for v in values:
        rows[(v.indicator, v.group, v.year)] = v.literal
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(OBS_COLUMNS)
        for (ind, grp, year), literal in sorted(rows.items()):
            w.writerow([year, ind, grp, literal])


def _write_changelog(plan: ImportPlan, data_dir: Path, descriptor: dict, stamp: str) -> str:
    """Append one row per written value to the changelog resource; returns its file name."""
    name = resource(descriptor, CHANGELOG_RESOURCE)["path"]
    path = data_dir / name
    new_file = not path.exists() or path.stat().st_size == 0
    old = {id(c.value): c.old for c in plan.changes}
    with path.open("a", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        if new_file:
            w.writerow(CHANGELOG_COLUMNS)
        for v in plan.written:
            before = old.get(id(v))
            action = "added" if before is None else "replaced"
            w.writerow([stamp, plan.source.name, plan.sha256, v.dataset, v.year, v.indicator, v.group, action, before or "", v.literal])
    return name


def _stage_problem(p) -> ImportProblem:
    return ImportProblem("the data after import (nothing was written)", None, str(p), p.kind)


def apply_import(plan: ImportPlan, data_dir: Path, *, dry_run: bool = False, now: datetime | None = None) -> list[str]:
    """Write a checked plan into ``data_dir`` atomically; return the names of the files written.

    The new rows and the changelog entry are written into a full copy of
    ``data_dir`` (a temporary folder next to it), the copy is validated with
    ``validate_data``, and only then each changed file is moved into
    ``data_dir`` with ``os.replace``. With ``dry_run`` the copy is validated and
    thrown away. Raises ``ImportRejected`` if the staged copy is not valid; then
    ``data_dir`` is unchanged.
    """
    data_dir = Path(data_dir).resolve()
    if not plan.written:
        return []
    descriptor = read_descriptor(data_dir)
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    root = Path(tempfile.mkdtemp(prefix=".import-", suffix=".tmp", dir=data_dir.parent))
    try:
        staged = root / data_dir.name
        shutil.copytree(data_dir, staged)
        files = []
        for ds in plan.filled:
            name = resource(descriptor, ds)["path"]
            _write_observations(staged / name, [v for v in plan.written if v.dataset == ds])
            files.append(name)
        files.append(_write_changelog(plan, staged, descriptor, stamp))
        problems = validate_data(staged)
        if problems:
            raise ImportRejected([_stage_problem(p) for p in problems])
        if not dry_run:
            for name in files:
                os.replace(staged / name, data_dir / name)
        return files
    finally:
        shutil.rmtree(root, ignore_errors=True)


# --------------------------------------------------------------------------- reporting


def change_lines(plan: ImportPlan) -> list[str]:
    """One line per value ``--replace`` overwrites: ``dataset indicator / group year: old → new``."""
    return [f"{c.value.dataset} {c.value.indicator} / {c.value.group} {c.value.year}: {c.old} → {c.value.literal}" for c in plan.changes]


def summary_lines(plan: ImportPlan) -> list[str]:
    """A short summary: per dataset the values added and replaced, then the totals."""
    lines = []
    for ds in plan.filled:
        added = sum(1 for v in plan.added if v.dataset == ds)
        replaced = sum(1 for c in plan.changes if c.value.dataset == ds)
        years = ", ".join(str(y) for y in sorted({v.year for v in plan.written if v.dataset == ds}))
        lines.append(f"{ds}: {added} added, {replaced} replaced ({years})")
    empty = [d for d in plan.datasets if d not in plan.filled]
    if empty:
        lines.append(f"no new figures (empty or unchanged; nothing written): {', '.join(empty)}")
    years = ", ".join(str(y) for y in plan.years) or "none"
    unchanged = f", {len(plan.unchanged)} unchanged" if plan.unchanged else ""
    counts = f"{len(plan.added)} value(s) added, {len(plan.changes)} replaced{unchanged}"
    lines.append(f"total: {len(plan.filled)} dataset(s), {counts}; year(s) {years}")
    return lines

"""Checking one input sheet against the layout the template gave it (``analysis.intake.template.layouts``).

``check_sheet`` returns every new value of the sheet and every problem in it:
the header (renamed, moved, inserted or deleted columns), merged cells, the
id cells of each row (unknown indicator or group, a row twice), the earlier
years (locked: they must equal data/), the new year's cell (a number in the
unit's range, % only for units in %) and its source (the *Kilde* cell: every
figure needs one; a CSV file without the column may give one for all with
``default_source``), and warnings for edited label cells.

Each new value carries its source as a ``workbook`` credit with the text of
its *Kilde* cell, also when the analyst kept the text the template filled in
(a source chosen for the year before): keeping it says that it holds for the
new figure too. The original document's credit (``documents``: a report of an
earlier year) is refused for a new figure. A number that is a recent date as
a spreadsheet counts days (``7.1`` typed in a Norwegian spreadsheet) is refused
where it cannot be the figure (above the unit's range, or ten times the year
before's). A same fact copied from another sheet (``RowLayout.copied_from``)
is not read as a figure: a number typed there comes back as a ``NewValue`` with
``copied`` set, which the plan compares with the figure it copies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries

from analysis.calc.numbers import SIG_DIGITS, significant_digits, thousands
from analysis.data.provenance import Credit
from analysis.intake.cells import BLANKS, Cell, NumberError, Parsed, cell_number, cell_text, date_reading
from analysis.intake.cells import shown_literal as _shown_nbsp
from analysis.intake.problems import ImportProblem
from analysis.intake.read import InputSheet
from analysis.intake.template import FIXED_HEADER, SOURCE_HEADER, Lookups, RowLayout, SheetLayout

__all__ = ["NewValue", "Sources", "header_year", "check_sheet"]

_COLUMN_HINT = "columns must stay as in the template: do not rename, move, insert or delete columns"


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
    credit: Credit | None = None
    """Where the figure comes from (written to ``data/provenance.csv`` by ``apply_import``)."""
    copied: bool = False
    """A number found in a copied same fact's cell (not a figure: the plan checks it against the figure copied)."""
    copy_of: str | None = None
    """For a same fact the plan copies: the dataset it was typed in (``where`` and ``cell`` name that cell)."""


@dataclass(frozen=True)
class Sources:
    """What the check knows about sources: the documents' credits (refused for a new figure) and those in use."""

    documents: frozenset[str] = frozenset()
    known: tuple[str, ...] = ()

    def listed(self) -> str:
        """The sources in use, for a message."""
        return "; ".join(f"«{s}»" for s in self.known) if self.known else "none yet"


def header_year(sheet: InputSheet) -> int | None:
    """The latest year in the sheet's header row (for a CSV file, which has no hidden ``_mal`` sheet)."""
    header = [cell_text(c) for c in (sheet.rows[0] if sheet.rows else [])]
    years = [int(h) for h in header[len(FIXED_HEADER) :] if re.fullmatch(r"\d{4}", h)]
    return max(years) if years else None


def _has_source_column(sheet: InputSheet, layout: SheetLayout) -> bool:
    """Whether the header has a cell where *Kilde* belongs (a CSV file may leave the column out)."""
    header = sheet.rows[0] if sheet.rows else []
    i = len(layout.header) - 1
    return i < len(header) and bool(cell_text(header[i]))


def _check_header(sheet: InputSheet, layout: SheetLayout) -> list[ImportProblem]:
    header = sheet.rows[0] if sheet.rows else []
    expected = layout.header
    problems = []
    for i, want in enumerate(expected):
        cell = header[i] if i < len(header) else None
        found = cell_text(cell)
        ref = f"{get_column_letter(i + 1)}1"
        if found == want or (want == SOURCE_HEADER and i == len(expected) - 1 and not found):
            continue  # no Kilde column at all: check_sheet asks for the source where a figure needs one
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
        if cell_text(cell):
            msg = f"expected no column after '{SOURCE_HEADER}', found '{cell_text(cell)}'; {_COLUMN_HINT}"
            problems.append(ImportProblem(sheet.where, cell.ref, msg, "extra-column"))
    return problems


def _check_ids(
    sheet: InputSheet, row: list[Cell], layout: SheetLayout, lookups: Lookups
) -> tuple[tuple[str, str] | None, ImportProblem | None]:
    """The (indicator, group) of a row, or the problem with its id cells."""
    ind, grp = cell_text(row[0]), cell_text(row[1])
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


def _shown(literal: str, percent: bool = False) -> str:
    """A literal the Norwegian way for a message (``1 422,3``, ``3 000 %``), with plain spaces as the other messages."""
    return _shown_nbsp(literal, percent).replace("\u00a0", " ")


def _check_value(sheet: InputSheet, cell: Cell, spec: RowLayout, year: int) -> tuple[Parsed | None, ImportProblem | None]:
    """The new year's value of a cell, checked against its unit (and, for a date typed by mistake, the year before's)."""
    unit, key = spec.unit, (spec.indicator, spec.group)
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
    v = Decimal(parsed.literal)
    previous = [y for y in spec.values if y < year]
    last = abs(Decimal(spec.values[max(previous)])) if previous else None
    too_big = (unit.maximum is not None and v > Decimal(repr(unit.maximum))) or (last is not None and v >= 10 * last > 0)
    reading = date_reading(cell.value) if too_big and not isinstance(cell.value, str) else None
    if reading:
        msg = f"expected a number for {series}, found {_shown(format(cell.value, '.15g'))}, which is {reading}"
        return None, ImportProblem(sheet.where, cell.ref, msg, "date")
    if parsed.percent and not unit.is_percent:
        msg = f"expected a number in {unit.label} for {series} (no %), found the percentage {parsed.shown}"
        return None, ImportProblem(sheet.where, cell.ref, msg, "percent-unit")
    if unit.minimum is not None and v < Decimal(repr(unit.minimum)):
        msg = f"expected a value of at least {unit.minimum:g} (unit {unit.label}) for {series}, found {parsed.shown}"
        return None, ImportProblem(sheet.where, cell.ref, msg, "out-of-range")
    if unit.maximum is not None and v > Decimal(repr(unit.maximum)):
        found = _shown(parsed.literal, parsed.percent)
        msg = f"expected a value of at most {unit.maximum:g} {unit.label} for {series}, found {found}"
        if parsed.percent and isinstance(cell.value, int | float):
            whole = _shown(format(cell.value, ".15g"))
            shown = _shown(parsed.literal, True)
            msg += f": the cell has a percent format, where {whole} means {shown}; type the share with its percent sign ({whole} %)"
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
        shown_new = "an empty cell" if cell.value is None else f"'{cell_text(cell)}'"
        msg = (
            f"expected {year}'s value as in data/ ({shown_old}), found {shown_new}; earlier years cannot be changed here: "
            f"to correct {year}, make a template with --year {year} and import it with --replace"
        )
        problems.append(ImportProblem(sheet.where, cell.ref, msg, "changed-previous-year"))
    return problems


def _check_merged(sheet: InputSheet, layout: SheetLayout) -> tuple[list[ImportProblem], list[ImportProblem]]:
    """Merged cells: refused when they touch an id or year column, a warning elsewhere."""
    problems, warnings = [], []
    data_columns = {1, 2} | set(range(len(FIXED_HEADER) + 1, layout.new_column + 1))
    for ref in sheet.merged:
        lo, _, hi, _ = range_boundaries(ref)
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
    wanted = (
        (3, spec.indicator_label, "indicators.csv"),
        (4, spec.group_label, "groups.csv"),
        (5, spec.unit.label, "units.csv"),
    )
    warnings = []
    for col, want, home in wanted:
        cell = row[col - 1]
        found = cell_text(cell)
        if found == (want or "").strip(BLANKS):
            continue
        header = layout.header[col - 1]
        shown = f"'{found}'" if found else "an empty cell"
        msg = (
            f"the label column '{header}' is not read by the import: expected '{want}', found {shown}; "
            f"the change is ignored (labels come from {home}: change them there)"
        )
        warnings.append(ImportProblem(sheet.where, cell.ref, msg, "edited-label"))
    return warnings


def _source_text(cell: Cell) -> str:
    """The text of a *Kilde* cell, its whitespace (line breaks too) collapsed."""
    return " ".join(cell_text(cell).split())


def _credit(
    sheet: InputSheet, cell: Cell | None, layout: SheetLayout, value_ref: str, default: str | None, sources: Sources
) -> tuple[Credit | None, ImportProblem | None]:
    """The credit of a new figure: its *Kilde* cell, else ``default`` (``--source``), else a problem naming the cell."""
    text = _source_text(cell) if cell is not None else ""
    year = layout.new_year
    chosen = text or default
    if chosen and _is_document(chosen, sources):
        ref = cell.ref if text and cell is not None else value_ref
        msg = (
            f"expected the source of the {year} figure in {value_ref}, found «{chosen}», the credit of the original report: "
            f"that document cannot hold {year}'s figure (it was carried over from an earlier year). Write where the figure "
            f"comes from (the document, system or table), such as «Bærum kommune, HR-systemet»; sources in use: {sources.listed()}"
        )
        return None, ImportProblem(sheet.where, ref, msg, "document-source")
    if chosen:
        return Credit("workbook", chosen), None
    if cell is None:
        ref = f"{get_column_letter(len(layout.header))}1"
        msg = (
            f"expected the column '{SOURCE_HEADER}' after {year} with the source of each {year} figure (as in the template), "
            "found none; keep the column as in the template, or for a CSV file give the source of every figure in it with --source TEXT "
            f"(sources in use: {sources.listed()})"
        )
        return None, ImportProblem(sheet.where, ref, msg, "missing-source-column")
    msg = (
        f"expected the source of the {year} figure in {value_ref} (the document, system or table it comes from, such as "
        f"«Bærum kommune, HR-systemet»), found an empty cell; choose one from the cell's list or write it (sources in use: "
        f"{sources.listed()})"
    )
    return None, ImportProblem(sheet.where, cell.ref, msg, "missing-source")


def _is_document(text: str, sources: Sources) -> bool:
    """Whether a source names the original report: its credit as the book wrote it, or its title."""
    folded = " ".join(text.split()).casefold()
    return any(doc.casefold() in folded for doc in sources.documents)


def _copied_value(sheet: InputSheet, cell: Cell, layout: SheetLayout, key: tuple[str, str]) -> NewValue | None:
    """A number typed over a copied same fact (a CSV export, an unprotected sheet); formulas and empty cells are not read."""
    if cell.formula is not None or cell.value is None or (isinstance(cell.value, str) and not cell.value.strip(BLANKS)):
        return None
    try:
        parsed = cell_number(cell)
    except NumberError:
        parsed = None
    literal = parsed.literal if parsed else cell_text(cell)
    return NewValue(layout.dataset, key[0], key[1], layout.new_year, literal, sheet.where, cell.ref, copied=True)


def _unused_source(sheet: InputSheet, cell: Cell, year: int) -> ImportProblem:
    msg = (
        f"the source was changed to '{_source_text(cell)}', but the row has no new or changed {year} figure: "
        "a source is recorded only with its figure, so the change is ignored"
    )
    return ImportProblem(sheet.where, cell.ref, msg, "unused-source")


def check_sheet(
    sheet: InputSheet,
    layout: SheetLayout,
    lookups: Lookups,
    warnings: list[ImportProblem] | None = None,
    *,
    default_source: str | None = None,
    sources: Sources = Sources(),
) -> tuple[list[NewValue], list[ImportProblem]]:
    """Every new value of one sheet, and every problem in it (warnings are appended to ``warnings``).

    ``default_source`` is the source of every figure whose *Kilde* cell is empty
    or whose file has no *Kilde* column (``import --source``).
    """
    warnings = [] if warnings is None else warnings
    problems = _check_header(sheet, layout)
    merged, merged_warnings = _check_merged(sheet, layout)
    problems += merged
    warnings += merged_warnings
    label_columns = {f"{get_column_letter(i)}1" for i in (3, 4, 5, len(layout.header))}
    if any(p.cell not in label_columns for p in problems):
        return [], problems  # ids or years moved: cells cannot be mapped
    has_source = _has_source_column(sheet, layout)
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
        if spec.copied_from:
            copied = _copied_value(sheet, row[layout.new_column - 1], layout, key)
            values += [copied] if copied else []
            continue
        parsed, problem = _check_value(sheet, row[layout.new_column - 1], spec, layout.new_year)
        source_cell = row[width - 1] if has_source else None
        if problem:
            problems.append(problem)
        elif parsed and parsed.literal == spec.values.get(layout.new_year):
            ref = row[layout.new_column - 1].ref
            values.append(NewValue(layout.dataset, key[0], key[1], layout.new_year, parsed.literal, sheet.where, ref))
        elif parsed:  # unchanged figures (above) are not written: only a figure written needs its source
            cell = row[layout.new_column - 1].ref
            credit, problem = _credit(sheet, source_cell, layout, cell, default_source, sources)
            if problem and problem not in problems:  # a missing column is one problem, not one per figure
                problems.append(problem)
            values.append(NewValue(layout.dataset, key[0], key[1], layout.new_year, parsed.literal, sheet.where, cell, credit))
        text = _source_text(source_cell) if source_cell is not None else ""
        if text and text != " ".join(spec.source.split()) and not problem:  # a refused figure's source is not news
            if not parsed or parsed.literal == spec.values.get(layout.new_year):
                warnings.append(_unused_source(sheet, source_cell, layout.new_year))
    return values, problems

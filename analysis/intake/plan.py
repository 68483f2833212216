"""What an import will write: ``plan_import`` reads and checks *everything*, then returns an ``ImportPlan``.

``plan_values`` does the same for figures that arrive ready-made (``NewValue``s
from SSB's Statistikkbank, ``virksomhetsanalyse kostra``).

Every new figure carries its source (``NewValue.credit``, from the *Kilde*
cell or ``source``). A same fact (``checks.yaml``) typed in its home dataset is
copied, with its source, into the other datasets that hold it
(``_copy_same_facts``); a number typed over a copy must equal it. Figures
already in ``data/``: a value equal to the stored one is skipped; a
different one is refused unless ``replace`` (then every change is listed, old
→ new); a figure missing from a year already in ``data/`` is added, so a year
can be filled in several rounds. Empty cells never delete anything.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from analysis.data.package import observation_names, read_descriptor, resource
from analysis.data.validate import ensure_valid
from analysis.intake.check import NewValue, Sources, check_sheet, header_year
from analysis.intake.problems import ImportProblem, ImportRejected
from analysis.intake.read import InputSheet, read_input
from analysis.intake.template import (
    GUIDE_SHEET,
    Lookups,
    RowLayout,
    SheetLayout,
    document_sources,
    known_sources,
    layouts,
    read_lookups,
    same_fact_homes,
    unknown_dataset_message,
)

__all__ = ["Change", "ImportPlan", "plan_import", "plan_values"]


@dataclass(frozen=True)
class Change:
    """A value in data/ that ``--replace`` overwrites with a new one."""

    value: NewValue
    old: str


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
    rows: dict[tuple[str, str, str, int], RowLayout] = field(default_factory=dict)
    """The template row of every figure read, by ``(dataset, indicator, group, year)``: its labels, unit and earlier years."""

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
    with Path(path).open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


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
    plan.rows.update({(layout.dataset, r.indicator, r.group, layout.new_year): r for r in layout.rows})
    for v in values:
        old = existing.get((v.indicator, v.group))
        if old is None:
            plan.added.append(v)
        elif old == v.literal:
            plan.unchanged.append(v)
        else:
            plan.changes.append(Change(v, old))
    plan.datasets.append(layout.dataset)


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


def _skipped_years(plan: ImportPlan, where: str, what: str = "the template", again: str = "import a template for") -> list[ImportProblem]:
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
            f"{what} is for {year}, but the data of {', '.join(datasets)} end at {last}: {years} is skipped (no figures for "
            f"{years} are written); if they exist, {again} {years} first"
        )
        warnings.append(ImportProblem(where, None, msg, "skipped-year"))
    return warnings


def _copy_same_facts(
    plan: ImportPlan, typed_over: list[NewValue], data_dir: Path, descriptor: dict, lookups: Lookups
) -> list[ImportProblem]:
    """Copy every same fact typed in its home dataset into the others; a number typed over a copy must equal it."""
    typed = {(v.dataset, v.indicator, v.group, v.year): v for v in plan.added + [c.value for c in plan.changes] + plan.unchanged}
    problems = []
    for year in sorted({k[3] for k in typed} | {v.year for v in typed_over}):
        homes = same_fact_homes(data_dir, year)
        copies: dict[str, list[NewValue]] = {}
        for copy, home in homes.items():
            v = typed.get((*home, year))
            if v is not None:
                copies.setdefault(copy[0], []).append(NewValue(*copy, year, v.literal, v.where, v.cell, v.credit, copy_of=home[0]))
        for dataset, values in copies.items():
            layout = layouts(data_dir, year, [dataset], descriptor=descriptor, lookups=lookups)[0]
            _classify(plan, layout, values)
            plan.last_years.setdefault(dataset, max(layout.years) if layout.years else None)
        for c in (c for c in typed_over if c.year == year):
            home = homes[(c.dataset, c.indicator, c.group)]
            v = typed.get((*home, year))
            shown = c.literal.replace(".", ",")
            if v is not None and v.literal == c.literal:
                continue
            if v is not None:
                msg = (
                    f"{c.indicator} / {c.group} is typed in {v.where}, cell {v.cell} ({v.literal.replace('.', ',')}), and copied here "
                    f"by the import: expected this cell empty or the same figure, found {shown}"
                )
            else:
                msg = (
                    f"{c.indicator} / {c.group} is typed in the sheet {home[0]} and copied here by the import (the same figure in two "
                    f"tables), found {shown} here: type it in {home[0]} (the template's sheet, or its CSV export) and leave this cell empty"
                )
            problems.append(ImportProblem(c.where, c.cell, msg, "copied-same-fact"))
    return problems


def plan_import(path: Path, data_dir: Path, *, replace: bool = False, dataset: str | None = None, source: str | None = None) -> ImportPlan:
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
    source : the source of every figure whose *Kilde* cell is empty, or whose file
        has no *Kilde* column (``import --source``); without it such a figure is a problem.

    Raises
    ------
    ImportRejected : with every problem found.
    """
    path, data_dir = Path(path), Path(data_dir)
    ensure_valid(data_dir)
    descriptor = read_descriptor(data_dir)
    names = observation_names(descriptor)
    sheets = read_input(path, names, dataset)  # first: a file refused as a whole costs no more than its reading
    lookups = read_lookups(data_dir, descriptor)
    problems = _resolve_sheets(sheets, names, path.suffix.lower() == ".csv")
    plan = ImportPlan(path, _sha256(path), replace)
    sources = Sources(frozenset(document_sources(descriptor)), tuple(known_sources(data_dir, descriptor)))
    typed_over: list[NewValue] = []
    for sheet in (s for s in sheets if s.dataset is not None and not s.hidden):
        problems += sheet.problems
        if sheet.too_long:
            continue
        year = sheet.year or header_year(sheet)
        if year is None:
            msg = "expected year columns (such as 2018, 2019) in the header row, found none"
            problems.append(ImportProblem(sheet.where, "A1", msg, "missing-column"))
            continue
        layout = layouts(data_dir, year, [sheet.dataset], descriptor=descriptor, lookups=lookups)[0]
        values, sheet_problems = check_sheet(sheet, layout, lookups, plan.warnings, default_source=source, sources=sources)
        problems += sheet_problems
        typed_over += [v for v in values if v.copied]
        _classify(plan, layout, [v for v in values if not v.copied])
        plan.last_years[layout.dataset] = max(layout.years) if layout.years else None
    problems += _copy_same_facts(plan, typed_over, data_dir, descriptor, lookups)
    plan.datasets = list(dict.fromkeys(plan.datasets))
    plan.warnings += _skipped_years(plan, f"file '{path.name}'")
    if not replace:
        problems += _overwrites(plan, {ds: resource(descriptor, ds)["path"] for ds in plan.datasets})
    if problems:
        raise ImportRejected(problems, plan.warnings)
    return plan


def plan_values(
    values: list[NewValue],
    data_dir: Path,
    *,
    source_name: str,
    sha256: str,
    replace: bool = False,
    what: str = "the input",
    again: str = "import the figures for",
) -> ImportPlan:
    """Classify ready-made figures against ``data_dir`` into an ``ImportPlan``, as ``plan_import`` does for a file.

    Parameters
    ----------
    values : the figures, each naming its dataset, indicator, group and year (and its ``credit``).
    data_dir : the data folder (must be valid).
    source_name, sha256 : what the changelog records as the source file and its hash.
    replace : allow changing figures already in ``data_dir`` (without it each is a problem).
    what, again : how the skipped-year warning names the input (``the fetch``) and the remedy
        (``run kostra --year``).

    A value for a dataset that is not an observation dataset, or for an (indicator, group)
    the dataset has no row for, is a problem (new rows are added in data/), and so is a
    figure given twice. Equal figures are unchanged, others added or (with ``replace``) changed.

    Raises
    ------
    ImportRejected : with every problem found.
    """
    data_dir = Path(data_dir)
    ensure_valid(data_dir)
    descriptor = read_descriptor(data_dir)
    names = observation_names(descriptor)
    lookups = read_lookups(data_dir, descriptor)
    plan = ImportPlan(Path(source_name), sha256, replace)
    problems: list[ImportProblem] = []
    by_year: dict[tuple[str, int], list[NewValue]] = {}
    seen: set[tuple[str, str, str, int]] = set()
    for v in values:
        key = (v.dataset, v.indicator, v.group, v.year)
        if key in seen:
            msg = f"expected each figure once, found {v.dataset} {v.indicator} / {v.group} {v.year} twice"
            problems.append(ImportProblem(v.where, v.cell, msg, "duplicate-row"))
            continue
        seen.add(key)
        if v.dataset not in names:
            problems.append(ImportProblem(v.where, v.cell, unknown_dataset_message(v.dataset, names), "unknown-dataset"))
            continue
        by_year.setdefault((v.dataset, v.year), []).append(v)
    for (dataset, year), group in sorted(by_year.items(), key=lambda kv: (names.index(kv[0][0]), kv[0][1])):
        layout = layouts(data_dir, year, [dataset], descriptor=descriptor, lookups=lookups)[0]
        rows = {(r.indicator, r.group) for r in layout.rows}
        known = []
        for v in group:
            if (v.indicator, v.group) in rows:
                known.append(v)
                continue
            msg = (
                f"expected a row of {dataset} (indicator and group as in data/{resource(descriptor, dataset)['path']}), "
                f"found {v.indicator} / {v.group}, which it does not have; new rows are added in data/, not by an import"
            )
            problems.append(ImportProblem(v.where, v.cell, msg, "unknown-group"))
        _classify(plan, layout, known)
        plan.last_years.setdefault(dataset, max(layout.years) if layout.years else None)
    plan.datasets = list(dict.fromkeys(plan.datasets))
    plan.warnings += _skipped_years(plan, source_name, what, again)
    if not replace:
        problems += _overwrites(plan, {ds: resource(descriptor, ds)["path"] for ds in plan.datasets})
    if problems:
        raise ImportRejected(problems, plan.warnings)
    return plan

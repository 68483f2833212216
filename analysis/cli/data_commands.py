"""``virksomhetsanalyse template``, ``import`` and ``kostra``: the new year's data.

    virksomhetsanalyse template --year 2019                 the input workbook for 2019: workbooks/mal-2019.xlsx
    virksomhetsanalyse import FILE --dry-run                check the filled workbook (.xlsx, .ods, .csv) and review it
    virksomhetsanalyse import FILE                          review it, then write data/ atomically
    virksomhetsanalyse kostra --year 2019 [--from FILE]     the year's KOSTRA figures from SSB, through the same import

``register(app)`` adds the commands to the main Typer app (``analysis.cli``).
Exit codes of ``import``: 0 imported (or nothing to import), 1 input rejected
(every problem listed: sheet, cell, expected, found; or a figure flagged by the
review without ``--accept-flagged``), 2 usage error; ``template``: 2 also for a
year the data cannot take and for a file that exists (without ``--force``); ``kostra``
also 75 when SSB could not be reached (``EXIT_UNREACHABLE``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from analysis import config
from analysis.cli.console import make_console, styled

__all__ = ["register", "template", "import_", "kostra"]

EXIT_REJECTED = 1
EXIT_USAGE = 2
EXIT_UNREACHABLE = 75
"""``kostra``: SSB could not be reached (no connection, no answer in time, still busy after the retries); sysexits' EX_TEMPFAIL."""

console = make_console()
err_console = make_console(stderr=True)

DataDirOpt = Annotated[
    Path, typer.Option("--data-dir", metavar="DIR", help="Folder with datapackage.yaml and the CSV files.", show_default=True)
]


def template(
    year: Annotated[int, typer.Option("--year", metavar="YEAR", help="The new year: its column is the only one open for input.")],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="The .xlsx file to write.  [default: workbooks/mal-YEAR.xlsx beside data/: git ignores it, make clean leaves it]",
            dir_okay=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the file if it exists (it may hold figures typed in).")] = False,
    dataset: Annotated[
        list[str] | None,
        typer.Option("--dataset", metavar="NAME", help="Only this dataset (repeatable); default every observation dataset."),
    ] = None,
    data_dir: DataDirOpt = config.DATA_DIR,
) -> None:
    """Write the input workbook for a new year's figures.

    One sheet per observation dataset (rows = indicator and group with their Norwegian labels,
    columns = years, plus unit and source); earlier years are filled in and locked, only the new
    year's column is open. The first sheet, "Veiledning", explains in Norwegian what to fill in
    and what the import accepts. YEAR is the year after the latest year in data/, or a year data/
    holds: then its figures are filled in for correction (import with --replace). An existing file
    is never overwritten without --force. It prints the path of the file written.
    """
    from analysis.cli.guard import whole_file
    from analysis.data.problems import DataError
    from analysis.data.years import YearRefused
    from analysis.intake.archive import workbook_folder
    from analysis.intake.workbook import build_template

    output = (output or workbook_folder(data_dir) / f"mal-{year}.xlsx").resolve()
    if output.exists() and not force:
        err_console.print(
            f"error: {output} exists and may hold figures typed in: import it first, choose another file with --output, "
            "or overwrite it with --force. Nothing was written.",
            markup=False,
        )
        raise typer.Exit(EXIT_USAGE)
    try:
        sheets = whole_file(output, lambda tmp: build_template(data_dir, year, tmp, dataset or None))
    except YearRefused as exc:
        err_console.print(f"error: {exc}. Nothing was written.", markup=False)
        raise typer.Exit(EXIT_USAGE) from exc
    except DataError as exc:
        err_console.print(str(exc), markup=False)
        raise typer.Exit(EXIT_REJECTED) from exc
    except KeyError as exc:
        err_console.print(f"error: {exc.args[0]}", markup=False)
        raise typer.Exit(EXIT_USAGE) from exc
    except OSError as exc:
        from analysis.cli.guard import disk_error

        disk = disk_error(exc)
        why = disk.advice if disk else f"{exc.strerror or exc}; check the folder"
        err_console.print(f"error: cannot write {output}: {why}; or choose another file with --output. Nothing was written", markup=False)
        raise typer.Exit(EXIT_USAGE) from exc
    years = sorted({y for s in sheets for y in s.years})
    span = f"{years[0]}–{years[-1]}" if years else "none"
    console.print(f"wrote {output}: {len(sheets)} dataset sheet(s); {year} open for input, earlier years ({span}) locked", markup=False)


def _print_rejected(name: str, problems: list) -> None:
    from analysis.data.problems import capped_lines
    from analysis.intake.problems import problem_key

    err_console.print(styled(("rejected:", "bold red"), f" {len(problems)} problem(s) in {name}; nothing was written:"))
    for line in capped_lines(problems, problem_key):
        err_console.print(line, markup=False)


def _print_changes(plan) -> None:
    """Every value ``--replace`` overwrites, old → new, before anything is written."""
    from analysis.intake.report import change_lines

    if plan.changes:
        console.print(f"changes (old → new), {len(plan.changes)} value(s):", markup=False)
        for line in change_lines(plan):
            console.print(f"  {line}", markup=False)


def _print_warnings(warnings: list) -> None:
    from analysis.data.problems import capped_lines
    from analysis.intake.problems import problem_key

    for line in capped_lines(warnings, problem_key, prefix="warning: "):
        err_console.print(line, markup=False)


def _check_dataset_name(dataset: str, data_dir: Path) -> None:
    """Exit 2 with "unknown dataset 'x'; did you mean y?" when ``dataset`` is not an observation dataset."""
    from analysis.data.package import observation_names, read_descriptor
    from analysis.data.problems import DataError
    from analysis.intake.template import unknown_dataset_message

    try:
        names = observation_names(read_descriptor(data_dir))
    except DataError:
        return  # reported by the import itself
    if dataset not in names:
        err_console.print(f"error: {unknown_dataset_message(dataset, names)}", markup=False)
        raise typer.Exit(EXIT_USAGE)


def import_(
    file: Annotated[
        Path,
        typer.Argument(
            help="The filled template (.xlsx, or .ods from LibreOffice) or a CSV export of one of its sheets.",
            exists=True,
            dir_okay=False,
            metavar="FILE",
        ),
    ],
    replace: Annotated[
        bool, typer.Option("--replace", help="Allow changing figures already in data/; every change (old → new) is printed first.")
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check everything and print the review, but write nothing.")] = False,
    accept_flagged: Annotated[
        bool,
        typer.Option(
            "--accept-flagged",
            help="Import figures the review flags as implausible (a change larger than ever, a share at 0 or 100 %, ten times or "
            "a tenth of the year before), once you have checked them.",
        ),
    ] = False,
    dataset: Annotated[
        str | None,
        typer.Option(
            "--dataset", metavar="NAME", help="For a CSV file: the dataset it holds (default: the file name, e.g. osu_arsverk.csv)."
        ),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            metavar="TEXT",
            help="For a CSV file: the source of every figure whose Kilde cell is empty or that has no Kilde column "
            '(e.g. "Bærum kommune, HR-systemet"); recorded in data/provenance.csv and named in the book. The sources in use '
            "are listed on the template's Veiledning sheet and in the message when a source is missing; the original report "
            "is refused as the source of a new figure.",
        ),
    ] = None,
    data_dir: DataDirOpt = config.DATA_DIR,
) -> None:
    """Import a new year's figures from the filled template (or a CSV export of one sheet).

    Everything is checked before anything is written: numbers (decimal comma, space or no-break
    space as thousands separator, "12,8 %", percent cells, numbers stored as text; empty cells =
    not available yet), dates typed by mistake (7.1), Excel errors, formulas without a computed
    value, units' ranges, unknown sheets, rows and renamed or moved columns, a figure without its
    source (the Kilde column, or --source for a CSV file) or with the original report as source,
    and changes to figures already in data/ (refused without --replace; equal figures are skipped,
    so a year can be filled in several rounds). Every problem is listed with sheet and cell.

    Then a review table shows every new or replaced figure beside the year before; implausible
    ones are flagged and refused without --accept-flagged. The rows are written into a staged copy
    of data/, the copy is validated, and the changed files replace those in data/; the import is
    recorded in data/'s changelog, and a copy of the file is kept in workbooks/imported/<sha256>/.

    Exit 0 when imported (or nothing to import), 1 when the input is rejected (nothing written).
    """
    from analysis.data.problems import DataError
    from analysis.intake.archive import apply_keeping_a_copy
    from analysis.intake.plan import plan_import
    from analysis.intake.problems import ImportRejected
    from analysis.intake.report import summary_lines
    from analysis.intake.review import flagged_problems, review_rows

    if dataset and file.suffix.lower() != ".csv":
        err_console.print("error: --dataset applies to CSV files only (a workbook names its datasets by sheet)", markup=False)
        raise typer.Exit(EXIT_USAGE)
    if dataset:
        _check_dataset_name(dataset, data_dir)
    if source is not None and file.suffix.lower() != ".csv":
        err_console.print(
            "error: --source applies to CSV files only (a workbook gives each figure's source in its Kilde column)", markup=False
        )
        raise typer.Exit(EXIT_USAGE)
    if source is not None and not " ".join(source.split()):
        err_console.print('error: --source needs the source as text, such as --source "Bærum kommune, HR-systemet"', markup=False)
        raise typer.Exit(EXIT_USAGE)
    try:
        plan = plan_import(file, data_dir, replace=replace, dataset=dataset, source=" ".join(source.split()) if source else None)
        _print_warnings(plan.warnings)
        rows = review_rows(plan)
        _print_review(rows)
        _print_changes(plan)
        flagged = flagged_problems(rows)
        if flagged and not accept_flagged:
            raise ImportRejected(flagged)
        files, copy = apply_keeping_a_copy(plan, data_dir, dry_run=dry_run)
    except ImportRejected as exc:
        _print_warnings(exc.warnings)
        _print_rejected(file.name, exc.problems)
        raise typer.Exit(EXIT_REJECTED) from exc
    except DataError as exc:
        err_console.print(f"data/ is not valid, fix it first (virksomhetsanalyse validate):\n{exc}", markup=False)
        raise typer.Exit(EXIT_REJECTED) from exc
    head = "dry run, nothing written" if dry_run else f"imported into {data_dir}"
    console.print(f"{file.name} (sha256 {plan.sha256[:12]}…): {head}", markup=False)
    for line in summary_lines(plan):
        console.print(f"  {line}", markup=False)
    if not plan.written:
        console.print("nothing to import: no new or changed figures in the file", markup=False)
    elif dry_run:
        console.print(f"would write: {', '.join(files)}", markup=False)
    else:
        console.print(f"wrote: {', '.join(files)}", markup=False)
    if copy is not None:
        console.print(f"kept a copy: {copy}", markup=False)


def _print_review(rows: list) -> None:
    """The review: one line per figure to be written, beside its series' previous figure, flags marked (no markup, no emoji)."""
    from rich.table import Table
    from rich.text import Text

    if not rows:
        return
    table = Table(title=Text(f"review: {len(rows)} figure(s) to be written"), title_justify="left")
    for name in ("dataset, cell", "indicator (group)", "unit", "before", "new", "change", "flag"):
        table.add_column(name, justify="right" if name in ("before", "new", "change") else "left", overflow="fold")
    for r in rows:
        v = r.value
        where = f"{v.dataset} {v.cell}" if not v.copy_of else f"{v.dataset} (copy of {v.copy_of} {v.cell})"
        before = f"{r.shown(r.previous)} ({r.previous_year})" if r.previous is not None else "–"
        new = f"{r.shown(v.literal)} ({v.year})" + (f", was {r.shown(r.old)}" if r.old is not None else "")
        table.add_row(*(Text(x) for x in (where, r.label, r.unit, before, new, r.change, "FLAGGED" if r.flags else "")))
    wide = make_console(width=console.size.width if console.is_terminal else 160)
    wide.print(table)


def _print_kostra_notes(result) -> None:
    """The fetch's notes (check_code entries, municipality numbers new in the year), and the figures SSB does not give (and why)."""
    for note in result.notes:
        console.print(f"note: {note}", markup=False)
    if result.missing:
        console.print(f"missing figures ({len(result.missing)}; SSB gives none, so nothing is written and nothing deleted):", markup=False)
        for m in result.missing:
            console.print(f"  - {m.dataset} {m.indicator} / {m.group} {m.year}: {m.reason}", markup=False)


def _print_value_notes(result) -> None:
    """How figures were obtained when that is more than a copy (ASSS computed from the members, rounded, a border change)."""
    by_note: dict[tuple[str, str], list] = {}
    for v in result.values:
        if v.note:
            by_note.setdefault((v.dataset, v.note), []).append(v)
    if by_note:
        console.print(f"how figures were obtained ({sum(len(vs) for vs in by_note.values())} figure(s)):", markup=False)
        for (dataset, note), values in by_note.items():
            which = "; ".join(f"{v.indicator} / {v.group} = {v.literal}" for v in values)
            console.print(f"  - {dataset} {values[0].year}, {note}: {which}", markup=False)


def _kostra_head(result, source: Path | None) -> str:
    tables = "; ".join(f"SSB table {t.table_id}, last updated {t.updated}" for t in result.tables) or "no SSB table read"
    if source:
        return f"{source.name} (sha256 {result.sha256[:12]}…, {tables}) for {result.year}"
    fetched = max((t.fetched for t in result.tables), default="")
    return f"{tables}, fetched {fetched}, for {result.year}" if fetched else f"{tables} for {result.year}"


def kostra(
    year: Annotated[
        int, typer.Option("--year", metavar="YEAR", min=2000, max=2100, help="The year of the figures (KOSTRA's reporting year).")
    ],
    source: Annotated[
        Path | None,
        typer.Option(
            "--from",
            metavar="FILE",
            exists=True,
            dir_okay=False,
            help="Offline: a JSON-stat2 file of the table saved from the Statistikkbank, read with the same checks; nothing is fetched.",
        ),
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Allow changing figures already in data/; every change (old → new) is printed first.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Fetch and check everything and print the summary, but write nothing.")
    ] = False,
    timeout: Annotated[
        float, typer.Option("--timeout", metavar="SECONDS", min=0.1, help="How long to wait for each answer from SSB.")
    ] = 30.0,
    retries: Annotated[
        int,
        typer.Option("--retries", metavar="N", min=0, max=10, help="Retries on no connection, a timeout, HTTP 429 or 5xx (with backoff)."),
    ] = 4,
    base_url: Annotated[str | None, typer.Option("--base-url", metavar="URL", hidden=True, help="The PxWebApi 2 root (tests).")] = None,
    data_dir: DataDirOpt = config.DATA_DIR,
) -> None:
    """Import the KOSTRA figures of one year from SSB's Statistikkbank (PxWebApi 2), through the same staged import.

    data/kostra_mapping.csv says which dataset, indicator and groups come from which SSB table and codes;
    data/kostra_municipalities.csv which municipality number each group (and each ASSS member) has in the year.
    One query per table is sent (at most 30 a minute); every answer is checked against the mapping (table,
    dimensions, contents code, label, unit, codes, year, municipality numbers) before anything is used. The
    ASSS average, lowest and highest are computed from the members' figures. SSB's special values ("..", ":",
    ".", a flagged figure) become missing figures with the reason, never 0. Then, as in `import`: equal figures
    are skipped, changed ones refused without --replace, the rows written into a staged copy of data/, the copy
    validated, and the changed files replace those in data/; each value is recorded in the changelog, and its
    source (SSB, the table, the query URL, the table's last-updated date, the time of fetching) in provenance.csv.

    Exit 0 when imported (or nothing to import); 1 when SSB's answer or the file does not match the mapping,
    SSB refuses the query, or the figures are refused (nothing written); 2 usage error; 75 when SSB could not
    be reached (no connection, no answer in time, still busy after the retries; nothing written; try again later).
    """
    from analysis.data.problems import DataError
    from analysis.data.validate import ensure_valid
    from analysis.intake.apply import apply_import
    from analysis.intake.kostra import DEFAULT_BASE_URL, KostraError, SsbUnreachable, fetch_year, from_file
    from analysis.intake.kostra.revisions import check_revisions
    from analysis.intake.kostra.stage import plan_kostra
    from analysis.intake.problems import ImportRejected
    from analysis.intake.report import summary_lines

    base_url = base_url or DEFAULT_BASE_URL
    if not base_url.startswith(("https://", "http://")):
        err_console.print(f"error: --base-url: expected an http(s):// address, found '{base_url}'", markup=False)
        raise typer.Exit(EXIT_USAGE)
    name = source.name if source else "SSB's answer"
    try:
        ensure_valid(data_dir)  # the mapping is part of data/: checked before anything is fetched
        if source:
            result = from_file(source, year, mapping_dir=data_dir)
        else:
            result = fetch_year(year, base_url=base_url, mapping_dir=data_dir, timeout=timeout, retries=retries)
        _print_kostra_notes(result)
        for line in check_revisions(result, data_dir, replace):  # SSB's revisions: refused (KostraError) without --replace
            console.print(line, markup=False)
        plan = plan_kostra(result, data_dir, replace=replace, file=source)
        _print_warnings(plan.warnings)
        _print_changes(plan)
        files = apply_import(plan, data_dir, dry_run=dry_run)
    except SsbUnreachable as exc:
        err_console.print(f"error: SSB could not be reached; nothing was written: {exc}", markup=False)
        raise typer.Exit(EXIT_UNREACHABLE) from exc
    except KostraError as exc:
        err_console.print(styled(("rejected:", "bold red"), f" the KOSTRA figures in {name} cannot be imported; nothing was written:"))
        for line in str(exc).splitlines():
            err_console.print(f"  - {line}", markup=False)
        raise typer.Exit(EXIT_REJECTED) from exc
    except ImportRejected as exc:
        _print_warnings(exc.warnings)
        _print_rejected(name, exc.problems)
        raise typer.Exit(EXIT_REJECTED) from exc
    except DataError as exc:
        err_console.print(f"data/ is not valid, fix it first (virksomhetsanalyse validate):\n{exc}", markup=False)
        raise typer.Exit(EXIT_REJECTED) from exc
    _print_value_notes(result)
    head = "dry run, nothing written" if dry_run else f"imported into {data_dir}" if plan.written else "nothing written"
    console.print(f"{_kostra_head(result, source)}: {head}", markup=False)
    for line in summary_lines(plan):
        console.print(f"  {line}", markup=False)
    if not plan.written:
        console.print(f"nothing to import: no new or changed figures for {year}", markup=False)
    elif dry_run:
        console.print(f"would write: {', '.join(files)}", markup=False)
    else:
        console.print(f"wrote: {', '.join(files)}", markup=False)


def register(app: typer.Typer) -> None:
    """Add the ``template``, ``import`` and ``kostra`` commands to ``app``."""
    app.command("template")(template)
    app.command("import")(import_)
    app.command("kostra")(kostra)

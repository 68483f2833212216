"""``virksomhetsanalyse template`` and ``virksomhetsanalyse import``: the new year's data.

    virksomhetsanalyse template --year 2019                 the input workbook for 2019: .build/templates/mal-2019.xlsx
    virksomhetsanalyse import FILE --dry-run                check the filled workbook and show what would change
    virksomhetsanalyse import FILE                          check it, then write data/ atomically

``register(app)`` adds both commands to the main Typer app (``analysis.cli``).
Exit codes of ``import``: 0 imported (or nothing to import), 1 input rejected
(every problem listed: sheet, cell, expected, found), 2 usage error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from analysis import config

__all__ = ["register", "template", "import_"]

EXIT_REJECTED = 1
EXIT_USAGE = 2

TEMPLATE_FOLDER = "templates"
"""Where ``template`` writes unless told otherwise: this folder of ``config.STATE_DIR`` (``.build/``, which git
ignores), so that a workbook with a new year's figures is not committed by accident (``tests/test_excel.py``
checks that git ignores it)."""

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

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
            help="The .xlsx file to write.  [default: .build/templates/mal-YEAR.xlsx, a folder git ignores]",
            dir_okay=False,
        ),
    ] = None,
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
    and what the import accepts. If data/ already holds the year, its figures are filled in for
    correction (import with --replace). It prints the path of the file written.
    """
    from analysis.data.problems import DataError
    from analysis.intake.workbook import build_template

    output = (output or config.STATE_DIR / TEMPLATE_FOLDER / f"mal-{year}.xlsx").resolve()
    try:
        sheets = build_template(data_dir, year, output, dataset or None)
    except DataError as exc:
        err_console.print(str(exc), markup=False)
        raise typer.Exit(EXIT_REJECTED) from exc
    except KeyError as exc:
        err_console.print(f"error: {exc.args[0]}", markup=False)
        raise typer.Exit(EXIT_USAGE) from exc
    except OSError as exc:
        err_console.print(f"error: cannot write {output}: {exc.strerror or exc}; choose another file with --output", markup=False)
        raise typer.Exit(EXIT_USAGE) from exc
    years = sorted({y for s in sheets for y in s.years})
    span = f"{years[0]}–{years[-1]}" if years else "none"
    console.print(f"wrote {output}: {len(sheets)} dataset sheet(s); {year} open for input, earlier years ({span}) locked", markup=False)


def _print_rejected(path: Path, problems: list) -> None:
    from analysis.data.problems import capped_lines
    from analysis.intake.problems import problem_key

    err_console.print(f"[bold red]rejected:[/] {len(problems)} problem(s) in {path.name}; nothing was written:")
    for line in capped_lines(problems, problem_key):
        err_console.print(line, markup=False)


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
            help="The filled template (.xlsx) or a CSV export of one of its sheets.", exists=True, dir_okay=False, metavar="FILE"
        ),
    ],
    replace: Annotated[
        bool, typer.Option("--replace", help="Allow changing figures already in data/; every change (old → new) is printed first.")
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check everything and print the summary, but write nothing.")] = False,
    dataset: Annotated[
        str | None,
        typer.Option(
            "--dataset", metavar="NAME", help="For a CSV file: the dataset it holds (default: the file name, e.g. osu_arsverk.csv)."
        ),
    ] = None,
    data_dir: DataDirOpt = config.DATA_DIR,
) -> None:
    """Import a new year's figures from the filled template (or a CSV export of one sheet).

    Everything is checked before anything is written: numbers (decimal comma, space or no-break
    space as thousands separator, "12,8 %", numbers stored as text; empty cells = not available
    yet), Excel errors, formulas without a computed value, units' ranges, unknown sheets, rows
    and renamed or moved columns, and changes to figures already in data/ (refused without
    --replace; equal figures are skipped, so a year can be filled in several rounds). Every
    problem is listed with sheet and cell. Then the rows are written into a staged copy of data/, the copy is validated, and
    the changed files replace those in data/; the import is recorded in data/'s changelog.

    Exit 0 when imported (or nothing to import), 1 when the input is rejected (nothing written).
    """
    from analysis.data.problems import DataError
    from analysis.intake.apply import apply_import
    from analysis.intake.plan import plan_import
    from analysis.intake.problems import ImportRejected
    from analysis.intake.report import change_lines, summary_lines

    if dataset and file.suffix.lower() != ".csv":
        err_console.print("error: --dataset applies to CSV files only (a workbook names its datasets by sheet)", markup=False)
        raise typer.Exit(EXIT_USAGE)
    if dataset:
        _check_dataset_name(dataset, data_dir)
    try:
        plan = plan_import(file, data_dir, replace=replace, dataset=dataset)
        _print_warnings(plan.warnings)
        if plan.changes:
            console.print(f"changes (old → new), {len(plan.changes)} value(s):", markup=False)
            for line in change_lines(plan):
                console.print(f"  {line}", markup=False)
        files = apply_import(plan, data_dir, dry_run=dry_run)
    except ImportRejected as exc:
        _print_warnings(exc.warnings)
        _print_rejected(file, exc.problems)
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


def register(app: typer.Typer) -> None:
    """Add the ``template`` and ``import`` commands to ``app``."""
    app.command("template")(template)
    app.command("import")(import_)

"""``virksomhetsanalyse``: one command per stage of the book.

    virksomhetsanalyse validate          check data/ and report the source's inconsistencies
    virksomhetsanalyse run --year 2018   execute the chapter notebooks into book/
    virksomhetsanalyse render            render book/ with Quarto into _book/
    virksomhetsanalyse build --year 2018 validate, run and render

Exit codes: 0 success, 1 invalid data, 2 usage error, 3 a chapter failed,
4 Quarto is not installed, 5 Quarto failed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from . import config

EXIT_DATA = 1
EXIT_CHAPTER = 3
EXIT_NO_QUARTO = 4
EXIT_QUARTO_FAILED = 5

app = typer.Typer(
    help="Build the Bærum kommune virksomhetsanalyse (OSU) from data/ to an HTML book and a PDF.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

@app.callback()
def _main() -> None:
    """Build the Bærum kommune virksomhetsanalyse (OSU) from data/ to an HTML book and a PDF."""


DataDirOpt = Annotated[Path, typer.Option("--data-dir", help="Folder with datapackage.yaml and the CSV files.", show_default=True)]


def _report_validation(data_dir: Path) -> bool:
    """Print the validation report; True when the data are valid."""
    from .consistency import Status, run_all
    from .data import observation_names, read_descriptor, validate_data

    problems = validate_data(data_dir)
    if problems:
        err_console.print(f"[bold red]{len(problems)} error(s) in {data_dir}:[/]")
        for p in problems:
            err_console.print(f"  - {p}", markup=False)
        return False
    descriptor = read_descriptor(data_dir)
    names = observation_names(descriptor)
    n_values = sum(sum(1 for _ in open(data_dir / f"{n}.csv", encoding="utf-8")) - 1 for n in names)
    console.print(f"[green]data valid[/]: {len(names)} datasets, {n_values} values, {len(descriptor['resources']) - len(names)} lookup and side tables")
    results = run_all(data_dir)
    counts = {s: sum(1 for r in results if r.status == s) for s in Status}
    console.print(
        f"consistency checks: {len(results)} — "
        + ", ".join(f"{counts[s]} {s.value}" for s in Status)
    )
    findings = [r for r in results if r.status == Status.FINDING]
    if findings:
        console.print("findings (the source disagrees with itself beyond rounding; kept as printed, reported in the book):")
        for r in findings:
            computed = "—" if r.computed is None else f"{r.computed:.{r.printed_decimals + 1}f}"
            console.print(f"  - [{r.kind}] {r.section} {r.ref}: printed {r.printed}, the data give {computed} — {r.description}", markup=False)
    return True


@app.command()
def validate(data_dir: DataDirOpt = config.DATA_DIR) -> None:
    """Check every file in data/ against datapackage.yaml and report the source's inconsistencies.

    Exit 0 when the data are valid (inconsistencies of the source are findings, not errors),
    1 with every error listed (file, row, column) when not.
    """
    if not _report_validation(data_dir):
        raise typer.Exit(EXIT_DATA)


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    main()

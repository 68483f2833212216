"""``virksomhetsanalyse``: one command per stage of the book.

    virksomhetsanalyse validate          check data/ and report the source's inconsistencies
    virksomhetsanalyse run --year 2018   execute the chapter notebooks into book/
    virksomhetsanalyse render            render book/ with Quarto into _book/
    virksomhetsanalyse build --year 2018 validate, run and render
    virksomhetsanalyse preview           quick HTML pages of the executed chapters, without Quarto
    virksomhetsanalyse template --year 2019 -o mal-2019.xlsx   an Excel template for a new year
    virksomhetsanalyse import mal-2019.xlsx                     validate and import a filled template
    virksomhetsanalyse edition new 2019 / edition status 2019 / publish --year 2019   the editions

Exit codes: 0 success, 1 invalid data, 2 usage error (also ``run``/``build``
for a year the data cannot show: after the latest data year without
``--allow-empty-year``, or before some dataset's first year; refused before
anything runs by ``analysis.data.years``; or a year without an edition of the
text), 3 a chapter failed, 4 Quarto is not installed, 5 Quarto failed, 6 a PDF
of an edition with text not reviewed (without ``--draft``), 70 internal error
(one line on the terminal; the traceback is written to a log file).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from analysis import config
from analysis.cli.console import make_console, styled
from analysis.cli.edition_commands import EXIT_UNREVIEWED, after_render, before_render, check_edition, check_pdf, note_unreviewed
from analysis.cli.guard import EXIT_INTERNAL, guard_commands
from analysis.cli.help import plain_arguments
from analysis.pipeline.render import Target

EXIT_DATA = 1
EXIT_CHAPTER = 3
EXIT_NO_QUARTO = 4
EXIT_QUARTO_FAILED = 5
EXIT_USAGE = 2
__all__ = ["app", "EXIT_DATA", "EXIT_CHAPTER", "EXIT_NO_QUARTO", "EXIT_QUARTO_FAILED", "EXIT_USAGE", "EXIT_UNREVIEWED", "EXIT_INTERNAL"]

app = typer.Typer(
    help="Build the Bærum kommune virksomhetsanalyse (OSU) from data/ to an HTML book and a PDF.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
console = make_console()
err_console = make_console(stderr=True)


@app.callback()
def _main() -> None:
    """Build the Bærum kommune virksomhetsanalyse (OSU) from data/ to an HTML book and a PDF."""


DataDirOpt = Annotated[
    Path, typer.Option("--data-dir", metavar="DIR", help="Folder with datapackage.yaml and the CSV files.", show_default=True)
]


def _print_problems(problems: list) -> None:
    """Every problem, at most a few lines per file and kind (then how many more)."""
    from analysis.data.problems import capped_lines, problem_key

    for line in capped_lines(problems, problem_key):
        err_console.print(line, markup=False)


def _check_year(year: int, data_dir: Path, allow_empty: bool = False) -> None:
    """Exit 2 before anything runs when the data cannot show ``year`` (``analysis.data.years.check_report_year``)."""
    from analysis.data.years import YearRefused, check_report_year

    try:
        check_report_year(year, data_dir, allow_empty=allow_empty)
    except YearRefused as exc:
        err_console.print(str(exc), markup=False)
        raise typer.Exit(EXIT_USAGE) from None


def _report_validation(data_dir: Path) -> bool:
    """Print the validation report; True when the data are valid."""
    from analysis.data.consistency import Status, run_all
    from analysis.data.csvfile import read_rows
    from analysis.data.package import observation_names, read_descriptor, resource
    from analysis.data.validate import cached_problems

    problems = cached_problems(data_dir)  # data whose content passed before are not checked again
    if problems:
        err_console.print(styled((f"{len(problems)} error(s) in {data_dir}:", "bold red")))
        _print_problems(problems)
        return False
    descriptor = read_descriptor(data_dir)
    names = observation_names(descriptor)
    n_values = sum(len(read_rows(data_dir / resource(descriptor, n)["path"])) for n in names)
    console.print(
        styled(
            ("data valid", "green"),
            f": {len(names)} datasets, {n_values} values, {len(descriptor['resources']) - len(names)} lookup and side tables",
        )
    )
    results = run_all(data_dir)
    counts = {s: sum(1 for r in results if r.status == s) for s in Status}
    console.print(f"consistency checks: {len(results)} — " + ", ".join(f"{counts[s]} {s.value}" for s in Status))
    findings = [r for r in results if r.status == Status.FINDING]
    if findings:
        console.print("findings (the source disagrees with itself beyond rounding; kept as printed, reported in the book):")
        for r in findings:
            computed = "—" if r.computed is None else f"{r.computed:.{r.printed_decimals + 1}f}"
            console.print(
                f"  - [{r.kind}] {r.section} {r.ref}: printed {r.printed}, the data give {computed} — {r.description}", markup=False
            )
    return True


@app.command()
def validate(data_dir: DataDirOpt = config.DATA_DIR) -> None:
    """Check every file in data/ against datapackage.yaml and report the source's inconsistencies.

    Exit 0 when the data are valid (inconsistencies of the source are findings, not errors),
    1 with every error listed (file, row, column) when not.
    """
    if not _report_validation(data_dir):
        raise typer.Exit(EXIT_DATA)


# --------------------------------------------------------------------------- run, render, build

ChapterOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--chapter",
        "-c",
        metavar="NAME",
        help=f"Run only this chapter (repeatable): {', '.join(config.NOTEBOOKS)}. Default: all of them.",
        show_default=False,
    ),
]
YearOpt = Annotated[int, typer.Option("--year", metavar="YEAR", help="The reporting year.")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Run the chapters even when nothing they depend on changed.")]
EmptyYearOpt = Annotated[
    bool,
    typer.Option(
        "--allow-empty-year",
        help="Allow a YEAR after the latest year in the data (a book ahead of its figures); without it such a year is refused.",
    ),
]
RenderForceOpt = Annotated[bool, typer.Option("--force", help="Render even when nothing Quarto reads has changed since the last render.")]
BuildForceOpt = Annotated[bool, typer.Option("--force", help="Run every chapter and render, even when nothing they depend on changed.")]
JobsOpt = Annotated[
    int | None,
    typer.Option("--jobs", "-j", min=1, metavar="N", help="Notebooks run at once (default: the number of cores).", show_default=False),
]
RunDataDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        metavar="DIR",
        help="Folder with datapackage.yaml and the CSV files (default: data/; only another folder is passed to the notebooks).",
        show_default=False,
    ),
]
ToOpt = Annotated[Target, typer.Option("--to", help="What to render: html, typst (the PDF) or all.")]


class _ChapterProgress:
    """One rich progress line per chapter: queued, running, done or failed, with seconds."""

    _LABELS = {
        "skipped": "[dim]up to date[/]",
        "queued": "[dim]waiting[/]",
        "running": "running",
        "done": "[green]done[/]",
        "failed": "[bold red]failed[/]",
    }

    def __init__(self, names: list[str]):
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        columns = (SpinnerColumn(finished_text="·"), TextColumn("{task.description:<14}"), TextColumn("{task.fields[status]}"))
        self.progress = Progress(*columns, TimeElapsedColumn(), console=console, transient=False)
        self.tasks = {n: self.progress.add_task(n, total=1, start=False, status="") for n in names}

    def __call__(self, name: str, status: str, seconds: float | None) -> None:
        task = self.tasks[name]
        label = self._LABELS[status]  # the elapsed column shows the time
        if status == "running":
            self.progress.start_task(task)
        finished = status in ("skipped", "done", "failed")
        self.progress.update(task, status=label, completed=1 if finished else 0)
        if finished:
            self.progress.stop_task(task)


def _check_chapters(chapters: list[str] | None) -> list[str]:
    names = list(chapters or config.NOTEBOOKS)
    unknown = [c for c in names if c not in config.NOTEBOOKS]
    if unknown:
        choices = ", ".join(config.NOTEBOOKS)
        raise typer.BadParameter(f"unknown chapter(s) {', '.join(unknown)}; choose from {choices}", param_hint="--chapter")
    return [n for n in config.NOTEBOOKS if n in names]  # book order, no duplicates


def _sync_year_profile() -> None:
    """Write _quarto-year.yml from the executed chapters; warn when they disagree or some are missing."""
    from analysis.pipeline.errors import BuildError
    from analysis.pipeline.render import book_year, write_year_profile

    try:
        write_year_profile(book_year(config.BOOK_DIR, config.NOTEBOOKS), config.PROJ_ROOT)
    except BuildError as exc:
        err_console.print(styled(("note", "yellow"), f": {exc}"))


def _run(year: int, names: list[str], force: bool, data_dir: Path | None, jobs: int | None) -> None:
    """Execute the chapters (data already validated); exit 3 on a failing chapter."""
    from analysis.pipeline.errors import BuildError, ChapterRunError
    from analysis.pipeline.run import run_notebooks

    progress = _ChapterProgress(names)
    try:
        with progress.progress:
            result = run_notebooks(
                names,
                year=year,
                force=force,
                jobs=jobs,
                notebooks_dir=config.NOTEBOOKS_DIR,
                book_dir=config.BOOK_DIR,
                state_dir=config.STATE_DIR,
                data_dir=data_dir or config.DATA_DIR,
                on_event=progress,
            )
    except ChapterRunError as exc:
        err_console.print(styled((f"{len(exc.failures)} chapter(s) failed", "bold red"), "; book/ was left unchanged:"))
        for f in exc.failures:
            err_console.print(f"  - {f}", markup=False)
            if f.saved:
                err_console.print(f"    executed notebook with the traceback: {f.saved}", markup=False)
        raise typer.Exit(EXIT_CHAPTER) from None
    except BuildError as exc:
        err_console.print(styled(("error", "bold red"), f": {exc}"))
        raise typer.Exit(EXIT_CHAPTER) from None
    ran = ", ".join(result.executed) or "none"
    console.print(f"ran {len(result.executed)} chapter(s) for {year} ({ran}); {len(result.skipped)} up to date")
    _sync_year_profile()
    note_unreviewed(year, data_dir or config.DATA_DIR)


def _render(to: Target, force: bool = False, draft: bool = False, ran: bool = False) -> None:
    """Render with Quarto unless the book is up to date; exit 6 for a PDF with text not reviewed (without ``draft``),
    4 when Quarto is missing, 5 when it fails."""
    from analysis.pipeline.errors import BuildError, QuartoFailed, QuartoMissing
    from analysis.pipeline.render import render_book

    pdf = Target(to) is not Target.html
    left = before_render(pdf, draft, ran)  # exit 6 for a PDF with text not reviewed, unless a draft
    try:
        result = render_book(
            to,
            root=config.PROJ_ROOT,
            book_dir=config.BOOK_DIR,
            output_dir=config.OUTPUT_DIR,
            names=config.NOTEBOOKS,
            force=force,
            draft=pdf and draft,
        )
    except QuartoMissing as exc:
        err_console.print(str(exc), markup=False)
        raise typer.Exit(EXIT_NO_QUARTO) from None
    except QuartoFailed as exc:
        err_console.print(styled(("quarto failed", "bold red"), f": {exc}"))
        raise typer.Exit(EXIT_QUARTO_FAILED) from None
    except BuildError as exc:
        err_console.print(styled(("error", "bold red"), f": {exc}"))
        raise typer.Exit(2) from None
    if result.rendered:
        console.print(styled(("book rendered", "green"), f" into {result.output_dir}"))
    else:
        console.print(f"book up to date: {result.output_dir} was rendered from these chapters and settings (--force renders anyway)")
    after_render(pdf and draft, left)


@app.command()
def run(
    year: YearOpt = config.DEFAULT_YEAR,
    chapter: ChapterOpt = None,
    force: ForceOpt = False,
    data_dir: RunDataDirOpt = None,
    jobs: JobsOpt = None,
    allow_empty_year: EmptyYearOpt = False,
) -> None:
    """Execute the chapter notebooks for YEAR into book/ (papermill), several at once.

    A chapter is skipped when its notebook, the data it reads, the analysis package and the
    parameters are unchanged since its last successful run (--force runs it anyway). book/ changes
    only when every requested chapter succeeded. Exit 1 when the data are invalid, 3 when a
    chapter fails (named with its cell and error), 2 for a YEAR the data cannot show (after the latest
    data year, unless --allow-empty-year; before some dataset's first year).
    """
    from analysis.data.validate import cached_problems

    names = _check_chapters(chapter)
    problems = cached_problems(data_dir or config.DATA_DIR)  # data that passed before are not checked again
    if problems:
        err_console.print(styled((f"{len(problems)} error(s) in {data_dir or config.DATA_DIR}", "bold red"), "; nothing was run:"))
        _print_problems(problems)
        raise typer.Exit(EXIT_DATA)
    _check_year(year, data_dir or config.DATA_DIR, allow_empty_year)
    check_edition(year, data_dir or config.DATA_DIR)
    _run(year, names, force, data_dir, jobs)


DraftOpt = Annotated[
    bool,
    typer.Option("--draft", help="Make the PDF even with text not reviewed: a draft, with Utkast on every page."),
]


@app.command()
def render(to: ToOpt = Target.all, force: RenderForceOpt = False, draft: DraftOpt = False) -> None:
    """Render book/ with Quarto into _book/ (HTML book and PDF), replacing _book/ only on success.

    Nothing is rendered when _book/ was rendered from the same chapters, text pages, settings, assets
    and Quarto (--force renders anyway). The PDF of chapters with text not reviewed (the edition's blocks
    copied from the last one) is refused (exit 6) unless --draft. Exit 4 when Quarto is not installed
    (with the ways to get it), 5 when Quarto fails.
    """
    _render(to, force, draft)


@app.command()
def build(
    year: YearOpt = config.DEFAULT_YEAR,
    force: BuildForceOpt = False,
    data_dir: RunDataDirOpt = None,
    jobs: JobsOpt = None,
    to: ToOpt = Target.all,
    draft: DraftOpt = False,
    allow_empty_year: EmptyYearOpt = False,
) -> None:
    """Validate the data, run every chapter for YEAR and render the book: `validate`, `run`, `render`.

    The PDF of an edition with text not reviewed is refused before anything runs (exit 6), unless --draft
    (a draft PDF: Utkast on every page). Exit codes as for those commands: 1 invalid data, 2 no edition of
    the text for YEAR, 3 a chapter failed, 4 no Quarto, 5 Quarto failed.
    """
    from analysis.pipeline.render import find_quarto

    if not _report_validation(data_dir or config.DATA_DIR):
        raise typer.Exit(EXIT_DATA)
    _check_year(year, data_dir or config.DATA_DIR, allow_empty_year)
    check_edition(year, data_dir or config.DATA_DIR)
    check_pdf(year, data_dir or config.DATA_DIR, Target(to) is not Target.html, draft)  # exit 6 before anything runs
    if find_quarto() is None:
        err_console.print(styled(("note", "yellow"), ": quarto not found: the chapters will run, then render stops (exit 4)"))
    _run(year, list(config.NOTEBOOKS), force, data_dir, jobs)
    _render(to, force, draft, ran=True)


@app.command()
def preview(
    out: Annotated[Path, typer.Option("--out", "-o", metavar="DIR", help="Folder for the preview pages.")] = config.STATE_DIR / "preview",
) -> None:
    """Write a quick HTML preview of the executed chapters (no Quarto needed): one page per chapter.

    For checking a run before rendering: tables, interactive charts (the Vega bundle is written beside
    the pages, nothing is fetched from the internet) and the computed text. The published book is
    `render`'s output; this preview has no Quarto layout, numbering or PDF.
    """
    from analysis.pipeline.preview import build_preview

    try:
        pages = build_preview(config.BOOK_DIR, out)
    except OSError as exc:
        msg = f"error: cannot write the preview into {out}: {exc.strerror or exc}; choose another folder with --out"
        err_console.print(msg, markup=False)
        raise typer.Exit(EXIT_USAGE) from None
    if not pages:
        err_console.print("no executed chapters in book/: run `virksomhetsanalyse run` first")
        raise typer.Exit(EXIT_CHAPTER)
    console.print(f"wrote {len(pages)} page(s): open {out / 'index.html'}")


from analysis.cli.data_commands import register as _register_data_commands  # noqa: E402  (template, import)
from analysis.cli.edition_commands import edition_app  # noqa: E402
from analysis.cli.edition_commands import register as _register_edition_commands  # noqa: E402  (edition, publish)

_register_data_commands(app)
_register_edition_commands(app)


guard_commands(app, err_console)
guard_commands(edition_app, err_console, prefix="edition ")
plain_arguments()


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    main()

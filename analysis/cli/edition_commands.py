"""``virksomhetsanalyse edition new|review|status|rebuild`` and ``publish``: the editions of the book.

    virksomhetsanalyse edition new 2019             start the 2019 text as a copy of the 2018 edition (not reviewed)
    virksomhetsanalyse edition status 2019          every text block per chapter: reviewed, changed since, not reviewed
    virksomhetsanalyse edition review 2019 osu/innledning   mark a block reviewed (a chapter: `osu`; --all)
    virksomhetsanalyse publish --year 2019          record the built edition in editions/2019/ and copy it to _site/2019/
    virksomhetsanalyse edition rebuild 2018         build a published edition again from the commit its record names

Exit codes: 0 done; 1 ``edition status`` found blocks the book cannot use,
``edition rebuild`` built something other than what was published (or its
build failed); 2 usage error or refusal (an edition that exists or does not, a
book not built or not committed, an unknown block); 4 ``edition rebuild``
without Quarto (the chapters are still run and compared).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from analysis import config
from analysis.cli.console import make_console, styled

__all__ = [
    "register",
    "edition_app",
    "EXIT_PROBLEMS",
    "EXIT_USAGE",
    "EXIT_UNREVIEWED",
    "check_edition",
    "unreviewed_blocks",
    "by_chapter",
    "refuse_unreviewed_pdf",
    "before_render",
    "after_render",
    "check_pdf",
    "note_unreviewed",
]

EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_UNREVIEWED = 6
"""``build``/``render``: the PDF of an edition with text not reviewed, without ``--draft``."""

console = make_console()
err_console = make_console(stderr=True)

edition_app = typer.Typer(
    help="The editions of the book's text: start one from the last, review it, see where it stands, rebuild a published one.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)

YearArg = Annotated[int, typer.Argument(metavar="YEAR", help="The edition: its reporting year.", min=2000, max=2100)]
DataDirOpt = Annotated[
    Path,
    typer.Option("--data-dir", metavar="DIR", help="The project's data folder; the text is in narrative/ beside it.", show_default=True),
]


def check_edition(year: int, data_dir: Path) -> None:
    """Exit 2 before anything runs when the text has no edition for ``year`` (saying how to start one)."""
    from analysis.data.narrative import NarrativeError, narrative_dir_for
    from analysis.data.narrative import check_edition as require_edition

    try:
        require_edition(narrative_dir_for(data_dir), year)
    except NarrativeError as exc:
        err_console.print(f"cannot run for {year}: {exc}. Nothing was run.", markup=False)
        raise typer.Exit(EXIT_USAGE) from None


def unreviewed_blocks(year: int, data_dir: Path) -> list:
    """The blocks of the ``year`` edition not reviewed that the book shows (empty when the edition cannot be read: the run
    says why)."""
    from analysis.data.narrative import NarrativeError, narrative_dir_for
    from analysis.editions.review import edition_status

    try:
        status = edition_status(narrative_dir_for(data_dir), year, notebooks_dir=config.NOTEBOOKS_DIR, names=config.NOTEBOOKS)
        return status.unreviewed_shown
    except NarrativeError:
        return []


def by_chapter(blocks: list, chapter=lambda b: b.chapter) -> str:
    counts: dict[str, int] = {}
    for b in blocks:
        counts[chapter(b)] = counts.get(chapter(b), 0) + 1
    return ", ".join(f"{c} {n}" for c, n in counts.items())


def refuse_unreviewed_pdf(year: int, count: int, chapters: str, source: str, ran: bool) -> None:
    err_console.print(
        styled(
            (f"the {year} PDF is refused", "bold red"),
            f": {count} text block(s) of the {year} edition are not reviewed ({chapters}); they are {source}'s text. Edit them "
            f"in narrative/{year}/ or mark them reviewed (`virksomhetsanalyse edition status {year}`, `edition review {year} "
            f"BLOCK`), or make a draft with --draft (the PDF then says Utkast on every page). "
            + ("book/ was run; nothing was rendered." if ran else "Nothing was run."),
        )
    )
    raise typer.Exit(EXIT_UNREVIEWED)


def note_unreviewed(year: int, data_dir: Path) -> None:
    """After a run: how many blocks of the edition are not reviewed (the book marks them)."""
    left = unreviewed_blocks(year, data_dir)
    if left:
        console.print(
            f"note: {len(left)} text block(s) of the {year} edition are not reviewed ({by_chapter(left, lambda s: s.block.chapter)}); "
            f"the book marks them. See `virksomhetsanalyse edition status {year}`.",
            markup=False,
        )


def check_pdf(year: int, data_dir: Path, pdf: bool, draft: bool) -> None:
    """Before a build runs anything: refuse (exit 6) a PDF of an edition with blocks not reviewed, unless a draft."""
    left = unreviewed_blocks(year, data_dir)
    if left and pdf and not draft:
        sources = "/".join(sorted({f"the {s.source} edition" for s in left}))
        refuse_unreviewed_pdf(year, len(left), by_chapter(left, lambda s: s.block.chapter), sources, False)


def before_render(pdf: bool, draft: bool, ran: bool) -> list:
    """Before a render: refuse a PDF of chapters with text not reviewed (exit 6) unless ``draft``; write the draft
    switch the render reads (``_quarto-edition.yml``). The blocks not reviewed in book/."""
    from analysis.pipeline.draft import unreviewed_in_book, write_edition_mark
    from analysis.pipeline.render import book_year

    left = unreviewed_in_book(config.BOOK_DIR, config.NOTEBOOKS)
    if pdf and left and not draft:
        sources = "/".join(sorted({f"the {b.source} edition" for b in left}))
        refuse_unreviewed_pdf(book_year(config.BOOK_DIR, config.NOTEBOOKS), len(left), by_chapter(left), sources, ran)
    write_edition_mark(draft and pdf, config.PROJ_ROOT)
    return left


def after_render(draft: bool, left: list) -> None:
    """After a successful render: say what a draft or the HTML marks (the render's own record tells ``publish`` what it made)."""
    if draft:
        console.print(f"draft: the PDF says Utkast on every page; {len(left)} text block(s) not reviewed ({by_chapter(left) or 'none'})",
                      markup=False)  # fmt: skip
    elif left:
        console.print(f"note: the HTML book marks {len(left)} text block(s) not reviewed ({by_chapter(left)})", markup=False)


def _narrative(data_dir: Path) -> Path:
    from analysis.data.narrative import narrative_dir_for

    return narrative_dir_for(data_dir)


def _fail(message: str, code: int = EXIT_USAGE) -> None:
    err_console.print(f"error: {message}", markup=False)
    raise typer.Exit(code)


@edition_app.command("new")
def new(
    year: YearArg,
    source: Annotated[
        int | None,
        typer.Option("--from", metavar="YEAR", help="The edition to copy (default: the latest before YEAR).", show_default=False),
    ] = None,
    data_dir: DataDirOpt = config.DATA_DIR,
) -> None:
    """Start the YEAR edition of the text as a copy of the latest earlier one, every block marked not reviewed.

    The chapters' text files are copied into narrative/YEAR/; edit them there. A block counts as reviewed
    once its text changes, or with `edition review`. A year before every edition needs --from (its book then
    says in every block that the text is that edition's).
    """
    from analysis.data.narrative import NarrativeError
    from analysis.editions.start import new_edition

    try:
        made = new_edition(_narrative(data_dir), year, source)
    except NarrativeError as exc:
        _fail(str(exc))
    if made.source is None:
        console.print(f"started the {year} edition in {made.folder}: empty (no earlier edition); write its text there", markup=False)
        return
    console.print(
        f"started the {year} edition in {made.folder} from the {made.source} edition: {len(made.chapters)} chapter(s), "
        f"{made.blocks} text blocks, none reviewed yet",
        markup=False,
    )
    console.print(
        f"next: edit the text in {made.folder}/; mark a block that needs no change with "
        f"`virksomhetsanalyse edition review {year} CHAPTER/BLOCK`; see where it stands with `edition status {year}`",
        markup=False,
    )


_LABEL = {"reviewed": "reviewed", "changed": "changed since {src}", "not reviewed": "NOT REVIEWED", "written": "written for {year}"}


def _label(state, year: int) -> str:
    return _LABEL[state.status.value].format(src=state.source, year=year)


def _first_words(text: str, width: int = 60) -> str:
    words = " ".join(text.split())
    return words if len(words) <= width else words[: width - 1].rsplit(" ", 1)[0] + " …"


@edition_app.command("status")
def status(
    year: YearArg,
    unreviewed: Annotated[bool, typer.Option("--unreviewed", help="List only the blocks not reviewed.")] = False,
    data_dir: DataDirOpt = config.DATA_DIR,
) -> None:
    """List the text blocks of the YEAR edition per chapter: reviewed, changed since the copy, not reviewed.

    Also names the blocks a chapter places that the edition lacks, blocks no chapter places, and figures typed
    into the text; then it exits 1 (the book cannot be built as it is).
    """
    from analysis.data.narrative import NarrativeError, Status
    from analysis.editions.review import edition_status

    try:
        st = edition_status(_narrative(data_dir), year, notebooks_dir=config.NOTEBOOKS_DIR, names=config.NOTEBOOKS)
    except NarrativeError as exc:
        _fail(str(exc))
    states = st.states()
    changed = f"{st.count(Status.CHANGED)} changed since {'/'.join(map(str, st.sources))}, " if st.sources else ""
    origin = f" (started from {'/'.join(map(str, st.sources))})" if st.sources else ""
    console.print(
        f"edition {year}{origin}: {len(states)} text blocks — {st.count(Status.REVIEWED)} reviewed, {changed}"
        f"{len(st.unreviewed)} not reviewed, {st.count(Status.WRITTEN)} written for {year}",
        markup=False,
    )
    for chapter in st.chapters:
        shown = [s for s in chapter.blocks if s.unreviewed or not unreviewed]
        left = sum(1 for s in chapter.blocks if s.unreviewed)
        console.print(f"{chapter.chapter}: {len(chapter.blocks)} blocks, {left} not reviewed", markup=False)
        if chapter.error:
            console.print(f"  error: {chapter.error}", markup=False)
        for s in shown:
            console.print(f"  {_label(s, year):<20} {s.block.id:<32} {_first_words(s.block.book_text)}", markup=False)
    problems = [
        *(f"placed by a chapter but not in the edition: {b}" for b in st.missing),
        *(f"a figure typed into the text: {t}" for t in st.typed),
        *(f"{c.chapter}: {c.error}" for c in st.chapters if c.error),
    ]
    for b in st.unplaced:
        console.print(f"note: {b} is placed by no chapter notebook, so the book does not show it", markup=False)
    if st.unreviewed:
        console.print(
            f"next: edit the blocks in narrative/{year}/ or mark them reviewed: virksomhetsanalyse edition review {year} "
            f"{st.unreviewed[0].block.id} (a whole chapter: edition review {year} {st.unreviewed[0].block.chapter})",
            markup=False,
        )
    if problems:
        err_console.print(f"{len(problems)} problem(s): the chapters cannot run with this text", markup=False)
        for p in problems:
            err_console.print(f"  - {p}", markup=False)
        raise typer.Exit(EXIT_PROBLEMS)


@edition_app.command("review")
def review(
    year: YearArg,
    blocks: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="BLOCK", help="CHAPTER/NAME of a block (e.g. osu/innledning), or CHAPTER for all of its blocks.", show_default=False
        ),
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every block of the edition.")] = False,
    data_dir: DataDirOpt = config.DATA_DIR,
) -> None:
    """Mark text blocks of the YEAR edition reviewed: read, and right as they stand for YEAR.

    The hash of each block's text is stored; a later edit keeps it reviewed (the text changed since the copy).
    """
    from analysis.data.narrative import NarrativeError, chapters_of
    from analysis.editions.review import review_blocks

    targets = list(blocks or [])
    if all_:
        targets += chapters_of(_narrative(data_dir), year)
    if not targets:
        _fail("name the blocks to mark reviewed (CHAPTER/NAME or CHAPTER), or give --all")
    try:
        done = review_blocks(_narrative(data_dir), year, targets)
    except NarrativeError as exc:
        _fail(str(exc))
    marked = [r for r in done if r.marked]
    for r in done:
        if r.marked:
            console.print(f"reviewed: {r.block}", markup=False)
        else:
            console.print(f"already counts as reviewed ({r.before.value}): {r.block}", markup=False)
    console.print(f"marked {len(marked)} block(s) reviewed; `virksomhetsanalyse edition status {year}` shows what is left", markup=False)


@edition_app.command("rebuild")
def rebuild(
    year: YearArg,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", metavar="DIR", help="A new folder for the rebuilt edition.  [default: .build/rebuild/YEAR]"),
    ] = None,
    no_run: Annotated[bool, typer.Option("--no-run", help="Render the published executed chapters without running them again.")] = False,
    data_dir: DataDirOpt = config.DATA_DIR,
) -> None:
    """Build a published edition again from the commit its record (editions/YEAR/) names, in a folder of its own.

    The commit's data package and text are checked against the record's hashes; then the book is built with
    that commit's code, its chapters compared with the published ones. Exit 1 when they differ or the build fails.
    """
    from analysis.pipeline.git import GitError
    from analysis.pipeline.rebuild import RebuildError
    from analysis.pipeline.rebuild import rebuild as rebuild_edition

    target = out or config.STATE_DIR / "rebuild" / str(year)
    if out is None and target.exists():
        import shutil

        shutil.rmtree(target)  # the last rebuild in .build/: replaced (a folder given with --out must be new)
    console.print(f"rebuilding the {year} edition into {target} …", markup=False)
    try:
        result = rebuild_edition(year, target, root=config.PROJ_ROOT, data_dir=data_dir, run=not no_run)
    except (RebuildError, GitError) as exc:
        _fail(str(exc))
    console.print(f"commit {result.commit[:12]}: data package and text are the published ones", markup=False)
    if result.differing:
        err_console.print(f"rebuilt chapters differ from the published ones: {', '.join(result.differing)}", markup=False)
        raise typer.Exit(EXIT_PROBLEMS)
    same = "its chapters ran again and are byte-identical to the published ones; " if result.ran and result.returncode in (0, 4) else ""
    if result.returncode == 4:  # the commit's own `build`: Quarto not installed
        console.print(f"{same}Quarto is not installed, so the book was not rendered (see README: Quarto)", markup=False)
        raise typer.Exit(4)
    if result.returncode != 0:
        tail = "\n".join(result.log.strip().splitlines()[-6:])
        err_console.print(f"the build in {result.folder} exited {result.returncode}:\n{tail}", markup=False)
        raise typer.Exit(EXIT_PROBLEMS)
    console.print(f"rebuilt: {same}the book is in {result.folder / '_book'}", markup=False)


def publish(
    year: Annotated[int, typer.Option("--year", metavar="YEAR", help="The edition (reporting year) the last build made.")],
    replace: Annotated[bool, typer.Option("--replace", help="Publish an edition that is published already again.")] = False,
    data_dir: DataDirOpt = config.DATA_DIR,
) -> None:
    """Publish the book the last `build` made: its record into editions/YEAR/, the book into _site/YEAR/.

    The record lists every figure the book shows (dataset, indicator, group, year, value, unit, source), the
    data-quality findings, the commit, the date and the hashes of the data package and the text; commit it.
    _site/ (git-ignored) keeps every published edition's HTML book and PDF, with a landing page listing them.
    Refused (exit 2) unless the last build made the whole, final book for YEAR, every chapter is up to date and
    the inputs are committed.
    """
    from analysis.pipeline.errors import BuildError
    from analysis.pipeline.git import GitError
    from analysis.pipeline.publish import publish as publish_edition

    try:
        done = publish_edition(
            year,
            root=config.PROJ_ROOT,
            data_dir=data_dir,
            book_dir=config.BOOK_DIR,
            state_dir=config.STATE_DIR,
            output_dir=config.OUTPUT_DIR,
            notebooks_dir=config.NOTEBOOKS_DIR,
            site_dir=config.SITE_DIR,
            names=config.NOTEBOOKS,
            replace=replace,
        )
    except (BuildError, GitError) as exc:
        _fail(f"cannot publish the {year} edition: {exc}")
    again = "again " if done.replaced else ""
    console.print(
        f"published the {year} edition {again}(commit {done.commit[:12]}): {done.figures} figures and {done.findings} "
        f"data-quality findings recorded in {done.record}",
        markup=False,
    )
    console.print(f"book copied to {done.site}; landing page {done.landing}", markup=False)
    console.print(f"next: commit {done.record} (git add {done.record} && git commit)", markup=False)


def register(app: typer.Typer) -> None:
    """Add ``edition`` (new, status, review, rebuild) and ``publish`` to ``app``."""
    app.add_typer(edition_app, name="edition")
    app.command("publish")(publish)

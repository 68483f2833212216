"""Appendix: data quality — where the source disagrees with itself, and what the book shows.

Generated entirely from the consistency checks (``Book.check_results``, from
``analysis.data.consistency``) and the datasets' notes in the descriptor
(``Book.dataset_notes``); nothing here is typed by hand. Results and notes
about years after the reporting year are left out.
"""

from __future__ import annotations

import polars as pl

from analysis.data.book import Book, CheckResult, Status
from analysis.present.fmt import fmt_number, fmt_year_span
from analysis.present.outputs import Prose, TableOutput
from analysis.present.tables import STUB, table_output
from analysis.present.text import plural

__all__ = ["results", "sentence_summary", "tab_findings", "tab_within_rounding", "tab_notes", "subject"]

_CLAIM_WORDS = {
    "value": "verdien",
    "change_pct": "endringen i prosent",
    "change_pp": "endringen i prosentpoeng",
    "min_change_pct": "den minste årlige endringen i prosent",
    "max_change_pct": "den største årlige endringen i prosent",
}


def results(book: Book) -> list[CheckResult]:
    """Every check result about the reporting year or earlier."""
    return book.check_results()


def _section(s: str) -> str:
    return s.replace("001 ", "").replace("001", "").strip() or "–"


def subject(book: Book, r: CheckResult) -> str:
    """A Norwegian description of what a check compares."""
    if r.kind == "identity":
        return f"{r.description} ({r.year})"
    if r.kind == "derived":
        ds, ind, grp, y, _ = [p.strip() for p in r.ref.split("/")]
        return f"{book.label(ind)}, {book.group_label(grp)}: {r.description}"
    tf = book.text_figure(r.ref)
    what = _CLAIM_WORDS.get(tf.claim, tf.claim)
    years = str(tf.year) if not tf.base_year else fmt_year_span(tf.base_year, tf.year)
    return f"Teksten oppgir {what} for «{book.label(tf.indicator)}» ({book.group_label(tf.group)}), {years}"


def _num(x: float | None, decimals: int) -> str:
    return "–" if x is None else fmt_number(x, decimals)


def sentence_summary(book: Book) -> Prose:
    """How many checks, and how they came out."""
    rs = results(book)
    n = {s: sum(1 for r in rs if r.status == s) for s in Status}
    kinds = {k: sum(1 for r in rs if r.kind == k) for k in ("derived", "identity", "text")}
    return Prose(
        f"Boken kontrollerer kildens tall mot hverandre på {fmt_number(len(rs))} punkter: "
        f"{fmt_number(kinds['derived'])} avledede tall som kilden har trykt (endringer, trender og andeler), "
        f"{fmt_number(kinds['identity'])} summer og sammenhenger mellom tabeller, og "
        f"{fmt_number(kinds['text'])} tall i teksten som viser til en tabell. "
        f"{fmt_number(n[Status.REPRODUCED])} stemmer nøyaktig, {fmt_number(n[Status.WITHIN_ROUNDING])} stemmer innenfor det "
        f"avrundingen av de trykte tallene tillater, og {fmt_number(n[Status.FINDING])} "
        f"{plural(n[Status.FINDING], 'avviker', 'avviker')} mer enn avrunding kan forklare. "
        + (
            f"{fmt_number(n[Status.NOT_JUDGED])} {plural(n[Status.NOT_JUDGED], 'omtrentlig utsagn', 'omtrentlige utsagn')} "
            "(«cirka», «nær») er bare gjengitt, ikke vurdert."
            if n[Status.NOT_JUDGED]
            else ""
        )
    )


def _what_book_shows(r: CheckResult) -> str:
    if r.kind == "text":
        return "Tabellens tall; tekstens tall nevnes bare her"
    if r.kind == "identity":
        return "Begge tall som trykt i kilden"
    return "Endringen beregnet fra tabellens tall"


def _table(book: Book, rs: list[CheckResult], *, id: str, title: str, subtitle: str) -> TableOutput:
    rows: dict[str, list[str]] = {STUB: [], "Kapittel": [], "Trykt": [], "Dataene gir": [], "Mulig ved avrunding": [], "Boken viser": []}
    for r in rs:
        d = r.printed_decimals
        rows[STUB].append(subject(book, r))
        rows["Kapittel"].append(_section(r.section))
        rows["Trykt"].append(_num(r.printed, d))
        rows["Dataene gir"].append(_num(r.computed, d + 1))
        rows["Mulig ved avrunding"].append("–" if r.possible is None else f"{_num(r.possible.lo, d + 1)} til {_num(r.possible.hi, d + 1)}")
        rows["Boken viser"].append(_what_book_shows(r))
    return table_output(
        pl.DataFrame(rows),
        id=id,
        title=title,
        subtitle=subtitle,
        source="Beregnet fra data/",
        plain=f"{title}: {len(rs)} rader.",
        stub_label="Hva som sammenlignes",
        align_left=["Kapittel", "Boken viser"],
    )


def tab_findings(book: Book) -> TableOutput:
    """The findings: printed figures the source's own tables cannot give, even allowing for rounding."""
    rs = [r for r in results(book) if r.status == Status.FINDING]
    return _table(
        book,
        rs,
        id="kvalitet-funn",
        title="Avvik som avrunding ikke forklarer",
        subtitle="Kildens trykte tall mot det de lagrede tallene gir",
    )


def tab_within_rounding(book: Book) -> TableOutput:
    """Printed derived values that the rounded inputs do not reproduce but allow."""
    rs = [r for r in results(book) if r.status == Status.WITHIN_ROUNDING]
    return _table(
        book,
        rs,
        id="kvalitet-avrunding",
        title="Avvik innenfor avrunding",
        subtitle="Kilden regnet med uavrundede tall; boken regner med de trykte, så siste siffer kan avvike",
    )


def tab_notes(book: Book) -> TableOutput:
    """The datasets' notes: quirks of the source kept visible (e.g. a header typo).

    Notes that name a year after the reporting year are left out.
    """
    rows: dict[str, list[str]] = {STUB: [], "Kapittel": [], "Merknad": []}
    for n in book.dataset_notes():
        rows[STUB].append(n.title)
        rows["Kapittel"].append(", ".join(_section(s) for s in n.sections) or "–")
        rows["Merknad"].append(n.note)
    df = pl.DataFrame(rows)
    return table_output(
        df,
        id="kvalitet-merknader",
        title="Merknader til datasettene",
        source="data/datapackage.yaml",
        plain=f"Merknader til datasettene: {df.height} rader.",
        stub_label="Datasett",
        align_left=True,
    )

"""Sentences that state numbers, in Norwegian bokmål.

The building blocks every chapter's prose is made of: values with their unit,
the direction of a change in words (*økte*, *gikk ned*, *var uendret*) judged
on the figures as displayed, singular and plural, lists, and what to say when
a figure for the reporting year is not available yet. Chapter-specific
sentences (``analysis.chapters``) compose these.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from analysis.calc import metrics
from analysis.data.book import Book, TextFigure
from analysis.present.fmt import NBSP, fmt_number, fmt_percent, fmt_unit
from analysis.present.outputs import DataText, Prose

__all__ = [
    "fmt_val",
    "fmt_obs",
    "fmt_text_figure",
    "text_figure_this_year",
    "verb_change",
    "noun_change",
    "plural",
    "list_nb",
    "describe_change",
    "sentence_change",
    "sentence_missing",
    "paragraph",
    "capitalize",
    "note_source_charts",
]

_BARE_UNITS = {"antall", "personer"}
_YEAR = re.compile(r"\b(20\d\d)\b")


def fmt_val(book: Book, indicator: str, value: float | None, *, decimals: int | None = None, unit: bool = True) -> str:
    """A value with its unit as a reader expects it in a sentence (``104,4 årsverk``, ``9,5 %``)."""
    d = book.decimals(indicator) if decimals is None else decimals
    if value is None:
        return "–"
    if not unit or book.unit_of(indicator) in _BARE_UNITS:
        return fmt_number(value, d)
    return fmt_unit(value, d, book.unit_label(indicator))


def fmt_obs(book: Book, dataset: str, indicator: str, group: str, year: int) -> str:
    """One stored figure with its unit, never with more decimals than the source printed (``12 %``, not ``12,0 %``)."""
    value = book.value(dataset, indicator, group, year)
    printed = book.printed_decimals(dataset, indicator, group, year)
    d = book.decimals(indicator) if printed is None else min(book.decimals(indicator), printed)
    return fmt_val(book, indicator, value, decimals=d)


def fmt_text_figure(tf: TextFigure, *, magnitude: bool = False) -> str:
    """A figure from the source's text, with its stated decimals and unit (counts bare).

    ``magnitude`` drops the sign, for sentences that say the direction in words
    (``redusert med 12 %``).
    """
    v = abs(tf.value) if magnitude else tf.value
    if tf.unit in _BARE_UNITS:
        return fmt_number(v, tf.decimals)
    return fmt_unit(v, tf.decimals, tf.unit_label)


def text_figure_this_year(book: Book, id: str) -> TextFigure | None:
    """The text figure ``id`` only when it is about the reporting year itself (not an earlier one)."""
    tf = book.text_figure(id)
    return tf if tf is not None and tf.year == book.year else None


def _same_when_displayed(a: float, b: float, decimals: int) -> bool:
    return fmt_number(a, decimals) == fmt_number(b, decimals)


def verb_change(prev: float, cur: float, decimals: int, *, up: str = "økte", down: str = "gikk ned", same: str = "var uendret") -> str:
    """The verb for a change, judged on the values as displayed with ``decimals``."""
    if _same_when_displayed(prev, cur, decimals):
        return same
    return up if cur > prev else down


def noun_change(prev: float, cur: float, decimals: int) -> str:
    """``en økning`` / ``en nedgang`` / ``ingen endring``."""
    if _same_when_displayed(prev, cur, decimals):
        return "ingen endring"
    return "en økning" if cur > prev else "en nedgang"


def plural(n: float, singular: str, plural_form: str) -> str:
    """``1 søker`` / ``11 søkere`` (Norwegian: only exactly one is singular)."""
    return singular if n == 1 else plural_form


def list_nb(items: Sequence[str]) -> str:
    """``a``, ``a og b``, ``a, b og c``.

    A list of ``DataText`` (labels) is ``DataText`` again; in a mixed list the
    ``DataText`` items are escaped first (``str.join`` would drop the mark).
    """
    items = list(items)
    if not items:
        return ""
    if all(isinstance(i, DataText) for i in items):
        return DataText(list_nb([str(i) for i in items]))
    items = [f"{i}" for i in items]
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " og " + items[-1]


def capitalize(s: str) -> str:
    """Upper-case the first letter only."""
    return s[:1].upper() + s[1:]


def describe_change(book: Book, dataset: str, indicator: str, group: str, y0: int, y1: int) -> str | None:
    """``økte fra 85,8 årsverk i 2017 til 104,4 årsverk i 2018, en økning på 21,7 %``.

    Percentages change in percentage points. ``None`` when a year is missing.
    """
    s = book.series(dataset, indicator, group)
    if y0 not in s or y1 not in s:
        return None
    a, b = s[y0], s[y1]
    d = book.decimals(indicator)
    verb = verb_change(a, b, d)
    head = f"{verb} fra {fmt_obs(book, dataset, indicator, group, y0)} i {y0} til {fmt_obs(book, dataset, indicator, group, y1)} i {y1}"
    if verb == "var uendret":
        return f"var uendret på {fmt_obs(book, dataset, indicator, group, y1)} fra {y0} til {y1}"
    if book.unit_label(indicator) == "%":
        pp = abs(b - a)
        return f"{head}, {noun_change(a, b, d)} på {fmt_number(pp, max(d, 1))}{NBSP}{plural(pp, 'prosentpoeng', 'prosentpoeng')}"
    pc = metrics.pct_change(a, b)
    if pc is None:
        return head
    return f"{head}, {noun_change(a, b, d)} på {fmt_percent(abs(pc), 1)}"


def sentence_missing(book: Book, dataset: str, indicator: str, group: str, *, subject: str) -> Prose | None:
    """A note when the reporting year's figure is not there yet; ``None`` when it is."""
    s = book.series(dataset, indicator, group)
    if book.year in s:
        return None
    if not s:
        return Prose(f"Det finnes ennå ingen tall for {subject}.")
    last = max(s)
    return Prose(f"Tall for {subject} i {book.year} foreligger ikke ennå; siste tall er fra {last} ({fmt_val(book, indicator, s[last])}).")


def sentence_change(book: Book, dataset: str, indicator: str, group: str, *, subject: str, years_back: int = 1) -> Prose:
    """``{Subject} økte fra … i T−1 til … i T, en økning på … %.`` for the reporting year T.

    When T is missing, says so instead of presenting an older figure as this year's.
    """
    missing = sentence_missing(book, dataset, indicator, group, subject=subject)
    if missing:
        return missing
    y1 = book.year
    y0 = y1 - years_back
    change = describe_change(book, dataset, indicator, group, y0, y1)
    if change is None:
        return Prose(f"{capitalize(subject)} var {fmt_val(book, indicator, book.value(dataset, indicator, group))} i {y1}.")
    return Prose(f"{capitalize(subject)} {change}.")


def paragraph(*parts: Prose | str | None) -> Prose:
    """Join sentences into one paragraph, skipping the ``None`` ones."""
    return Prose(" ".join(str(p) for p in parts if p))


def note_source_charts(book: Book, sections: Sequence[str], *, exclude: Sequence[str] = ()) -> Prose:
    """A callout listing the source's charts (in these sections) whose numbers it does not print.

    ``sections`` are section numbers or prefixes (``"2.2"`` matches ``2.2.3``).
    ``exclude`` are titles (as in ``source_charts.csv``) to leave out, e.g. a chart
    the chapter redraws from a table's figures. A chart whose title or description
    names a year after the reporting year is left out: it belongs to a later year's story.
    """
    from analysis.data.store import load_table

    rows = [
        r
        for r in load_table("source_charts", book.data_dir).to_dicts()
        if any(r["section"].split(" ", 1)[-1] == s or r["section"].split(" ", 1)[-1].startswith(s + ".") for s in sections)
        and r["title"] not in exclude
        and not any(int(y) > book.year for y in _YEAR.findall(r["title"] + " " + r["what_it_shows"]))
    ]
    if not rows:
        return Prose("")
    items = "\n".join(
        f"- **{DataText(r['title'])}** (kapittel {DataText(r['section'].split(' ', 1)[-1])}): {DataText(r['what_it_shows'])}" for r in rows
    )
    return Prose(
        "::: {.callout-note}\n## Figurer i kilden uten tall\n"
        "Kildedokumentet viser disse figurene uten å oppgi tallene bak dem. Boken gjengir dem derfor ikke, "
        "og lager ikke tall for dem:\n\n" + items + "\n:::"
    )

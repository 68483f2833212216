"""Sentences that state numbers, in Norwegian bokmål.

The building blocks every chapter's prose is made of: values with their unit,
the direction of a change in words (*økte*, *gikk ned*, *var uendret*) judged
on the figures as displayed, singular and plural, lists, and what to say when
a figure for the reporting year is not available yet. Chapter-specific
sentences (``analysis.chapters``) compose these.

Figures in sentences are formatted by ``analysis.present.fmt`` (``fmt_val``,
``fmt_obs``, ``fmt_text_figure``). A change is said in one of two forms:

* ``describe_change``: the phrase (``økte fra … i 2017 til … i 2018, en økning på …``,
  or the short ``økte med …``), for a sentence the chapter builds around it;
* ``sentence_change``: the whole sentence with its subject, or the note that the
  reporting year's figure is missing (``sentence_missing``).
"""

from __future__ import annotations

from collections.abc import Sequence

from analysis.calc import metrics
from analysis.calc.datatext import DataText
from analysis.data.book import Book, TextFigure
from analysis.present.fmt import NBSP, fmt_number, fmt_obs, fmt_percent, fmt_val
from analysis.present.outputs import Prose

__all__ = [
    "text_figure_this_year",
    "verb_change",
    "noun_change",
    "plural",
    "list_nb",
    "describe_change",
    "inverted",
    "sentence_change",
    "sentence_missing",
    "paragraph",
    "capitalize",
    "note_source_charts",
]


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


def describe_change(
    book: Book, dataset: str, indicator: str, group: str, y0: int | None = None, y1: int | None = None, *, short: bool = False
) -> str | None:
    """The change of one series from ``y0`` to ``y1`` as a verb phrase, judged on the figures as displayed.

    ``økte fra 85,8 årsverk i 2017 til 104,4 årsverk i 2018, en økning på 21,7 %``
    (``var uendret på … fra 2017 til 2018``); with ``short``: ``økte med 21,7 %``
    (``var uendret``). Percentages change in percentage points.

    ``y1`` defaults to the reporting year. Without ``y0`` the change is from the
    latest earlier year with a figure, and a series whose first figure is ``y1``
    gives ``var … i 2018``. ``None`` when a year's figure is missing.
    """
    s = book.series(dataset, indicator, group)
    y1 = book.year if y1 is None else y1
    if y0 is None:
        earlier = [y for y in s if y < y1]
        if y1 in s and not earlier:
            return f"var {fmt_obs(book, dataset, indicator, group, y1)} i {y1}"
        y0 = max(earlier, default=None)
    if y0 not in s or y1 not in s:
        return None
    a, b = s[y0], s[y1]
    d = book.decimals(indicator)
    verb = verb_change(a, b, d)
    pc = metrics.pct_change(a, b)
    if book.unit_label(indicator) == "%":
        pp = abs(b - a)
        amount = f"{fmt_number(pp, max(d, 1))}{NBSP}{plural(pp, 'prosentpoeng', 'prosentpoeng')}"
    else:
        amount = None if pc is None else fmt_percent(abs(pc), 1)
    if short:
        return verb if verb == "var uendret" or amount is None else f"{verb} med {amount}"
    if verb == "var uendret":
        return f"var uendret på {fmt_obs(book, dataset, indicator, group, y1)} fra {y0} til {y1}"
    head = f"{verb} fra {fmt_obs(book, dataset, indicator, group, y0)} i {y0} til {fmt_obs(book, dataset, indicator, group, y1)} i {y1}"
    return head if amount is None else f"{head}, {noun_change(a, b, d)} på {amount}"


def inverted(change: str, subject: str) -> str:
    """Put the subject after the finite verb, for a sentence that opens with an adverbial (Norwegian verb-second order).

    ``økte med …`` becomes ``økte investeringene med …``, ``gikk ned fra …``
    ``gikk ressursinnsatsen ned fra …``, ``var uendret`` ``var forbruket uendret``.
    """
    verb, _, rest = change.partition(" ")
    if rest.split(" ", 1)[0] in ("ned", "uendret"):
        particle, _, rest = rest.partition(" ")
        return " ".join(w for w in (verb, subject, particle, rest) if w)
    return " ".join(w for w in (verb, subject, rest) if w)


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
    charts = [
        c
        for c in book.source_charts()
        if any(c.section == sec or c.section.startswith(sec + ".") for sec in sections) and c.title not in exclude
    ]
    if not charts:
        return Prose("")
    items = "\n".join(f"- **{c.title}** (kapittel {c.section}): {c.what_it_shows}" for c in charts)
    return Prose(
        "::: {.callout-note}\n## Figurer i kilden uten tall\n"
        "Kildedokumentet viser disse figurene uten å oppgi tallene bak dem. Boken gjengir dem derfor ikke, "
        "og lager ikke tall for dem:\n\n" + items + "\n:::"
    )

"""What the *Eiendom* modules share: the datasets, the note on the source's text, and comparisons in words."""

from __future__ import annotations

from analysis.data.book import Book, TextFigure
from analysis.present.fmt import fmt_percent, fmt_text_figure
from analysis.present.text import verb_change

__all__ = [
    "AKTIVITET", "KOSTRA", "ENERGI", "KPI", "ARSVERK", "FORDELING", "EIENDOM", "KOMMUNEN", "SNITT", "DQ_REF", "PARTICIPLE",
    "change_words", "text_note", "latest_year", "relative", "pct_words", "profile_year", "not_yet",
]  # fmt: skip

AKTIVITET = "eiendom_aktivitet"
KOSTRA = "eiendom_kostra"
ENERGI = "eiendom_energi"
KPI = "eiendom_kpi"
ARSVERK = "osu_arsverk"
FORDELING = "osu_driftsutgifter_fordeling"
EIENDOM = "eiendom"
KOMMUNEN = "kommunen"
SNITT = "asss_snitt"
DQ_REF = "@sec-datakvalitet"
PARTICIPLE = {"økte": "økt", "gikk ned": "gått ned"}


def change_words(tf: TextFigure) -> str:
    """``en økning på 38 %`` / ``en nedgang på 3,1 %`` for a signed percent change."""
    noun = "en nedgang" if tf.value < 0 else "en økning"
    return f"{noun} på {fmt_text_figure(tf, magnitude=True)}"


def text_note(book: Book, claims: list[TextFigure], what: str) -> str | None:
    """``Kildens tekst oppgir …`` when one of the text figures ``claims`` (``Book.claims``) disagrees with the table.

    ``what`` is the phrase with ``{v}`` for the text's figure (e.g. ``"{v} boliger for 2018"``).
    """
    for tf in claims:
        if tf.id not in book.text_findings():
            continue
        v = change_words(tf) if tf.unit == "prosent_endring" else fmt_text_figure(tf)
        return f"Kildens tekst oppgir {what.format(v=v)}; avviket er omtalt i {DQ_REF}."
    return None


def latest_year(book: Book, dataset: str, indicator: str, group: str) -> int | None:
    """The latest year (up to the reporting year) with a value."""
    s = book.series(dataset, indicator, group)
    return max(s) if s else None


def relative(a: float, b: float, decimals: int) -> str:
    """``høyere enn`` / ``lavere enn`` / ``på samme nivå som``: a compared with b as displayed."""
    return verb_change(b, a, decimals, up="høyere enn", down="lavere enn", same="på samme nivå som")


def pct_words(pc: float) -> str:
    """``7,3 % over`` / ``39,4 % under``: a percent difference in words."""
    return f"{fmt_percent(abs(pc), 1)} {'over' if pc > 0 else 'under'}"


def profile_year(book: Book, indicator: str) -> int | None:
    return latest_year(book, KOSTRA, indicator, SNITT)


def not_yet(book: Book, year: int) -> str | None:
    if year >= book.year:
        return None
    return f"KOSTRA-tall for {book.year} foreligger ikke ennå; tallene over er de siste i datagrunnlaget."

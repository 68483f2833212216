"""*Medarbeidere*: sentences about sickness absence (the KPI series, its long- and short-term parts, the areas, the target).

Qualitative statements that the source makes about the reporting year (e.g.
which areas drove the change in sickness absence) are gated on the text figure
they belong to: they appear only when it is about the reporting year.
"""

from __future__ import annotations

from analysis.chapters.medarbeidere.common import KOMMUNEN, SECTORS, pp, word
from analysis.data.book import Book, TextFigure
from analysis.present.fmt import fmt_number, fmt_percent, fmt_text_figure, fmt_year_span
from analysis.present.outputs import Prose
from analysis.present.text import describe_change, paragraph, sentence_change, text_figure_this_year

__all__ = ["sentence_sykefravaer", "sentence_sykefravaer_mal", "sentence_fravaer_type", "sentence_sykefravaer_omrader"]


def _target(book: Book) -> TextFigure | None:
    return text_figure_this_year(book, "sykefravar_mal")


def sentence_sykefravaer(book: Book) -> Prose:
    """Total sickness absence (KPI series): change from the year before, range over the period and the target."""
    ds, ind = "adm_kpi", "sykefravar_total"
    parts = [str(sentence_change(book, ds, ind, KOMMUNEN, subject="sykefraværet i kommunen"))]
    s = book.series(ds, ind, KOMMUNEN)
    if book.year in s and len(s) > 2:
        ys = sorted(s)
        lo, hi = min(s.values()), max(s.values())
        parts.append(f"I perioden {fmt_year_span(ys[0], ys[-1])} lå fraværet mellom {fmt_percent(lo, 1)} og {fmt_percent(hi, 1)}.")
    parts.append(str(sentence_sykefravaer_mal(book)))
    return paragraph(*parts)


def sentence_sykefravaer_mal(book: Book) -> Prose:
    """The reporting year's sickness absence against the target, when both are known."""
    tf, v = _target(book), book.value("adm_kpi", "sykefravar_total", KOMMUNEN)
    if tf is None or v is None:
        return Prose("")
    gap = v - tf.value
    if fmt_number(gap, 1) == "0,0":
        return Prose(f"Kommunens mål er et sykefravær på {fmt_text_figure(tf)}, og målet ble nådd i {book.year}.")
    if gap < 0:
        return Prose(f"Kommunens mål er et sykefravær på {fmt_text_figure(tf)}; i {book.year} lå fraværet {pp(gap)} under målet.")
    return Prose(
        f"Kommunens mål er et sykefravær på {fmt_text_figure(tf)}; i {book.year} lå fraværet {pp(gap)} over "
        "målet, som dermed ikke ble nådd."
    )


def sentence_fravaer_type(book: Book) -> Prose:
    """Long- and short-term absence in the reporting year."""
    ds, t = "hr_sykefravaer", book.year
    lt, kt = book.value(ds, "sykefravar_langtid", KOMMUNEN), book.value(ds, "sykefravar_korttid", KOMMUNEN)
    if lt is None or kt is None:
        return Prose(f"Fordelingen på langtids- og korttidsfravær for {t} foreligger ikke ennå.")
    parts = [
        f"Langtidsfraværet var {fmt_percent(lt, 1)} og korttidsfraværet {fmt_percent(kt, 1)} i {t}, til sammen {fmt_percent(lt + kt, 1)}."
    ]
    for ind, name in (("sykefravar_langtid", "Langtidsfraværet"), ("sykefravar_korttid", "Korttidsfraværet")):
        if book.value(ds, ind, KOMMUNEN, t - 1) is not None:
            parts.append(f"{name} {describe_change(book, ds, ind, KOMMUNEN, t - 1, t)}.")
    if text_figure_this_year(book, "sykefravar_langtid_2018") is not None and book.value(ds, "sykefravar_langtid", KOMMUNEN, t - 1) is None:
        parts.append(
            "Ifølge kilden er det langtidsfraværet som står for nedgangen fra året før, mens korttidsfraværet har holdt seg stabilt."
        )
    return paragraph(*parts)


_AREA_CHANGE_TF = {"pleie_og_omsorg": "sykefravar_pleie_omsorg_endring"}
"""Areas whose change the source states in percentage points without printing the earlier year."""


def sentence_sykefravaer_omrader(book: Book) -> Prose:
    """Sickness absence per area: change per area, lowest and highest, and how many areas lie below the municipality."""
    ds, ind, t = "hr_sykefravaer", "sykefravar_total", book.year
    now = {g: book.value(ds, ind, g) for g in SECTORS if book.value(ds, ind, g) is not None}
    if not now:
        return Prose(f"Tall for sykefraværet per kommunalsjefområde i {t} foreligger ikke ennå.")
    parts = []
    for g, v in now.items():
        if book.value(ds, ind, g, t - 1) is not None:
            parts.append(f"Fraværet i {book.group_label(g)} {describe_change(book, ds, ind, g, t - 1, t)}.")
        elif g in _AREA_CHANGE_TF and (tf := text_figure_this_year(book, _AREA_CHANGE_TF[g])) is not None:
            verb = "gikk ned" if tf.value < 0 else "økte"
            parts.append(f"Fraværet i {book.group_label(g)} {verb} med {pp(tf.value, tf.decimals)} til {fmt_percent(v, 1)} i {t}.")
        else:
            parts.append(f"Fraværet i {book.group_label(g)} var {fmt_percent(v, 1)} i {t}.")
    if len(now) > 1:
        lo, hi = min(now, key=now.get), max(now, key=now.get)
        parts.append(
            f"Av områdene med tall var fraværet lavest i {book.group_label(lo)} ({fmt_percent(now[lo], 1)}) "
            f"og høyest i {book.group_label(hi)} ({fmt_percent(now[hi], 1)})."
        )
    below, total = text_figure_this_year(book, "sykefravar_omrader_under_kommunen"), book.value("adm_kpi", ind, KOMMUNEN)
    if below is not None and total is not None:
        parts.append(
            f"Ifølge kilden hadde {word(below.value)} av kommunalsjefområdene lavere fravær enn kommunen samlet "
            f"({fmt_percent(total, 1)}). Det er områdene innen Velferd som står for nedgangen, mens Plan, miljø og kultur, "
            "Organisasjon og utvikling og Tekniske tjenester hadde høyere fravær enn året før."
        )
    return paragraph(*parts)

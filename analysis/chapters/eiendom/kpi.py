"""*Eiendom*: the long-term indicators (KPIs, 5.2.3): how many moved in the desired direction, and each in turn."""

from __future__ import annotations

import polars as pl

from analysis.calc import metrics
from analysis.chapters.eiendom.common import KOMMUNEN, KPI
from analysis.data.book import Book
from analysis.present.fmt import NBSP, fmt_number, fmt_val
from analysis.present.outputs import Prose
from analysis.present.text import capitalize, describe_change, list_nb, paragraph, sentence_change, sentence_missing, verb_change

__all__ = [
    "sentence_kpi_status",
    "sentence_kpi_ledighet",
    "sentence_kpi_areal",
    "sentence_kpi_energi",
    "sentence_kpi_vedlikehold",
]


def _kpi_statuses(book: Book) -> dict[str, metrics.KpiStatus]:
    """Status per KPI as ``tab_kpi`` computes it (trend over three years against the target direction)."""
    df = book.obs(KPI).filter(pl.col("group") == KOMMUNEN)
    out = {}
    for ind in book.ordered(df["indicator"].to_list()):
        t = metrics.trend3(book.series(KPI, ind, KOMMUNEN), book.year)
        out[ind] = metrics.kpi_status(t, book.direction(ind), tolerance=0.5 * 10 ** (-book.decimals(ind)))
    return out


def sentence_kpi_status(book: Book) -> Prose:
    """How many KPIs moved in the desired direction over the last three years."""
    st = _kpi_statuses(book)
    if not st:
        return Prose("Det finnes ennå ingen langsiktige indikatorer for Eiendom.")
    n = {k: sum(1 for v in st.values() if v == k) for k in metrics.KpiStatus}
    K = metrics.KpiStatus
    moving = [(n[k], p) for k, p in ((K.BETTER, "i ønsket retning"), (K.WORSE, "i motsatt retning")) if n[k]]
    total, span = fmt_number(len(st)), f"Fra {book.year - 3} til {book.year}"
    if moving:
        (c, p), rest = moving[0], moving[1:]
        items = [f"{fmt_number(c2)} {p2}" for c2, p2 in rest] + ([f"{fmt_number(n[K.UNCHANGED])} var uendret"] if n[K.UNCHANGED] else [])
        s = f"{span} utviklet {fmt_number(c)} av de {total} indikatorene seg {p}" + (f", {list_nb(items)}" if items else "") + "."
    elif n[K.UNCHANGED]:
        s = f"{span} var {fmt_number(n[K.UNCHANGED])} av de {total} indikatorene uendret."
    else:
        s = ""
    if n[K.UNKNOWN] == len(st):
        return Prose(f"Trenden for de langsiktige indikatorene kan ikke beregnes for {book.year} ennå; tallene for året foreligger ikke.")
    if n[K.UNKNOWN]:
        k = n[K.UNKNOWN]
        s += f" For {fmt_number(k)} {'indikator' if k == 1 else 'indikatorer'} mangler det tall til å beregne trenden."
    return Prose(s.strip())


def sentence_kpi_ledighet(book: Book) -> Prose:
    """Average vacancy in care and welfare dwellings: change since the first year and the three-year trend."""
    ind = "ledighet_omsorgs_velferdsboliger"
    missing = sentence_missing(book, KPI, ind, KOMMUNEN, subject="ledigheten i omsorgs- og velferdsboligene")
    if missing:
        return missing
    s = book.series(KPI, ind, KOMMUNEN)
    y0 = min(s)
    change = describe_change(book, KPI, ind, KOMMUNEN, y0, book.year)
    first = f"Den gjennomsnittlige ledigheten i omsorgs- og velferdsboligene {change}." if change else None
    t = metrics.trend3(s, book.year)
    second = (
        f"Trenden de siste tre årene tilsvarer {fmt_number(t, book.decimals(ind), sign=True)}{NBSP}prosentpoeng per år."
        if t is not None
        else None
    )
    return paragraph(first, second)


def sentence_kpi_areal(book: Book) -> Prose:
    """Area per child in kindergartens and per pupil in schools over the last year."""
    parts = []
    for ind, subject in (
        ("areal_barnehagelokaler_per_barn", "Arealet per barn i de kommunale barnehagene"),
        ("areal_skolelokaler_per_elev", "arealet per elev i skolene"),
    ):
        c = describe_change(book, KPI, ind, KOMMUNEN, book.year - 1, book.year)
        if c:
            parts.append(f"{subject} {c.split(', en ')[0]}")
    if not parts:
        return Prose(f"Tall for areal per barn og per elev i {book.year} foreligger ikke ennå.")
    return Prose(capitalize(", og ".join(parts)) + ".")


def sentence_kpi_energi(book: Book) -> Prose:
    """Energy use in the building stock (KPI series): years of decline and the three-year trend."""
    ind = "energiforbruk_eiendomsmasse"
    missing = sentence_missing(book, KPI, ind, KOMMUNEN, subject="energiforbruket i eiendomsmassen")
    if missing:
        return missing
    s = book.series(KPI, ind, KOMMUNEN)
    d = book.decimals(ind)
    start = book.year
    while start - 1 in s and s[start - 1] > s[start] and fmt_number(s[start - 1], d) != fmt_number(s[start], d):
        start -= 1
    parts = []
    if start <= book.year - 2:
        parts.append(
            f"Energiforbruket i eiendomsmassen, slik KPI-tabellen måler det, har gått ned hvert år siden {start}, "
            f"fra {fmt_val(book, ind, s[start])} til {fmt_val(book, ind, s[book.year])}."
        )
    else:
        c = describe_change(book, KPI, ind, KOMMUNEN, book.year - 1, book.year)
        if c:
            parts.append(f"Energiforbruket i eiendomsmassen, slik KPI-tabellen måler det, {c}.")
    t = metrics.trend3(s, book.year)
    if t is not None:
        y3 = book.year - 3
        level = verb_change(s[y3], s[book.year], d, up="over", down="under", same="på")
        parts.append(
            f"Trenden over tre år er likevel {fmt_number(t, d, sign=True)}{NBSP}{book.unit_label(ind)} per år, "
            f"fordi forbruket i {book.year} ligger {level} nivået i {y3} ({fmt_val(book, ind, s[y3])})."
            if (t > 0) != (book.direction(ind) == 1) and fmt_number(t, d) != "0,0" and start <= book.year - 2
            else f"Trenden over tre år er {fmt_number(t, d, sign=True)}{NBSP}{book.unit_label(ind)} per år."
        )
    return paragraph(*parts)


def sentence_kpi_vedlikehold(book: Book) -> Prose:
    """Maintenance spending per kvm (KPI series) over the last year."""
    return sentence_change(book, KPI, "utgifter_vedlikehold_per_kvm", KOMMUNEN, subject="utgiftene til vedlikehold i eiendomsforvaltningen")

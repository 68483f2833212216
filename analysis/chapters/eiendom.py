"""Chapter *Eiendom* (source 001, chapter 5): sentences and one table.

Every figure comes from ``data/`` for the chapter's reporting year
(``book.year``): the activity table, årsverk, KOSTRA profile, energy use and
the KPIs. Figures the source states only in its text come from
``text_figures.csv`` through ``book.text_figure`` (which hides statements
about a year after the reporting year). Where the source's text disagrees
with its own table (a *finding* of ``analysis.data.consistency.check_text``), a
sentence gives the table's figure and says briefly what the text says,
pointing to the data-quality appendix.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import polars as pl

from analysis.calc import metrics
from analysis.data.book import Book, TextFigure
from analysis.data.consistency import Status, check_text
from analysis.data.store import load_table
from analysis.present.fmt import NBSP, fmt_change_pct, fmt_number, fmt_percent, fmt_year_span
from analysis.present.outputs import Prose, TableOutput
from analysis.present.tables import tab_series
from analysis.present.text import (
    capitalize,
    describe_change,
    fmt_text_figure,
    fmt_val,
    list_nb,
    paragraph,
    sentence_change,
    sentence_missing,
    verb_change,
)

__all__ = [
    "tab_aktivitet",
    "sentence_andel",
    "sentence_energimal",
    "sentence_kommunegarden",
    "sentence_vedlikehold",
    "sentence_verdibevarende",
    "sentence_energibruk",
    "sentence_fagbrev",
    "sentence_boliger",
    "sentence_aktivitet",
    "sentence_arsverk",
    "sentence_arsverk_mot_investeringer",
    "sentence_profil",
    "sentence_areal",
    "sentence_energi",
    "sentence_vedlikehold_profil",
    "sentence_kpi_status",
    "sentence_kpi_ledighet",
    "sentence_kpi_areal",
    "sentence_kpi_energi",
    "sentence_kpi_vedlikehold",
]

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
_BARE = {"antall", "personer"}
_PARTICIPLE = {"økte": "økt", "gikk ned": "gått ned"}


# -- helpers -------------------------------------------------------------------
@lru_cache(maxsize=8)
def _findings(data_dir: str) -> frozenset[str]:
    """Ids of the text figures whose claim the tables do not support."""
    return frozenset(r.ref for r in check_text(Path(data_dir)) if r.status == Status.FINDING)


def _change_words(tf: TextFigure) -> str:
    """``en økning på 38 %`` / ``en nedgang på 3,1 %`` for a signed percent change."""
    noun = "en nedgang" if tf.value < 0 else "en økning"
    return f"{noun} på {fmt_text_figure(tf, magnitude=True)}"


def _claim_ids(book: Book, dataset: str, indicator: str, group: str, claim: str, year: int, base_year: int | None = None) -> list[str]:
    """Ids of the text figures that make ``claim`` about this series for ``year`` (and ``base_year``)."""
    df = load_table("text_figures", book.data_dir)
    rows = df.filter(
        (pl.col("dataset") == dataset)
        & (pl.col("indicator") == indicator)
        & (pl.col("group") == group)
        & (pl.col("claim") == claim)
        & (pl.col("year") == year)
    )
    return [r["id"] for r in rows.to_dicts() if base_year is None or r["base_year"] == base_year]


def _text_note(book: Book, ids: list[str], what: str) -> str | None:
    """``Kildens tekst oppgir …`` when one of the text figures ``ids`` is shown and disagrees with the table.

    ``what`` is the phrase with ``{v}`` for the text's figure (e.g. ``"{v} boliger for 2018"``).
    """
    for id in ids:
        tf = book.text_figure(id)
        if tf is None or id not in _findings(str(book.data_dir)):
            continue
        v = _change_words(tf) if tf.unit == "prosent_endring" else fmt_text_figure(tf)
        return f"Kildens tekst oppgir {what.format(v=v)}; avviket er omtalt i {DQ_REF}."
    return None


def _v2(short: str, subject: str) -> str:
    """Put ``subject`` after the verb (Norwegian word order after an adverbial): ``økte investeringene med 57,5 %``."""
    if short == "var uendret":
        return f"var {subject} uendret"
    verb, amount = short.split(" med ", 1)
    if verb == "gikk ned":
        return f"gikk {subject} ned med {amount}"
    return f"{verb} {subject} med {amount}"


def _change_short(book: Book, dataset: str, indicator: str, group: str, y0: int, y1: int) -> str | None:
    """``økte med 57,5 %`` / ``gikk ned med 1,0 %`` / ``var uendret`` (percentage points for percentages)."""
    s = book.series(dataset, indicator, group)
    if y0 not in s or y1 not in s:
        return None
    a, b = s[y0], s[y1]
    verb = verb_change(a, b, book.decimals(indicator))
    if verb == "var uendret":
        return verb
    if book.unit_label(indicator) == "%":
        return f"{verb} med {fmt_number(abs(b - a), max(book.decimals(indicator), 1))}{NBSP}prosentpoeng"
    pc = metrics.pct_change(a, b)
    return verb if pc is None else f"{verb} med {fmt_percent(abs(pc), 1)}"


def _latest(book: Book, dataset: str, indicator: str, group: str) -> int | None:
    """The latest year (up to the reporting year) with a value."""
    s = book.series(dataset, indicator, group)
    return max(s) if s else None


def _relative(a: float, b: float, decimals: int) -> str:
    """``høyere enn`` / ``lavere enn`` / ``på samme nivå som``: a compared with b as displayed."""
    return verb_change(b, a, decimals, up="høyere enn", down="lavere enn", same="på samme nivå som")


def _pct_words(pc: float) -> str:
    """``7,3 % over`` / ``39,4 % under``: a percent difference in words."""
    return f"{fmt_percent(abs(pc), 1)} {'over' if pc > 0 else 'under'}"


# -- table ---------------------------------------------------------------------
def tab_aktivitet(book: Book) -> TableOutput:
    """*Aktivitetsutvikling i Eiendom*: investments, maintenance, dwellings and area, with units in the row labels."""
    inds = book.ordered(book.obs(AKTIVITET)["indicator"].to_list())
    labels = {i: book.label(i) if book.unit_of(i) in _BARE else f"{book.label(i)} ({book.unit_label(i)})" for i in inds}
    return tab_series(
        book, AKTIVITET, id="eiendom-aktivitet", title="Aktivitetsutvikling i Eiendom", indicators=inds, groups=EIENDOM, labels=labels
    )


# -- introduction and challenges ------------------------------------------------
def sentence_andel(book: Book) -> Prose:
    """Eiendom's share of the area's gross operating expenditure and its årsverk in the reporting year."""
    ind = "andel_brutto_driftsutgifter"
    shares = {r["group"]: r["value"] for r in book.obs(FORDELING).filter(pl.col("year") == book.year).to_dicts() if r["indicator"] == ind}
    arsverk = book.value(ARSVERK, "arsverk", EIENDOM)
    if EIENDOM in shares:
        largest = ", den største andelen i området" if shares[EIENDOM] == max(shares.values()) else ""
        first = (
            f"I {book.year} sto Eiendom for {fmt_val(book, ind, shares[EIENDOM])} av de samlede brutto driftsutgiftene "
            f"i området Organisasjon, styring og utvikling{largest}."
        )
    else:
        first = f"Fordelingen av brutto driftsutgifter innen området Organisasjon, styring og utvikling foreligger ikke for {book.year}."
    second = f"Ressursinnsatsen i Eiendom var {fmt_val(book, 'arsverk', arsverk)} samme år." if arsverk is not None else None
    return paragraph(first, second)


def sentence_energimal(book: Book) -> Prose:
    """The municipality's target for energy use in its buildings (a target: shown before its year)."""
    tf = book.target("eiendom_energi_mal_2020")
    if tf is None:
        return Prose("Kommunen har et tallfestet mål om å redusere energiforbruket i eiendomsmassen i årene som kommer.")
    return Prose(
        f"Målet er at energiforbruket i kommunens eiendomsmasse i {tf.year} skal være redusert med {fmt_text_figure(tf, magnitude=True)}"
        + (f" sammenlignet med {tf.base_year}." if tf.base_year else ".")
    )


# -- priorities (5.1.2) -----------------------------------------------------------
def sentence_kommunegarden(book: Book) -> Prose:
    """The rebuilding of Kommunegården, with the planned number of workplaces when it may be shown."""
    tf = book.target("kommunegarden_medarbeidere")
    if tf is None:
        return Prose(
            "Kommunegården skal rehabiliteres og bygges om til moderne arbeidsplasser for en stor del av kommunens medarbeidere, "
            "med egne områder der innbyggerne møter kommunen."
        )
    return Prose(
        f"Kommunegården skal rehabiliteres og bygges om slik at den gir plass til opp til {fmt_text_figure(tf)} "
        "medarbeidere i moderne lokaler, "
        f"med egne områder der innbyggerne møter kommunen. Ferdigstillelse er planlagt i {tf.year}."
    )


def sentence_vedlikehold(book: Book) -> Prose:
    """Change in total maintenance (activity table), with the text's differing figure noted."""
    base = sentence_change(book, AKTIVITET, "samlet_vedlikehold", EIENDOM, subject="samlet vedlikehold i Eiendom")
    note = _text_note(book, _claim_ids(book, AKTIVITET, "samlet_vedlikehold", EIENDOM, "change_pct", book.year, book.year - 1), "{v}")
    return paragraph(base, note)


def sentence_verdibevarende(book: Book) -> Prose:
    """Value-preserving investments, a figure stated only in the text."""
    amount = book.text_figure("verdibevarende_investeringer_2018")
    if amount is None:
        return Prose("")
    hedge = "om lag " if amount.approximate else ""
    s = "Verdibevarende investeringer, det vil si oppgradering av eksisterende bygg, "
    s += f"utgjorde i tillegg {hedge}{fmt_text_figure(amount)} i {amount.year}"
    change = book.text_figure("verdibevarende_investeringer_endring_2018")
    if change is not None:
        hedge_c = "om lag " if change.approximate else ""
        noun = "en nedgang" if change.value < 0 else "en økning"
        s += f", {noun} på {hedge_c}{fmt_text_figure(change, magnitude=True)} fra året før"
    return Prose(s + ". Beløpet står bare i kildens tekst, ikke i en tabell.")


def sentence_energibruk(book: Book) -> Prose:
    """Year-on-year change in energy use in the building stock (KPI series), with the text's figure noted."""
    base = sentence_change(book, KPI, "energiforbruk_eiendomsmasse", KOMMUNEN, subject="det samlede energiforbruket i kommunens bygg")
    note = _text_note(book, _claim_ids(book, KPI, "energiforbruk_eiendomsmasse", KOMMUNEN, "change_pct", book.year, book.year - 1), "{v}")
    return paragraph(base, note)


def sentence_fagbrev(book: Book) -> Prose:
    """Cleaners who have taken a trade certificate (a text figure)."""
    tf = book.text_figure("renhold_fagbrev")
    if tf is None:
        return Prose("")
    who = "renholder" if tf.value == 1 else "renholdere"
    return Prose(f"Et kompetanseløft i renholdsenheten har så langt gitt fagbrev i renhold til {fmt_text_figure(tf)} {who}.")


def sentence_boliger(book: Book) -> Prose:
    """Number of municipal dwellings (activity table) and the change from the year before."""
    ind = "samlet_antall_boliger"
    missing = sentence_missing(book, AKTIVITET, ind, EIENDOM, subject="antall kommunale boliger")
    if missing:
        return missing
    cur = book.value(AKTIVITET, ind, EIENDOM)
    prev = book.value(AKTIVITET, ind, EIENDOM, book.year - 1)
    s = f"Kommunen hadde {fmt_val(book, ind, cur)} kommunale boliger i {book.year}"
    if prev is not None:
        diff = cur - prev
        if diff == 0:
            s += f", like mange som i {book.year - 1}"
        else:
            more = "flere" if diff > 0 else "færre"
            s += f", {fmt_number(abs(diff), 0)} {more} enn i {book.year - 1} ({fmt_val(book, ind, prev)})"
    note = _text_note(book, _claim_ids(book, AKTIVITET, ind, EIENDOM, "value", book.year), "{v} boliger for " + str(book.year))
    return paragraph(s + ".", note)


# -- resources over time (5.2.1) ----------------------------------------------------
def sentence_aktivitet(book: Book) -> Prose:
    """Investments since the first year of the activity table and over the last year; total area."""
    ys = book.years(AKTIVITET)
    if book.year not in ys or len(ys) < 2:
        return sentence_missing(book, AKTIVITET, "brutto_investeringsutgifter", EIENDOM, subject="brutto investeringer") or Prose("")
    y0, y1 = ys[0], book.year
    inv = describe_change(book, AKTIVITET, "brutto_investeringsutgifter", EIENDOM, y0, y1)
    last = _change_short(book, AKTIVITET, "brutto_investeringsutgifter", EIENDOM, y1 - 1, y1) if y1 - 1 > y0 else None
    areal = describe_change(book, AKTIVITET, "samlet_areal_formalsbygg", EIENDOM, y0, y1)
    return paragraph(
        f"Brutto investeringer {inv}." if inv else None,
        f"Bare fra {y1 - 1} til {y1} {_v2(last, 'investeringene')}." if last else None,
        f"Samlet areal på formålsbyggene, som Eiendom skal drifte og vedlikeholde, {areal}." if areal else None,
    )


def sentence_arsverk(book: Book) -> Prose:
    """Eiendom's årsverk: the last change, the range of annual changes over the last three years, and the year before."""
    missing = sentence_missing(book, ARSVERK, "arsverk", EIENDOM, subject="årsverk i Eiendom")
    if missing:
        return missing
    first = sentence_change(book, ARSVERK, "arsverk", EIENDOM, subject="ressursinnsatsen i Eiendom")
    ch = {y: c for y, c in metrics.change_series(book.series(ARSVERK, "arsverk", EIENDOM)).items() if c is not None}
    window = [y for y in range(book.year - 2, book.year + 1) if y in ch]
    second = None
    if len(window) == 3:
        lo, hi = min(ch[y] for y in window), max(ch[y] for y in window)
        span = fmt_year_span(window[0] - 1, window[-1])
        if float(fmt_number(lo, 1).replace(",", ".").replace("\u2212", "-")) > 0:
            second = (
                f"Årsverkene økte i hvert av de tre siste årene ({span}), med mellom {fmt_number(lo, 1)} og {fmt_percent(hi, 1)} per år."
            )
        else:
            second = (
                f"Over de tre siste årene ({span}) varierte den årlige endringen mellom {fmt_change_pct(lo, 1)} og {fmt_change_pct(hi, 1)}."
            )
    third = None
    yb = book.year - 3
    short = _change_short(book, ARSVERK, "arsverk", EIENDOM, yb - 1, yb)
    if short == "var uendret":
        third = f"Før det var antall årsverk uendret fra {yb - 1} til {yb}."
    elif short:
        verb, amount = short.split(" med ", 1)
        third = f"Før det hadde årsverkene {_PARTICIPLE[verb]} med {amount} fra {yb - 1} til {yb}."
    return paragraph(first, second, third)


def sentence_arsverk_mot_investeringer(book: Book) -> Prose:
    """Growth in årsverk against growth in investments over the activity table's years."""
    ys = book.years(AKTIVITET)
    if book.year not in ys or len(ys) < 2:
        return Prose("")
    y0, y1 = ys[0], book.year
    a0, a1 = book.value(ARSVERK, "arsverk", EIENDOM, y0), book.value(ARSVERK, "arsverk", EIENDOM, y1)
    i0, i1 = (
        book.value(AKTIVITET, "brutto_investeringsutgifter", EIENDOM, y0),
        book.value(AKTIVITET, "brutto_investeringsutgifter", EIENDOM, y1),
    )
    if None in (a0, a1, i0, i1):
        return Prose("")
    pa, pi = metrics.pct_change(a0, a1), metrics.pct_change(i0, i1)
    ca = _change_short(book, ARSVERK, "arsverk", EIENDOM, y0, y1)
    ci = _change_short(book, AKTIVITET, "brutto_investeringsutgifter", EIENDOM, y0, y1)
    s = f"Fra {y0} til {y1} {_v2(ca, 'årsverkene i Eiendom')}, mens brutto investeringer {ci}."
    if pa is not None and pi is not None and pi > pa:
        s += " Bemanningen har dermed vokst mindre enn investeringene."
    return Prose(s)


# -- comparison with other municipalities (5.2.2) ----------------------------------------
def _profile_year(book: Book, indicator: str) -> int | None:
    return _latest(book, KOSTRA, indicator, SNITT)


def _not_yet(book: Book, year: int) -> str | None:
    if year >= book.year:
        return None
    return f"KOSTRA-tall for {book.year} foreligger ikke ennå; tallene over er de siste i datagrunnlaget."


def sentence_profil(book: Book) -> Prose:
    """Share of net operating expenditure, and on which indicators Bærum lies above or below the ASSS average."""
    ind = "andel_netto_driftsutgifter_eiendomsforvaltning"
    y = _profile_year(book, ind)
    if y is None:
        return Prose("Det finnes ennå ingen KOSTRA-tall for eiendomsforvaltningen i datagrunnlaget.")
    b, a, asker = (book.value(KOSTRA, ind, g, y) for g in (KOMMUNEN, SNITT, "asker"))
    d = book.decimals(ind)
    first = (
        f"I {y} gikk {fmt_val(book, ind, b)} av Bærums netto driftsutgifter til eiendomsforvaltning, "
        f"{_relative(b, a, d)} snittet i ASSS-nettverket ({fmt_val(book, ind, a)})."
    )
    if asker is not None:
        first += f" Asker lå {_relative(asker, b, d)} Bærum, med {fmt_val(book, ind, asker)}."
    over, under = [], []
    for i in book.ordered(book.obs(KOSTRA).filter((pl.col("group") == SNITT) & (pl.col("year") == y))["indicator"].to_list()):
        if i == ind:
            continue
        bi, ai = book.value(KOSTRA, i, KOMMUNEN, y), book.value(KOSTRA, i, SNITT, y)
        if bi is None or ai is None:
            continue
        rel = _relative(bi, ai, book.decimals(i))
        name = book.label(i)
        name = name[:1].lower() + name[1:]
        (over if rel == "høyere enn" else under if rel == "lavere enn" else []).append(name)
    parts = []
    if over:
        parts.append(f"over snittet på {list_nb(over)}")
    if under:
        parts.append(f"under snittet på {list_nb(under)}")
    second = f"Av de øvrige indikatorene i profilen lå Bærum {', men '.join(parts)}." if parts else None
    return paragraph(first, second, _not_yet(book, y))


def sentence_areal(book: Book) -> Prose:
    """Purpose-built area per inhabitant: Bærum against the ASSS average and Asker, and Bærum over time."""
    ind = "kvm_formalsbygg_per_innbygger"
    d = book.decimals(ind)
    parts: list[str | None] = []
    y = _profile_year(book, ind)
    if y is not None:
        b, a, asker = (book.value(KOSTRA, ind, g, y) for g in (KOMMUNEN, SNITT, "asker"))
        if b is not None and a is not None:
            rel = _relative(b, a, d)
            if rel == "på samme nivå som":
                parts.append(
                    f"Bærum hadde i {y} like mye formålsbygg per innbygger som snittet i ASSS-nettverket ({fmt_val(book, ind, b)})."
                )
            else:
                more = "mer" if b > a else "mindre"
                parts.append(
                    f"Bærum hadde i {y} {fmt_number(b, d)}{NBSP}kvm formålsbygg per innbygger, mot {fmt_number(a, d)}{NBSP}kvm i snitt "
                    f"i ASSS-nettverket: {fmt_number(abs(b - a), d)}{NBSP}kvm eller {fmt_percent(abs(metrics.pct_change(a, b)), 1)} {more}."
                )
            if asker is not None:
                parts.append(f"Asker lå {_relative(asker, b, d)} Bærum, med {fmt_number(asker, d)}{NBSP}kvm per innbygger.")
    s = book.series(KOSTRA, ind, KOMMUNEN)
    if len(s) >= 2:
        y0, y1 = min(s), max(s)
        since = y1
        while since - 1 in s and fmt_number(s[since - 1], d) == fmt_number(s[y1], d):
            since -= 1
        verb = verb_change(s[y0], s[y1], d)
        if verb == "var uendret":
            parts.append(f"Bærums areal per innbygger var det samme i {y1} som i {y0} ({fmt_val(book, ind, s[y1])}).")
        else:
            tail = f" og har ligget på {fmt_number(s[y1], d)}{NBSP}kvm siden {since}" if y0 < since < y1 else ""
            v0, v1 = fmt_number(s[y0], d), fmt_number(s[y1], d)
            parts.append(f"Bærums areal per innbygger {verb} fra {v0}{NBSP}kvm i {y0} til {v1}{NBSP}kvm i {y1}{tail}.")
        if y1 < book.year:
            parts.append(f"Tall for {book.year} foreligger ikke ennå.")
    return paragraph(*parts) if parts else Prose("Det finnes ennå ingen tall for areal per innbygger.")


def sentence_energi(book: Book) -> Prose:
    """Temperature-corrected energy use: the last year's change and the change over the whole table."""
    ind = "energiforbruk_temperaturkorrigert"
    base = sentence_change(book, ENERGI, ind, KOMMUNEN, subject="det temperaturkorrigerte energiforbruket i kommunale bygg")
    s = book.series(ENERGI, ind, KOMMUNEN)
    whole = None
    if book.year in s and min(s) < book.year - 1:
        y0 = min(s)
        pc = metrics.pct_change(s[y0], s[book.year])
        verb = verb_change(s[y0], s[book.year], book.decimals(ind), up="økte", down="gikk ned")
        whole = (
            f"Over hele perioden {fmt_year_span(y0, book.year)} var forbruket uendret."
            if verb == "var uendret"
            else f"Over hele perioden {fmt_year_span(y0, book.year)} {_v2(f'{verb} med {fmt_percent(abs(pc), 1)}', 'forbruket')}."
        )
    note = (
        _text_note(book, _claim_ids(book, ENERGI, ind, KOMMUNEN, "change_pct", book.year, min(s)), "{v} for hele perioden") if s else None
    )
    return paragraph(base, whole, note)


def sentence_vedlikehold_profil(book: Book) -> Prose:
    """Maintenance spending per kvm: Bærum against the ASSS average, range and Asker."""
    ind = "vedlikehold_per_kvm"
    y = _profile_year(book, ind)
    if y is None:
        return Prose("Det finnes ennå ingen KOSTRA-tall for vedlikehold per kvm.")
    b, a, lo, hi, asker = (book.value(KOSTRA, ind, g, y) for g in (KOMMUNEN, SNITT, "asss_lavest", "asss_hoyest", "asker"))
    d = book.decimals(ind)
    unit = book.unit_label(ind).replace(" ", NBSP)
    s = f"Bærum brukte {fmt_val(book, ind, b)} på vedlikehold i {y}, mot {fmt_number(a, d)} i snitt i ASSS-nettverket"
    pc = metrics.pct_change(a, b)
    s += "." if pc is None or fmt_number(pc, 1) == "0,0" else f", altså {_pct_words(pc)} snittet."
    if lo is not None and hi is not None:
        s += f" I nettverket varierte tallet fra {fmt_number(lo, d)} til {fmt_number(hi, d)}{NBSP}{unit}"
        s += f", og Asker lå på {fmt_number(asker, d)}." if asker is not None else "."
    return paragraph(s, _not_yet(book, y))


# -- long-term indicators (5.2.3) ------------------------------------------------------
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

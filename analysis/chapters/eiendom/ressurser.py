"""*Eiendom*: the activity table, the introduction and priorities, and resources over time (5.1, 5.2.1)."""

from __future__ import annotations

import polars as pl

from analysis.calc import metrics
from analysis.chapters.eiendom.common import AKTIVITET, ARSVERK, EIENDOM, FORDELING, KOMMUNEN, KPI, PARTICIPLE, text_note
from analysis.data.book import Book
from analysis.present.fmt import BARE_UNITS, fmt_change_pct, fmt_number, fmt_percent, fmt_text_figure, fmt_val, fmt_year_span
from analysis.present.outputs import Prose, TableOutput
from analysis.present.series_tables import tab_series
from analysis.present.text import describe_change, inverted, paragraph, sentence_change, sentence_missing

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
]


def tab_aktivitet(book: Book) -> TableOutput:
    """*Aktivitetsutvikling i Eiendom*: investments, maintenance, dwellings and area, with units in the row labels."""
    inds = book.ordered(book.obs(AKTIVITET)["indicator"].to_list())
    labels = {i: book.label(i) if book.unit_of(i) in BARE_UNITS else f"{book.label(i)} ({book.unit_label(i)})" for i in inds}
    return tab_series(
        book, AKTIVITET, id="eiendom-aktivitet", title="Aktivitetsutvikling i Eiendom", indicators=inds, groups=EIENDOM, labels=labels
    )


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
    return Prose(
        f"Målet er at energiforbruket i kommunens eiendomsmasse i {tf.year} skal være redusert med {fmt_text_figure(tf, magnitude=True)}"
        + (f" sammenlignet med {tf.base_year}." if tf.base_year else ".")
    )


def sentence_kommunegarden(book: Book) -> Prose:
    """The rebuilding of Kommunegården, with the planned number of workplaces (a plan: shown before its year)."""
    tf = book.target("kommunegarden_medarbeidere")
    return Prose(
        f"Kommunegården skal rehabiliteres og bygges om slik at den gir plass til opp til {fmt_text_figure(tf)} "
        "medarbeidere i moderne lokaler, "
        f"med egne områder der innbyggerne møter kommunen. Ferdigstillelse er planlagt i {tf.year}."
    )


def sentence_vedlikehold(book: Book) -> Prose:
    """Change in total maintenance (activity table), with the text's differing figure noted."""
    base = sentence_change(book, AKTIVITET, "samlet_vedlikehold", EIENDOM, subject="samlet vedlikehold i Eiendom")
    note = text_note(book, book.claims(AKTIVITET, "samlet_vedlikehold", EIENDOM, "change_pct", book.year, book.year - 1), "{v}")
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
    note = text_note(book, book.claims(KPI, "energiforbruk_eiendomsmasse", KOMMUNEN, "change_pct", book.year, book.year - 1), "{v}")
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
    note = text_note(book, book.claims(AKTIVITET, ind, EIENDOM, "value", book.year), "{v} boliger for " + str(book.year))
    return paragraph(s + ".", note)


def sentence_aktivitet(book: Book) -> Prose:
    """Investments since the first year of the activity table and over the last year; total area."""
    ys = book.years(AKTIVITET)
    if book.year not in ys or len(ys) < 2:
        return sentence_missing(book, AKTIVITET, "brutto_investeringsutgifter", EIENDOM, subject="brutto investeringer") or Prose("")
    y0, y1 = ys[0], book.year
    inv = describe_change(book, AKTIVITET, "brutto_investeringsutgifter", EIENDOM, y0, y1)
    last = describe_change(book, AKTIVITET, "brutto_investeringsutgifter", EIENDOM, y1 - 1, y1, short=True) if y1 - 1 > y0 else None
    areal = describe_change(book, AKTIVITET, "samlet_areal_formalsbygg", EIENDOM, y0, y1)
    return paragraph(
        f"Brutto investeringer {inv}." if inv else None,
        f"Bare fra {y1 - 1} til {y1} {inverted(last, 'investeringene')}." if last else None,
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
    short = describe_change(book, ARSVERK, "arsverk", EIENDOM, yb - 1, yb, short=True)
    if short == "var uendret":
        third = f"Før det var antall årsverk uendret fra {yb - 1} til {yb}."
    elif short:
        verb, amount = short.split(" med ", 1)
        third = f"Før det hadde årsverkene {PARTICIPLE[verb]} med {amount} fra {yb - 1} til {yb}."
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
    ca = describe_change(book, ARSVERK, "arsverk", EIENDOM, y0, y1, short=True)
    ci = describe_change(book, AKTIVITET, "brutto_investeringsutgifter", EIENDOM, y0, y1, short=True)
    s = f"Fra {y0} til {y1} {inverted(ca, 'årsverkene i Eiendom')}, mens brutto investeringer {ci}."
    if pa is not None and pi is not None and pi > pa:
        s += " Bemanningen har dermed vokst mindre enn investeringene."
    return Prose(s)

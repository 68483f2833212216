"""*OSU*, the whole area: priorities, economy, årsverk and sickness absence (source 001, chapter 2.1–2.2.3)."""

from __future__ import annotations

from collections.abc import Sequence

from analysis.calc import metrics
from analysis.chapters.osu.common import AREAS, DQ, TOTAL, about, figure
from analysis.data.book import Book
from analysis.present.charts import chart_shares
from analysis.present.fmt import fmt_change_pct, fmt_percent, fmt_val, fmt_year_span
from analysis.present.outputs import ChartOutput, Prose
from analysis.present.text import describe_change, inverted, list_nb, paragraph, sentence_change, sentence_missing, verb_change

__all__ = [
    "sentence_ett_baerum",
    "sentence_digit_prosjekter",
    "sentence_klimaklok",
    "sentence_kunnskapskommunen",
    "chart_fordeling",
    "sentence_fordeling",
    "sentence_driftsutgifter",
    "sentence_vekst_lonn_andre",
    "sentence_driftsinntekter",
    "sentence_arsverk",
    "sentence_sykefravaer_omrade",
]


def _yearly_changes(values: dict[int, float], years: Sequence[int], decimals: int) -> str:
    """``økte med 3,8 % i 2016, 11,6 % i 2017 og 10,0 % i 2018`` (mixed directions get a verb each)."""
    items = []
    for y in years:
        verb = verb_change(values[y - 1], values[y], decimals)
        pc = metrics.pct_change(values[y - 1], values[y])
        items.append((verb, "" if verb == "var uendret" or pc is None else fmt_percent(abs(pc), 1), y))
    verbs = {v for v, _, _ in items}
    if len(verbs) == 1 and "var uendret" not in verbs:
        return f"{items[0][0]} med " + list_nb([f"{p} i {y}" for _, p, y in items])
    return list_nb([f"{v} i {y}" if v == "var uendret" else f"{v} med {p} i {y}" for v, p, y in items])


def sentence_ett_baerum(book: Book) -> Prose:
    """The leadership programme LUP, with the number of management groups when it is known for the year."""
    tf = book.text_figure("lup_ledergrupper")
    if tf is None:
        return Prose("Et eksempel er ledelsesutviklingsprogrammet LUP, som samler kommunens ledergrupper.")
    return Prose(f"Et eksempel er ledelsesutviklingsprogrammet LUP, der {about(tf)}{figure(tf)} ledergrupper hadde deltatt i {tf.year}.")


def sentence_digit_prosjekter(book: Book) -> Prose:
    """Digitalisation projects under way at the end of the reporting year (001 2.1)."""
    tf = book.text_figure("digit_prosjekter_arsskiftet_2_1")
    tail = "og flere nye idéer utredes i foranalyser."
    if tf is None:
        return Prose(f"Handlingsplanen for digitalisering har satt i gang en rekke prosjekter, {tail}")
    return Prose(f"Ved utgangen av {tf.year} var {about(tf)}{figure(tf)} digitaliseringsprosjekter i gang, {tail}")


def sentence_klimaklok(book: Book) -> Prose:
    """Klimaklok: the car-pooling result and the targets for the municipality as an organisation."""
    parts: list[str | None] = []
    tf = book.text_figure("klimaklok_samkjoring_andel")
    if tf is not None:
        parts.append(
            f"Prosjektet «Samkjøring til fritidsaktivitet» viser at vaner kan endres: {figure(tf)} av dem prosjektet nådde, "
            "bruker samkjøringstilbudet og lar bilen stå."
        )
    reise = book.target("klimaklok_mal_gronn_reise_2020")
    energi = book.target("klimaklok_mal_energi_2020")
    base = energi.base_year
    retning = "lavere" if energi.value < 0 else "høyere"
    parts.append(
        f"For kommunen som virksomhet er målet at {figure(reise)} av de ansatte reiser til jobb med kollektivtransport, "
        f"sykkel eller til fots i {reise.year}, og at energibruken i kommunens bygg skal være {figure(energi)} {retning} "
        f"i {energi.year}" + (f" enn i {base}." if base else " enn i dag.")
    )
    return paragraph(*parts)


def sentence_kunnskapskommunen(book: Book) -> Prose:
    """Research partnerships and new projects, with figures when they are known for the reporting year."""
    uni = book.text_figure("forskning_partnere_universiteter")
    nye = book.text_figure("forskning_nye_prosjekter_2019")
    ntnu = book.text_figure("forskning_nye_prosjekter_ntnu")
    byer = book.text_figure("horisont2020_byer")
    first = (
        f"Gjennom forskningsprosjekter har kommunen fått partnerskap med {figure(uni)} universiteter og høyskoler til."
        if uni
        else "Gjennom forskningsprosjekter har kommunen fått partnerskap med flere universiteter og høyskoler."
    )
    if nye and ntnu:
        second = f"Høsten {nye.year} starter {figure(nye)} nye prosjekter, {figure(ntnu)} av dem sammen med NTNU."
    else:
        second = "Flere nye prosjekter er under planlegging, de fleste sammen med NTNU."
    third = (
        f"Kommunen er også partner i en søknad til EUs rammeprogram for forskning og innovasjon om grønne byområder, "
        f"der {figure(byer)} europeiske byer er med."
        if byer
        else "Kommunen er også partner i en europeisk søknad om grønne byområder."
    )
    return paragraph(first, second, third)


def chart_fordeling(book: Book) -> ChartOutput | Prose:
    """The split of gross expenditure between the three areas (the source's pie chart), latest year up to T."""
    ds = "osu_driftsutgifter_fordeling"
    if not book.years(ds):
        return Prose(f"Figuren kan ikke tegnes: kilden oppgir ingen fordeling for {book.year} eller tidligere.")
    title = "Andel av områdets brutto driftsutgifter"
    return chart_shares(book, ds, id="osu-fordeling", title=title, indicator="andel_brutto_driftsutgifter", groups=list(AREAS))


def sentence_fordeling(book: Book) -> Prose:
    """Which area takes which share of the area's gross expenditure in the reporting year."""
    ds, ind = "osu_driftsutgifter_fordeling", "andel_brutto_driftsutgifter"
    vals = {g: book.value(ds, ind, g) for g in AREAS}
    vals = {g: v for g, v in vals.items() if v is not None}
    if not vals:
        ys = book.years(ds)
        tail = f"; siste fordeling er fra {ys[-1]}" if ys else ""
        return Prose(f"Fordelingen av brutto driftsutgifter på områdene er ikke oppgitt for {book.year}{tail}.")
    order = sorted(vals, key=lambda g: -vals[g])
    items = [f"{fmt_val(book, ind, vals[g])} til {book.group_label(g)}" for g in order]
    return Prose(f"Av områdets brutto driftsutgifter i {book.year} gikk {list_nb(items)}.")


def sentence_driftsutgifter(book: Book) -> Prose:
    """Gross and net expenditure, T−1 to T, and the salary share of gross expenditure."""
    ds = "osu_driftsutgifter"
    miss = sentence_missing(book, ds, "brutto_driftsutgifter", TOTAL, subject="områdets brutto driftsutgifter")
    if miss:
        return miss
    brutto = sentence_change(book, ds, "brutto_driftsutgifter", TOTAL, subject="brutto driftsutgifter")
    netto = sentence_change(book, ds, "netto_driftsutgifter", TOTAL, subject="netto driftsutgifter")
    lonn = book.value(ds, "lonnsutgifter", TOTAL)
    share = None
    if lonn is not None:
        sh = metrics.share_pct(lonn, book.value(ds, "brutto_driftsutgifter", TOTAL))
        share = f"Lønn utgjorde {fmt_percent(sh, 0)} av brutto driftsutgifter i {book.year}, andre driftsutgifter resten."
    return paragraph(brutto, netto, share)


def sentence_vekst_lonn_andre(book: Book) -> Prose:
    """The range of annual growth in salaries and other expenditure over the period, and where the text disagrees."""
    ds = "osu_driftsutgifter"
    parts: list[str | None] = []
    ranges = {}
    for ind, name in (("lonnsutgifter", "lønnsutgiftene"), ("andre_driftsutgifter", "andre driftsutgifter")):
        changes = {y: c for y, c in metrics.change_series(book.series(ds, ind, TOTAL)).items() if c is not None}
        if changes:
            ranges[ind] = (min(changes.values()), max(changes.values()))
            parts.append(f"i {name} mellom {fmt_percent(ranges[ind][0], 1)} og {fmt_percent(ranges[ind][1], 1)}")
    if not ranges:
        return Prose("")
    ys = book.years(ds)
    word = "veksten" if all(lo > 0 for lo, _ in ranges.values()) else "endringen"
    out = [f"Fra {ys[0]} til {ys[-1]} varierte den årlige {word} {', og '.join(parts)}."]
    for ind, name in (("lonnsutgifter", "lønnsutgiftene"), ("andre_driftsutgifter", "andre driftsutgifter")):
        for k, pick in ((0, "min"), (1, "max")):
            tf = book.text_figure(f"{'andre_driftsutgifter' if ind != 'lonnsutgifter' else 'lonnsutgifter'}_vekst_{pick}")
            if tf is None or ind not in ranges or tf.year != ys[-1]:
                continue
            shown = fmt_percent(ranges[ind][k], tf.decimals)
            if shown != figure(tf):
                kind = "laveste" if pick == "min" else "høyeste"
                out.append(f"Kilden oppgir {figure(tf)} som {kind} årlige vekst i {name}, men tabellens tall gir {shown}; {DQ}")
    return paragraph(*out)


def sentence_driftsinntekter(book: Book) -> Prose:
    """Annual growth of gross operating income and the shares of sales and refunds in the reporting year."""
    ds = "osu_driftsutgifter"
    ind = "brutto_driftsinntekter"
    miss = sentence_missing(book, ds, ind, TOTAL, subject="områdets driftsinntekter")
    if miss:
        return miss
    s = book.series(ds, ind, TOTAL)
    years = [y for y in sorted(s) if y - 1 in s]
    first = (
        f"Brutto driftsinntekter {_yearly_changes(s, years, book.decimals(ind))}, til {fmt_val(book, ind, s[book.year])} i {book.year}."
        if years
        else f"Brutto driftsinntekter var {fmt_val(book, ind, s[book.year])} i {book.year}."
    )
    dsi = "osu_driftsinntekter"
    total = book.value(dsi, "driftsinntekter_sum", TOTAL)
    shares = []
    for part, name in (("salgsinntekter", "salgsinntekter"), ("refusjoner", "refusjoner")):
        v = book.value(dsi, part, TOTAL)
        if v is not None and total:
            shares.append(f"{name} {fmt_percent(metrics.share_pct(v, total), 0)}")
    second = f"Av driftsinntektene i {book.year} var {list_nb(shares)}." if shares else None
    return paragraph(first, second)


def _by_direction(book: Book, dataset: str, indicator: str, groups: Sequence[str], y0: int, y1: int) -> str | None:
    """``økte i A (+21,7 %) og B (+2,4 %) og gikk ned i C (−0,5 %)``; ``None`` without both years."""
    d = book.decimals(indicator)
    buckets: dict[str, list[str]] = {"økte": [], "gikk ned": [], "var uendret": []}
    for g in groups:
        a, b = book.value(dataset, indicator, g, y0), book.value(dataset, indicator, g, y1)
        if a is None or b is None:
            continue
        verb = verb_change(a, b, d)
        pc = metrics.pct_change(a, b)
        tail = "" if verb == "var uendret" or pc is None else f" ({fmt_change_pct(pc, 1)})"
        buckets[verb].append(f"{book.group_label(g)}{tail}")
    parts = [f"{verb} i {list_nb(items)}" for verb, items in buckets.items() if items]
    return list_nb(parts) if parts else None


def sentence_arsverk(book: Book) -> Prose:
    """Årsverk of the whole area: T−1 to T, by area, over the period, and the largest annual jump."""
    ds, ind = "osu_arsverk", "arsverk"
    miss = sentence_missing(book, ds, ind, TOTAL, subject="områdets årsverk")
    if miss:
        return miss
    s = book.series(ds, ind, TOTAL)
    out: list[str | None] = []
    ch = describe_change(book, ds, ind, TOTAL, book.year - 1, book.year)
    if ch:
        out.append(f"Områdets samlede ressursinnsats {ch}.")
        areas = _by_direction(book, ds, ind, AREAS, book.year - 1, book.year)
        if areas:
            out.append(f"Årsverkene {areas}.")
    first = min(s)
    if first < book.year - 1:
        whole = inverted(describe_change(book, ds, ind, TOTAL, first, book.year), "ressursinnsatsen")
        out.append(f"Over hele perioden {fmt_year_span(first, book.year)} {whole}.")
    changes = {y: c for y, c in metrics.change_series(s).items() if c is not None}
    if len(changes) > 1:
        jump = max(changes, key=lambda y: abs(changes[y]))
        tf = book.text_figure("stab_stotte_reduksjon_arsverk")
        why = " Det var året da stab- og støttefunksjonene i kommunen ble samlet." if tf is not None and tf.year == jump else ""
        pc = fmt_change_pct(changes[jump], 1)
        out.append(f"Den største endringen fra ett år til det neste kom fra {jump - 1} til {jump} ({pc}).{why}")
    return paragraph(*out)


def sentence_sykefravaer_omrade(book: Book) -> Prose:
    """Sickness absence in the area: the source gives only a chart and a statement against the target."""
    tf = book.text_figure("sykefravar_maltall_2_2_3")
    head = "Kilden viser sykefraværet i områdets tjenester bare i en figur uten tall."
    if tf is None:
        return Prose(head)
    return Prose(f"{head} Ifølge teksten har fraværet ligget stabilt og under kommunens måltall på {figure(tf)}.")

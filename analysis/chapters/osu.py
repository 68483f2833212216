"""Organisasjon, styring og utvikling: the sentences of the OSU chapter.

The chapter covers the whole area (source 001, chapter 2: economy, årsverk,
the administration profile and the KPIs of *Administrasjon felles*) and, as a
section, Organisasjon, styring og administrasjon (chapter 3). Every figure is
read from ``data/`` for the reporting year ``book.year``; a figure missing for
that year is said to be missing, never replaced by an older one.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from analysis.calc import metrics
from analysis.calc.rounding import printed
from analysis.data.book import Book, TextFigure
from analysis.present.charts import chart_shares
from analysis.present.fmt import fmt_change_pct, fmt_number, fmt_percent, fmt_year_span
from analysis.present.outputs import ChartOutput, Prose, TableOutput
from analysis.present.tables import tab_series
from analysis.present.text import capitalize, describe_change, fmt_text_figure, fmt_val, list_nb, paragraph, verb_change

_figure = partial(fmt_text_figure, magnitude=True)
"""A text figure without its sign: the sentences say the direction in words."""

__all__ = [
    "chart_fordeling",
    "sentence_ett_baerum",
    "sentence_digit_prosjekter",
    "sentence_klimaklok",
    "sentence_kunnskapskommunen",
    "sentence_fordeling",
    "sentence_driftsutgifter",
    "sentence_vekst_lonn_andre",
    "sentence_driftsinntekter",
    "sentence_arsverk",
    "sentence_sykefravaer_omrade",
    "sentence_tjenesteprofil",
    "sentence_adm_faste_kroner",
    "sentence_adm_brudd",
    "sentence_adm_to_serier",
    "sentence_kpi_administrasjon",
    "sentence_kpi_sykefravaer",
    "sentence_kpi_heltid",
    "sentence_kpi_sokere",
    "sentence_kpi_efaktura",
    "sentence_turnover",
    "sentence_stab_stotte",
    "sentence_osa_arsverk",
    "sentence_osa_sentralisering",
    "sentence_osa_sum",
    "tab_adm_faste_kroner",
]

TOTAL = "osu_total"
AREAS = ("osa", "digit", "eiendom")
OSA_UNITS = (
    "strategisk_ledelse",
    "hr_og_service",
    "okonomi_og_virksomhetsstyring",
    "strategi_og_utvikling",
    "revisjon_og_formannskap",
    "kemneren_asker_baerum",
)
ADM_2017KR = "brutto_driftsutgifter_administrasjon_per_innbygger_2017kr"
ADM_PROFILE = "brutto_driftsutgifter_administrasjon_per_innbygger"
ADM_KPI = "kpi_brutto_driftsutgifter_administrasjon_per_innbygger"
EIENDOM_KPI = "kpi_brutto_driftsutgifter_forvaltning_eiendom_per_innbygger"

DQ = "avviket er omtalt i @sec-datakvalitet."
"""The pointer to the data-quality appendix, where the source's disagreements with itself are listed."""

SHORT_NAMES = {
    "brutto_driftsutgifter_politisk_styring_per_innbygger": "politisk styring",
    "brutto_driftsutgifter_kontroll_revisjon_per_innbygger": "kontroll og revisjon",
    "brutto_driftsutgifter_administrasjon_per_innbygger": "administrasjon",
    "brutto_driftsutgifter_forvaltning_eiendom_per_innbygger": "forvaltningsutgifter i eiendomsforvaltningen",
    "brutto_driftsutgifter_administrasjonslokaler_per_innbygger": "administrasjonslokaler",
}
"""Short Norwegian names of the profile indicators, for sentences."""


# -- helpers -------------------------------------------------------------------------------


def _about(tf: TextFigure) -> str:
    return "om lag " if tf.approximate else ""


def _latest(book: Book, dataset: str, indicator: str, group: str) -> int | None:
    s = book.series(dataset, indicator, group)
    return max(s) if s else None


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


def _inverted(change: str, subject: str) -> str:
    """Put the subject after the finite verb, for a sentence that opens with an adverbial.

    ``økte fra …`` becomes ``økte ressursinnsatsen fra …``, ``gikk ned fra …``
    becomes ``gikk ressursinnsatsen ned fra …`` (Norwegian verb-second order).
    """
    verb, rest = change.split(" ", 1)
    if rest.startswith(("ned ", "uendret ")):
        particle, rest = rest.split(" ", 1)
        return f"{verb} {subject} {particle} {rest}"
    return f"{verb} {subject} {rest}"


def _missing(book: Book, dataset: str, indicator: str, group: str, subject: str) -> Prose | None:
    """A note when the reporting year's figure is missing (``None`` when it is there)."""
    last = _latest(book, dataset, indicator, group)
    if book.value(dataset, indicator, group) is not None:
        return None
    if last is None:
        return Prose(f"Det finnes ennå ingen tall for {subject}.")
    return Prose(
        f"Tall for {subject} i {book.year} foreligger ikke ennå; siste tall er fra {last} "
        f"({fmt_val(book, indicator, book.value(dataset, indicator, group, last))})."
    )


def _change_or_value(book: Book, dataset: str, indicator: str, group: str, subject: str, y0: int | None = None) -> Prose:
    """``Subject økte fra … i y0 til … i T, …`` or the value alone, or the missing note."""
    miss = _missing(book, dataset, indicator, group, subject)
    if miss:
        return miss
    y0 = book.year - 1 if y0 is None else y0
    ch = describe_change(book, dataset, indicator, group, y0, book.year)
    if ch is None:
        return Prose(f"{capitalize(subject)} var {fmt_val(book, indicator, book.value(dataset, indicator, group))} i {book.year}.")
    return Prose(f"{capitalize(subject)} {ch}.")


# -- the whole area: priorities ------------------------------------------------------------


def sentence_ett_baerum(book: Book) -> Prose:
    """The leadership programme LUP, with the number of management groups when it is known for the year."""
    tf = book.text_figure("lup_ledergrupper")
    if tf is None:
        return Prose("Et eksempel er ledelsesutviklingsprogrammet LUP, som samler kommunens ledergrupper.")
    return Prose(f"Et eksempel er ledelsesutviklingsprogrammet LUP, der {_about(tf)}{_figure(tf)} ledergrupper hadde deltatt i {tf.year}.")


def sentence_digit_prosjekter(book: Book) -> Prose:
    """Digitalisation projects under way at the end of the reporting year (001 2.1)."""
    tf = book.text_figure("digit_prosjekter_arsskiftet_2_1")
    tail = "og flere nye idéer utredes i foranalyser."
    if tf is None:
        return Prose(f"Handlingsplanen for digitalisering har satt i gang en rekke prosjekter, {tail}")
    return Prose(f"Ved utgangen av {tf.year} var {_about(tf)}{_figure(tf)} digitaliseringsprosjekter i gang, {tail}")


def sentence_klimaklok(book: Book) -> Prose:
    """Klimaklok: the car-pooling result and the targets for the municipality as an organisation."""
    parts: list[str | None] = []
    tf = book.text_figure("klimaklok_samkjoring_andel")
    if tf is not None:
        parts.append(
            f"Prosjektet «Samkjøring til fritidsaktivitet» viser at vaner kan endres: {_figure(tf)} av dem prosjektet nådde, "
            "bruker samkjøringstilbudet og lar bilen stå."
        )
    reise = book.target("klimaklok_mal_gronn_reise_2020")
    energi = book.target("klimaklok_mal_energi_2020")
    base = energi.base_year
    retning = "lavere" if energi.value < 0 else "høyere"
    parts.append(
        f"For kommunen som virksomhet er målet at {_figure(reise)} av de ansatte reiser til jobb med kollektivtransport, "
        f"sykkel eller til fots i {reise.year}, og at energibruken i kommunens bygg skal være {_figure(energi)} {retning} "
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
        f"Gjennom forskningsprosjekter har kommunen fått partnerskap med {_figure(uni)} universiteter og høyskoler til."
        if uni
        else "Gjennom forskningsprosjekter har kommunen fått partnerskap med flere universiteter og høyskoler."
    )
    if nye and ntnu:
        second = f"Høsten {nye.year} starter {_figure(nye)} nye prosjekter, {_figure(ntnu)} av dem sammen med NTNU."
    else:
        second = "Flere nye prosjekter er under planlegging, de fleste sammen med NTNU."
    third = (
        f"Kommunen er også partner i en søknad til EUs rammeprogram for forskning og innovasjon om grønne byområder, "
        f"der {_figure(byer)} europeiske byer er med."
        if byer
        else "Kommunen er også partner i en europeisk søknad om grønne byområder."
    )
    return paragraph(first, second, third)


# -- the whole area: economy ---------------------------------------------------------------


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
    miss = _missing(book, ds, "brutto_driftsutgifter", TOTAL, "områdets brutto driftsutgifter")
    if miss:
        return miss
    brutto = _change_or_value(book, ds, "brutto_driftsutgifter", TOTAL, "brutto driftsutgifter")
    netto = _change_or_value(book, ds, "netto_driftsutgifter", TOTAL, "netto driftsutgifter")
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
            if shown != _figure(tf):
                kind = "laveste" if pick == "min" else "høyeste"
                out.append(f"Kilden oppgir {_figure(tf)} som {kind} årlige vekst i {name}, men tabellens tall gir {shown}; {DQ}")
    return paragraph(*out)


def sentence_driftsinntekter(book: Book) -> Prose:
    """Annual growth of gross operating income and the shares of sales and refunds in the reporting year."""
    ds = "osu_driftsutgifter"
    ind = "brutto_driftsinntekter"
    miss = _missing(book, ds, ind, TOTAL, "områdets driftsinntekter")
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


# -- the whole area: årsverk -------------------------------------------------------------


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
    miss = _missing(book, ds, ind, TOTAL, "områdets årsverk")
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
        whole = _inverted(describe_change(book, ds, ind, TOTAL, first, book.year), "ressursinnsatsen")
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
    return Prose(f"{head} Ifølge teksten har fraværet ligget stabilt og under kommunens måltall på {_figure(tf)}.")


# -- the whole area: administration compared ------------------------------------------------


def sentence_tjenesteprofil(book: Book) -> Prose:
    """Bærum against the ASSS average and against Asker, in the latest profile year up to T."""
    ds = "adm_tjenesteprofil"
    ys = book.years(ds)
    if not ys:
        return Prose(f"Tjenesteprofilen for administrasjon foreligger ikke for {book.year}.")
    y = ys[-1]
    over, under, same = [], [], []
    for ind, name in SHORT_NAMES.items():
        b, a = book.value(ds, ind, "kommunen", y), book.value(ds, ind, "asss_snitt", y)
        if b is None or a is None:
            continue
        item = f"{name} ({fmt_number(b, 0)} mot {fmt_val(book, ind, a)})"
        (over if b > a else under if b < a else same).append(item)
    parts = []
    if over:
        parts.append(f"over ASSS-snittet på {list_nb(over)}")
    if under:
        parts.append(f"under snittet på {list_nb(under)}")
    if same:
        parts.append(f"på snittet for {list_nb(same)}")
    out = [f"I {y} lå Bærum {list_nb(parts)}."]
    b, k = book.value(ds, ADM_PROFILE, "kommunen", y), book.value(ds, ADM_PROFILE, "asker", y)
    if b is not None and k is not None:
        cmp = "mer enn" if b > k else "mindre enn" if b < k else "like mye som"
        out.append(f"På administrasjon brukte Bærum {cmp} Asker, som hadde {fmt_val(book, ADM_PROFILE, k)}.")
    if y < book.year:
        out.append(f"Sammenligningen for {book.year} er ikke med i datagrunnlaget.")
    return paragraph(*out)


def sentence_adm_faste_kroner(book: Book) -> Prose:
    """Administration costs per inhabitant in constant kroner: the latest change and the level before."""
    ds, ind = "adm_driftsutgifter_2017kr", ADM_2017KR
    s = book.series(ds, ind, "kommunen")
    if not s:
        return Prose("Det finnes ingen tall i faste kroner for utgiftene til administrasjon.")
    last = max(s)
    out: list[str | None] = []
    if last - 1 in s:
        ch = describe_change(book, ds, ind, "kommunen", last - 1, last)
        out.append(f"Utgiftene til administrasjon per innbygger, målt i faste kroner, {ch}.")
    else:
        out.append(f"Målt i faste kroner var utgiftene {fmt_val(book, ind, s[last])} i {last}.")
    before = [y for y in s if y < last]
    if len(before) > 1:
        lo, hi = min(s[y] for y in before), max(s[y] for y in before)
        out.append(f"I årene {fmt_year_span(min(before), max(before))} lå nivået mellom {fmt_number(lo, 0)} og {fmt_val(book, ind, hi)}.")
    if last < book.year:
        out.append(f"Serien i faste kroner går bare til {last}; tall for {book.year} foreligger ikke.")
    return paragraph(*out)


def sentence_adm_brudd(book: Book) -> Prose:
    """The break in the administration series between the two accounting practices (empty before it)."""
    brudd = book.text_figure("adm_kostra_tidsseriebrudd")
    if brudd is None or brudd.base_year is None:
        return Prose("")
    y0, y1 = brudd.base_year, brudd.year
    a = book.value("adm_driftsutgifter_2017kr", ADM_2017KR, "kommunen", y0)
    b = book.value("adm_driftsutgifter_2017kr", ADM_2017KR, "kommunen", y1)
    what = "Utviklingen"
    if a is not None and b is not None:
        what = {"gikk ned": "Nedgangen", "økte": "Økningen"}.get(verb_change(a, b, 0), "Utviklingen")
    return Prose(
        f"{what} fra {y0} til {y1} skyldes ikke bare lavere aktivitet. Bærum flyttet da administrative utgifter som hører til "
        "tjenesteproduksjonen, fra administrasjonsfunksjonen til de tjenestene de gjelder, for å gjøre tallene mer "
        f"sammenlignbare med ASSS-kommunene. Serien har derfor et brudd, og tallene fra {y1} kan ikke sammenlignes direkte med årene før."
    )


def sentence_adm_to_serier(book: Book) -> Prose:
    """Two series share the name; state both values for their latest common year."""
    a = book.series("adm_driftsutgifter_2017kr", ADM_2017KR, "kommunen")
    k = book.series("adm_kpi", ADM_KPI, "kommunen")
    common = sorted(set(a) & set(k))
    if not common:
        return Prose("")
    y = common[-1]
    if fmt_number(a[y], 0) == fmt_number(k[y], 0):
        return Prose("")
    return Prose(
        f"KPI-tabellen nedenfor bruker en annen serie med samme navn: der er tallet {fmt_val(book, ADM_KPI, k[y])} "
        f"for {y}, mot {fmt_number(a[y], 0)} i tabellen over. Kilden forklarer ikke forskjellen; {DQ}"
    )


# -- the whole area: KPIs ------------------------------------------------------------------


def sentence_kpi_administrasjon(book: Book) -> Prose:
    """Administration and property-management costs per inhabitant: change, trend and change since the base year."""
    ds = "adm_kpi"
    subject = "brutto driftsutgifter til administrasjon per innbygger"
    out: list[Prose | str | None] = [_change_or_value(book, ds, ADM_KPI, "kommunen", subject)]
    t = metrics.trend3(book.series(ds, ADM_KPI, "kommunen"), book.year)
    if t is not None:
        status = metrics.kpi_status(t, book.direction(ADM_KPI), tolerance=0.5)
        if status == metrics.KpiStatus.UNCHANGED:
            out.append(f"Over de tre siste årene var nivået i snitt uendret ({fmt_year_span(book.year - 3, book.year)}).")
        else:
            how = "i den retningen målet peker" if status == metrics.KpiStatus.BETTER else "mot målets retning"
            word = "ned" if t < 0 else "opp"
            out.append(
                f"Fra {book.year - 3} til {book.year} gikk utgiftene i snitt {word} med {fmt_val(book, ADM_KPI, abs(t))} per år, {how}."
            )
    s = book.series(ds, EIENDOM_KPI, "kommunen")
    if s and book.year in s and min(s) < book.year:
        base = min(s)
        out.append(f"Forvaltningsutgiftene i eiendomsforvaltningen {describe_change(book, ds, EIENDOM_KPI, 'kommunen', base, book.year)}.")
    return paragraph(*out)


def sentence_kpi_sykefravaer(book: Book) -> Prose:
    """Total sickness absence, T−1 to T, against the municipality's target when it is stated for the year."""
    ds, ind = "adm_kpi", "sykefravar_total"
    first = _change_or_value(book, ds, ind, "kommunen", "det totale sykefraværet i kommunen")
    v = book.value(ds, ind, "kommunen")
    tf = book.text_figure("sykefravar_mal_2_2_5")
    if v is None or tf is None:
        return first
    reached = v <= tf.value if book.direction(ind) == -1 else v >= tf.value
    verdict = f"Målet om et sykefravær på høyst {_figure(tf)} ble {'nådd' if reached else 'ikke nådd'}."
    return paragraph(first, verdict)


def sentence_kpi_heltid(book: Book) -> Prose:
    """Full-time share (text figures) and the KPI share of part-time under 80 %."""
    out: list[Prose | str | None] = []
    h0, h1 = book.text_figure("andel_heltid_2017_2_2_5"), book.text_figure("andel_heltid_2018_2_2_5")
    if h0 and h1:
        verb = verb_change(h0.value, h1.value, h1.decimals)
        out.append(f"Andelen ansatte med hel stilling {verb} fra {_figure(h0)} i {h0.year} til {_figure(h1)} i {h1.year}.")
    elif h0 or h1:
        h = h1 or h0
        out.append(f"Andelen ansatte med hel stilling var {_figure(h)} i {h.year}.")
    over = book.text_figure("andel_stilling_over_80_2018_2_2_5")
    if over:
        out.append(f"{book.label('andel_stilling_over_80')} var {_figure(over)} i {over.year}.")
    deltid = "andel_deltid_under_80"
    out.append(_change_or_value(book, "adm_kpi", deltid, "kommunen", book.label(deltid).lower()))
    return paragraph(*out)


def sentence_kpi_sokere(book: Book) -> Prose:
    """Applicants per position, T−1 to T, and advertised positions (text figures)."""
    ds, ind = "adm_kpi", "sokere_per_stilling"
    out: list[Prose | str | None] = [_change_or_value(book, ds, ind, "kommunen", "gjennomsnittlig antall søkere per stilling")]
    n, g = book.text_figure("utlyste_stillinger_2018_2_2_5"), book.text_figure("utlyste_stillinger_vekst_2018")
    if n:
        tail = f", {_figure(g)} {'flere' if g.value > 0 else 'færre'} enn året før" if g and g.year == n.year else ""
        out.append(f"Kommunen lyste ut {_figure(n)} stillinger i {n.year}{tail}.")
    return paragraph(*out)


def sentence_kpi_efaktura(book: Book) -> Prose:
    """Share of incoming e-invoices, T−1 to T."""
    return _change_or_value(book, "adm_kpi", "andel_inngaende_efaktura", "kommunen", "andelen inngående fakturaer som kom som e-faktura")


# -- Organisasjon, styring og administrasjon -----------------------------------------------


def sentence_turnover(book: Book) -> Prose:
    """Why the need for HR and payroll support grows: more staff and the turnover rate."""
    tf = book.text_figure("turnover_2018")
    if tf is None:
        return Prose("Flere ansatte og utskifting av medarbeidere gir økt behov for administrative støttetjenester innen HR og lønn.")
    hedge = "nær " if tf.approximate else ""
    return Prose(
        f"Flere ansatte og en turnover på {hedge}{_figure(tf)} i {tf.year} gir økt behov for "
        "administrative støttetjenester innen HR og lønn."
    )


def sentence_stab_stotte(book: Book) -> Prose:
    """The centralisation of staff and support services and the årsverk it removed (empty before it)."""
    tf = book.text_figure("stab_stotte_reduksjon_arsverk")
    if tf is None:
        return Prose("")
    return Prose(
        f"Fra september {tf.year} ble stab- og støttetjenestene samlet, og et nytt servicesenter ble førstelinje for HR, lønn, "
        "regnskap og anskaffelser for alle tjenestesteder. "
        f"Omleggingen reduserte innsatsen på disse oppgavene med {_about(tf)}{_figure(tf)}."
    )


def sentence_osa_arsverk(book: Book) -> Prose:
    """Årsverk in Strategisk ledelse, styring og administrasjon, T−1 to T, and the units that changed most."""
    ds = "osa_arsverk"
    out: list[Prose | str | None] = [_change_or_value(book, "osu_arsverk", "arsverk", "osa", "samlet ressursinnsats i enhetene")]
    d = book.decimals("arsverk")
    diffs = {}
    for g in OSA_UNITS:
        a, b = book.value(ds, "arsverk", g, book.year - 1), book.value(ds, "arsverk", g)
        if a is not None and b is not None and fmt_number(a, d) != fmt_number(b, d):
            diffs[g] = b - a
    up = [g for g in diffs if diffs[g] > 0]
    down = [g for g in diffs if diffs[g] < 0]
    bits = []
    if up:
        g = max(up, key=lambda k: diffs[k])
        bits.append(f"{book.group_label(g)} den største økningen ({fmt_number(diffs[g], d, sign=True)} årsverk)")
    if down:
        g = min(down, key=lambda k: diffs[k])
        bits.append(f"{book.group_label(g)} den største nedgangen ({fmt_number(diffs[g], d)} årsverk)")
    if bits:
        out.append(f"Fra {book.year - 1} til {book.year} hadde {', og '.join(bits)}.")
    return paragraph(*out)


def sentence_osa_sentralisering(book: Book) -> Prose:
    """The jump in HR og service and Økonomi og virksomhetsstyring in the centralisation year (empty before it)."""
    tf = book.text_figure("stab_stotte_reduksjon_arsverk")
    if tf is None:
        return Prose("")
    ds, d = "osa_arsverk", book.decimals("arsverk")
    y0, y1 = tf.year - 1, tf.year
    by_verb: dict[str, list[str]] = {}
    for g in ("hr_og_service", "okonomi_og_virksomhetsstyring"):
        a, b = book.value(ds, "arsverk", g, y0), book.value(ds, "arsverk", g, y1)
        if a is None or b is None:
            continue
        verb = verb_change(a, b, d)
        span = f"på {fmt_number(b, d)}" if verb == "var uendret" else f"fra {fmt_number(a, d)} til {fmt_number(b, d)}"
        by_verb.setdefault(verb, []).append(f"i {book.group_label(g)} {span}")
    if not by_verb:
        return Prose("")
    (verb, items), *rest = by_verb.items()
    clause = _inverted(f"{verb} {list_nb(items)}", "årsverkene")
    for v, its in rest:
        clause += f", mens de {v} {list_nb(its)}"
    why = ", da stab- og støttefunksjoner fra hele kommunen ble samlet der" if set(by_verb) == {"økte"} else ""
    out = [f"Fra {y0} til {y1} {clause}{why}."]
    if book.year > y1:
        out.append(f"Tiltaket kom høsten {y1} og fikk full effekt for hele året først i {y1 + 1}.")
    return paragraph(*out)


def sentence_osa_sum(book: Book) -> Prose:
    """The six units' sum against the printed total for T, and whether rounding explains a gap (empty when equal)."""
    total = book.value("osu_arsverk", "arsverk", "osa")
    parts = [book.value("osa_arsverk", "arsverk", g) for g in OSA_UNITS]
    if total is None or any(p is None for p in parts):
        return Prose("")
    d = book.decimals("arsverk")
    s = sum(parts)
    if fmt_number(s, d) == fmt_number(total, d):
        return Prose("")
    half = printed(total, d).hi - total
    within = abs(s - total) <= half * (len(parts) + 1) + 1e-9
    why = "et avvik som avrunding av tallene kan forklare" if within else "et avvik som er større enn avrunding kan forklare"
    return Prose(
        f"Enhetene summerer til {fmt_val(book, 'arsverk', s)} i {book.year}, mens kildens sum er {fmt_number(total, d)}, {why}; {DQ}"
    )


# -- tables that need a label from the data ------------------------------------------------


def tab_adm_faste_kroner(book: Book) -> TableOutput:
    """Administration costs per inhabitant in constant kroner, with the annual change (001 2.2.4).

    The row is named by the indicator's label, which states the price base.
    """
    return tab_series(
        book,
        "adm_driftsutgifter_2017kr",
        id="osu-adm-faste-kroner",
        title="Brutto driftsutgifter til administrasjon per innbygger i faste kroner",
        indicators=ADM_2017KR,
        groups="kommunen",
        change=False,
        annual_change_of=(ADM_2017KR, "kommunen"),
        labels={"kommunen": book.label(ADM_2017KR)},
    )

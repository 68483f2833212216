"""Chapter: Digitalisering og IT (source 001, chapter 4).

Sentences and the one chapter-specific table for ``notebooks/digit.ipynb``.
Every figure is read from ``data/`` for the reporting year: the unit's
expenditure (``digit_utgifter``), its full-time equivalents (``osu_arsverk``,
group ``digit``), its part of the area's operating expenditure
(``osu_driftsutgifter_fordeling`` and ``osu_driftsutgifter``) and the figures
the source states in its text (``text_figures.csv``, sections 2.1 and 4).

Explanations the source gives for a particular year's change are tied to the
text figure about that year: they appear only when the reporting year is that
year, so a run for another year never explains a change with another year's
reasons.
"""

from __future__ import annotations

import polars as pl

from analysis.calc import metrics
from analysis.calc.rounding import Verdict, judge, printed
from analysis.data.book import Book, TextFigure
from analysis.present.fmt import fmt_cell, fmt_cell_change, fmt_number, fmt_percent, fmt_text_figure, fmt_unit, fmt_year_span
from analysis.present.outputs import Prose, TableOutput
from analysis.present.tables import STUB, table_output
from analysis.present.text import list_nb, paragraph, plural, sentence_change, text_figure_this_year, verb_change

__all__ = [
    "tab_aktivitet",
    "sentence_andel",
    "sentence_prosjekter",
    "sentence_klimaklok",
    "sentence_gevinst",
    "sentence_utgifter",
    "sentence_arsverk",
    "sentence_min_side",
]

GROUP = "digit"
UTGIFTER = "digit_utgifter"
ARSVERK = "osu_arsverk"
FORDELING = "osu_driftsutgifter_fordeling"
OSU_UTGIFTER = "osu_driftsutgifter"
AKTIVITET = ("brutto_investeringsutgifter", "brutto_driftsutgifter")
"""The rows of the source's table *Aktivitetsutvikling – Digitalisering og IT*, in its order."""

_WORDS = ["null", "én", "to", "tre", "fire", "fem", "seks", "sju", "åtte", "ni", "ti", "elleve", "tolv"]


# -- helpers ---------------------------------------------------------------------------------------------------------
def _count(n: float) -> str:
    """A small whole count in words (``seks``), as Norwegian running text writes it; larger ones as digits."""
    return _WORDS[int(n)] if float(n).is_integer() and 0 <= n < len(_WORDS) else fmt_number(n, 0)


def _about(tf: TextFigure, word: str = "rundt") -> str:
    """``rundt 60`` when the source hedges, else the figure alone."""
    return f"{word} {fmt_text_figure(tf)}" if tf.approximate else fmt_text_figure(tf)


def _printed_obs(book: Book, dataset: str, indicator: str, group: str) -> tuple[float, int] | None:
    """The reporting year's value with its printed decimals, or ``None``."""
    df = book.obs(dataset).filter((pl.col("indicator") == indicator) & (pl.col("group") == group) & (pl.col("year") == book.year))
    if df.is_empty():
        return None
    return float(df["value"][0]), int(df["decimals"][0])


def _rose(book: Book, dataset: str, indicator: str) -> bool:
    """Whether the figure rose from the year before to the reporting year, as displayed."""
    s = book.series(dataset, indicator, GROUP)
    if book.year not in s or book.year - 1 not in s:
        return False
    return verb_change(s[book.year - 1], s[book.year], book.decimals(indicator)) == "økte"


def _mill(book: Book, indicator: str, value: float) -> str:
    return fmt_unit(value, book.decimals(indicator), book.unit_label(indicator))


# -- table -----------------------------------------------------------------------------------------------------------
def tab_aktivitet(book: Book, *, id: str = "digit-aktivitet", title: str = "Aktivitetsutvikling i Digitalisering og IT") -> TableOutput:
    """Gross investment and operating expenditure with a row of annual change under each, as the source lays it out.

    Parameters
    ----------
    book : the chapter context; the table ends at the reporting year.
    id : the table's id (its label without ``tbl-``).
    title : the table title; the year span is appended.
    """
    ys = book.years(UTGIFTER)
    rows: dict[str, list[str]] = {STUB: [], **{str(y): [] for y in ys}}
    plain = []
    for ind in AKTIVITET:
        s = book.series(UTGIFTER, ind, GROUP)
        d, ul = book.decimals(ind), book.unit_label(ind)
        rows[STUB] += [book.label(ind), "Årlig endring"]
        for y in ys:
            rows[str(y)] += [fmt_cell(s.get(y), d, ul), fmt_cell_change(s.get(y - 1), s.get(y), ul)]
        plain.append(f"{book.label(ind)}: " + ", ".join(f"{y} {fmt_cell(s.get(y), d, ul)}" for y in ys))
    span = fmt_year_span(ys[0], ys[-1])
    source = book.source_note(UTGIFTER)
    return table_output(
        pl.DataFrame(rows),
        id=id,
        title=f"{title}, {span}",
        subtitle=f"Enhet: {book.unit_label(AKTIVITET[0])}. Årlig endring i prosent fra året før.",
        notes=[source],
        source=source,
        plain=f"{title}, {span} ({book.unit_label(AKTIVITET[0])}). " + "; ".join(plain),
    )


# -- sentences -------------------------------------------------------------------------------------------------------
def sentence_andel(book: Book) -> Prose:
    """DigIT's part of the area's gross operating expenditure in the reporting year.

    States the split the source prints (``osu_driftsutgifter_fordeling``) when it
    exists for the year, and the share the two expenditure tables give; mentions
    briefly when the printed share lies outside what the amounts allow.
    """
    y = book.year
    fordeling = {g: _printed_obs(book, FORDELING, "andel_brutto_driftsutgifter", g) for g in (GROUP, "eiendom", "osa")}
    part = book.value(UTGIFTER, "brutto_driftsutgifter", GROUP)
    whole = book.value(OSU_UTGIFTER, "brutto_driftsutgifter", "osu_total")
    share = metrics.share_pct(part, whole) if part is not None and whole else None
    amounts = f"{_mill(book, 'brutto_driftsutgifter', part)} av {_mill(book, 'brutto_driftsutgifter', whole)}" if share is not None else ""
    if fordeling[GROUP] is None:
        if share is None:
            return Prose(
                f"Tall for hvor stor del av områdets driftsutgifter som gikk til Digitalisering og IT i {y}, foreligger ikke ennå."
            )
        return Prose(
            f"Brutto driftsutgifter i Digitalisering og IT var {_mill(book, 'brutto_driftsutgifter', part)} i {y}. "
            f"Det er {fmt_percent(share, 1)} av de samlede brutto driftsutgiftene på {_mill(book, 'brutto_driftsutgifter', whole)} "
            "i området Organisasjon, styring og utvikling."
        )
    given = sorted(((g, v) for g, v in fordeling.items() if v is not None), key=lambda gv: -gv[1][0])
    parts = [f"{fmt_percent(v, d)} på {book.group_label(g)}" for g, (v, d) in given]
    first = f"Av de samlede brutto driftsutgiftene i området Organisasjon, styring og utvikling i {y} falt {list_nb(parts)}."
    if share is None:
        return Prose(first)
    v, d = fordeling[GROUP]
    possible = (printed(part, book.decimals("brutto_driftsutgifter")) / printed(whole, book.decimals("brutto_driftsutgifter"))).scale(100.0)
    if judge(share, possible, v, d) is Verdict.FINDING:
        side = "høyere" if share > v else "lavere"
        second = (
            f"Regnet ut fra beløpene i kildens tabeller, {amounts}, blir andelen for Digitalisering og IT {fmt_percent(share, 1)}, "
            f"altså noe {side} enn de {fmt_percent(v, d)} kilden oppgir."
        )
    else:
        second = f"Det stemmer med beløpene i kildens tabeller: {amounts}."
    return paragraph(first, second)


def sentence_prosjekter(book: Book) -> Prose:
    """How many digitalisation projects were under way at the turn of the year, with examples of finished ones.

    Empty when the source states no count for the reporting year.
    """
    tf = text_figure_this_year(book, "digit_prosjekter_arsskiftet_4_1_2")
    if tf is None:
        return Prose("")
    ferdige = text_figure_this_year(book, "digit_prosjekter_arsskiftet_2_1")
    examples = (
        f" Blant prosjektene som ble avsluttet i {tf.year}, var trådløst nett i skolene, et fagsystem for klargjøring og "
        "administrasjon av legemidler, en ny portal for avvik og forbedring og utprøving av reguleringsplaner i tre dimensjoner."
        if ferdige is not None
        else ""
    )
    return Prose(f"Ved årsskiftet {tf.year}/{tf.year + 1} var {_about(tf)} digitaliseringsprosjekter i gang.{examples}")


def sentence_klimaklok(book: Book) -> Prose:
    """Climate effects of digitalisation: energy saved on disk storage and paper saved by printing less."""
    lo, hi = book.text_figure("disk_energibesparelse_min_4_1_2"), book.text_figure("disk_energibesparelse_max_4_1_2")
    if lo is not None and hi is not None:
        saving = f"{fmt_number(lo.value, lo.decimals)}–{fmt_percent(hi.value, hi.decimals)} mindre energi"
    else:
        saving = "langt mindre energi"
    disk = f"Når maskinparken fornyes, bruker den nye teknologien for disklagring ifølge leverandøren {saving} enn dagens løsning."
    trees, co2 = book.text_figure("papir_redusert_traer"), book.text_figure("papir_redusert_co2")
    papir = None
    if trees is not None and co2 is not None:
        papir = (
            f"Kommunen har også beregnet hva mindre utskrift på papir har gitt samlet over flere år fram til {max(trees.year, co2.year)}: "
            f"papir tilsvarende {_about(trees, 'cirka')} trær, og utslippene er redusert med {_about(co2, 'om lag')}."
        )
    return paragraph(disk, papir)


def sentence_gevinst(book: Book) -> Prose:
    """Why gains from digitalisation are hard to realise, with the source's example where it applies."""
    tf = book.text_figure("gevinst_eksempel_innsparing")
    example = (
        f"for eksempel når det er beregnet en innsparing på {fmt_text_figure(tf)} for alle tjenesteledere"
        if tf is not None
        else "for eksempel når en beregnet innsparing skal tas ut hos alle tjenesteledere"
    )
    return Prose(
        "**Gevinstrealisering.** Potensialet for effektivisering er stort, men gevinstene er krevende å hente ut. "
        "Kvalitative gevinster er vanskelige å måle. "
        f"En innsparing som er beregnet i ett prosjekt, kan være vanskelig å ta ut, {example}. "
        "Og en innsparing ett sted kan gi økte utgifter et annet sted, for eksempel til lisenser. "
        "Gevinstrealisering skal derfor få mer oppmerksomhet framover, med en helhetlig plan for arbeidet."
    )


def _since_first(book: Book, indicator: str, first: int) -> str | None:
    """``141,1 % høyere`` than in the dataset's first year, judged on the displayed values."""
    s = book.series(UTGIFTER, indicator, GROUP)
    if first not in s or book.year not in s or first == book.year:
        return None
    a, b = s[first], s[book.year]
    pc = metrics.pct_change(a, b)
    if pc is None or fmt_number(a, book.decimals(indicator)) == fmt_number(b, book.decimals(indicator)):
        return "på samme nivå"
    return f"{fmt_percent(abs(pc), 1)} {'høyere' if b > a else 'lavere'}"


def sentence_utgifter(book: Book) -> Prose:
    """The year's change in DigIT's gross investment and operating expenditure, and the level against the first year."""
    inv = sentence_change(
        book, UTGIFTER, "brutto_investeringsutgifter", GROUP, subject="brutto investeringsutgifter i Digitalisering og IT"
    )
    tf = text_figure_this_year(book, "digit_investering_vekst_2018")
    why = None
    if tf is not None and _rose(book, UTGIFTER, "brutto_investeringsutgifter"):
        why = (
            f"Virksomhetsanalysen forklarer økningen i {tf.year} hovedsakelig med fellesinvesteringer for hele kommunen: "
            "et nytt datasenter med tilhørende kommunikasjonsknutepunkt og telefoniløsninger, og systemer som sikrer at kommunen "
            "følger personvernforordningen (GDPR)."
        )
    drift = sentence_change(book, UTGIFTER, "brutto_driftsutgifter", GROUP, subject="brutto driftsutgifter")
    first = book.years(UTGIFTER)[0]
    since = {ind: _since_first(book, ind, first) for ind in AKTIVITET}
    level = None
    if all(since.values()):
        level = (
            f"Sammenlignet med {first} var investeringsutgiftene i {book.year} {since['brutto_investeringsutgifter']} og "
            f"driftsutgiftene {since['brutto_driftsutgifter']}."
        )
    # The source's reason for the growth since the first year belongs to the year it wrote about.
    strategy = None
    if tf is not None and all(v and v.endswith("høyere") for v in since.values()):
        strategy = "Analysen knytter veksten over perioden til prioriteringene i kommunens digitaliseringsstrategi."
    return paragraph(inv, why, drift, level, strategy)


def sentence_arsverk(book: Book) -> Prose:
    """The year's change in DigIT's full-time equivalents, the span of the years before, and the source's explanation."""
    head = sentence_change(book, ARSVERK, "arsverk", GROUP, subject="ressursinnsatsen i Digitalisering og IT")
    s = book.series(ARSVERK, "arsverk", GROUP)
    before = sorted(y for y in s if y < book.year)
    context = None
    if len(before) >= 2:
        y0, y1 = before[0], before[-1]
        lo, hi = min(s[y] for y in before), max(s[y] for y in before)
        d = book.decimals("arsverk")
        pc = metrics.pct_change(s[y0], s[y1])
        if fmt_number(s[y0], d) == fmt_number(s[y1], d) or pc is None:
            compare = f"i {y1} var antallet det samme som i {y0}"
        else:
            compare = f"i {y1} var antallet {fmt_percent(abs(pc), 1)} {'høyere' if s[y1] > s[y0] else 'lavere'} enn i {y0}"
        hi_text = fmt_unit(hi, d, book.unit_label("arsverk"))
        context = f"I årene {fmt_year_span(y0, y1)} varierte antallet mellom {fmt_number(lo, d)} og {hi_text}, og {compare}."
    tf = text_figure_this_year(book, "digit_arsverk_vekst_2018")
    why = None
    if tf is not None and _rose(book, ARSVERK, "arsverk"):
        why = (
            "Ifølge virksomhetsanalysen skyldtes svingningene i de første årene organisatoriske endringer da kommunens digitale "
            f"prosjekter ble samlet, mens veksten i {tf.year} henger sammen med økt innsats på digitalisering. I tillegg til flere egne "
            "årsverk ble det leid inn flere konsulenter for å gjennomføre investeringsprosjektene, blant annet for å få spisskompetanse "
            "i korte perioder. Kilden oppgir ikke tall for konsulentbruken."
        )
    return paragraph(head, context, why)


def sentence_min_side(book: Book) -> Prose:
    """The launch of *Min side* for citizens, with the number of services when the source states it for the year."""
    tf = book.text_figure("min_side_tjenester_2019")
    launch = (
        f"lanseres høsten {tf.year} med {_count(tf.value)} {plural(tf.value, 'enkel tjeneste', 'enkle tjenester')}"
        if tf is not None
        else "skal lanseres med noen få enkle tjenester"
    )
    return Prose(
        "Et sentralt mål er at innbyggerne enkelt skal kunne administrere sine egne tjenester, påmeldinger og søknader. "
        f"«Min side» {launch}. Deretter skal stadig flere tjenester legges inn, slik at løsningen etter hvert gir hver innbygger "
        "det hun eller han trenger ut fra sin livssituasjon. Det lages en egen plan for den videre utrullingen."
    )

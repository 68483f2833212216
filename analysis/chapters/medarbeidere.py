"""Chapter *Medarbeidere*: the municipality's staff (source 001, chapter 6).

Tables and sentences about staff numbers, age, turnover, recruitment,
pensions, competence, apprentices, sickness absence, full-time work and
employees with a minority background. Most figures are stated in the source's
running text, so several tables here are built from text figures stored as
observations (``hr_*``) together with the KPI series in ``adm_kpi``.

Two kinds of text figures are used differently:

* a figure that describes a state in a given year (a grant, a share, a target)
  is only shown when it is about the reporting year (``text_figure_this_year``), so a later
  run never presents it as that year's figure;
* a figure tied to an event (KS changed its guidance in a year) is shown with
  its own year for every reporting year from that year on.

Qualitative statements that the source makes about the reporting year (e.g.
which areas drove the change in sickness absence) are gated the same way, on
the text figure they belong to.

Counts of persons broken down by group appear only in the minority table. Its
small counts are suppressed (``analysis.calc.privacy``), and every output built from
the same figures (the table's CSV and plain text, the chart of shares, the
sentences about the shares) leaves the suppressed cells out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl
from great_tables import GT, loc, style

from analysis import config
from analysis.calc.privacy import MARKER, SuppressedTable, suppress
from analysis.data.book import Book, TextFigure
from analysis.present.charts import chart_bars
from analysis.present.fmt import NBSP, fmt_number, fmt_percent, fmt_year_span
from analysis.present.outputs import ChartOutput, Prose, TableOutput
from analysis.present.tables import STUB, _csv, fmt_change, fmt_value, house_style
from analysis.present.text import (
    capitalize,
    describe_change,
    fmt_obs,
    fmt_text_figure,
    fmt_val,
    list_nb,
    paragraph,
    plural,
    sentence_change,
    sentence_missing,
    text_figure_this_year,
    verb_change,
)

__all__ = [
    "Row",
    "tab_medarbeidere",
    "tab_turnover",
    "tab_kompetanse",
    "tab_laerlinger",
    "tab_sykefravaer",
    "tab_sykefravaer_omrader",
    "tab_heltid",
    "tab_minoritet",
    "chart_minoritet",
    "minoritet_suppression",
    "sentence_bemanning",
    "sentence_endringer",
    "sentence_alder",
    "sentence_turnover",
    "sentence_sokere",
    "sentence_utlyste",
    "sentence_pensjon",
    "sentence_kompetanse",
    "sentence_faglaerte",
    "sentence_laerlinger",
    "sentence_laerlinger_ks",
    "sentence_stipend",
    "sentence_sykefravaer",
    "sentence_fravaer_type",
    "sentence_sykefravaer_omrader",
    "sentence_heltid",
    "sentence_minoritet",
    "sentence_minoritet_omrader",
    "sentence_personvern",
    "sentence_mangfold",
    "sentence_sykefravaer_mal",
]

KOMMUNEN = "kommunen"
SECTORS = ("oppvekst_skole", "oppvekst_barnehage", "pleie_og_omsorg", "helse_og_sosial", "tekniske_tjenester", "ovrige")
"""The kommunalsjef areas of the HR tables, in the source's order."""

_WORDS = {1: "ett", 2: "to", 3: "tre", 4: "fire", 5: "fem", 6: "seks", 7: "sju", 8: "åtte", 9: "ni", 10: "ti", 11: "elleve", 12: "tolv"}


# -- small helpers ---------------------------------------------------------------------------------------------------------------


def _word(n: float) -> str:
    """A count in words up to twelve (neuter: *ett*), digits above."""
    return _WORDS.get(int(n), fmt_number(n, 0)) if float(n).is_integer() else fmt_number(n, 1)


def _pp(x: float, decimals: int = 1) -> str:
    """An unsigned size of a change in percentage points: ``0,6 prosentpoeng``."""
    return f"{fmt_number(abs(x), decimals)}{NBSP}prosentpoeng"


def _inngangen(year: int) -> str:
    """``ved inngangen til 2019`` for the status of ``year`` (data convention: per 1 January of the next year)."""
    return f"ved inngangen til {year + 1}"


def _previous_year(book: Book, dataset: str, indicator: str, group: str) -> int | None:
    """The latest year before the reporting year with a value."""
    earlier = [y for y in book.series(dataset, indicator, group) if y < book.year]
    return max(earlier) if earlier else None


def _describe_latest(book: Book, dataset: str, indicator: str, group: str) -> str | None:
    """``økte fra … i T0 til … i T`` against the latest earlier year, ``var … i T`` without one, ``None`` without T."""
    v = book.value(dataset, indicator, group)
    if v is None:
        return None
    y0 = _previous_year(book, dataset, indicator, group)
    if y0 is None:
        return f"var {fmt_obs(book, dataset, indicator, group, book.year)} i {book.year}"
    return describe_change(book, dataset, indicator, group, y0, book.year)


# -- tables ----------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One row of a chapter table: a series and how to show it."""

    dataset: str
    indicator: str
    group: str = KOMMUNEN
    label: str | None = None
    bold: bool = False
    decimals: int | None = None


def _change_cell(book: Book, indicator: str, prev: float | None, cur: float | None) -> str:
    """Change column: percentage points for shares, years for ages, percent otherwise."""
    if prev is None or cur is None:
        return "–"
    if book.unit_of(indicator) == "ar":
        return f"{fmt_number(cur - prev, book.decimals(indicator), sign=True)}{NBSP}år"
    return fmt_change(prev, cur, book.unit_label(indicator))


def _sources(book: Book, datasets: Sequence[str]) -> str:
    """One ``Kilde: …`` note naming every dataset's source once."""
    parts = [book.source_note(d).removeprefix("Kilde: ").removesuffix(".") for d in dict.fromkeys(datasets)]
    return "Kilde: " + "; ".join(dict.fromkeys(parts)) + "."


def _tab_rows(
    book: Book,
    *,
    id: str,
    title: str,
    rows: Sequence[Row],
    years: int | None = 5,
    change: bool = True,
    notes: Sequence[str] = (),
) -> TableOutput:
    """Series (possibly from several datasets) as rows, years as columns, up to the reporting year.

    Rows without any value in the window are left out. ``change`` adds the change
    from the year before the reporting year when both years are columns.
    """
    series = {r: book.series(r.dataset, r.indicator, r.group) for r in rows}
    all_years = sorted({y for s in series.values() for y in s})
    ys = all_years[-years:] if years else all_years
    shown = [r for r in rows if any(y in series[r] for y in ys)]
    units = {book.unit_label(r.indicator) for r in shown}
    unit = units.pop() if len(units) == 1 else None
    t = book.year
    ch_label = f"Endring {fmt_year_span(t - 1, t)}" if change and t in ys and t - 1 in ys else None
    cols: dict[str, list[str]] = {STUB: [], **{str(y): [] for y in ys}}
    if ch_label:
        cols[ch_label] = []
    plain = []
    for r in shown:
        s = series[r]
        ul = book.unit_label(r.indicator)
        d = book.decimals(r.indicator) if r.decimals is None else r.decimals
        name = r.label or (book.label(r.indicator) if r.group == KOMMUNEN else book.group_label(r.group))
        if unit is None and ul != "%" and ul.lower() not in name.lower():
            name = f"{name} ({ul})"
        cols[STUB].append(name)
        for y in ys:
            cols[str(y)].append(fmt_value(s.get(y), d, ul))
        if ch_label:
            cols[ch_label].append(_change_cell(book, r.indicator, s.get(t - 1), s.get(t)))
        plain.append(f"{name}: " + ", ".join(f"{y} {fmt_value(s[y], d, ul)}" for y in ys if y in s))
    span = (fmt_year_span(ys[0], ys[-1]) if len(ys) > 1 else str(ys[0])) if ys else str(t)
    subtitle = "Prosent" if unit == "%" else (f"Enhet: {unit}" if unit else None)
    source = _sources(book, [r.dataset for r in shown] or [r.dataset for r in rows])
    df = pl.DataFrame(cols) if shown else pl.DataFrame({STUB: ["Ingen tall for perioden"]})
    gt = GT(df, id=f"{id}-table").tab_header(title=f"{title}, {span}", subtitle=subtitle).tab_source_note(source)
    for n in notes:
        gt = gt.tab_source_note(n)
    gt = gt.pipe(house_style).cols_label(**{STUB: ""})
    bold = [i for i, r in enumerate(shown) if r.bold]
    if bold:
        gt = gt.tab_style(style=style.text(weight="bold"), locations=loc.body(rows=bold))
    csv_rows = [[str(v) for v in row] for row in df.iter_rows()]
    header = ["" if c == STUB else c for c in df.columns]
    return TableOutput(id=id, html=gt.as_raw_html(), plain=f"{title}, {span}. " + "; ".join(plain), csv=_csv(header, csv_rows, source))


def tab_medarbeidere(book: Book) -> TableOutput:
    """Årsverk fast ansatte, persons and average age (status at 1 January after each year)."""
    ds = "hr_medarbeidere"
    rows = [
        Row(ds, "arsverk", label="Årsverk fast ansatte", decimals=0),
        Row(ds, "personer_fast_ansatte"),
        Row(ds, "personer_timelonnede"),
        Row(ds, "personer_arbeidsforhold", bold=True),
        Row(ds, "gjennomsnittsalder", label="Gjennomsnittsalder, alle"),
        Row(ds, "gjennomsnittsalder_menn"),
        Row(ds, "gjennomsnittsalder_kvinner"),
    ]
    note = f"Tallene for et år gjelder status ved inngangen til året etter (for {book.year}: {_inngangen(book.year)})."
    return _tab_rows(book, id="medarbeidere-nokkeltall", title="Medarbeidere og gjennomsnittsalder", rows=rows, notes=[note])


def tab_turnover(book: Book) -> TableOutput:
    """Turnover for the municipality and the areas the source names."""
    rows = [Row("hr_turnover", "turnover", KOMMUNEN, label="Bærum kommune", bold=True)]
    rows += [Row("hr_turnover", "turnover", g) for g in SECTORS]
    return _tab_rows(book, id="medarbeidere-turnover", title="Turnover", rows=rows, years=None)


def _break_year(book: Book) -> int | None:
    """First year of Oppvekst barnehage's new scope (from the text figure about it), if within the reporting period."""
    tf = book.text_figure("faglaerte_barnehage_2018")
    return tf.year if tf else None


def tab_kompetanse(book: Book) -> TableOutput:
    """Competence shares: unskilled and skilled workers overall, qualified staff in two areas."""
    ds = "hr_kompetanse"
    rows = [
        Row(ds, "andel_ufaglaerte", label="Ufaglærte, hele kommunen"),
        Row(ds, "andel_fagarbeidere", label="Fagarbeidere, hele kommunen"),
        Row(ds, "andel_faglaerte", "oppvekst_barnehage", label="Faglærte, Oppvekst barnehage"),
        Row(ds, "andel_faglaerte", "pleie_og_omsorg", label="Faglærte, Pleie og omsorg"),
    ]
    notes = []
    brk = _break_year(book)
    if brk is not None:
        notes.append(
            f"Oppvekst barnehage fra {brk}: området fikk da også barnevern og helsetjenester for barn og unge, "
            "så andelen kan ikke sammenlignes med årene før."
        )
    notes.append("Faglærte omfatter både høyskoleutdannede og fagarbeidere.")
    return _tab_rows(book, id="medarbeidere-kompetanse", title="Kompetansesammensetning", rows=rows, years=None, change=False, notes=notes)


def tab_laerlinger(book: Book) -> TableOutput:
    """Apprentices per year, with the yearly change."""
    ds = "hr_laerlinger"
    s = book.series(ds, "antall_laerlinger", KOMMUNEN)
    ys = sorted(s)[-6:]
    cols: dict[str, list[str]] = {STUB: ["Antall lærlinger", "Endring fra året før"]}
    for y in ys:
        prev = s.get(y - 1)
        delta = "–" if prev is None else fmt_number(s[y] - prev, 0, sign=True)
        cols[str(y)] = [fmt_number(s[y], 0), delta]
    df = pl.DataFrame(cols)
    span = fmt_year_span(ys[0], ys[-1])
    source = book.source_note(ds)
    gt = GT(df, id="medarbeidere-laerlinger-table").tab_header(title=f"Antall lærlinger, {span}").tab_source_note(source)
    quirk = _laerlinger_quirk(book)
    if quirk:
        gt = gt.tab_source_note(quirk)
    gt = gt.pipe(house_style).cols_label(**{STUB: ""})
    csv_rows = [[str(v) for v in row] for row in df.iter_rows()]
    plain = f"Antall lærlinger, {span}: " + ", ".join(f"{y} {fmt_number(s[y], 0)}" for y in ys)
    return TableOutput(id="medarbeidere-laerlinger", html=gt.as_raw_html(), plain=plain, csv=_csv([""] + df.columns[1:], csv_rows, source))


def tab_sykefravaer(book: Book) -> TableOutput:
    """Sickness absence in total (KPI series) with its long- and short-term parts."""
    rows = [
        Row("adm_kpi", "sykefravar_total", label="Sykefravær totalt", bold=True),
        Row("hr_sykefravaer", "sykefravar_langtid"),
        Row("hr_sykefravaer", "sykefravar_korttid"),
    ]
    return _tab_rows(book, id="medarbeidere-sykefravaer", title="Sykefravær i kommunen", rows=rows)


def tab_sykefravaer_omrader(book: Book) -> TableOutput:
    """Sickness absence per kommunalsjef area where the source states it, with the municipality."""
    rows = [Row("adm_kpi", "sykefravar_total", label="Bærum kommune", bold=True)]
    rows += [Row("hr_sykefravaer", "sykefravar_total", g) for g in SECTORS]
    note = "Kilden oppgir bare tall for enkelte kommunalsjefområder; de øvrige vises i kildens figur uten tall."
    return _tab_rows(
        book, id="medarbeidere-sykefravaer-omrader", title="Sykefravær per kommunalsjefområde", rows=rows, years=2, notes=[note]
    )


def tab_heltid(book: Book) -> TableOutput:
    """Position sizes: full-time share, share above 80 %, part-time share below 80 % (KPI)."""
    rows = [
        Row("hr_heltid_deltid", "andel_heltid"),
        Row("hr_heltid_deltid", "andel_stilling_over_80"),
        Row("adm_kpi", "andel_deltid_under_80"),
    ]
    return _tab_rows(book, id="medarbeidere-heltid", title="Stillingsstørrelse", rows=rows)


# -- minority background (privacy: small counts of persons are suppressed, ``analysis.calc.privacy``) ----------------------------------

_MINORITET_COLUMNS = (
    ("arsverk_minoritetsbakgrunn", "Årsverk"),
    ("menn_minoritetsbakgrunn", "Menn"),
    ("kvinner_minoritetsbakgrunn", "Kvinner"),
    ("andel_minoritetsbakgrunn", "Andel"),
)
_MINORITET_COUNTS = ("menn_minoritetsbakgrunn", "kvinner_minoritetsbakgrunn")
"""The counts of persons in the minority table: the lines of its suppression (per year: rows, and columns with *Totalt*)."""
_MINORITET_DERIVED = {"arsverk_minoritetsbakgrunn": _MINORITET_COUNTS, "andel_minoritetsbakgrunn": _MINORITET_COUNTS}
"""Derived cells and their counts: a row's *Årsverk* and *Andel* describe the same persons as its men and women
(årsverk of those persons; their share of the area's staff), so they are hidden when either count is. The change
in the share is hidden when the share of either year is."""
_CHANGE = "endring"
"""Column key of the change in the share in ``_minoritet_hidden``."""


def minoritet_suppression(book: Book, min_count: int | None = None) -> dict[int, SuppressedTable]:
    """Suppression of the minority counts, per year with counts (each year is its own table of lines).

    Parameters
    ----------
    min_count : smallest count shown (default ``config.PRIVACY_MIN_COUNT``).
    """
    ds, out = "hr_minoritet", {}
    for y in book.years(ds):
        rows = [g for g in (*SECTORS, KOMMUNEN) if any(book.value(ds, c, g, y) is not None for c in _MINORITET_COUNTS)]
        if rows:
            frame = pl.DataFrame(
                {"group": rows, **{c: [book.value(ds, c, g, y) for g in rows] for c in _MINORITET_COUNTS}},
                schema={"group": pl.String, **{c: pl.Float64 for c in _MINORITET_COUNTS}},
            )
            out[y] = suppress(
                frame, key="group", counts=_MINORITET_COUNTS, total_row=KOMMUNEN, threshold=min_count, derived=_MINORITET_DERIVED
            )
    return out


def _hidden_in(supp: dict[int, SuppressedTable], year: int, group: str, indicator: str) -> bool:
    st = supp.get(year)
    return st is not None and st.is_hidden(group, indicator)


def _minoritet_layout(book: Book, years: int = 2) -> tuple[list[int], list[str]]:
    """The minority table's years (the latest ``years`` with årsverk) and rows (areas with figures, then the municipality)."""
    ds = "hr_minoritet"
    obs = book.obs(ds).filter(pl.col("indicator") == "arsverk_minoritetsbakgrunn")
    ys = sorted(set(obs["year"].to_list()))[-years:]
    groups = [g for g in SECTORS if any(book.value(ds, "arsverk_minoritetsbakgrunn", g, y) is not None for y in ys)] + [KOMMUNEN]
    return ys, groups


def _minoritet_hidden(book: Book, years: int = 2, min_count: int | None = None) -> tuple[set[tuple[str, str]], int]:
    """The minority table's hidden cells as ``(group, "<indicator> <year>")`` or ``(group, "endring")``, and how many are primary."""
    supp = minoritet_suppression(book, min_count)
    ys, groups = _minoritet_layout(book, years)
    hidden = {(g, f"{ind} {y}") for g in groups for y in ys for ind, _ in _MINORITET_COLUMNS if _hidden_in(supp, y, g, ind)}
    t = book.year
    if t in ys and t - 1 in ys:
        hidden |= {(g, _CHANGE) for g in groups if any(_hidden_in(supp, y, g, "andel_minoritetsbakgrunn") for y in (t - 1, t))}
    primary = sum(1 for y in ys if y in supp for g, _ in supp[y].primary if g in groups)
    return hidden, primary


def _minoritet_cell(book: Book, indicator: str, value: float | None, hidden: bool = False) -> str:
    """One cell of the minority table: ``privacy.MARKER`` when the cell is suppressed, else the formatted value."""
    return MARKER if hidden else fmt_value(value, book.decimals(indicator), book.unit_label(indicator))


def tab_minoritet(book: Book, years: int = 2, min_count: int | None = None) -> TableOutput:
    """Employees with a minority background per area: årsverk, men, women and share, for the latest years.

    Small counts of persons, the cells that would give them away and the figures derived from them are
    suppressed (``minoritet_suppression``); the HTML, the CSV and the plain text all show ``privacy.MARKER``.
    """
    ds = "hr_minoritet"
    ys, groups = _minoritet_layout(book, years)
    hidden, _ = _minoritet_hidden(book, years, min_count)
    t = book.year
    ch_label = f"Endring andel {fmt_year_span(t - 1, t)}" if t in ys and t - 1 in ys else None
    cols: dict[str, list[str]] = {STUB: []}
    for y in ys:
        for ind, _ in _MINORITET_COLUMNS:
            cols[f"{ind} {y}"] = []
    if ch_label:
        cols[ch_label] = []
    plain = []
    for g in groups:
        cols[STUB].append("Totalt" if g == KOMMUNEN else book.group_label(g))
        for y in ys:
            for ind, _ in _MINORITET_COLUMNS:
                cols[f"{ind} {y}"].append(_minoritet_cell(book, ind, book.value(ds, ind, g, y), (g, f"{ind} {y}") in hidden))
        if ch_label:
            s = book.series(ds, "andel_minoritetsbakgrunn", g)
            cols[ch_label].append(MARKER if (g, _CHANGE) in hidden else fmt_change(s.get(t - 1), s.get(t), "%"))
        a = book.value(ds, "andel_minoritetsbakgrunn", g, ys[-1]) if ys else None
        hide_a = bool(ys) and (g, f"andel_minoritetsbakgrunn {ys[-1]}") in hidden
        plain.append(f"{cols[STUB][-1]} {MARKER if hide_a else fmt_value(a, 1, '%')}")
    df = pl.DataFrame(cols)
    span = fmt_year_span(ys[0], ys[-1]) if len(ys) > 1 else (str(ys[0]) if ys else str(t))
    source = book.source_note(ds)
    gt = (
        GT(df, id="medarbeidere-minoritet-table")
        .tab_header(
            title=f"Medarbeidere med minoritetsbakgrunn per kommunalsjefområde, {span}",
            subtitle="Menn og kvinner: antall personer. Andel: prosent av områdets medarbeidere.",
        )
        .tab_source_note(source)
        .tab_source_note("Minoritetsbakgrunn etter SSBs definisjon av innvandrere: personer født i utlandet av to utenlandske foreldre.")
    )
    if hidden:
        gt = gt.tab_source_note(_personvern_note(min_count))
    for y in ys:
        names = [f"{ind} {y}" for ind, _ in _MINORITET_COLUMNS]
        gt = gt.tab_spanner(label=str(y), columns=names, id=f"medarbeidere-minoritet-{y}")
        gt = gt.cols_label(**{f"{ind} {y}": lab for ind, lab in _MINORITET_COLUMNS})
    gt = gt.pipe(house_style).cols_label(**{STUB: ""})
    gt = gt.tab_style(style=style.text(weight="bold"), locations=loc.body(rows=[len(groups) - 1]))
    labels = dict(_MINORITET_COLUMNS)
    header = [""] + [f"{labels[c.rsplit(' ', 1)[0]]} {c.rsplit(' ', 1)[1]}" if c != ch_label else c for c in df.columns[1:]]
    csv_rows = [[str(v) for v in row] for row in df.iter_rows()]
    return TableOutput(
        id="medarbeidere-minoritet",
        html=gt.as_raw_html(),
        plain=f"Andel medarbeidere med minoritetsbakgrunn, {ys[-1] if ys else t}: " + "; ".join(plain),
        csv=_csv(header, csv_rows, source),
    )


def _threshold(min_count: int | None) -> int:
    return config.PRIVACY_MIN_COUNT if min_count is None else int(min_count)


def _personvern_note(min_count: int | None) -> str:
    """The table's own note on its suppressed cells (only when it has any)."""
    return (
        f"«{MARKER}»: holdt tilbake av personvernhensyn, fordi gruppen har færre enn {fmt_number(_threshold(min_count), 0)} personer, "
        "eller fordi et slikt tall ellers kunne regnes ut."
    )


def sentence_personvern(book: Book, min_count: int | None = None) -> Prose:
    """The suppression rule, with the threshold from config, and how many cells of the minority table it hides.

    Returns
    -------
    Prose : the rule, then either that nothing had to be hidden or how many figures are hidden (and how many
        of them are small groups).
    """
    n = fmt_number(_threshold(min_count), 0)
    hidden, primary = _minoritet_hidden(book, min_count=min_count)
    rule = (
        f"Av personvernhensyn viser tabellene ikke hvor mange personer en gruppe har når den har færre enn {n} personer "
        f"(null vises); slike tall står som «{MARKER}». For at et skjult tall ikke skal kunne regnes ut fra summene, "
        "er minst ett annet tall i samme rad og i samme kolonne også skjult, og det samme gjelder årsverk og andeler "
        "for de samme personene."
    )
    if not hidden:
        return paragraph(rule, "I @tbl-medarbeidere-minoritet var det ikke nødvendig å skjule noen tall.")
    small = "ingen" if primary == 0 else fmt_number(primary, 0)
    return paragraph(
        rule,
        f"I @tbl-medarbeidere-minoritet er {fmt_number(len(hidden), 0)} tall skjult; {small} av dem gjelder en gruppe med færre enn "
        f"{n} personer, de øvrige er skjult for at slike tall ikke skal kunne regnes ut.",
    )


def chart_minoritet(book: Book, min_count: int | None = None) -> ChartOutput | Prose:
    """Bars of the share per area and for the municipality, latest two years.

    An area whose share is suppressed in either year is left out (the table shows it as suppressed);
    when every share is suppressed, a sentence says so instead of the chart.
    """
    supp = minoritet_suppression(book, min_count)
    ys = book.years("hr_minoritet")[-2:]
    groups = [g for g in (*SECTORS, KOMMUNEN) if not any(_hidden_in(supp, y, g, "andel_minoritetsbakgrunn") for y in ys)]
    if not groups:
        return Prose("Figuren er utelatt fordi alle andelene er skjult av personvernhensyn.")
    return chart_bars(
        book,
        "hr_minoritet",
        id="medarbeidere-minoritet-omrader",
        title="Andel medarbeidere med minoritetsbakgrunn",
        indicator="andel_minoritetsbakgrunn",
        groups=groups,
        years=2,
    )


# -- sentences: staff ------------------------------------------------------------------------------------------------------------


def sentence_bemanning(book: Book) -> Prose:
    """Årsverk and persons at the start of the year after the reporting year.

    Returns
    -------
    Prose : the staff figures, their change from the year before when it exists,
        or a note that the reporting year's figures are not available yet.
    """
    ds, t = "hr_medarbeidere", book.year
    arsverk = book.value(ds, "arsverk", KOMMUNEN)
    fast = book.value(ds, "personer_fast_ansatte", KOMMUNEN)
    timel = book.value(ds, "personer_timelonnede", KOMMUNEN)
    total = book.value(ds, "personer_arbeidsforhold", KOMMUNEN)
    if arsverk is None and fast is None:
        return Prose(f"Tall for antall årsverk og medarbeidere {_inngangen(t)} foreligger ikke ennå.")
    parts = []
    if arsverk is not None:
        head = f"{capitalize(_inngangen(t))} hadde kommunen {fmt_val(book, 'arsverk', arsverk, decimals=0)} med fast ansatte"
        parts.append(head + (f", fordelt på {fmt_number(fast, 0)} personer." if fast is not None else "."))
    else:
        parts.append(f"{capitalize(_inngangen(t))} hadde kommunen {fmt_number(fast, 0)} fast ansatte.")
    if timel is not None:
        parts.append(f"I tillegg var {fmt_number(timel, 0)} {plural(timel, 'person', 'personer')} timelønnet.")
    if total is None and fast is not None and timel is not None:
        total = fast + timel
    if total is not None:
        parts.append(f"Til sammen hadde {fmt_number(total, 0)} personer et arbeidsforhold i kommunen.")
    prev = book.value(ds, "arsverk", KOMMUNEN, t - 1)
    if prev is not None and arsverk is not None:
        verb = verb_change(prev, arsverk, 0)
        if verb == "var uendret":
            parts.append(f"Antallet årsverk var det samme {_inngangen(t - 1)}.")
        else:
            parts.append(f"Antallet årsverk {verb} fra {fmt_number(prev, 0)} {_inngangen(t - 1)}.")
    return paragraph(*parts)


def sentence_endringer(book: Book) -> Prose:
    """Organisational changes the source says affect the reporting year's HR statistics (only for that year)."""
    if text_figure_this_year(book, "arsverk_fast_ansatte") is None:
        return Prose("")
    return Prose(
        f"Statistikken for {book.year} er påvirket av to endringer: kommunalsjefområdet Barn og unge ble lagt ned, og avlastere "
        "gikk fra å være oppdragstakere til å bli ansatte. Det samme gjaldt delvis for brukerstyrt personlig assistanse (BPA)."
    )


def sentence_alder(book: Book) -> Prose:
    """Average age in the reporting year, against the latest earlier year, and by sex."""
    ds, t = "hr_medarbeidere", book.year
    missing = sentence_missing(book, ds, "gjennomsnittsalder", KOMMUNEN, subject="medarbeidernes gjennomsnittsalder")
    if missing:
        return missing
    v = book.value(ds, "gjennomsnittsalder", KOMMUNEN)
    parts = [f"Medarbeiderne var i gjennomsnitt {fmt_val(book, 'gjennomsnittsalder', v)} gamle i {t}."]
    y0 = _previous_year(book, ds, "gjennomsnittsalder", KOMMUNEN)
    if y0 is not None:
        v0 = book.value(ds, "gjennomsnittsalder", KOMMUNEN, y0)
        verb = verb_change(v0, v, 1, up="høyere", down="lavere", same="det samme")
        if verb == "det samme":
            parts.append(f"Det er det samme som i {y0}.")
        else:
            parts.append(f"Det er {fmt_number(abs(v - v0), 1)}{NBSP}år {verb} enn i {y0} ({fmt_val(book, 'gjennomsnittsalder', v0)}).")
    m = book.value(ds, "gjennomsnittsalder_menn", KOMMUNEN)
    k = book.value(ds, "gjennomsnittsalder_kvinner", KOMMUNEN)
    if m is not None and k is not None:
        parts.append(
            f"Mennene var i snitt {fmt_val(book, 'gjennomsnittsalder_menn', m)} "
            f"og kvinnene {fmt_val(book, 'gjennomsnittsalder_kvinner', k)}."
        )
    if text_figure_this_year(book, "gjennomsnittsalder_2018") is not None:
        parts.append("Ifølge kilden er medarbeiderne i Bærum yngre enn i kommunesektoren ellers i landet.")
    return paragraph(*parts)


# -- sentences: recruitment and turnover -----------------------------------------------------------------------------------------


def sentence_turnover(book: Book) -> Prose:
    """Turnover for the municipality and the named areas, with the area that changed most."""
    ds, t = "hr_turnover", book.year
    parts = [str(sentence_change(book, ds, "turnover", KOMMUNEN, subject="turnover for kommunen samlet"))]
    changes = {}
    for g in SECTORS:
        desc = _describe_latest(book, ds, "turnover", g)
        if desc is None:
            continue
        s = book.series(ds, "turnover", g)
        sentence = f"Turnover i {book.group_label(g)} {desc}"
        first = min(s)
        y0 = _previous_year(book, ds, "turnover", g)
        if y0 is not None and first < y0:
            sentence += f"; i {first} var den {fmt_val(book, 'turnover', s[first])}"
        parts.append(sentence + ".")
        if t - 1 in s:
            changes[g] = s[t] - s[t - 1]
    if len(changes) > 1:
        g = max(changes, key=lambda k: abs(changes[k]))
        parts.append(
            f"Av områdene med tall endret turnover seg mest i {book.group_label(g)} "
            f"({fmt_number(changes[g], 1, sign=True)}{NBSP}prosentpoeng)."
        )
    lo, hi = text_figure_this_year(book, "turnover_variasjon_min"), text_figure_this_year(book, "turnover_variasjon_max")
    if lo is not None and hi is not None:
        parts.append(
            f"Ifølge kilden har turnover de siste årene endret seg med mellom {fmt_number(lo.value, lo.decimals)} og "
            f"{fmt_number(hi.value, hi.decimals)}{NBSP}prosentpoeng fra ett år til det neste, og rådmannen vurderer nivået som akseptabelt."
        )
    return paragraph(*parts)


def sentence_sokere(book: Book) -> Prose:
    """Applicants per advertised position in the reporting year against the two years before, and the run of changes."""
    ds, ind, t = "hr_rekruttering", "sokere_per_stilling", book.year
    missing = sentence_missing(book, ds, ind, KOMMUNEN, subject="antall søkere per stilling")
    if missing:
        return missing
    s = book.series(ds, ind, KOMMUNEN)
    v = s[t]
    earlier = sorted((y for y in s if y < t), reverse=True)[:2]
    head = f"I gjennomsnitt var det {fmt_number(v, 0)} {plural(v, 'søker', 'søkere')} per utlyst stilling i {t}"
    if earlier:
        head += ", mot " + list_nb([f"{fmt_number(s[y], 0)} i {y}" for y in earlier])
    parts = [head + "."]
    if t - 1 in s:
        verb = verb_change(s[t - 1], v, 0)
        run, y = 0, t
        while y - 1 in s and verb_change(s[y - 1], s[y], 0) == verb:
            run, y = run + 1, y - 1
        if verb == "var uendret":
            parts.append("Antallet var dermed det samme som året før.")
        elif run >= 2:
            parts.append(f"Antallet har dermed {'gått ned' if verb == 'gikk ned' else 'økt'} {_word(run)} år på rad.")
        else:
            parts.append(f"Antallet {'økte dermed' if verb == 'økte' else 'gikk dermed ned'} fra året før.")
    return paragraph(*parts)


def sentence_utlyste(book: Book) -> Prose:
    """Advertised positions in the reporting year, with the change the source states when the year before is not in the data."""
    ds, ind, t = "hr_rekruttering", "utlyste_stillinger", book.year
    v = book.value(ds, ind, KOMMUNEN)
    if v is None:
        return Prose(f"Antall utlyste stillinger i {t} foreligger ikke ennå.")
    head = f"Kommunen lyste ut {fmt_number(v, 0)} {plural(v, 'stilling', 'stillinger')} i {t}"
    prev = book.value(ds, ind, KOMMUNEN, t - 1)
    if prev is not None:
        return Prose(f"Antall utlyste stillinger {describe_change(book, ds, ind, KOMMUNEN, t - 1, t)}.")
    tf = text_figure_this_year(book, "utlyste_stillinger_endring_2018")
    if tf is not None:
        more = "flere" if tf.value > 0 else "færre"
        head += f", ifølge kilden {fmt_percent(abs(tf.value), tf.decimals)} {more} enn året før (tallet for året før er ikke oppgitt)"
    return Prose(head + ".")


def sentence_pensjon(book: Book) -> Prose:
    """Pension withdrawals: graded AFP among teachers in SPK, and the reach of the new public pension (reporting year only)."""
    afp, ny = text_figure_this_year(book, "laerere_spk_gradert_afp"), text_figure_this_year(book, "ny_pensjonsordning_andel")
    parts = []
    if afp is not None:
        parts.append(
            f"Uttaket av AFP økte i {afp.year}, fordi store årskull nå kan gå av helt eller delvis. Av lærerne i Statens pensjonskasse "
            f"valgte {fmt_text_figure(afp)} gradert AFP, og stadig flere ansatte velger delvis AFP. Uttaket av "
            "alderspensjon var stabilt, og "
            "uførepensjonene økte bare litt. Pensjonsleverandørene melder også at flere ansatte kommer tilbake i arbeid etter en periode "
            "med uførepensjon."
        )
    if ny is not None:
        near = "nær " if ny.approximate else ""
        parts.append(f"Den nye offentlige tjenestepensjonen vil omfatte {near}{fmt_text_figure(ny)} av kommunens ansatte.")
    return paragraph(*parts)


# -- sentences: competence -------------------------------------------------------------------------------------------------------


def sentence_kompetanse(book: Book) -> Prose:
    """Unskilled, skilled workers and (computed) the rest with higher education, for the reporting year."""
    ds, t = "hr_kompetanse", book.year
    u, f = book.value(ds, "andel_ufaglaerte", KOMMUNEN), book.value(ds, "andel_fagarbeidere", KOMMUNEN)
    if u is None or f is None:
        return Prose(f"Tall for kompetansesammensetningen i kommunen i {t} foreligger ikke ennå.")
    rest = 100 - u - f
    return Prose(
        f"I {t} var {fmt_percent(u, 1)} av medarbeiderne ufaglærte og {fmt_percent(f, 1)} fagarbeidere. "
        f"De øvrige, {fmt_percent(rest, 1)}, har utdanning fra høyskole eller universitet."
    )


def sentence_faglaerte(book: Book) -> Prose:
    """Qualified staff in kindergartens (with the break in comparability) and in Pleie og omsorg."""
    ds, ind, t = "hr_kompetanse", "andel_faglaerte", book.year
    parts = []
    s = book.series(ds, ind, "oppvekst_barnehage")
    brk = _break_year(book)
    comparable = sorted(y for y in s if brk is None or y < brk)
    if len(comparable) > 1:
        y0, y1 = comparable[0], comparable[-1]
        parts.append(
            f"Andelen faglærte i Oppvekst barnehage {describe_change(book, ds, ind, 'oppvekst_barnehage', y0, y1)}. "
            "Det skyldes at assistenter bevisst er erstattet med fagarbeidere."
        )
    elif comparable:
        parts.append(f"I Oppvekst barnehage var andelen faglærte {fmt_val(book, ind, s[comparable[-1]])} i {comparable[-1]}.")
    if brk is not None and t in s:
        parts.append(
            f"Fra {brk} hører også barnevern og helsetjenester for barn og unge til området, så andelen på {fmt_val(book, ind, s[t])} "
            f"i {t} kan ikke sammenlignes med årene før {brk}."
        )
    p = book.value(ds, ind, "pleie_og_omsorg")
    if p is not None:
        parts.append(f"I Pleie og omsorg var andelen faglærte {fmt_val(book, ind, p)} i {t}.")
        if text_figure_this_year(book, "faglaerte_pleie_omsorg_2018") is not None:
            parts.append(
                "Andelen har økt gradvis, og det er gruppen med høyskoleutdanning som har vokst, mens fagarbeidere og ufaglærte er "
                "blitt noe færre det siste året – et resultat av en bevisst satsing på kompetanse i tjenesten."
            )
    else:
        parts.append(f"Tall for andelen faglærte i Pleie og omsorg i {t} foreligger ikke ennå.")
    return paragraph(*parts)


def sentence_laerlinger(book: Book) -> Prose:
    """Apprentices in the reporting year against the year before and the first year of the series."""
    ds, ind = "hr_laerlinger", "antall_laerlinger"
    s = book.series(ds, ind, KOMMUNEN)
    parts = [str(sentence_change(book, ds, ind, KOMMUNEN, subject="antallet lærlinger"))]
    if book.year in s and len(s) > 2:
        first = min(s)
        diff = s[book.year] - s[first]
        word = "færre" if diff > 0 else "flere"
        parts.append(
            f"Ved starten av perioden, i {first}, var det {fmt_number(s[first], 0)} lærlinger"
            + (f", altså {fmt_number(abs(diff), 0)} {word} enn i {book.year}." if diff else f", like mange som i {book.year}.")
        )
    return paragraph(*parts)


def _laerlinger_quirk(book: Book) -> str | None:
    """The source's table header names one year twice; the second column can only be the second year of the series."""
    ys = sorted(book.series("hr_laerlinger", "antall_laerlinger", KOMMUNEN))
    if len(ys) < 2:
        return None
    return (
        f"Kildetabellen har en feil i overskriften: den andre kolonnen har samme årstall som en senere kolonne. "
        f"Ut fra rekkefølgen må den gjelde {ys[1]}, og tallet er her ført på det året."
    )


def sentence_laerlinger_ks(book: Book) -> Prose:
    """KS guidance on apprentices per thousand inhabitants (an event: shown with its year from that year on)."""
    old, new = book.text_figure("ks_foring_laerlinger_tidligere"), book.text_figure("ks_foring_laerlinger_2018")
    if old is None or new is None:
        return Prose("")
    return Prose(
        f"KS har tidligere anbefalt at kommunene har {fmt_text_figure(old)} "
        f"{plural(old.value, 'lærling', 'lærlinger')} per tusen innbyggere. "
        f"I {new.year} ble anbefalingen endret til {fmt_text_figure(new)} per tusen innbyggere."
    )


def sentence_stipend(book: Book) -> Prose:
    """Yearly grants for further education (reporting year only)."""
    tf = text_figure_this_year(book, "stipendmidler")
    if tf is None:
        return Prose("")
    return Prose(f"Kommunen deler hvert år ut {fmt_text_figure(tf)} i stipend til videre- og etterutdanning.")


# -- sentences: sickness absence -------------------------------------------------------------------------------------------------


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
        return Prose(f"Kommunens mål er et sykefravær på {fmt_text_figure(tf)}; i {book.year} lå fraværet {_pp(gap)} under målet.")
    return Prose(
        f"Kommunens mål er et sykefravær på {fmt_text_figure(tf)}; i {book.year} lå fraværet {_pp(gap)} over "
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
            parts.append(f"Fraværet i {book.group_label(g)} {verb} med {_pp(tf.value, tf.decimals)} til {fmt_percent(v, 1)} i {t}.")
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
            f"Ifølge kilden hadde {_word(below.value)} av kommunalsjefområdene lavere fravær enn kommunen samlet "
            f"({fmt_percent(total, 1)}). Det er områdene innen Velferd som står for nedgangen, mens Plan, miljø og kultur, "
            "Organisasjon og utvikling og Tekniske tjenester hadde høyere fravær enn året før."
        )
    return paragraph(*parts)


# -- sentences: position size and diversity --------------------------------------------------------------------------------------


def sentence_heltid(book: Book) -> Prose:
    """Full-time share, share above 80 % and the part-time KPI."""
    ds = "hr_heltid_deltid"
    parts = [str(sentence_change(book, ds, "andel_heltid", KOMMUNEN, subject="andelen medarbeidere i hel stilling"))]
    over = book.value(ds, "andel_stilling_over_80", KOMMUNEN)
    if over is not None:
        tail = book.label("andel_stilling_over_80").removeprefix("Andel med ")
        parts.append(f"{capitalize(fmt_percent(over, 0))} av medarbeiderne hadde {tail}.")
    deltid = _describe_latest(book, "adm_kpi", "andel_deltid_under_80", KOMMUNEN)
    if deltid is not None:
        parts.append(f"Indikatoren «{book.label('andel_deltid_under_80')}» {deltid}.")
    if text_figure_this_year(book, "andel_heltid_2018") is not None:
        parts.append(
            "Andelen i hel stilling lå stabilt i årene før, og økningen betyr at den gjennomsnittlige stillingsstørrelsen har gått opp. "
            "I Pleie og omsorg ser utviklingen ut til å gå motsatt vei: andelen i hel stilling går ned og andelen deltid øker."
        )
    return paragraph(*parts)


def _kommunen_hidden(book: Book, min_count: int | None) -> bool:
    """Whether the municipality's own minority figures (reporting year or the year before) are suppressed."""
    supp = minoritet_suppression(book, min_count)
    return any(_hidden_in(supp, y, KOMMUNEN, "andel_minoritetsbakgrunn") for y in (book.year - 1, book.year))


def sentence_minoritet(book: Book, min_count: int | None = None) -> Prose:
    """Share of employees with a minority background, its change, the first year, and the size of the group.

    When the municipality's counts are suppressed (``minoritet_suppression``), it says so instead.
    """
    ds, t = "hr_minoritet", book.year
    subject = "andelen medarbeidere med minoritetsbakgrunn"
    missing = sentence_missing(book, ds, "andel_minoritetsbakgrunn", KOMMUNEN, subject=subject)
    if missing:
        return missing
    if _kommunen_hidden(book, min_count):
        return Prose(
            f"Tallene for medarbeidere med minoritetsbakgrunn i kommunen samlet er skjult av personvernhensyn ({fmt_year_span(t - 1, t)})."
        )
    parts = [f"{capitalize(subject)} {_describe_latest(book, ds, 'andel_minoritetsbakgrunn', KOMMUNEN)}."]
    s = book.series(ds, "andel_minoritetsbakgrunn", KOMMUNEN)
    y0 = _previous_year(book, ds, "andel_minoritetsbakgrunn", KOMMUNEN)
    first = min(s) if s else None
    if t in s and first is not None and y0 is not None and first < y0:
        parts.append(f"I {first} var andelen {fmt_obs(book, ds, 'andel_minoritetsbakgrunn', KOMMUNEN, first)}.")
    a = book.value(ds, "arsverk_minoritetsbakgrunn", KOMMUNEN)
    m, k = book.value(ds, "menn_minoritetsbakgrunn", KOMMUNEN), book.value(ds, "kvinner_minoritetsbakgrunn", KOMMUNEN)
    if a is not None and m is not None and k is not None:
        parts.append(
            f"I {t} hadde {fmt_number(m + k, 0)} medarbeidere minoritetsbakgrunn ({fmt_number(m, 0)} menn og {fmt_number(k, 0)} kvinner), "
            f"til sammen {fmt_val(book, 'arsverk_minoritetsbakgrunn', a)}."
        )
    return paragraph(*parts)


def sentence_minoritet_omrader(book: Book, min_count: int | None = None) -> Prose:
    """Highest and lowest share among the areas, and the area with the largest change (suppressed shares left out)."""
    ds, ind, t = "hr_minoritet", "andel_minoritetsbakgrunn", book.year
    supp = minoritet_suppression(book, min_count)
    now = {g: book.value(ds, ind, g) for g in SECTORS if book.value(ds, ind, g) is not None}
    if not now:
        return Prose(f"Tall for minoritetsbakgrunn per kommunalsjefområde i {t} foreligger ikke ennå.")
    left_out = [g for g in now if any(_hidden_in(supp, y, g, ind) for y in (t - 1, t))]
    now = {g: v for g, v in now.items() if g not in left_out}
    if not now:
        return Prose("Andelene per kommunalsjefområde er skjult av personvernhensyn.")
    hi, lo = max(now, key=now.get), min(now, key=now.get)
    parts = [
        f"Andelen var høyest i {book.group_label(hi)} ({fmt_percent(now[hi], 1)}) "
        f"og lavest i {book.group_label(lo)} ({fmt_percent(now[lo], 1)})."
    ]
    changes = {g: now[g] - p for g in now if (p := book.value(ds, ind, g, t - 1)) is not None}
    if changes:
        g = max(changes, key=lambda k: abs(changes[k]))
        verb = verb_change(0, changes[g], 1, up="økte", down="gikk ned")
        if verb != "var uendret":
            parts.append(f"Størst endring fra {t - 1} hadde {book.group_label(g)}, der andelen {verb} med {_pp(changes[g])}.")
            if g == "oppvekst_barnehage" and text_figure_this_year(book, "minoritet_andel_2018") is not None:
                parts.append(f"Ifølge kilden henger det trolig sammen med omorganiseringen av området i {t}.")
    if left_out:
        names = list_nb([book.group_label(g) for g in left_out])
        parts.append(f"{names} er ikke med i sammenligningen, fordi tallene der er skjult av personvernhensyn.")
    return paragraph(*parts)


def sentence_mangfold(book: Book, min_count: int | None = None) -> Prose:
    """For *Handle nå*: the overall share with a minority background against its lower share among leaders."""
    v = book.value("hr_minoritet", "andel_minoritetsbakgrunn", KOMMUNEN)
    if v is None or text_figure_this_year(book, "minoritet_andel_over_13") is None or _kommunen_hidden(book, min_count):
        return Prose("")
    return Prose(
        f"{capitalize(fmt_percent(v, 1))} av kommunens medarbeidere hadde minoritetsbakgrunn i {book.year}, men andelen er klart lavere "
        "blant lederne."
    )

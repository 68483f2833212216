"""*Medarbeidere*: employees with a minority background, with small counts of persons suppressed.

Counts of persons broken down by group appear only in the minority table. Its
small counts are suppressed (``analysis.calc.privacy``), and every output built from
the same figures (the table's CSV and plain text, the chart of shares, the
sentences about the shares) leaves the suppressed cells out.
"""

from __future__ import annotations

import polars as pl

from analysis import config
from analysis.calc.privacy import MARKER, SuppressedTable, suppress
from analysis.chapters.medarbeidere.common import KOMMUNEN, SECTORS, pp, previous_year
from analysis.data.book import Book
from analysis.present.charts import chart_bars
from analysis.present.fmt import fmt_cell, fmt_cell_change, fmt_number, fmt_obs, fmt_percent, fmt_val, fmt_year_span
from analysis.present.outputs import ChartOutput, Prose, TableOutput
from analysis.present.tables import STUB, Spanner, table_output
from analysis.present.text import capitalize, describe_change, list_nb, paragraph, sentence_missing, text_figure_this_year, verb_change

__all__ = [
    "minoritet_suppression",
    "tab_minoritet",
    "chart_minoritet",
    "sentence_personvern",
    "sentence_minoritet",
    "sentence_minoritet_omrader",
    "sentence_mangfold",
]


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
    return MARKER if hidden else fmt_cell(value, book.decimals(indicator), book.unit_label(indicator))


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
            cols[ch_label].append(MARKER if (g, _CHANGE) in hidden else fmt_cell_change(s.get(t - 1), s.get(t), "%"))
        a = book.value(ds, "andel_minoritetsbakgrunn", g, ys[-1]) if ys else None
        hide_a = bool(ys) and (g, f"andel_minoritetsbakgrunn {ys[-1]}") in hidden
        plain.append(f"{cols[STUB][-1]} {MARKER if hide_a else fmt_cell(a, 1, '%')}")
    df = pl.DataFrame(cols)
    span = fmt_year_span(ys[0], ys[-1]) if len(ys) > 1 else (str(ys[0]) if ys else str(t))
    source = book.source_note(ds)
    definition = "Minoritetsbakgrunn etter SSBs definisjon av innvandrere: personer født i utlandet av to utenlandske foreldre."
    labels = dict(_MINORITET_COLUMNS)
    return table_output(
        df,
        id="medarbeidere-minoritet",
        title=f"Medarbeidere med minoritetsbakgrunn per kommunalsjefområde, {span}",
        subtitle="Menn og kvinner: antall personer. Andel: prosent av områdets medarbeidere.",
        notes=[source, definition] + ([_personvern_note(min_count)] if hidden else []),
        source=source,
        plain=f"Andel medarbeidere med minoritetsbakgrunn, {ys[-1] if ys else t}: " + "; ".join(plain),
        csv_header=[""] + [f"{labels[c.rsplit(' ', 1)[0]]} {c.rsplit(' ', 1)[1]}" if c != ch_label else c for c in df.columns[1:]],
        spanners=[
            Spanner(
                str(y),
                [f"{ind} {y}" for ind, _ in _MINORITET_COLUMNS],
                f"medarbeidere-minoritet-{y}",
                {f"{ind} {y}": lab for ind, lab in _MINORITET_COLUMNS},
            )
            for y in ys
        ],
        bold_rows=[len(groups) - 1],
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
    parts = [f"{capitalize(subject)} {describe_change(book, ds, 'andel_minoritetsbakgrunn', KOMMUNEN)}."]
    s = book.series(ds, "andel_minoritetsbakgrunn", KOMMUNEN)
    y0 = previous_year(book, ds, "andel_minoritetsbakgrunn", KOMMUNEN)
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
            parts.append(f"Størst endring fra {t - 1} hadde {book.group_label(g)}, der andelen {verb} med {pp(changes[g])}.")
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

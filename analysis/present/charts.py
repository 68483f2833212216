"""Charts: altair builders in one theme, each with generated alt text.

Every builder takes the chapter ``Book`` first and returns a ``ChartOutput``:
the Vega-Lite spec (drawn in the HTML book by the vega-embed bundle the book
ships), a static PNG for the PDF (drawn by vl-convert with the Norwegian
number locale, ``present.png``) and alt text that states the figures in words, generated from
the same data. Colours are colour-blind safe and reach 4.5:1 against white;
series are told apart by shape too, never by colour alone.

Building blocks (every chart of the book is made with them): ``chart_output``
(theme, font, PNG, alt text and CSV download of a finished altair chart) and
``alt_text`` (the alt text's form: kind of chart, what it shows, the figures).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import altair as alt
import polars as pl

from analysis.calc import metrics
from analysis.data.book import Book, resolve_series
from analysis.present import fonts
from analysis.present.fmt import NBSP, d3_locale, fmt_cell, fmt_number, fmt_year_span
from analysis.present.outputs import ChartOutput, csv_text
from analysis.present.png import vegalite_png
from analysis.present.tables import COMPARATORS

__all__ = [
    "PALETTE",
    "enable_theme",
    "alt_text",
    "axis_decimals",
    "value_axis",
    "label_room",
    "year_colours",
    "chart_output",
    "chart_series",
    "chart_bars",
    "chart_profile",
    "chart_shares",
]

PALETTE = ["#0072B2", "#B34700", "#1A1A1A", "#767676"]
"""Blue, a darkened Okabe–Ito vermilion, near-black and grey: each at least 4.5:1 against white, and
any first n of them told apart under deuteranopia, protanopia and tritanopia too (CAM02-UCS ΔE ≥ 20,
``tests/test_charts.py``). A chart has at most this many series; they differ by shape as well."""
SHAPES = ["circle", "square", "triangle-up", "diamond"]
TEXT = "#1A1A1A"
WIDTH, HEIGHT = 520, 260
PNG_SCALE = 2


def _theme() -> dict:
    return {
        "config": {
            "font": fonts.FAMILY,
            "view": {"continuousWidth": WIDTH, "continuousHeight": HEIGHT, "stroke": None},
            "range": {"category": PALETTE},
            "axis": {
                "labelColor": TEXT,
                "titleColor": TEXT,
                "labelFontSize": 12,
                "titleFontSize": 12,
                "domainColor": "#555555",
                "tickColor": "#555555",
                "gridColor": "#E0E0E0",
            },
            "legend": {
                "labelColor": TEXT,
                "titleColor": TEXT,
                "labelFontSize": 12,
                "titleFontSize": 12,
                "orient": "bottom",
                "direction": "vertical",
                "labelLimit": 400,
            },
            "title": {"color": TEXT, "fontSize": 14, "anchor": "start"},
            "text": {"color": TEXT},
            "background": "#FFFFFF",
        }
    }


@alt.theme.register("virksomhetsanalyse", enable=False)
def _registered_theme() -> alt.theme.ThemeConfig:
    return _theme()  # type: ignore[return-value]


def enable_theme() -> None:
    """Make the book's theme the active altair theme."""
    alt.theme.enable("virksomhetsanalyse")


def alt_text(kind: str, about: str, figures: Sequence[str], sep: str = "; ") -> str:
    """``Linjediagram: Årsverk per område, 2014–2018. A: 1 i 2014 og 2 i 2018; B: ….``

    ``kind`` names the chart (*Linjediagram*, *Stolpediagram*, *Prikkdiagram*),
    ``about`` says what it shows (title, unit, years), ``figures`` state its figures
    in words, so that a reader who cannot see the chart reads the same.
    """
    return f"{kind}: {about}. " + sep.join(figures) + "."


def chart_output(
    chart: alt.TopLevelMixin, *, id: str, alt: str, header: Sequence[str], rows: Sequence[Sequence[object]], source: str
) -> ChartOutput:
    """A finished chart: the book's theme and font, the PNG for the PDF, ``alt`` as its description and alt text,
    and the CSV download of ``rows`` under ``header`` with ``source`` as its *Kilde* column."""
    enable_theme()
    fonts.register_for_charts()
    spec = chart.to_dict()
    spec["description"] = alt
    png = vegalite_png(spec, PNG_SCALE, d3_locale())  # drawn by vl-convert, or kept from an earlier run of the build
    return ChartOutput(id=id, spec=spec, png=png, alt=alt, csv=csv_text(header, rows, source))


def _fmt_axis(decimals: int) -> str:
    return f",.{decimals}f"


AXIS_TICKS = 5
"""About how many ticks a value axis gets; their step, and so their decimals, follow from the range."""


def axis_decimals(lo: float, hi: float, ticks: int = AXIS_TICKS) -> int:
    """The decimals a value axis over ``lo``–``hi`` needs: those of a nice step (1, 2 or 5 × 10ⁿ) for about ``ticks`` ticks."""
    span = abs(hi - lo) or abs(hi) or 1.0
    raw = span / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw * (1 - 1e-9))
    return max(0, -math.floor(math.log10(step) + 1e-9))


def value_axis(values: Sequence[float], *, zero: bool, title: str | None, **kw: object) -> alt.Axis:
    """A value axis whose ticks never repeat a label: the format shows as many decimals as the
    tick step the range calls for, and no tick is closer than one unit of the last decimal shown."""
    lo, hi = min(values, default=0.0), max(values, default=0.0)
    if zero:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    d = axis_decimals(lo, hi)
    return alt.Axis(format=_fmt_axis(d), tickMinStep=10.0**-d, tickCount=AXIS_TICKS, title=title, **kw)


LABEL_FONT_SIZE = 12
"""The size of axis labels (px; the theme's ``labelFontSize``)."""


def label_room(labels: Sequence[object]) -> int:
    """The width (px) the longest axis label needs in the book's font; the plot gets the rest of the chart's width.

    The axes themselves never cut a label (``labelLimit=0``): in a browser, vega may measure the
    labels before Lato has loaded, with a wider fallback face."""
    return math.ceil(max((fonts.text_width(str(x), LABEL_FONT_SIZE) for x in labels), default=0.0)) + 4


def year_colours(n: int) -> list[str]:
    """Colours for ``n`` years side by side: distinct hues of ``PALETTE`` (never two shades of one hue), the latest year blue."""
    return PALETTE[:n][::-1]


def chart_series(
    book: Book,
    dataset: str,
    *,
    id: str,
    title: str,
    indicators: Sequence[str] | str,
    groups: Sequence[str] | str,
    years: int = 6,
    labels: dict[str, str] | None = None,
    zero: bool = True,
) -> ChartOutput:
    """A line chart of one or more series over the latest ``years`` years.

    ``indicators`` or ``groups`` is a list (the series); the other a single id.
    The alt text states each series' first and last value.
    """
    series, by_group = resolve_series(indicators, groups)
    labels = labels or {}
    ys = book.years(dataset)[-years:]
    recs = []
    for ind, grp in series:
        name = labels.get(grp if by_group else ind) or (book.group_label(grp) if by_group else book.label(ind))
        for y, v in sorted(book.series(dataset, ind, grp).items()):
            if y in ys:
                recs.append({"Serie": name, "År": str(y), "Verdi": v})
    df = pl.DataFrame(recs)
    ind0 = series[0][0]
    d, unit = book.decimals(ind0), book.unit_label(ind0)
    names = list(dict.fromkeys(df["Serie"].to_list()))
    if len(names) > len(PALETTE):
        raise ValueError(f"{id}: {len(names)} series in one chart; at most {len(PALETTE)} can be told apart (split the chart)")
    enc_color = alt.Color("Serie:N", sort=names, scale=alt.Scale(domain=names, range=PALETTE[: len(names)]), title=None)
    enc_shape = alt.Shape("Serie:N", sort=names, scale=alt.Scale(domain=names, range=SHAPES[: len(names)]), title=None)
    base = alt.Chart(df).encode(
        x=alt.X("År:O", title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("Verdi:Q", axis=value_axis(df["Verdi"].to_list(), zero=zero, title=str(unit)), scale=alt.Scale(zero=zero)),
        color=enc_color,
        tooltip=[alt.Tooltip("Serie:N"), alt.Tooltip("År:O"), alt.Tooltip("Verdi:Q", format=_fmt_axis(d))],
    )
    # no title in the image: the figure's caption is its one title
    chart = (base.mark_line(strokeWidth=2) + base.mark_point(filled=True, size=60, opacity=1).encode(shape=enc_shape)).properties(
        width=WIDTH, height=HEIGHT
    )
    parts = []
    for n in names:
        sub = df.filter(pl.col("Serie") == n)
        first, last = sub.row(0, named=True), sub.row(-1, named=True)
        parts.append(f"{n}: {fmt_cell(first['Verdi'], d, unit)} i {first['År']} og {fmt_cell(last['Verdi'], d, unit)} i {last['År']}")
    unit_words = "" if unit == "%" else f" ({unit!s})"
    about = f"{title}{unit_words}, {fmt_year_span(int(ys[0]), int(ys[-1]))}"
    return chart_output(
        chart,
        id=id,
        alt=alt_text("Linjediagram", about, parts),
        header=["Serie", "År", f"Verdi ({unit!s})"],
        rows=df.rows(),
        source=book.source_note(dataset),
    )


def chart_bars(
    book: Book,
    dataset: str,
    *,
    id: str,
    title: str,
    indicator: str,
    groups: Sequence[str],
    years: int = 2,
    labels: dict[str, str] | None = None,
) -> ChartOutput:
    """Horizontal bars per group for the latest ``years`` years (years side by side, told apart by colour and label)."""
    labels = labels or {}
    ys = book.years(dataset)[-years:]
    recs = []
    for g in groups:
        for y in ys:
            v = book.value(dataset, indicator, g, y)
            if v is not None:
                recs.append({"Gruppe": labels.get(g, book.group_label(g)), "År": str(y), "Verdi": v})
    df = pl.DataFrame(recs)
    d, unit = book.decimals(indicator), book.unit_label(indicator)
    order = list(dict.fromkeys(df["Gruppe"].to_list()))
    year_labels = [str(y) for y in ys]
    room = label_room(order)
    bars = alt.Chart(df).encode(
        y=alt.Y("Gruppe:N", sort=order, title=None, axis=alt.Axis(labelLimit=0)),
        yOffset=alt.YOffset("År:N", sort=year_labels),
        x=alt.X("Verdi:Q", axis=value_axis(df["Verdi"].to_list(), zero=True, title=str(unit))),
        color=alt.Color("År:N", sort=year_labels, scale=alt.Scale(domain=year_labels, range=year_colours(len(year_labels))), title=None),
        tooltip=[alt.Tooltip("Gruppe:N"), alt.Tooltip("År:N"), alt.Tooltip("Verdi:Q", format=_fmt_axis(d))],
    )
    text = bars.mark_text(align="left", dx=3, fontSize=11).encode(text=alt.Text("Verdi:Q", format=_fmt_axis(d)), color=alt.value(TEXT))
    chart = (bars.mark_bar() + text).properties(width=max(WIDTH - room, WIDTH // 2))
    parts = []
    for g in order:
        sub = df.filter(pl.col("Gruppe") == g)
        parts.append(f"{g}: " + ", ".join(f"{fmt_cell(v, d, unit)} i {y}" for y, v in zip(sub["År"], sub["Verdi"], strict=True)))
    return chart_output(
        chart,
        id=id,
        alt=alt_text("Stolpediagram", title, parts),
        header=["Gruppe", "År", f"Verdi ({unit!s})"],
        rows=df.rows(),
        source=book.source_note(dataset),
    )


def chart_shares(
    book: Book, dataset: str, *, id: str, title: str, indicator: str, groups: Sequence[str], year: int | None = None
) -> ChartOutput:
    """Shares of a whole as labelled horizontal bars (easier to read than a pie)."""
    year = year or max(y for y in book.years(dataset))
    recs = [{"Gruppe": book.group_label(g), "Andel": book.value(dataset, indicator, g, year)} for g in groups]
    df = pl.DataFrame(recs).filter(pl.col("Andel").is_not_null())
    d = book.decimals(indicator)
    order = df.sort("Andel", descending=True)["Gruppe"].to_list()
    room = label_room(order)
    base = alt.Chart(df).encode(
        y=alt.Y("Gruppe:N", sort=order, title=None, axis=alt.Axis(labelLimit=0)),
        x=alt.X("Andel:Q", scale=alt.Scale(domain=[0, 100]), axis=value_axis([0.0, 100.0], zero=True, title=f"Andel i {year} (%)")),
    )
    # each bar's share written with its unit (the locale's percent sign: «12,8 %»)
    labels = base.transform_calculate(Andelsbrok="datum.Andel / 100").mark_text(align="left", dx=4, fontSize=12)
    chart = (
        base.mark_bar(color=PALETTE[0]) + labels.encode(text=alt.Text("Andelsbrok:Q", format=f".{d}%"), color=alt.value(TEXT))
    ).properties(width=max(WIDTH - room, WIDTH // 2), height=40 * len(order) + 20)
    parts = [f"{g} {fmt_cell(v, d, '%')}" for g, v in zip(df["Gruppe"], df["Andel"], strict=True)]
    return chart_output(
        chart,
        id=id,
        alt=alt_text("Stolpediagram", f"{title}, {year}", parts, sep=", "),
        header=["Gruppe", "Andel (%)"],
        rows=df.rows(),
        source=book.source_note(dataset),
    )


def chart_profile(book: Book, dataset: str, *, id: str, title: str, indicators: Sequence[str] | None = None) -> ChartOutput:
    """Tjenesteprofil: Bærum and Asker as an index of the ASSS average (= 100), with the network's range.

    Indicators with different units become comparable as an index; the grey bar
    spans the lowest to the highest ASSS municipality.
    """
    obs = book.obs(dataset).filter(pl.col("group").is_in(COMPARATORS))
    if indicators is None:
        indicators = book.ordered(obs.filter(pl.col("group") == "asss_snitt")["indicator"].to_list())
    year = max(obs.filter(pl.col("indicator").is_in(list(indicators)))["year"].to_list())
    ranges, points = [], []
    alt_parts = []
    for ind in indicators:
        avg = book.value(dataset, ind, "asss_snitt", year)
        if not avg:
            continue
        idx = {g: (book.value(dataset, ind, g, year) or 0) / avg * 100 for g in COMPARATORS}
        name = book.label(ind)
        ranges.append({"Indikator": name, "Lavest": idx["asss_lavest"], "Høyest": idx["asss_hoyest"]})
        points.append({"Indikator": name, "Kommune": "Bærum", "Indeks": idx["kommunen"]})
        points.append({"Indikator": name, "Kommune": "Asker", "Indeks": idx["asker"]})
        diff = metrics.pct_change(avg, book.value(dataset, ind, "kommunen", year) or 0)
        word = "over" if diff > 0 else "under" if diff < 0 else "lik"
        alt_parts.append(
            f"{name!s}: Bærum {fmt_number(abs(diff), 0)}{NBSP}% {word} snittet" if word != "lik" else f"{name!s}: Bærum lik snittet"
        )
    order = [r["Indikator"] for r in ranges]
    rdf, pdf = pl.DataFrame(ranges), pl.DataFrame(points)
    room = label_room(order)
    y = alt.Y("Indikator:N", sort=order, title=None, axis=alt.Axis(labelLimit=0))
    index_values = [*rdf["Lavest"].to_list(), *rdf["Høyest"].to_list(), *pdf["Indeks"].to_list(), 100.0]
    index_title = f"Indeks, ASSS-snitt = 100 ({year})"
    bar = (
        alt.Chart(rdf)
        .mark_bar(color="#D0D0D0", height=12)
        .encode(y=y, x=alt.X("Lavest:Q", axis=value_axis(index_values, zero=True, title=index_title)), x2="Høyest:Q")
    )
    rule = alt.Chart(pl.DataFrame({"x": [100.0]})).mark_rule(color="#555555", strokeDash=[4, 3]).encode(x="x:Q")
    kommuner = ["Bærum", "Asker"]
    pts = (
        alt.Chart(pdf)
        .mark_point(filled=True, size=90, opacity=1)
        .encode(
            y=y,
            x="Indeks:Q",
            color=alt.Color("Kommune:N", scale=alt.Scale(domain=kommuner, range=[PALETTE[0], PALETTE[1]]), title=None),
            shape=alt.Shape("Kommune:N", scale=alt.Scale(domain=kommuner, range=["circle", "diamond"]), title=None),
            tooltip=[alt.Tooltip("Indikator:N"), alt.Tooltip("Kommune:N"), alt.Tooltip("Indeks:Q", format=",.0f")],
        )
    )
    chart = (bar + rule + pts).properties(width=max(WIDTH - room, WIDTH // 2), height=36 * len(order) + 20)
    about = f"{title}, {year}, som indeks der ASSS-snittet er 100 og grå stolper viser spennet fra lavest til høyest i ASSS"
    return chart_output(
        chart,
        id=id,
        alt=alt_text("Prikkdiagram", about, alt_parts),
        header=["Indikator", "Kommune", "Indeks (ASSS-snitt = 100)"],
        rows=[(r["Indikator"], r["Kommune"], r["Indeks"]) for r in pdf.to_dicts()],
        source=book.source_note(dataset),
    )

"""Tables: great-tables builders in one house style.

Every builder takes the chapter ``Book`` first, returns a ``TableOutput`` and
formats every figure with ``analysis.present.fmt`` (the same formatter as charts and
sentences). Derived columns (change, trend, status) are computed here from the
data, never read from the source's printed derived values.

Builders: ``tab_series`` (a time series per row, with change), ``tab_kpi``
(KPIs with target direction, trend and status in words and colour),
``tab_profile`` (Bærum against the ASSS network and Asker), ``tab_cross``
(groups × indicators for the latest years).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import polars as pl
from great_tables import GT, loc, style
from great_tables._gt_data import Heading

from analysis.calc import metrics
from analysis.data.book import Book, resolve_series
from analysis.present import fonts
from analysis.present.fmt import NBSP, fmt_change_pct, fmt_number, fmt_percent, fmt_year_span
from analysis.present.outputs import TableOutput, csv_text

__all__ = [
    "house_style",
    "column_widths",
    "is_numeric_column",
    "tab_series",
    "tab_kpi",
    "tab_profile",
    "tab_cross",
    "fmt_value",
    "fmt_change",
    "STATUS_COLOURS",
]

STUB = "Rad"
STATUS_COLOURS = {
    metrics.KpiStatus.BETTER: "#D9F0E3",
    metrics.KpiStatus.WORSE: "#FADBD8",
    metrics.KpiStatus.UNCHANGED: "#EEEEEE",
    metrics.KpiStatus.UNKNOWN: "#FFFFFF",
}
"""Light backgrounds behind dark text (contrast well above 4.5:1); the status is always written in words too."""

COMPARATORS = ("kommunen", "asss_snitt", "asss_lavest", "asss_hoyest", "asker")


LINE_CHARS = 90
"""About how many characters of table text fit on one line of the PDF's A4 text width."""

_NUMERIC = re.compile(r"^[\s\d\u00a0\u202f,.+\-\u2212\u2013%]*(?:pp)?[\s\u00a0]*(?:%|pp)?$|^skjult$")


def is_numeric_column(values: Sequence[object]) -> bool:
    """True when every non-empty cell is a formatted figure (``1 422,3``, ``+10,0 %``, ``−0,4 pp``, ``–``, ``skjult``)."""
    cells = [str(v).strip() for v in values if v is not None and str(v).strip()]
    return bool(cells) and all(_NUMERIC.match(c) for c in cells)


def column_widths(df: pl.DataFrame, stub: str = STUB, line_chars: int = LINE_CHARS) -> dict[str, str]:
    """Percent widths from the content, so the PDF's A4 table is readable.

    Every figure column gets the width of its longest cell or header word (headers
    wrap between words, never inside one); the label column gets the rest, and at
    least enough for its longest label in two lines. When the columns need more
    than a line, all shrink in proportion.
    """

    def longest_word(text: str) -> int:
        return max((len(w) for w in str(text).split()), default=0)

    need: dict[str, float] = {}
    for col in df.columns:
        cells = ["" if v is None else str(v) for v in df[col].to_list()]
        if col == stub:
            longest = max((len(c) for c in cells), default=0)
            need[col] = max(-(-longest // 2), max((longest_word(c) for c in cells), default=0)) + 2
        else:
            need[col] = max([len(c) for c in cells] + [longest_word(col)]) + 2
    rest = sum(v for k, v in need.items() if k != stub)
    if stub in need:
        need[stub] = max(need[stub], line_chars - rest)
    total = sum(need.values())
    return {col: f"{100 * v / total:.1f}%" for col, v in need.items()}


def _without_heading(gt: GT) -> GT:
    """Drop great-tables' own title: the caption Quarto numbers (``tbl-cap``) is the table's one caption.

    A subtitle (the unit, what a trend means) is kept, as the first note under the table.
    """
    heading = gt._heading  # great-tables has no public way to remove a header once set
    if heading.title is None and heading.subtitle is None:
        return gt
    notes = list(gt._source_notes)
    if heading.subtitle:
        notes.insert(0, heading.subtitle)
    return gt._replace(_heading=Heading(), _source_notes=notes)


def house_style(gt: GT) -> GT:
    """The book's one table style (join a chain with ``.pipe(house_style)``).

    One caption (Quarto's), Lato, widths from the content, figures right-aligned
    in tabular figures and labels left-aligned; alignment is also written on each
    cell (``text-align``), which Quarto carries into the PDF's table.
    """
    gt = _without_heading(gt)
    df = gt._tbl_data
    numeric = [c for c in df.columns if c != STUB and is_numeric_column(df[c].to_list())]
    text_cols = [c for c in df.columns if c not in numeric]
    gt = (
        gt.tab_options(
            table_font_size="14px",
            heading_title_font_size="15px",
            heading_subtitle_font_size="13px",
            heading_align="left",
            column_labels_font_weight="bold",
            table_font_color="#1A1A1A",
            source_notes_font_size="12px",
            data_row_padding="4px",
            table_border_top_color="#333333",
            table_border_bottom_color="#333333",
            column_labels_border_bottom_color="#333333",
        )
        .opt_table_font(font=fonts.FAMILY, add=False)  # one named family, no generic fallback (Typst warns on those)
        .opt_horizontal_padding(scale=1.2)
        .cols_width(cases=column_widths(df))
        .cols_align(align="right")
        .cols_align(align="left", columns=text_cols)
    )
    if numeric:
        gt = gt.tab_style(style=style.text(align="right"), locations=[loc.body(columns=numeric), loc.column_labels(columns=numeric)])
    return gt.tab_style(style=style.text(align="left"), locations=[loc.body(columns=text_cols), loc.column_labels(columns=text_cols)])


def fmt_value(x: float | None, decimals: int, unit_label: str) -> str:
    """A table cell: percentages with ``%``, other units bare (named in the subtitle)."""
    if x is None:
        return "–"
    return fmt_percent(x, decimals) if unit_label == "%" else fmt_number(x, decimals)


def fmt_change(prev: float | None, cur: float | None, unit_label: str, decimals: int = 1) -> str:
    """Change between two values: percentage points for a percentage, else percent."""
    if prev is None or cur is None:
        return "–"
    if unit_label == "%":
        return f"{fmt_number(cur - prev, decimals, sign=True)}{NBSP}pp"
    c = metrics.pct_change(prev, cur)
    return "–" if c is None else fmt_change_pct(c, 1)


def _csv(header: Sequence[str], rows: Sequence[Sequence[str]], source: str) -> str:
    """The figures of a table as semicolon CSV with decimal comma (opens in Norwegian Excel); see ``outputs.csv_text``."""
    return csv_text(header, rows, source)


def _finish(
    df: pl.DataFrame, *, id: str, title: str, subtitle: str | None, source: str, plain: str, bold_rows: Sequence[int] = ()
) -> TableOutput:
    gt = GT(df, id=f"{id}-table").tab_header(title=title, subtitle=subtitle).tab_source_note(source).pipe(house_style)
    gt = gt.cols_label(**{STUB: ""})
    if bold_rows:
        gt = gt.tab_style(style=style.text(weight="bold"), locations=loc.body(rows=list(bold_rows)))
    rows = [[str(v) for v in r] for r in df.iter_rows()]
    header = ["" if c == STUB else c for c in df.columns]
    return TableOutput(id=id, html=gt.as_raw_html(), plain=plain, csv=_csv(header, rows, source))


def _window(book: Book, dataset: str, years: int) -> list[int]:
    ys = [y for y in book.years(dataset)]
    return ys[-years:]


def tab_series(
    book: Book,
    dataset: str,
    *,
    id: str,
    title: str,
    indicators: Sequence[str] | str,
    groups: Sequence[str] | str,
    total: tuple[str, str] | None = None,
    years: int = 5,
    change: bool = True,
    annual_change_of: tuple[str, str] | None = None,
    labels: dict[str, str] | None = None,
    total_dataset: str | None = None,
    share_of: tuple[str, str] | None = None,
    share_rows: Sequence[str] = (),
) -> TableOutput:
    """A table of series over the latest ``years`` years, one row per series.

    Parameters
    ----------
    indicators, groups : one of them a list (the rows), the other a single id.
    total : the (indicator, group) of the total row, shown last and in bold.
    change : add the change from the year before the reporting year.
    annual_change_of : add a row *Årlig endring* for this (indicator, group).
    labels : row labels overriding the lookups' names.
    total_dataset : the dataset holding ``total`` (and ``annual_change_of`` when it
        is the total), when the total is stored with another table (a sum printed
        in two tables is stored once).
    share_of : the (indicator, group) of a base; adds a column *Andel <year>* with
        ``share_rows`` as a percentage of the base in the latest year.
    share_rows : the row ids (indicators or groups, as the rows are keyed) that get a share.
    """
    series, by_group = resolve_series(indicators, groups)
    if total:
        series = [s for s in series if s != total] + [total]
    ys = _window(book, dataset, years)
    labels = labels or {}
    units = {book.unit_label(i) for i, _ in series}
    unit = units.pop() if len(units) == 1 else None
    rows: dict[str, list[str]] = {STUB: []}
    for y in ys:
        rows[str(y)] = []
    ch_label = f"Endring {fmt_year_span(ys[-2], ys[-1])}" if change and len(ys) > 1 else None
    if ch_label:
        rows[ch_label] = []

    def ds_of(key: tuple[str, str] | None) -> str:
        return total_dataset if total_dataset and key == total else dataset

    share_label = f"Andel {ys[-1]}" if share_of else None
    share_base = book.value(ds_of(share_of), *share_of, ys[-1]) if share_of else None
    if share_label:
        rows[share_label] = []
    plain_lines = []
    for ind, grp in series:
        s = book.series(ds_of((ind, grp)), ind, grp)
        name = labels.get(grp if by_group else ind) or (book.group_label(grp) if by_group else book.label(ind))
        rows[STUB].append(name)
        d, ul = book.decimals(ind), book.unit_label(ind)
        for y in ys:
            rows[str(y)].append(fmt_value(s.get(y), d, ul))
        if ch_label:
            rows[ch_label].append(fmt_change(s.get(ys[-2]), s.get(ys[-1]), ul))
        if share_label:
            part = s.get(ys[-1]) if (grp if by_group else ind) in share_rows else None
            sh = metrics.share_pct(part, share_base) if part is not None and share_base is not None else None
            rows[share_label].append("" if part is None else fmt_percent(sh, 0))
        plain_lines.append(f"{name!s}: " + ", ".join(f"{y} {fmt_value(s.get(y), d, ul)}" for y in ys))
    if annual_change_of:
        s = book.series(ds_of(annual_change_of), *annual_change_of)
        ul = book.unit_label(annual_change_of[0])
        rows[STUB].append("Årlig endring")
        for i, y in enumerate(ys):
            rows[str(y)].append(fmt_change(s.get(y - 1), s.get(y), ul) if i > 0 or y - 1 in s else "–")
        if ch_label:
            rows[ch_label].append("")
        if share_label:
            rows[share_label].append("")
    df = pl.DataFrame(rows)
    bold = [len(series) - 1] if total else []
    subtitle = f"Enhet: {unit!s}" if unit and unit != "%" else ("Prosent" if unit == "%" else None)
    if share_of and subtitle:
        base_name = labels.get(share_of[1] if by_group else share_of[0]) or book.label(share_of[0])
        subtitle += f". Andel: prosent av «{base_name!s}» i {ys[-1]}"
    return _finish(
        df,
        id=id,
        title=f"{title}, {fmt_year_span(ys[0], ys[-1])}",
        subtitle=subtitle,
        source=book.source_note(dataset),
        plain=f"{title}, {fmt_year_span(ys[0], ys[-1])}. " + "; ".join(plain_lines),
        bold_rows=bold,
    )


def _direction_words(direction: int | None) -> str:
    return {-1: "↓ Lavere er bedre", 1: "↑ Høyere er bedre"}.get(direction, "–")


def tab_kpi(
    book: Book, dataset: str, *, id: str, title: str, group: str = "kommunen", years: int = 5, indicators: Sequence[str] | None = None
) -> TableOutput:
    """KPIs with target direction, the latest years, *årlig trend siste 3 år* and status.

    Status is the trend judged against the target direction (``metrics.kpi_status``),
    written in words and shown with a background colour.
    ``indicators`` limits the rows to these KPIs, in the order given (default: every KPI
    in the dataset, in the order of ``indicators.csv``).
    """
    df_obs = book.obs(dataset).filter(pl.col("group") == group)
    if indicators is not None:
        df_obs = df_obs.filter(pl.col("indicator").is_in(list(indicators)))
    present = set(df_obs["indicator"].to_list())
    order = [i for i in dict.fromkeys(indicators) if i in present] if indicators is not None else book.ordered(list(present))
    ys = _window(book, dataset, years)
    trend_label = f"Årlig trend {fmt_year_span(ys[-1] - 3, ys[-1])}"
    rows: dict[str, list[str]] = {STUB: [], "Målretning": []}
    for y in ys:
        rows[str(y)] = []
    rows[trend_label] = []
    rows["Status"] = []
    statuses = []
    plain = []
    for ind in order:
        s = book.series(dataset, ind, group)
        d, ul = book.decimals(ind), book.unit_label(ind)
        unit_suffix = "" if ul in ("%",) else f" ({ul!s})"
        rows[STUB].append(book.label(ind) + unit_suffix)
        rows["Målretning"].append(_direction_words(book.direction(ind)))
        for y in ys:
            rows[str(y)].append(fmt_value(s.get(y), d, ul))
        t = metrics.trend3(s, ys[-1])
        td = d
        if t is None:
            rows[trend_label].append("–")
        elif ul == "%":
            rows[trend_label].append(f"{fmt_number(t, td, sign=True)}{NBSP}pp")
        else:
            rows[trend_label].append(fmt_number(t, td, sign=True))
        st = metrics.kpi_status(t, book.direction(ind), tolerance=0.5 * 10 ** (-td))
        statuses.append(st)
        rows["Status"].append(st.value.capitalize())
        plain.append(f"{book.label(ind)!s}: {rows[trend_label][-1]} per år, {st.value}")
    df = pl.DataFrame(rows)
    gt = (
        GT(df, id=f"{id}-table")
        .tab_header(title=f"{title}, {fmt_year_span(ys[0], ys[-1])}", subtitle="Trend: gjennomsnittlig endring per år de siste tre årene")
        .tab_source_note(book.source_note(dataset))
    )
    gt = gt.tab_source_note("Status sammenligner trenden med målretningen: «Bedre» betyr at utviklingen går i ønsket retning.")
    gt = gt.pipe(house_style).cols_label(**{STUB: "Indikator"}).cols_align(align="left", columns="Målretning")
    for st, colour in STATUS_COLOURS.items():
        idx = [i for i, s in enumerate(statuses) if s == st]
        if idx:
            gt = gt.tab_style(style=style.fill(color=colour), locations=loc.body(columns="Status", rows=idx))
    csv_rows = [[str(v) for v in r] for r in df.iter_rows()]
    return TableOutput(
        id=id,
        html=gt.as_raw_html(),
        plain=f"{title}. " + "; ".join(plain),
        csv=_csv(["Indikator"] + df.columns[1:], csv_rows, book.source_note(dataset)),
    )


def tab_profile(book: Book, dataset: str, *, id: str, title: str, indicators: Sequence[str] | None = None) -> TableOutput:
    """Bærum against the ASSS network (average, lowest, highest) and Asker, latest year.

    A last column gives Bærum's difference from the ASSS average in percent.
    """
    df_obs = book.obs(dataset).filter(pl.col("group").is_in(COMPARATORS))
    if indicators is None:
        indicators = book.ordered(df_obs.filter(pl.col("group") == "asss_snitt")["indicator"].to_list())
    year = max(df_obs.filter(pl.col("indicator").is_in(list(indicators)))["year"].to_list())
    names = {g: book.group_label(g) for g in COMPARATORS}
    names["kommunen"] = "Bærum"
    rows: dict[str, list[str]] = {STUB: []}
    for g in COMPARATORS:
        rows[names[g]] = []
    diff_label = "Bærum mot snitt"
    rows[diff_label] = []
    plain = []
    for ind in indicators:
        d, ul = book.decimals(ind), book.unit_label(ind)
        rows[STUB].append(book.label(ind) + ("" if ul == "%" else f" ({ul!s})"))
        vals = {g: book.value(dataset, ind, g, year) for g in COMPARATORS}
        for g in COMPARATORS:
            rows[names[g]].append(fmt_value(vals[g], d, ul))
        b, a = vals["kommunen"], vals["asss_snitt"]
        pc = metrics.pct_change(a, b) if a is not None and b is not None else None
        rows[diff_label].append("–" if pc is None else fmt_change_pct(pc, 1))
        plain.append(f"{book.label(ind)!s}: Bærum {fmt_value(b, d, ul)}, snitt {fmt_value(a, d, ul)}")
    df = pl.DataFrame(rows)
    return _finish(
        df,
        id=id,
        title=f"{title}, {year}",
        subtitle="ASSS: nettverket av de ti største kommunene. «Bærum mot snitt» er avviket fra ASSS-snittet i prosent.",
        source=book.source_note(dataset),
        plain=f"{title}, {year}. " + "; ".join(plain),
    )


def tab_cross(
    book: Book,
    dataset: str,
    *,
    id: str,
    title: str,
    groups: Sequence[str],
    indicators: Sequence[str],
    total: str | None = None,
    years: int = 2,
) -> TableOutput:
    """Groups as rows, indicators as columns, for each of the latest ``years`` years."""
    ys = _window(book, dataset, years)
    series_groups = [g for g in groups if g != total] + ([total] if total else [])
    rows: dict[str, list[str]] = {STUB: []}
    spanners: dict[int, list[str]] = {}
    for y in ys:
        spanners[y] = []
        for ind in indicators:
            col = f"{book.label(ind)!s} {y}"
            rows[col] = []
            spanners[y].append(col)
    for g in series_groups:
        rows[STUB].append(book.group_label(g))
        for y in ys:
            for ind in indicators:
                rows[f"{book.label(ind)!s} {y}"].append(fmt_value(book.value(dataset, ind, g, y), book.decimals(ind), book.unit_label(ind)))
    df = pl.DataFrame(rows)
    gt = GT(df, id=f"{id}-table").tab_header(title=f"{title}, {fmt_year_span(ys[0], ys[-1])}").tab_source_note(book.source_note(dataset))
    for y, cols in spanners.items():
        gt = gt.tab_spanner(label=str(y), columns=cols, id=f"{id}-{y}")
        gt = gt.cols_label(**{c: c.rsplit(" ", 1)[0] for c in cols})
    gt = gt.pipe(house_style).cols_label(**{STUB: ""})
    if total:
        gt = gt.tab_style(style=style.text(weight="bold"), locations=loc.body(rows=[len(series_groups) - 1]))
    csv_rows = [[str(v) for v in r] for r in df.iter_rows()]
    return TableOutput(
        id=id,
        html=gt.as_raw_html(),
        plain=f"{title}, {fmt_year_span(ys[0], ys[-1])}.",
        csv=_csv([""] + df.columns[1:], csv_rows, book.source_note(dataset)),
    )

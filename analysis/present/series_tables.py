"""The book's standard tables of series: years as columns, one row per series.

* ``tab_series``: series of one dataset over the latest years, with the change
  from the year before, a total row in bold, an annual-change row or a share column;
* ``tab_rows``: ``Row``s from several datasets (a KPI series beside text figures
  stored as observations), each with its own label, decimals and bold;
* ``tab_kpi``: KPIs with target direction, the three-year trend and status in words
  and colour;
* ``tab_profile``: Bærum against the ASSS network and Asker, latest year.

Every builder takes the chapter ``Book`` first, returns a ``TableOutput`` made by
``analysis.present.tables.table_output`` and formats every cell with
``analysis.present.fmt``. Derived columns (change, trend, status) are computed here
from the data, never read from the source's printed derived values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from analysis.calc import metrics
from analysis.data.book import Book, resolve_series
from analysis.present.fmt import NBSP, fmt_cell, fmt_cell_change, fmt_change_pct, fmt_label_unit, fmt_number, fmt_percent, fmt_year_span
from analysis.present.outputs import TableOutput
from analysis.present.tables import COMPARATORS, STATUS_COLOURS, STUB, Fill, table_output

__all__ = ["Row", "tab_rows", "tab_series", "tab_kpi", "tab_profile"]

KOMMUNEN = "kommunen"


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
            rows[str(y)].append(fmt_cell(s.get(y), d, ul))
        if ch_label:
            rows[ch_label].append(fmt_cell_change(s.get(ys[-2]), s.get(ys[-1]), ul))
        if share_label:
            part = s.get(ys[-1]) if (grp if by_group else ind) in share_rows else None
            sh = metrics.share_pct(part, share_base) if part is not None and share_base is not None else None
            rows[share_label].append("" if part is None else fmt_percent(sh, 0))
        plain_lines.append(f"{name!s}: " + ", ".join(f"{y} {fmt_cell(s.get(y), d, ul)}" for y in ys))
    if annual_change_of:
        s = book.series(ds_of(annual_change_of), *annual_change_of)
        ul = book.unit_label(annual_change_of[0])
        rows[STUB].append("Årlig endring")
        for i, y in enumerate(ys):
            rows[str(y)].append(fmt_cell_change(s.get(y - 1), s.get(y), ul) if i > 0 or y - 1 in s else "–")
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
    source = book.source_note(dataset)
    return table_output(
        df,
        id=id,
        title=f"{title}, {fmt_year_span(ys[0], ys[-1])}",
        subtitle=subtitle,
        notes=[source],
        source=source,
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
        rows[STUB].append(fmt_label_unit(book.label(ind), ul))
        rows["Målretning"].append(_direction_words(book.direction(ind)))
        for y in ys:
            rows[str(y)].append(fmt_cell(s.get(y), d, ul))
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
    source = book.source_note(dataset)
    at = {st: [i for i, s in enumerate(statuses) if s == st] for st in STATUS_COLOURS}
    fills = [Fill(colour, "Status", at[st]) for st, colour in STATUS_COLOURS.items() if at[st]]
    return table_output(
        pl.DataFrame(rows),
        id=id,
        title=f"{title}, {fmt_year_span(ys[0], ys[-1])}",
        subtitle="Trend: gjennomsnittlig endring per år de siste tre årene",
        notes=[source, "Status sammenligner trenden med målretningen: «Bedre» betyr at utviklingen går i ønsket retning."],
        source=source,
        plain=f"{title}. " + "; ".join(plain),
        stub_label="Indikator",
        align_left=["Målretning"],
        fills=fills,
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
        rows[STUB].append(fmt_label_unit(book.label(ind), ul))
        vals = {g: book.value(dataset, ind, g, year) for g in COMPARATORS}
        for g in COMPARATORS:
            rows[names[g]].append(fmt_cell(vals[g], d, ul))
        b, a = vals["kommunen"], vals["asss_snitt"]
        pc = metrics.pct_change(a, b) if a is not None and b is not None else None
        rows[diff_label].append("–" if pc is None else fmt_change_pct(pc, 1))
        plain.append(f"{book.label(ind)!s}: Bærum {fmt_cell(b, d, ul)}, snitt {fmt_cell(a, d, ul)}")
    source = book.source_note(dataset)
    return table_output(
        pl.DataFrame(rows),
        id=id,
        title=f"{title}, {year}",
        subtitle="ASSS: nettverket av de ti største kommunene. «Bærum mot snitt» er avviket fra ASSS-snittet i prosent.",
        notes=[source],
        source=source,
        plain=f"{title}, {year}. " + "; ".join(plain),
    )


@dataclass(frozen=True)
class Row:
    """One row of ``tab_rows``: a series and how to show it.

    ``label`` overrides the lookups' name (the indicator's for the municipality,
    else the group's); ``decimals`` the indicator's display decimals.
    """

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
    return fmt_cell_change(prev, cur, book.unit_label(indicator))


def tab_rows(
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

    Rows without any value in the window are left out; ``years=None`` shows every
    year. ``change`` adds the change from the year before the reporting year when
    both years are columns. A unit shared by every row is named once in the
    subtitle, else each row's label names its own. ``notes`` follow the source note.
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
        if unit is None:
            name = fmt_label_unit(name, ul)
        cols[STUB].append(name)
        for y in ys:
            cols[str(y)].append(fmt_cell(s.get(y), d, ul))
        if ch_label:
            cols[ch_label].append(_change_cell(book, r.indicator, s.get(t - 1), s.get(t)))
        plain.append(f"{name}: " + ", ".join(f"{y} {fmt_cell(s[y], d, ul)}" for y in ys if y in s))
    span = (fmt_year_span(ys[0], ys[-1]) if len(ys) > 1 else str(ys[0])) if ys else str(t)
    subtitle = "Prosent" if unit == "%" else (f"Enhet: {unit}" if unit else None)
    source = book.source_note(*([r.dataset for r in shown] or [r.dataset for r in rows]))
    df = pl.DataFrame(cols) if shown else pl.DataFrame({STUB: ["Ingen tall for perioden"]})
    return table_output(
        df,
        id=id,
        title=f"{title}, {span}",
        subtitle=subtitle,
        notes=[source, *notes],
        source=source,
        plain=f"{title}, {span}. " + "; ".join(plain),
        bold_rows=[i for i, r in enumerate(shown) if r.bold],
    )

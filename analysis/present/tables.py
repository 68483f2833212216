"""Tables: the building blocks every great-tables table of the book is made with.

* ``house_style``: the one look (Lato, widths from the content, figures right and
  labels left on every cell, one caption: Quarto's);
* ``table_output``: a finished table from a frame of formatted cells: its notes,
  header, bold rows, spanners and fills, the CSV download with the same cells
  and a *Kilde* column, and the plain-text summary;
* ``STUB``, the label column, and ``STATUS_COLOURS`` for KPI statuses.

The book's standard tables (``tab_series``, ``tab_rows``, ``tab_kpi``,
``tab_profile``) are in ``analysis.present.series_tables``; chapter tables are
built with ``table_output`` too. Cells are formatted with ``analysis.present.fmt``
(the same formatter as charts and sentences).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import polars as pl
from great_tables import GT, loc, style
from great_tables._gt_data import Heading

from analysis.calc import metrics
from analysis.calc.datatext import plain_text
from analysis.present import fonts
from analysis.present.outputs import TableOutput, csv_text

__all__ = [
    "STUB",
    "STATUS_COLOURS",
    "COMPARATORS",
    "LINE_CHARS",
    "house_style",
    "column_widths",
    "is_numeric_column",
    "Spanner",
    "Fill",
    "table_output",
]

STUB = "Rad"
"""The label column of every table (its header is set with ``table_output(stub_label=...)``)."""
STATUS_COLOURS = {
    metrics.KpiStatus.BETTER: "#D9F0E3",
    metrics.KpiStatus.WORSE: "#FADBD8",
    metrics.KpiStatus.UNCHANGED: "#EEEEEE",
    metrics.KpiStatus.UNKNOWN: "#FFFFFF",
}
"""Light backgrounds behind dark text (contrast well above 4.5:1); the status is always written in words too."""

COMPARATORS = ("kommunen", "asss_snitt", "asss_lavest", "asss_hoyest", "asker")
"""The groups of a KOSTRA profile, in the order tables and charts show them."""


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


@dataclass(frozen=True)
class Spanner:
    """A header over several columns (a year over its figures), with the columns' own labels under it."""

    label: str
    columns: Sequence[str]
    id: str
    column_labels: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Fill:
    """A background colour behind some cells of one column (``rows``: 0-based row positions)."""

    colour: str
    column: str
    rows: Sequence[int]


def table_output(
    df: pl.DataFrame,
    *,
    id: str,
    title: str,
    plain: str,
    source: str,
    subtitle: str | None = None,
    notes: Sequence[str] = (),
    stub_label: str = "",
    csv_header: Sequence[str] | None = None,
    spanners: Sequence[Spanner] = (),
    align_left: Sequence[str] | bool = (),
    bold_rows: Sequence[int] = (),
    fills: Sequence[Fill] = (),
) -> TableOutput:
    """A finished table in the house style, with its CSV download: the one way a table of the book is made.

    Parameters
    ----------
    df : the cells, already formatted; the first column is ``STUB`` (the row labels).
    id : the table's id (its Quarto label without ``tbl-``); the HTML table gets ``<id>-table``.
    title : the table's title; Quarto's ``tbl-cap`` is the caption the reader sees, so it
        is kept only for the great-tables header that ``house_style`` turns into notes.
    plain : the plain-text summary (``text/plain``).
    source : the *Kilde* column of the CSV download (usually also the first of ``notes``).
    subtitle : what the figures are (``Enhet: årsverk``); shown as the first note.
    notes : notes under the table, in order (the source note first).
    stub_label : the header of the label column (in the HTML and the CSV).
    csv_header : the CSV's header row (default: ``stub_label`` and the column names).
    spanners : headers over groups of columns.
    align_left : further columns to left-align after the house style (``True``: all).
    bold_rows : row positions shown in bold (totals).
    fills : background colours behind cells (KPI status).
    """
    # the cells and notes are text, not Markdown: escapes that interpolated DataText brought in are taken out
    df = df.with_columns(pl.col(c).map_elements(plain_text, return_dtype=pl.Utf8) for c in df.columns if df[c].dtype == pl.Utf8)
    title, subtitle, stub_label, notes = plain_text(title), subtitle and plain_text(subtitle), plain_text(stub_label), list(notes)
    gt = GT(df, id=f"{id}-table").tab_header(title=title, subtitle=subtitle)
    for note in notes:
        gt = gt.tab_source_note(plain_text(note))
    for sp in spanners:
        gt = gt.tab_spanner(label=plain_text(sp.label), columns=list(sp.columns), id=sp.id)
        if sp.column_labels:
            gt = gt.cols_label(**{c: plain_text(v) for c, v in sp.column_labels.items()})
    shown = {c: plain_text(c) for c in df.columns if c != STUB and plain_text(c) != c}
    gt = gt.pipe(house_style).cols_label(**{STUB: stub_label, **shown})
    if align_left is True:
        gt = gt.cols_align(align="left")
    elif align_left:
        gt = gt.cols_align(align="left", columns=list(align_left))
    if bold_rows:
        gt = gt.tab_style(style=style.text(weight="bold"), locations=loc.body(rows=list(bold_rows)))
    for f in fills:
        gt = gt.tab_style(style=style.fill(color=f.colour), locations=loc.body(columns=f.column, rows=list(f.rows)))
    default = [stub_label if c == STUB else plain_text(c) for c in df.columns]
    header = [plain_text(h) for h in csv_header] if csv_header is not None else default
    rows = [[str(v) for v in r] for r in df.iter_rows()]
    return TableOutput(id=id, html=gt.as_raw_html(), plain=plain, csv=csv_text(header, rows, plain_text(source)))

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
    "TEXT_WIDTH_PT",
    "CELL_INSET_PT",
    "FONT_SIZES_PT",
    "Layout",
    "house_style",
    "table_layout",
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


TEXT_WIDTH_PT = 425.2
"""The PDF's text width: A4 (21 cm) less the book template's margins (orange-book: 3 cm each side)."""
CELL_INSET_PT = 4.0
"""Each table cell's inner margin left and right (``tools/typst-header.typ``: ``#set table(inset: (x: 4pt, ...))``)."""
GAP_PT = 3.0
"""Air beyond the insets, so that neighbouring figures never touch (kerning and rounding included)."""
FONT_SIZES_PT = (10.5, 10.0, 9.5, 9.0, 8.5, 8.0)
"""The table font sizes tried in turn: the first at which every column fits the text width is used."""

_PX_INSET = f"{CELL_INSET_PT / 0.75:.2f}px"
"""The same cell margin in the HTML table (CSS pixels; 0,75 pt per px)."""

_NUMERIC = re.compile(r"^[\s\d\u00a0\u202f,+\-\u2212\u2013%]*(?:pp)?[\s\u00a0]*(?:%|pp)?$|^skjult$")
_BREAK = re.compile(r"[ \t\r\n]+")
"""Where a line may break: ordinary spaces only (a no-break space inside ``1 422,3`` or ``mill. kr`` holds)."""


def is_numeric_column(values: Sequence[object]) -> bool:
    """True when every non-empty cell is a formatted figure (``1 422,3``, ``+10,0 %``, ``−0,4 pp``, ``–``, ``skjult``)."""
    cells = [str(v).strip() for v in values if v is not None and str(v).strip()]
    return bool(cells) and all(_NUMERIC.match(c) for c in cells)


@dataclass(frozen=True)
class Layout:
    """How a table is set: its font size (points) and each column's share of the text width.

    ``fits`` is False only when even the smallest size cannot give every column room for
    its longest figure and its longest word; the widths are then in proportion to that need.
    """

    size: float
    widths: dict[str, str]
    fits: bool

    @property
    def font_size_px(self) -> str:
        """The size as CSS pixels (Quarto turns ``px`` into Typst points at 0,75 pt per px)."""
        return f"{self.size / 0.75:g}px"


def _words(text: str) -> list[str]:
    return [w for w in _BREAK.split(str(text)) if w]


def _column_need(cells: Sequence[str], header: str, size: float, numeric: bool) -> tuple[float, float]:
    """(least, wanted) width of a column in points: a figure never breaks, a text breaks between words only."""
    pad = 2 * CELL_INSET_PT + GAP_PT
    header_word = max((fonts.text_width(w, size, bold=True) for w in _words(header)), default=0.0)
    if numeric:
        widest = max((fonts.text_width(c.strip(), size, bold=True) for c in cells), default=0.0)
        need = max(widest, header_word) + pad
        return need, need
    word = max((fonts.text_width(w, size, bold=True) for c in cells for w in _words(c)), default=0.0)
    whole = max((fonts.text_width(c, size) for c in cells), default=0.0)
    least = max(word, header_word) + pad
    return least, max(least, whole + pad)


def _layout_at(columns: Mapping[str, tuple[list[str], str, bool]], size: float, width: float) -> tuple[dict[str, float], bool]:
    need = {col: _column_need(cells, header, size, numeric) for col, (cells, header, numeric) in columns.items()}
    least_total = sum(lo for lo, _ in need.values())
    if least_total > width:  # even at the least: in proportion (``fits`` False)
        return {col: width * lo / least_total for col, (lo, _) in need.items()}, False
    texts = [col for col, (_, _, numeric) in columns.items() if not numeric] or list(columns)
    spare = width - least_total
    extra = {col: need[col][1] - need[col][0] for col in texts}
    got = {col: lo for col, (lo, _) in need.items()}
    if sum(extra.values()) >= spare:  # texts get a share of the room in proportion to what they still want
        for col in texts:
            got[col] += spare * extra[col] / sum(extra.values())
    else:  # everything as wanted; what is left widens the first text column (the labels)
        for col in texts:
            got[col] += extra[col]
        got[texts[0]] += width - sum(got.values())
    return got, True


def table_layout(
    columns: Mapping[str, tuple[Sequence[object], str]], width: float = TEXT_WIDTH_PT, sizes: Sequence[float] = FONT_SIZES_PT
) -> Layout:
    """The font size and column widths of a table, measured with the book's typeface.

    ``columns`` maps each column to its cells and its header label. A column of figures
    gets the width of its widest figure (never broken) or of its longest header word;
    text columns get at least their longest word (they break between words only) and
    share the rest of the text width by what they would need on one line. The largest
    size in ``sizes`` at which that fits is used; so a wide table is set smaller, as
    the data require, not by a choice per table.
    """
    cols = {
        col: (["" if v is None else str(v) for v in cells], str(header), is_numeric_column(list(cells)))
        for col, (cells, header) in columns.items()
    }
    for size in sizes:
        got, fits = _layout_at(cols, size, width)
        if fits:
            break
    shares = {col: int(10000 * w / width) / 100 for col, w in got.items()}  # floor: the shares never sum above 100 %
    return Layout(size=size, widths={col: f"{v:.2f}%" for col, v in shares.items()}, fits=fits)


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
    """The book's one table style (join a chain with ``.pipe(house_style)``, after the column labels are set).

    One caption (Quarto's), Lato, the size and column widths ``table_layout`` measures
    from the cells and labels, figures right-aligned in tabular figures and labels
    left-aligned; alignment is also written on each cell (``text-align``), which Quarto
    carries into the PDF's table.
    """
    gt = _without_heading(gt)
    df = gt._tbl_data
    labels = {info.var: str(info.column_label) for info in gt._boxhead}
    layout = table_layout({c: (df[c].to_list(), labels.get(c, c)) for c in df.columns})
    numeric = [c for c in df.columns if c != STUB and is_numeric_column(df[c].to_list())]
    text_cols = [c for c in df.columns if c not in numeric]
    gt = (
        gt.tab_options(
            table_font_size=layout.font_size_px,
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
        .tab_options(**{f"{part}_padding_horizontal": _PX_INSET for part in ("data_row", "column_labels", "heading", "source_notes")})
        .cols_width(cases=layout.widths)
        .cols_align(align="right")
        .cols_align(align="left", columns=text_cols)
    )
    table_id = gt._options.table_id.value
    if table_id:  # on a narrow screen the table scrolls sideways (great-tables' wrapper) rather than cut its cells
        gt = gt.opt_css(f"#{table_id} .gt_table {{ min-width: {TEXT_WIDTH_PT / 0.75:.0f}px; }}")
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
    gt = gt.cols_label(**{STUB: stub_label, **shown}).pipe(house_style)
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

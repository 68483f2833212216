"""What a chapter cell displays: tables, charts and sentences as MIME bundles.

Each output carries exactly the representations Quarto needs and nothing that
varies between runs:

* ``TableOutput``: ``text/html`` (a great-tables table with a fixed id) and a
  plain-text fallback;
* ``ChartOutput``: ``text/html`` (a container with alt text and a
  ``vegaEmbed`` call; the JavaScript ships with the book) and ``image/png``
  (drawn by vl-convert) — Quarto uses the HTML in the web book and the PNG in
  the PDF;
* ``Prose``: ``text/markdown``, rendered by Quarto as part of the text.

Text from data (labels, units, sources, notes) never becomes markup, and no
CSV cell becomes a spreadsheet formula:

* ``DataText`` (``analysis.calc.datatext``) is text from ``data/``: raw as a
  value, escaped Markdown where it is interpolated into a sentence.
* ``Prose`` is the book's own Markdown and never raw HTML: ``&``, ``<`` and
  ``>`` are written as entities in its ``text/markdown`` (the book's sentences
  use none of them), so not even a label that slipped through unescaped can
  open a tag.
* ``csv_text`` is the one CSV writer of the downloads: numbers stay numbers,
  and a text cell that starts like a formula gets a leading ``'`` (OWASP).
"""

from __future__ import annotations

import base64
import csv
import html
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from analysis.calc.datatext import plain_text

__all__ = ["TableOutput", "ChartOutput", "Prose", "csv_cell", "csv_text", "csv_download_link"]


def _html_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --------------------------------------------------------------------------- CSV downloads

_CSV_NUMBER = re.compile(r"^[+-]?(?:\d+|\d{1,3}(?: \d{3})+)(?:,\d+)?%?$")
"""A figure as ``analysis.present.fmt`` writes it (no-break spaces dropped, U+2212 as ``-``): ``-4,3``, ``+10,0%``,
``1422,3``. Every string of this form is a number constant to a spreadsheet, never a formula."""
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """One cell of a CSV download, in the form Norwegian Excel reads.

    A number (``float``, ``int``) and a formatted figure (``1 422,3``, ``−4,3``,
    ``+10,0 %``) are written as a number: decimal comma, no thousands separator,
    ``-`` for the minus. Any other text that starts (after spaces) with ``=``,
    ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``, so that
    no spreadsheet takes it for a formula (OWASP, CSV injection).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        from analysis.present.fmt import fmt_number

        return fmt_number(value, 3).rstrip("0").rstrip(",").replace("\u00a0", "").replace("\u2212", "-")
    if isinstance(value, int):
        return str(value)
    text = plain_text(str(value))  # a CSV cell is not Markdown: the text as written
    figure = text.replace("\u00a0", "").replace("\u2212", "-")
    if _CSV_NUMBER.match(figure):
        return figure
    if figure.lstrip(" ")[:1] in _FORMULA_START:
        return "'" + figure
    return figure


_NO_FIGURE = ("", "–", "skjult")


def _pp_figure(cell: object) -> str | None:
    """The figure of a percentage-point change as the tables write it (``+0,6 pp`` -> ``+0,6``), else None."""
    text = str(cell).strip()
    if not text.endswith("pp"):
        return None
    figure = text[:-2].rstrip(" \u00a0")
    return figure if _CSV_NUMBER.match(figure.replace("\u00a0", "").replace("\u2212", "-")) else None


def _pp_columns(rows: Sequence[Sequence[object]]) -> set[int]:
    """The columns whose figures are all percentage points (cells without a figure aside)."""
    width = max((len(r) for r in rows), default=0)
    cols = set()
    for i in range(width):
        cells = [str(r[i]).strip() for r in rows if i < len(r) and r[i] is not None and str(r[i]).strip() not in _NO_FIGURE]
        if cells and all(_pp_figure(c) for c in cells):
            cols.add(i)
    return cols


def csv_text(header: Sequence[object], rows: Sequence[Sequence[object]], source: str) -> str:
    """The figures of a table or chart as semicolon CSV with decimal comma (opens in Norwegian Excel), a *Kilde* column last.

    A column of percentage-point changes (``+0,6 pp``) is written as numbers (``+0,6``, which a
    spreadsheet reads as 0,6) with the unit in its header (``Endring (pp)``): a cell ``+0,6pp``
    would be text that starts like a formula, and would need a visible ``'``.
    """
    pp = _pp_columns(rows)

    def cell(i: int, value: object) -> str:
        figure = _pp_figure(value) if i in pp and value is not None else None
        return csv_cell(figure or value)

    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\n")
    w.writerow([csv_cell(f"{h} (pp)" if i in pp else h) for i, h in enumerate(header)] + ["Kilde"])
    for r in rows:
        w.writerow([cell(i, c) for i, c in enumerate(r)] + [csv_cell(source)])
    return buf.getvalue()


def csv_download_link(csv_text: str, filename: str, label: str = "Last ned tallene (CSV)") -> str:
    """An HTML link that downloads ``csv_text`` with no request to any server."""
    b64 = base64.b64encode(("\ufeff" + csv_text).encode("utf-8")).decode("ascii")
    href = f"data:text/csv;charset=utf-8;base64,{b64}"
    return f'<p class="va-download"><a download="{html.escape(filename)}" href="{href}">{html.escape(label)}</a></p>'


@dataclass(frozen=True)
class TableOutput:
    """A finished table: its HTML, a plain-text summary and the CSV of its figures."""

    id: str
    html: str
    plain: str
    csv: str

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.html + csv_download_link(self.csv, f"{self.id}.csv"), "text/plain": self.plain}

    def __repr__(self) -> str:
        return f"TableOutput({self.id!r})"


@dataclass(frozen=True)
class ChartOutput:
    """A finished chart: Vega-Lite spec, static PNG, generated alt text and the CSV of its figures."""

    id: str
    spec: dict
    png: bytes
    alt: str
    csv: str

    def html(self) -> str:
        spec = json.dumps(self.spec, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        # JSON in a <script>: no "</script>" or "<!--" from inside the data, and no raw tag from a label
        spec = spec.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        png = base64.b64encode(self.png).decode("ascii")
        alt = html.escape(self.alt, quote=True)
        from analysis.present.fmt import d3_locale

        locale = json.dumps(d3_locale(), ensure_ascii=False, sort_keys=True)
        # the download link stands above the chart: below it, it came between the chart and its caption
        return (
            csv_download_link(self.csv, f"{self.id}.csv") + "\n"
            f'<div class="va-chart" id="{self.id}-chart" role="img" aria-label="{alt}">'
            f'<div class="va-chart-vis" id="{self.id}-vis"></div>'
            f'<img class="va-chart-fallback" src="data:image/png;base64,{png}" alt="{alt}" style="max-width:100%">'
            f"</div>\n"
            f"<script>(function(){{var el=document.getElementById('{self.id}-vis');"
            f"if(!window.vegaEmbed){{return;}}"
            f"el.nextElementSibling.remove();"
            # drawn once the book's font has loaded, so that vega measures labels in Lato, not a fallback
            f"(document.fonts?document.fonts.ready:Promise.resolve()).then(function(){{"
            f"return vegaEmbed(el,{spec},{{actions:false,renderer:'svg',formatLocale:{locale}}});}})"
            f".then(function(r){{var s=el.querySelector('svg');if(s){{s.setAttribute('aria-hidden','true');}}}})"
            f".catch(function(e){{console.error(e);}});}})();</script>"
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.html(), "image/png": base64.b64encode(self.png).decode("ascii"), "text/plain": self.alt}

    def __repr__(self) -> str:
        return f"ChartOutput({self.id!r})"


@dataclass(frozen=True)
class Prose:
    """Sentences with computed figures, shown as Markdown.

    ``text`` is the book's own Markdown with the data text in it escaped (``DataText``
    interpolated into an f-string is; a ``Prose`` made of one ``DataText`` is escaped
    as a whole). It holds no raw HTML: the Markdown output writes ``&``, ``<`` and
    ``>`` as entities, which Quarto and the preview show as the characters.
    """

    text: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", format(self.text, ""))  # a DataText as a whole becomes its escaped Markdown

    def _repr_markdown_(self) -> str:
        return _html_text(self.text)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text

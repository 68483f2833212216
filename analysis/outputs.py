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
"""

from __future__ import annotations

import base64
import html
import json
from dataclasses import dataclass

__all__ = ["TableOutput", "ChartOutput", "Prose", "csv_download_link"]


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
        spec = spec.replace("</", "<\\/")  # never close the script tag from inside the data
        png = base64.b64encode(self.png).decode("ascii")
        alt = html.escape(self.alt, quote=True)
        from .fmt import d3_locale

        locale = json.dumps(d3_locale(), ensure_ascii=False, sort_keys=True)
        return (
            f'<div class="va-chart" id="{self.id}-chart" role="img" aria-label="{alt}">'
            f'<div class="va-chart-vis" id="{self.id}-vis"></div>'
            f'<img class="va-chart-fallback" src="data:image/png;base64,{png}" alt="{alt}" style="max-width:100%">'
            f"</div>\n"
            f"<script>(function(){{var el=document.getElementById('{self.id}-vis');"
            f"if(!window.vegaEmbed){{return;}}"
            f"el.nextElementSibling.remove();"
            f"vegaEmbed(el,{spec},{{actions:false,renderer:'svg',formatLocale:{locale}}})"
            f".then(function(r){{var s=el.querySelector('svg');if(s){{s.setAttribute('aria-hidden','true');}}}})"
            f".catch(function(e){{console.error(e);}});}})();</script>" + csv_download_link(self.csv, f"{self.id}.csv")
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.html(), "image/png": base64.b64encode(self.png).decode("ascii"), "text/plain": self.alt}

    def __repr__(self) -> str:
        return f"ChartOutput({self.id!r})"


@dataclass(frozen=True)
class Prose:
    """Sentences with computed figures, shown as Markdown."""

    text: str

    def _repr_markdown_(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text

"""A plain HTML preview of the executed chapters, without Quarto.

``build_preview(book_dir, out_dir)`` turns every executed chapter
``book/<name>.ipynb`` into ``out_dir/<name>.html``: the outputs exactly as the
book shows them (tables and charts as their ``text/html``, sentences as their
``text/markdown``), the markdown cells, and the chart JavaScript the book ships
(``vl_convert.javascript_bundle()`` in ``out_dir/assets/vega-bundle.js``,
loaded from the same folder). ``tests/test_browser.py`` serves these pages on
localhost and checks them in headless Chromium with axe-core.

Each page is ``<html lang="nb">`` with a ``<title>`` and one ``<main>`` whose
``<h1>`` is the chapter's first heading. Markdown is converted with
markdown-it-py; Quarto's own syntax is turned into plain HTML as Quarto shows it:
heading attributes ``{#sec-x .unnumbered}`` (the heading's ``id``; headings
numbered like the book's: 1, 2, ...; appendices A, B, ...), fenced divs
(``::: {.callout-note}`` a ``role="note"`` callout whose first heading is its
title, any other a ``<div>`` with its id and classes), cross-references
(``@fig-x``, ``[@tbl-x]``, ``[-@sec-x]``: links with the number, e.g.
*Figur 1.2*; an unknown one as bold ``?@label``, as Quarto does), and a code
cell's ``#| label``/``fig-cap``/``tbl-cap`` (a ``<figure>`` with a numbered
``<figcaption>``: tables above, figures below). Not mdit-py-plugins: its
container plugin closes a fenced div at the first bare ``:::`` even inside a
nested div (Pandoc pairs them), and its attrs plugins read attributes after
links, images and spans or on the line before a block, not after a heading.

It is a preview of the content, not of Quarto's page chrome (no sidebar, no
search, no Bootstrap theme).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat
from markdown_it import MarkdownIt

from analysis import config
from analysis.present import fonts

__all__ = ["build_preview", "PreviewPage", "VEGA_BUNDLE"]

VEGA_BUNDLE = "assets/vega-bundle.js"
"""Where the chart JavaScript lies in the preview folder (relative to the pages)."""

BOOK_TITLE = "Virksomhetsanalyse"
FIG_PREFIX, TBL_PREFIX = "Figur", "Tabell"
CHAPTER_PREFIX, APPENDIX_PREFIX, SECTION_PREFIX = "Kapittel", "Vedlegg", "Avsnitt"

_ATTRS = re.compile(r"\s*\{(?P<attrs>[^{}]*)\}\s*$")
_FENCE_OPEN = re.compile(r"^(?P<colons>:{3,})\s*(?:\{(?P<attrs>[^{}]*)\}|(?P<cls>[\w-]+))\s*$")
_FENCE_CLOSE = re.compile(r"^:{3,}\s*$")
_XREF_BRACKET = re.compile(r"\[(?P<minus>-?)@(?P<label>(?:fig|tbl|sec)-[\w-]*\w)\]")
_XREF = re.compile(r"(?<![\w@/\\])@(?P<label>(?:fig|tbl|sec)-[\w-]*\w)")  # not "\@": an escaped @ from data
_SHORTCODE = re.compile(r"\{\{<.*?>\}\}")

STYLE = """
body { font-family: "Lato"; color: #1A1A1A; background: #FFFFFF;
       line-height: 1.5; margin: 0 auto; max-width: 60rem; padding: 1rem 1.5rem 3rem; }
a { color: #0B5394; }
.va-figure { margin: 1.5rem 0; }
.va-figure figcaption { font-size: 0.95rem; margin: 0.4rem 0; }
.callout { border-left: 0.3rem solid #0B5394; background: #F4F7FB; padding: 0.5rem 1rem; margin: 1.5rem 0; }
.callout-title { font-weight: bold; margin: 0.3rem 0; }
"""


@dataclass
class PreviewPage:
    """One chapter's page: notebook name, page title, file, and how many chart and table outputs it holds."""

    name: str
    title: str
    path: Path
    charts: int = 0
    tables: int = 0


_Labels = dict[str, tuple[str, str]]
"""Numbers of every heading, figure and table label across the book: label -> (page, text)."""


# --------------------------------------------------------------------------- Quarto syntax


def _parse_attrs(text: str) -> tuple[str | None, list[str]]:
    """``#id .a .b key=val`` -> (id, classes); key=value pairs are dropped."""
    ident, classes = None, []
    for part in text.split():
        if part.startswith("#"):
            ident = part[1:]
        elif part.startswith("."):
            classes.append(part[1:])
    return ident, classes


def _cell_options(source: str) -> dict[str, str]:
    """Quarto's ``#| key: value`` cell options at the top of a code cell."""
    opts = {}
    for line in source.splitlines():
        if not line.startswith("#|"):
            break
        key, _, value = line[2:].partition(":")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        opts[key.strip()] = value
    return opts


def _chapter_number(name: str) -> str | None:
    if name in config.CHAPTERS:
        return str(config.CHAPTERS.index(name) + 1)
    if name in config.APPENDICES:
        return chr(ord("A") + config.APPENDICES.index(name))
    return None


def _parts(nb) -> list[tuple[str, str, dict[str, str]]]:
    """A notebook's content in order: ("md", text, {}), ("html", text, {}), and ("open"/"close", "", options)
    around the outputs of a code cell with a ``#| label`` (its figure or table)."""
    parts: list[tuple[str, str, dict[str, str]]] = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            parts.append(("md", cell.source, {}))
        elif cell.cell_type == "code":
            opts = _cell_options(cell.source)
            wrap = bool(opts.get("label")) and bool(cell.get("outputs"))  # no output, no table: Quarto makes no float of it
            if wrap:
                parts.append(("open", "", opts))
            for out in cell.get("outputs", []):
                data = out.get("data", {})
                if "text/html" in data:
                    parts.append(("html", _text(data["text/html"]), {}))
                elif "text/markdown" in data:
                    parts.append(("md", _text(data["text/markdown"]), {}))
                elif "image/png" in data:
                    alt = html.escape(opts.get("fig-alt", ""), quote=True)
                    parts.append(("html", f'<img src="data:image/png;base64,{_text(data["image/png"]).strip()}" alt="{alt}">', {}))
                elif out.get("output_type") == "stream" or "text/plain" in data:
                    text = _text(out.get("text", "")) if out.get("output_type") == "stream" else _text(data["text/plain"])
                    parts.append(("html", f"<pre>{html.escape(text)}</pre>", {}))
            if wrap:
                parts.append(("close", "", opts))
    return parts


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _number_labels(pages: Sequence[tuple[str, list]]) -> _Labels:
    """Number headings (per chapter: 1, 1.1, 1.1.1; appendices A, A.1), figures and tables (per chapter: 1.1, 1.2)."""
    labels: _Labels = {}
    for name, parts in pages:
        chapter = _chapter_number(name)
        counters = [0] * 6
        figs = tbls = 0
        for kind, text, opts in parts:
            if kind == "md":
                in_code = False
                callouts = 0  # headings inside a callout are its title, not a section
                for line in text.splitlines():
                    if line.lstrip().startswith(("```", "~~~")):
                        in_code = not in_code
                    fence = None if in_code else _FENCE_OPEN.match(line)
                    if fence:
                        callouts += "callout-" in (fence.group("attrs") or fence.group("cls") or "")
                    elif callouts and _FENCE_CLOSE.match(line):
                        callouts -= 1
                    m = re.match(r"^(#{1,6})\s+(.*)$", line)
                    if in_code or callouts or not m:
                        continue
                    level = len(m.group(1))
                    am = _ATTRS.search(m.group(2))
                    ident, classes = _parse_attrs(am.group("attrs")) if am else (None, [])
                    if "unnumbered" in classes or chapter is None:
                        number = None
                    elif level == 1:
                        number = chapter
                    else:
                        counters[level - 1] += 1
                        counters[level:] = [0] * (6 - level)
                        number = ".".join([chapter] + [str(c) for c in counters[1:level]])
                    if ident:
                        if level == 1:
                            word = APPENDIX_PREFIX if name in config.APPENDICES else CHAPTER_PREFIX
                        else:
                            word = SECTION_PREFIX
                        labels[ident] = (name, f"{word} {number}" if number else word)
            elif kind == "open":
                label = opts["label"]
                prefix = f"{chapter}." if chapter else ""
                if label.startswith("fig-"):
                    figs += 1
                    labels[label] = (name, f"{FIG_PREFIX} {prefix}{figs}")
                elif label.startswith("tbl-"):
                    tbls += 1
                    labels[label] = (name, f"{TBL_PREFIX} {prefix}{tbls}")
    return labels


def _resolve_xrefs(text: str, page: str, labels: _Labels) -> str:
    """Quarto cross-references -> Markdown links with the number; unknown ones as bold ``?@label``."""

    def link(label: str, number_only: bool) -> str:
        if label not in labels:
            return f"**?@{label}**"
        target_page, words = labels[label]
        shown = words.split(" ", 1)[1] if number_only and " " in words else words
        href = f"#{label}" if target_page == page else f"{target_page}.html#{label}"
        return f"[{shown}]({href})"

    text = _XREF_BRACKET.sub(lambda m: link(m.group("label"), bool(m.group("minus"))), text)
    return _XREF.sub(lambda m: link(m.group("label"), False), text)


class _Renderer:
    """Markdown (with Quarto's headings, fenced divs and cross-references) to HTML for one page."""

    def __init__(self, page: str, labels: _Labels):
        self.page = page
        self.labels = labels
        self.md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])

    def _headings(self, tokens) -> None:
        """Move a heading's trailing ``{#id .class}`` into its attributes and add its number."""
        for i, tok in enumerate(tokens):
            if tok.type != "heading_open":
                continue
            inline = tokens[i + 1]
            m = _ATTRS.search(inline.content)
            if not m:
                continue
            ident, classes = _parse_attrs(m.group("attrs"))
            content = inline.content[: m.start()].rstrip()
            if ident:
                tok.attrSet("id", ident)
                ref = self.labels.get(ident)
                number = ref[1].split(" ", 1)[1] if ref and " " in ref[1] else None
                if number and tok.tag != "h1":
                    content = f"{number} {content}"
            if classes:
                tok.attrSet("class", " ".join(classes))
            inline.content = content
            inline.children = self.md.parseInline(content)[0].children

    def markdown(self, text: str) -> str:
        text = _SHORTCODE.sub("", text)
        out: list[str] = []
        buf: list[str] = []
        stack: list[str] = []  # open fenced divs: "callout" or "div"
        callout_title_pending = False

        def flush() -> None:
            nonlocal callout_title_pending
            if not buf:
                return
            chunk = "\n".join(buf)
            buf.clear()
            if callout_title_pending:
                lines = chunk.lstrip("\n").split("\n", 1)
                hm = re.match(r"^#{1,6}\s+(.*)$", lines[0])
                if hm:
                    title = _ATTRS.sub("", hm.group(1))
                    out.append(f'<p class="callout-title">{self.md.renderInline(title)}</p>')
                    chunk = lines[1] if len(lines) > 1 else ""
                callout_title_pending = False
            chunk = _resolve_xrefs(chunk, self.page, self.labels)
            tokens = self.md.parse(chunk)
            self._headings(tokens)
            out.append(self.md.renderer.render(tokens, self.md.options, {}))

        in_code = False
        for line in text.splitlines():
            if line.lstrip().startswith(("```", "~~~")):
                in_code = not in_code
            opened = None if in_code else _FENCE_OPEN.match(line)
            if opened:
                flush()
                ident, classes = _parse_attrs(opened.group("attrs") or "")
                if opened.group("cls"):
                    classes.append(opened.group("cls"))
                callout = next((c for c in classes if c.startswith("callout-")), None)
                attrs = f' id="{html.escape(ident)}"' if ident else ""
                if callout:
                    out.append(f'<div class="callout {html.escape(callout)}" role="note"{attrs}>')
                    callout_title_pending = True
                    stack.append("callout")
                else:
                    cls = f' class="{html.escape(" ".join(classes))}"' if classes else ""
                    out.append(f"<div{cls}{attrs}>")
                    stack.append("div")
            elif not in_code and stack and _FENCE_CLOSE.match(line):
                flush()
                stack.pop()
                callout_title_pending = False
                out.append("</div>")
            else:
                buf.append(line)
        flush()
        out.extend("</div>" for _ in stack)
        return "".join(out)

    def caption(self, opts: dict[str, str]) -> str:
        label = opts["label"]
        words = self.labels.get(label, (self.page, ""))[1]
        cap = opts.get("fig-cap") or opts.get("tbl-cap") or ""
        text = f"{words}: {cap}" if words and cap else (words or cap)
        return f"<figcaption>{self.md.renderInline(_resolve_xrefs(text, self.page, self.labels))}</figcaption>"


# --------------------------------------------------------------------------- pages


def _page_html(title: str, body: str, charts: bool = False) -> str:
    """A whole page; the Vega bundle (0,9 MB of JavaScript) is loaded only by a page with ``charts``."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="nb">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n"
        '<link rel="icon" href="data:,">\n'
        f"<style>{STYLE}</style>\n"
        f'<link rel="stylesheet" href="{fonts.CSS_FILE.as_posix()}">\n'
        + (f'<script src="{VEGA_BUNDLE}"></script>\n' if charts else "")
        + "</head>\n<body>\n<main>\n"
        f"{body}\n"
        "</main>\n</body>\n</html>\n"
    )


def _render_page(name: str, parts: list, labels: _Labels) -> tuple[str, str]:
    """(title, body HTML) of one chapter."""
    r = _Renderer(name, labels)
    body: list[str] = []
    caption_below: list[str] = []
    for kind, text, opts in parts:
        if kind == "md":
            body.append(r.markdown(text))
        elif kind == "html":
            body.append(text)
        elif kind == "open":
            label = opts["label"]
            body.append(f'<figure class="va-figure" id="{html.escape(label)}">')
            cap = r.caption(opts)
            if label.startswith("tbl-"):
                body.append(cap)
                caption_below.append("")
            else:
                caption_below.append(cap)
        elif kind == "close":
            body.append(caption_below.pop() + "</figure>")
    html_body = "\n".join(body)
    h1 = re.search(r"<h1\b[^>]*>(.*?)</h1>", html_body, re.DOTALL)
    if h1:
        chapter = re.sub(r"<[^>]+>", "", h1.group(1)).strip()
    else:
        chapter = name
        html_body = f"<h1>{html.escape(name)}</h1>\n{html_body}"
    return f"{html.unescape(chapter)} – {BOOK_TITLE}", html_body


def build_preview(book_dir: Path = config.BOOK_DIR, out_dir: Path | None = None, names: Sequence[str] | None = None) -> list[PreviewPage]:
    """Write ``out_dir/<name>.html`` for every executed chapter in ``book_dir``, plus the Vega bundle and an index.

    ``names`` defaults to ``config.NOTEBOOKS`` (chapters missing from ``book_dir`` are
    left out). Returns the pages written, in book order.
    """
    from analysis.pipeline.render import write_vega_bundle

    book_dir = Path(book_dir)
    out_dir = Path(out_dir) if out_dir is not None else config.STATE_DIR / "preview"
    names = list(names) if names is not None else list(config.NOTEBOOKS)
    loaded = [(n, _parts(nbformat.read(book_dir / f"{n}.ipynb", as_version=4))) for n in names if (book_dir / f"{n}.ipynb").exists()]
    labels = _number_labels(loaded)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_vega_bundle(out_dir)  # out_dir/assets/vega-bundle.js
    fonts.write_web_fonts(out_dir)  # out_dir/assets/fonts.css and the Lato files it names
    pages: list[PreviewPage] = []
    for name, parts in loaded:
        title, body = _render_page(name, parts, labels)
        path = out_dir / f"{name}.html"
        html_parts = [t for k, t, _ in parts if k == "html"]
        charts = sum(t.count('class="va-chart"') for t in html_parts)
        path.write_text(_page_html(title, body, charts=charts > 0), encoding="utf-8")
        pages.append(PreviewPage(name=name, title=title, path=path, charts=charts, tables=sum(t.count("<table") for t in html_parts)))
    links = "\n".join(f'<li><a href="{p.name}.html">{html.escape(p.title.rsplit(" – ", 1)[0])}</a></li>' for p in pages)
    (out_dir / "index.html").write_text(_page_html(BOOK_TITLE, f"<h1>{BOOK_TITLE}</h1>\n<ul>\n{links}\n</ul>"), encoding="utf-8")
    return pages

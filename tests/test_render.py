"""The book as Quarto renders it: HTML and PDF agree, read as bokmål, build cleanly, are accessible.

Runs only where a Quarto >= 1.10 is found, the way ``virksomhetsanalyse render``
finds it (``analysis.pipeline.render.find_quarto``: ``$QUARTO``, else ``quarto`` on PATH,
else next to this Python); otherwise every render test is skipped with that
reason. The pure checks below (parsing Quarto's HTML, the text rules, the XMP
test, the nesting test) are plain functions with their own small tests on
synthetic input, which run everywhere.

The ``built`` fixture copies the project (every file ``git ls-files`` lists,
tracked or untracked-but-not-ignored, so no ``.venv``, ``_book`` or
``node_modules``) into a temporary folder and runs ``python -m analysis.cli
render`` there ``RENDERS`` times with this interpreter (the committed chapters
in ``book/`` are rendered, never executed). Then, item by item (issue 9):

1. HTML and PDF show the same numbers: the sidebar (no "index.html" as text,
   Innledning unnumbered, chapters 1-4, appendices A-B), each page's chapter
   heading, the section numbers, the PDF's bookmarks and running headers, and
   the numbers of the "Kapittel N" cross-references in both;
2. no "Kapitel" anywhere, no doubled full stop after a reference;
3. no nested ``_book`` after repeated builds;
4. ``.gitignore`` byte-identical before and after;
5. no warning from Quarto or Typst (Quarto's "verapdf is not installed" aside);
6. PDF/UA-1 identification in the PDF's XMP metadata;
7. headless Chromium over every page of ``_book/``: every chart drawn, nothing
   requested off 127.0.0.1, no axe-core violation (WCAG 2.0/2.1 A and AA);
8. one typeface: Lato computed for body, table cells and chart text, loaded
   from the book itself; the PDF embeds Lato and no other text family;
9. one caption per table: Quarto's, and no great-tables title row.

Where the HTML structure comes from (quarto-cli sources, read for this test):

* ``src/project/types/book/book-chapters.ts``: ``formatChapterTitle`` writes a
  chapter's title as ``[N]{.chapter-number}\\u00A0 [title]{.chapter-title}``
  and an appendix's as ``<appendix-title> A<delim> title`` (no chapter-number
  span); ``numberChapterHtmlNav`` writes the sidebar text as
  ``<span class='chapter-number'>N</span>\\u00A0 <span class='chapter-title'>``
  (``A``, ``B`` for appendices); an unnumbered chapter gets neither.
* ``src/resources/formats/html/templates/title-block.html``: the page title is
  ``<h1 class="title">``.
* ``src/resources/projects/website/templates/sidebar.ejs`` and
  ``sidebaritem.ejs``: the sidebar is the element ``id="quarto-sidebar"``,
  each entry ``<a class="sidebar-item-text sidebar-link"><span
  class="menu-text">``; ``nav-after-body-postamble.ejs``: previous/next links
  in ``nav.page-navigation`` with ``<span class="nav-page-text">``.
* ``src/resources/filters/crossref/refs.lua``: a resolved reference is
  ``pandoc.Link(prefix nbsp number, "#label", "", {"quarto-xref"})``; chapters
  take the ``ch`` prefix, appendices ``apx``; in Typst it is ``@label``.
* ``tests/smoke/crossref/tables.test.ts``: a table float is ``div#tbl-x >
  figure.quarto-float-tbl > figcaption.quarto-float-caption``.
* ``src/core/verapdf.ts``: without veraPDF, Quarto warns "PDF standard
  validation requested but verapdf is not installed." (then "Install with:
  quarto install verapdf" and "Standards requested: ua-1").
* Section numbers are pandoc's ``<span class="header-section-number">``.

The PDF (Typst, through Quarto's bundled orange-book template): Typst writes a
PDF bookmark per outlined heading titled ``"{numbers} {body}"``
(``crates/typst-pdf/src/outline.rs``, ``convert_node``: "Prepend the numbers to
the title if they exist"); orange-book's running header on even pages reads
``<supplement> N. <chapter title>`` and ``A. <title>`` in appendices
(orange-book 0.7.1 ``lib.typ``, ``set page(header: ...)``). great-tables'
title rows are ``<tr class="gt_heading"><td class="gt_heading gt_title ...">``
and ``gt_subtitle`` (installed ``great_tables/_utils_render_html.py``).
"""

from __future__ import annotations

import functools
import html as html_lib
import http.server
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import threading
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from analysis import config
from analysis.pipeline.render import find_quarto
from helpers import book_fonts_env

MIN_QUARTO = (1, 10)
RENDERS = 2
"""Builds in the same copy: the second one sees the first one's ``_book/`` (the nesting defect needs that)."""
RENDER_TIMEOUT = 1800
PDF_NAME = "virksomhetsanalyse.pdf"
"""``book: output-file:`` in ``_quarto.yml`` plus Typst's ``.pdf``."""
INDEX_PAGE = "index.html"
CHAPTER_WORD = "Kapittel"
"""Bokmål for "chapter" (``crossref-ch-prefix``); "Kapitel" is Danish."""
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# the pages of the book in reading order and the label each must carry (None: unnumbered)
EXPECTED_PAGES: list[tuple[str, str | None]] = (
    [(INDEX_PAGE, None)]
    + [(f"book/{n}.html", str(i)) for i, n in enumerate(config.CHAPTERS, start=1)]
    + [(f"book/{n}.html", chr(ord("A") + i)) for i, n in enumerate(config.APPENDICES)]
)
SOURCE_OF_PAGE = {INDEX_PAGE: None, **{f"book/{n}.html": n for n in config.NOTEBOOKS}}


# =========================================================================== pure helpers
# --------------------------------------------------------------------------- a small DOM


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
_INVISIBLE = {"script", "style", "template", "noscript"}
_BLOCK = {
    *"address article aside blockquote br caption dd details div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6".split(),
    *"header hr li main nav ol p pre section summary table tbody td tfoot th thead tr ul".split(),
}


@dataclass
class Node:
    """An element of a parsed page: tag, attributes, children (``Node`` or text)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list = field(default_factory=list)
    parent: Node | None = field(default=None, repr=False)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def iter(self):
        """Every element below (depth first, document order), this one first."""
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Node]:
        return [
            n
            for n in self.iter()
            if (tag is None or n.tag == tag)
            and (cls is None or cls in n.classes)
            and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Node | None:
        found = self.find_all(tag, cls, **attrs)
        return found[0] if found else None

    def text(self, skip=lambda n: False) -> str:
        """The visible text (no script/style, nor elements ``skip`` picks), whitespace (no-break spaces too) collapsed.

        Block elements are separated by a space, as a browser lays them out.
        """
        parts: list[str] = []

        def walk(n: Node) -> None:
            if n.tag in _INVISIBLE or skip(n):
                return
            if n.tag in _BLOCK:
                parts.append(" ")
            for c in n.children:
                if isinstance(c, Node):
                    walk(c)
                else:
                    parts.append(c)
            if n.tag in _BLOCK:
                parts.append(" ")

        walk(self)
        return " ".join("".join(parts).split())


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: (v or "") for k, v in attrs}, parent=self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, {k: (v or "") for k, v in attrs}, parent=self.stack[-1]))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):  # close up to the matching element, if it is open
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse_html(text: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


# --------------------------------------------------------------------------- Quarto's book HTML


@dataclass(frozen=True)
class SidebarEntry:
    page: str
    """The linked page, relative to the output folder (``book/osu.html``)."""
    label: str | None
    """The ``chapter-number`` span's text, None when the entry has none."""
    text: str


def resolve_href(page: str, href: str) -> str:
    """``href`` on ``page`` as a path relative to the output folder, fragment and query dropped."""
    path = urlsplit(href).path
    if not path:
        return page
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    if path.endswith("/") or resolved == ".":  # a folder link means its index page
        resolved = posixpath.normpath(posixpath.join(resolved, INDEX_PAGE))
    return resolved


def sidebar_entries(doc: Node, page: str) -> list[SidebarEntry]:
    """The sidebar's page links in order (``#quarto-sidebar a.sidebar-link[href]``), with their chapter numbers.

    A section toggle (the appendices' heading) links nowhere and is left out.
    """
    sidebar = doc.find(id="quarto-sidebar")
    if sidebar is None:
        return []
    entries = []
    for a in sidebar.find_all("a", cls="sidebar-link"):
        if "href" not in a.attrs:
            continue
        number = a.find(cls="chapter-number")
        entries.append(SidebarEntry(resolve_href(page, a.attrs.get("href", "")), number.text() if number else None, a.text()))
    return entries


def title_label(doc: Node, title: str | None = None) -> tuple[str | None, str]:
    """The label of a page's ``<h1 class="title">`` and its whole text.

    A chapter carries ``<span class="chapter-number">``; an appendix's title is
    ``<appendix-title> A — <title>`` without it, so the label is then the lone
    number or capital letter right before ``title`` (when given).
    """
    h1 = next((h for h in doc.find_all("h1", cls="title")), None)
    if h1 is None:
        return None, ""
    text = h1.text()
    number = h1.find(cls="chapter-number")
    if number is not None:
        return number.text(), text
    if title and title in text:
        m = re.search(r"(?:^|\s)(\d+|[A-Z])\W*$", text[: text.rfind(title)])
        return (m.group(1) if m else None), text
    return None, text


def _outside_navigation(node: Node) -> bool:
    return not any(a.tag == "nav" or a.attrs.get("id") in _NAVIGATION_IDS for a in _ancestors(node))


_NAVIGATION_IDS = {"quarto-sidebar", "quarto-margin-sidebar", "TOC", "quarto-header"}
"""Quarto's navigation around the content (sidebar, margin table of contents ``nav#TOC`` with its ``<h2 id=toc-title>``)."""


def content(doc: Node) -> Node:
    """The page's ``<main>`` (Quarto: ``main#quarto-document-content``), or the whole page."""
    return doc.find("main") or doc


def content_text(doc: Node) -> str:
    """The visible text of the page's content, without navigation (sidebar, contents, previous/next)."""
    return content(doc).text(skip=lambda n: n.tag == "nav" or n.attrs.get("id") in _NAVIGATION_IDS)


def section_numbers(doc: Node) -> list[tuple[str | None, str]]:
    """``(number, title)`` of every ``<h2>`` of the page's content; number None when unnumbered."""
    out = []
    for h2 in content(doc).find_all("h2"):
        if not _outside_navigation(h2):
            continue
        span = h2.find(cls="header-section-number")
        number = span.text() if span else None
        text = h2.text()
        if number and text.startswith(number):
            text = text[len(number) :].strip()
        out.append((number, text))
    return out


def _ancestors(node: Node):
    p = node.parent
    while p is not None:
        yield p
        p = p.parent


_REF_LABEL = re.compile(r"^(\S+)\s+(\d+|[A-Z])$")


def chapter_xrefs(doc: Node, page: str) -> list[tuple[str, str, str]]:
    """``(prefix, label, target page)`` of every chapter/appendix reference (``a.quarto-xref`` reading ``Word N``)."""
    out = []
    for a in doc.find_all("a", cls="quarto-xref"):
        m = _REF_LABEL.match(a.text())
        if m:
            out.append((m.group(1), m.group(2), resolve_href(page, a.attrs.get("href", ""))))
    return out


@dataclass(frozen=True)
class TableFloat:
    id: str
    quarto_captions: list[str]
    gt_headings: list[str]
    html_captions: list[str]


def table_floats(doc: Node) -> list[TableFloat]:
    """Every ``tbl-`` float: Quarto's captions, great-tables title/subtitle cells and ``<caption>`` elements in it."""
    out = []
    for div in doc.find_all():
        ident = div.attrs.get("id", "")
        if not ident.startswith("tbl-") or div.tag not in ("div", "figure"):
            continue
        if any(a.attrs.get("id", "").startswith("tbl-") for a in _ancestors(div)):
            continue  # a sub-float is checked with its parent
        caps = [c.text() for c in div.find_all("figcaption", cls="quarto-float-caption")]
        gt = [c.text() for c in div.iter() if c.classes & {"gt_heading", "gt_title", "gt_subtitle"} and c.tag != "tr"]
        html_caps = [c.text() for c in div.find_all("caption")]
        out.append(TableFloat(ident, caps, gt, html_caps))
    return out


# --------------------------------------------------------------------------- text rules


_DOUBLED_STOP = re.compile(r"\w\.\.(?!\.)")
_REF_WORDS = r"(?:Kapittel|Kapitel|Vedlegg|Tillegg|Bilag|Seksjon|Avsnitt|Figur|Tabell)"
_REF_DOT_BRACKET = re.compile(_REF_WORDS + r"\s+(?:\d+|[A-Z])(?:\.\d+)*\.(?=\s*[)\]])")
_KAPITEL = re.compile(r"\bkapitel", re.IGNORECASE)


def _contexts(pattern: re.Pattern, text: str, width: int = 30) -> list[str]:
    return [text[max(0, m.start() - width) : m.end() + width].replace("\n", " ") for m in pattern.finditer(text)]


def doubled_full_stops(text: str) -> list[str]:
    """Places where a word is followed by exactly two full stops ("Kapittel 4.."), and "(se Bilag A.)"; ellipses are fine."""
    return _contexts(_DOUBLED_STOP, text) + _contexts(_REF_DOT_BRACKET, text)


def kapitel_hits(text: str) -> list[str]:
    """Every "Kapitel"/"kapitel..." (Danish); bokmål "Kapittel" does not match."""
    return _contexts(_KAPITEL, text)


def normalize_pdf_text(text: str) -> str:
    """Join words Typst hyphenated at a line end and collapse all whitespace."""
    text = re.sub(r"(\w)[-\u00ad]\s*\n\s*(\w)", r"\1\2", text)
    return " ".join(text.split())


def pdf_chapter_xref_labels(text: str, prefix: str, titles: dict[str, str]) -> list[str]:
    """Labels of ``prefix N`` in PDF text, without orange-book's running headers ``prefix N. <title of N>``.

    ``titles`` maps a label to its chapter title. A section number (``prefix 2.2.4``) is no chapter reference.
    """
    out = []
    for m in re.finditer(rf"\b{re.escape(prefix)}\s+(\d+|[A-Z])\b(?!\.\d)", text):
        label = m.group(1)
        title = titles.get(label)
        if title is None:
            continue  # not a chapter's label: a page number after "Vedlegg" in the PDF's contents
        if re.match(r"\.?\s*" + _title_pattern(title), text[m.end() :]):
            continue  # a running header "Kapittel 1. Title"
        out.append(label)
    return out


def _title_pattern(title: str) -> str:
    return r"\s+".join(re.escape(w) for w in title.split())


def pdf_title_labels(text: str, title: str) -> set[str]:
    """Labels written as ``N. <title>`` or ``A. <title>`` in PDF text (chapter headings, running headers, contents)."""
    return {m.group(1) for m in re.finditer(r"(?<![\w.,])(\d{1,2}|[A-Z])\.\s*" + _title_pattern(title) + r"(?!\w)", text)}


def split_bookmark(bookmark: str, title: str) -> tuple[bool, str | None]:
    """Whether a PDF bookmark is ``title`` and the number Typst put before it (``"1. Eiendom"`` -> ``"1"``)."""
    bookmark, title = " ".join(bookmark.split()), " ".join(title.split())
    if bookmark == title:
        return True, None
    if bookmark.endswith(" " + title):
        number = bookmark[: -len(title)].strip().rstrip(".")
        if re.fullmatch(r"(?:\d+|[A-Z])(?:\.\d+)*", number):
            return True, number
    return False, None


# --------------------------------------------------------------------------- build output


def nested_output_dirs(out: Path, name: str = "_book") -> list[Path]:
    """Folders below ``out`` named ``name`` or ``name.*`` (``_book/_book``, ``_book/x/_book.tmp``): a build nested its predecessor."""
    return sorted(p for p in out.rglob("*") if p.is_dir() and (p.name == name or p.name.startswith(name + ".")))


_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_WARNING = re.compile(r"WARN|(?i:warning:)")
"""Quarto logs ``WARN``/``WARNING``; Typst prints ``warning: ...``."""
_EXPECTED_WARNING = re.compile(r"verapdf is not installed", re.IGNORECASE)
"""quarto-cli ``src/core/verapdf.ts``: "PDF standard validation requested but verapdf is not installed."."""


def warning_lines(log: str) -> list[str]:
    """Lines of a render log that are warnings (Quarto's ``WARN``, Typst's ``warning:``), the veraPDF note aside."""
    lines = (_ANSI.sub("", line).strip() for line in log.splitlines())
    return [line for line in lines if _WARNING.search(line) and not _EXPECTED_WARNING.search(line)]


def parse_version(text: str) -> tuple[int, ...] | None:
    m = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", text)
    return tuple(int(g) for g in m.groups() if g is not None) if m else None


# --------------------------------------------------------------------------- PDF metadata and fonts


_XMP_PACKET = re.compile(rb"<x:xmpmeta\b.*?</x:xmpmeta>", re.DOTALL)
_PDFUA_NS = "http://www.aiim.org/pdfua/ns/id/"


def xmp_packets(raw: bytes) -> list[str]:
    """The uncompressed XMP packets in a PDF's bytes."""
    return [m.group(0).decode("utf-8", "replace") for m in _XMP_PACKET.finditer(raw)]


def xmp_pdfua_part(xmp: str) -> int | None:
    """``pdfuaid:part`` of an XMP packet (element or attribute form) when the PDF/UA namespace is declared."""
    if _PDFUA_NS not in xmp:
        return None
    m = re.search(r"<pdfuaid:part>\s*(\d+)\s*</pdfuaid:part>", xmp) or re.search(r"""pdfuaid:part\s*=\s*["'](\d+)["']""", xmp)
    return int(m.group(1)) if m else None


def font_family(base_font: str) -> str:
    """A PDF ``/BaseFont`` without its subset tag and ``#xx`` escapes: ``/ABCDEF+Lato-Bold`` -> ``Lato-Bold``."""
    name = base_font.lstrip("/")
    name = re.sub(r"#([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), name)
    return re.sub(r"^[A-Z]{6}\+", "", name)


ICON_FONT = "FontAwesome6Free-Solid"
"""The one face beside Lato: the icons of Quarto's callouts (Font Awesome, which Quarto brings), no letters."""


def _is_icon_font(family: str) -> bool:
    return family.replace("-Identity-H", "") == ICON_FONT


def foreign_fonts(names: set[str]) -> list[str]:
    """Embedded fonts that are neither Lato nor the callout icons' face."""
    return sorted(n for n in (font_family(x) for x in names) if not n.replace(" ", "").startswith("Lato") and not _is_icon_font(n))


@dataclass(frozen=True)
class Word:
    """A word on a PDF page as a reader sees it: its text and box (points, from the page's top left)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float


MIN_OVERLAP = 0.5
"""Points two words' boxes must share both ways to count as drawn over each other (touching boxes do not)."""


def overlapping_words(words: list[Word]) -> list[tuple[Word, Word]]:
    """Pairs of words whose boxes overlap: text drawn over text. A sweep down the page, not every pair."""
    out = []
    ordered = sorted(words, key=lambda w: w.top)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b.top >= a.bottom - MIN_OVERLAP:
                break
            if min(a.x1, b.x1) - max(a.x0, b.x0) > MIN_OVERLAP and min(a.bottom, b.bottom) - max(a.top, b.top) > MIN_OVERLAP:
                out.append((a, b))
    return out


A4_HEIGHT = 841.89
TEXT_BOTTOM = A4_HEIGHT - 70.87
"""The foot of the text area: A4 less the book template's bottom margin (orange-book: 2,5 cm)."""


DESCENT = 4.0
"""How far a last line's descenders may reach below the text area (a word's box includes the face's descent)."""


def below_text_area(words: list[Word]) -> list[Word]:
    """Words that end below the text area, except the page number in the foot margin."""
    return [w for w in words if w.bottom > TEXT_BOTTOM + DESCENT and not (w.text.isdigit() and w.top > TEXT_BOTTOM + 10)]


_BASEFONT = re.compile(rb"/BaseFont\s*/([^\s/\[\]<>()]+)")


def raw_base_fonts(raw: bytes) -> set[str]:
    """``/BaseFont`` names visible in a PDF's bytes (not those inside compressed object streams)."""
    return {m.group(1).decode("latin-1") for m in _BASEFONT.finditer(raw)}


# =========================================================================== tests of the helpers (no Quarto needed)


_SIDEBAR_HTML = """
<nav id="quarto-sidebar" class="sidebar collapse collapse-horizontal quarto-sidebar-collapse-item sidebar-navigation docked overflow-auto">
 <div class="sidebar-title mb-0 py-0"><a href="../">Virksomhetsanalyse</a></div>
 <div class="sidebar-menu-container"><ul class="list-unstyled mt-1">
  <li class="sidebar-item"><div class="sidebar-item-container">
   <a href="../index.html" class="sidebar-item-text sidebar-link"><span class="menu-text">Innledning</span></a></div></li>
  <li class="sidebar-item"><div class="sidebar-item-container">
   <a href="./osu.html" class="sidebar-item-text sidebar-link active">
   <span class="menu-text"><span class='chapter-number'>1</span>&nbsp; <span class='chapter-title'>Organisasjon</span></span></a></div></li>
  <li class="sidebar-item sidebar-item-section"><div class="sidebar-item-container">
   <a class="sidebar-item-text sidebar-link text-start" data-bs-toggle="collapse" role="navigation" aria-expanded="true">
   <span class="menu-text">Vedlegg</span></a></div>
   <ul id="quarto-sidebar-section-1" class="collapse list-unstyled sidebar-section depth1 show">
    <li class="sidebar-item"><div class="sidebar-item-container">
     <a href="./datakvalitet.html" class="sidebar-item-text sidebar-link">
     <span class="menu-text"><span class="chapter-number">A</span>&nbsp;
     <span class="chapter-title">Datakvalitet</span></span></a></div></li>
   </ul></li>
 </ul></div>
</nav>
<main><header id="title-block-header" class="quarto-title-block default"><div class="quarto-title">
<h1 class="title"><span id="sec-osu" class="quarto-section-identifier"><span class="chapter-number">1</span>&nbsp; <span
 class="chapter-title">Organisasjon</span></span></h1>
</div></header>
<section id="sec-a" class="level2" data-number="1.1">
<h2 data-number="1.1" class="anchored"><span class="header-section-number">1.1</span> Satsninger</h2>
<p>Se <a href="../index.html#sec-beregnet" class="quarto-xref">Seksjon 0.1</a>,
<a href="./eiendom.html#sec-eiendom" class="quarto-xref">Kapittel&nbsp;3</a>
og <a href="#sec-osu" class="quarto-xref">Kapittel 1</a>.</p></section>
<h2>Uten nummer</h2>
<nav class="page-navigation"><div class="nav-page nav-page-previous">
<a href="../index.html" class="pagination-link" aria-label="Innledning">
<i class="bi bi-arrow-left-short"></i> <span class="nav-page-text">Innledning</span></a></div></nav>
<script>var x = "index.html";</script>
</main>
"""


def test_sidebar_entries_read_quarto_markup():
    doc = parse_html(_SIDEBAR_HTML)
    entries = sidebar_entries(doc, "book/osu.html")
    assert [(e.page, e.label) for e in entries] == [
        ("index.html", None),
        ("book/osu.html", "1"),  # the appendix section's toggle links nowhere: not an entry
        ("book/datakvalitet.html", "A"),
    ]
    assert entries[0].text == "Innledning" and entries[1].text == "1 Organisasjon"
    assert sidebar_entries(parse_html("<p>no sidebar</p>"), "index.html") == []


def test_resolve_href():
    assert resolve_href("index.html", "./book/osu.html#sec-osu") == "book/osu.html"
    assert resolve_href("book/osu.html", "../index.html") == "index.html"
    assert resolve_href("book/osu.html", "#sec-osu") == "book/osu.html"
    assert resolve_href("book/osu.html", "digit.html") == "book/digit.html"
    assert resolve_href("book/osu.html", "../") == resolve_href("index.html", "./") == "index.html"


def test_title_label_chapter_appendix_and_unnumbered():
    assert title_label(parse_html(_SIDEBAR_HTML)) == ("1", "1 Organisasjon")
    appendix = parse_html('<h1 class="title"><span id="sec-d" class="quarto-section-identifier">Vedlegg A — Datakvalitet</span></h1>')
    assert title_label(appendix, "Datakvalitet") == ("A", "Vedlegg A — Datakvalitet")
    assert title_label(parse_html('<h1 class="title">Innledning</h1>'), "Innledning") == (None, "Innledning")
    assert title_label(parse_html("<h1>x</h1>")) == (None, "")


def test_section_numbers_and_xrefs():
    doc = parse_html(_SIDEBAR_HTML)
    assert section_numbers(doc) == [("1.1", "Satsninger"), (None, "Uten nummer")]
    assert chapter_xrefs(doc, "book/osu.html") == [("Kapittel", "3", "book/eiendom.html"), ("Kapittel", "1", "book/osu.html")]


def test_visible_text_leaves_out_scripts_and_attributes():
    doc = parse_html(_SIDEBAR_HTML)
    assert "index.html" not in doc.text()
    assert [n.text() for n in doc.find_all(cls="nav-page-text")] == ["Innledning"]


def test_table_floats_count_captions_and_gt_titles():
    page = """
    <div id="tbl-a" class="quarto-float quarto-figure"><figure class="quarto-float quarto-float-tbl figure">
      <figcaption class="quarto-float-caption-top quarto-float-caption quarto-float-tbl">Tabell 1.1: Utgifter</figcaption>
      <div><style>#t .gt_title { color: red }</style><table class="gt_table"><thead>
        <tr class="gt_heading"><td colspan="3" class="gt_heading gt_title gt_font_normal">Utgifter, 2015–2018</td></tr>
        <tr class="gt_col_headings"><th class="gt_col_heading">År</th></tr></thead></table></div></figure></div>
    <div id="tbl-b"><figure class="quarto-float-tbl"><figcaption class="quarto-float-caption">Tabell 1.2: B</figcaption>
      <table><caption>B again</caption><thead><tr><th>År</th></tr></thead></table></figure></div>
    <div id="fig-c"><figure><figcaption class="quarto-float-caption">Figur 1.1</figcaption></figure></div>
    """
    a, b = table_floats(parse_html(page))
    assert (a.id, a.quarto_captions, a.gt_headings, a.html_captions) == ("tbl-a", ["Tabell 1.1: Utgifter"], ["Utgifter, 2015–2018"], [])
    assert (b.id, b.quarto_captions, b.gt_headings, b.html_captions) == ("tbl-b", ["Tabell 1.2: B"], [], ["B again"])


@pytest.mark.parametrize(
    ("text", "hits"),
    [
        ("som omtalt i Kapitel 4.. Neste", 1),
        ("(se Bilag A.) og mer", 1),
        ("se Kapittel 4. Neste setning.", 0),
        ("og så videre... slutt", 0),
        ("tre prikker … og to .. slutt", 0),  # ".." after a space ends no word
        ("år 2018.. Deretter", 1),
        ("(se Tabell 1.2) og (se Vedlegg B)", 0),
        ("(se Kapittel 2.)", 1),
    ],
)
def test_doubled_full_stops(text, hits):
    assert len(doubled_full_stops(text)) == hits, doubled_full_stops(text)


def test_kapitel_but_not_kapittel():
    assert len(kapitel_hits("Kapitel 3, kapitelet og KAPITEL")) == 3
    assert kapitel_hits("Kapittel 3 og kapitlene; kapittelet") == []


def test_normalize_pdf_text_joins_hyphenated_words():
    assert normalize_pdf_text("omtalt i Kapit-\ntel 4\n\nog  mer") == "omtalt i Kapittel 4 og mer"


def test_pdf_chapter_xref_labels_skip_running_headers_and_section_numbers():
    titles = {"1": "Organisasjon, styring og utvikling", "3": "Eiendom", "A": "Datakvalitet"}
    text = (
        "12 Kapittel 1. Organisasjon, styring og utvikling Som vist i Kapittel 3, og i Kapittel 1. Deretter "
        "Kapittel 2.2.4 / 2.2.5 og Kapittel 1.Organisasjon, styring og utvikling"
    )
    assert pdf_chapter_xref_labels(text, "Kapittel", titles) == ["3", "1"]
    # the contents' "Vedlegg ..... 45" is no reference
    assert pdf_chapter_xref_labels("Vedlegg 45 A. Datakvalitet, se Vedlegg A.", "Vedlegg", titles) == ["A"]


def test_pdf_title_labels():
    text = "Kapittel 1. Eiendom 7 1.2 Utgifter A. Datakvalitet 3. Eiendommer 12,4 Eiendom 2018 Eiendom"
    assert pdf_title_labels(text, "Eiendom") == {"1"}
    assert pdf_title_labels(text, "Datakvalitet") == {"A"}


@pytest.mark.parametrize(
    ("bookmark", "title", "expected"),
    [
        ("1. Organisasjon, styring og utvikling", "Organisasjon, styring og utvikling", (True, "1")),
        ("1 Eiendom", "Eiendom", (True, "1")),
        ("A. Datakvalitet", "Datakvalitet", (True, "A")),
        ("A.1 Hvordan kontrollen virker", "Hvordan kontrollen virker", (True, "A.1")),
        ("0.1 En beregnet rapport", "En beregnet rapport", (True, "0.1")),
        ("Innledning", "Innledning", (True, None)),
        ("Medarbeidere og Eiendom", "Eiendom", (False, None)),
        ("Digitalisering og IT", "Eiendom", (False, None)),
    ],
)
def test_split_bookmark(bookmark, title, expected):
    assert split_bookmark(bookmark, title) == expected


def test_bookmark_tree_keeps_each_section_under_its_chapter():
    from types import SimpleNamespace as B

    outline = [
        B(title="Innledning"),
        [B(title="En beregnet rapport")],
        B(title="1. Digitalisering og IT"),
        [B(title="1.1  Utfordringsbilde"), [B(title="x")]],
    ]
    assert [(b.depth, b.title, b.chapter) for b in bookmark_tree(outline)] == [
        (0, "Innledning", "Innledning"),
        (1, "En beregnet rapport", "Innledning"),
        (0, "1. Digitalisering og IT", "1. Digitalisering og IT"),
        (1, "1.1 Utfordringsbilde", "1. Digitalisering og IT"),
        (2, "x", "1. Digitalisering og IT"),
    ]


def test_content_text_leaves_out_navigation():
    doc = parse_html(
        '<div id="quarto-sidebar"><a>1 Kapittel 9</a></div><main><h1>T</h1><nav id="TOC"><h2 id="toc-title">Innhold</h2></nav>'
        "<p>Se Kapittel 2.</p></main><nav class='page-navigation'>Kapittel 3</nav>"
    )
    assert content_text(doc) == "T Se Kapittel 2."
    assert section_numbers(doc) == []


def test_nested_output_dirs(tmp_path):
    out = tmp_path / "_book"
    (out / "book" / "assets").mkdir(parents=True)
    (out / "_book.html").write_text("a file is not a folder")
    assert nested_output_dirs(out) == []
    (out / "_book" / "_book" / "book" / "assets").mkdir(parents=True)
    (out / "site_libs" / "_book.tmp").mkdir(parents=True)
    assert nested_output_dirs(out) == [out / "_book", out / "_book" / "_book", out / "site_libs" / "_book.tmp"]


def test_warning_lines():
    log = (
        "\x1b[33mWARN: PDF standard validation requested but verapdf is not installed.\x1b[39m\n"
        "Install with: quarto install verapdf\nStandards requested: ua-1\n"
        "warning: unknown font family: sans-serif\n   ┌─ book/osu.typ:12\n"
        "forewarned is forearmed; Warnings: none\n"
        "WARN (book/osu.ipynb) Unable to resolve crossref @sec-x\n"
        "Output created: _book.tmp/index.html\npost-render: warning: index.html still loads https://x\n"
    )
    assert warning_lines(log) == [
        "warning: unknown font family: sans-serif",
        "WARN (book/osu.ipynb) Unable to resolve crossref @sec-x",
        "post-render: warning: index.html still loads https://x",
    ]


def test_parse_version():
    assert parse_version("1.10.18\n") == (1, 10, 18)
    assert parse_version("99.9.9") >= MIN_QUARTO and parse_version("1.9.36") < MIN_QUARTO
    assert parse_version("quarto") is None


def test_xmp_pdfua_part():
    ns = f'xmlns:pdfuaid="{_PDFUA_NS}"'
    element = f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description {ns}><pdfuaid:part>1</pdfuaid:part></rdf:Description></x:xmpmeta>'
    attribute = f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description {ns} pdfuaid:part="1"/></x:xmpmeta>'
    raw = b"%PDF-1.7\n1 0 obj <</Type /Metadata /Subtype /XML>> stream\n" + element.encode() + b"\nendstream"
    assert xmp_packets(raw) == [element]
    assert xmp_pdfua_part(element) == 1 and xmp_pdfua_part(attribute) == 1
    assert xmp_pdfua_part("<x:xmpmeta><pdfaid:part>2</pdfaid:part></x:xmpmeta>") is None
    assert xmp_packets(b"%PDF-1.7 no metadata") == []


def test_font_names():
    assert font_family("/ABCDEF+Lato-Bold") == "Lato-Bold"
    assert font_family("/Libertinus#20Serif") == "Libertinus Serif"
    raw = b"<< /Type /Font /BaseFont /QWERTY+Lato-Regular /Subtype /Type0 >> << /BaseFont /XYZABC+DejaVuSansMono >>"
    assert raw_base_fonts(raw) == {"QWERTY+Lato-Regular", "XYZABC+DejaVuSansMono"}
    assert foreign_fonts({"/QWERTY+Lato-Regular", "/CEPOHI+FontAwesome6Free-Solid-Identity-H", "/Lato Italic"}) == []
    assert foreign_fonts({"/AAAAAA+LiberationSans", "/BBBBBB+Lato-Bold", "/LibertinusSerif-Regular", "/XYZABC+DejaVuSansMono"}) == [
        "DejaVuSansMono",
        "LiberationSans",
        "LibertinusSerif-Regular",
    ]


def test_overlapping_words_and_text_area():
    a, b = Word("3 329", 100, 200, 130, 210), Word("3 237,0", 128, 200, 160, 210)  # drawn into each other
    c, d = Word("Oppvekst", 100, 212, 140, 222), Word("skole", 100, 224, 125, 234)  # the next lines: clear
    e = Word("touching", 130, 200, 150, 210)  # shares an edge with a: not over it
    assert {frozenset(pair) for pair in overlapping_words([d, c, b, a, e])} == {frozenset((a, b)), frozenset((b, e))}
    assert overlapping_words([a, c, d]) == []
    foot = [Word("41", 290, 795, 300, 805), Word("Totalt", 85, 770, 110, 780), Word("rad", 85, 760, 772, 772.2)]
    assert below_text_area(foot) == [foot[1]]


# =========================================================================== the render


def _quarto_or_skip() -> str:
    quarto = find_quarto()
    if quarto is None:
        where = f"$QUARTO={os.environ['QUARTO']} is not an executable" if os.environ.get("QUARTO") else "no `quarto` on PATH, $QUARTO unset"
        pytest.skip(f"Quarto not found ({where}): the render test needs Quarto >= {'.'.join(map(str, MIN_QUARTO))} (README: Quarto)")
    try:
        out = subprocess.run([quarto, "--version"], capture_output=True, text=True, timeout=120).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"`{quarto} --version` failed ({exc}): the render test needs a working Quarto")
    version = parse_version(out)
    if version is None or version[:2] < MIN_QUARTO:
        pytest.skip(f"{quarto} is Quarto {out.strip() or '?'}; the render test needs >= {'.'.join(map(str, MIN_QUARTO))}")
    return quarto


def _project_files(root: Path) -> list[str]:
    """What a clone (plus files not committed yet) holds: ``git ls-files`` tracked and untracked-not-ignored."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=root,
            capture_output=True,
            check=True,
            timeout=120,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"`git ls-files` failed in {root} ({exc}): the render test copies the project's git files")
    return sorted({p for p in out.decode("utf-8").split("\0") if p and ((root / p).exists() or (root / p).is_symlink())})


def _copy_project(root: Path, dst: Path) -> None:
    for rel in _project_files(root):
        src, target = root / rel, dst / rel
        if src.is_dir() and not src.is_symlink():
            continue  # a submodule or an empty entry: nothing to copy
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target, follow_symlinks=False)


@dataclass
class Render:
    returncode: int
    log: str


@dataclass
class Build:
    root: Path
    out: Path
    renders: list[Render]
    gitignore_before: bytes | None
    gitignore_after: bytes | None
    env: dict[str, str] = field(default_factory=dict)

    def page(self, rel: str) -> str:
        return (self.out / rel).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Build:
    """The project copied to a temporary folder and rendered ``RENDERS`` times there."""
    quarto = _quarto_or_skip()
    root = tmp_path_factory.mktemp("render") / "project"
    _copy_project(config.PROJ_ROOT, root)
    env = {**os.environ, "QUARTO": quarto, "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
    # the CLI must import the copy's analysis package (PROJ_ROOT = the copy), or it would render into this checkout
    probe = subprocess.run(
        [sys.executable, "-c", "import analysis.config as c; print(c.PROJ_ROOT)"], cwd=root, env=env, capture_output=True, text=True
    )
    assert Path(probe.stdout.strip()).resolve() == root.resolve(), f"the copy imports analysis from {probe.stdout.strip()!r} {probe.stderr}"
    gitignore = root / ".gitignore"
    before = gitignore.read_bytes() if gitignore.exists() else None
    renders = []
    for i in range(RENDERS):
        proc = subprocess.run(
            [sys.executable, "-m", "analysis.cli", "render", *(["--force"] if i else [])],  # the same inputs: forced
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=RENDER_TIMEOUT,
        )
        renders.append(Render(proc.returncode, proc.stdout + "\n" + proc.stderr))
        if proc.returncode != 0:
            tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-60:])
            pytest.fail(f"render {i + 1} of {RENDERS} exited {proc.returncode}:\n{tail}", pytrace=False)
    after = gitignore.read_bytes() if gitignore.exists() else None
    return Build(root, root / "_book", renders, before, after, env)


def _html_pages(build: Build) -> list[str]:
    return sorted(p.relative_to(build.out).as_posix() for p in build.out.rglob("*.html") if "site_libs" not in p.parts)


@pytest.fixture(scope="module")
def pages(built) -> dict[str, Node]:
    return {rel: parse_html(built.page(rel)) for rel in _html_pages(built)}


def _heading(path: Path) -> str | None:
    """The first level-1 heading of a .qmd or notebook, without its ``{...}`` attributes."""
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        lines = [ln for c in cells if c["cell_type"] == "markdown" for ln in "".join(c["source"]).splitlines()]
    else:
        lines = path.read_text(encoding="utf-8").splitlines()
    for line in lines:
        if line.startswith("# "):
            return re.sub(r"\s*\{[^}]*\}\s*$", "", line[2:]).strip()
    return None


@pytest.fixture(scope="module")
def titles(built) -> dict[str, str]:
    """Each page's chapter title from its source (index.qmd, or the include in book/index.qmd)."""
    index = _heading(built.root / "index.qmd") or _heading(built.root / "book" / "index.qmd")
    out = {INDEX_PAGE: index}
    for n in config.NOTEBOOKS:
        out[f"book/{n}.html"] = _heading(built.root / "book" / f"{n}.ipynb")
    assert all(out.values()), f"a chapter without a level-1 heading: {out}"
    return out


@pytest.fixture(scope="module")
def pdf_path(built) -> Path:
    path = built.out / PDF_NAME
    assert path.is_file(), f"{PDF_NAME} not in _book/: {sorted(p.name for p in built.out.iterdir())}"
    return path


@pytest.fixture(scope="module")
def pdf_reader(pdf_path):
    try:
        from pypdf import PdfReader
    except ImportError:
        pytest.skip("pypdf is not installed: the PDF text, bookmark and font checks need it (a dev dependency)")
    return PdfReader(str(pdf_path))


@pytest.fixture(scope="module")
def pdf_text(pdf_reader) -> str:
    return normalize_pdf_text("\n".join(page.extract_text() or "" for page in pdf_reader.pages))


@dataclass(frozen=True)
class Bookmark:
    depth: int
    title: str
    chapter: str
    """The title of the top-level bookmark it is under (its own title at depth 0)."""


def bookmark_tree(outline) -> list[Bookmark]:
    """Flatten pypdf's ``reader.outline``: a list of entries, each entry's children in a list right after it."""
    out: list[Bookmark] = []

    def walk(items, depth: int, chapter: str) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1, out[-1].chapter if out else chapter)
            else:
                title = " ".join(str(item.title).split())
                out.append(Bookmark(depth, title, title if depth == 0 else chapter))

    walk(outline, 0, "")
    return out


# --------------------------------------------------------------------------- 3, 4, 5: the build itself


def test_no_nested_book_after_repeated_builds(built):
    assert len(built.renders) == RENDERS
    nested = nested_output_dirs(built.out)
    assert nested == [], f"after {RENDERS} builds: {[p.relative_to(built.root).as_posix() for p in nested]}"
    leftovers = sorted(p.name for p in built.root.iterdir() if p.name.startswith("_book."))
    assert leftovers == [], f"staging folders left beside _book/: {leftovers}"


def test_render_again_with_nothing_changed_renders_nothing(built):
    before = {p: p.stat().st_mtime_ns for p in built.out.rglob("*") if p.is_file()}
    proc = subprocess.run([sys.executable, "-m", "analysis.cli", "render"], cwd=built.root, env=built.env, capture_output=True, text=True)
    assert proc.returncode == 0 and "book up to date" in proc.stdout, proc.stdout + proc.stderr
    assert {p: p.stat().st_mtime_ns for p in built.out.rglob("*") if p.is_file()} == before


def test_failed_render_leaves_the_book_and_nothing_beside_it(built, tmp_path):
    """A Typst error (a broken header in a copy): exit 5, ``_book/`` as it was, no ``index.typ``, no ``_book.tmp``."""
    root = tmp_path / "project"
    _copy_project(config.PROJ_ROOT, root)
    shutil.copytree(built.out, root / "_book")
    header = root / "tools" / "typst-header.typ"
    header.write_text(header.read_text(encoding="utf-8") + '\n#set text(size: "not a length")\n', encoding="utf-8")
    before = {p.relative_to(root / "_book"): p.read_bytes() for p in (root / "_book").rglob("*") if p.is_file()}
    env = {**built.env, "PYTHONPATH": str(root)}
    proc = subprocess.run(
        [sys.executable, "-m", "analysis.cli", "render", "--to", "typst"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=RENDER_TIMEOUT,
    )
    assert proc.returncode == 5, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert {p.relative_to(root / "_book"): p.read_bytes() for p in (root / "_book").rglob("*") if p.is_file()} == before
    left = sorted(p.name for p in root.iterdir() if p.suffix == ".typ" or p.name.startswith("_book."))
    assert left == [], f"left beside the sources: {left}"


def test_gitignore_unchanged_by_render(built):
    assert built.gitignore_before is not None, ".gitignore missing from the copy"
    assert built.gitignore_after == built.gitignore_before, (
        ".gitignore changed by the render:\n"
        + (built.gitignore_after or b"").decode("utf-8", "replace")[len(built.gitignore_before.decode("utf-8", "replace")) :]
    )


def test_no_warning_from_quarto_or_typst(built):
    found = [f"render {i + 1}: {line}" for i, r in enumerate(built.renders) for line in warning_lines(r.log)]
    assert found == [], "warnings in the render output:\n" + "\n".join(found[:40])


# --------------------------------------------------------------------------- 1: chapter numbers, HTML


def test_html_pages_are_the_book_pages(built):
    # every page of _book/ is one the tests below check (the browser tests are parametrized by this list)
    assert _html_pages(built) == sorted(p for p, _ in EXPECTED_PAGES)
    assert (built.out / PDF_NAME).is_file()


def test_sidebar_numbers_match_the_book(pages, titles):
    for rel, doc in pages.items():
        entries = sidebar_entries(doc, rel)
        assert entries, f"{rel}: no #quarto-sidebar a.sidebar-link"
        shown = [e.text for e in entries if re.search(r"\.html\b", e.text)]
        assert shown == [], f"{rel}: the sidebar shows file names: {shown}"
        order = [(e.page, e.label) for e in entries if e.page in SOURCE_OF_PAGE]
        assert order == EXPECTED_PAGES, f"{rel}: sidebar (page, number) {order}, expected {EXPECTED_PAGES}"
        first = entries[0]
        assert first.page == INDEX_PAGE and first.label is None, f"{rel}: first sidebar entry {first}"
        assert first.text == titles[INDEX_PAGE], f"{rel}: first sidebar entry reads {first.text!r}, not {titles[INDEX_PAGE]!r}"


def test_page_navigation_shows_titles_not_file_names(pages):
    for rel, doc in pages.items():
        texts = [n.text() for n in doc.find_all(cls="nav-page-text")]
        assert not [t for t in texts if ".html" in t], f"{rel}: previous/next links read {texts}"
        for a in doc.find_all("a", cls="pagination-link"):
            assert ".html" not in a.attrs.get("aria-label", ""), f"{rel}: pagination link labelled {a.attrs['aria-label']!r}"


@pytest.mark.parametrize(("page", "label"), EXPECTED_PAGES)
def test_chapter_heading_number(built, pages, titles, page, label):
    if page == INDEX_PAGE:
        # a Quarto book's home page carries the book's title block (title, subtitle, author) as its
        # <h1 class=title>; the introduction's own heading follows as an unnumbered <h1> (seen with Quarto 1.10.18)
        book_title = yaml.safe_load((built.root / "_quarto.yml").read_text(encoding="utf-8"))["book"]["title"]
        got, text = title_label(pages[page])
        assert text == book_title, f"{page}: <h1 class=title> reads {text!r}, not the book's title {book_title!r}"
        headings = [h for h in pages[page].find_all("h1") if "title" not in h.attrs.get("class", "").split()]
        assert headings and headings[0].text().strip() == titles[page], f"{page}: first chapter heading {[h.text() for h in headings[:2]]}"
        assert "unnumbered" in headings[0].attrs.get("class", "").split() and headings[0].find(cls="header-section-number") is None
        return
    got, text = title_label(pages[page], titles[page])
    assert titles[page] in text, f"{page}: <h1 class=title> reads {text!r}, the source's heading is {titles[page]!r}"
    assert got == label, f"{page}: heading {text!r} carries number {got!r}, expected {label!r}"
    if label is not None and label.isdigit():
        assert pages[page].find(cls="chapter-number") is not None, f"{page}: no <span class=chapter-number> in the title"


def test_html_sections_numbered_within_their_chapter(pages):
    for page, label in EXPECTED_PAGES:
        for number, title in section_numbers(pages[page]):
            if label is None:
                assert number is None, f"{page}: section {title!r} of the unnumbered introduction is numbered {number}"
            elif number is not None:
                assert number.split(".")[0] == label, f"{page}: section {number} {title!r} is not in chapter {label}"


def test_html_chapter_references_carry_the_chapter_number(pages):
    label_of = dict(EXPECTED_PAGES)
    wrong = []
    for rel, doc in pages.items():
        for prefix, label, target in chapter_xrefs(doc, rel):
            if target in label_of and label != label_of[target]:
                wrong.append(f"{rel}: '{prefix} {label}' links to {target}, which is {label_of[target]}")
    assert wrong == [], "\n".join(wrong)


# --------------------------------------------------------------------------- 1: chapter numbers, PDF against HTML


def test_pdf_bookmarks_carry_the_html_numbers(pdf_reader, pages, titles):
    bookmarks = bookmark_tree(pdf_reader.outline)
    assert bookmarks, "the PDF has no bookmarks (Typst writes one per outlined heading)"
    top = [b.title for b in bookmarks if b.depth == 0]
    problems = []
    for page, label in EXPECTED_PAGES:
        chapter = [(b.title, n) for b in bookmarks if b.depth == 0 for ok, n in [split_bookmark(b.title, titles[page])] if ok]
        if [n for _, n in chapter] != [label]:
            problems.append(f"{titles[page]!r}: top-level PDF bookmark(s) {chapter}, the HTML numbers it {label!r} (all: {top})")
            continue
        # its sections: the same number as the page's <h2> (the introduction's came out as 0.1-0.4 in the PDF)
        under = [b.title for b in bookmarks if b.depth >= 1 and b.chapter == chapter[0][0]]
        for number, title in section_numbers(pages[page]):
            pdf_numbers = [n for ok, n in (split_bookmark(t, title) for t in under) if ok]
            if pdf_numbers and pdf_numbers != [number]:
                problems.append(f"{page}: section {title!r} is {number or 'unnumbered'} in HTML, {pdf_numbers} in the PDF")
    assert problems == [], "\n".join(problems)
    zero = [b.title for b in bookmarks if re.match(r"0(?:\.\d+)+\s", b.title)]
    assert zero == [], f"PDF headings numbered 0.x (the unnumbered introduction's sections): {zero}"


def test_pdf_headings_and_running_headers_carry_the_html_numbers(pdf_text, titles):
    wrong = []
    for page, label in EXPECTED_PAGES:
        found = pdf_title_labels(pdf_text, titles[page])
        if not found <= ({label} if label else set()):
            wrong.append(f"the PDF writes {titles[page]!r} as {sorted(found)}, the HTML numbers it {label!r}")
    assert wrong == [], "\n".join(wrong)


def test_chapter_references_agree_between_html_and_pdf(pages, pdf_text, titles):
    # the same rule over the same text in both: every "Kapittel N" (and appendix prefix) in the pages' content
    # (navigation left out) and in the PDF (orange-book's running headers "Kapittel N. <title>" left out)
    xrefs = [(prefix, label) for rel, doc in pages.items() for prefix, label, _ in chapter_xrefs(doc, rel)]
    assert any(p == CHAPTER_WORD for p, _ in xrefs), f"no '{CHAPTER_WORD} N' cross-reference in the HTML: {sorted(set(xrefs))[:10]}"
    by_label = {label: titles[page] for page, label in EXPECTED_PAGES if label}
    # In the HTML a reference is a link (a.quarto-xref). From the home page the HTML book writes it with the
    # chapter's title ("1 Organisasjon, styring og utvikling beskriver ...", "Vedlegg A — Datakvalitet"), the
    # PDF as "Kapittel 1", "Vedlegg A" (Quarto 1.10.18): the same chapter by the same number, so each counts once.
    titled = Counter(
        label
        for doc in pages.values()
        for a in doc.find_all("a", cls="quarto-xref")
        for label, title in by_label.items()
        if re.fullmatch(rf"(?:\S+\s+)?{re.escape(label)}\s+(?:\u2014\s+)?{_title_pattern(title)}", " ".join(a.text().split()))
    )
    for prefix in sorted({p for p, _ in xrefs} | {CHAPTER_WORD}):
        in_html = Counter(label for p, label in xrefs if p == prefix and label in by_label)
        in_html += Counter({k: n for k, n in titled.items() if k.isdigit() == (prefix == CHAPTER_WORD)})
        in_pdf = Counter(pdf_chapter_xref_labels(pdf_text, prefix, by_label))
        assert in_pdf == in_html, f"'{prefix} N': HTML {dict(sorted(in_html.items()))}, PDF {dict(sorted(in_pdf.items()))}"


# --------------------------------------------------------------------------- 2: bokmål, no ".."


def test_no_kapitel_anywhere(built, pdf_reader, pdf_text):
    hits = []
    for p in sorted(built.out.rglob("*")):
        if p.suffix in (".html", ".json") and p.is_file() and "site_libs" not in p.parts:
            hits += [f"{p.relative_to(built.out)}: …{h}…" for h in kapitel_hits(html_lib.unescape(p.read_text(encoding="utf-8")))]
    hits += [f"PDF: …{h}…" for h in kapitel_hits(pdf_text)]
    assert hits == [], f"{len(hits)} × 'Kapitel' (bokmål: Kapittel):\n" + "\n".join(hits[:30])


def test_no_doubled_full_stops(pages, pdf_text):
    hits = [f"{rel}: …{h}…" for rel, doc in pages.items() for h in doubled_full_stops(content_text(doc))]
    hits += [f"PDF: …{h}…" for h in doubled_full_stops(pdf_text)]
    assert hits == [], "doubled full stops:\n" + "\n".join(hits[:30])


# --------------------------------------------------------------------------- 6, 8: the PDF's metadata and fonts


def test_pdf_declares_pdf_ua_1(pdf_path):
    raw = pdf_path.read_bytes()
    packets = xmp_packets(raw)
    if not packets:
        try:
            from pypdf import PdfReader
        except ImportError:
            pytest.skip("no uncompressed XMP packet in the PDF and pypdf (to decode its metadata stream) is not installed")
        metadata = PdfReader(str(pdf_path)).trailer["/Root"].get("/Metadata")
        assert metadata is not None, "the PDF has no /Metadata stream (PDF/UA requires XMP metadata)"
        packets = [metadata.get_object().get_data().decode("utf-8", "replace")]
    parts = [xmp_pdfua_part(p) for p in packets]
    assert 1 in parts, f"no pdfuaid:part = 1 in the PDF's XMP metadata (found {parts}); set format: typst: pdf-standard: ua-1"


def _pdf_font_names(reader) -> set[str]:
    """``/BaseFont`` of every font in the pages' resources, form XObjects and Type0 descendants included."""
    names: set[str] = set()
    seen: set[int] = set()

    def visit(resources) -> None:
        resources = resources.get_object() if resources is not None else None
        if not resources or id(resources) in seen:
            return
        seen.add(id(resources))
        fonts = resources.get("/Font")
        for font in fonts.get_object().values() if fonts is not None else []:
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descendants = descendants.get_object() if descendants is not None else []
            for f in [font, *(d.get_object() for d in descendants)]:
                if "/BaseFont" in f:
                    names.add(str(f["/BaseFont"]))
        xobjects = resources.get("/XObject")
        for x in xobjects.get_object().values() if xobjects is not None else []:
            x = x.get_object()
            if x.get("/Subtype") == "/Form":
                visit(x.get("/Resources"))

    for page in reader.pages:
        visit(page.get("/Resources"))
    return names


@pytest.fixture(scope="module")
def pdf_pages(pdf_path) -> list[tuple[list[Word], list[dict]]]:
    """Each page's words with their boxes and its characters with their fonts (pdfplumber, as a reader's tool reads them)."""
    pdfplumber = pytest.importorskip("pdfplumber")
    out = []
    with pdfplumber.open(str(pdf_path)) as pdf:
        for page in pdf.pages:
            words = [Word(w["text"], w["x0"], w["top"], w["x1"], w["bottom"]) for w in page.extract_words()]
            out.append((words, [{"text": ch["text"], "font": font_family(ch["fontname"])} for ch in page.chars]))
    return out


def test_pdf_no_word_drawn_over_another(pdf_pages):
    found = [f"p. {n}: {a.text!r} over {b.text!r}" for n, (words, _) in enumerate(pdf_pages, 1) for a, b in overlapping_words(words)]
    assert found == [], f"{len(found)} pairs of words drawn over each other:\n" + "\n".join(found[:30])


def test_pdf_no_table_row_past_the_text_area(pdf_pages):
    found = [f"p. {n}: {w.text!r} ends at {w.bottom:.1f} pt" for n, (words, _) in enumerate(pdf_pages, 1) for w in below_text_area(words)]
    assert found == [], f"text below the text area (foot at {TEXT_BOTTOM:.1f} pt):\n" + "\n".join(found[:30])


def test_pdf_every_glyph_is_lato_or_a_callout_icon(pdf_pages):
    icons = Counter()
    other = Counter()
    for n, (_, chars) in enumerate(pdf_pages, 1):
        for ch in chars:
            if ch["font"].replace(" ", "").startswith("Lato"):
                continue
            if _is_icon_font(ch["font"]) and "\ue000" <= ch["text"] <= "\uf8ff":  # a Font Awesome icon (private use area)
                icons[ch["text"]] += 1
            else:
                other[(n, ch["font"], ch["text"])] += 1
    assert not other, f"glyphs in another face than Lato: {sorted(other.items())[:20]}"


def test_pdf_embeds_lato_and_no_other_text_face(pdf_path):
    try:
        from pypdf import PdfReader
    except ImportError:
        names = raw_base_fonts(pdf_path.read_bytes())
        if not names:
            pytest.skip("pypdf is not installed and the PDF's fonts are inside compressed object streams")
    else:
        names = _pdf_font_names(PdfReader(str(pdf_path)))
    families = sorted({font_family(n) for n in names})
    assert any(f.replace(" ", "").startswith("Lato") for f in families), f"no Lato embedded in the PDF: {families}"
    assert foreign_fonts(names) == [], f"the PDF embeds other text faces beside Lato: {foreign_fonts(names)}"


# --------------------------------------------------------------------------- 9: one caption per table


def test_one_caption_per_table(pages):
    problems, n_tables = [], 0
    for rel, doc in pages.items():
        for t in table_floats(doc):
            n_tables += 1
            if len(t.quarto_captions) != 1:
                problems.append(f"{rel} #{t.id}: {len(t.quarto_captions)} Quarto captions {t.quarto_captions}")
            if t.gt_headings:
                problems.append(f"{rel} #{t.id}: great-tables title/subtitle as well: {t.gt_headings}")
            if t.html_captions:
                problems.append(f"{rel} #{t.id}: a <caption> as well: {t.html_captions}")
    assert n_tables > 0, "no tbl- float in any page"
    assert problems == [], "\n".join(problems)


# --------------------------------------------------------------------------- 7, 8: the pages in Chromium


def _browser_helpers():
    """test_browser.py's prerequisites and CI policy (importing it has no side effects)."""
    import test_browser

    return test_browser


_CHARTS_DRAWN = "() => [...document.querySelectorAll('.va-chart')].every(c => c.querySelector('svg, canvas') !== null)"
_FONTS = """async () => {
  await document.fonts.ready;
  const fam = el => el ? getComputedStyle(el).fontFamily : null;
  const cell = document.querySelector('[id^="tbl-"] table td, [id^="tbl-"] table th');
  const chartText = document.querySelector('.va-chart svg text');
  return {
    body: fam(document.body), cell: fam(cell), chartText: fam(chartText),
    faces: [...document.fonts].map(f => ({family: f.family.replace(/^["']|["']$/g, ''), status: f.status}))
  };
}"""
_AXE_ALL = """async (tags) => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return {version: axe.version, passes: r.passes.length,
          violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => `${n.target.join(' ')}: ${n.html.slice(0, 160)}`)}))};
}"""


@dataclass
class Loaded:
    charts: int = 0
    drawn: bool = False
    chart_error: str | None = None
    requests: list[str] = field(default_factory=list)
    font_requests: list[str] = field(default_factory=list)
    fonts: dict = field(default_factory=dict)
    axe: dict = field(default_factory=dict)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="module")
def browser_pages(built):
    """Each page of ``_book/`` loaded once in headless Chromium (lazily): ``load(rel) -> Loaded``."""
    tb = _browser_helpers()
    missing = tb._missing()
    if missing:
        message = "browser prerequisites missing: " + "; ".join(missing)
        if tb._ci():
            pytest.fail(message + " (CI is set: not skipping)", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(built.out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    cache: dict[str, Loaded] = {}
    with sync_playwright() as pw:
        env = book_fonts_env(built.root.parent / "fontconfig")  # no system font needed (helpers.book_fonts_env)
        browser = pw.chromium.launch(executable_path=str(tb.CHROMIUM), headless=True, args=tb.CHROMIUM_ARGS, env=env)

        def load(rel: str) -> Loaded:
            if rel in cache:
                return cache[rel]
            result = Loaded()
            context = browser.new_context(service_workers="block")
            context.set_default_timeout(tb.CHART_TIMEOUT_MS)
            page = context.new_page()

            def on_request(req) -> None:
                result.requests.append(req.url)
                if req.resource_type == "font":
                    result.font_requests.append(req.url)

            def route(r) -> None:  # anything off the local host is recorded and aborted (routing also disables the cache)
                url = urlsplit(r.request.url)
                if url.scheme in tb.LOCAL_SCHEMES or url.hostname in tb.LOCAL_HOSTS:
                    r.continue_()
                else:
                    r.abort("blockedbyclient")

            page.on("request", on_request)
            page.route("**/*", route)
            try:
                page.goto(f"{base}/{rel}", wait_until="load")
                result.charts = page.locator(".va-chart").count()
                try:
                    page.wait_for_function(_CHARTS_DRAWN, timeout=tb.CHART_TIMEOUT_MS)
                    result.drawn = True
                except Exception as exc:  # a timeout: the chart test reports it
                    result.chart_error = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
                result.fonts = page.evaluate(_FONTS)
                page.add_script_tag(path=str(tb.AXE))
                result.axe = page.evaluate(_AXE_ALL, AXE_TAGS)
            finally:
                context.close()
            cache[rel] = result
            return result

        try:
            yield load
        finally:
            browser.close()
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)


def _expected_charts(built: Build, rel: str) -> int:
    name = SOURCE_OF_PAGE.get(rel)
    if name is None:
        return 0
    nb = json.loads((built.root / "book" / f"{name}.ipynb").read_text(encoding="utf-8"))
    htmls = ["".join(o.get("data", {}).get("text/html", "")) for c in nb["cells"] for o in c.get("outputs", [])]
    return sum(h.count('class="va-chart"') for h in htmls)


PAGE_NAMES = [p for p, _ in EXPECTED_PAGES]


@pytest.mark.parametrize("rel", PAGE_NAMES)
def test_every_chart_draws(built, browser_pages, rel):
    r = browser_pages(rel)
    assert r.charts == _expected_charts(built, rel), (
        f"{rel}: {r.charts} .va-chart on the page, the notebook has {_expected_charts(built, rel)}"
    )
    assert r.drawn, f"{rel}: not every chart drew an <svg>/<canvas> ({r.chart_error})"


@pytest.mark.parametrize("rel", PAGE_NAMES)
def test_no_request_leaves_localhost(browser_pages, rel):
    tb = _browser_helpers()
    r = browser_pages(rel)
    remote = sorted({u for u in r.requests if urlsplit(u).scheme not in tb.LOCAL_SCHEMES and urlsplit(u).hostname not in tb.LOCAL_HOSTS})
    assert remote == [], f"{rel}: requests to other hosts (blocked): {remote}"
    assert any(urlsplit(u).path.endswith("/" + rel) for u in r.requests), f"{rel}: the request log recorded nothing"


@pytest.mark.parametrize("rel", PAGE_NAMES)
def test_axe_no_violations(browser_pages, rel):
    r = browser_pages(rel)
    assert r.axe.get("passes", 0) > 0, f"{rel}: axe did not run"
    lines = []
    for v in r.axe["violations"]:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        lines += [f"    {n}" for n in v["nodes"]]
    assert not r.axe["violations"], f"{rel}: axe-core {r.axe.get('version')} ({', '.join(AXE_TAGS)}):\n" + "\n".join(lines)


def _first_family(css_family: str | None) -> str | None:
    return css_family.split(",")[0].strip().strip("\"'") if css_family else None


@pytest.mark.parametrize("rel", PAGE_NAMES)
def test_lato_everywhere_served_by_the_book(built, browser_pages, rel):
    r = browser_pages(rel)
    f = r.fonts
    assert _first_family(f["body"]) == "Lato", f"{rel}: body font-family {f['body']!r}"
    if table_floats(parse_html(built.page(rel))):
        assert _first_family(f["cell"]) == "Lato", f"{rel}: table cell font-family {f['cell']!r}"
    if r.charts:
        assert _first_family(f["chartText"]) == "Lato", f"{rel}: chart text font-family {f['chartText']!r}"
    loaded = [x for x in f["faces"] if x["family"] == "Lato" and x["status"] == "loaded"]
    assert loaded, f"{rel}: no Lato font face loaded (document.fonts: {f['faces']})"
    assert r.font_requests, f"{rel}: no font file requested: Lato must come from the book, not the system"

"""The narrative placed in a chapter: ``va.narrative(book, "osu/innledning")``.

A block of the edition's text (``Book.narrative``, ``analysis.data.narrative``)
becomes a ``text/markdown`` output. The chapter cell carries ``#| output: asis``,
so Quarto takes the Markdown as it would a Markdown cell (no output div around
it): cross-references, lists and callouts in the text work as before.

A block not yet reviewed for this edition (copied by ``edition new`` and
neither edited nor marked reviewed) carries a callout before its text,
*Teksten er fra 2018-utgaven og er ikke gjennomgått.*, in the HTML book, the
preview and a draft PDF; the output's metadata names the block
(``UNREVIEWED_KEY``), so that ``render`` can count what a PDF would show
without parsing text. Like ``Prose``, the text holds no raw HTML: ``&``, ``<``
and ``>`` are written as entities.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from analysis.data.book import Book

__all__ = ["NarrativeOutput", "narrative", "marker", "UNREVIEWED_KEY", "MARKER_CLASS"]

UNREVIEWED_KEY = "virksomhetsanalyse-unreviewed"
"""Output metadata of a block not reviewed: ``{"block": "osu/innledning", "from": 2018}``."""
MARKER_CLASS = "va-unreviewed"


def marker(source: int) -> str:
    """The callout before a block not reviewed: its text is the ``source`` edition's."""
    return f"::: {{.callout-warning .{MARKER_CLASS}}}\n## Utkast\n\nTeksten er fra {source}-utgaven og er ikke gjennomgått.\n:::\n\n"


@dataclass(frozen=True)
class NarrativeOutput:
    """One block of the edition's text as the chapter shows it."""

    block: str
    text: str
    """What the book shows of the block (the authors' comments left out)."""
    unreviewed_from: int | None = None
    """The edition the text was copied from, while it is not reviewed; ``None`` once it is (or it was written for this one)."""

    def markdown(self) -> str:
        body = html.escape(self.text, quote=False)
        return body if self.unreviewed_from is None else marker(self.unreviewed_from) + body

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {"text/markdown": self.markdown(), "text/plain": self.text}
        if self.unreviewed_from is None:
            return data
        return data, {UNREVIEWED_KEY: {"block": self.block, "from": self.unreviewed_from}}

    def __repr__(self) -> str:
        return f"NarrativeOutput({self.block!r})"


def narrative(book: Book, block: str) -> NarrativeOutput:
    """Block ``block`` (``chapter/name``) of the edition of ``book.year``, with the marker while it is not reviewed."""
    state = book.narrative(block)
    return NarrativeOutput(state.block.id, state.block.book_text, state.source if state.unreviewed else None)

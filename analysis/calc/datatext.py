"""Text from ``data/`` (labels, units, sources, notes) as Markdown that shows exactly that text.

The one rule for data text, below the presentation layer so that the data
layer's ``Book`` can hand out labels already marked:

* ``DataText`` is text from ``data/``; ``Book``'s lookups return it. It is the
  raw text wherever it is used as text (a great-tables cell, which escapes it
  for HTML; an attribute, escaped with ``html.escape``; the Vega-Lite spec,
  drawn as text), and Markdown that shows exactly that text wherever it is
  interpolated into a string (``f"{label}"``, ``format``): the point where data
  text enters a sentence. Slicing, case changes and ``+`` keep it ``DataText``.
* ``md_escape`` is the escaping itself (pandoc's and markdown-it's Markdown).

``analysis.present.outputs.Prose`` writes ``&``, ``<`` and ``>`` as entities in
all of its text, so no label can open a tag even where it slipped through
(and no Quarto shortcode ``{{< … >}}`` can form: ``{{&lt;`` is none).

Escaping fits the output it goes into:

* Markdown (sentences): ``md_escape``, when ``DataText`` is interpolated;
* text that is not Markdown (a great-tables cell or note, a CSV download),
  which may have been built by interpolation: ``plain_text`` takes the
  Markdown escapes out again, so the reader sees the text as written;
* a Quarto cell option (``#| fig-alt``), which Quarto reads for shortcodes:
  ``quarto_option_text`` escapes them the way Quarto documents
  (``{{{< … >}}}`` shows ``{{< … >}}``).
"""

from __future__ import annotations

import re

__all__ = ["DataText", "md_escape", "plain_text", "quarto_option_text"]

_MD_INLINE = re.compile(r"[\\`*\[\]$~^@|]|(?<![^\W_])_|_(?![^\W_])")
"""Characters that are Markdown anywhere in a line (pandoc's and markdown-it's): emphasis, code, links and
images, math, sub/superscript and strikeout, citations and cross-references (``@``), table cells; ``_``
only where it could emphasise (not inside a word: ``hr_turnover`` stays as it is)."""
_MD_MARKER = re.compile(r"([#\-+:=])\1*(?=\s|$)")
"""Markdown only at the start of a line: a heading, list item, rule, fenced div, definition or setext line."""
_MD_LIST_NUMBER = re.compile(r"(\(?)([0-9]{1,9}|[A-Za-z])[.)](?=\s|$)")
"""An ordered list item at the start of a line (pandoc's fancy lists too: ``a.``, ``(1)``)."""
_LINE_BREAKS = re.compile(r"[\r\n\t\f\v\u2028\u2029]+")


def md_escape(text: str) -> str:
    """``text`` as Markdown that shows exactly ``text``, in Quarto (pandoc) and in the preview (markdown-it).

    Backslash before every character that could be Markdown here (``*``, ``_``,
    ``[``, ``@``, ...; ``>``, ``# ``, ``- ``, ``1. `` only at the start); line breaks and
    tabs become spaces, so that no data text starts a block. ``&``, ``<`` and ``>``
    are left to ``Prose`` (entities in all of its text). Ordinary labels
    (``Bærum kommune (ASSS)``, ``IT-drift``) come back unchanged.
    """
    t = _MD_INLINE.sub(lambda m: "\\" + m.group(), _LINE_BREAKS.sub(" ", str(text)))
    if t[:1] == ">" or _MD_MARKER.match(t):
        return "\\" + t
    m = _MD_LIST_NUMBER.match(t)
    if m:
        return "\\" + t if m.group(1) else t[: m.end(2)] + "\\" + t[m.end(2) :]
    return t


_MD_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
"""A backslash escape of CommonMark (and pandoc): a backslash before ASCII punctuation."""
_SHORTCODE = re.compile(r"(\{\{<)|(>\}\})")


def plain_text(text: str) -> str:
    """Text that may hold ``md_escape``'s escapes as the text it shows: ``\\[x\\]`` → ``[x]``, ``\\@`` → ``@``.

    For outputs that are not Markdown (a table cell or note, a CSV cell), where text built by
    interpolating ``DataText`` would otherwise show its backslashes. The exact inverse of
    ``md_escape`` (except line breaks, which it turned into spaces).
    """
    return _MD_ESCAPED.sub(r"\1", str(text)) if "\\" in str(text) else str(text)


def quarto_option_text(text: str) -> str:
    """Text for a Quarto cell option (``#| fig-alt: "…"``), where Quarto would run a shortcode: ``{{<`` and ``>}}`` escaped.

    Quarto shows ``{{{< x >}}}`` as ``{{< x >}}`` and runs nothing; the rest of the text is left as it is.
    """
    return _SHORTCODE.sub(lambda m: "{{{<" if m.group(1) else ">}}}", str(text))


class DataText(str):
    """Text from ``data/`` (a label, a unit, a source): raw as a value, escaped Markdown when interpolated.

    ``str(x)``, great-tables, polars, JSON and ``html.escape`` see the text as it
    is; ``f"{x}"`` and ``format`` give ``md_escape(x)``. Slicing, case changes,
    ``strip``/``removeprefix``/``replace`` and ``+`` with any string keep the
    result ``DataText``; a ``str.join`` of several does not (``text.list_nb`` does).
    """

    __slots__ = ()

    def __format__(self, spec: str) -> str:
        return format(md_escape(str.__str__(self)), spec)

    def __add__(self, other: str) -> DataText:
        return DataText(str.__add__(str.__str__(self), other))

    def __radd__(self, other: str) -> DataText:
        return DataText(str.__add__(other, str.__str__(self)))

    def __getitem__(self, key) -> DataText:
        return DataText(str.__getitem__(self, key))

    def __repr__(self) -> str:
        return f"DataText({str.__repr__(self)})"


def _keep(name: str):
    method = getattr(str, name)

    def wrapped(self, *args, **kwargs):
        return DataText(method(self, *args, **kwargs))

    wrapped.__name__ = name
    wrapped.__doc__ = method.__doc__
    return wrapped


for _name in ("lower", "upper", "capitalize", "title", "casefold", "swapcase", "strip", "lstrip", "rstrip",
              "removeprefix", "removesuffix", "replace", "center", "ljust", "rjust", "expandtabs"):  # fmt: skip
    setattr(DataText, _name, _keep(_name))

"""The command line's consoles: text from files is printed as it is, never read as markup or emoji codes.

``make_console`` gives a rich ``Console`` with markup, emoji codes and highlighting off, so that a cell
holding ``:x:`` or ``[bold]`` is printed as ``:x:`` and ``[bold]``; ``styled`` colours the command's own
words (``("error", "bold red")``) and leaves every other part plain text.
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

__all__ = ["make_console", "styled"]


def make_console(stderr: bool = False, width: int | None = None) -> Console:
    """A console that prints strings literally (no markup, no emoji codes, no highlighting): wrapped softly, or ``width`` wide."""
    return Console(stderr=stderr, highlight=False, soft_wrap=width is None, markup=False, emoji=False, width=width)


def styled(*parts: str | tuple[str, str]) -> Text:
    """Text from parts: ``(words, style)`` for the command's own words, a plain string for everything else."""
    return Text.assemble(*parts)

"""Small-cell suppression: counts of persons that could point to individuals are not published.

``suppress`` takes a table of counts of persons (one row per group, optionally
a total row; one column per count, e.g. men and women) and decides which cells
are hidden. The rule:

1. **Primary suppression.** A count ``n`` with ``0 < n < threshold`` is hidden
   (threshold: ``config.PRIVACY_MIN_COUNT``, 5). Zero is shown: it says that
   nobody is in the group and describes no one.
2. **Complementary suppression.** A hidden cell must not be computable from the
   cells shown and the totals. Every row and every column is a *line* whose
   total is treated as known: a column's total is printed in the total row, and
   a row's total (all counts of one group) may be known from elsewhere, e.g. a
   share together with the group's staff number. Two steps repeat until
   nothing changes:

   a. a line with exactly one hidden cell gets a second one: the smallest cell
      shown in that line (non-zero cells first, the total row's cells last);
   b. several lines together can still pin a cell down. In the graph whose
      nodes are the rows and columns and whose edges are the hidden cells, that
      happens exactly when the cell lies on no cycle (it is a bridge). Such a
      cell gets a partner: the smallest shown cell that closes a cycle through it.

   Afterwards no hidden cell is determined by the table's equations. Tables with
   one count column have no row lines (a row's total is then its only cell).
3. **Derived cells.** A figure computed from counts (årsverk of the same
   persons, a share) is hidden when any count it is computed from is hidden.

Hidden cells show ``MARKER``, in the table and in its CSV, never the number.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from . import config

__all__ = ["MARKER", "Cell", "SuppressedTable", "suppress"]

MARKER = "skjult"
"""What a hidden cell shows: a word, which screen readers, print, PDF and CSV all carry (no colour, no symbol to decode)."""

Cell = tuple[str, str]
"""A cell: (row key, column name)."""


@dataclass(frozen=True)
class SuppressedTable:
    """Which cells of a count table are hidden, and why."""

    threshold: int
    primary: frozenset[Cell]
    """Counts below the threshold (and above zero)."""
    complementary: frozenset[Cell]
    """Counts hidden so that the primary ones cannot be computed from totals."""
    derived: frozenset[Cell]
    """Derived figures hidden because a count they are computed from is hidden."""

    @property
    def hidden(self) -> frozenset[Cell]:
        """Every hidden cell."""
        return self.primary | self.complementary | self.derived

    def is_hidden(self, row: str, column: str) -> bool:
        """Whether the cell ``(row, column)`` is hidden."""
        return (row, column) in self.hidden

    def show(self, row: str, column: str, text: str) -> str:
        """``text`` for a shown cell, ``MARKER`` for a hidden one."""
        return MARKER if self.is_hidden(row, column) else text


def suppress(
    table: pl.DataFrame,
    *,
    key: str,
    counts: Sequence[str],
    total_row: str | None = None,
    threshold: int | None = None,
    derived: Mapping[str, Sequence[str]] | None = None,
) -> SuppressedTable:
    """Primary, complementary and derived suppression of one table of counts of persons.

    Parameters
    ----------
    table : one row per group: ``key`` and the ``counts`` columns (null = no figure; it is no cell).
    key : the column naming the rows.
    counts : the columns holding counts of persons; rows and columns of these are the additive lines.
    total_row : the key of the total row (the column totals), if printed; its cells are chosen as
        complementary cells only when nothing else is left.
    threshold : smallest count shown (default ``config.PRIVACY_MIN_COUNT``, read at call time).
    derived : ``{column: count columns}``: a derived column and the counts of the same row it is
        computed from (the derived column need not be in ``table``).

    Returns
    -------
    SuppressedTable : the hidden cells, by reason.
    """
    n = config.PRIVACY_MIN_COUNT if threshold is None else int(threshold)
    rows = [str(r) for r in table[key].to_list()]
    if len(set(rows)) != len(rows):
        raise ValueError(f"duplicate keys in column {key!r}")
    values: dict[Cell, float] = {}
    for c in counts:
        for r, v in zip(rows, table[c].to_list(), strict=True):
            if v is not None:
                if v < 0:
                    raise ValueError(f"negative count {v} in row {r!r}, column {c!r}")
                values[(r, c)] = float(v)
    pos = {cell: (rows.index(cell[0]), list(counts).index(cell[1])) for cell in values}

    def rank(cell: Cell) -> tuple:
        """Complementary cells are taken in this order: outside the total row, non-zero, smallest, first."""
        return (cell[0] == total_row, values[cell] == 0, values[cell], pos[cell])

    primary = {cell for cell, v in values.items() if 0 < v < n}
    hidden = set(primary)
    two_way = len(counts) > 1
    lines = [[(r, c) for c in counts if (r, c) in values] for r in rows] if two_way else []
    lines += [[(r, c) for r in rows if (r, c) in values] for c in counts]
    while True:
        lone = next((ln for ln in lines if sum(cell in hidden for cell in ln) == 1 and len(ln) > 1), None)
        if lone is not None:
            hidden.add(min((cell for cell in lone if cell not in hidden), key=rank))
            continue
        partner = _bridge_partner(hidden, values, rank) if two_way else None
        if partner is None:
            break
        hidden.add(partner)
    drv = {(r, d) for d, basis in (derived or {}).items() for r in rows if any((r, b) in hidden for b in basis)}
    return SuppressedTable(n, frozenset(primary), frozenset(hidden - primary), frozenset(drv))


def _reach(start: tuple[str, str], edges: set[Cell]) -> set[tuple[str, str]]:
    """Nodes (``("r", row)`` / ``("c", column)``) connected to ``start`` through hidden cells ``edges``."""
    seen, todo = {start}, [start]
    while todo:
        kind, name = todo.pop()
        for r, c in edges:
            nxt = ("c", c) if kind == "r" and r == name else ("r", r) if kind == "c" and c == name else None
            if nxt is not None and nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _bridge_partner(hidden: set[Cell], values: Mapping[Cell, float], rank: Callable[[Cell], tuple]) -> Cell | None:
    """A shown cell to hide so that a hidden cell on no cycle gets one, or ``None`` when every hidden cell is on a cycle."""
    for cell in sorted(hidden, key=rank):
        rest = hidden - {cell}
        row_side = _reach(("r", cell[0]), rest)
        if ("c", cell[1]) in row_side:
            continue
        col_side = _reach(("c", cell[1]), rest)
        shown = [x for x in values if x not in hidden]
        closing = [x for x in shown if (x[0] == cell[0] and ("c", x[1]) in col_side) or (x[1] == cell[1] and ("r", x[0]) in row_side)]
        nearby = closing or [x for x in shown if x[0] == cell[0] or x[1] == cell[1]]
        if nearby:
            return min(nearby, key=rank)
    return None

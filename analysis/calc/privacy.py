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
   share together with the group's staff number (so is the total row's: the
   grand total). Two steps repeat until nothing changes, then step c checks:

   a. a line with exactly one hidden cell gets a second one: the smallest cell
      shown in that line (non-zero cells first, the total row's cells last);
   b. several lines together can still pin a cell down. In the graph whose
      nodes are the rows and columns and whose edges are the hidden cells, that
      happens exactly when the cell lies on no cycle (it is a bridge). Such a
      cell gets a partner: the smallest shown cell that closes a cycle through it;
   c. the exact check: integer programming (``scipy.optimize.milp``)
      minimises and maximises every hidden cell over the non-negative integer
      tables consistent with every shown cell and every known total.
      Zeros can pin cells that no equation fixes: a line whose shown total is 0,
      or whose shown cells already make up its total, holds only zeros in its
      hidden cells. While a primary cell takes one value only, the shown cell
      (with the cells steps a and b then add) that frees it at the least cost
      is hidden as well, total row cells included: a total that pins is hidden.
      Finally a complementary cell that still takes one value only is shown
      again: it can be computed anyway, so showing it tells nothing new.

   Afterwards every hidden count takes at least two values. Tables with one
   count column have no row lines (a row's total is then its only cell).
   Without a total row the column totals count as known and cannot be hidden;
   a table that no choice protects is refused (``ValueError``).
3. **Derived cells.** A figure computed from counts (årsverk of the same
   persons, a share) is hidden when any count it is computed from is hidden.

Hidden cells show ``MARKER``, in the table and in its CSV, never the number.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from analysis import config

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
        complementary cells last (in step c, when a total pins a hidden count). Without it the column
        totals count as known.
    threshold : smallest count shown (default ``config.PRIVACY_MIN_COUNT``, read at call time).
    derived : ``{column: count columns}``: a derived column and the counts of the same row it is
        computed from (the derived column need not be in ``table``).

    Returns
    -------
    SuppressedTable : the hidden cells, by reason; every hidden count takes at least two non-negative
        integer values consistent with the shown cells and the known totals.

    Raises
    ------
    ValueError : duplicate keys, a negative or fractional count, or a table that no choice of hidden
        cells protects (possible only without a total row).
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
                if v != int(v):
                    raise ValueError(f"count {v} in row {r!r}, column {c!r} is not a whole number")
                values[(r, c)] = float(v)
    pos = {cell: (rows.index(cell[0]), list(counts).index(cell[1])) for cell in values}

    def rank(cell: Cell) -> tuple:
        """Complementary cells are taken in this order: outside the total row, non-zero, smallest, first."""
        return (cell[0] == total_row, values[cell] == 0, values[cell], pos[cell])

    two_way = len(counts) > 1
    lines: list[dict[Cell, int]] = [{(r, c): 1 for c in counts if (r, c) in values} for r in rows] if two_way else []
    lines += [{(r, c): -1 if r == total_row else 1 for r in rows if (r, c) in values} for c in counts]
    lines = [ln for ln in lines if ln]

    def close(hidden: set[Cell]) -> set[Cell]:
        """Steps a and b until nothing changes."""
        hidden = set(hidden)
        while True:
            lone = next((ln for ln in lines if sum(cell in hidden for cell in ln) == 1 and len(ln) > 1), None)
            if lone is not None:
                hidden.add(min((cell for cell in lone if cell not in hidden), key=rank))
                continue
            partner = _bridge_partner(hidden, values, rank) if two_way else None
            if partner is None:
                return hidden
            hidden.add(partner)

    primary = {cell for cell, v in values.items() if 0 < v < n}
    hidden = close(primary)
    while pinned := _pinned(hidden, lines, values):
        stuck = sorted(pinned & primary, key=rank)
        if not stuck:
            hidden -= pinned  # complementary cells that can be computed anyway
            break
        hidden = _free(stuck[0], hidden, values, lines, close, rank)
    drv = {(r, d) for d, basis in (derived or {}).items() for r in rows if any((r, b) in hidden for b in basis)}
    return SuppressedTable(n, frozenset(primary), frozenset(hidden - primary), frozenset(drv))


def _free(
    cell: Cell,
    hidden: set[Cell],
    values: Mapping[Cell, float],
    lines: Sequence[Mapping[Cell, int]],
    close: Callable[[set[Cell]], set[Cell]],
    rank: Callable[[Cell], tuple],
) -> set[Cell]:
    """``hidden`` with one more shown cell (and what steps a and b add to it): the cheapest choice that frees ``cell``.

    Cost: whether ``cell`` still takes one value only, then the number of cells added, their sum, the first cell's rank.
    When no choice frees ``cell`` alone, the cheapest is taken and the caller checks again (the hidden cells grow).
    """
    options = []
    for extra in sorted(set(values) - hidden, key=rank):
        trial = close(hidden | {extra})
        added = trial - hidden
        options.append(((bool(_pinned(trial, lines, values, only=[cell])), len(added), sum(values[x] for x in added), rank(extra)), trial))
    if not options:
        raise ValueError(f"the table cannot be protected: {cell} can be computed from the totals even with every cell hidden")
    return min(options, key=lambda o: o[0])[1]


def _pinned(
    hidden: Collection[Cell], lines: Sequence[Mapping[Cell, int]], values: Mapping[Cell, float], only: Collection[Cell] | None = None
) -> set[Cell]:
    """The hidden cells (of ``only``, default all) that take one non-negative integer value only, given the shown cells and
    every line's total.

    Each line is ``{cell: coefficient}`` (+1 a part, -1 the total row's cell) with a known sum. Bounds of the sum of all
    cells plus one bind no count (a row total bounds each cell of a two-way table; a one-column line with its total hidden
    moves both by one), so every problem is bounded. The true table is a solution; every solution found counts.
    """
    if not hidden:
        return set()
    import numpy as np  # imported here: only a table with hidden cells needs them
    from scipy.optimize import Bounds, LinearConstraint, milp

    var = sorted(hidden)
    idx = {cell: j for j, cell in enumerate(var)}
    used = [ln for ln in lines if any(cell in idx for cell in ln)]
    a = np.zeros((len(used), len(var)))
    b = np.zeros(len(used))
    for i, ln in enumerate(used):
        for cell, k in ln.items():
            if cell in idx:  # the line's known sum less its shown cells: the hidden cells' true values
                a[i, idx[cell]] = k
                b[i] += k * values[cell]
    seen = {cell: {round(values[cell])} for cell in var}
    todo = [cell for cell in var if only is None or cell in only]
    for cell in todo:
        for sign in (1.0, -1.0):
            if len(seen[cell]) > 1:
                break
            res = milp(
                sign * np.eye(len(var))[idx[cell]],
                constraints=LinearConstraint(a, b, b),
                integrality=np.ones(len(var)),
                bounds=Bounds(0, sum(values.values()) + 1),
            )
            if res.status != 0:
                raise RuntimeError(f"integer programming failed for {cell}: {res.message}")
            for other, x in zip(var, res.x, strict=True):
                seen[other].add(round(x))
    return {cell for cell in todo if len(seen[cell]) == 1}


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

"""What is wrong in ``data/``, and how a list of it is printed.

A ``Problem`` names the file, the row (counted as in a spreadsheet: the
header is row 1) and the column. ``DataError`` carries every problem found.
``capped_lines`` prints a list of problems (of ``data/`` or of an input file)
with at most ``MAX_LINES`` lines per file and kind, then one line saying how
many more there are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from analysis.calc.numbers import thousands

__all__ = ["MAX_LINES", "Problem", "DataError", "problem_key", "display", "capped_lines"]

MAX_LINES = 5
"""Lines printed per file (or sheet) and kind of problem before the rest is counted."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in ``data/``."""

    file: str
    row: int | None
    column: str | None
    message: str
    kind: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class DataError(Exception):
    """Raised when ``data/`` is not valid; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        lines = "\n".join(capped_lines(self.problems, problem_key))
        super().__init__(f"{len(self.problems)} problem(s) in the data:\n{lines}")


def problem_key(p: Problem) -> tuple[str, str]:
    """What problems are grouped (and capped) by when printed: file and kind."""
    return (p.file, p.kind)


def display(data_dir: Path, name: str) -> str:
    """How a file of the data folder is named in a problem: ``data/osu_arsverk.csv``."""
    return f"{Path(data_dir).name}/{name}"


def capped_lines(items: Iterable, key: Callable[[object], tuple[str, str]], limit: int = MAX_LINES, prefix: str = "  - ") -> list[str]:
    """``str(item)`` per item, at most ``limit`` per ``key`` (where, kind), then "… and N more of the same kind"."""
    items = list(items)
    totals = Counter(key(i) for i in items)
    seen: Counter = Counter()
    lines = []
    for item in items:
        k = key(item)
        seen[k] += 1
        if seen[k] <= limit:
            lines.append(f"{prefix}{item}")
        if seen[k] == limit and totals[k] > limit:
            lines.append(f"{prefix}… and {thousands(totals[k] - limit)} more of the same kind in {k[0]}")
    return lines

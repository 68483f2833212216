"""What an import reports: one ``ImportProblem`` per thing wrong, ``ImportRejected`` with all of them.

Every problem names the sheet (or file) and, where there is one, the cell
(``G7``), and says what was expected and what was found.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from analysis.data.problems import capped_lines

__all__ = ["ImportProblem", "ImportRejected", "problem_key"]


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong in the input file."""

    where: str
    """``sheet 'osu_arsverk'`` or ``file 'osu_arsverk.csv'``."""
    cell: str | None
    message: str
    kind: str

    def __str__(self) -> str:
        return f"{self.where}, cell {self.cell}: {self.message}" if self.cell else f"{self.where}: {self.message}"


class ImportRejected(Exception):
    """The input was refused; carries every problem found. Nothing was written."""

    def __init__(self, problems: Iterable[ImportProblem], warnings: Iterable[ImportProblem] = ()):
        self.problems = list(problems)
        self.warnings = list(warnings)
        lines = "\n".join(capped_lines(self.problems, problem_key))
        super().__init__(f"{len(self.problems)} problem(s); nothing was written:\n{lines}")


def problem_key(p: ImportProblem) -> tuple[str, str]:
    """What problems are grouped (and capped) by when printed: sheet or file, and kind."""
    return (p.where, p.kind)

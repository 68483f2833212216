"""What can stop a build, and where a chapter failed (without the traceback).

``describe_failure`` reads a failed run's executed notebook (the failing cell, as
papermill's ``raise_for_execution_errors`` finds it) or, when no cell failed
(the kernel died, the notebook could not be read), the last ``Name: message``
line of the chapter's log. Both engines (``kernels``, ``processes``) report
through it, so a failure reads the same whichever ran the chapter.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["BuildError", "ChapterFailure", "ChapterRunError", "QuartoMissing", "QuartoFailed", "describe_failure"]


class BuildError(Exception):
    """A problem that stops the build before or after running anything."""


@dataclass(frozen=True)
class ChapterFailure:
    """Where and why one chapter failed, without the traceback."""

    chapter: str
    cell: int | None
    execution_count: int | None
    first_line: str | None
    ename: str
    evalue: str
    saved: str | None = None
    log: str | None = None

    def __str__(self) -> str:
        where = [f"chapter '{self.chapter}'"]
        if self.cell is not None:
            count = f" (In [{self.execution_count}])" if self.execution_count is not None else ""
            where.append(f"cell {self.cell}{count}")
        head = ", ".join(where)
        line = f": `{self.first_line}`" if self.first_line else ""
        return f"{head}{line}\n    {self.ename}: {self.evalue}"


class ChapterRunError(BuildError):
    """One or more chapters failed; ``book/`` was left unchanged."""

    def __init__(self, failures: Sequence[ChapterFailure]):
        self.failures = list(failures)
        super().__init__("\n".join(str(f) for f in self.failures))


class QuartoMissing(BuildError):
    """``quarto`` is not installed (or ``$QUARTO`` points nowhere)."""


class QuartoFailed(BuildError):
    """``quarto render`` exited non-zero; ``_book/`` was left unchanged."""


def _first_line(source: str | list) -> str | None:
    """The cell's first line of code: Quarto's ``#|`` options say less than the call (``va.narrative(book, "osu/x")``)."""
    text = "".join(source) if isinstance(source, list) else source
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return next((ln for ln in lines if not ln.startswith("#|")), lines[0] if lines else None)


def _error_cell(cells: list[dict]) -> tuple[dict, dict] | None:
    """The first cell with an error output (as papermill's ``raise_for_execution_errors`` finds it) and that output."""
    for cell in cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error" and not (out.get("ename") == "SystemExit" and out.get("evalue") in ("", "0")):
                return cell, out
    return None


def _log_tail(log: Path) -> tuple[str, str]:
    """``(ename, evalue)`` from the last ``Name: message`` line of a log, for failures outside a cell."""
    try:
        lines = [ln.strip() for ln in log.read_text(encoding="utf-8", errors="replace").splitlines() if ln.strip()]
    except OSError:
        lines = []
    for line in reversed(lines):
        head, sep, tail = line.partition(": ")
        if sep and head.replace(".", "").replace("_", "").isalnum() and " " not in head:
            return head.rsplit(".", 1)[-1], tail
    return "PapermillFailed", lines[-1] if lines else "papermill exited without a message"


def describe_failure(name: str, source: Path, target: Path, log: Path) -> ChapterFailure:
    """Describe a failed run from its executed notebook ``target`` (the failing cell) or, failing that, its ``log``.

    The cell is numbered by its position in the ``source`` notebook (1 = first cell), so the
    cell papermill injects does not shift the numbers.
    """
    from papermill.execute import ERROR_MARKER_TAG  # the markdown cells papermill adds to a failed notebook

    try:
        executed = json.loads(target.read_text(encoding="utf-8"))["cells"]
        source_ids = [c.get("id") for c in json.loads(source.read_text(encoding="utf-8"))["cells"]]
    except (OSError, ValueError, KeyError):
        executed, source_ids = [], []
    executed = [c for c in executed if ERROR_MARKER_TAG not in c.get("metadata", {}).get("tags", [])]
    found = _error_cell(executed)
    if found is None:
        return ChapterFailure(name, None, None, None, *_log_tail(log))
    cell, out = found
    position = source_ids.index(cell.get("id")) + 1 if cell.get("id") in source_ids else None
    return ChapterFailure(name, position, cell.get("execution_count"), _first_line(cell.get("source", "")), out["ename"], out["evalue"])

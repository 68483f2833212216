"""Small helpers for tests."""

from pathlib import Path


def edit_line(path: Path, line_no: int, transform) -> None:
    """Replace line ``line_no`` (1 = header) of a text file with ``transform(old_line)``."""
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[line_no - 1] = transform(lines[line_no - 1])
    path.write_text("\n".join(lines), encoding="utf-8")

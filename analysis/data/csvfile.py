"""The one CSV reader of ``data/``: UTF-8 with or without a byte-order mark, LF or CRLF line ends.

Excel's "CSV UTF-8" writes a byte-order mark and Windows editors write CRLF; every reader of a
data file (validate, run's year check, import, template, KOSTRA's mapping) goes through
``read_rows`` (or ``decode`` for text already read), so that such a file reads the same
everywhere. Polars (the chapters' reader, ``analysis.data.load``) and Frictionless (the schema
check) accept both themselves.
"""

from __future__ import annotations

import csv
from pathlib import Path

__all__ = ["BOM", "decode", "read_rows", "read_table"]

BOM = "\ufeff"


def decode(raw: bytes) -> str:
    """The text of a data file: UTF-8 (raises ``UnicodeDecodeError``), a leading byte-order mark dropped."""
    return raw.decode("utf-8").removeprefix(BOM)


def read_table(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """The header and every row (header → cell) of a CSV file of ``data/``."""
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def read_rows(path: Path) -> list[dict[str, str]]:
    """Every row of a CSV file of ``data/`` as ``{column: cell}`` (a byte-order mark and CRLF accepted)."""
    return read_table(path)[1]

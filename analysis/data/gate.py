"""Checks at the gate that a schema cannot make precisely, shared by ``validate`` and ``import``.

``file_problems`` reads every CSV file of ``data/`` as text before Frictionless
does and reports, with file, row and column:

* a CSV file that ``datapackage.yaml`` does not list;
* a file that is not UTF-8 (the row of the first byte that cannot be read);
* a header that does not match the schema (the missing, unexpected, renamed
  or reordered column by name; the file's cells are then not checked);
* literals the schema's types let through or describe badly
  (``analysis.calc.numbers``): a year that is not a whole number (``' 2018 '``,
  ``2018.0``, ``NA``), a number that is not a finite decimal (``NaN``, ``inf``,
  ``-``, ``NA``, ``1e5``, a blank value) or that has more than ``SIG_DIGITS``
  significant digits.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from analysis.calc.numbers import integer_problem, number_problem
from analysis.data.package import load_yaml
from analysis.data.problems import Problem, display

__all__ = ["file_problems"]


def _schema(data_dir: Path, res: dict, cache: dict) -> dict | None:
    schema = res.get("schema")
    if isinstance(schema, str):
        if schema not in cache:
            import yaml

            try:
                cache[schema] = load_yaml(data_dir / schema)[0]
            except (OSError, UnicodeDecodeError, yaml.YAMLError):
                cache[schema] = None
        return cache[schema]
    return schema if isinstance(schema, dict) else None


def _header_problems(file: str, header: list[str], expected: list[str]) -> list[Problem]:
    """Missing, unexpected, renamed or reordered columns, each named."""
    listed = ", ".join(expected)
    problems = []
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    renamed = set()
    if len(header) == len(expected):
        for found, want in zip(header, expected, strict=True):
            if found in extra and want in missing:
                renamed |= {found, want}
                msg = f"header says '{found}', the schema expects '{want}' here (renamed column; expected the columns {listed})"
                problems.append(Problem(file, 1, found, msg, "wrong-column"))
    for c in missing:
        if c not in renamed:
            msg = f"column '{c}' is missing from the header (expected the columns {listed}; found {', '.join(header)})"
            problems.append(Problem(file, 1, c, msg, "missing-column"))
    for c in extra:
        if c not in renamed:
            problems.append(Problem(file, 1, c, "unexpected column: the schema in datapackage.yaml does not list it", "unexpected-column"))
    if not problems and header != expected:
        pos = next(i for i, (a, b) in enumerate(zip(header, expected, strict=True)) if a != b)
        msg = f"header says '{header[pos]}', the schema expects '{expected[pos]}' here (reordered columns; expected {listed})"
        problems.append(Problem(file, 1, header[pos], msg, "wrong-column"))
    return problems


def _decode(file: str, raw: bytes) -> tuple[str | None, Problem | None]:
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        byte = raw[exc.start]
        guess = bytes([byte]).decode("cp1252", errors="replace")
        msg = (
            f"not UTF-8: byte 0x{byte:02x} (probably '{guess}' in Windows-1252) cannot be read; data files are UTF-8: "
            "save the file as UTF-8 (in Excel: Save as → 'CSV UTF-8 (comma delimited)')"
        )
        return None, Problem(file, line, None, msg, "encoding")


def file_problems(data_dir: Path, descriptor: dict) -> tuple[list[Problem], set[str], set[tuple]]:
    """Problems found by reading the CSV files as text.

    Returns the problems, the files whose schema-check results are to be
    ignored (not readable, or a header that does not match: the cells cannot
    be mapped), and the ``(file, row, column)`` cells reported here (a
    schema check's message for the same cell is dropped in favour of this one).
    """
    data_dir = Path(data_dir)
    problems: list[Problem] = []
    skip: set[str] = set()
    cells: set[tuple] = set()
    listed = {r.get("path") for r in descriptor.get("resources", [])}
    for p in sorted(data_dir.glob("*.csv")):
        if p.name not in listed:
            msg = (
                "not described in datapackage.yaml: every CSV file in data/ needs an entry there (name, path, schema, sources), "
                "or it does not belong in data/"
            )
            problems.append(Problem(display(data_dir, p.name), None, None, msg, "unlisted-file"))
    cache: dict = {}
    for res in descriptor.get("resources", []):
        path = data_dir / str(res.get("path", ""))
        if not res.get("path") or not path.is_file():
            continue
        file = display(data_dir, res["path"])
        text, problem = _decode(file, path.read_bytes())
        if problem:
            problems.append(problem)
            skip.add(file)
            continue
        schema = _schema(data_dir, res, cache)
        if not schema or not schema.get("fields"):
            continue
        fields = schema["fields"]
        expected = [f["name"] for f in fields]
        rows = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
        header = next(rows, [])
        head = _header_problems(file, header, expected)
        if head:
            problems += head
            skip.add(file)
            continue
        checks = []
        for i, f in enumerate(fields):
            required = bool((f.get("constraints") or {}).get("required"))
            if f.get("type") == "integer":
                checks.append((i, f["name"], lambda s, n=f["name"], r=required: integer_problem(s, n, required=r)))
            elif f.get("type") == "number":
                checks.append((i, f["name"], lambda s, r=required: number_problem(s, required=r)))
        if not checks:
            continue
        for row_no, record in enumerate(rows, start=2):
            if not record:
                continue
            for i, name, check in checks:
                if i >= len(record):
                    continue
                found = check(record[i])
                if found:
                    problems.append(Problem(file, row_no, name, found[0], found[1]))
                    cells.add((file, row_no, name))
    return problems, skip, cells

"""The schema check: Frictionless checks each file against its schema in ``datapackage.yaml``.

``schema_problems`` runs it (header, types, constraints, primary and foreign
keys) and turns each Frictionless error into a ``Problem`` with a plain
message naming file, row and column; a number written the Norwegian way
(``1 422,3``, perhaps split into two cells by the comma) is named as such,
with the literal to write instead.
"""

from __future__ import annotations

import copy
import csv
import re
from pathlib import Path

import yaml

from analysis.calc.numbers import norwegian_number
from analysis.config import DESCRIPTOR
from analysis.data.package import OBS_COLUMNS, YAML_LOADER
from analysis.data.problems import Problem, display

__all__ = ["schema_problems"]


def _raw_line(path: Path, row: int) -> str | None:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            for i, line in enumerate(fh, start=1):
                if i == row:
                    return line.rstrip("\r\n")
    except (OSError, UnicodeDecodeError):
        return None
    return None


def _norwegian_hint(cells: list[str]) -> tuple[str, str] | None:
    """A Norwegian-formatted number in a row (perhaps split by the comma): ``(as found, data literal)``."""
    # "1 422,3" in a comma-separated file becomes the two cells "1 422" and "3".
    if len(cells) > len(OBS_COLUMNS):
        for c, nxt in zip(cells, cells[1:], strict=False):
            joined = f"{c.strip()},{nxt.strip()}"
            if re.fullmatch(r"\d+[ \u00a0\u202f]*%?", nxt.strip()) and (literal := norwegian_number(joined)):
                return joined, literal
    for c in cells:
        if literal := norwegian_number(c):
            return c.strip(), literal
    return None


def _norwegian_message(found: str, literal: str) -> str:
    return (
        f"found '{found}', a number written the Norwegian way; data files use '.' as decimal mark, "
        f"no thousands separator and no '%' (write {literal})"
    )


def _translate(data_dir: Path, res: dict, err) -> Problem:
    """Turn one Frictionless error into a Problem with a plain message."""
    file = display(data_dir, res.get("path", res["name"]))
    path = data_dir / res.get("path", "")
    t = err.type
    row = getattr(err, "row_number", None)
    field = getattr(err, "field_name", None) or getattr(err, "label", None) or None
    cell = getattr(err, "cell", None)
    if t in ("scheme-error", "source-error", "resource-error") and not path.exists():
        return Problem(file, None, None, "file not found (listed in datapackage.yaml)", "missing-file")
    if t == "missing-label":
        return Problem(file, 1, field, "column missing from the header", "missing-column")
    if t == "extra-label":
        return Problem(file, 1, field, "unexpected column: the schema in datapackage.yaml does not list it", "unexpected-column")
    if t == "incorrect-label":
        expected = res.get("_field_names", [])
        pos = getattr(err, "field_number", None)
        want = expected[pos - 1] if pos and pos <= len(expected) else "?"
        return Problem(
            file,
            1,
            getattr(err, "label", field),
            f"header says '{getattr(err, 'label', '')}', the schema expects '{want}' here (renamed or reordered column)",
            "wrong-column",
        )
    if t in ("duplicate-label", "blank-label"):
        return Problem(file, 1, field, err.note, "header")
    if t in ("extra-cell", "missing-cell", "type-error"):
        raw = _raw_line(path, row) if row else None
        cells = next(csv.reader([raw])) if raw else []
        hint = _norwegian_hint(cells)
        if hint:
            return Problem(file, row, "value", _norwegian_message(*hint), "norwegian-number")
    if t in ("extra-cell", "missing-cell"):
        what = "more" if t == "extra-cell" else "fewer"
        return Problem(file, row, field, f"the row has {what} cells than the header (line: {raw!r})", "row-shape")
    if t == "type-error":
        s = "" if cell is None else str(cell)
        ftype = getattr(err, "field_type", "") or ""
        if not ftype:
            m = re.search(r'type is "(\w+)', err.note or "")
            ftype = m.group(1) if m else "a value of the column's type"
        expected = {"integer": "a whole number", "number": "a number (like 1422.3)", "boolean": "true or false"}.get(ftype, ftype)
        return Problem(file, row, field, f"expected {expected}, found '{s}'", "wrong-type")
    if t == "constraint-error":
        s = "" if cell is None else str(cell)
        note = err.note or ""
        if "required" in note or s == "":
            return Problem(file, row, field, "a value is required here, the cell is empty", "missing-value")
        return Problem(file, row, field, f"'{s}' breaks a constraint of the schema ({note})", "out-of-range")
    if t == "primary-key":
        key = res.get("schema_primary_key") or "the primary key"
        return Problem(file, row, None, f"duplicate key ({key}): {err.note}", "duplicate-key")
    if t == "foreign-key":
        note = err.note or ""
        m = re.search(r'for "([^"]+)": values "([^"]*)" not found in the lookup table "([^"]+)"', note)
        if m:
            col, val, lookup = m.groups()
            return Problem(file, row, col, f"unknown {col} '{val}': not an id in {lookup}.csv", "unknown-id")
        return Problem(file, row, None, note, "unknown-id")
    if t == "blank-row":
        return Problem(file, row, None, "empty row", "blank-row")
    return Problem(file, row, field, f"{t}: {err.note or err.message}", t)


def _inlined(data_dir: Path, descriptor: dict) -> dict:
    """The descriptor with every schema file read in (by the C YAML loader, once per file).

    Frictionless would parse the shared observation schema again for every
    resource with the pure-Python loader: about a third of a validation.
    """
    schemas: dict[str, dict] = {}
    resources = []
    for res in descriptor["resources"]:
        schema = res.get("schema")
        if isinstance(schema, str):
            path = data_dir / schema
            if schema not in schemas and path.is_file():
                schemas[schema] = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)  # noqa: S506 - a safe loader
            if schema in schemas:
                res = {**res, "schema": copy.deepcopy(schemas[schema])}
        resources.append(res)
    return {**descriptor, "resources": resources}


def schema_problems(data_dir: Path, descriptor: dict) -> list[Problem]:
    """Every error Frictionless finds in the package, as problems (a row's errors may repeat)."""
    from frictionless import Package, system  # imported here: only a validation needs it

    problems: list[Problem] = []
    with system.use_context(trusted=False):
        package = Package(_inlined(Path(data_dir), descriptor), basepath=str(data_dir))
        report = package.validate()
    by_name = {r["name"]: r for r in descriptor["resources"]}
    for res in package.resources:
        if res.name in by_name:
            by_name[res.name]["_field_names"] = res.schema.field_names if res.schema else []
    for task in report.tasks:
        res = by_name.get(task.name, {"name": task.name, "path": task.name})
        for err in task.errors:
            problems.append(_translate(Path(data_dir), res, err))
    for err in report.errors:
        problems.append(Problem(display(Path(data_dir), DESCRIPTOR), None, None, err.message, err.type))
    for r in by_name.values():
        r.pop("_field_names", None)
    return problems

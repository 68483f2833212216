"""The schema check: Frictionless checks each file against its schema in ``datapackage.yaml``.

``schema_problems`` runs it (header, types, constraints, primary and foreign
keys) and turns each Frictionless error into a ``Problem`` with a plain
message naming file, row and column; a number written the Norwegian way
(``1 422,3``, perhaps split into two cells by the comma) is named as such,
with the literal to write instead.
"""

from __future__ import annotations

import csv
import hashlib
import re
import threading
from pathlib import Path

from analysis.calc.numbers import norwegian_number
from analysis.config import DESCRIPTOR
from analysis.data.package import OBS_COLUMNS, load_yaml
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
    files: dict[str, bool] = {}
    resources = []
    for res in descriptor["resources"]:
        schema = res.get("schema")
        if isinstance(schema, str):
            if schema not in files:
                files[schema] = (data_dir / schema).is_file()
            if files[schema]:
                res = {**res, "schema": load_yaml(data_dir / schema)[0]}  # each resource its own copy: Frictionless may change it
        resources.append(res)
    return {**descriptor, "resources": resources}


# Keys of work in which Frictionless found nothing: the package's metadata, or one resource with its
# bytes and those of the resources its foreign keys read. A clean result depends on nothing else, so
# data that differ from data checked before in one file (a test's copy, the staged folder of an
# import) have only that file, and the files whose keys point into it, checked again.
_CLEAN: dict[str, None] = {}
_CLEAN_MAX = 4096
_CLEAN_LOCK = threading.Lock()
_PLAIN_PATH = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*")


def _digest(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _file_digest(data_dir: Path, res: dict) -> str | None:
    """SHA-256 of a resource's file; None when the result may depend on more than its bytes."""
    path = res.get("path")
    if not isinstance(path, str) or not _PLAIN_PATH.fullmatch(path) or ".." in path or not isinstance(res.get("schema"), dict):
        return None
    if any(isinstance(res.get(key), str) for key in ("dialect", "profile", "extrapaths")) or "data" in res:
        return None
    try:
        return hashlib.sha256((data_dir / path).read_bytes()).hexdigest()
    except OSError:
        return None


def _keys(data_dir: Path, inlined: dict) -> tuple[str, dict[str, str | None], dict[str, set[str]]]:
    """The package's key, each resource's key (None: not to be remembered) and the resources each one reads."""
    top = {k: v for k, v in inlined.items() if k != "resources"}
    if not isinstance(inlined.get("resources"), list) or not all(isinstance(r, dict) for r in inlined["resources"]):
        return _digest(inlined), {}, {}
    names = [r.get("name") for r in inlined["resources"]]
    by_name = {r.get("name"): r for r in inlined["resources"]} if len(set(names)) == len(names) else {}
    files = {name: _file_digest(data_dir, r) for name, r in by_name.items()}
    keys: dict[str, str | None] = {}
    reads: dict[str, set[str]] = {}
    for name, res in by_name.items():
        keys[name] = None
        if not isinstance(name, str) or files[name] is None:
            continue
        refs = {name}
        fks = res["schema"].get("foreignKeys") or []
        for fk in fks if isinstance(fks, list) else [None]:
            reference = fk.get("reference") if isinstance(fk, dict) else None
            ref = reference.get("resource") if isinstance(reference, dict) else None
            refs.add(ref or name if ref is None or isinstance(ref, str) else None)
        if all(ref is not None and files.get(ref) for ref in refs):
            keys[name] = _digest(top, sorted((ref, by_name[ref], files[ref]) for ref in refs))
            reads[name] = refs
    return _digest(inlined), keys, reads


def _remember(key: str | None) -> None:
    if key is not None:
        with _CLEAN_LOCK:
            while len(_CLEAN) >= _CLEAN_MAX:
                _CLEAN.pop(next(iter(_CLEAN)))
            _CLEAN[key] = None


def _package(inlined: dict, data_dir: Path, package_key: str, keys: dict[str, str | None], reads: dict[str, set[str]]):
    """The Frictionless package to check, and the resources in it to validate.

    A package whose metadata were clean before holds only the resources to validate and those their
    foreign keys read (building a package checks the metadata of each of its resources).
    """
    from frictionless import Package

    todo = [name for name, key in keys.items() if key not in _CLEAN]
    if package_key in _CLEAN and keys and all(keys[name] is not None for name in todo):
        needed = set(todo).union(*(reads[name] for name in todo))
        subset = {**inlined, "resources": [r for r in inlined["resources"] if r["name"] in needed]}
        return Package(subset, basepath=str(data_dir)), set(todo)
    return Package(inlined, basepath=str(data_dir)), None


def schema_problems(data_dir: Path, descriptor: dict) -> list[Problem]:
    """Every error Frictionless finds in the package, as problems (a row's errors may repeat).

    As ``Package.validate``: the metadata first (an error there is the only one), then each resource
    in order; a resource whose key (``_keys``) was clean before is not read again.
    """
    from frictionless import Checklist, FrictionlessException, system  # imported here: only a validation needs it

    data_dir = Path(data_dir)
    inlined = _inlined(data_dir, descriptor)
    package_key, keys, reads = _keys(data_dir, inlined)
    if package_key in _CLEAN and keys and all(k in _CLEAN for k in keys.values()):
        return []
    problems: list[Problem] = []
    tasks, errors = [], []
    with system.use_context(trusted=False):
        package, todo = _package(inlined, data_dir, package_key, keys, reads)
        try:
            if todo is None:
                package.to_descriptor(validate=True)
        except FrictionlessException as exc:
            errors = exc.to_errors()
        else:
            _remember(package_key)
            for res in package.resources:
                key = keys.get(res.name)
                if todo is not None and res.name not in todo or key is not None and key in _CLEAN:
                    continue
                report = res.validate(checklist=Checklist())
                tasks += report.tasks
                errors += report.errors
                if not report.errors and not any(task.errors for task in report.tasks):
                    _remember(key)
    by_name = {r["name"]: r for r in descriptor["resources"]}
    for res in package.resources:
        if res.name in by_name:
            by_name[res.name]["_field_names"] = res.schema.field_names if res.schema else []
    for task in tasks:
        res = by_name.get(task.name, {"name": task.name, "path": task.name})
        for err in task.errors:
            problems.append(_translate(data_dir, res, err))
    for err in errors:
        problems.append(Problem(display(data_dir, DESCRIPTOR), None, None, err.message, err.type))
    for r in by_name.values():
        r.pop("_field_names", None)
    return problems

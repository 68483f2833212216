"""Load and validate ``data/``.

``validate_data`` checks the whole Data Package: Frictionless checks each file
against its schema in ``datapackage.yaml`` (header, types, constraints,
primary and foreign keys) and this module adds what a schema cannot say (a
value inside its unit's range, references between files). Every problem names
the file, the row (counted as in a spreadsheet: the header is row 1) and the
column.

Loaders (``load_observations``, ``load_table``, ``load_checks``) validate the
package once per process and data state, then read with polars. They, and
``read_descriptor``, record every file they read with the SHA-256 of the bytes
read (``reads``; appended to the file ``$VIRKSOMHETSANALYSE_READS`` when set):
the build's record of what a chapter actually read.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polars as pl
import yaml

from analysis.config import CHECKS_FILE, DATA_DIR, DESCRIPTOR, STATE_DIR

__all__ = [
    "Problem",
    "DataError",
    "problem_key",
    "read_descriptor",
    "observation_names",
    "resource",
    "validate_data",
    "ensure_valid",
    "load_observations",
    "load_table",
    "load_checks",
    "READS_ENV",
    "reads",
    "clear_reads",
    "value_decimals",
    "fingerprint",
]

OBSERVATION_SCHEMA = "observation.schema.yaml"
OBS_COLUMNS = ("year", "indicator", "group", "value")

_NORWEGIAN_NUMBER = re.compile(r"^[−-]?\d{1,3}([ \u00a0\u202f]\d{3})+(,\d+)?\s*%?$|^[−-]?\d+,\d+\s*%?$|^[−-]?\d+(\.\d+)?\s*%$")


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
        from analysis.data.gate import capped_lines

        self.problems = list(problems)
        lines = "\n".join(capped_lines(self.problems, problem_key))
        super().__init__(f"{len(self.problems)} problem(s) in the data:\n{lines}")


def problem_key(p: Problem) -> tuple[str, str]:
    """What problems are grouped (and capped) by when printed: file and kind."""
    return (p.file, p.kind)


def _display(data_dir: Path, name: str) -> str:
    return f"{data_dir.name}/{name}"


def read_descriptor(data_dir: Path = DATA_DIR) -> dict:
    """The Data Package descriptor as a dict."""
    path = Path(data_dir) / DESCRIPTOR
    if not path.exists():
        raise DataError([Problem(_display(Path(data_dir), DESCRIPTOR), None, None, "file not found", "missing-file")])
    st = path.stat()
    try:
        parsed, sha = _parse_yaml(str(path.resolve()), st.st_size, st.st_mtime_ns)
    except yaml.YAMLError as exc:
        raise DataError([Problem(_display(Path(data_dir), DESCRIPTOR), None, None, f"not valid YAML: {exc}", "descriptor")]) from exc
    _record_read("datapackage", path, sha)
    return copy.deepcopy(parsed)


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=16)
def _parse_yaml(path: str, size: int, mtime_ns: int) -> tuple[dict, str]:
    """Parse a YAML file once per file state (the descriptor is read by every loader); also the SHA-256 of the bytes parsed."""
    data = Path(path).read_bytes()
    return yaml.load(data.decode("utf-8"), Loader=_YAML_LOADER), hashlib.sha256(data).hexdigest()  # noqa: S506 - a safe loader


def observation_names(descriptor: dict) -> list[str]:
    """Names of the observation datasets (those using the shared observation schema)."""
    return [r["name"] for r in descriptor["resources"] if r.get("schema") == OBSERVATION_SCHEMA]


def resource(descriptor: dict, name: str) -> dict:
    """The descriptor entry of one resource."""
    for r in descriptor["resources"]:
        if r["name"] == name:
            return r
    raise KeyError(f"no dataset named '{name}' in {DESCRIPTOR}")


def fingerprint(data_dir: Path = DATA_DIR) -> str:
    """A hash of every file in ``data_dir`` (names and bytes): the data's state."""
    return _fingerprint(str(Path(data_dir).resolve()), _stat_signature(Path(data_dir)))


def _stat_signature(data_dir: Path) -> tuple:
    """Names, sizes and modification times: cheap to read, changes whenever a file does."""
    return tuple((p.name, st.st_size, st.st_mtime_ns) for p in sorted(data_dir.glob("*")) if p.is_file() for st in [p.stat()])


@lru_cache(maxsize=32)
def _fingerprint(data_dir: str, signature: tuple) -> str:
    h = hashlib.sha256()
    for name, *_ in signature:
        h.update(name.encode())
        h.update((Path(data_dir) / name).read_bytes())
    return h.hexdigest()


# --------------------------------------------------------------------------- Frictionless


def _raw_line(path: Path, row: int) -> str | None:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            for i, line in enumerate(fh, start=1):
                if i == row:
                    return line.rstrip("\r\n")
    except (OSError, UnicodeDecodeError):
        return None
    return None


def _norwegian_hint(cells: list[str]) -> str | None:
    """If a row holds a Norwegian-formatted number (perhaps split by the comma), return it."""
    # "1 422,3" in a comma-separated file becomes the two cells "1 422" and "3".
    for i, c in enumerate(cells):
        c = c.strip()
        nxt = cells[i + 1].strip() if i + 1 < len(cells) else ""
        if re.fullmatch(r"[−-]?\d{1,3}([ \u00a0\u202f]\d{3})*", c) and re.fullmatch(r"\d+", nxt) and len(cells) > len(OBS_COLUMNS):
            return f"{c},{nxt}"
    for c in cells:
        if _NORWEGIAN_NUMBER.match(c.strip()):
            return c.strip()
    return None


def _norwegian_message(found: str) -> str:
    plain = found.replace(" ", "").replace("\u00a0", "").replace("\u202f", "").replace("−", "-").replace("%", "").strip()
    plain = plain.replace(",", ".")
    return (
        f"found '{found}', a number written the Norwegian way; data files use '.' as decimal mark, "
        f"no thousands separator and no '%' (write {plain})"
    )


def _translate(data_dir: Path, res: dict, err) -> Problem:
    """Turn one Frictionless error into a Problem with a plain message."""
    file = _display(data_dir, res.get("path", res["name"]))
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
            return Problem(file, row, "value", _norwegian_message(hint), "norwegian-number")
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


def _frictionless_problems(data_dir: Path, descriptor: dict) -> list[Problem]:
    from frictionless import Package, system

    problems: list[Problem] = []
    with system.use_context(trusted=False):
        package = Package(str(Path(data_dir) / DESCRIPTOR))
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
        problems.append(Problem(_display(Path(data_dir), DESCRIPTOR), None, None, err.message, err.type))
    for r in by_name.values():
        r.pop("_field_names", None)
    return problems


# --------------------------------------------------------------------------- semantic checks


def value_decimals(literal: str) -> int:
    """Printed precision of a value literal: ``'4.0'`` → 1, ``'36'`` → 0."""
    literal = literal.strip()
    return len(literal.split(".", 1)[1]) if "." in literal else 0


def _read_strings(path: Path) -> pl.DataFrame:
    return pl.read_csv(path, infer_schema=False, encoding="utf8")


def _semantic_problems(data_dir: Path, descriptor: dict, broken: set[str]) -> list[Problem]:
    """Checks a schema cannot express, for the files Frictionless passed."""
    problems: list[Problem] = []
    lookups = {}
    for name in ("units", "indicators", "groups"):
        if name in broken:
            return problems
        lookups[name] = _read_strings(data_dir / resource(descriptor, name)["path"])
    units = {r["id"]: r for r in lookups["units"].to_dicts()}
    indicators = {r["id"]: r for r in lookups["indicators"].to_dicts()}
    groups = set(lookups["groups"]["id"].to_list())

    obs: dict[str, set[tuple[int, str, str]]] = {}
    for name in observation_names(descriptor):
        res = resource(descriptor, name)
        if name in broken:
            continue
        df = _read_strings(data_dir / res["path"])
        file = _display(data_dir, res["path"])
        keys = set()
        for i, r in enumerate(df.iter_rows(named=True), start=2):
            keys.add((int(r["year"]), r["indicator"], r["group"]))
            ind = indicators.get(r["indicator"])
            unit = units.get(ind["unit"]) if ind else None
            if unit is None:
                continue
            v = float(r["value"])
            lo = float(unit["minimum"]) if unit["minimum"] not in (None, "") else None
            hi = float(unit["maximum"]) if unit["maximum"] not in (None, "") else None
            if lo is not None and v < lo:
                problems.append(
                    Problem(
                        file,
                        i,
                        "value",
                        f"{r['value']} is below {unit['minimum']}, the smallest value allowed for unit '{unit['label']}' "
                        f"(indicator '{r['indicator']}')",
                        "out-of-range",
                    )
                )
            if hi is not None and v > hi:
                problems.append(
                    Problem(
                        file,
                        i,
                        "value",
                        f"{r['value']} is above {unit['maximum']}, the largest value allowed for unit '{unit['label']}' "
                        f"(indicator '{r['indicator']}')",
                        "out-of-range",
                    )
                )
        obs[name] = keys

    def ref_problem(file: str, row: int, dataset: str, ind: str, grp: str, year: int, why: str) -> Problem | None:
        if dataset in broken:
            return None  # that file's own errors are reported; no cascade of false "unknown dataset" lines
        if dataset not in obs:
            return Problem(file, row, "dataset", f"unknown dataset '{dataset}'", "unknown-id")
        if (year, ind, grp) not in obs[dataset]:
            return Problem(file, row, why, f"{dataset} has no value for {ind} / {grp} in {year}", "dangling-reference")
        return None

    if "printed_derived" not in broken:
        res = resource(descriptor, "printed_derived")
        file = _display(data_dir, res["path"])
        for i, r in enumerate(_read_strings(data_dir / res["path"]).iter_rows(named=True), start=2):
            y = int(r["year"])
            need = [(r["indicator"], r["group"], y)]
            if r["measure"] == "change_pct":
                need.append((r["indicator"], r["group"], y - 1))
            elif r["measure"] == "trend3":
                need.append((r["indicator"], r["group"], y - 3))
            elif r["measure"] == "share_pct":
                if not r["base_indicator"] or not r["base_group"]:
                    problems.append(Problem(file, i, "base_indicator", "share_pct needs base_indicator and base_group", "missing-value"))
                    continue
                need.append((r["base_indicator"], r["base_group"], y))
            for ind, grp, yy in need:
                p = ref_problem(file, i, r["dataset"], ind, grp, yy, "year")
                if p:
                    problems.append(p)
                    break

    if "text_figures" not in broken:
        res = resource(descriptor, "text_figures")
        file = _display(data_dir, res["path"])
        for i, r in enumerate(_read_strings(data_dir / res["path"]).iter_rows(named=True), start=2):
            if not r["claim"]:
                continue
            y = int(r["year"])
            need = [(r["indicator"], r["group"], y)]
            if r["claim"] != "value":
                if not r["base_year"]:
                    problems.append(Problem(file, i, "base_year", f"claim '{r['claim']}' needs base_year", "missing-value"))
                    continue
                need.append((r["indicator"], r["group"], int(r["base_year"])))
            for ind, grp, yy in need:
                p = ref_problem(file, i, r["dataset"], ind, grp, yy, "year")
                if p:
                    problems.append(p)
                    break

    checks_path = data_dir / CHECKS_FILE
    if checks_path.exists():
        checks = yaml.safe_load(checks_path.read_text(encoding="utf-8")) or []
        file = _display(data_dir, CHECKS_FILE)
        for c in checks:
            for ref in [c.get("total", {})] + list(c.get("terms", [])):
                if ref.get("dataset") not in obs and ref.get("dataset") not in broken:
                    problems.append(
                        Problem(file, None, None, f"check '{c.get('id')}': unknown dataset '{ref.get('dataset')}'", "unknown-id")
                    )
                elif ref.get("indicator") not in indicators:
                    problems.append(
                        Problem(file, None, None, f"check '{c.get('id')}': unknown indicator '{ref.get('indicator')}'", "unknown-id")
                    )
                elif ref.get("group") not in groups:
                    problems.append(Problem(file, None, None, f"check '{c.get('id')}': unknown group '{ref.get('group')}'", "unknown-id"))
    return problems


def validate_data(data_dir: Path = DATA_DIR) -> list[Problem]:
    """Every problem in ``data_dir``; an empty list means the data are valid."""
    data_dir = Path(data_dir)
    try:
        descriptor = read_descriptor(data_dir)
    except DataError as exc:
        return exc.problems
    from analysis.data.gate import file_problems

    own, skip, cells = file_problems(data_dir, descriptor, Problem, _display)
    schema_problems = [
        p
        for p in dict.fromkeys(_frictionless_problems(data_dir, descriptor))  # one row's errors may repeat
        if p.file not in skip and (p.file, p.row, p.column) not in cells and p.kind != "encoding-error"
    ]
    order = {_display(data_dir, r.get("path", r["name"])): i for i, r in enumerate(descriptor["resources"])}
    problems = sorted(own + schema_problems, key=lambda p: order.get(p.file, len(order)))  # stable: by file, rows in order
    broken = set()
    for r in descriptor["resources"]:
        file = _display(data_dir, r.get("path", r["name"]))
        if any(p.file == file for p in problems):
            broken.add(r["name"])
    problems += _semantic_problems(data_dir, descriptor, broken)
    return problems


@lru_cache(maxsize=8)
def _validated(data_dir: str, state: str) -> tuple[Problem, ...]:
    stamp = _stamp(state)
    if stamp.exists():
        return ()
    problems = tuple(validate_data(Path(data_dir)))
    if not problems:
        try:
            stamp.parent.mkdir(parents=True, exist_ok=True)
            stamp.touch()
        except OSError:
            pass  # a read-only checkout still works, it just validates again next time
    return problems


def _stamp(state: str) -> Path:
    """Marker that data with this content hash passed this validator (``.build/valid/``).

    The key covers the data's bytes and the validator's own source, so new data
    or a changed rule validates again; chapters run by ``run`` right after
    ``validate`` then skip a second, identical validation.
    """
    here = Path(__file__).resolve().parent
    sources = [*sorted(here.glob("*.py")), *sorted((here.parent / "calc").glob("*.py")), DATA_DIR.parent / "pyproject.toml"]
    code = hashlib.sha256(b"".join(p.read_bytes() for p in sources if p.exists())).hexdigest()[:16]
    return STATE_DIR / "valid" / f"{state[:32]}-{code}"


def cached_problems(data_dir: Path = DATA_DIR) -> list[Problem]:
    """``validate_data``, skipped when data with the same content already passed this validator."""
    return list(_validated(str(Path(data_dir).resolve()), fingerprint(data_dir)))


def ensure_valid(data_dir: Path = DATA_DIR) -> None:
    """Raise ``DataError`` unless ``data_dir`` is valid (cached per data state)."""
    problems = _validated(str(Path(data_dir).resolve()), fingerprint(data_dir))
    if problems:
        raise DataError(problems)


# --------------------------------------------------------------------------- read record
# What this process read through the loaders below (and ``read_descriptor``): the build keys each
# chapter on it (``analysis.build``), so a chapter runs again exactly when a file it read has changed.

READS_ENV = "VIRKSOMHETSANALYSE_READS"
"""When set (the build sets it for each chapter's run), every read is also appended to this file as one JSON line."""

CHANGED_DURING_READS = "changed-during-run"
"""Recorded instead of a hash when one process read two different versions of a file (it never matches a file)."""

_READS: dict[str, dict] = {}


def _record_read(name: str, path: Path, sha256: str | None) -> None:
    """Note that resource ``name`` was read from ``path`` with these bytes (``None``: the file does not exist)."""
    key = str(Path(path).resolve())
    seen = _READS.get(key)
    if seen is not None and seen["sha256"] in (sha256, CHANGED_DURING_READS):
        return
    entry = {"name": name, "path": key, "sha256": sha256 if seen is None else CHANGED_DURING_READS}
    _READS[key] = entry
    log = os.environ.get(READS_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as fh:  # at once, line by line: the record survives a kernel that dies
            fh.write(json.dumps(entry, sort_keys=True) + "\n")


def _read_recorded(name: str, path: Path) -> bytes:
    """The bytes of a resource's file, recorded with their hash."""
    data = Path(path).read_bytes()
    _record_read(name, path, hashlib.sha256(data).hexdigest())
    return data


def reads() -> list[dict]:
    """Every file this process read through the loaders: ``{"name", "path", "sha256"}``, sorted by path."""
    return [dict(_READS[k]) for k in sorted(_READS)]


def clear_reads() -> None:
    """Forget the read record (tests)."""
    _READS.clear()


# --------------------------------------------------------------------------- loading


def _read_csv_strings(data: bytes) -> pl.DataFrame:
    return pl.read_csv(io.BytesIO(data), infer_schema=False, encoding="utf8")


def _with_decimals(df: pl.DataFrame, column: str = "value") -> pl.DataFrame:
    return df.with_columns(
        pl.col(column).map_elements(lambda s: value_decimals(s) if s is not None else None, return_dtype=pl.Int64).alias("decimals"),
        pl.col(column).cast(pl.Float64),
    )


def load_observations(name: str, data_dir: Path = DATA_DIR, *, until: int | None = None) -> pl.DataFrame:
    """One observation dataset: ``year, indicator, group, value, decimals``.

    Parameters
    ----------
    name : the dataset's name in ``datapackage.yaml``.
    until : the reporting year; later years are left out, so that a chapter
        run for an earlier year cannot show figures from after it.
    """
    data_dir = Path(data_dir)
    ensure_valid(data_dir)
    res = resource(read_descriptor(data_dir), name)
    df = _with_decimals(_read_csv_strings(_read_recorded(name, data_dir / res["path"]))).with_columns(pl.col("year").cast(pl.Int64))
    if until is not None:
        df = df.filter(pl.col("year") <= until)
    return df.sort(["indicator", "group", "year"])


_POLARS_TYPES = {"integer": pl.Int64, "number": pl.Float64, "string": pl.Utf8, "boolean": pl.Boolean}


def load_table(name: str, data_dir: Path = DATA_DIR) -> pl.DataFrame:
    """A lookup or side table (``indicators``, ``groups``, ``printed_derived``, ...) typed by its schema.

    A ``value`` column also gets its printed precision as ``decimals``.
    """
    data_dir = Path(data_dir)
    ensure_valid(data_dir)
    res = resource(read_descriptor(data_dir), name)
    df = _read_csv_strings(_read_recorded(name, data_dir / res["path"]))
    fields = res["schema"]["fields"]
    casts = []
    for f in fields:
        t = f.get("type", "string")
        if f["name"] == "value":
            continue
        if t == "boolean":
            casts.append(pl.col(f["name"]).str.to_lowercase().eq("true").alias(f["name"]))
        else:
            casts.append(pl.col(f["name"]).cast(_POLARS_TYPES.get(t, pl.Utf8)))
    df = df.with_columns(casts)
    if "value" in df.columns:
        df = _with_decimals(df)
    return df


def load_checks(data_dir: Path = DATA_DIR) -> list[dict]:
    """The linear identities of ``checks.yaml``."""
    path = Path(data_dir) / CHECKS_FILE
    if not path.exists():
        _record_read("checks", path, None)  # recorded too: the file appearing changes the result
        return []
    return yaml.safe_load(_read_recorded("checks", path).decode("utf-8")) or []

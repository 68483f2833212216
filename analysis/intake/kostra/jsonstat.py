"""Read and validate a JSON-stat 2.0 dataset (the ``json-stat2`` output of PxWebApi 2).

Only what the KOSTRA fetch needs, but all of it checked: ``class`` and
``version``, ``id``/``size`` of equal length, every dimension present with a
category ``index`` (list or object, a permutation of ``0..n-1``) whose length
is its ``size``, ``value`` as an array of ``prod(size)`` cells or as a sparse
object, and ``status`` as one string, an array or an object. Values are read
as :class:`decimal.Decimal` straight from the JSON text, so ``4.40`` keeps the
digits SSB wrote. Cells are addressed row-major (the last dimension in ``id``
varies fastest), as JSON-stat prescribes.

Bounded: a file is read only if it is a regular file of at most ``MAX_BYTES``; the JSON may nest at most
``MAX_DEPTH`` levels (JSON-stat needs five) and hold no number literal longer than ``MAX_NUMBER_CHARS``
characters, no ``NaN``/``Infinity``; a figure must lie below 10^``MAX_MAGNITUDE`` with at most
``MAX_DECIMALS`` decimals. Each limit is checked before the part it guards is parsed, with a message
saying what was expected and found.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .errors import KostraError

__all__ = ["MAX_BYTES", "MAX_DEPTH", "Dimension", "Dataset", "parse_dataset", "loads", "read_file", "load_file"]

_TABLE_IN_LABEL = re.compile(r"^\s*(\d{5})\s*:")
MAX_BYTES = 20_000_000
"""Largest JSON-stat2 text read (a file or an answer): SSB answers at most 800 000 cells per query, the book's queries a few hundred."""
MAX_DEPTH = 32
"""Deepest nesting of arrays and objects accepted (JSON-stat2 needs five levels)."""
MAX_NUMBER_CHARS = 40
"""Longest number literal accepted (digits, sign, point, exponent)."""
MAX_MAGNITUDE = 15
"""A figure must be below 10^15 (KOSTRA's largest figures, in 1000 kr, have ten digits)."""
MAX_DECIMALS = 10
_TOKEN = re.compile(rb'[\[\]{}"\\]')


class _Refused(ValueError):
    """A limit of the reader was reached while the JSON was parsed (raised through ``json.loads``)."""


def _number_text(s: str) -> str:
    return s if len(s) <= 24 else f"{s[:12]}…{s[-6:]} ({len(s)} characters)"


def _int(s: str) -> int:
    if len(s) > MAX_NUMBER_CHARS:
        raise _Refused(f"expected numbers of at most {MAX_NUMBER_CHARS} characters, found {_number_text(s)}")
    return int(s)


def _decimal(s: str) -> Decimal:
    if len(s) > MAX_NUMBER_CHARS:
        raise _Refused(f"expected numbers of at most {MAX_NUMBER_CHARS} characters, found {_number_text(s)}")
    return Decimal(s)


def _constant(s: str):
    raise _Refused(f"expected numbers, found {s} (not a number JSON-stat allows)")


def _depth_problem(data: bytes) -> str | None:
    """Nesting deeper than ``MAX_DEPTH`` (brackets outside strings), found in one pass without parsing the JSON."""
    depth, in_string, skip = 0, False, -1
    for m in _TOKEN.finditer(data):
        i = m.start()
        if i < skip:
            continue  # the character after a backslash
        c = data[i : i + 1]
        if in_string:
            if c == b"\\":
                skip = i + 2
            elif c == b'"':
                in_string = False
        elif c == b'"':
            in_string = True
        elif c in (b"[", b"{"):
            depth += 1
            if depth > MAX_DEPTH:
                return f"expected JSON nested at most {MAX_DEPTH} levels deep (JSON-stat2 needs five), found deeper nesting"
        elif c in (b"]", b"}"):
            depth -= 1
    return None


@dataclass(frozen=True)
class Dimension:
    """One dimension: its codes in index order, their labels and (for the metric) units."""

    id: str
    label: str
    codes: tuple[str, ...]
    labels: dict[str, str] = field(default_factory=dict)
    units: dict[str, dict] = field(default_factory=dict)

    def position(self, code: str) -> int | None:
        """Index of ``code`` in this dimension, ``None`` if the dimension has no such code."""
        try:
            return self.codes.index(code)
        except ValueError:
            return None


@dataclass(frozen=True)
class Dataset:
    """A validated JSON-stat 2.0 dataset."""

    label: str
    updated: str | None
    ids: tuple[str, ...]
    sizes: tuple[int, ...]
    dimensions: dict[str, Dimension]
    values: dict[int, Decimal | None]
    status: dict[int, str]
    extension: dict
    notes: tuple[str, ...] = ()

    @property
    def table_id(self) -> str | None:
        """The table number: ``extension.px.tableid``, else the ``NNNNN:`` the label starts with."""
        px = self.extension.get("px") if isinstance(self.extension, dict) else None
        if isinstance(px, dict) and px.get("tableid"):
            return str(px["tableid"]).strip()
        m = _TABLE_IN_LABEL.match(self.label or "")
        return m.group(1) if m else None

    @property
    def n_cells(self) -> int:
        return math.prod(self.sizes)

    def flat_index(self, coords: dict[str, str]) -> int:
        """Row-major position of the cell at ``coords`` (one code per dimension).

        Raises KostraError when a dimension is not given or has no such code.
        """
        index = 0
        for dim_id, size in zip(self.ids, self.sizes, strict=True):
            code = coords.get(dim_id)
            if code is None:
                raise KostraError(f"cell address names no code for dimension {dim_id} (dimensions: {', '.join(self.ids)})")
            pos = self.dimensions[dim_id].position(code)
            if pos is None:
                raise KostraError(f"dimension {dim_id} has no code {code}")
            index = index * size + pos
        return index

    def cell(self, coords: dict[str, str]) -> tuple[Decimal | None, str | None]:
        """``(value, status)`` of one cell; value ``None`` when the cell is empty."""
        i = self.flat_index(coords)
        return self.values.get(i), self.status.get(i)


def _fail(where: str, message: str) -> KostraError:
    return KostraError(f"{where}: {message}")


def _number(raw, where: str, i: int) -> Decimal | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float | Decimal):
        raise _fail(where, f"expected a number or null in value[{i}], found {raw!r}")
    d = raw if isinstance(raw, Decimal) else Decimal(str(raw))
    if not d.is_finite():
        raise _fail(where, f"expected a finite number in value[{i}], found {raw!r}")
    if d and (d.adjusted() >= MAX_MAGNITUDE or -d.as_tuple().exponent > MAX_DECIMALS):
        expected = f"expected a figure below 10^{MAX_MAGNITUDE} with at most {MAX_DECIMALS} decimals"
        raise _fail(where, f"{expected} in value[{i}], found {_number_text(str(d))}")
    return d


def _dimension(dim_id: str, raw, size: int, where: str) -> Dimension:
    if not isinstance(raw, dict) or not isinstance(raw.get("category"), dict):
        raise _fail(where, f"expected dimension {dim_id} with a category object, found {type(raw).__name__}")
    cat = raw["category"]
    labels = cat.get("label") or {}
    index = cat.get("index")
    if index is None:
        if len(labels) != 1:
            raise _fail(where, f"dimension {dim_id} has no category index (allowed only for one category, found {len(labels)})")
        codes = tuple(labels)
    elif isinstance(index, list):
        codes = tuple(str(c) for c in index)
    elif isinstance(index, dict):
        positions = sorted(index.values()) if all(isinstance(v, int) and not isinstance(v, bool) for v in index.values()) else None
        if positions != list(range(len(index))):
            raise _fail(where, f"dimension {dim_id}: expected category index positions 0..{len(index) - 1}, found {sorted(index.values())}")
        codes = tuple(sorted(index, key=index.__getitem__))
    else:
        raise _fail(where, f"dimension {dim_id}: expected category index as array or object, found {type(index).__name__}")
    if len(set(codes)) != len(codes):
        raise _fail(where, f"dimension {dim_id} lists a category code twice")
    if len(codes) != size:
        raise _fail(where, f"dimension {dim_id}: size says {size} categories, its index has {len(codes)}")
    units = cat.get("unit") or {}
    return Dimension(dim_id, str(raw.get("label", dim_id)), codes, {str(k): str(v) for k, v in labels.items()}, dict(units))


def _values(raw, n: int, where: str) -> dict[int, Decimal | None]:
    if isinstance(raw, list):
        if len(raw) != n:
            raise _fail(where, f"expected {n} values (the product of size), found {len(raw)}")
        return {i: _number(v, where, i) for i, v in enumerate(raw)}
    if isinstance(raw, dict):
        out: dict[int, Decimal | None] = {}
        for k, v in raw.items():
            if not str(k).isdigit() or int(k) >= n:
                raise _fail(where, f"value object has key {k!r}, expected a cell index below {n}")
            out[int(k)] = _number(v, where, int(k))
        return out
    raise _fail(where, f"expected value as array or object, found {type(raw).__name__}")


def _status(raw, n: int, where: str) -> dict[int, str]:
    if raw is None:
        return {}
    if isinstance(raw, str):
        return dict.fromkeys(range(n), raw)
    if isinstance(raw, list):
        if len(raw) != n:
            raise _fail(where, f"expected status for {n} cells, found {len(raw)}")
        return {i: str(s) for i, s in enumerate(raw) if s not in (None, "")}
    if isinstance(raw, dict):
        out = {}
        for k, s in raw.items():
            if not str(k).isdigit() or int(k) >= n:
                raise _fail(where, f"status object has key {k!r}, expected a cell index below {n}")
            if s not in (None, ""):
                out[int(k)] = str(s)
        return out
    raise _fail(where, f"expected status as string, array or object, found {type(raw).__name__}")


def parse_dataset(obj, where: str = "response") -> Dataset:
    """Validate a decoded JSON-stat 2.0 dataset; ``where`` names the source in errors."""
    if not isinstance(obj, dict):
        raise _fail(where, f"expected a JSON-stat dataset object, found {type(obj).__name__}")
    if obj.get("class") != "dataset":
        raise _fail(where, f"expected JSON-stat class 'dataset', found {obj.get('class')!r}")
    if str(obj.get("version", "")) != "2.0":
        raise _fail(where, f"expected JSON-stat version '2.0' (outputFormat=json-stat2), found {obj.get('version')!r}")
    ids, sizes = obj.get("id"), obj.get("size")
    if not isinstance(ids, list) or not isinstance(sizes, list) or len(ids) != len(sizes) or not ids:
        raise _fail(where, f"expected 'id' and 'size' arrays of equal length, found id={ids!r} size={sizes!r}")
    if not all(isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in sizes):
        raise _fail(where, f"expected whole numbers in 'size', found {sizes!r}")
    raw_dims = obj.get("dimension")
    if not isinstance(raw_dims, dict):
        raise _fail(where, "expected a 'dimension' object")
    missing = [d for d in ids if d not in raw_dims]
    if missing:
        raise _fail(where, f"dimension(s) {', '.join(missing)} listed in 'id' are not described in 'dimension'")
    dims = {d: _dimension(d, raw_dims[d], s, where) for d, s in zip(ids, sizes, strict=True)}
    n = math.prod(sizes)
    note = obj.get("note") or []
    return Dataset(
        label=str(obj.get("label", "")),
        updated=str(obj["updated"]) if obj.get("updated") else None,
        ids=tuple(ids),
        sizes=tuple(sizes),
        dimensions=dims,
        values=_values(obj.get("value"), n, where),
        status=_status(obj.get("status"), n, where),
        extension=obj.get("extension") if isinstance(obj.get("extension"), dict) else {},
        notes=tuple(str(x) for x in note) if isinstance(note, list) else (str(note),),
    )


def loads(text: str | bytes, where: str = "response") -> Dataset:
    """Decode JSON text (numbers as Decimal) within the reader's limits and validate it as a JSON-stat 2.0 dataset."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    if len(data) > MAX_BYTES:
        raise _fail(where, f"expected at most {MAX_BYTES // 1_000_000} MB of JSON-stat2, found {len(data) / 1e6:.0f} MB")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    deep = _depth_problem(data)
    if deep:
        raise _fail(where, deep)
    try:
        obj = json.loads(data, parse_float=_decimal, parse_int=_int, parse_constant=_constant)
    except _Refused as e:
        raise _fail(where, str(e)) from None
    except (ValueError, RecursionError) as e:
        raise _fail(where, f"expected JSON (json-stat2), found text that is not JSON ({e})") from None
    return parse_dataset(obj, where)


def read_file(path: Path) -> bytes:
    """The bytes of a file saved from the Statistikkbank: a regular file of at most ``MAX_BYTES`` (checked before it is read)."""
    path = Path(path)
    try:
        st = os.stat(path)
    except OSError as e:
        raise KostraError(f"file '{path}': cannot be read ({e.strerror or e})") from None
    if not stat.S_ISREG(st.st_mode):
        kind = {stat.S_IFIFO: "a named pipe", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device", stat.S_IFDIR: "a folder"}
        found = kind.get(stat.S_IFMT(st.st_mode), "a special file")
        raise KostraError(f"file '{path}': expected a regular file saved from the Statistikkbank, found {found}")
    limit = f"expected a JSON-stat2 file of at most {MAX_BYTES // 1_000_000} MB (the table's selection for the year)"
    if st.st_size > MAX_BYTES:
        raise KostraError(f"file '{path.name}': {limit}, found {st.st_size / 1e6:.0f} MB")
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as e:
        raise KostraError(f"file '{path}': cannot be read ({e.strerror or e})") from None
    if len(data) > MAX_BYTES:
        raise KostraError(f"file '{path.name}': {limit}, found more")
    return data


def load_file(path: Path) -> Dataset:
    """A JSON-stat 2.0 file saved from the Statistikkbank web page (``read_file``'s limits)."""
    return loads(read_file(path), f"file '{Path(path).name}'")

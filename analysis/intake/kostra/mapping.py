"""The KOSTRA mapping is data: read and check ``kostra_mapping.csv`` and ``kostra_municipalities.csv``.

``kostra_mapping.csv`` has one row per dataset/indicator: the SSB table, the
contents code (statistikkvariabel) with the label and unit SSB gives it, the
other dimension codes (KOSTRA function, art), the book groups it fills, the
years the table covers, and the documentation it was taken from.

``kostra_municipalities.csv`` says which municipality number stands for a
group in which years (numbers change: Bærum 0219, 3024, 3201), and which
municipalities make up the ASSS network (group ``asss``) in which years.

Both are checked when read; every problem is reported at once, by file, row
and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from analysis.config import DATA_DIR
from analysis.data.csvfile import read_table
from analysis.data.kostra_refs import overlapping_spans

from .errors import KostraError

__all__ = [
    "MAPPING_FILE",
    "MUNICIPALITIES_FILE",
    "DEFAULT_MAPPING_DIR",
    "PLAIN_GROUPS",
    "ASSS_GROUPS",
    "STATUSES",
    "Entry",
    "Municipality",
    "Mapping",
    "load_mapping",
]

MAPPING_FILE = "kostra_mapping.csv"
MUNICIPALITIES_FILE = "kostra_municipalities.csv"
DEFAULT_MAPPING_DIR = DATA_DIR
"""The project's ``data/``: both files are resources of its ``datapackage.yaml`` (``--data-dir`` names another folder)."""

PLAIN_GROUPS = ("kommunen", "asker")
"""Book groups that are one municipality's own figure (the group id is also its group in the municipalities file)."""
ASSS_GROUPS = {"asss_snitt": "mean", "asss_lavest": "min", "asss_hoyest": "max"}
"""Book groups computed from the ASSS members' figures (group ``asss`` in the municipalities file)."""
STATUSES = ("confirmed", "check_code")
"""``confirmed``: every code is from SSB's documentation; ``check_code``: a code is only confirmed by third-party use."""

MAPPING_COLUMNS = (
    "entry", "dataset", "indicator", "groups", "table_id", "lang", "region_dim", "contents_code", "contents_label",
    "unit", "contents_label_no", "unit_no", "dimensions", "decimals", "from_year", "to_year", "status", "source_url", "source_title",
    "notes",
)  # fmt: skip
MUNICIPALITY_COLUMNS = ("group", "municipality", "code", "from_year", "to_year", "change", "source_url", "note")
CHANGES = ("", "renumbered", "merged", "joined")
_ID = re.compile(r"[a-z0-9_]+")
_DIM = re.compile(r"[A-Za-z][A-Za-z0-9]*")


@dataclass(frozen=True)
class Entry:
    """One mapping row: where one indicator of one dataset comes from."""

    entry: str
    dataset: str
    indicator: str
    groups: tuple[str, ...]
    table_id: str
    lang: str
    region_dim: str
    contents_code: str
    contents_label: str
    unit: str
    contents_label_no: str
    unit_no: str
    dimensions: dict[str, str]
    decimals: int
    from_year: int | None
    to_year: int | None
    status: str
    source_url: str
    source_title: str
    notes: str = ""

    def covers(self, year: int) -> bool:
        """Whether the table holds the year (``from_year``/``to_year`` empty = open)."""
        return (self.from_year is None or year >= self.from_year) and (self.to_year is None or year <= self.to_year)


@dataclass(frozen=True)
class Municipality:
    """One municipality number for one group over a span of years."""

    group: str
    municipality: str
    code: str
    from_year: int | None
    to_year: int | None
    change: str = ""
    note: str = ""
    source_url: str = ""

    def valid(self, year: int) -> bool:
        return (self.from_year is None or year >= self.from_year) and (self.to_year is None or year <= self.to_year)


@dataclass
class Mapping:
    """Both mapping files, checked."""

    entries: list[Entry]
    municipalities: list[Municipality]
    folder: Path = field(default=DEFAULT_MAPPING_DIR)

    def members(self, group: str, year: int) -> list[Municipality]:
        """The rows of ``group`` valid in ``year`` (for ``kommunen``/``asker`` exactly one is expected)."""
        return [m for m in self.municipalities if m.group == group and m.valid(year)]

    def municipality(self, group: str, year: int) -> Municipality:
        """The one municipality number of a plain group in ``year``.

        Raises KostraError when the municipalities file has none or several.
        """
        rows = self.members(group, year)
        if len(rows) != 1:
            found = ", ".join(f"{m.code} ({_span(m)})" for m in rows) or "none"
            raise KostraError(
                f"{MUNICIPALITIES_FILE}: expected exactly one municipality number for group '{group}' in {year}, found {found}"
            )
        return rows[0]


def _span(m: Municipality) -> str:
    return f"{m.from_year or '…'}–{m.to_year or '…'}"


def _read(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    try:
        fields, rows = read_table(path)
        header = tuple(fields)
    except OSError as e:
        raise KostraError(f"{path.name}: cannot be read ({e.strerror or e})") from None
    if header != columns:
        raise KostraError(f"{path.name}: expected the columns {', '.join(columns)}, found {', '.join(header) or 'none'}")
    return [{k: (v or "").strip() for k, v in r.items()} for r in rows]


def _year(text: str, where: str, column: str, problems: list[str]) -> int | None:
    if not text:
        return None
    if not re.fullmatch(r"\d{4}", text):
        problems.append(f"{where}, column {column}: expected a year (like 2019) or empty, found '{text}'")
        return None
    return int(text)


def _dimensions(text: str, where: str, problems: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        key, sep, code = (s.strip() for s in part.partition("="))
        if not sep or not _DIM.fullmatch(key) or not code:
            problems.append(f"{where}, column dimensions: expected 'Dimension=code' pairs separated by ';', found '{part}'")
        elif key in out:
            problems.append(f"{where}, column dimensions: dimension {key} is given twice")
        else:
            out[key] = code
    return out


def _entry(r: dict[str, str], where: str, problems: list[str]) -> Entry | None:
    before = len(problems)
    for col in ("entry", "dataset", "indicator"):
        if not _ID.fullmatch(r[col]):
            problems.append(f"{where}, column {col}: expected a snake_case id, found '{r[col]}'")
    groups = tuple(r["groups"].split())
    bad = [g for g in groups if g not in PLAIN_GROUPS and g not in ASSS_GROUPS]
    if not groups or bad:
        allowed = ", ".join((*PLAIN_GROUPS, *ASSS_GROUPS))
        problems.append(f"{where}, column groups: expected space-separated groups out of {allowed}, found '{r['groups']}'")
    if not re.fullmatch(r"\d{5}", r["table_id"]):
        problems.append(f"{where}, column table_id: expected a five-digit SSB table number, found '{r['table_id']}'")
    if r["lang"] not in ("no", "en"):
        problems.append(f"{where}, column lang: expected no or en (the language the query asks for), found '{r['lang']}'")
    for col in ("region_dim", "contents_code"):
        if not _DIM.fullmatch(r[col]):
            problems.append(f"{where}, column {col}: expected an SSB code, found '{r[col]}'")
    for col in ("contents_label", "unit", "contents_label_no", "unit_no", "source_title"):
        if not r[col]:
            problems.append(f"{where}, column {col}: expected a value, found an empty cell")
    if not r["decimals"].isdigit() or int(r["decimals"]) > 3:
        problems.append(f"{where}, column decimals: expected 0–3, found '{r['decimals']}'")
    if r["status"] not in STATUSES:
        problems.append(f"{where}, column status: expected one of {', '.join(STATUSES)}, found '{r['status']}'")
    if not r["source_url"].startswith(("https://", "http://")):
        problems.append(f"{where}, column source_url: expected the web address of the documentation, found '{r['source_url']}'")
    dims = _dimensions(r["dimensions"], where, problems)
    for reserved in ("ContentsCode", "Tid", r["region_dim"]):
        if reserved in dims:
            problems.append(f"{where}, column dimensions: {reserved} is set by its own column or by the year, not here")
    start, end = _year(r["from_year"], where, "from_year", problems), _year(r["to_year"], where, "to_year", problems)
    if start and end and start > end:
        problems.append(f"{where}: from_year {start} is after to_year {end}")
    if len(problems) > before:
        return None
    return Entry(
        r["entry"], r["dataset"], r["indicator"], groups, r["table_id"], r["lang"], r["region_dim"], r["contents_code"],
        r["contents_label"], r["unit"], r["contents_label_no"], r["unit_no"], dims, int(r["decimals"]), start, end, r["status"],
        r["source_url"], r["source_title"], r["notes"],
    )  # fmt: skip


def _municipality(r: dict[str, str], where: str, problems: list[str]) -> Municipality | None:
    before = len(problems)
    if r["group"] not in (*PLAIN_GROUPS, "asss"):
        problems.append(f"{where}, column group: expected {', '.join(PLAIN_GROUPS)} or asss, found '{r['group']}'")
    if not r["municipality"]:
        problems.append(f"{where}, column municipality: expected the municipality's name, found an empty cell")
    if not re.fullmatch(r"\d{4}", r["code"]):
        problems.append(f"{where}, column code: expected a four-digit municipality number, found '{r['code']}'")
    if r["change"] not in CHANGES:
        problems.append(f"{where}, column change: expected empty or one of {', '.join(CHANGES[1:])}, found '{r['change']}'")
    if not r["source_url"].startswith(("https://", "http://")):
        problems.append(f"{where}, column source_url: expected the web address of the documentation, found '{r['source_url']}'")
    start, end = _year(r["from_year"], where, "from_year", problems), _year(r["to_year"], where, "to_year", problems)
    if start and end and start > end:
        problems.append(f"{where}: from_year {start} is after to_year {end}")
    if len(problems) > before:
        return None
    return Municipality(r["group"], r["municipality"], r["code"], start, end, r["change"], r["note"], r["source_url"])


def _overlaps(rows: list[Municipality]) -> list[str]:
    spans = [(m.group if m.group != "asss" else ("asss", m.municipality), m.from_year, m.to_year) for m in rows]
    problems = []
    for i, j, year in overlapping_spans(spans):
        a, b = rows[i], rows[j]
        who = a.group if a.group != "asss" else f"asss member {a.municipality}"
        problems.append(f"{MUNICIPALITIES_FILE}: {who} has two numbers in {year}: {a.code} ({_span(a)}) and {b.code} ({_span(b)})")
    return problems


def load_mapping(mapping_dir: Path = DEFAULT_MAPPING_DIR) -> Mapping:
    """Read and check both mapping files in ``mapping_dir``.

    Raises KostraError listing every problem (file, row, column, expected and found).
    """
    folder = Path(mapping_dir)
    problems: list[str] = []
    entries: list[Entry] = []
    for n, r in enumerate(_read(folder / MAPPING_FILE, MAPPING_COLUMNS), start=2):
        e = _entry(r, f"{MAPPING_FILE}, row {n} ({r['entry'] or 'no id'})", problems)
        if e:
            entries.append(e)
    seen: dict[str, int] = {}
    for e in entries:
        seen[e.entry] = seen.get(e.entry, 0) + 1
    problems += [f"{MAPPING_FILE}: entry id '{k}' is used {v} times" for k, v in seen.items() if v > 1]
    keys = [(e.dataset, e.indicator) for e in entries]
    problems += [f"{MAPPING_FILE}: {d} / {i} is mapped more than once" for d, i in sorted(set(keys)) if keys.count((d, i)) > 1]
    munis: list[Municipality] = []
    for n, r in enumerate(_read(folder / MUNICIPALITIES_FILE, MUNICIPALITY_COLUMNS), start=2):
        m = _municipality(r, f"{MUNICIPALITIES_FILE}, row {n}", problems)
        if m:
            munis.append(m)
    problems += _overlaps(munis)
    if problems:
        raise KostraError(f"{len(problems)} problem(s) in the KOSTRA mapping in {folder}:\n" + "\n".join(problems))
    return Mapping(entries, munis, folder)

"""Fetch one year of KOSTRA figures, and the earlier years of each series, (or read a saved JSON-stat2 file) into plain records.

``fetch_year`` reads the mapping, picks each group's municipality numbers for
the years, plans one query per table (all contents codes, dimension codes and
municipalities the entries need; the year and, as SSB advises, the earlier
years of each series: from the first year ``data/`` holds of the dataset, or
the table's first year), fetches it, checks it against every entry and
converts the cells. The year itself is checked strictly; an earlier year the
answer does not hold (a saved file of one year) is noted, not compared. SSB
revises its figures at each publication (15 March, 15 June): an earlier year's
figure that differs from ``data/`` is a revision (``revisions``), which the
import writes only with ``--replace``. ``from_file`` does the same with a
JSON-stat2 file saved from the Statistikkbank web page. Both return a
:class:`KostraResult`; nothing is written anywhere.
"""

from __future__ import annotations

import hashlib
import math
from datetime import UTC, datetime
from pathlib import Path

import requests

from .client import DEFAULT_BASE_URL, MAX_CELLS, Client, RateLimiter, data_url
from .convert import Provenance, check_dataset, convert_entry, region_codes
from .errors import KostraError
from .jsonstat import Dataset, loads, read_file
from .mapping import DEFAULT_MAPPING_DIR, Entry, Mapping, load_mapping
from .records import KostraResult, TableRead

__all__ = ["Query", "plan_queries", "series_years", "fetch_year", "from_file"]


class Query:
    """One data query: a table, its language, and the codes selected per dimension."""

    def __init__(self, table_id: str, lang: str, region_dim: str, entries: list[Entry]):
        self.table_id, self.lang, self.region_dim, self.entries = table_id, lang, region_dim, entries
        self.selection: dict[str, list[str]] = {}

    def add(self, dim: str, codes: list[str]) -> None:
        have = self.selection.setdefault(dim, [])
        have.extend(c for c in codes if c not in have)

    @property
    def cells(self) -> int:
        return math.prod(len(v) for v in self.selection.values())


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _entries_for(mapping: Mapping, year: int, result: KostraResult) -> list[Entry]:
    entries = []
    for e in mapping.entries:
        if e.covers(year):
            entries.append(e)
        else:
            span = f"{e.from_year or '…'}–{e.to_year or '…'}"
            result.add_note(f"{e.dataset} / {e.indicator}: table {e.table_id} covers {span}, not {year}; no figures fetched")
    return entries


def _notes(mapping: Mapping, entries: list[Entry], year: int, result: KostraResult) -> None:
    """One note per table and contents code whose entries have status check_code; one per municipality number new in ``year``."""
    unsure: dict[tuple[str, str, str, str], list[Entry]] = {}
    for e in entries:
        if e.status == "check_code":
            unsure.setdefault((e.table_id, e.contents_code, e.contents_label, e.unit), []).append(e)
    for (table, code, label, unit), group in unsure.items():
        names = ", ".join(f"'{e.entry}'" for e in group)
        datasets = ", ".join(dict.fromkeys(e.dataset for e in group))
        result.add_note(
            f"table {table}, contents code {code}: mapping entr{'y' if len(group) == 1 else 'ies'} {names} ({datasets}) "
            f"{'has' if len(group) == 1 else 'have'} status check_code (the code is confirmed only by third-party use, see the "
            f"mapping's notes); SSB's label '{label}' and unit '{unit}' are checked in every response"
        )
    seen: set[tuple[str, str]] = set()
    for e in entries:
        for m in region_codes(mapping, e, year):
            if m.note and m.from_year == year and (m.municipality, m.code) not in seen:
                seen.add((m.municipality, m.code))
                result.add_note(f"{m.municipality} ({m.code} from {year}): {m.note}")


def series_years(entry: Entry, year: int, first: dict[str, int] | None = None) -> list[int]:
    """The years to fetch for an entry: its series up to ``year``, from the first year ``data/`` holds of its dataset
    (``first``), never before the table's first year; ``[year]`` alone without ``first``."""
    start = (first or {}).get(entry.dataset, year)
    if entry.from_year is not None:
        start = max(start, entry.from_year)
    return list(range(min(start, year), year + 1))


def plan_queries(mapping: Mapping, entries: list[Entry], year: int, first: dict[str, int] | None = None) -> list[Query]:
    """One query per table (and language, region dimension and set of dimensions) for ``year`` and the earlier years
    of each entry's series (``series_years``).

    Raises KostraError if a query would exceed SSB's 800 000 cells.
    """
    queries: dict[tuple, Query] = {}
    for e in entries:
        key = (e.table_id, e.lang, e.region_dim, tuple(sorted(e.dimensions)))
        q = queries.get(key)
        if q is None:
            q = queries[key] = Query(e.table_id, e.lang, e.region_dim, [])
        q.entries.append(e)
        q.add("ContentsCode", [e.contents_code])
        for dim, code in e.dimensions.items():
            q.add(dim, [code])
        years = series_years(e, year, first)
        for y in years:
            q.add(e.region_dim, [m.code for m in region_codes(mapping, e, y)])
        q.add("Tid", [str(y) for y in years])
    for q in queries.values():
        q.selection["Tid"].sort()
    for q in queries.values():
        if q.cells > MAX_CELLS:
            raise KostraError(f"table {q.table_id}: the query for {year} would select {q.cells} cells, SSB allows {MAX_CELLS}")
    return list(queries.values())


def _convert(
    ds: Dataset, query: Query, mapping: Mapping, year: int, prov: Provenance, where: str, result: KostraResult, first: dict[str, int] | None
) -> None:
    for e in query.entries:
        codes = [m.code for m in region_codes(mapping, e, year)]
        check_dataset(ds, e, year, codes, where)
    for e in query.entries:
        convert_entry(ds, e, mapping, year, prov, result)
        absent = []
        for y in series_years(e, year, first)[:-1]:  # the earlier years: compared where the answer holds them
            codes = [m.code for m in region_codes(mapping, e, y)]
            region = ds.dimensions[e.region_dim]
            if ds.dimensions["Tid"].position(str(y)) is None or any(region.position(c) is None for c in codes):
                absent.append(y)
                continue
            convert_entry(ds, e, mapping, y, prov, result)
        if absent:
            span = f"{absent[0]}–{absent[-1]}" if len(absent) > 1 else str(absent[0])
            result.add_note(f"table {e.table_id}: {where} holds no figures for {span} (earlier years of the series; not compared)")


def first_years(data_dir: Path, datasets: list[str]) -> dict[str, int]:
    """The first year ``data_dir`` holds of each dataset (those without figures left out)."""
    from analysis.data.load import load_observations

    out = {}
    for d in dict.fromkeys(datasets):
        years = load_observations(d, data_dir)["year"].to_list()
        if years:
            out[d] = min(years)
    return out


def fetch_year(
    year: int,
    *,
    base_url: str = DEFAULT_BASE_URL,
    mapping_dir: Path = DEFAULT_MAPPING_DIR,
    session: requests.Session | None = None,
    timeout: float = 30.0,
    retries: int = 4,
    backoff: float = 1.0,
    limiter: RateLimiter | None = None,
    series: bool = True,
) -> KostraResult:
    """Fetch every mapped KOSTRA figure for ``year`` from SSB's Statistikkbank (PxWebApi 2), with the earlier years of each
    series (``series``; from the first year ``mapping_dir``'s data hold of the dataset).

    ``base_url`` is the API root (tests point it at a local server). ``session`` is used as
    given (without it, one with urllib3 retries is made: ``retries`` attempts, exponential
    ``backoff``, ``Retry-After`` respected). At most 30 queries a minute are sent.

    Raises KostraError (nothing fetched is returned) on any mismatch between a response and
    the mapping, or when SSB cannot be reached.
    """
    mapping = load_mapping(mapping_dir)
    result = KostraResult(year)
    entries = _entries_for(mapping, year, result)
    _notes(mapping, entries, year, result)
    client = Client(base_url, session=session, timeout=timeout, retries=retries, backoff=backoff, limiter=limiter)
    digest = hashlib.sha256()
    first = first_years(mapping_dir, [e.dataset for e in entries]) if series else None
    for q in plan_queries(mapping, entries, year, first):
        url = data_url(client.base_url, q.table_id, q.selection, q.lang)
        text = client.get_text(url)
        digest.update(text.encode("utf-8"))
        ds = loads(text, f"response of table {q.table_id}")
        fetched = _now()
        updated = ds.updated or client.table_updated(q.table_id, q.lang)
        if not updated:
            raise KostraError(
                f"table {q.table_id}: SSB gives no last-updated date (neither in the data nor in the table information): {url}"
            )
        _convert(ds, q, mapping, year, Provenance(url, updated, fetched), "SSB's answer", result, first)
        result.tables.append(TableRead(q.table_id, url, updated, fetched))
    result.sha256 = digest.hexdigest()
    return result


def from_file(path: Path, year: int, *, mapping_dir: Path = DEFAULT_MAPPING_DIR) -> KostraResult:
    """Read a JSON-stat2 file saved from the Statistikkbank web page, with the same checks as ``fetch_year``.

    Only the mapping entries of the file's table are read; the others are listed in ``notes``.
    """
    path = Path(path).resolve()
    mapping = load_mapping(mapping_dir)
    raw = read_file(path)
    ds = loads(raw, f"file '{path.name}'")
    table = ds.table_id
    if not table:
        raise KostraError(f"file '{path.name}': expected a Statistikkbank table (extension.px.tableid or a label 'NNNNN: …'), found none")
    result = KostraResult(year)
    entries = [e for e in _entries_for(mapping, year, result) if e.table_id == table]
    if not entries:
        raise KostraError(f"file '{path.name}': table {table} is used by no mapping entry for {year}")
    for e in mapping.entries:
        if e.table_id != table and e.covers(year):
            result.add_note(f"{e.dataset} / {e.indicator}: table {e.table_id} is not in file '{path.name}'; no figures read")
    if not ds.updated:
        raise KostraError(f"file '{path.name}': expected the table's last-updated date ('updated'), found none")
    _notes(mapping, entries, year, result)
    result.add_note(f"table {table}: read from the saved file '{path.name}' (table last updated {ds.updated}), not fetched")
    prov = Provenance(path.as_uri(), ds.updated, _now())
    first = first_years(mapping_dir, [e.dataset for e in entries])
    for q in plan_queries(mapping, entries, year, first):
        _convert(ds, q, mapping, year, prov, f"file '{path.name}'", result, first)
    result.tables.append(TableRead(table, prov.url, prov.updated, prov.fetched))
    result.sha256 = hashlib.sha256(raw).hexdigest()
    return result

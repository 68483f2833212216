"""What the schema cannot say about the KOSTRA mapping (``kostra_mapping.csv``, ``kostra_municipalities.csv``).

The schema in ``datapackage.yaml`` checks each file's columns, types, codes and
the indicator (a foreign key into ``indicators.csv``). This module checks the
references a foreign key cannot express, for the files the schema check passed:

* each mapping entry names an observation dataset that holds the indicator,
  and a row of the dataset for every group it fills (``groups``, space-separated);
* its ``decimals`` are the indicator's in ``indicators.csv``;
* no group (and no ASSS member) has two municipality numbers in one year.

``overlapping_spans`` is also what ``analysis.intake.kostra.mapping`` uses when
``virksomhetsanalyse kostra`` reads the files.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from pathlib import Path

from analysis.data.csvfile import read_rows
from analysis.data.package import observation_names, resource
from analysis.data.problems import Problem, display

__all__ = ["MAPPING_RESOURCE", "MUNICIPALITIES_RESOURCE", "overlapping_spans", "kostra_problems"]

MAPPING_RESOURCE = "kostra_mapping"
MUNICIPALITIES_RESOURCE = "kostra_municipalities"

Observations = Mapping[str, Mapping[tuple[int, str, str], object]]
"""Per observation dataset, its ``(year, indicator, group)`` keys (``analysis.data.checks.Observations``)."""


def overlapping_spans(spans: Sequence[tuple[Hashable, int | None, int | None]]) -> list[tuple[int, int, int]]:
    """``(i, j, first common year)`` for each pair of spans with the same key whose years overlap.

    A span is ``(key, from_year, to_year)``; an empty end (``None``) is open.
    """
    found = []
    for i, (key_a, from_a, to_a) in enumerate(spans):
        for j in range(i + 1, len(spans)):
            key_b, from_b, to_b = spans[j]
            if key_a != key_b:
                continue
            lo, hi = max(from_a or 0, from_b or 0), min(to_a or 9999, to_b or 9999)
            if lo <= hi:
                found.append((i, j, lo))
    return found


def _rows(path: Path) -> list[dict[str, str]]:
    return [{k: (v or "").strip() for k, v in r.items()} for r in read_rows(path)]


def _year(text: str) -> int | None:
    return int(text) if text else None


def _mapping_problems(data_dir: Path, descriptor: dict, broken: set[str], obs: Observations, indicators: Mapping) -> list[Problem]:
    res = resource(descriptor, MAPPING_RESOURCE)
    file = display(data_dir, res["path"])
    datasets = observation_names(descriptor)
    problems = []
    for n, r in enumerate(_rows(data_dir / res["path"]), start=2):
        ds, ind = r["dataset"], r["indicator"]
        if ds not in datasets:
            problems.append(
                Problem(file, n, "dataset", f"unknown dataset '{ds}': not an observation dataset in datapackage.yaml", "unknown-id")
            )
            continue
        if ds in broken or ds not in obs:
            continue  # that file's own errors are reported
        pairs = {(i, g) for _, i, g in obs[ds]}
        if not any(i == ind for i, _ in pairs):
            held = ", ".join(sorted({i for i, _ in pairs}))
            problems.append(Problem(file, n, "indicator", f"expected an indicator of {ds} ({held}), found '{ind}'", "unknown-id"))
            continue
        for g in r["groups"].split():
            if (ind, g) not in pairs:
                held = ", ".join(sorted(gg for i, gg in pairs if i == ind))
                msg = f"expected a group that {ds} has for {ind} ({held}), found '{g}'; new rows are added in data/, not by the mapping"
                problems.append(Problem(file, n, "groups", msg, "unknown-id"))
        want = (indicators.get(ind) or {}).get("decimals")
        if want not in (None, "") and r["decimals"] != str(want):
            msg = f"expected {want}, the decimals of {ind} in indicators.csv, found '{r['decimals']}'"
            problems.append(Problem(file, n, "decimals", msg, "mismatch"))
    return problems


def _municipality_problems(data_dir: Path, descriptor: dict) -> list[Problem]:
    res = resource(descriptor, MUNICIPALITIES_RESOURCE)
    file = display(data_dir, res["path"])
    rows = _rows(data_dir / res["path"])
    spans = [
        (r["group"] if r["group"] != "asss" else ("asss", r["municipality"]), _year(r["from_year"]), _year(r["to_year"])) for r in rows
    ]
    problems = []
    for i, j, year in overlapping_spans(spans):
        a, b = rows[i], rows[j]
        who = a["group"] if a["group"] != "asss" else f"asss member {a['municipality']}"
        msg = f"{who} has two numbers in {year}: {a['code']} (row {i + 2}) and {b['code']}; expected one number per year"
        problems.append(Problem(file, j + 2, "from_year", msg, "overlap"))
    return problems


def kostra_problems(data_dir: Path, descriptor: dict, broken: set[str], obs: Observations, indicators: Mapping) -> list[Problem]:
    """The reference problems of both KOSTRA files (none when the descriptor does not list them)."""
    data_dir = Path(data_dir)
    names = {r["name"] for r in descriptor["resources"]}
    problems: list[Problem] = []
    if MAPPING_RESOURCE in names and MAPPING_RESOURCE not in broken:
        problems += _mapping_problems(data_dir, descriptor, broken, obs, indicators)
    if MUNICIPALITIES_RESOURCE in names and MUNICIPALITIES_RESOURCE not in broken:
        problems += _municipality_problems(data_dir, descriptor)
    return problems

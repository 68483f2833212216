"""``data/provenance.csv`` against the observations: every figure credited, every credit well formed.

``provenance_problems`` (called by ``analysis.data.semantic``, after the schema
check) reports:

* an observation without a credit (neither a row for its series nor one for
  its dataset and year), on the observation's own file and row;
* a row naming a dataset that is not an observation dataset, a series given
  by half (indicator without group, or the reverse), or a series that the
  dataset does not hold in that year (a typo: the figure it meant falls back
  to the dataset-year row); a dataset-year row whose figures were deleted is
  harmless and allowed;
* a ``workbook`` or ``ssb`` row without ``source``; an ``ssb`` row without
  ``url`` or ``fetched``; a ``document`` row with a ``source`` of its own (the
  book would not show it: a document's source is its ``sources`` in
  ``datapackage.yaml``).

No cascade: when ``provenance.csv`` itself did not pass the schema check,
nothing is judged against it (its own errors are reported); an observation
file that did not pass is not judged either, nor the rows that name it.
"""

from __future__ import annotations

import difflib
from datetime import datetime
from pathlib import Path

from analysis.data.checks import Observations
from analysis.data.csvfile import read_rows
from analysis.data.package import observation_names, resource
from analysis.data.problems import Problem, display
from analysis.data.provenance import PROVENANCE_RESOURCE, Credit, Credits

__all__ = ["provenance_problems"]

_HOW = (
    "`virksomhetsanalyse import` writes it with the figure, or add the row by hand (kind document for the dataset's "
    "sources in datapackage.yaml; workbook or ssb with the source)"
)


def _read(path: Path) -> list[dict[str, str]]:
    return [{k: (v or "").strip() for k, v in r.items()} for r in read_rows(path)]


def _unknown_dataset(name: str, names: list[str]) -> str:
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]}?" if close else f"the observation datasets are: {', '.join(names)}"
    return f"unknown dataset '{name}': expected an observation dataset of datapackage.yaml; {hint}"


def _fetched(text: str) -> bool:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def _row_problems(file: str, row: int, r: dict[str, str], names: list[str], obs: Observations, broken: set[str]) -> list[Problem]:
    """What is wrong with one row of ``provenance.csv`` (its schema already passed)."""
    dataset, indicator, group, kind = r["dataset"], r["indicator"], r["group"], r["kind"]
    problems = []
    if dataset in broken:
        return []  # that file's own errors are reported
    if dataset not in names:
        return [Problem(file, row, "dataset", _unknown_dataset(dataset, names), "unknown-id")]
    if bool(indicator) != bool(group):
        found = f"indicator '{indicator}' and an empty group" if indicator else f"group '{group}' and an empty indicator"
        msg = f"expected indicator and group both empty (every figure of the dataset and year) or both filled (one series), found {found}"
        problems.append(Problem(file, row, "group" if indicator else "indicator", msg, "missing-value"))
    elif indicator and (int(r["year"]), indicator, group) not in obs.get(dataset, {}):
        # a series row is written per figure: naming none, it is a typo (a dataset-year row may outlive its figures)
        msg = (
            f"the row credits no figure: {dataset} has no value {indicator} / {group} in {r['year']}; "
            "correct its year or series, or delete the row"
        )
        problems.append(Problem(file, row, "indicator", msg, "dangling-reference"))
    if kind in ("workbook", "ssb") and not r["source"]:
        msg = f"kind '{kind}' needs the source as the book names it (such as «Bærum kommune, HR-systemet»), found an empty cell"
        problems.append(Problem(file, row, "source", msg, "missing-value"))
    if kind == "ssb":
        if not r["url"]:
            msg = "kind 'ssb' needs the query URL the figures were fetched from, found an empty cell"
            problems.append(Problem(file, row, "url", msg, "missing-value"))
        if not r["fetched"]:
            msg = "kind 'ssb' needs the time the figures were fetched (UTC, ISO 8601, such as 2025-03-01T12:00:00Z), found an empty cell"
            problems.append(Problem(file, row, "fetched", msg, "missing-value"))
        elif not _fetched(r["fetched"]):
            msg = f"expected the time the figures were fetched as ISO 8601 (such as 2025-03-01T12:00:00Z), found '{r['fetched']}'"
            problems.append(Problem(file, row, "fetched", msg, "wrong-type"))
    if kind == "document" and r["source"]:
        msg = (
            f"kind 'document' takes its source from the dataset's sources in datapackage.yaml: expected an empty source, "
            f"found '{r['source']}'; for a source of your own, use kind workbook"
        )
        problems.append(Problem(file, row, "source", msg, "provenance"))
    return problems


def provenance_problems(data_dir: Path, descriptor: dict, broken: set[str], obs: Observations) -> list[Problem]:
    """Every uncredited observation and every malformed credit (``broken``: files the schema check did not pass)."""
    names = observation_names(descriptor)
    try:
        res = resource(descriptor, PROVENANCE_RESOURCE)
    except KeyError:
        msg = (
            f"no resource '{PROVENANCE_RESOURCE}': every figure needs its source per year (data/README.md, «Kilde per år»); "
            "add the provenance resource and its file provenance.csv"
        )
        return [Problem(display(data_dir, "datapackage.yaml"), None, None, msg, "missing-resource")] if names else []
    if PROVENANCE_RESOURCE in broken:
        return []  # its own errors are reported; judging the data by a broken file would only add false ones
    file = display(data_dir, res["path"])
    rows = _read(Path(data_dir) / res["path"])
    problems = []
    for i, r in enumerate(rows, start=2):
        problems += _row_problems(file, i, r, names, obs, broken)
    credits = Credits(r for r in rows if r["dataset"] and r["year"].lstrip("-").isdigit())
    for dataset in names:
        for (year, indicator, group), (obs_file, row, _) in sorted(obs.get(dataset, {}).items(), key=lambda kv: kv[1][1]):
            found: Credit | None = credits.of(dataset, year, indicator, group)
            if found is None:
                msg = (
                    f"{dataset} {indicator} / {group} {year} has no source: expected a row in {file} for {dataset} {year} "
                    f"or for this series, found none; {_HOW}"
                )
                problems.append(Problem(obs_file, row, None, msg, "uncredited"))
    return problems

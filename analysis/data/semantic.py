"""Checks a schema cannot express, for the files the schema check passed.

* every observation inside the range of its indicator's unit (``units.csv``);
* every reference of ``printed_derived.csv`` and ``text_figures.csv`` to an
  observation names one that exists (and, for a change or a trend, the year
  it is measured from);
* the declarations of ``checks.yaml`` (``analysis.data.checks``): known
  datasets, indicators and groups, and every same fact held alike;
* every observation credited to a source in ``provenance.csv``, and every
  credit well formed (``analysis.data.provenance_checks``);
* the KOSTRA mapping's references to datasets, indicators and groups, and one
  municipality number per group and year (``analysis.data.kostra_refs``).
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import polars as pl

from analysis.data.checks import Observations, checks_problems
from analysis.data.kostra_refs import kostra_problems
from analysis.data.package import observation_names, resource
from analysis.data.problems import Problem, display
from analysis.data.provenance_checks import provenance_problems

__all__ = ["semantic_problems"]


_READ: dict[str, pl.DataFrame] = {}
_READ_MAX = 256
_READ_LOCK = threading.Lock()


def _read_strings(path: Path) -> pl.DataFrame:
    """The file as strings; read once per content (the lookups and unchanged files of every data copy, in a test or an import)."""
    try:
        key = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return pl.read_csv(path, infer_schema=False, encoding="utf8")  # as before: polars says what is wrong
    frame = _READ.get(key)
    if frame is None:
        frame = pl.read_csv(path, infer_schema=False, encoding="utf8")
        with _READ_LOCK:
            while len(_READ) >= _READ_MAX:
                _READ.pop(next(iter(_READ)))
            _READ[key] = frame
    return frame


def _range_problems(file: str, row: int, r: dict, unit: dict) -> list[Problem]:
    """The value of observation ``r`` against its unit's minimum and maximum."""
    v = float(r["value"])
    problems = []
    for bound, outside, word, extreme in (("minimum", v.__lt__, "below", "smallest"), ("maximum", v.__gt__, "above", "largest")):
        if unit[bound] not in (None, "") and outside(float(unit[bound])):
            msg = (
                f"{r['value']} is {word} {unit[bound]}, the {extreme} value allowed for unit '{unit['label']}' "
                f"(indicator '{r['indicator']}')"
            )
            problems.append(Problem(file, row, "value", msg, "out-of-range"))
    return problems


def _observations(data_dir: Path, descriptor: dict, broken: set[str], units: dict, indicators: dict) -> tuple[Observations, list[Problem]]:
    """Every observation of the datasets the schema check passed, indexed; and the values outside their unit's range."""
    obs: Observations = {}
    problems: list[Problem] = []
    for name in observation_names(descriptor):
        if name in broken:
            continue
        res = resource(descriptor, name)
        file = display(data_dir, res["path"])
        rows = {}
        for i, r in enumerate(_read_strings(data_dir / res["path"]).iter_rows(named=True), start=2):
            rows[(int(r["year"]), r["indicator"], r["group"])] = (file, i, r["value"])
            ind = indicators.get(r["indicator"])
            unit = units.get(ind["unit"]) if ind else None
            if unit is not None:
                problems += _range_problems(file, i, r, unit)
        obs[name] = rows
    return obs, problems


def _reference_problems(data_dir: Path, descriptor: dict, broken: set[str], obs: Observations) -> list[Problem]:
    """References of ``printed_derived`` and ``text_figures`` to observations that do not exist."""
    problems: list[Problem] = []

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
        file = display(data_dir, res["path"])
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
        file = display(data_dir, res["path"])
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
    return problems


def semantic_problems(data_dir: Path, descriptor: dict, broken: set[str]) -> list[Problem]:
    """Checks a schema cannot express, for the files Frictionless passed (``broken``: the datasets it did not)."""
    if broken & {"units", "indicators", "groups"}:
        return []
    lookups = {name: _read_strings(data_dir / resource(descriptor, name)["path"]) for name in ("units", "indicators", "groups")}
    units = {r["id"]: r for r in lookups["units"].to_dicts()}
    indicators = {r["id"]: r for r in lookups["indicators"].to_dicts()}
    groups = set(lookups["groups"]["id"].to_list())
    obs, problems = _observations(data_dir, descriptor, broken, units, indicators)
    problems += _reference_problems(data_dir, descriptor, broken, obs)
    problems += checks_problems(data_dir, obs, set(indicators), groups, broken)
    problems += provenance_problems(data_dir, descriptor, broken, obs)
    problems += kostra_problems(data_dir, descriptor, broken, obs, indicators)
    return problems

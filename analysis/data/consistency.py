"""Consistency of the source with itself.

Three kinds of check, all driven by data files:

* ``derived``: each printed derived value of ``printed_derived.csv`` against
  the value its stored inputs give;
* ``identity``: each linear identity of ``checks.yaml`` (sums of parts, net
  figures, the same figure in two tables);
* ``text``: each figure of ``text_figures.csv`` that makes a claim about a
  table.

A result is *reproduced*, *within rounding* (possible given the rounding of
the printed inputs) or a *finding*; approximate statements (*cirka*) are
reported but not judged.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from analysis.calc import metrics
from analysis.calc.rounding import Interval, Verdict, judge, printed
from analysis.config import DATA_DIR
from analysis.data.load import load_checks, load_observations, load_table
from analysis.data.package import observation_names, read_descriptor

__all__ = ["Status", "CheckResult", "check_derived", "check_identities", "check_text", "run_all"]


class Status(StrEnum):
    REPRODUCED = Verdict.REPRODUCED.value
    WITHIN_ROUNDING = Verdict.WITHIN_ROUNDING.value
    FINDING = Verdict.FINDING.value
    NOT_JUDGED = "approximate, not judged"


@dataclass(frozen=True)
class CheckResult:
    kind: str
    """``derived``, ``identity`` or ``text``."""
    ref: str
    """What was checked (dataset / indicator / group / year, check id, text id)."""
    section: str
    description: str
    year: int
    """The (latest) year the check is about."""
    printed: float
    printed_decimals: int
    computed: float | None
    possible: Interval | None
    status: Status


class _Obs:
    """All observations, indexed for lookups by (dataset, indicator, group, year)."""

    def __init__(self, data_dir: Path):
        self.values: dict[tuple[str, str, str, int], tuple[float, int]] = {}
        for name in observation_names(read_descriptor(data_dir)):
            df = load_observations(name, data_dir)
            for r in df.iter_rows(named=True):
                self.values[(name, r["indicator"], r["group"], r["year"])] = (r["value"], r["decimals"])

    def get(self, dataset: str, indicator: str, group: str, year: int) -> tuple[float, Interval] | None:
        hit = self.values.get((dataset, indicator, group, year))
        if hit is None:
            return None
        v, d = hit
        return v, printed(v, d)


def _status(computed: float | None, possible: Interval | None, value: float, decimals: int) -> Status:
    if computed is None or possible is None:
        return Status.FINDING
    return Status(judge(computed, possible, value, decimals).value)


def _change(obs: _Obs, ds: str, ind: str, grp: str, y0: int, y1: int) -> tuple[float | None, Interval | None]:
    a, b = obs.get(ds, ind, grp, y0), obs.get(ds, ind, grp, y1)
    if a is None or b is None:
        return None, None
    return metrics.pct_change(a[0], b[0]), (b[1] / a[1]).shift(-1.0).scale(100.0)


def _trend(obs: _Obs, ds: str, ind: str, grp: str, y: int) -> tuple[float | None, Interval | None]:
    a, b = obs.get(ds, ind, grp, y - 3), obs.get(ds, ind, grp, y)
    if a is None or b is None:
        return None, None
    return metrics.trend3({y - 3: a[0], y: b[0]}, y), (b[1] - a[1]).scale(1.0 / 3.0)


def _share(obs: _Obs, ds: str, ind: str, grp: str, bind: str, bgrp: str, y: int) -> tuple[float | None, Interval | None]:
    a, b = obs.get(ds, ind, grp, y), obs.get(ds, bind, bgrp, y)
    if a is None or b is None:
        return None, None
    return metrics.share_pct(a[0], b[0]), (a[1] / b[1]).scale(100.0)


def check_derived(data_dir: Path = DATA_DIR, obs: _Obs | None = None) -> list[CheckResult]:
    """Every printed derived value against its stored inputs."""
    obs = obs or _Obs(data_dir)
    out = []
    for r in load_table("printed_derived", data_dir).iter_rows(named=True):
        ds, ind, grp, y, m = r["dataset"], r["indicator"], r["group"], r["year"], r["measure"]
        if m == "change_pct":
            c, iv = _change(obs, ds, ind, grp, y - 1, y)
            label = f"endring {y - 1}–{y}"
        elif m == "trend3":
            c, iv = _trend(obs, ds, ind, grp, y)
            label = f"årlig trend {y - 3}–{y}"
        else:
            c, iv = _share(obs, ds, ind, grp, r["base_indicator"], r["base_group"], y)
            label = f"andel av {r['base_indicator']} ({r['base_group']}) {y}"
        out.append(
            CheckResult(
                "derived",
                f"{ds} / {ind} / {grp} / {y} / {m}",
                r["section"],
                label,
                y,
                r["value"],
                r["decimals"],
                c,
                iv,
                _status(c, iv, r["value"], r["decimals"]),
            )
        )
    return out


def check_identities(data_dir: Path = DATA_DIR, obs: _Obs | None = None) -> list[CheckResult]:
    """Every identity of ``checks.yaml``, for each year where all its references have values."""
    obs = obs or _Obs(data_dir)
    out = []
    for chk in load_checks(data_dir):
        total = chk["total"]
        years = sorted({k[3] for k in obs.values if k[:3] == (total["dataset"], total["indicator"], total["group"])})
        for y in years:
            t = obs.get(total["dataset"], total["indicator"], total["group"], y)
            parts = []
            for term in chk["terms"]:
                hit = obs.get(term["dataset"], term["indicator"], term["group"], y)
                if hit is None:
                    break
                parts.append((float(term.get("coef", 1)), hit))
            else:
                computed = metrics.linear_sum([(c, v) for c, (v, _) in parts])
                iv = Interval(0.0, 0.0)
                for c, (_, ivl) in parts:
                    iv = iv + ivl.scale(c)
                _, d = obs.values[(total["dataset"], total["indicator"], total["group"], y)]
                out.append(
                    CheckResult(
                        "identity",
                        f"{chk['id']} / {y}",
                        chk.get("source", ""),
                        chk.get("title", ""),
                        y,
                        t[0],
                        d,
                        computed,
                        iv,
                        _status(computed, iv, t[0], d),
                    )
                )
    return out


def check_text(data_dir: Path = DATA_DIR, obs: _Obs | None = None) -> list[CheckResult]:
    """Every text figure that makes a claim about a table."""
    obs = obs or _Obs(data_dir)
    out = []
    for r in load_table("text_figures", data_dir).iter_rows(named=True):
        claim = r["claim"]
        if not claim:
            continue
        ds, ind, grp, y, y0 = r["dataset"], r["indicator"], r["group"], r["year"], r["base_year"]
        c: float | None
        iv: Interval | None
        if claim == "value":
            hit = obs.get(ds, ind, grp, y)
            c, iv = (hit[0], hit[1]) if hit else (None, None)
        elif claim == "change_pct":
            c, iv = _change(obs, ds, ind, grp, y0, y)
        elif claim == "change_pp":
            a, b = obs.get(ds, ind, grp, y0), obs.get(ds, ind, grp, y)
            c, iv = (b[0] - a[0], b[1] - a[1]) if a and b else (None, None)
        else:  # min_change_pct / max_change_pct over the annual changes base_year+1 .. year
            pairs = [_change(obs, ds, ind, grp, yy - 1, yy) for yy in range(y0 + 1, y + 1)]
            if any(p[0] is None for p in pairs):
                c, iv = None, None
            else:
                pick = min if claim == "min_change_pct" else max
                c = pick(p[0] for p in pairs)
                iv = Interval(pick(p[1].lo for p in pairs), pick(p[1].hi for p in pairs))
        value = r["value"]
        # a stated decrease ("en nedgang på 3 prosent") is stored as printed, with its sign
        status = Status.NOT_JUDGED if r["approximate"] else _status(c, iv, value, r["decimals"])
        out.append(CheckResult("text", r["id"], r["section"], r["description"], y, value, r["decimals"], c, iv, status))
    return out


def run_all(data_dir: Path = DATA_DIR) -> list[CheckResult]:
    """All checks, derived values first."""
    obs = _Obs(Path(data_dir))
    return check_derived(data_dir, obs) + check_identities(data_dir, obs) + check_text(data_dir, obs)

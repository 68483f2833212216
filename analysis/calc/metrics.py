"""Derived figures: changes, trends, shares, sums and KPI status.

Plain functions on numbers, so that each formula is written once and used by
tables, sentences and the consistency checks alike. The formulas are the
source document's own (001, 2.2.5: *Årlig trend siste 3 år* is the average
yearly change over the last three years, in the indicator's unit).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum

__all__ = [
    "pct_change",
    "change_series",
    "trend3",
    "share_pct",
    "linear_sum",
    "KpiStatus",
    "kpi_status",
]


def pct_change(previous: float, current: float) -> float | None:
    """Percent change from ``previous`` to ``current``: (current / previous − 1) · 100.

    ``None`` when ``previous`` is zero (a change from nothing has no percent).
    Works for negative series too (e.g. income printed as negative numbers):
    the ratio of two negatives is positive.
    """
    if previous == 0:
        return None
    return (current / previous - 1.0) * 100.0


def change_series(values: Mapping[int, float]) -> dict[int, float | None]:
    """Year-on-year percent change for each year whose previous year is present.

    >>> change_series({2016: 100.0, 2017: 110.0, 2019: 99.0})
    {2017: 10.000000000000009}
    """
    return {y: pct_change(values[y - 1], v) for y, v in sorted(values.items()) if y - 1 in values}


def trend3(values: Mapping[int, float], year: int) -> float | None:
    """*Årlig trend siste 3 år*: (x_T − x_{T−3}) / 3, or ``None`` if either year is missing."""
    if year not in values or year - 3 not in values:
        return None
    return (values[year] - values[year - 3]) / 3.0


def share_pct(part: float, total: float) -> float | None:
    """``part`` as a percentage of ``total``; ``None`` when ``total`` is zero."""
    if total == 0:
        return None
    return part / total * 100.0


def linear_sum(terms: Sequence[tuple[float, float]]) -> float:
    """Σ coef · value for ``(coef, value)`` pairs: a sum of parts, or a net figure."""
    return sum(c * v for c, v in terms)


class KpiStatus(StrEnum):
    """Where a KPI moved relative to its target direction."""

    BETTER = "bedre"
    WORSE = "svakere"
    UNCHANGED = "uendret"
    UNKNOWN = "ikke beregnet"


def kpi_status(trend: float | None, direction: int | None, *, tolerance: float = 0.0) -> KpiStatus:
    """Judge a KPI's trend against its target direction.

    Parameters
    ----------
    trend : the KPI's change (e.g. ``trend3``) in the indicator's unit.
    direction : ``-1`` lower is better, ``1`` higher is better (the source's *Målsetting*).
    tolerance : a trend whose absolute value is at most this is *uendret*
        (use half a unit of the printed precision, so a printed ``0,0`` is unchanged).
    """
    if trend is None or direction not in (-1, 1):
        return KpiStatus.UNKNOWN
    if abs(trend) <= tolerance:
        return KpiStatus.UNCHANGED
    return KpiStatus.BETTER if (trend > 0) == (direction > 0) else KpiStatus.WORSE

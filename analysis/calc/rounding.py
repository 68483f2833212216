"""Rounding-aware consistency: what a printed derived value may be.

The source rounded its inputs before printing them, but computed its derived
columns from unrounded figures. So a printed percent change may differ from
the one the printed inputs give. Each printed input stands for an interval
(± half a unit of its last printed digit); a derived value computed from such
inputs can lie anywhere in the interval that propagation gives. A printed
derived value is *consistent* when its own rounding interval meets that
interval, and a *finding* only when it does not.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

__all__ = ["Interval", "printed", "Verdict", "judge", "half_up", "round_half_up"]


@dataclass(frozen=True)
class Interval:
    """A closed interval [lo, hi] with the arithmetic the checks need."""

    lo: float
    hi: float

    def __post_init__(self) -> None:
        if self.lo > self.hi:
            raise ValueError(f"empty interval [{self.lo}, {self.hi}]")

    @property
    def mid(self) -> float:
        return (self.lo + self.hi) / 2.0

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.lo + other.lo, self.hi + other.hi)

    def __sub__(self, other: Interval) -> Interval:
        return Interval(self.lo - other.hi, self.hi - other.lo)

    def scale(self, k: float) -> Interval:
        a, b = self.lo * k, self.hi * k
        return Interval(min(a, b), max(a, b))

    def shift(self, k: float) -> Interval:
        return Interval(self.lo + k, self.hi + k)

    def __truediv__(self, other: Interval) -> Interval:
        if other.lo <= 0.0 <= other.hi:
            return Interval(float("-inf"), float("inf"))
        q = [self.lo / other.lo, self.lo / other.hi, self.hi / other.lo, self.hi / other.hi]
        return Interval(min(q), max(q))

    def meets(self, other: Interval) -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    def contains(self, x: float) -> bool:
        return self.lo <= x <= self.hi


def printed(value: float, decimals: int) -> Interval:
    """The interval of true values that print as ``value`` with ``decimals`` decimals."""
    h = 0.5 * 10.0 ** (-decimals)
    return Interval(value - h, value + h)


def half_up(x: float | int | Decimal, decimals: int) -> Decimal:
    """``x`` rounded half away from zero to ``decimals`` decimals, as a spreadsheet rounds: the book's one rounding rule.

    A float is taken as written: ``str`` gives the shortest text that reads
    back as the same float (the literal in the data file), so ``2.45`` rounds
    to ``2.5`` where float arithmetic would say 2.4. Used for display
    (``present.fmt``), the consistency verdicts and the import's literals.
    """
    d = x if isinstance(x, Decimal) else Decimal(str(x))
    return d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def round_half_up(x: float, decimals: int) -> float:
    """``half_up`` as a float (2,45 → 2,5).

    A value that is not finite, or too large to have digits at ``decimals``
    (beyond 15 significant digits), is returned unchanged rather than raising
    ``decimal.InvalidOperation``.
    """
    if not math.isfinite(x) or abs(x) >= 1e15:
        return x
    return float(half_up(x, decimals))


class Verdict(StrEnum):
    REPRODUCED = "reproduced"
    """Rounding the value computed from the stored inputs gives the printed value."""
    WITHIN_ROUNDING = "within rounding"
    """Not reproduced, but possible given the rounding of the inputs."""
    FINDING = "finding"
    """Impossible given the inputs: the source disagrees with itself."""


def judge(computed: float, possible: Interval, printed_value: float, decimals: int) -> Verdict:
    """Compare a printed derived value with what its printed inputs allow.

    Parameters
    ----------
    computed : the derived value computed from the stored (printed) inputs.
    possible : the interval the derived value can take given the inputs' rounding.
    printed_value, decimals : the derived value as the source printed it.
    """
    if abs(round_half_up(computed, decimals) - printed_value) < 10.0 ** (-decimals) / 2.0:
        return Verdict.REPRODUCED
    if possible.meets(printed(printed_value, decimals)):
        return Verdict.WITHIN_ROUNDING
    return Verdict.FINDING

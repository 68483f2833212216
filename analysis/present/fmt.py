"""Norwegian number formatting: one module for tables, charts and sentences.

Rules (pinned by exact-string tests in ``tests/test_fmt.py``):

* thousands separator: no-break space U+00A0 (never a plain space, which can wrap);
* decimal mark: comma;
* minus: the real minus sign U+2212;
* units follow a no-break space: ``12,8 %``, ``1 809,2 mill. kr``;
* rounding is half away from zero on the decimal value as written
  (``2,45`` → ``2,5``), as a spreadsheet rounds, not banker's rounding.

Locale symbols come from Babel's ``nb`` data; rounding and the minus sign are
ours, because Babel rounds half-to-even and emits a hyphen-minus.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import get_decimal_symbol, get_group_symbol

__all__ = [
    "NBSP",
    "MINUS",
    "fmt_number",
    "fmt_percent",
    "fmt_change_pct",
    "fmt_pp",
    "fmt_unit",
    "fmt_mill_kr",
    "fmt_year_span",
    "d3_locale",
]

NBSP = "\u00a0"
MINUS = "\u2212"
_LOCALE = "nb"
_GROUP = get_group_symbol(_LOCALE)  # U+00A0 in CLDR nb
_DECIMAL = get_decimal_symbol(_LOCALE)  # ","


def _round_half_up(x: float, decimals: int) -> Decimal:
    # str() gives the shortest repr that round-trips, i.e. the value as written
    # in the data file, so 2.45 rounds to 2.5 (float arithmetic would say 2.4).
    return Decimal(str(x)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def fmt_number(x: float | int | None, decimals: int = 0, *, sign: bool = False, missing: str = "–") -> str:
    """Format a number the Norwegian way.

    Parameters
    ----------
    x : the number; ``None`` or NaN gives ``missing``.
    decimals : digits after the decimal comma.
    sign : prefix ``+`` on positive values (for changes).
    missing : what to show for a missing value.

    Examples
    --------
    >>> fmt_number(1422.3, 1) == "1\u00a0422,3"
    True
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return missing
    q = _round_half_up(x, decimals)
    if q == 0:
        q = abs(q)  # no "−0,0"
    negative = q < 0
    digits = f"{abs(q):,.{decimals}f}"  # "1,422.3"
    body = digits.replace(",", "\x00").replace(".", _DECIMAL).replace("\x00", NBSP if _GROUP.isspace() else _GROUP)
    if negative:
        return MINUS + body
    if sign and q > 0:
        return "+" + body
    return body


def fmt_percent(x: float | None, decimals: int = 1, *, sign: bool = False) -> str:
    """A value already in percent: ``fmt_percent(12.8) == "12,8\u00a0%"``."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{fmt_number(x, decimals, sign=sign)}{NBSP}%"


def fmt_change_pct(x: float | None, decimals: int = 1) -> str:
    """A percent change with explicit sign: ``+21,7 %``, ``−0,5 %``."""
    return fmt_percent(x, decimals, sign=True)


def fmt_pp(x: float | None, decimals: int = 1) -> str:
    """A change in percentage points: ``−0,8 prosentpoeng``."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{fmt_number(x, decimals, sign=True)}{NBSP}prosentpoeng"


def fmt_unit(x: float | None, decimals: int, unit_label: str) -> str:
    """A value with its unit label; ``%`` is written the Norwegian way."""
    if unit_label == "%":
        return fmt_percent(x, decimals)
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{fmt_number(x, decimals)}{NBSP}{unit_label.replace(' ', NBSP)}"


def fmt_mill_kr(x: float | None, decimals: int = 1) -> str:
    """Millions of kroner: ``1 809,2 mill. kr``."""
    return fmt_unit(x, decimals, "mill. kr")


def fmt_year_span(first: int, last: int) -> str:
    """``2014–2018`` with an en dash."""
    return f"{first}\u2013{last}"


def d3_locale() -> dict:
    """The same conventions as a d3-format locale, for Vega-Lite charts."""
    return {
        "decimal": _DECIMAL,
        "thousands": NBSP,
        "grouping": [3],
        "currency": ["", f"{NBSP}kr"],
        "minus": MINUS,
        "percent": f"{NBSP}%",
    }

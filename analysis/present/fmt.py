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

One figure, three places, one formatter each:

* a **table cell or chart label** (``fmt_cell``, ``fmt_cell_change``): ``%`` is
  written, other units are bare (the table names them once, in a note);
* a **sentence** (``fmt_val``, ``fmt_obs``, ``fmt_text_figure``): the value with its
  unit from the lookups (``104,4 årsverk``), counts bare (``2 280``), never with
  more decimals than the source printed;
* the plain building blocks under both (``fmt_number``, ``fmt_percent``, ``fmt_unit``, ...).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from babel.numbers import get_decimal_symbol, get_group_symbol

from analysis.calc import metrics
from analysis.calc.rounding import half_up

if TYPE_CHECKING:
    from analysis.data.book import Book, TextFigure

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
    "fmt_date",
    "fmt_label_unit",
    "fmt_cell",
    "fmt_cell_change",
    "fmt_val",
    "fmt_obs",
    "fmt_text_figure",
    "BARE_UNITS",
    "d3_locale",
]

NBSP = "\u00a0"
MINUS = "\u2212"
_LOCALE = "nb"
_GROUP = get_group_symbol(_LOCALE)  # U+00A0 in CLDR nb
_DECIMAL = get_decimal_symbol(_LOCALE)  # ","


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
    q = half_up(x, decimals)  # on the value as written: 2.45 → 2.5
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


# --------------------------------------------------------------------------- table cells and chart labels


def fmt_date(iso: str) -> str:
    """An ISO date as Norwegian text: ``2019-03-15`` → ``15. mars 2019`` (Babel's ``nb`` month names)."""
    from datetime import date

    from babel.dates import format_date

    return format_date(date.fromisoformat(str(iso)[:10]), "d. MMMM y", locale=_LOCALE)


_UNIT_WORDS = {"pr": "per", "pr.": "per", "/": "per", "innb": "innbygger", "innb.": "innbygger", "kroner": "kr", "kr.": "kr"}
_UNIT_WORDS |= {"kwh.": "kwh", "kwt": "kwh", "kwt.": "kwh", "kvm.": "kvm"}


def _unit_words(text: str) -> list[str]:
    spaced = str(text).lower().replace("/", " / ").replace("(", " ").replace(")", " ").replace(",", " ")
    return [_UNIT_WORDS.get(w, w) for w in spaced.split()]


def fmt_label_unit(label, unit_label: str):
    """A row label with its unit in brackets, unless the label already states it: never a unit twice.

    ``Årsverk`` + *årsverk* → ``Årsverk``; ``Energiforbruk (kwh. pr. kvm.)`` + *kWh per kvm* →
    unchanged; ``Energiforbruk per kvm`` + *kWh per kvm* → ``Energiforbruk per kvm (kWh)``;
    ``Samlet areal`` + *kvm* → ``Samlet areal (kvm)``. ``%`` is never added (the cells carry it).
    The label keeps its type (text from data stays ``DataText``).
    """
    unit = str(unit_label)
    if unit == "%":
        return label
    words = _unit_words(label)
    amount, _, per = unit.partition(" per ")
    has_amount = all(w in words for w in _unit_words(amount))
    per_words = _unit_words(per)
    has_per = bool(per) and any(words[i] == "per" and words[i + 1 : i + 1 + len(per_words)] == per_words for i in range(len(words)))
    if has_amount and (has_per or not per):
        return label
    return label + f" ({amount if has_per else unit})"


def fmt_cell(x: float | None, decimals: int, unit_label: str) -> str:
    """A table cell or chart label: percentages with ``%``, other units bare (named in the table's note)."""
    if x is None:
        return "–"
    return fmt_percent(x, decimals) if unit_label == "%" else fmt_number(x, decimals)


def fmt_cell_change(prev: float | None, cur: float | None, unit_label: str, decimals: int = 1) -> str:
    """A change cell between two values: ``+0,6 pp`` for a percentage, else the percent change ``+21,7 %``."""
    if prev is None or cur is None:
        return "–"
    if unit_label == "%":
        return f"{fmt_number(cur - prev, decimals, sign=True)}{NBSP}pp"
    c = metrics.pct_change(prev, cur)
    return "–" if c is None else fmt_change_pct(c, 1)


# --------------------------------------------------------------------------- figures in sentences

BARE_UNITS = frozenset({"antall", "personer"})
"""Units a sentence leaves out: the noun after the figure says it (``2 280 stillinger``)."""


def fmt_val(book: Book, indicator: str, value: float | None, *, decimals: int | None = None, unit: bool = True) -> str:
    """A value of ``indicator`` with its unit as a reader expects it in a sentence (``104,4 årsverk``, ``9,5 %``)."""
    d = book.decimals(indicator) if decimals is None else decimals
    if value is None:
        return "–"
    if not unit or book.unit_of(indicator) in BARE_UNITS:
        return fmt_number(value, d)
    return fmt_unit(value, d, book.unit_label(indicator))


def fmt_obs(book: Book, dataset: str, indicator: str, group: str, year: int) -> str:
    """One stored figure with its unit, never with more decimals than the source printed (``12 %``, not ``12,0 %``)."""
    value = book.value(dataset, indicator, group, year)
    printed = book.printed_decimals(dataset, indicator, group, year)
    d = book.decimals(indicator) if printed is None else min(book.decimals(indicator), printed)
    return fmt_val(book, indicator, value, decimals=d)


def fmt_text_figure(tf: TextFigure, *, magnitude: bool = False) -> str:
    """A figure from the source's text, with its stated decimals and unit (counts bare).

    ``magnitude`` drops the sign, for sentences that say the direction in words
    (``redusert med 12 %``).
    """
    v = abs(tf.value) if magnitude else tf.value
    if tf.unit in BARE_UNITS:
        return fmt_number(v, tf.decimals)
    return fmt_unit(v, tf.decimals, tf.unit_label)


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

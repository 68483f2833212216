"""The number in one input cell: what people type, turned into a value literal for ``data/``.

* text cells: decimal comma (or point), space / U+00A0 / U+202F as thousands
  separator, ``12,8 %`` and ``12,8%`` (units in % only), ``-``/``−`` minus. The
  value keeps exactly the decimals typed (``'104,0`` → ``104.0``). ``1.234``
  is refused as ambiguous (decimal point or thousands point?).
* numeric cells: the decimals of the cell's number format when it has one
  (``#,##0.0`` → one decimal; a percent format multiplies by 100); with the
  format *General* the shortest decimal Excel shows (15 significant digits,
  ``104.0`` → ``104``).
* an empty cell means "not available yet" (``None``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from openpyxl.cell.cell import ERROR_CODES

from analysis.calc.numbers import NUMBER, PERCENT, PLACEHOLDERS
from analysis.calc.rounding import half_up

__all__ = [
    "BLANKS",
    "EXCEL_ERRORS",
    "Parsed",
    "NumberError",
    "Cell",
    "shown_literal",
    "parse_text",
    "numeric_literal",
    "date_reading",
    "cell_number",
    "cell_text",
]

BLANKS = " \t\u00a0\u202f"
"""Whitespace stripped around a typed value: space, tab, no-break space (U+00A0) and narrow no-break space (U+202F)."""
EXCEL_ERRORS = frozenset(ERROR_CODES) | {"#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#GETTING_DATA"}
"""Excel's error values as text (a CSV export, a text cell): openpyxl's ``ERROR_CODES`` and the newer ones of Excel 365
it lacks. In a workbook an error cell is known by its type (``Cell.error``), whatever its code."""


def shown_literal(literal: str, percent: bool = False) -> str:
    """A value literal the Norwegian way, for messages and the review: ``1422.3`` → ``1 422,3``, ``12.8`` → ``12,8 %``."""
    sign, digits = ("-", literal[1:]) if literal.startswith("-") else ("", literal)
    integer, _, fraction = digits.partition(".")
    grouped = f"{int(integer):,}".replace(",", "\u00a0") if integer.isdigit() else integer
    return sign + grouped + ("," + fraction if fraction else "") + ("\u00a0%" if percent else "")


@dataclass(frozen=True)
class Parsed:
    """A number read from a cell: its literal for data/ and whether it was a percentage."""

    literal: str
    percent: bool = False

    @property
    def shown(self) -> str:
        """The value written the Norwegian way, for messages."""
        return self.literal.replace(".", ",") + (" %" if self.percent else "")


class NumberError(ValueError):
    """A cell that is not an acceptable number; ``kind`` classifies it."""

    def __init__(self, message: str, kind: str):
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class Cell:
    """One input cell: its address, cached value, number format and formula (if any)."""

    ref: str
    value: object
    number_format: str | None = None
    formula: str | None = None
    error: bool = False
    """The workbook marks the cell as an Excel error value (openpyxl's data type ``e``), whatever its text."""


def _literal(negative: bool, integer: str, fraction: str | None) -> str:
    integer = integer.lstrip("0") or "0"
    zero = set(integer + (fraction or "")) <= {"0"}
    sign = "-" if negative and not zero else ""
    return f"{sign}{integer}.{fraction}" if fraction is not None else f"{sign}{integer}"


def _excel_error(shown: str) -> NumberError:
    return NumberError(f"expected a number, found the Excel error value {shown}", "excel-error")


def parse_text(text: str) -> Parsed | None:
    """A number typed as text, with the decimals typed; ``None`` for an empty cell.

    Raises
    ------
    NumberError : text that is not a number, or an ambiguous ``1.234``.
    """
    s = text.strip(BLANKS)
    if not s:
        return None
    if s.upper() in EXCEL_ERRORS:
        raise _excel_error(s.upper())
    m = PERCENT.fullmatch(s)
    body = m.group("body").strip(BLANKS) if m else s
    n = NUMBER.fullmatch(body)
    if not n and s.lower() in PLACEHOLDERS:
        raise NumberError(
            f"expected a number, found '{text}'; a missing figure is simply an empty cell: clear the cell (nothing is written for it, "
            "and the figure can come in a later import)",
            "missing-figure",
        )
    if not n:
        hint = "; leave the cell empty if the figure is not available yet" if not any(ch.isdigit() for ch in s) else ""
        raise NumberError(f"expected a number (like 1 163,5 or 12,8 %), found text '{text}'{hint}", "text")
    integer, mark, frac = n.group("int"), n.group("mark"), n.group("frac")
    if mark == "." and len(frac) == 3 and not re.search(r"[ \u00a0\u202f]", integer) and integer.strip("0"):
        raise NumberError(
            f"expected a number with a decimal comma, found '{text}', which could mean {integer},{frac} or {integer}{frac}; "
            f"write {integer},{frac} or {integer}{frac}",
            "ambiguous-number",
        )
    digits = re.sub(r"[ \u00a0\u202f]", "", integer)
    return Parsed(_literal(n.group("sign") in "-−–" and n.group("sign") != "", digits, frac), percent=m is not None)


def _format_decimals(number_format: str | None) -> tuple[int, int, bool] | None:
    """``(min decimals, max decimals, percent)`` of an Excel number format; ``None`` for General, text or scientific."""
    if not number_format or number_format.strip().lower() in ("general", "@"):
        return None
    section = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.', "", number_format.split(";")[0])
    if re.search(r"[eE][+-]", section) or not re.search(r"[0#?]", section):
        return None
    m = re.search(r"\.([0#?]+)", section)
    frac = m.group(1) if m else ""
    return frac.count("0"), len(frac), "%" in section


def _plain(d: Decimal) -> str:
    """A Decimal as a data literal without exponent (and without a needless ``.0``)."""
    if d == d.to_integral_value():
        return _literal(d < 0, str(abs(int(d))), None)
    text = format(d.normalize(), "f")
    integer, frac = text.lstrip("-").split(".")
    return _literal(d < 0, integer, frac)


def numeric_literal(value: int | float, number_format: str | None) -> Parsed:
    """The literal of a numeric cell: its number format's decimals, else the shortest form Excel shows."""
    d = Decimal(value) if isinstance(value, int) else Decimal(f"{value:.15g}")
    spec = _format_decimals(number_format)
    if spec is None:
        return Parsed(_plain(d))
    lo, hi, percent = spec
    if percent:
        d = d.scaleb(2)
    text = format(half_up(d, hi), "f")
    integer, _, frac = text.lstrip("-").partition(".")
    while len(frac) > lo and frac.endswith("0"):
        frac = frac[:-1]
    return Parsed(_literal(text.startswith("-"), integer, frac or None), percent=percent)


_EPOCH = date(1899, 12, 30)
"""Day 0 of the spreadsheet's date serials (Excel's 1900 system from March 1900 on; LibreOffice's default)."""
DATE_WINDOW_YEARS = 10
"""A whole number reads as a date typed by mistake when it is a day of the last ``DATE_WINDOW_YEARS`` years or the next."""


def _as_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date() if value.time() == time() else None
    if isinstance(value, date):
        return value
    return None


def date_reading(value: object, today: date | None = None) -> str | None:
    """Why a cell's value looks like a date typed by mistake, or ``None``.

    A date (or a whole number that is a recent day as a spreadsheet counts days: ``7.1`` typed in a
    Norwegian spreadsheet is stored as 7 January of this year, 46029 in 2026) gives a sentence naming the
    date and how the figure is typed instead (``7,1``).
    """
    day = _as_date(value)
    if day is None and isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        today = today or date.today()
        first, last = date(today.year - DATE_WINDOW_YEARS, 1, 1), date(today.year + 1, 12, 31)
        lo, hi = (first - _EPOCH).days, (last - _EPOCH).days
        if lo <= value <= hi:
            day = _EPOCH + timedelta(days=int(value))
    if day is None:
        return None
    typed = f"{day.day}.{day.month}"
    return (
        f"the date {day.day}.{day.month}.{day.year} (a figure typed with a decimal point, such as {typed}, becomes a date in a "
        f"Norwegian spreadsheet); type the figure with a decimal comma ({day.day},{day.month}), and set the cell's format back "
        "to a number if it shows a date"
    )


def cell_number(cell: Cell) -> Parsed | None:
    """The number in a cell, ``None`` when empty.

    Raises
    ------
    NumberError : an Excel error value, a formula without cached value, text, a date or a logical value.
    """
    v = cell.value
    if cell.formula is not None and v is None:
        raise NumberError(
            f"expected a number, found a formula without a computed value ({cell.formula}); open the file in Excel, "
            "let it calculate and save it, or type the number",
            "formula-no-value",
        )
    if v is None:
        return None
    if cell.error:
        raise _excel_error(str(v))
    if isinstance(v, bool):
        raise NumberError(f"expected a number, found the logical value {'TRUE' if v else 'FALSE'}", "text")
    if isinstance(v, datetime | date | time):
        reading = date_reading(v)
        if reading:
            raise NumberError(f"expected a number, found {reading}", "date")
        raise NumberError(
            f"expected a number, found a date or time ({v}): the spreadsheet read the input as a date or time; "
            "set the cell's format to a number and type the figure with a decimal comma",
            "date",
        )
    if isinstance(v, int | float):
        return numeric_literal(v, cell.number_format)
    return parse_text(str(v))


def cell_text(cell: Cell | None) -> str:
    """A header or id cell as text (``2019.0`` → ``2019``), stripped; ``""`` for an empty cell."""
    if cell is None or cell.value is None:
        return ""
    v = cell.value
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip(BLANKS)

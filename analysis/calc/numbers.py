"""Number literals: how a figure is written, in ``data/`` and as people type it.

One definition of each rule, shared by the validation of ``data/`` and the
import of a workbook:

* a data literal is a plain decimal (``1422.3``): ``value_decimals`` is its
  printed precision, ``number_problem`` / ``integer_problem`` say what is wrong
  with one the schema's types would let through (a placeholder such as ``NA``,
  an exponent, more than ``SIG_DIGITS`` significant digits);
* ``NUMBER`` and ``PERCENT`` are the grammar of a number as people type it
  (sign, digits in groups of three or not, decimal comma or point, a ``%``);
  ``norwegian_number`` recognises one written the Norwegian way (``1 422,3``,
  ``12,8 %``) and gives the data literal it stands for.
"""

from __future__ import annotations

import re

__all__ = [
    "SPACES",
    "NUMBER",
    "PERCENT",
    "SIG_DIGITS",
    "PLACEHOLDERS",
    "MISSING_ROW",
    "thousands",
    "value_decimals",
    "significant_digits",
    "norwegian_number",
    "number_problem",
    "integer_problem",
]

SPACES = " \u00a0\u202f"
"""Thousands separators people type: space, no-break space, narrow no-break space."""
NUMBER = re.compile(r"(?P<sign>[-−–+]?)\s*(?P<int>\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:(?P<mark>[,.])(?P<frac>\d+))?")
"""A number as typed (match the whole text): sign, integer digits (maybe grouped by three), decimal mark and decimals."""
PERCENT = re.compile(r"(?P<body>.*?)[ \u00a0\u202f]*%")
"""A number followed by ``%`` (match the whole text): ``body`` is the number."""
SIG_DIGITS = 15
"""Most significant digits a value may have (a figure as printed; what a float holds exactly)."""
PLACEHOLDERS = frozenset(
    {"nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity", "-", "−", "–", "—", "na", "n/a", "n.a.", "null", "none", "..", "."}
)
"""What people write for "no figure"; refused: a missing figure is a missing row (data/) or an empty cell (workbook)."""
MISSING_ROW = "a missing figure is simply a missing row: delete the row (data files have no placeholder for 'not available')"

_DECIMAL = re.compile(r"-?(\d+)(?:\.(\d+))?")
_INTEGER = re.compile(r"-?\d+")
_EXPONENT = re.compile(r"[-+]?\d+(\.\d*)?[eE][-+]?\d+")


def thousands(n: int) -> str:
    """``99980`` → ``'99 980'`` (for messages)."""
    return f"{n:,}".replace(",", " ")


def value_decimals(literal: str) -> int:
    """Printed precision of a value literal: ``'4.0'`` → 1, ``'36'`` → 0."""
    literal = literal.strip()
    return len(literal.split(".", 1)[1]) if "." in literal else 0


def significant_digits(literal: str) -> int:
    """Significant digits of a plain decimal literal (``'0.0120'`` → 3, ``'104.4'`` → 4)."""
    digits = literal.lstrip("-+").replace(".", "").lstrip("0")
    return len(digits)


def norwegian_number(text: str) -> str | None:
    """The data literal of a number written the Norwegian way, or ``None``.

    Norwegian means: digits grouped by spaces, a decimal comma, a ``%`` sign or
    the real minus sign (``1 422,3`` → ``'1422.3'``, ``12,8 %`` → ``'12.8'``,
    ``−5`` → ``'-5'``). A plain literal (``1422.3``) and text that is no number
    give ``None``.
    """
    s = text.strip(SPACES)
    percent = PERCENT.fullmatch(s)
    body = percent.group("body").strip(SPACES) if percent else s
    n = NUMBER.fullmatch(body)
    if not n:
        return None
    sign, integer, mark, frac = n.group("sign"), n.group("int"), n.group("mark"), n.group("frac")
    grouped = any(ch in SPACES for ch in integer)
    if not (grouped or mark == "," or percent or sign in ("−", "–")):
        return None
    digits = "".join(ch for ch in integer if ch.isdigit())
    return ("-" if sign and sign != "+" else "") + digits + (f".{frac}" if frac else "")


def _shown(s: str) -> str:
    return f"'{s[:24]}…' ({thousands(len(s))} characters)" if len(s) > 30 else f"'{s}'"


def number_problem(literal: str, *, required: bool = True, missing: str = MISSING_ROW) -> tuple[str, str] | None:
    """``(message, kind)`` when a number literal in a data file is not a finite decimal we accept.

    Only the cases a schema's ``number`` type lets through (or reports badly) are
    returned; other text (``mye``, ``1 422,3``) is left to the schema check.
    """
    s = literal
    if s.strip() == "":
        if not required:
            return None
        return f"expected a number such as 1422.3, found an empty cell; {missing}", "missing-figure"
    if s.strip().lower() in PLACEHOLDERS:
        return f"expected a number such as 1422.3, found '{s}'; {missing}", "missing-figure"
    if s != s.strip():
        return f"expected a number such as 1422.3 without spaces, found '{s}'", "wrong-type"
    if _EXPONENT.fullmatch(s):
        return f"expected a plain decimal number such as 1422.3, found {_shown(s)} (an exponent is not allowed)", "wrong-type"
    if s.startswith("+") and _DECIMAL.fullmatch(s[1:]):
        return f"expected a number such as 1422.3 without '+', found '{s}'", "wrong-type"
    if _DECIMAL.fullmatch(s) and significant_digits(s) > SIG_DIGITS:
        n = thousands(significant_digits(s))
        msg = f"expected at most {SIG_DIGITS} significant digits (the figure as printed), found a number with {n}: {_shown(s)}"
        return msg, "too-many-digits"
    return None


def integer_problem(literal: str, field: str, *, required: bool = True) -> tuple[str, str] | None:
    """``(message, kind)`` when an integer literal is not a plain whole number."""
    expected = "a whole year such as 2018" if field.endswith("year") else "a whole number such as 3"
    if literal == "":
        return (f"expected {expected}, found an empty cell", "missing-value") if required else None
    if _INTEGER.fullmatch(literal):
        return None
    return f"expected {expected}, found '{literal}'", "wrong-type"

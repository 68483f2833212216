"""Interval arithmetic and the rounding-aware verdict."""

import pytest

from analysis.calc.rounding import Interval, Verdict, judge, printed, round_half_up


def test_printed_interval():
    iv = printed(340.5, 1)
    assert iv.lo == pytest.approx(340.45) and iv.hi == pytest.approx(340.55)
    assert printed(36, 0) == Interval(35.5, 36.5)


def test_arithmetic():
    a, b = Interval(1, 2), Interval(3, 5)
    assert a + b == Interval(4, 7)
    assert b - a == Interval(1, 4)
    assert a.scale(-2) == Interval(-4, -2)
    assert (b / a) == Interval(1.5, 5)
    assert (a / Interval(-1, 1)).lo == float("-inf")
    with pytest.raises(ValueError):
        Interval(2, 1)


def test_round_half_up():
    assert round_half_up(2.45, 1) == 2.5
    assert round_half_up(-2.45, 1) == -2.5
    assert round_half_up(0.125, 2) == 0.13


def test_sum_of_six_parts_gap_is_within_rounding():
    # 001 3.2.1, 2018: six units add to 340,3, printed sum 340,5
    parts = [27.1, 181.2, 59.6, 18.1, 18.4, 35.9]
    iv = Interval(0, 0)
    for p in parts:
        iv = iv + printed(p, 1)
    assert judge(sum(parts), iv, 340.5, 1) == Verdict.WITHIN_ROUNDING
    # a gap of one whole årsverk could not come from rounding
    assert judge(sum(parts), iv, 341.3, 1) == Verdict.FINDING


def test_reproduced():
    assert judge(21.678, Interval(21.5, 21.8), 21.7, 1) == Verdict.REPRODUCED


def test_half_up_on_the_value_as_written():
    from decimal import Decimal

    from analysis.calc.rounding import half_up

    assert half_up(2.45, 1) == Decimal("2.5")  # float arithmetic says 2.4
    assert half_up(-2.45, 1) == Decimal("-2.5")
    assert half_up(Decimal("0.125"), 2) == Decimal("0.13")
    assert half_up(1422, 0) == Decimal("1422")


def test_one_rounding_rule_for_display_checks_and_import():
    """Formatting, the verdicts and the import's literals round with ``half_up``: no other module quantizes half up."""
    from pathlib import Path

    from analysis.intake.cells import numeric_literal
    from analysis.present.fmt import fmt_number

    package = Path(__file__).resolve().parents[1] / "analysis"
    copies = sorted(str(p.relative_to(package)) for p in package.rglob("*.py") if "ROUND_HALF_UP" in p.read_text(encoding="utf-8"))
    assert copies == ["calc/rounding.py"], f"round half up written again in {copies}: use analysis.calc.rounding.half_up"
    assert fmt_number(2.45, 1) == "2,5" and round_half_up(2.45, 1) == 2.5 and numeric_literal(2.45, "0.0").literal == "2.5"

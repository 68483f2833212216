"""Metrics, checked against figures the source printed (001) as oracles."""

import pytest

from analysis.calc.metrics import KpiStatus, change_series, kpi_status, linear_sum, pct_change, share_pct, trend3
from analysis.calc.rounding import round_half_up


def test_pct_change_oracle_digit_arsverk():
    # 001 4.2.1: DigIT årsverk 85,8 -> 104,4 printed as 21,7 %
    assert round_half_up(pct_change(85.8, 104.4), 1) == 21.7


def test_pct_change_negative_series():
    # 001 2.2.1: driftsinntekter printed negative; growth 2017->2018 printed 10,0 %
    assert round_half_up(pct_change(-879.8, -967.6), 1) == 10.0


def test_pct_change_from_zero_is_none():
    assert pct_change(0, 5) is None


def test_change_series_skips_gaps():
    s = change_series({2015: 70.0, 2016: 36.8, 2018: 168.8})
    assert list(s) == [2016]
    assert round_half_up(s[2016], 1) == -47.4  # 001 4.2.1


def test_trend3_oracles():
    # 001 2.2.5: admin kr per innbygger 3 843 (2015) -> 3 130 (2018): printed −238
    assert round_half_up(trend3({2015: 3843, 2018: 3130}, 2018), 0) == -238
    # e-faktura 42 % -> 80 %: printed 13 %
    assert round_half_up(trend3({2015: 42, 2018: 80}, 2018), 0) == 13
    assert trend3({2016: 1.0, 2018: 2.0}, 2018) is None


def test_share_oracle():
    # 001 2.2.1: lønn 573,9 of 1 809,2 printed 32 %
    assert round_half_up(share_pct(573.9, 1809.2), 0) == 32
    assert share_pct(1, 0) is None


def test_linear_sum():
    assert linear_sum([(1, 1422.3), (-1, 759.2)]) == pytest.approx(663.1)


@pytest.mark.parametrize(
    ("trend", "direction", "expected"),
    [
        (-238, -1, KpiStatus.BETTER),
        (27, -1, KpiStatus.WORSE),
        (13, 1, KpiStatus.BETTER),
        (-2, 1, KpiStatus.WORSE),
        (0.0, -1, KpiStatus.UNCHANGED),
        (0.04, -1, KpiStatus.UNCHANGED),
        (None, 1, KpiStatus.UNKNOWN),
        (3, None, KpiStatus.UNKNOWN),
    ],
)
def test_kpi_status(trend, direction, expected):
    assert kpi_status(trend, direction, tolerance=0.05) == expected

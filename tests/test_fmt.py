"""Exact-string tests of the Norwegian formatter (tables, charts and sentences all use it)."""

import pytest

from analysis.present.fmt import (
    MINUS,
    NBSP,
    d3_locale,
    fmt_change_pct,
    fmt_label_unit,
    fmt_mill_kr,
    fmt_number,
    fmt_percent,
    fmt_pp,
    fmt_unit,
    fmt_year_span,
)


@pytest.mark.parametrize(
    ("x", "decimals", "expected"),
    [
        (1422.3, 1, f"1{NBSP}422,3"),
        (12573, 0, f"12{NBSP}573"),
        (1163.5, 1, f"1{NBSP}163,5"),
        (589379, 0, f"589{NBSP}379"),
        (1234567.891, 2, f"1{NBSP}234{NBSP}567,89"),
        (-759.2, 1, f"{MINUS}759,2"),
        (-0.04, 1, "0,0"),  # no negative zero
        (2.45, 1, "2,5"),  # half up on the written value, not float's 2.4499...
        (2.5, 0, "3"),  # not banker's rounding
        (0.125, 2, "0,13"),
        (999.96, 1, f"1{NBSP}000,0"),
        (7.3, 1, "7,3"),
        (100, 1, "100,0"),
    ],
)
def test_fmt_number(x, decimals, expected):
    assert fmt_number(x, decimals) == expected


def test_fmt_number_missing():
    assert fmt_number(None) == "–"
    assert fmt_number(float("nan"), 1) == "–"


def test_signs():
    assert fmt_number(21.7, 1, sign=True) == "+21,7"
    assert fmt_number(0.0, 1, sign=True) == "0,0"
    assert fmt_change_pct(-0.5) == f"{MINUS}0,5{NBSP}%"
    assert fmt_change_pct(21.66) == f"+21,7{NBSP}%"


def test_percent_and_units():
    assert fmt_percent(12.8) == f"12,8{NBSP}%"
    assert fmt_percent(32, 0) == f"32{NBSP}%"
    assert fmt_mill_kr(1809.2) == f"1{NBSP}809,2{NBSP}mill.{NBSP}kr"
    assert fmt_unit(7.3, 1, "%") == f"7,3{NBSP}%"
    assert fmt_unit(3237, 0, "kr per innbygger") == f"3{NBSP}237{NBSP}kr{NBSP}per{NBSP}innbygger"
    assert fmt_pp(-0.8) == f"{MINUS}0,8{NBSP}prosentpoeng"


def test_no_plain_space_can_wrap_a_figure():
    # a figure must never break across lines: no ordinary spaces inside it
    for s in (fmt_number(1234567.5, 1), fmt_percent(12.8), fmt_mill_kr(1809.2)):
        assert " " not in s


def test_year_span_and_d3_locale():
    assert fmt_year_span(2014, 2018) == "2014\u20132018"
    loc = d3_locale()
    assert loc["decimal"] == "," and loc["thousands"] == NBSP and loc["minus"] == MINUS


ENERGI = "Energiforbruket i kommunens eiendomsmasse (kwh. pr. kvm.)"
POLITISK = "Brutto driftsutgifter til Politisk styring, pr. innb."
ADMINISTRASJON = "Brutto driftsutgifter til Administrasjon, kroner pr. innbygger"


@pytest.mark.parametrize(
    ("label", "unit", "shown"),
    [
        ("Årsverk", "årsverk", "Årsverk"),
        (ENERGI, "kWh per kvm", ENERGI),
        ("Energiforbruk (kWt/kvm), temperaturkorrigert", "kWh per kvm", "Energiforbruk (kWt/kvm), temperaturkorrigert"),
        ("Energiforbruk per kvm", "kWh per kvm", "Energiforbruk per kvm (kWh)"),
        (POLITISK, "kr per innbygger", f"{POLITISK} (kr)"),
        (ADMINISTRASJON, "kr per innbygger", ADMINISTRASJON),
        ("Samlet areal på formålsbyggene", "kvm", "Samlet areal på formålsbyggene (kvm)"),
        ("Totalt sykefravær", "%", "Totalt sykefravær"),
    ],
)
def test_a_label_names_its_unit_once(label, unit, shown):
    assert fmt_label_unit(label, unit) == shown

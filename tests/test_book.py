"""The chapter context: series resolution, reporting-year cut-off, targets."""

import pytest

from analysis.data.book import resolve_series


def test_resolve_series_by_group_or_indicator():
    assert resolve_series("arsverk", ["digit", "eiendom"]) == ([("arsverk", "digit"), ("arsverk", "eiendom")], True)
    assert resolve_series(["a", "b"], "kommunen") == ([("a", "kommunen"), ("b", "kommunen")], False)
    assert resolve_series("a", "kommunen") == ([("a", "kommunen")], True)
    with pytest.raises(ValueError):
        resolve_series(["a", "b"], ["x", "y"])


def test_year_cut_off(b17):
    assert max(b17.years("osu_arsverk")) == 2017
    assert b17.value("osu_arsverk", "arsverk", "digit", 2018) is None


def test_text_figure_hidden_after_reporting_year_but_target_shown(b17):
    assert b17.text_figure("kommunale_boliger_2018") is None
    target = b17.target("klimaklok_mal_energi_2020")
    assert target.year == 2020 and target.base_year == 2016


def test_fmt_obs_never_adds_decimals_the_source_did_not_print(b18):
    from analysis.present.fmt import NBSP, fmt_obs, fmt_val

    assert b18.printed_decimals("hr_minoritet", "andel_minoritetsbakgrunn", "kommunen", 2012) == 0
    assert fmt_obs(b18, "hr_minoritet", "andel_minoritetsbakgrunn", "kommunen", 2012) == f"12{NBSP}%"
    assert fmt_obs(b18, "hr_minoritet", "andel_minoritetsbakgrunn", "kommunen", 2018) == f"13,4{NBSP}%"
    # a bare value falls back to the indicator's display decimals
    assert fmt_val(b18, "andel_minoritetsbakgrunn", 12.0) == f"12,0{NBSP}%"


def test_fmt_text_figure_and_this_year(b18, b17):
    from analysis.present.fmt import NBSP, fmt_text_figure
    from analysis.present.text import text_figure_this_year

    energi = b18.target("klimaklok_mal_energi_2020")
    assert fmt_text_figure(energi) == f"\u221212{NBSP}%"
    assert fmt_text_figure(energi, magnitude=True) == f"12{NBSP}%"
    assert fmt_text_figure(b18.text_figure("utlyste_stillinger_2018")) == f"2{NBSP}280"  # a count stays bare
    assert text_figure_this_year(b18, "utlyste_stillinger_2018") is not None
    assert text_figure_this_year(b17, "utlyste_stillinger_2018") is None


def test_a_series_is_the_rows_of_its_file_and_the_callers_own(b18):
    import polars as pl

    rows = pl.read_csv(b18.data_dir / "osu_arsverk.csv").filter((pl.col("indicator") == "arsverk") & (pl.col("group") == "digit"))
    expected = dict(zip(rows["year"].to_list(), rows["value"].to_list(), strict=True))
    got = b18.series("osu_arsverk", "arsverk", "digit")
    assert got == expected and list(got) == list(expected)  # every year, in the file's order
    got.clear()
    assert b18.series("osu_arsverk", "arsverk", "digit") == expected  # a caller's change stays with the caller
    assert b18.series("osu_arsverk", "arsverk", "no-such-group") == {}

"""Years checked against the data (issue 21, Why 8): a typo in --year is refused before anything runs or is written.

``run``/``build --year Y`` after the latest data year needs ``--allow-empty-year``; ``template --year`` takes
the year after the latest data year or a year the data hold. The checks live in ``analysis.data.years``.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import analysis.cli.main as cli
from helpers import tree_hash


def invoke(*args):
    return CliRunner().invoke(cli.app, [str(a) for a in args])


@pytest.mark.parametrize("command", ["run", "build"])
def test_a_year_after_the_data_is_refused_before_anything_runs(data_copy, monkeypatch, command):
    ran = []
    monkeypatch.setattr(cli, "_run", lambda *a, **k: ran.append(a))
    monkeypatch.setattr(cli, "_render", lambda *a, **k: ran.append(a))
    result = invoke(command, "--year", 2030, "--data-dir", data_copy)
    assert result.exit_code == 2, result.output
    out = " ".join(result.output.split())
    assert "cannot run for 2030: the latest year in the data is 2018 (no dataset has figures for 2019–2030)" in out
    assert "Choose --year 2018 or earlier" in out and "--allow-empty-year" in out and "Nothing was run." in out
    assert not ran


def test_allow_empty_year_runs_a_book_ahead_of_its_figures(data_copy, monkeypatch):
    ran = []
    monkeypatch.setattr(cli, "_run", lambda *a, **k: ran.append(a[0]))
    (data_copy.parent / "narrative" / "2019").mkdir(parents=True)  # an edition of the text for 2019 (#22)
    result = invoke("run", "--year", 2019, "--allow-empty-year", "--data-dir", data_copy)
    assert result.exit_code == 0, result.output
    assert ran == [2019]


def test_the_checks_live_in_the_data_layer(data_copy):
    from analysis.data.years import YearRefused, check_report_year

    check_report_year(2018, data_copy)
    check_report_year(2030, data_copy, allow_empty=True)
    with pytest.raises(YearRefused, match="latest year in the data is 2018"):
        check_report_year(2019, data_copy)
    assert not hasattr(cli, "csv"), "the CLI only parses arguments and prints"


@pytest.mark.parametrize("year", [0, -1, 2020, 2030, 99999, 2011])
def test_template_for_a_year_that_could_never_be_imported_is_refused(data_copy, tmp_path, year):
    before = tree_hash(data_copy)
    out = tmp_path / "mal.xlsx"
    result = invoke("template", "--year", year, "-o", out, "--data-dir", data_copy, "--dataset", "hr_laerlinger")
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert "expected --year 2019 (the year after the latest year in the data, 2018) or a year the data hold (2010, 2012–2018)" in text
    assert f"found {year}" in text and "Traceback" not in result.output
    assert not out.exists() and tree_hash(data_copy) == before


@pytest.mark.parametrize("year", [2019, 2018, 2010])
def test_template_for_the_new_year_or_a_year_present(data_copy, year):
    from analysis.data.years import check_template_year

    check_template_year(year, data_copy)

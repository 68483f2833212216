"""Nothing lost at the gate (issue 11): ``import`` and ``validate`` refuse every bad input
precisely, never crash, never drop a figure, and no traceback reaches a user.

Every test runs on a copy of data/ (``data_copy``) or a workbook in ``tmp_path``.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import analysis.cli.main as cli
from analysis.cli.main import app
from analysis.data.validate import validate_data
from analysis.intake.workbook import build_template
from helpers import edit_line, tree_hash

YEAR = 2019


def invoke(*args):
    """The command; an import accepts figures the review flags (tests/test_excel.py tests the review)."""
    extra = ["--accept-flagged"] if args and args[0] == "import" else []
    return CliRunner().invoke(app, [str(a) for a in args] + extra)


def no_traceback(result) -> None:
    assert "Traceback" not in result.output and "╭" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


def set_value(path: Path, line: int, value: str) -> None:
    edit_line(path, line, lambda s: s.rsplit(",", 1)[0] + "," + value)


@pytest.fixture(scope="module")
def mal(tmp_path_factory) -> Path:
    """The 2019 template of the real data for two datasets."""
    from analysis.config import DATA_DIR

    path = tmp_path_factory.mktemp("mal") / "mal-2019.xlsx"
    build_template(DATA_DIR, YEAR, path, ["osu_arsverk", "hr_laerlinger"])
    return path


SOURCE = "SYNTETISK: Bærum kommune, HR-systemet (kilde for testene)"


def filled(mal: Path, dst: Path, edit) -> Path:
    """The template with ``edit`` applied; every figure typed into the last year's column gets a source in *Kilde*."""
    wb = load_workbook(mal)
    edit(wb)
    for ws in wb.worksheets[1:]:
        header = [c.value for c in ws[1]]
        if "Kilde" not in header:
            continue
        new, kilde = header.index("Kilde") - 1, header.index("Kilde")
        for row in ws.iter_rows(min_row=2):
            typed = row[new].value is not None and not str(row[new].value).startswith("=")
            if typed and row[kilde].value is None:
                row[kilde].value = SOURCE
    wb.save(dst)
    return dst


def rejected(result, data: Path, before: str, *words: str) -> str:
    assert result.exit_code == 1, result.output
    for w in words:
        assert w in result.output, result.output
    assert "nothing was written" in result.output
    assert tree_hash(data) == before
    no_traceback(result)
    return result.output


# -- a. values: finite decimals, at most 15 significant digits -------------------------


@pytest.mark.parametrize("literal", ["NaN", "inf", "-inf", "-", "NA", ""])
def test_placeholder_value_in_data_file_is_refused(data_copy, literal):
    set_value(data_copy / "osu_arsverk.csv", 2, literal)
    problems = [p for p in validate_data(data_copy) if p.file == "data/osu_arsverk.csv"]
    assert [(p.row, p.column) for p in problems] == [(2, "value")], problems
    assert "a missing figure is simply a missing row" in problems[0].message
    assert "expected a number" in problems[0].message


def test_5000_digit_number_in_data_file_is_refused_without_crash(data_copy):
    set_value(data_copy / "osu_arsverk.csv", 2, "9" * 5000)
    result = invoke("validate", "--data-dir", data_copy)
    assert result.exit_code == 1, result.output
    no_traceback(result)
    assert "data/osu_arsverk.csv, row 2, column 'value': expected at most 15 significant digits" in result.output
    assert "5 000" in result.output


def test_round_half_up_never_raises():
    from analysis.calc.rounding import round_half_up

    assert round_half_up(float("inf"), 1) == float("inf")
    assert round_half_up(1e300, 2) == 1e300
    assert round_half_up(2.45, 1) == 2.5


@pytest.mark.parametrize("typed", ["NaN", "inf", "-", "NA"])
def test_placeholder_in_workbook_is_refused(mal, data_copy, tmp_path, typed):
    path = filled(mal, tmp_path / "mal.xlsx", lambda wb: wb["osu_arsverk"].__setitem__("K4", typed))
    out = rejected(invoke("import", path, "--data-dir", data_copy), data_copy, tree_hash(data_copy), "sheet 'osu_arsverk', cell K4")
    assert "a missing figure is simply an empty cell" in out


def test_5000_digit_number_in_workbook_is_refused(mal, data_copy, tmp_path):
    path = filled(mal, tmp_path / "mal.xlsx", lambda wb: wb["osu_arsverk"].__setitem__("K4", "9" * 5000))
    rejected(
        invoke("import", path, "--data-dir", data_copy),
        data_copy,
        tree_hash(data_copy),
        "sheet 'osu_arsverk', cell K4: expected at most 15 significant digits",
        "5 000 digits",
    )


# -- b. year literals --------------------------------------------------------------------


@pytest.mark.parametrize("year", [" 2018 ", "2018.0", "-", "NA"])
def test_year_that_is_not_a_whole_year(data_copy, year):
    edit_line(data_copy / "osu_arsverk.csv", 2, lambda s: year + s[4:])
    result = invoke("validate", "--data-dir", data_copy)
    assert result.exit_code == 1
    no_traceback(result)
    assert f"data/osu_arsverk.csv, row 2, column 'year': expected a whole year such as 2018, found '{year}'" in result.output
    assert "expected ," not in result.output


# -- c. a CSV file datapackage.yaml does not list ------------------------------------------


def test_unlisted_csv_is_reported(data_copy):
    (data_copy / "notater.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    problems = validate_data(data_copy)
    assert [p.file for p in problems] == ["data/notater.csv"], problems
    assert "not described in datapackage.yaml" in problems[0].message


# -- d. a missing column is named --------------------------------------------------------------


def test_missing_group_column_is_named_first(data_copy):
    f = data_copy / "osu_arsverk.csv"
    lines = f.read_text(encoding="utf-8").splitlines()
    f.write_text("\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != 2) for line in lines) + "\n", encoding="utf-8")
    problems = validate_data(data_copy)
    first = problems[0]
    assert (first.file, first.row, first.column, first.kind) == ("data/osu_arsverk.csv", 1, "group", "missing-column")
    assert "column 'group' is missing" in problems[0].message
    assert len(problems) == 1, problems  # the shifted cells are not reported as 64 false errors


# -- e. one file in Windows-1252 ---------------------------------------------------------------


def test_cp1252_file_is_reported_once_with_row_and_hint(data_copy):
    f = data_copy / "groups.csv"
    text = f.read_text(encoding="utf-8")
    f.write_bytes(text.encode("cp1252"))
    first = next(i for i, line in enumerate(text.splitlines(), start=1) if not line.isascii())
    problems = validate_data(data_copy)
    assert [(p.file, p.row) for p in problems] == [("data/groups.csv", first)], problems
    assert "save the file as UTF-8" in problems[0].message


# -- f. no cascades ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["mye", "NaN"])
def test_error_in_one_file_does_not_cascade(data_copy, value):
    set_value(data_copy / "osu_arsverk.csv", 3, value)
    problems = validate_data(data_copy)
    assert problems and all(p.file == "data/osu_arsverk.csv" for p in problems), [str(p) for p in problems]


# -- g. grouped and capped ---------------------------------------------------------------------


def test_validate_output_is_capped(data_copy):
    f = data_copy / "osu_arsverk.csv"
    lines = f.read_text(encoding="utf-8").splitlines()
    f.write_text("\n".join(lines + [f"2018,arsverk,digit{i},-1" for i in range(100)]) + "\n", encoding="utf-8")
    result = invoke("validate", "--data-dir", data_copy)
    assert result.exit_code == 1
    unknown = [line for line in result.output.splitlines() if "unknown group" in line]
    assert len(unknown) == 5, result.output
    assert "… and 95 more of the same kind in data/osu_arsverk.csv" in result.output
    assert len(result.output) < 5000


def _sheet_rows(mal: Path, sheet: str) -> list[list[str]]:
    ws = load_workbook(mal)[sheet]
    return [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]


def _sheet_csv_with_unknown_rows(mal: Path, tmp_path: Path, n: int, fill: str) -> Path:
    """The hr_laerlinger sheet as CSV plus ``n`` rows with unknown indicators, their year cells set to ``fill``."""
    rows = _sheet_rows(mal, "hr_laerlinger")
    extra = [[f"ukjent_{i}", "kommunen", "x", "y", "antall"] + [fill] * (len(rows[0]) - 5) for i in range(n)]
    path = tmp_path / "hr_laerlinger.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(rows + extra)
    return path


def test_import_output_is_capped(mal, data_copy, tmp_path):
    path = _sheet_csv_with_unknown_rows(mal, tmp_path, 50, fill="")
    out = rejected(invoke("import", path, "--data-dir", data_copy), data_copy, tree_hash(data_copy))
    assert "50 problem(s)" in out
    assert out.count("which is not an id in indicators.csv") == 5
    assert "… and 45 more of the same kind in file 'hr_laerlinger.csv'" in out


def test_huge_csv_is_refused_as_a_whole(mal, data_copy, tmp_path):
    path = _sheet_csv_with_unknown_rows(mal, tmp_path, 100_000, fill="1")
    out = rejected(invoke("import", path, "--data-dir", data_copy), data_copy, tree_hash(data_copy), "expected at most 2 000 rows")
    assert len(out) < 5000


def test_long_sheet_is_refused_as_a_whole(mal, data_copy, tmp_path):
    def grow(wb):
        ws = wb["hr_laerlinger"]
        for i in range(2100):
            ws.append([f"ukjent_{i}", "kommunen", "x", "y", "antall"])

    path = filled(mal, tmp_path / "mal.xlsx", grow)
    before = tree_hash(data_copy)
    out = rejected(invoke("import", path, "--data-dir", data_copy), data_copy, before, "sheet 'hr_laerlinger': expected at most 2 000 rows")
    assert "1 problem(s)" in out


# -- h. the workbook -----------------------------------------------------------------------------


@pytest.mark.parametrize("cells", ["K4:K5", "J2:K2"])
def test_merged_cells_in_a_data_column_are_refused(mal, data_copy, tmp_path, cells):
    def merge(wb):
        ws = wb["osu_arsverk"]
        ws["K4"], ws["K5"] = 110, 111
        ws.merge_cells(cells)

    path = filled(mal, tmp_path / "mal.xlsx", merge)
    rejected(
        invoke("import", path, "--data-dir", data_copy),
        data_copy,
        tree_hash(data_copy),
        f"sheet 'osu_arsverk', cell {cells}: cells {cells} are merged",
        "Unmerge the cells",
    )


def test_hidden_sheet_is_refused_saying_it_is_hidden(mal, data_copy, tmp_path):
    def hide(wb):
        wb.create_sheet("Ark1").sheet_state = "hidden"
        wb["osu_arsverk"]["K4"] = 110

    path = filled(mal, tmp_path / "mal.xlsx", hide)
    rejected(invoke("import", path, "--data-dir", data_copy), data_copy, tree_hash(data_copy), "sheet 'Ark1': the sheet is hidden")


def test_edited_label_is_a_warning_by_cell(mal, data_copy, tmp_path):
    def edit(wb):
        wb["osu_arsverk"]["C4"] = "Årsverk i alt"
        wb["osu_arsverk"]["K4"] = 110

    path = filled(mal, tmp_path / "mal.xlsx", edit)
    result = invoke("import", path, "--data-dir", data_copy)
    assert result.exit_code == 0, result.output
    assert "warning: sheet 'osu_arsverk', cell C4: the label column 'Indikator' is not read" in result.output
    assert "found 'Årsverk i alt'" in result.output


def test_template_two_years_ahead_is_refused_naming_the_possible_years(data_copy, tmp_path):
    """A workbook for 2020 while the data end in 2018 could never be imported (2019 would be skipped): refused."""
    from analysis.data.years import YearRefused

    with pytest.raises(YearRefused, match=r"expected --year 2019 \(the year after the latest year in the data, 2018\)"):
        build_template(data_copy, 2020, tmp_path / "mal-2020.xlsx", ["osu_arsverk"])
    assert not (tmp_path / "mal-2020.xlsx").exists()


def test_dataset_typo_suggests_the_name(mal, data_copy, tmp_path):
    path = tmp_path / "eksport.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(_sheet_rows(mal, "osu_arsverk"))
    result = invoke("import", path, "--dataset", "osu_aarsverk", "--data-dir", data_copy)
    assert result.exit_code == 2, result.output
    assert "unknown dataset 'osu_aarsverk'; did you mean osu_arsverk?" in result.output
    result = invoke("template", "--year", YEAR, "-o", tmp_path / "m.xlsx", "--dataset", "osu_aarsverk", "--data-dir", data_copy)
    assert result.exit_code == 2 and "did you mean osu_arsverk?" in result.output


# -- i. no traceback reaches a user ------------------------------------------------------------


def test_internal_error_is_one_line_with_a_log(data_copy, tmp_path, monkeypatch):
    import analysis.config as config
    import analysis.data.validate

    def boom(*_a, **_k):
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(config, "STATE_DIR", tmp_path / "state")
    monkeypatch.setattr(analysis.data.validate, "validate_data", boom)
    monkeypatch.setattr(analysis.data.validate, "cached_problems", boom)  # `validate` skips data that passed before
    result = invoke("validate", "--data-dir", data_copy)
    assert result.exit_code == cli.EXIT_INTERNAL == 70, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("internal error in validate: RuntimeError: boom; full log written to "), lines
    log = Path(lines[0].rsplit("full log written to ", 1)[1])
    assert log.is_file() and "Traceback" in log.read_text(encoding="utf-8")


def test_usage_errors_keep_their_exit_code(tmp_path, monkeypatch):
    import analysis.config as config

    monkeypatch.setattr(config, "STATE_DIR", tmp_path / "state")
    result = invoke("run", "--chapter", "nope")
    assert result.exit_code == 2 and "unknown chapter" in result.output, result.output
    assert not (tmp_path / "state").exists()


@pytest.mark.parametrize(("year", "named"), [(2014, "digit_utgifter (2015–2018)"), (1999, "osu_arsverk (2014–2018)")])
def test_run_for_a_year_the_data_cannot_show_is_refused_before_running(data_copy, monkeypatch, year, named):
    ran = []
    monkeypatch.setattr(cli, "_run", lambda *a, **k: ran.append(a))
    result = invoke("run", "--year", year, "--data-dir", data_copy)
    assert result.exit_code == 2, result.output
    no_traceback(result)
    assert f"cannot run for {year}" in result.output and named in result.output
    assert "The data cover 2010–2018" in result.output and "--year 2017" in result.output
    assert not ran


def test_run_for_2017_and_2019_is_not_refused(data_copy, monkeypatch):
    """2019 is after the latest data year (2018): run only with --allow-empty-year (tests/test_years.py)."""
    ran = []
    monkeypatch.setattr(cli, "_run", lambda *a, **k: ran.append(a[0]))
    for year in (2017, 2019):  # editions of the text for both years (their blocks need not exist: nothing runs)
        (data_copy.parent / "narrative" / str(year)).mkdir(parents=True)
    assert invoke("run", "--year", 2017, "--data-dir", data_copy).exit_code == 0
    assert invoke("run", "--year", 2019, "--allow-empty-year", "--data-dir", data_copy).exit_code == 0
    assert ran == [2017, 2019]


def test_preview_into_an_impossible_folder(tmp_path):
    result = invoke("preview", "--out", "/proc/nope")
    assert result.exit_code == 2, result.output
    no_traceback(result)
    assert "cannot write the preview into /proc/nope" in result.output


# -- j. one fact, one place: a same fact imported into one dataset only ----------------------


def _fill_same_fact(mal: Path, dst: Path, data: Path, sheets: dict[str, int]) -> Path:
    """The template with the 2019 cell of ``sokere_per_stilling / kommunen`` typed into each ``{dataset: value}``."""
    from analysis.intake.template import layouts

    def edit(wb):
        for layout in layouts(data, YEAR, list(sheets)):
            row = next(
                r for r, spec in enumerate(layout.rows, start=2) if (spec.indicator, spec.group) == ("sokere_per_stilling", "kommunen")
            )
            wb[layout.sheet].cell(row=row, column=layout.new_column).value = sheets[layout.dataset]

    return filled(mal, dst, edit)


@pytest.fixture(scope="module")
def mal_same_fact(tmp_path_factory) -> Path:
    """The 2019 template for the two datasets that hold søkere per stilling."""
    from analysis.config import DATA_DIR

    path = tmp_path_factory.mktemp("mal") / "mal-2019.xlsx"
    build_template(DATA_DIR, YEAR, path, ["adm_kpi", "hr_rekruttering"])
    return path


def test_import_filling_only_the_copy_of_a_fact_is_refused(mal_same_fact, data_copy, tmp_path):
    """A same fact is typed in its home sheet (hr_rekruttering); a figure typed over adm_kpi's copy alone is refused by cell."""
    path = _fill_same_fact(mal_same_fact, tmp_path / "mal.xlsx", data_copy, {"adm_kpi": 10})
    out = rejected(invoke("import", path, "--data-dir", data_copy), data_copy, tree_hash(data_copy), "sheet 'adm_kpi', cell K3")
    assert "is typed in the sheet hr_rekruttering and copied here" in out


def test_import_of_a_csv_export_filling_the_copy_of_a_fact_is_refused(mal_same_fact, data_copy, tmp_path):
    book = _fill_same_fact(mal_same_fact, tmp_path / "mal.xlsx", data_copy, {"adm_kpi": 10})
    path = tmp_path / "adm_kpi.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(_sheet_rows(book, "adm_kpi"))
    out = rejected(invoke("import", path, "--data-dir", data_copy), data_copy, tree_hash(data_copy), "file 'adm_kpi.csv', cell K3")
    assert "type it in hr_rekruttering" in out


def test_import_of_different_values_for_one_fact_is_refused(mal_same_fact, data_copy, tmp_path):
    path = _fill_same_fact(mal_same_fact, tmp_path / "mal.xlsx", data_copy, {"adm_kpi": 10, "hr_rekruttering": 9})
    out = rejected(invoke("import", path, "--data-dir", data_copy), data_copy, tree_hash(data_copy))
    assert "is typed in sheet 'hr_rekruttering', cell I2 (9), and copied here" in out and "found 10" in out


def test_import_filling_the_home_of_a_fact_writes_both_datasets(mal_same_fact, data_copy, tmp_path):
    path = _fill_same_fact(mal_same_fact, tmp_path / "mal.xlsx", data_copy, {"hr_rekruttering": 10})
    result = invoke("import", path, "--data-dir", data_copy)
    assert result.exit_code == 0, result.output
    for ds in ("hr_rekruttering", "adm_kpi"):
        assert "2019,sokere_per_stilling,kommunen,10" in (data_copy / f"{ds}.csv").read_text(encoding="utf-8")
    assert validate_data(data_copy) == []


def test_import_filling_both_datasets_of_a_fact_is_accepted(mal_same_fact, data_copy, tmp_path):
    path = _fill_same_fact(mal_same_fact, tmp_path / "mal.xlsx", data_copy, {"adm_kpi": 10, "hr_rekruttering": 10})
    result = invoke("import", path, "--data-dir", data_copy)
    assert result.exit_code == 0, result.output
    assert "2019,sokere_per_stilling,kommunen,10" in (data_copy / "hr_rekruttering.csv").read_text(encoding="utf-8")
    assert validate_data(data_copy) == []


# -- k. one grammar of numbers for the import and the validation ------------------------------


@pytest.mark.parametrize("typed", ["1 422,3", "1\u00a0422,3", "1\u202f422", "12,8 %", "7 %", "−5", "-0,5", "2,45"])
def test_import_and_validation_read_a_norwegian_number_alike(typed):
    from analysis.calc.numbers import norwegian_number
    from analysis.intake.cells import parse_text

    assert norwegian_number(typed) == parse_text(typed).literal


@pytest.mark.parametrize("plain", ["1422.3", "36", "-4.0", "mye", ""])
def test_a_plain_literal_or_text_is_no_norwegian_number(plain):
    from analysis.calc.numbers import norwegian_number

    assert norwegian_number(plain) is None

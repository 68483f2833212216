"""The new year as analysts type it (issue 21), without a spreadsheet program: percent cells, the review, chosen
sources, workbooks never lost, dates refused, a Veiledning that reads. (``tests/test_libreoffice.py`` types the
same into LibreOffice Calc.) Every import runs on a copy of data/ (``data_copy``).
"""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from analysis.cli.main import app
from analysis.config import DATA_DIR, PROJ_ROOT
from analysis.intake.template import layouts, read_observation_literals
from analysis.intake.workbook import build_template
from helpers import tree_hash

YEAR = 2019
WORKBOOKS, IMPORTED = "workbooks", "imported"
"""Where new-year workbooks and the copies of imported files live (README: Adding a new year)."""
SOURCE = "SYNTETISK: Bærum kommune, HR-systemet (kilde for testene)"
DATASETS = ["adm_kpi", "osu_arsverk", "hr_sykefravaer"]


def invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def mal(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("mal") / "mal-2019.xlsx"
    build_template(DATA_DIR, YEAR, path, DATASETS)
    return path


SHEETS = {s.dataset: s for s in layouts(DATA_DIR, YEAR, DATASETS)}


def ref(dataset: str, indicator: str, group: str, column: str = "new") -> str:
    layout = SHEETS[dataset]
    r = 2 + [(x.indicator, x.group) for x in layout.rows].index((indicator, group))
    return f"{'ABCDEFGHIJKLMNOP'[(layout.new_column if column == 'new' else len(layout.header)) - 1]}{r}"


def typed(mal: Path, dst: Path, cells: dict[tuple[str, str, str], object], *, source: str | None = SOURCE, fmt: str | None = None) -> Path:
    """The template with ``cells`` set as openpyxl stores them (a percent typed in a percent cell is its fraction)."""
    wb = load_workbook(mal)
    for (ds, ind, grp), value in cells.items():
        ws = wb[SHEETS[ds].sheet]
        ws[ref(ds, ind, grp)] = value
        if fmt:
            ws[ref(ds, ind, grp)].number_format = fmt
        if source is not None:
            ws[ref(ds, ind, grp, "source")] = source
    wb.save(dst)
    return dst


DELTID = ("adm_kpi", "andel_deltid_under_80", "kommunen")


# -- Why 1: a percentage typed the usual way ----------------------------------------------------------------


def test_percent_input_cells_have_a_percent_format_and_a_validation(mal):
    ws = load_workbook(mal)[SHEETS["adm_kpi"].sheet]
    cell = ws[ref(*DELTID)]
    assert cell.number_format == "0%"
    dv = next(d for d in ws.data_validations.dataValidation if cell.coordinate in d.sqref)
    assert (dv.type, dv.operator, float(dv.formula1), float(dv.formula2), dv.errorStyle) == ("decimal", "between", 0.0, 1.0, "stop")
    assert dv.allow_blank and "2018: 31\u00a0%" in dv.prompt and dv.promptTitle == "Enhet: %"
    assert "30 %" in dv.error
    arsverk = load_workbook(mal)[SHEETS["osu_arsverk"].sheet]
    digit = arsverk[ref("osu_arsverk", "arsverk", "digit")]
    dv = next(d for d in arsverk.data_validations.dataValidation if digit.coordinate in d.sqref)
    assert digit.number_format == "#,##0.0" and float(dv.formula1) == 0.0 and "7.1" in dv.error


def test_a_percent_in_a_percent_cell_is_read_as_the_percentage(mal, data_copy, tmp_path):
    path = typed(mal, tmp_path / "mal.xlsx", {DELTID: 0.3})  # "30 %", "30%" (and Excel's "30") in the template's 0% cell
    result = invoke("import", path, "--data-dir", data_copy)
    assert result.exit_code == 0, result.output
    assert read_observation_literals(data_copy / "adm_kpi.csv")[("andel_deltid_under_80", "kommunen", YEAR)] == "30"


# -- Why 2: a review before anything is written ------------------------------------------------------------


def test_dry_run_shows_every_figure_beside_the_year_before(mal, data_copy, tmp_path):
    path = typed(mal, tmp_path / "mal.xlsx", {DELTID: 0.3, ("osu_arsverk", "arsverk", "digit"): 105.2})
    result = invoke("import", path, "--dry-run", "--data-dir", data_copy)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "review: 2 figure(s) to be written" in lines[0]
    row = next(line for line in lines if f"adm_kpi {ref(*DELTID)}" in line)
    assert re.search(r"Andel deltid.*%.*31\u00a0% \(2018\).*30\u00a0% \(2019\).*−1\u00a0pp", row), row
    assert "dry run, nothing written" in result.output


def test_a_percentage_in_a_whole_number_cell_is_flagged_by_sheet_and_cell(mal, data_copy, tmp_path):
    """The old template's trap: 30 % typed into a #,##0 cell is 0,3, shown and read as 0."""
    path = typed(mal, tmp_path / "mal.xlsx", {DELTID: 0.3}, fmt="#,##0")
    before = tree_hash(data_copy)
    result = invoke("import", path, "--data-dir", data_copy)
    assert result.exit_code == 1, result.output
    out = " ".join(result.output.split())
    assert "FLAGGED" in out
    assert f"sheet 'adm_kpi', cell {ref(*DELTID)}: adm_kpi Andel deltid" in out and "0 % in 2019 against 31 % in 2018" in out
    assert "a share jumping to 0 % from 31 %" in out and "--accept-flagged" in out and "nothing was written" in out
    assert tree_hash(data_copy) == before
    result = invoke("import", path, "--accept-flagged", "--data-dir", data_copy)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("value", "flag"), [(1044, "ten times or more 2018's figure"), (10.4, "a tenth or less of 2018's figure")])
def test_a_value_ten_times_or_a_tenth_of_last_year_is_flagged(mal, data_copy, tmp_path, value, flag):
    path = typed(mal, tmp_path / "mal.xlsx", {("osu_arsverk", "arsverk", "digit"): value})
    result = invoke("import", path, "--data-dir", data_copy)
    assert result.exit_code == 1 and flag in " ".join(result.output.split()), result.output


# -- Why 3: sources that someone chose ------------------------------------------------------------------------


def test_the_report_is_not_offered_as_the_source_of_a_new_figure(mal):
    ws = load_workbook(mal)[SHEETS["adm_kpi"].sheet]
    assert ws[ref(*DELTID, "source")].value is None


def test_a_kept_document_credit_is_refused_naming_the_cell(mal, data_copy, tmp_path):
    from analysis.data.package import read_descriptor, resource
    from analysis.data.sources import source_text

    credit = source_text(resource(read_descriptor(DATA_DIR), "adm_kpi"))  # what the old template prefilled
    path = typed(mal, tmp_path / "mal.xlsx", {DELTID: 0.3}, source=credit)
    before = tree_hash(data_copy)
    result = invoke("import", path, "--data-dir", data_copy)
    assert result.exit_code == 1, result.output
    out = " ".join(result.output.split())
    assert f"sheet 'adm_kpi', cell {ref(*DELTID, 'source')}: expected the source of the 2019 figure in {ref(*DELTID)}" in out
    assert "the credit of the original report: that document cannot hold 2019's figure" in out
    assert tree_hash(data_copy) == before


def test_the_sources_in_use_are_offered_and_listed(data_copy, tmp_path):
    with (data_copy / "provenance.csv").open("a", encoding="utf-8", newline="") as fh:
        row = ["hr_laerlinger", "2018", "", "", "workbook", "Bærum kommune, HR-systemet", "", "", ""]
        csv.writer(fh, lineterminator="\n").writerow(row)
    lines = (data_copy / "provenance.csv").read_text(encoding="utf-8").splitlines()
    lines = [line for line in lines if not line.startswith("hr_laerlinger,2018,,,document")]
    (data_copy / "provenance.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = tmp_path / "mal.xlsx"
    build_template(data_copy, YEAR, path, ["hr_laerlinger"])
    wb = load_workbook(path)
    ws = wb["hr_laerlinger"]
    assert ws.cell(row=2, column=ws.max_column).value == "Bærum kommune, HR-systemet"  # chosen last year: offered again
    lists = [d for d in ws.data_validations.dataValidation if d.type == "list"]
    assert lists and lists[0].formula1.startswith("'Veiledning'!$A$")
    guide = [c.value for c in wb["Veiledning"]["A"]]
    assert "Bærum kommune, HR-systemet" in guide
    ws.cell(row=2, column=ws.max_column - 1).value = 91
    ws.cell(row=2, column=ws.max_column).value = None
    wb.save(path)
    result = invoke("import", path, "--data-dir", data_copy)
    assert result.exit_code == 1 and "sources in use: «Bærum kommune, HR-systemet»" in " ".join(result.output.split())


# -- Why 4: a filled workbook is never lost --------------------------------------------------------------------


def test_template_never_overwrites_a_workbook_without_force(data_copy):
    first = invoke("template", "--year", YEAR, "--data-dir", data_copy, "--dataset", "hr_laerlinger")
    assert first.exit_code == 0, first.output
    path = data_copy.parent / WORKBOOKS / "mal-2019.xlsx"
    wb = load_workbook(path)
    wb["hr_laerlinger"].cell(row=2, column=wb["hr_laerlinger"].max_column - 1).value = 91  # figures typed in
    wb.save(path)
    filled = path.read_bytes()
    again = invoke("template", "--year", YEAR, "--data-dir", data_copy, "--dataset", "hr_laerlinger")
    assert again.exit_code == 2 and "exists and may hold figures typed in" in again.output and "--force" in again.output
    assert path.read_bytes() == filled
    forced = invoke("template", "--year", YEAR, "--data-dir", data_copy, "--dataset", "hr_laerlinger", "--force")
    assert forced.exit_code == 0 and path.read_bytes() != filled


def test_make_clean_leaves_the_workbooks_alone():
    recipe = re.search(r"^clean:.*\n\t(.*)$", (PROJ_ROOT / "Makefile").read_text(encoding="utf-8"), re.M).group(1)
    removed = recipe.split()[2:]  # rm -rf ...
    assert WORKBOOKS not in removed and not any(WORKBOOKS.startswith(r.rstrip("/")) for r in removed), removed


def test_import_keeps_a_copy_of_the_workbook_under_its_sha256(mal, data_copy, tmp_path):
    path = typed(mal, tmp_path / "mal-2019-utfylt.xlsx", {DELTID: 0.3})
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    result = invoke("import", path, "--data-dir", data_copy)
    assert result.exit_code == 0, result.output
    copy = data_copy.parent / WORKBOOKS / IMPORTED / sha / path.name
    assert copy.read_bytes() == path.read_bytes() and f"kept a copy: {copy}" in result.output
    with (data_copy / "changelog.csv").open(encoding="utf-8", newline="") as fh:
        assert {r["sha256"] for r in csv.DictReader(fh)} == {sha}
    dry = typed(mal, tmp_path / "annen.xlsx", {("osu_arsverk", "arsverk", "digit"): 105.2})
    assert invoke("import", dry, "--dry-run", "--data-dir", data_copy).exit_code == 0
    assert not (data_copy.parent / WORKBOOKS / IMPORTED / hashlib.sha256(dry.read_bytes()).hexdigest()).exists()


# -- Why 6: a date in a number cell ----------------------------------------------------------------------------


def test_a_decimal_point_turned_date_is_refused_saying_so(mal, data_copy, tmp_path):
    """``7.1`` in a Norwegian spreadsheet is 7 January of this year: a whole number of days, kept in the #,##0.0 cell."""
    from datetime import date

    serial = (date(date.today().year, 1, 7) - date(1899, 12, 30)).days
    path = typed(mal, tmp_path / "mal.xlsx", {("osu_arsverk", "arsverk", "digit"): serial})
    result = invoke("import", path, "--data-dir", data_copy)
    assert result.exit_code == 1, result.output
    out = " ".join(result.output.split())
    assert f"sheet 'osu_arsverk', cell {ref('osu_arsverk', 'arsverk', 'digit')}: expected a number for arsverk / digit" in out
    assert f"which is the date 7.1.{date.today().year}" in out and "type the figure with a decimal comma (7,1)" in out


# -- Why 7: a Veiledning that reads, every sheet printable ---------------------------------------------------------


def test_every_sheet_prints_to_the_page_width_and_the_guide_has_row_heights(mal):
    wb = load_workbook(mal)
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0, ws.title
        assert ws.print_area and int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4), ws.title
    guide = wb["Veiledning"]
    text_rows = [c.row for c in guide["A"] if c.value]
    assert all(guide.row_dimensions[r].height for r in text_rows)
    longest = max(text_rows, key=lambda r: len(str(guide.cell(row=r, column=1).value)))
    assert guide.row_dimensions[longest].height >= 4 * 15
    assert guide.column_dimensions["A"].width <= 75  # an A4 page's width in LibreOffice (checked in test_libreoffice)
    lines = [str(c.value) for c in guide["A"] if c.value]
    assert any("skrives bare i arket hr_sykefravaer" in line for line in lines)  # Why 5: where a same fact is typed

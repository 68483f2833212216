"""The new year's workflow: ``template`` writes the input workbook, ``import`` reads it back.

Every rejection names the sheet (or file) and the cell, says what was expected
and what was found, and leaves data/ byte-for-byte unchanged. All imports run
on a copy of data/ (the ``data_copy`` fixture).
"""

from __future__ import annotations

import csv
import functools
import hashlib
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
import typer
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from typer.testing import CliRunner

from analysis import config
from analysis.cli.data_commands import register
from analysis.config import DATA_DIR
from analysis.data.load import load_observations
from analysis.data.package import observation_names, read_descriptor
from analysis.data.problems import Problem
from analysis.data.provenance import Credit, credit_for
from analysis.data.validate import cached_problems
from analysis.intake.cells import NumberError, numeric_literal, parse_text
from analysis.intake.plan import plan_import
from analysis.intake.template import FIXED_HEADER, GUIDE_SHEET, META_SHEET, SOURCE_HEADER, read_observation_literals, sheet_names
from analysis.intake.workbook import build_template
from helpers import tree_hash

YEAR = 2019
SOURCE = "SYNTETISK: Bærum kommune, HR-systemet (kilde for testene)"
WORKBOOKS = "workbooks"
"""The folder beside data/ where `template` writes (README: Adding a new year)."""
FIXTURE = Path(__file__).parent / "fixtures" / "ny_aargang_2019"
NBSP, NNBSP = "\u00a0", "\u202f"


def _app() -> typer.Typer:
    app = typer.Typer(add_completion=False, rich_markup_mode=None)

    @app.callback()
    def _main() -> None:
        """Test app with the data commands."""

    register(app)
    return app


APP = _app()


def run(*args, review: bool = False):
    """The command; an import accepts flagged figures (the review has tests of its own) unless ``review``."""
    extra = ["--accept-flagged"] if args and args[0] == "import" and not review else []
    return CliRunner().invoke(APP, [str(a) for a in args] + extra)


SHEETS = ["osu_arsverk", "osu_driftsinntekter", "adm_kpi", "eiendom_aktivitet", "hr_laerlinger", "hr_sykefravaer", "hr_rekruttering"]
"""The datasets of the (faster) template most tests fill."""


@pytest.fixture(scope="module")
def full_template(tmp_path_factory) -> Path:
    """The 2019 template of the real data, every dataset (data_copy has the same content)."""
    path = tmp_path_factory.mktemp("mal") / "mal-2019.xlsx"
    build_template(DATA_DIR, YEAR, path)
    return path


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """The 2019 template of the real data for the datasets in ``SHEETS``."""
    path = tmp_path_factory.mktemp("mal") / "mal-2019.xlsx"
    build_template(DATA_DIR, YEAR, path, SHEETS)
    return path


@pytest.fixture(scope="module")
def template_2018(tmp_path_factory) -> Path:
    """The template for 2018, a year data/ already has (prefilled), every dataset."""
    path = tmp_path_factory.mktemp("mal") / "mal-2018.xlsx"
    build_template(DATA_DIR, 2018, path)
    return path


def locate(ws, indicator: str, group: str, year: int = YEAR) -> str:
    """The address of a (indicator, group, year) cell in a dataset sheet."""
    col = [c.value for c in ws[1]].index(year) + 1
    for row in ws.iter_rows(min_row=2):
        if (row[0].value, row[1].value) == (indicator, group):
            return f"{get_column_letter(col)}{row[0].row}"
    raise KeyError((indicator, group))


Key = tuple[str, str, str]


def fill(
    src: Path,
    dst: Path,
    values: dict[Key, object] | None = None,
    *,
    formats: dict[Key, str] | None = None,
    edit: Callable[[Workbook], None] | None = None,
    year: int = YEAR,
    source: str | None = SOURCE,
) -> dict[Key, str]:
    """Copy the template ``src`` to ``dst`` with ``values`` typed into ``(sheet, indicator, group)`` cells (and ``source`` into
    their *Kilde* cells, unless None)."""
    wb = load_workbook(src)
    refs = {}
    for key, value in (values or {}).items():
        sheet, ind, grp = key
        ref = locate(wb[sheet], ind, grp, year)
        wb[sheet][ref] = value
        kilde = wb[sheet].cell(row=wb[sheet][ref].row, column=wb[sheet].max_column)
        if source is not None and isinstance(kilde.value, str | None) and not str(kilde.value or "").startswith("="):
            kilde.value = source
        if formats and key in formats:
            wb[sheet][ref].number_format = formats[key]
        refs[key] = ref
    if edit:
        edit(wb)
    wb.save(dst)
    return refs


def import_rejected(path: Path, data: Path, where: str, *words: str, options: tuple[str, ...] = ()) -> str:
    """Import ``path`` into ``data``; assert a rejection naming ``where`` (sheet and cell) and ``words``, data/ as before.

    The hash of data/ is taken here, before the import runs, so "unchanged" compares two different moments.
    """
    before = tree_hash(data)
    result = run("import", path, *options, "--data-dir", data)
    assert result.exit_code == 1, result.output
    assert where in result.output, result.output
    for w in words:
        assert w in result.output, result.output
    assert "nothing was written" in result.output
    assert tree_hash(data) == before, "data/ changed"
    assert not list(data.parent.glob(".import-*")), "staging folder left behind"
    return result.output


ARSVERK_DIGIT = ("osu_arsverk", "arsverk", "digit")


# -- the template ---------------------------------------------------------------------


def test_template_sheets_and_guide(full_template):
    wb = load_workbook(full_template)
    names = observation_names(read_descriptor(DATA_DIR))
    assert wb.sheetnames[0] == GUIDE_SHEET
    assert wb.sheetnames[1:-1] == names
    assert all(len(n) <= 31 for n in wb.sheetnames)
    guide = wb[GUIDE_SHEET]
    assert guide["A1"].value == "Ny årgang"
    text = "\n".join(str(c.value) for c in guide["A"] if c.value)
    for phrase in ("Tomme celler betyr «ikke tilgjengelig ennå»", "desimalkomma", "30 %", "--replace", "#REF!", "Hva skjer ved import"):
        assert phrase.lower() in text.lower(), phrase
    meta = wb[META_SHEET]
    assert meta.sheet_state == "hidden"
    assert wb.security.lockStructure
    assert [c.value for c in meta[2]] == ["year", YEAR]


def test_template_layout_of_a_dataset(template):
    ws = load_workbook(template)["osu_arsverk"]
    header = [c.value for c in ws[1]]
    assert header == [*FIXED_HEADER, 2014, 2015, 2016, 2017, 2018, 2019, SOURCE_HEADER]
    rows = {(r[0].value, r[1].value): r for r in ws.iter_rows(min_row=2)}
    assert set(rows) == {("arsverk", g) for g in ("osu_total", "osa", "digit", "eiendom")}
    digit = rows[("arsverk", "digit")]
    assert [c.value for c in digit[2:5]] == ["Årsverk", "Digitalisering og IT", "årsverk"]
    assert digit[9].value == pytest.approx(104.4) and digit[9].number_format == "#,##0.0"
    assert digit[10].value is None and digit[10].number_format == "#,##0.0"
    assert digit[11].value is None  # 2018 is the report's: a new figure's source is chosen, never carried over
    assert locate(ws, *ARSVERK_DIGIT[1:]) == "K4"


def test_template_protects_all_but_the_new_year_and_its_source(template):
    ws = load_workbook(template)["adm_kpi"]
    assert ws.protection.sheet
    header = [c.value for c in ws[1]]
    new_col, source_col = header.index(YEAR), header.index(SOURCE_HEADER)
    assert source_col == len(header) - 1
    rows = list(ws.iter_rows(min_row=2))
    assert len(rows) > 1
    copied = {"sykefravar_total", "sokere_per_stilling"}  # same facts typed in hr_sykefravaer / hr_rekruttering
    for row in rows:
        open_ = row[0].value not in copied
        assert (row[new_col].protection.locked, row[source_col].protection.locked) == (not open_, not open_), row[0].value
        assert all(c.protection.locked for i, c in enumerate(row) if i not in (new_col, source_col))
    assert {r[0].value for r in rows if str(r[new_col].value).startswith("=IF(ISBLANK(")} == copied


def test_template_for_a_year_in_data_prefills_it(template_2018):
    ws = load_workbook(template_2018)["osu_arsverk"]
    assert [c.value for c in ws[1]][-2:] == [2018, SOURCE_HEADER]
    assert ws[locate(ws, "arsverk", "digit", 2018)].value == pytest.approx(104.4)


def test_sheet_names_are_cut_to_31_and_unique():
    long = ["a" * 35 + "1", "a" * 35 + "2", "kort"]
    names = sheet_names(long)
    assert all(len(n) <= 31 for n in names.values())
    assert len(set(names.values())) == 3 and names["kort"] == "kort"


def test_cli_template(data_copy, tmp_path):
    out = tmp_path / "mal.xlsx"
    result = run("template", "--year", YEAR, "-o", out, "--data-dir", data_copy, "--dataset", "hr_laerlinger")
    assert result.exit_code == 0, result.output
    assert load_workbook(out).sheetnames == [GUIDE_SHEET, "hr_laerlinger", META_SHEET]
    assert "2019 open for input" in result.output and f"wrote {out.resolve()}:" in result.output


def test_cli_template_default_is_the_workbooks_folder(data_copy, tmp_path, monkeypatch):
    """Without --output the workbook goes to workbooks/ beside data/ (git-ignored, not removed by make clean: next tests)."""
    monkeypatch.chdir(tmp_path)
    result = run("template", "--year", YEAR, "--data-dir", data_copy, "--dataset", "hr_laerlinger")
    assert result.exit_code == 0, result.output
    out = (data_copy.parent / WORKBOOKS / "mal-2019.xlsx").resolve()
    assert load_workbook(out).sheetnames == [GUIDE_SHEET, "hr_laerlinger", META_SHEET]
    assert f"wrote {out}:" in result.output
    assert not list(tmp_path.glob("*.xlsx")), "written into the working folder"


def test_template_workbooks_are_ignored_by_git():
    """A workbook with a new year's figures cannot be committed by accident: git ignores the default folder, and
    ``mal-YEAR.xlsx`` anywhere (``-o mal-2019.xlsx`` in the project folder); the SYNTHETIC fixture stays visible."""
    git = shutil.which("git")
    if git is None or not (config.PROJ_ROOT / ".git").exists():
        pytest.skip("not a git checkout: nothing can be committed")

    def ignored(path: Path) -> bool:
        check = subprocess.run([git, "-C", str(config.PROJ_ROOT), "check-ignore", "--no-index", "-q", str(path)], check=False)
        return check.returncode == 0

    assert ignored(config.PROJ_ROOT / WORKBOOKS / "mal-2019.xlsx")
    assert ignored(config.PROJ_ROOT / WORKBOOKS / "imported" / ("0" * 64) / "mal-2019.ods")
    assert ignored(config.PROJ_ROOT / "mal-2019.xlsx")
    assert not ignored(FIXTURE / "SYNTHETIC_mal-2019_utfylt.xlsx")


def test_cli_template_to_a_place_it_cannot_write_is_one_line(data_copy, tmp_path):
    blocker = tmp_path / "fil"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    result = run("template", "--year", YEAR, "-o", blocker / "mal.xlsx", "--data-dir", data_copy, "--dataset", "hr_laerlinger")
    assert result.exit_code == 2, result.output
    assert f"error: cannot write {(blocker / 'mal.xlsx').resolve()}" in result.output and "Traceback" not in result.output


def test_help_texts():
    for cmd, words in (("template", "Veiledning"), ("import", "--replace")):
        result = run(cmd, "--help")
        assert result.exit_code == 0 and words in result.output


# -- numbers: what people type --------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "literal", "percent"),
    [
        ("12,8", "12.8", False),
        ("104,0", "104.0", False),
        ("12.8", "12.8", False),
        ("0.125", "0.125", False),
        ("1 163,5", "1163.5", False),
        (f"1{NBSP}163,5", "1163.5", False),
        (f"1{NNBSP}163,5", "1163.5", False),
        (f"589{NBSP}379", "589379", False),
        ("12,8 %", "12.8", True),
        ("12,8%", "12.8", True),
        (f"12,8{NBSP}%", "12.8", True),
        ("−3,5", "-3.5", False),
        ("-0,0", "0.0", False),
        ("  42 ", "42", False),
    ],
)
def test_parse_text_accepts(typed, literal, percent):
    parsed = parse_text(typed)
    assert (parsed.literal, parsed.percent) == (literal, percent)


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("mye", "text"),
        ("ca. 12", "text"),
        ("–", "missing-figure"),
        ("1.163", "ambiguous-number"),
        ("1,163.5", "text"),
        ("#N/A", "excel-error"),  # in openpyxl's ERROR_CODES
        ("#SPILL!", "excel-error"),  # Excel 365's, not in openpyxl's list
    ],
)
def test_parse_text_refuses(typed, kind):
    with pytest.raises(NumberError) as exc:
        parse_text(typed)
    assert exc.value.kind == kind and typed in str(exc.value)


def test_parse_text_empty_is_none():
    assert parse_text("") is None and parse_text(f" {NBSP}") is None


@pytest.mark.parametrize(
    ("value", "fmt", "literal", "percent"),
    [
        (104, "#,##0.0", "104.0", False),
        (104.35, "#,##0.0", "104.4", False),
        (2.45, "0.0", "2.5", False),
        (104.35, "General", "104.35", False),
        (104.0, "General", "104", False),
        (0.1 + 0.2, "General", "0.3", False),
        (0.128, "0.0%", "12.8", True),
        (0.31, "0%", "31", True),
        (1186.8, "#,##0.00", "1186.80", False),
        (12.5, "0.0#", "12.5", False),
        (-98.5, "#,##0.0;[Red]-#,##0.0", "-98.5", False),
    ],
)
def test_numeric_literal(value, fmt, literal, percent):
    parsed = numeric_literal(value, fmt)
    assert (parsed.literal, parsed.percent) == (literal, percent)


# -- accepted input, end to end -------------------------------------------------------


def test_accepted_formats_are_written_with_the_typed_decimals(template, data_copy, tmp_path):
    values = {
        ("eiendom_aktivitet", "samlet_areal_formalsbygg", "eiendom"): f"589{NBSP}379",  # NBSP thousands, text
        ("eiendom_aktivitet", "brutto_investeringsutgifter", "eiendom"): f"1{NNBSP}186,8",  # U+202F thousands
        ("eiendom_aktivitet", "samlet_vedlikehold", "eiendom"): "106,0",  # decimal comma, number as text
        ("eiendom_aktivitet", "samlet_antall_boliger", "eiendom"): None,  # empty: not available yet
        ("adm_kpi", "sykefravar_total", "kommunen"): "7,4 %",
        ("hr_sykefravaer", "sykefravar_total", "kommunen"): "7,4%",  # the same fact (data/checks.yaml): in both datasets
        ("adm_kpi", "andel_deltid_under_80", "kommunen"): "33%",
        ("adm_kpi", "andel_inngaende_efaktura", "kommunen"): 0.83,  # Excel turned "83 %" into 0.83 with a % format
        ("adm_kpi", "sokere_per_stilling", "kommunen"): 11,  # numeric, template format without decimals
        ("hr_rekruttering", "sokere_per_stilling", "kommunen"): "11",
        ("osu_arsverk", "arsverk", "digit"): 104,  # numeric, template format "#,##0.0"
        ("osu_driftsinntekter", "driftsinntekter_sum", "osu_total"): "−98,5",  # minus sign U+2212
    }
    formats = {("adm_kpi", "andel_inngaende_efaktura", "kommunen"): "0%"}
    path = tmp_path / "mal-2019.xlsx"
    fill(template, path, values, formats=formats)
    result = run("import", path, "--data-dir", data_copy)
    assert result.exit_code == 0, result.output

    def literal(ds, ind, grp):
        return read_observation_literals(data_copy / f"{ds}.csv").get((ind, grp, YEAR))

    assert literal("eiendom_aktivitet", "samlet_areal_formalsbygg", "eiendom") == "589379"
    assert literal("eiendom_aktivitet", "brutto_investeringsutgifter", "eiendom") == "1186.8"
    assert literal("eiendom_aktivitet", "samlet_vedlikehold", "eiendom") == "106.0"
    assert literal("eiendom_aktivitet", "samlet_antall_boliger", "eiendom") is None
    assert literal("adm_kpi", "sykefravar_total", "kommunen") == "7.4"
    assert literal("adm_kpi", "andel_deltid_under_80", "kommunen") == "33"
    assert literal("adm_kpi", "andel_inngaende_efaktura", "kommunen") == "83"
    assert literal("adm_kpi", "sokere_per_stilling", "kommunen") == "11"
    assert literal("osu_arsverk", "arsverk", "digit") == "104.0"
    assert literal("osu_driftsinntekter", "driftsinntekter_sum", "osu_total") == "-98.5"
    assert "11 value(s) added" in result.output


def test_formula_with_cached_value_is_accepted(template, data_copy, tmp_path):
    path = tmp_path / "mal-2019.xlsx"
    fill(template, path, {ARSVERK_DIGIT: "=J4*1"})
    patched = tmp_path / "calculated.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(patched, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if b"<f>J4*1</f>" in data:
                data = data.replace(b"<f>J4*1</f><v />", b"<f>J4*1</f><v>104.4</v>").replace(
                    b"<f>J4*1</f><v></v>", b"<f>J4*1</f><v>104.4</v>"
                )
            dst.writestr(item, data)
    result = run("import", patched, "--data-dir", data_copy)
    assert result.exit_code == 0, result.output
    assert read_observation_literals(data_copy / "osu_arsverk.csv")[("arsverk", "digit", YEAR)] == "104.4"


def test_partial_year_writes_only_filled_datasets(template, data_copy, tmp_path):
    path = tmp_path / "mal-2019.xlsx"
    fill(template, path, {("hr_laerlinger", "antall_laerlinger", "kommunen"): 90})
    before = {p.name: p.read_bytes() for p in data_copy.iterdir()}
    result = run("import", path, "--data-dir", data_copy)
    assert result.exit_code == 0, result.output
    changed = {p.name for p in data_copy.iterdir() if before.get(p.name) != p.read_bytes()}
    assert changed == {"hr_laerlinger.csv", "provenance.csv", "changelog.csv"}
    assert "hr_laerlinger: 1 added, 0 replaced (2019)" in result.output
    assert not list(tmp_path.glob(".import-*"))


def test_template_round_trip(data_copy, tmp_path):
    mal = tmp_path / "mal-2019.xlsx"
    assert run("template", "--year", YEAR, "-o", mal, "--data-dir", data_copy).exit_code == 0
    values = {
        ("osu_arsverk", "arsverk", "digit"): 110,
        ("osu_arsverk", "arsverk", "eiendom"): "215,0",
        ("osu_arsverk", "arsverk", "osa"): 339.55,
        ("osu_arsverk", "arsverk", "osu_total"): "664,6",
    }
    fill(mal, mal, values)
    result = run("import", mal, "--data-dir", data_copy)
    assert result.exit_code == 0, result.output
    df = load_observations("osu_arsverk", data_copy).filter(year=YEAR)
    got = {r["group"]: (r["value"], r["decimals"]) for r in df.iter_rows(named=True)}
    assert got == {"digit": (110.0, 1), "eiendom": (215.0, 1), "osa": (339.6, 1), "osu_total": (664.6, 1)}
    assert load_observations("osu_arsverk", data_copy, until=2018)["year"].max() == 2018
    assert cached_problems(data_copy) == []  # these bytes passed validation in the import's staged copy
    lines = (data_copy / "osu_arsverk.csv").read_text(encoding="utf-8").splitlines()
    assert lines.index("2019,arsverk,digit,110.0") == lines.index("2018,arsverk,digit,104.4") + 1


def test_a_same_fact_is_typed_once_and_copied(template, data_copy, tmp_path):
    """Søkere per stilling is typed in hr_rekruttering only; the import writes it, with its source, into adm_kpi too."""
    path = tmp_path / "mal-2019.xlsx"
    fill(template, path, {("hr_rekruttering", "sokere_per_stilling", "kommunen"): 12})
    result = run("import", path, "--data-dir", data_copy)
    assert result.exit_code == 0, result.output
    for ds in ("hr_rekruttering", "adm_kpi"):
        assert read_observation_literals(data_copy / f"{ds}.csv")[("sokere_per_stilling", "kommunen", YEAR)] == "12"
    with (data_copy / "provenance.csv").open(encoding="utf-8", newline="") as fh:
        credits = list(csv.DictReader(fh))
    assert credit_for(credits, "adm_kpi", YEAR, "sokere_per_stilling", "kommunen") == Credit("workbook", SOURCE)
    assert "adm_kpi (copy of hr_rekruttering" in result.output
    assert cached_problems(data_copy) == []


def test_a_same_fact_typed_in_the_copy_only_is_refused_naming_the_sheet(template, data_copy, tmp_path):
    path = tmp_path / "mal-2019.xlsx"
    refs = fill(template, path, {("adm_kpi", "sokere_per_stilling", "kommunen"): 11})
    ref = refs[("adm_kpi", "sokere_per_stilling", "kommunen")]
    import_rejected(path, data_copy, f"sheet 'adm_kpi', cell {ref}", "typed in the sheet hr_rekruttering")


def test_dry_run_writes_nothing(template, data_copy, tmp_path):
    path = tmp_path / "mal-2019.xlsx"
    fill(template, path, {ARSVERK_DIGIT: 110})
    before = tree_hash(data_copy)
    result = run("import", path, "--dry-run", "--data-dir", data_copy)
    assert result.exit_code == 0, result.output
    assert "dry run, nothing written" in result.output and "osu_arsverk: 1 added" in result.output
    assert tree_hash(data_copy) == before


def test_nothing_filled_is_not_an_error(template, data_copy):
    before = tree_hash(data_copy)
    result = run("import", template, "--data-dir", data_copy)
    assert result.exit_code == 0 and "nothing to import" in result.output
    assert tree_hash(data_copy) == before


# -- rejected input: one test per kind, each naming sheet and cell ---------------------


def test_text_in_numeric_cell(template, data_copy, tmp_path):
    path = tmp_path / "mal-2019.xlsx"
    fill(template, path, {ARSVERK_DIGIT: "mye"})
    import_rejected(
        path,
        data_copy,
        "sheet 'osu_arsverk', cell K4",
        "found text 'mye'",
        "expected a number",
    )


@pytest.mark.parametrize("error", ["#REF!", "#DIV/0!", "#VALUE!", "#N/A"])
def test_excel_error_value(template, data_copy, tmp_path, error):
    path = tmp_path / "mal-2019.xlsx"
    fill(template, path, {ARSVERK_DIGIT: error})
    assert load_workbook(path)["osu_arsverk"]["K4"].data_type == "e"
    import_rejected(
        path,
        data_copy,
        "sheet 'osu_arsverk', cell K4",
        f"found the Excel error value {error}",
    )


def test_error_cell_is_refused_whatever_its_code(template, data_copy, tmp_path):
    """An error cell is known by its type in the workbook, also for a code no list has (Excel's newest: #PYTHON!)."""

    def error(wb):
        cell = wb["osu_arsverk"]["K4"]
        cell.value = "#PYTHON!"
        cell.data_type = "e"

    path = tmp_path / "mal-2019.xlsx"
    fill(template, path, edit=error)
    assert load_workbook(path)["osu_arsverk"]["K4"].data_type == "e"
    import_rejected(path, data_copy, "sheet 'osu_arsverk', cell K4", "found the Excel error value #PYTHON!")


def test_formula_without_cached_value(template, data_copy, tmp_path):
    path = tmp_path / "mal-2019.xlsx"
    fill(template, path, {ARSVERK_DIGIT: "=J4*1.02"})
    import_rejected(
        path,
        data_copy,
        "sheet 'osu_arsverk', cell K4",
        "formula without a computed value (=J4*1.02)",
    )


def test_negative_arsverk(template, data_copy, tmp_path):
    path = tmp_path / "mal-2019.xlsx"
    fill(template, path, {ARSVERK_DIGIT: "-3,0"})
    import_rejected(
        path,
        data_copy,
        "sheet 'osu_arsverk', cell K4",
        "expected a value of at least 0 (unit årsverk) for arsverk / digit, found -3,0",
    )


def test_share_above_100(template, data_copy, tmp_path):
    path = tmp_path / "mal-2019.xlsx"
    refs = fill(template, path, {("adm_kpi", "andel_deltid_under_80", "kommunen"): "112 %"})
    ref = refs[("adm_kpi", "andel_deltid_under_80", "kommunen")]
    import_rejected(
        path,
        data_copy,
        f"sheet 'adm_kpi', cell {ref}",
        "expected a value of at most 100 %",
        "found 112 %",
    )


def test_percent_for_a_unit_that_is_not_percent(template, data_copy, tmp_path):
    path = tmp_path / "mal-2019.xlsx"
    fill(template, path, {ARSVERK_DIGIT: "12 %"})
    import_rejected(
        path,
        data_copy,
        "sheet 'osu_arsverk', cell K4",
        "in årsverk",
        "found the percentage 12 %",
    )


def test_date_in_numeric_cell(template, data_copy, tmp_path):
    path = tmp_path / "mal-2019.xlsx"
    fill(template, path, {ARSVERK_DIGIT: datetime(2019, 5, 1)})
    import_rejected(path, data_copy, "sheet 'osu_arsverk', cell K4", "found the date 1.5.2019", "decimal comma (1,5)")


def test_ambiguous_decimal_point(template, data_copy, tmp_path):
    path = tmp_path / "mal-2019.xlsx"
    fill(template, path, {("eiendom_aktivitet", "samlet_antall_boliger", "eiendom"): "2.249"})
    import_rejected(path, data_copy, "sheet 'eiendom_aktivitet', cell", "could mean 2,249 or 2249")


def test_year_present_without_replace(template_2018, data_copy, tmp_path):
    path = tmp_path / "mal-2018.xlsx"
    fill(template_2018, path, {ARSVERK_DIGIT: 105.0}, year=2018)
    out = import_rejected(
        path,
        data_copy,
        "sheet 'osu_arsverk', cell J4",
        "expected no figure for arsverk / digit 2018, which data/osu_arsverk.csv already has (104,4), found 105,0",
        "--replace",
    )
    assert "1 problem(s)" in out  # the other prefilled 2018 figures are unchanged: no conflict


def test_unchanged_prefilled_year_is_nothing_to_import(data_copy, tmp_path):
    path = tmp_path / "mal-2018.xlsx"
    build_template(data_copy, 2018, path, ["osu_arsverk", "adm_kpi"])
    before = tree_hash(data_copy)
    result = run("import", path, "--data-dir", data_copy)
    assert result.exit_code == 0, result.output
    assert "nothing to import" in result.output and "8 unchanged" in result.output  # adm_kpi's two copied same facts are not read
    assert tree_hash(data_copy) == before


def test_a_year_can_be_filled_in_rounds(data_copy, tmp_path):
    first, second = tmp_path / "runde1.xlsx", tmp_path / "runde2.xlsx"
    build_template(data_copy, YEAR, first, ["osu_arsverk"])
    fill(first, first, {ARSVERK_DIGIT: 110})
    assert run("import", first, "--data-dir", data_copy).exit_code == 0
    build_template(data_copy, YEAR, second, ["osu_arsverk"])  # digit's 2019 is now filled in
    assert load_workbook(second)["osu_arsverk"]["K4"].value == 110
    fill(second, second, {("osu_arsverk", "arsverk", "eiendom"): 215.3})
    result = run("import", second, "--data-dir", data_copy)
    assert result.exit_code == 0, result.output
    assert "osu_arsverk: 1 added, 0 replaced (2019)" in result.output and "1 unchanged" in result.output
    literals = read_observation_literals(data_copy / "osu_arsverk.csv")
    assert (literals[("arsverk", "digit", YEAR)], literals[("arsverk", "eiendom", YEAR)]) == ("110.0", "215.3")


def test_replace_prints_the_changes_then_writes(data_copy, tmp_path):
    path = tmp_path / "mal-2018.xlsx"
    build_template(data_copy, 2018, path, ["osu_arsverk"])
    fill(path, path, {ARSVERK_DIGIT: 105.0, ("osu_arsverk", "arsverk", "osu_total"): 646.7}, year=2018)
    result = run("import", path, "--replace", "--data-dir", data_copy)
    assert result.exit_code == 0, result.output
    assert "changes (old → new), 2 value(s):" in result.output
    assert "osu_arsverk arsverk / digit 2018: 104.4 → 105.0" in result.output
    assert "osu_arsverk arsverk / osu_total 2018: 657.7 → 646.7" in result.output
    assert result.output.index("104.4 → 105.0") < result.output.index("wrote:")
    assert "0 added, 2 replaced" in result.output and "2 unchanged" in result.output
    literals = read_observation_literals(data_copy / "osu_arsverk.csv")
    assert literals[("arsverk", "digit", 2018)] == "105.0"
    with (data_copy / "changelog.csv").open(encoding="utf-8", newline="") as fh:
        log = list(csv.DictReader(fh))
    assert {(r["group"], r["action"], r["old_value"], r["new_value"]) for r in log} == {
        ("digit", "replaced", "104.4", "105.0"),
        ("osu_total", "replaced", "657.7", "646.7"),
    }


def test_unknown_sheet(template, data_copy, tmp_path):
    path = tmp_path / "mal-2019.xlsx"
    fill(template, path, {ARSVERK_DIGIT: 110}, edit=lambda wb: wb.create_sheet("Ark1"))
    import_rejected(path, data_copy, "sheet 'Ark1', cell A1", "unknown sheet", "found 'Ark1'")


def test_unknown_indicator_row(template, data_copy, tmp_path):
    def rename(wb):
        wb["osu_arsverk"]["A3"] = "arsverket"

    path = tmp_path / "mal-2019.xlsx"
    fill(template, path, {ARSVERK_DIGIT: 110}, edit=rename)
    import_rejected(
        path,
        data_copy,
        "sheet 'osu_arsverk', cell A3",
        "expected an indicator id of osu_arsverk (arsverk), found 'arsverket', which is not an id in indicators.csv",
    )


def test_unknown_group_row(template, data_copy, tmp_path):
    def regroup(wb):
        wb["osu_arsverk"]["B3"] = "kommunen"

    path = tmp_path / "mal-2019.xlsx"
    fill(template, path, {ARSVERK_DIGIT: 110}, edit=regroup)
    import_rejected(
        path,
        data_copy,
        "sheet 'osu_arsverk', cell B3",
        "found 'kommunen', which is not a row of arsverk in this dataset",
    )


def test_renamed_column(template, data_copy, tmp_path):
    def rename(wb):
        wb["osu_arsverk"]["E1"] = "Måleenhet"

    path = tmp_path / "mal-2019.xlsx"
    fill(template, path, {ARSVERK_DIGIT: "mye"}, edit=rename)
    out = import_rejected(
        path,
        data_copy,
        "sheet 'osu_arsverk', cell E1",
        "expected the column header 'Enhet', found 'Måleenhet' (renamed or inserted column)",
    )
    assert "sheet 'osu_arsverk', cell K4" in out  # a renamed label column still lets the rows be checked


def test_renamed_year_column(template, data_copy, tmp_path):
    def rename(wb):
        wb["osu_arsverk"]["K1"] = "2019 (foreløpig)"

    path = tmp_path / "mal-2019.xlsx"
    fill(template, path, {ARSVERK_DIGIT: "mye"}, edit=rename)
    out = import_rejected(
        path,
        data_copy,
        "sheet 'osu_arsverk', cell K1",
        "expected the column header '2019', found '2019 (foreløpig)' (renamed or inserted column)",
    )
    assert "cell K4" not in out  # the new year's column is not where the template put it: its cells are not read


def test_reordered_column(template, data_copy, tmp_path):
    def swap(wb):
        ws = wb["osu_arsverk"]
        for row in ws.iter_rows():
            row[8].value, row[9].value = row[9].value, row[8].value  # columns I (2017) and J (2018)

    path = tmp_path / "mal-2019.xlsx"
    fill(template, path, {ARSVERK_DIGIT: 110}, edit=swap)
    out = import_rejected(
        path,
        data_copy,
        "sheet 'osu_arsverk', cell I1",
        "expected the column header '2017', found '2018', which belongs in column J (reordered column)",
    )
    assert "sheet 'osu_arsverk', cell J1" in out


def test_changed_previous_year(template, data_copy, tmp_path):
    def change(wb):
        wb["osu_arsverk"]["J4"] = 105

    path = tmp_path / "mal-2019.xlsx"
    fill(template, path, {ARSVERK_DIGIT: 110}, edit=change)
    import_rejected(
        path,
        data_copy,
        "sheet 'osu_arsverk', cell J4",
        "expected 2018's value as in data/ (104,4), found '105'",
    )


def test_duplicate_row(template, data_copy, tmp_path):
    def duplicate(wb):
        ws = wb["hr_laerlinger"]
        for col, cell in enumerate(ws[2], start=1):
            ws.cell(row=3, column=col, value=cell.value)

    path = tmp_path / "mal-2019.xlsx"
    fill(template, path, {("hr_laerlinger", "antall_laerlinger", "kommunen"): 90}, edit=duplicate)
    import_rejected(
        path,
        data_copy,
        "sheet 'hr_laerlinger', cell A3",
        "found antall_laerlinger / kommunen again",
    )


def test_every_problem_is_listed(template, data_copy, tmp_path):
    path = tmp_path / "mal-2019.xlsx"
    fill(
        template,
        path,
        {ARSVERK_DIGIT: "mye", ("osu_arsverk", "arsverk", "eiendom"): "#REF!", ("adm_kpi", "sykefravar_total", "kommunen"): "101 %"},
    )
    result = run("import", path, "--data-dir", data_copy)
    assert result.exit_code == 1
    assert "3 problem(s)" in result.output
    assert result.output.count("  - ") == 3


def test_staged_validation_failure_leaves_data_unchanged(template, data_copy, tmp_path, monkeypatch):
    import analysis.intake.apply as apply

    def broken(data_dir):
        return [Problem(f"{Path(data_dir).name}/osu_arsverk.csv", 2, "value", "simulated problem", "test")]

    path = tmp_path / "mal-2019.xlsx"
    fill(template, path, {ARSVERK_DIGIT: 110})
    monkeypatch.setattr(apply, "cached_problems", broken)
    import_rejected(path, data_copy, "the data after import", "data/osu_arsverk.csv, row 2, column 'value': simulated problem")


def test_import_rejected_sees_a_write_into_data(template, data_copy, tmp_path, monkeypatch):
    """The "data/ unchanged" check of ``import_rejected`` can fail: a rejected import that wrote anyway is caught."""
    import analysis.intake.plan as plan

    real = plan.plan_import

    def rejects_after_writing(*args, **kwargs):
        try:
            return real(*args, **kwargs)
        finally:
            (data_copy / "stray.txt").write_text("written by a broken import", encoding="utf-8")

    monkeypatch.setattr(plan, "plan_import", rejects_after_writing)
    path = tmp_path / "mal-2019.xlsx"
    fill(template, path, {ARSVERK_DIGIT: "mye"})
    with pytest.raises(AssertionError, match="data/ changed"):
        import_rejected(path, data_copy, "sheet 'osu_arsverk', cell K4", "found text 'mye'")


def test_import_records_the_data_it_wrote_as_valid(template, data_copy, tmp_path, monkeypatch):
    """The staged copy passed validation, so the same bytes in data/ are not validated again (by validate, run, setup)."""
    import analysis.data.validate as validate

    path = tmp_path / "mal-2019.xlsx"
    fill(template, path, {ARSVERK_DIGIT: 110})
    assert run("import", path, "--data-dir", data_copy).exit_code == 0

    def again(data_dir):
        raise AssertionError(f"validated {data_dir} again")

    monkeypatch.setattr(validate, "validate_data", again)
    assert cached_problems(data_copy) == []


def test_invalid_data_dir_is_refused_before_reading(template, data_copy, tmp_path):
    (data_copy / "osu_arsverk.csv").write_text("year,indicator,group,value\n2014,arsverk,digit,mye\n", encoding="utf-8")
    before = tree_hash(data_copy)
    result = run("import", template, "--data-dir", data_copy)
    assert result.exit_code == 1 and "data/ is not valid" in result.output
    assert tree_hash(data_copy) == before


# -- CSV export of one sheet ------------------------------------------------------------


@functools.cache
def _sheet_values(template: Path, sheet: str) -> tuple[tuple, ...]:
    """The cell values of one sheet of a (module-scoped, never changed) template, read once."""
    wb = load_workbook(template, read_only=True)
    try:
        return tuple(wb[sheet].iter_rows(values_only=True))
    finally:
        wb.close()


def _csv_rows(template: Path, sheet: str, new: dict[tuple[str, str], str], norwegian: bool) -> list[list[str]]:
    """The sheet as Excel would export it: numbers as displayed (Norwegian) or with a decimal point."""
    rows = []
    for r, row in enumerate(_sheet_values(template, sheet)):
        cells = []
        for c, v in enumerate(row):
            if r > 0 and isinstance(v, float | int) and c >= len(FIXED_HEADER):
                text = f"{v:.1f}" if isinstance(v, float) else str(v)
                v = text.replace(".", ",") if norwegian else text
            cells.append("" if v is None else str(v))
        if r > 0:
            cells[-2] = new.get((row[0], row[1]), "")
            cells[-1] = SOURCE if cells[-2] else cells[-1]
        rows.append(cells)
    return rows


def _osa_export(template: Path, folder: Path, encoding: str, delimiter: str) -> Path:
    """``osa_arsverk.csv`` as Excel saves it, with two 2019 figures typed the Norwegian way."""
    new = {("arsverk", "okonomi_og_virksomhetsstyring"): "62,6", ("arsverk", "hr_og_service"): "175,8"}
    rows = _csv_rows(template, "osa_arsverk", new, norwegian=True)
    path = folder / "osa_arsverk.csv"
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_export_is_read(full_template, data_copy, tmp_path, encoding, delimiter):
    """Every encoding and delimiter is read to the same plan (what is written does not depend on them: next test)."""
    path = _osa_export(full_template, tmp_path, encoding, delimiter)
    if encoding == "cp1252":
        assert "Økonomi".encode("cp1252") in path.read_bytes()
    if delimiter != ",":
        assert f"150,5{delimiter}" in path.read_text(encoding=encoding)  # plain decimal comma, not in quotes
    plan = plan_import(path, data_copy)
    added = {(v.dataset, v.indicator, v.group, v.year): v.literal for v in plan.added}
    assert added == {
        ("osa_arsverk", "arsverk", "okonomi_og_virksomhetsstyring", YEAR): "62.6",
        ("osa_arsverk", "arsverk", "hr_og_service", YEAR): "175.8",
    }
    assert not plan.changes and not plan.warnings


def test_csv_export_import(full_template, data_copy, tmp_path):
    path = _osa_export(full_template, tmp_path, "cp1252", ";")  # what Excel in Norwegian saves as "CSV"
    result = run("import", path, "--data-dir", data_copy)
    assert result.exit_code == 0, result.output
    literals = read_observation_literals(data_copy / "osa_arsverk.csv")
    assert literals[("arsverk", "okonomi_og_virksomhetsstyring", YEAR)] == "62.6"
    assert literals[("arsverk", "hr_og_service", YEAR)] == "175.8"
    assert "osa_arsverk: 2 added" in result.output


def test_csv_unquoted_decimal_comma_in_comma_file(template, data_copy, tmp_path):
    rows = _csv_rows(template, "hr_laerlinger", {("antall_laerlinger", "kommunen"): "90"}, norwegian=False)
    text = "\n".join(",".join(f'"{c}"' if "," in c else c for c in r) for r in rows)
    head, _, tail = text.rpartition(",90,")
    text = f"{head},90,5,{tail}"
    path = tmp_path / "hr_laerlinger.csv"
    path.write_text(text, encoding="utf-8")
    import_rejected(path, data_copy, "file 'hr_laerlinger.csv', cell", "must be in quotes")


def test_csv_dataset_option(template, data_copy, tmp_path):
    rows = _csv_rows(template, "hr_laerlinger", {("antall_laerlinger", "kommunen"): "90"}, norwegian=True)
    path = tmp_path / "eksport.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(rows)
    import_rejected(path, data_copy, "file 'eksport.csv'", "cannot tell which dataset")
    result = run("import", path, "--dataset", "hr_laerlinger", "--data-dir", data_copy)
    assert result.exit_code == 0, result.output
    assert read_observation_literals(data_copy / "hr_laerlinger.csv")[("antall_laerlinger", "kommunen", YEAR)] == "90"


def test_csv_named_with_a_suffix(full_template, data_copy, tmp_path):
    rows = _csv_rows(full_template, "osu_driftsutgifter", {("lonnsutgifter", "osu_total"): "600,1"}, norwegian=True)
    path = tmp_path / "osu_driftsutgifter-2019.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(rows)
    plan = plan_import(path, data_copy)
    assert plan.filled == ["osu_driftsutgifter"] and [v.literal for v in plan.added] == ["600.1"]


# -- changelog -------------------------------------------------------------------------


def test_changelog_records_each_import(template, data_copy, tmp_path):
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    fill(template, first, {ARSVERK_DIGIT: 110})
    fill(template, second, {("hr_laerlinger", "antall_laerlinger", "kommunen"): 90})
    for path in (first, second):
        assert run("import", path, "--data-dir", data_copy).exit_code == 0
    with (data_copy / "changelog.csv").open(encoding="utf-8", newline="") as fh:
        log = list(csv.DictReader(fh))
    assert [r["source_file"] for r in log] == ["a.xlsx", "b.xlsx"]
    assert log[0]["sha256"] == hashlib.sha256(first.read_bytes()).hexdigest()
    assert log[0]["imported_at"].endswith("Z") and datetime.strptime(log[0]["imported_at"], "%Y-%m-%dT%H:%M:%SZ")
    assert (log[0]["dataset"], log[0]["year"], log[0]["action"]) == ("osu_arsverk", "2019", "added")
    assert cached_problems(data_copy) == []


def test_changelog_rows_per_value(data_copy, tmp_path):
    assert cached_problems(data_copy) == []  # the real data: validated once per content
    path = tmp_path / "mal-2018.xlsx"
    build_template(data_copy, 2018, path, ["osu_arsverk"])
    fill(path, path, {ARSVERK_DIGIT: 105.0}, year=2018)
    assert run("import", path, "--replace", "--data-dir", data_copy).exit_code == 0
    mal = tmp_path / "mal-2019.xlsx"
    build_template(data_copy, 2019, mal, ["hr_laerlinger"])
    fill(mal, mal, {("hr_laerlinger", "antall_laerlinger", "kommunen"): 90})
    assert run("import", mal, "--data-dir", data_copy).exit_code == 0
    with (data_copy / "changelog.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["dataset"], r["year"], r["group"], r["action"], r["old_value"], r["new_value"]) for r in rows] == [
        ("osu_arsverk", "2018", "digit", "replaced", "104.4", "105.0"),
        ("hr_laerlinger", "2019", "kommunen", "added", "", "90"),
    ]
    assert not (data_copy / "changelog.yaml").exists()
    assert cached_problems(data_copy) == []


# -- the SYNTHETIC fixture for the lead's end-to-end test --------------------------------


def test_synthetic_fixture_imports(data_copy):
    workbook = FIXTURE / "SYNTHETIC_mal-2019_utfylt.xlsx"
    assert "SYNTHETIC" in (FIXTURE / "README.md").read_text(encoding="utf-8")
    result = run("import", workbook, "--data-dir", data_copy)
    assert result.exit_code == 0, result.output
    with (FIXTURE / "SYNTHETIC_mal-2019_forventet.csv").open(encoding="utf-8", newline="") as fh:
        expected = list(csv.DictReader(fh))
    with (data_copy / "provenance.csv").open(encoding="utf-8", newline="") as fh:
        credits = list(csv.DictReader(fh))
    for r in expected:
        literals = read_observation_literals(data_copy / f"{r['dataset']}.csv")
        assert literals[(r["indicator"], r["group"], int(r["year"]))] == r["value"], r
        credit = credit_for(credits, r["dataset"], int(r["year"]), r["indicator"], r["group"])
        assert credit == Credit("workbook", r["source"]), r  # the Kilde cell, typed or kept as prefilled
    assert f"{len(expected)} value(s) added" in result.output
    assert cached_problems(data_copy) == []


def test_not_a_workbook(data_copy, tmp_path):
    path = tmp_path / "mal-2019.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0 old excel")
    import_rejected(path, data_copy, "file 'mal-2019.xls'", "expected a workbook (.xlsx or .ods)")
    broken = tmp_path / "mal-2019.xlsx"
    broken.write_bytes(b"not a zip")
    import_rejected(broken, data_copy, "file 'mal-2019.xlsx'", "openpyxl cannot read")


def test_workbook_with_broken_xml_is_refused_in_one_line(template, data_copy, tmp_path):
    path = tmp_path / "mal-2019.xlsx"
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, b'<workbook><sheets><sheet name="x"' if item.filename == "xl/workbook.xml" else src.read(item.filename))
    out = import_rejected(path, data_copy, "file 'mal-2019.xlsx'", "openpyxl cannot read")
    assert "Traceback" not in out


def test_dataset_option_is_for_csv_only(template, data_copy):
    result = run("import", template, "--dataset", "osu_arsverk", "--data-dir", data_copy)
    assert result.exit_code == 2 and "CSV files only" in result.output

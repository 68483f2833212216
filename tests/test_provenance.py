"""Provenance per year (issue 11, item 5): every figure carries its source, and the book names the source of every year.

``data/provenance.csv`` credits each observation (a row per dataset and year, or per series); ``validate``
refuses a figure without a credit; the template's *Kilde* column asks for the new year's source per row
(prefilled with the year before's) and the import records it; ``Book.source_note`` names each source with
its years. Every import here runs on a copy of data/ with SYNTHETIC figures and SYNTHETIC sources.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import analysis as va
from analysis.cli.main import app
from analysis.config import DATA_DIR
from analysis.data.package import read_descriptor, resource
from analysis.data.provenance import DOCUMENT, Credit, credit_for, merge_credits
from analysis.data.sources import credited_note, source_note, source_text, year_span
from analysis.data.validate import validate_data
from analysis.intake.apply import apply_import
from analysis.intake.check import NewValue
from analysis.intake.plan import ImportPlan
from analysis.intake.problems import ImportRejected
from analysis.intake.workbook import build_template
from helpers import tree_hash

YEAR = 2019
SYNTHETIC = "SYNTETISK: Bærum kommune, HR-systemet (oppdiktet)"
OTHER = "SYNTETISK: Bærum kommune, lønnssystemet (oppdiktet)"
# osu_arsverk in the 2019 template: 2014-2018 in F-J, 2019 in K, Kilde in L; rows osu_total, osa, digit, eiendom
ROWS = {"osu_total": 2, "osa": 3, "digit": 4, "eiendom": 5}
SYNTHETIC_2019 = {"osu_total": "664,6", "osa": "339,6", "digit": "110,0", "eiendom": "215,0"}


def invoke(*args):
    """The command; an import accepts figures the review flags (tests/test_review.py tests the review)."""
    extra = ["--accept-flagged"] if args and args[0] == "import" else []
    return CliRunner().invoke(app, [str(a) for a in args] + extra)


def provenance(data: Path) -> list[dict[str, str]]:
    with (data / "provenance.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def rows_for(data: Path, dataset: str, year: int) -> list[tuple[str, str, str, str]]:
    return [
        (r["indicator"], r["group"], r["kind"], r["source"]) for r in provenance(data) if (r["dataset"], r["year"]) == (dataset, str(year))
    ]


def document_text(dataset: str) -> str:
    return source_text(resource(read_descriptor(DATA_DIR), dataset))


def append(path: Path, line: str) -> int:
    """Append a line to a CSV file; its row number (the header is row 1)."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text + line + "\n", encoding="utf-8")
    return len(text.splitlines()) + 1


def template(data: Path, path: Path, year: int = YEAR, datasets=("osu_arsverk",)) -> Path:
    build_template(data, year, path, list(datasets))
    return path


def fill(path: Path, cells: dict[str, object], sheet: str = "osu_arsverk") -> Path:
    wb = load_workbook(path)
    for ref, value in cells.items():
        wb[sheet][ref] = value
    wb.save(path)
    return path


def all_2019(source: str | None = None) -> dict[str, object]:
    """The four osu_arsverk cells for 2019 (SYNTHETIC figures), with ``source`` in Kilde when given."""
    cells: dict[str, object] = {f"K{r}": SYNTHETIC_2019[g] for g, r in ROWS.items()}
    if source is not None:
        cells |= {f"L{r}": source for r in ROWS.values()}
    return cells


# -- the committed data ------------------------------------------------------------------------


def test_committed_data_credit_every_year_to_the_document():
    desc = read_descriptor(DATA_DIR)
    rows = provenance(DATA_DIR)
    assert {r["kind"] for r in rows} == {"document"} and not any(r["indicator"] or r["group"] or r["source"] for r in rows)
    for ds in (r["name"] for r in desc["resources"] if r.get("schema") == "observation.schema.yaml"):
        with (DATA_DIR / resource(desc, ds)["path"]).open(encoding="utf-8", newline="") as fh:
            years = {r["year"] for r in csv.DictReader(fh)}
        assert {r["year"] for r in rows if r["dataset"] == ds} == years, ds


def test_note_with_every_year_from_the_document_is_the_descriptor_note(b18):
    for ds in b18.datasets():
        assert b18.source_note(ds) == source_note(b18.meta(ds)), ds
    assert b18.source_note("osu_arsverk", "adm_kpi") == source_note(b18.meta("osu_arsverk"), b18.meta("adm_kpi"))
    assert "(20" not in b18.source_note("osu_arsverk")


def test_year_span():
    assert year_span([2016, 2014, 2015]) == "2014–2016"
    assert year_span([2019]) == "2019"
    assert year_span([2014, 2015, 2016, 2018]) == "2014–2016, 2018"


def test_credited_note_orders_sources_by_their_first_year():
    res = {"sources": [{"title": "Dok", "section": "1.1", "table": "Tabell"}]}
    hr = Credit("workbook", "Bærum kommune, HR-systemet.")
    note = credited_note([(res, {2014: {DOCUMENT}, 2015: {DOCUMENT}, 2016: {hr}, 2017: {DOCUMENT}})])
    assert note == "Kilde: Dok, kapittel 1.1, «Tabell» (2014–2015, 2017); Bærum kommune, HR-systemet (2016)."
    assert credited_note([(res, {2014: {DOCUMENT}})]) == source_note(res) == "Kilde: Dok, kapittel 1.1, «Tabell»."


# -- validate --------------------------------------------------------------------------------------


def test_validate_refuses_a_figure_without_a_source(data_copy):
    row = append(data_copy / "osu_arsverk.csv", "2019,arsverk,digit,110.0")  # written by hand, not by import
    problems = [p for p in validate_data(data_copy) if p.kind == "uncredited"]
    assert [(p.file, p.row) for p in problems] == [("data/osu_arsverk.csv", row)], problems
    msg = problems[0].message
    assert "osu_arsverk arsverk / digit 2019 has no source" in msg
    assert "expected a row in data/provenance.csv for osu_arsverk 2019 or for this series, found none" in msg
    assert "virksomhetsanalyse import` writes it" in msg and "add the row by hand" in msg
    result = invoke("validate", "--data-dir", data_copy)
    assert result.exit_code == 1 and f"data/osu_arsverk.csv, row {row}: osu_arsverk arsverk / digit 2019 has no source" in result.output
    append(data_copy / "provenance.csv", f'osu_arsverk,2019,arsverk,digit,workbook,"{SYNTHETIC}",,,')
    assert validate_data(data_copy) == []


def test_uncredited_figures_are_capped_per_file(data_copy):
    lines = (data_copy / "provenance.csv").read_text(encoding="utf-8").splitlines()
    (data_copy / "provenance.csv").write_text("\n".join(lines[:1]) + "\n", encoding="utf-8")
    problems = validate_data(data_copy)
    assert {p.kind for p in problems} == {"uncredited"}
    result = invoke("validate", "--data-dir", data_copy)
    assert result.exit_code == 1
    assert result.output.count("data/osu_arsverk.csv, row") == 5 and "more of the same kind in data/osu_arsverk.csv" in result.output


@pytest.mark.parametrize(
    ("line", "column", "kind", "words"),
    [
        (
            "osu_arsverkk,2018,,,document,,,,",
            "dataset",
            "unknown-id",
            "unknown dataset 'osu_arsverkk': expected an observation dataset of datapackage.yaml; did you mean osu_arsverk?",
        ),
        ("osu_arsverk,2018,arsverk,digit,workbook,,,,", "source", "missing-value", "kind 'workbook' needs the source"),
        (
            "osu_arsverk,2018,arsverk,digit,ssb,SSB tabell 1,,,2020-06-20T10:00:00Z",
            "url",
            "missing-value",
            "kind 'ssb' needs the query URL",
        ),
        (
            "osu_arsverk,2018,arsverk,digit,ssb,SSB tabell 1,https://data.ssb.no/x,,",
            "fetched",
            "missing-value",
            "kind 'ssb' needs the time the figures were fetched",
        ),
        (
            "osu_arsverk,2018,arsverk,digit,ssb,SSB tabell 1,https://data.ssb.no/x,,i går",
            "fetched",
            "wrong-type",
            "found 'i går'",
        ),
        ("osu_arsverk,2018,arsverk,,workbook,X,,,", "group", "missing-value", "found indicator 'arsverk' and an empty group"),
        ("osu_arsverk,2018,arsverk,kommunen,workbook,X,,,", "indicator", "dangling-reference", "no value arsverk / kommunen in 2018"),
        ("osu_arsverk,2018,arsverk,digit,document,Egen kilde,,,", "source", "provenance", "expected an empty source, found 'Egen kilde'"),
    ],
)
def test_a_malformed_credit_is_named_by_row_and_column(data_copy, line, column, kind, words):
    row = append(data_copy / "provenance.csv", line)
    problems = validate_data(data_copy)
    assert [(p.file, p.row, p.column, p.kind) for p in problems] == [("data/provenance.csv", row, column, kind)], problems
    assert words in problems[0].message


def test_a_year_row_whose_figures_were_deleted_is_allowed(data_copy):
    append(data_copy / "provenance.csv", "osu_arsverk,2012,,,document,,,,")
    assert validate_data(data_copy) == []


def test_a_broken_provenance_file_does_not_cascade(data_copy):
    """A schema error in provenance.csv is reported alone: no figure is called uncredited because of it."""
    row = append(data_copy / "provenance.csv", "osu_arsverk,2019,,,dokument,,,,")
    append(data_copy / "osu_arsverk.csv", "2019,arsverk,digit,110.0")
    problems = validate_data(data_copy)
    assert [(p.file, p.row, p.column) for p in problems] == [("data/provenance.csv", row, "kind")], problems


def test_a_broken_observation_file_is_not_judged_against_provenance(data_copy):
    (data_copy / "osu_arsverk.csv").write_text("year,indicator,group,value\n2014,arsverk,digit,mye\n", encoding="utf-8")
    problems = validate_data(data_copy)
    assert {p.file for p in problems} == {"data/osu_arsverk.csv"}, problems


def test_a_package_without_the_provenance_resource_is_refused(data_copy):
    text = (data_copy / "datapackage.yaml").read_text(encoding="utf-8")
    start = text.index("- name: provenance\n")
    end = text.find("\n- name:", start + 1)
    (data_copy / "datapackage.yaml").write_text(text[:start] + (text[end + 1 :] if end != -1 else ""), encoding="utf-8")
    (data_copy / "provenance.csv").unlink()
    problems = validate_data(data_copy)
    assert [(p.file, p.kind) for p in problems] == [("data/datapackage.yaml", "missing-resource")], problems
    assert "no resource 'provenance'" in problems[0].message


# -- the workbook: Kilde per row -------------------------------------------------------------------


def test_kilde_is_open_and_empty_where_the_year_before_is_the_report(data_copy, tmp_path):
    """The report cannot hold a later year's figure: its credit is never carried over (issue 21); a chosen source is (below)."""
    ws = load_workbook(template(data_copy, tmp_path / "mal.xlsx"))["osu_arsverk"]
    assert ws["L1"].value == "Kilde"
    for r in ROWS.values():
        assert ws[f"L{r}"].value is None and ws[f"L{r}"].protection.locked is False
    assert ws["J4"].protection.locked and ws["C4"].protection.locked


def test_workbook_round_trip_records_the_source_and_the_book_names_it(data_copy, tmp_path):
    mal = template(data_copy, tmp_path / "mal-2019.xlsx")
    fill(mal, all_2019(SYNTHETIC))
    result = invoke("import", mal, "--data-dir", data_copy)
    assert result.exit_code == 0, result.output
    assert "provenance.csv" in result.output
    assert rows_for(data_copy, "osu_arsverk", YEAR) == [("", "", "workbook", SYNTHETIC)]  # one credit for all: one row
    assert validate_data(data_copy) == []
    doc = document_text("osu_arsverk")
    assert va.setup(YEAR, data_copy).source_note("osu_arsverk") == f"Kilde: {doc} (2014–2018); {SYNTHETIC} (2019)."
    assert va.setup(2018, data_copy).source_note("osu_arsverk") == f"Kilde: {doc}."  # 2018's book does not change
    nxt = load_workbook(template(data_copy, tmp_path / "mal-2020.xlsx", 2020))["osu_arsverk"]
    assert nxt["M4"].value == SYNTHETIC  # the 2020 template asks again, with 2019's source


def test_mixed_sources_in_one_year_are_credited_per_series(data_copy, tmp_path):
    mal = template(data_copy, tmp_path / "mal-2019.xlsx")
    fill(mal, all_2019(SYNTHETIC) | {"L4": OTHER})  # digit from another source than the others
    assert invoke("import", mal, "--data-dir", data_copy).exit_code == 0
    doc = document_text("osu_arsverk")
    credited = rows_for(data_copy, "osu_arsverk", YEAR)
    assert sorted(credited) == sorted([("arsverk", g, "workbook", OTHER if g == "digit" else SYNTHETIC) for g in ROWS])
    note = va.setup(YEAR, data_copy).source_note("osu_arsverk")
    assert note.startswith(f"Kilde: {doc} (2014–2018); ") and f"{SYNTHETIC} (2019)" in note and f"{OTHER} (2019)" in note


def test_empty_kilde_is_refused_naming_the_cell(data_copy, tmp_path):
    mal = template(data_copy, tmp_path / "mal-2019.xlsx")
    fill(mal, {"K4": "110,0", "L4": None})
    before = tree_hash(data_copy)
    result = invoke("import", mal, "--data-dir", data_copy)
    assert result.exit_code == 1, result.output
    assert "sheet 'osu_arsverk', cell L4: expected the source of the 2019 figure in K4" in result.output
    assert "found an empty cell" in result.output and "nothing was written" in result.output
    assert tree_hash(data_copy) == before


def test_a_changed_source_without_a_figure_is_a_warning(data_copy, tmp_path):
    mal = template(data_copy, tmp_path / "mal-2019.xlsx")
    fill(mal, {"K4": "110,0", "L4": SYNTHETIC, "L5": OTHER})  # eiendom has no 2019 figure
    result = invoke("import", mal, "--data-dir", data_copy)
    assert result.exit_code == 0, result.output
    warning = f"warning: sheet 'osu_arsverk', cell L5: the source was changed to '{OTHER}', but the row has no new or changed 2019 figure"
    assert warning in result.output
    assert rows_for(data_copy, "osu_arsverk", YEAR) == [("", "", "workbook", SYNTHETIC)]


def test_dry_run_writes_no_source(data_copy, tmp_path):
    mal = fill(template(data_copy, tmp_path / "mal-2019.xlsx"), all_2019(SYNTHETIC))
    before = tree_hash(data_copy)
    result = invoke("import", mal, "--dry-run", "--data-dir", data_copy)
    assert result.exit_code == 0, result.output
    assert "would write: osu_arsverk.csv, provenance.csv, changelog.csv" in result.output
    assert tree_hash(data_copy) == before


def test_replace_changes_the_credit_of_the_series(data_copy, tmp_path):
    mal = template(data_copy, tmp_path / "mal-2018.xlsx", 2018)
    fill(mal, {"J4": 105.0, "K4": SYNTHETIC})  # 2018 in J, Kilde in K
    assert invoke("import", mal, "--replace", "--data-dir", data_copy).exit_code == 0
    assert rows_for(data_copy, "osu_arsverk", 2018) == [("", "", "document", ""), ("arsverk", "digit", "workbook", SYNTHETIC)]
    doc = document_text("osu_arsverk")
    assert va.setup(2018, data_copy).source_note("osu_arsverk") == f"Kilde: {doc} (2014–2018); {SYNTHETIC} (2018)."
    again = template(data_copy, tmp_path / "mal-2018b.xlsx", 2018)
    assert load_workbook(again)["osu_arsverk"]["K4"].value == SYNTHETIC  # the correction template shows the current credit
    fill(again, {"J4": 105.5, "K4": OTHER})
    assert invoke("import", again, "--replace", "--data-dir", data_copy).exit_code == 0
    assert rows_for(data_copy, "osu_arsverk", 2018) == [("", "", "document", ""), ("arsverk", "digit", "workbook", OTHER)]
    assert validate_data(data_copy) == []


# -- a CSV export of one sheet ------------------------------------------------------------------------


def _csv(path: Path, with_source: bool) -> Path:
    """osu_arsverk as Excel saves it (semicolons), 2019 filled for digit; with or without the Kilde column."""
    head = ["indikator_id", "gruppe_id", "Indikator", "Gruppe", "Enhet", "2014", "2015", "2016", "2017", "2018", "2019"]
    wb = load_workbook(template(DATA_DIR, path.with_suffix(".xlsx")))
    shown = {type(None): lambda v: "", str: str, int: str, float: lambda v: str(v).replace(".", ",")}
    rows = [[shown[type(c.value)](c.value) for c in r] for r in wb["osu_arsverk"].iter_rows(min_row=2)]
    body = [r[: len(head)] + ([r[len(head)]] if with_source else []) for r in rows]
    body[2][10] = "110,0"  # digit, 2019
    if with_source:
        body[2][11] = SYNTHETIC
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(head + (["Kilde"] if with_source else []))
        w.writerows(body)
    return path


def test_csv_with_the_kilde_column_records_its_source(data_copy, tmp_path):
    path = _csv(tmp_path / "osu_arsverk.csv", with_source=True)
    assert invoke("import", path, "--data-dir", data_copy).exit_code == 0
    assert rows_for(data_copy, "osu_arsverk", YEAR) == [("", "", "workbook", SYNTHETIC)]


def test_csv_without_kilde_needs_source_option(data_copy, tmp_path):
    path = _csv(tmp_path / "osu_arsverk.csv", with_source=False)
    before = tree_hash(data_copy)
    result = invoke("import", path, "--data-dir", data_copy)
    assert result.exit_code == 1, result.output
    assert "file 'osu_arsverk.csv', cell L1: expected the column 'Kilde' after 2019 with the source of each 2019 figure" in result.output
    assert "--source TEXT" in result.output and tree_hash(data_copy) == before
    result = invoke("import", path, "--source", f"  {SYNTHETIC} ", "--data-dir", data_copy)
    assert result.exit_code == 0, result.output
    assert rows_for(data_copy, "osu_arsverk", YEAR) == [("", "", "workbook", SYNTHETIC)]


def test_source_option_is_for_csv_only(data_copy, tmp_path):
    mal = fill(template(data_copy, tmp_path / "mal-2019.xlsx"), {"K4": "110,0"})
    result = invoke("import", mal, "--source", SYNTHETIC, "--data-dir", data_copy)
    assert result.exit_code == 2 and "--source applies to CSV files only" in result.output
    result = invoke("import", _csv(tmp_path / "osu_arsverk.csv", False), "--source", " ", "--data-dir", data_copy)
    assert result.exit_code == 2 and "--source needs the source as text" in result.output


# -- apply_import writes any credit (SSB's too) ------------------------------------------------------


def _plan(values: list[NewValue]) -> ImportPlan:
    return ImportPlan(Path("SYNTHETIC-ssb.json"), "0" * 64, False, added=values, datasets=sorted({v.dataset for v in values}))


def test_apply_import_records_an_ssb_credit(data_copy):
    ssb = Credit(
        "ssb", "SYNTETISK: SSB, Statistikkbanken, tabell 12362", "https://data.ssb.no/api/x", "2020-06-15T08:00:00Z", "2020-06-20T10:00:00Z"
    )
    values = [NewValue("hr_laerlinger", "antall_laerlinger", "kommunen", YEAR, "90", "SSB", "12362", ssb)]
    assert "provenance.csv" in apply_import(_plan(values), data_copy)
    (row,) = [r for r in provenance(data_copy) if r["year"] == str(YEAR)]
    assert Credit.from_row(row) == ssb and credit_for(provenance(data_copy), "hr_laerlinger", YEAR, "antall_laerlinger", "kommunen") == ssb
    assert validate_data(data_copy) == []
    assert va.setup(YEAR, data_copy).source_note("hr_laerlinger").endswith(f"(2013–2018); {ssb.source} (2019).")


def test_apply_import_refuses_a_value_without_credit(data_copy):
    before = tree_hash(data_copy)
    with pytest.raises(ImportRejected, match="expected the source of the figure"):
        apply_import(_plan([NewValue("hr_laerlinger", "antall_laerlinger", "kommunen", YEAR, "90", "x", "A1")]), data_copy)
    assert tree_hash(data_copy) == before


# -- merge_credits: compact rows --------------------------------------------------------------------


A, B = Credit("workbook", "A"), Credit("workbook", "B")


def _keys(rows):
    return [(r["dataset"], r["year"], r["indicator"], r["group"], r["source"]) for r in rows]


def test_merge_one_credit_for_a_new_year_is_one_row():
    figures = {("d", 2019): {("i", "g1"), ("i", "g2")}}
    rows = merge_credits([], [(("d", 2019, "i", "g1"), A), (("d", 2019, "i", "g2"), A)], figures)
    assert _keys(rows) == [("d", "2019", "", "", "A")]


def test_merge_a_later_round_with_another_source_adds_series_rows():
    figures = {("d", 2019): {("i", "g1"), ("i", "g2"), ("i", "g3")}}
    first = merge_credits([], [(("d", 2019, "i", "g1"), A)], {("d", 2019): {("i", "g1")}})
    rows = merge_credits(first, [(("d", 2019, "i", "g2"), A), (("d", 2019, "i", "g3"), B)], figures)
    assert _keys(rows) == [("d", "2019", "", "", "A"), ("d", "2019", "i", "g3", "B")]


def test_merge_replacing_every_figure_of_a_year_replaces_its_row():
    old = merge_credits([], [(("d", 2018, "i", "g1"), DOCUMENT), (("d", 2018, "i", "g2"), B)], {("d", 2018): {("i", "g1"), ("i", "g2")}})
    assert _keys(old) == [("d", "2018", "i", "g1", ""), ("d", "2018", "i", "g2", "B")]
    rows = merge_credits(old, [(("d", 2018, "i", "g1"), A), (("d", 2018, "i", "g2"), A)], {("d", 2018): {("i", "g1"), ("i", "g2")}})
    assert _keys(rows) == [("d", "2018", "", "", "A")]


def test_merge_a_series_back_to_the_year_credit_drops_its_row():
    old = [{"dataset": "d", "year": "2018", "indicator": "", "group": "", "kind": "document"}]
    old += [{"dataset": "d", "year": "2018", "indicator": "i", "group": "g1", "kind": "workbook", "source": "B"}]
    rows = merge_credits(old, [(("d", 2018, "i", "g1"), DOCUMENT)], {("d", 2018): {("i", "g1"), ("i", "g2")}})
    assert _keys(rows) == [("d", "2018", "", "", "")]

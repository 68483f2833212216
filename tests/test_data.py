"""Validation of data/: the real package is valid, and every kind of bad input
gets its own clear error naming file, row and column, without touching data/."""

import csv
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from analysis.calc.numbers import value_decimals
from analysis.cli.main import app
from analysis.config import DATA_DIR
from analysis.data.load import load_observations, load_table
from analysis.data.package import observation_names, read_descriptor
from analysis.data.problems import DataError
from analysis.data.validate import validate_data
from helpers import edit_line, tree_hash


def test_real_data_is_valid():
    assert validate_data(DATA_DIR) == []


def test_every_dataset_has_a_source_with_section():
    desc = read_descriptor(DATA_DIR)
    for r in desc["resources"]:
        if r["name"] in ("units", "indicators", "groups", "changelog", "kostra_mapping", "kostra_municipalities"):
            continue  # lookups, the import log and the KOSTRA mapping (which cites web pages) are ours, not the source's
        assert r.get("sources"), r["name"]
        for s in r["sources"]:
            assert s.get("document") and s.get("section") and s.get("table"), r["name"]


def test_every_column_is_described():
    import yaml

    schema = yaml.safe_load((DATA_DIR / "observation.schema.yaml").read_text(encoding="utf-8"))
    assert all(f.get("description") for f in schema["fields"])


def test_value_decimals_from_literal():
    assert value_decimals("4.0") == 1
    assert value_decimals("36") == 0
    assert value_decimals("134.54") == 2


def test_load_observations_until_year():
    df = load_observations("osu_arsverk", until=2017)
    assert df["year"].max() == 2017
    assert set(df.columns) == {"year", "indicator", "group", "value", "decimals"}


def test_load_table_types():
    ind = load_table("indicators")
    assert ind.schema["direction"].is_integer()
    tf = load_table("text_figures")
    assert tf.schema["approximate"].to_python() is bool


# -- bad input: one test per kind ------------------------------------------------


def _problems(data: Path):
    return validate_data(data)


def _one(problems, kind):
    hits = [p for p in problems if p.kind == kind]
    assert hits, f"no {kind} problem in {[str(p) for p in problems]}"
    return hits[0]


def test_missing_file(data_copy):
    (data_copy / "osu_arsverk.csv").unlink()
    p = _one(_problems(data_copy), "missing-file")
    assert p.file == "data/osu_arsverk.csv"
    assert "not found" in str(p)


def test_missing_column(data_copy):
    f = data_copy / "osu_arsverk.csv"
    text = f.read_text(encoding="utf-8").splitlines()
    f.write_text("\n".join(",".join(line.split(",")[:3]) for line in text) + "\n", encoding="utf-8")
    p = _one(_problems(data_copy), "missing-column")
    assert (p.file, p.row, p.column) == ("data/osu_arsverk.csv", 1, "value")


def test_unexpected_column(data_copy):
    f = data_copy / "osu_arsverk.csv"
    text = f.read_text(encoding="utf-8").splitlines()
    f.write_text("\n".join([text[0] + ",kommentar"] + [t + ",x" for t in text[1:]]) + "\n", encoding="utf-8")
    p = _one(_problems(data_copy), "unexpected-column")
    assert (p.row, p.column) == (1, "kommentar")


def test_renamed_column(data_copy):
    edit_line(data_copy / "osu_arsverk.csv", 1, lambda s: s.replace("value", "verdi"))
    problems = _problems(data_copy)
    assert any(p.row == 1 and p.file == "data/osu_arsverk.csv" for p in problems), problems


def test_wrong_type(data_copy):
    edit_line(data_copy / "osu_arsverk.csv", 3, lambda s: s.rsplit(",", 1)[0] + ",mye")
    p = _one(_problems(data_copy), "wrong-type")
    assert (p.file, p.row, p.column) == ("data/osu_arsverk.csv", 3, "value")
    assert "'mye'" in p.message


def test_wrong_year_type(data_copy):
    edit_line(data_copy / "osu_arsverk.csv", 2, lambda s: "2014.5" + s[4:])
    p = _one(_problems(data_copy), "wrong-type")
    assert (p.row, p.column) == (2, "year")


def test_norwegian_number_split_by_comma(data_copy):
    # "1 422,3" written into a comma-separated file
    edit_line(data_copy / "osu_driftsutgifter.csv", 2, lambda s: s.rsplit(",", 1)[0] + ",1 422,3")
    p = _one(_problems(data_copy), "norwegian-number")
    assert (p.file, p.row, p.column) == ("data/osu_driftsutgifter.csv", 2, "value")
    assert "1422.3" in p.message


def test_norwegian_number_quoted(data_copy):
    edit_line(data_copy / "osu_driftsutgifter.csv", 2, lambda s: s.rsplit(",", 1)[0] + ',"1 422,3"')
    p = _one(_problems(data_copy), "norwegian-number")
    assert p.row == 2 and "1422.3" in p.message


def test_duplicate_key(data_copy):
    f = data_copy / "osu_arsverk.csv"
    lines = f.read_text(encoding="utf-8").splitlines()
    f.write_text("\n".join(lines + [lines[1]]) + "\n", encoding="utf-8")
    p = _one(_problems(data_copy), "duplicate-key")
    assert p.file == "data/osu_arsverk.csv" and p.row == len(lines) + 1


def test_negative_arsverk(data_copy):
    edit_line(data_copy / "osu_arsverk.csv", 2, lambda s: s.rsplit(",", 1)[0] + ",-3.0")
    p = _one(_problems(data_copy), "out-of-range")
    assert (p.file, p.row, p.column) == ("data/osu_arsverk.csv", 2, "value")
    assert "årsverk" in p.message


def test_share_above_100(data_copy):
    f = data_copy / "hr_heltid_deltid.csv"
    edit_line(f, 2, lambda s: s.rsplit(",", 1)[0] + ",112")
    p = _one(_problems(data_copy), "out-of-range")
    assert (p.file, p.row, p.column) == ("data/hr_heltid_deltid.csv", 2, "value")
    assert "100" in p.message


def test_unknown_unit(data_copy):
    def set_unit(line: str) -> str:
        cells = next(csv.reader([line]))
        cells[2] = "mill_euro"
        return ",".join(f'"{c}"' if "," in c else c for c in cells)

    edit_line(data_copy / "indicators.csv", 2, set_unit)
    p = _one(_problems(data_copy), "unknown-id")
    assert p.file == "data/indicators.csv" and p.row == 2 and p.column == "unit"
    assert "mill_euro" in p.message


def test_unknown_indicator(data_copy):
    edit_line(data_copy / "osu_arsverk.csv", 2, lambda s: s.replace("arsverk", "arsverket", 1))
    p = _one(_problems(data_copy), "unknown-id")
    assert (p.file, p.row, p.column) == ("data/osu_arsverk.csv", 2, "indicator")


def test_dangling_reference_in_printed_derived(data_copy):
    edit_line(data_copy / "printed_derived.csv", 2, lambda s: s.replace(",20", ",19", 1))
    p = _one(_problems(data_copy), "dangling-reference")
    assert p.file == "data/printed_derived.csv" and p.row == 2


def test_a_clean_file_is_checked_again_when_a_lookup_it_refers_to_changes(data_copy):
    """The schema check remembers the files it found clean (``analysis.data.schema``); a file whose bytes are the
    same is checked again when a lookup its foreign keys read has changed."""
    assert validate_data(data_copy) == []  # every file clean, and remembered so
    edit_line(data_copy / "indicators.csv", 2, lambda s: s.replace("arsverk,", "arsverket,", 1))  # the id 'arsverk' is gone
    unknown = [p for p in validate_data(data_copy) if p.kind == "unknown-id" and p.file == "data/osu_arsverk.csv"]
    assert unknown and all(p.message == "unknown indicator 'arsverk': not an id in indicators.csv" for p in unknown), unknown
    rows = (data_copy / "osu_arsverk.csv").read_text(encoding="utf-8").splitlines()
    assert len(unknown) == sum(1 for line in rows if ",arsverk," in line)


def test_a_clean_file_is_checked_again_when_its_schema_changes(data_copy):
    assert validate_data(data_copy) == []
    schema = data_copy / "observation.schema.yaml"
    schema.write_text(schema.read_text(encoding="utf-8").replace("maximum: 2100", "maximum: 2016"), encoding="utf-8")
    late = [p for p in validate_data(data_copy) if p.file == "data/osu_arsverk.csv"]
    assert late and all(p.kind == "out-of-range" and p.column == "year" for p in late), late


def test_each_reader_of_the_descriptor_gets_its_own_copy(data_copy):
    read_descriptor(data_copy)["resources"].clear()
    assert read_descriptor(data_copy)["resources"]


def test_a_descriptor_changed_within_one_tick_of_the_clock_is_read_again(data_copy):
    """The parse is kept by the file's content, not by its size and time (an edit of equal length within the
    file system's clock tick, or a copy that keeps the time, would otherwise read as the old descriptor)."""
    path = data_copy / "datapackage.yaml"
    assert read_descriptor(data_copy)["title"].startswith("Virksomhetsanalyse for")
    st = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("Virksomhetsanalyse for", "Virksomhetsanalyse fra", 1), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    assert read_descriptor(data_copy)["title"].startswith("Virksomhetsanalyse fra")


def test_loader_refuses_invalid_data(data_copy):
    edit_line(data_copy / "osu_arsverk.csv", 3, lambda s: s.rsplit(",", 1)[0] + ",mye")
    with pytest.raises(DataError) as exc:
        load_observations("osu_arsverk", data_copy)
    assert "osu_arsverk.csv, row 3, column 'value'" in str(exc.value)


def test_cli_validate_exit_codes_and_no_writes(data_copy):
    runner = CliRunner()
    ok = runner.invoke(app, ["validate", "--data-dir", str(data_copy)])
    assert ok.exit_code == 0, ok.output
    assert "data valid" in ok.output and "finding" in ok.output
    edit_line(data_copy / "osu_arsverk.csv", 3, lambda s: s.rsplit(",", 1)[0] + ",mye")
    before = tree_hash(data_copy)
    bad = runner.invoke(app, ["validate", "--data-dir", str(data_copy)])
    assert bad.exit_code == 1
    assert "osu_arsverk.csv, row 3, column 'value'" in bad.output
    assert tree_hash(data_copy) == before


def test_all_observation_files_listed():
    desc = read_descriptor(DATA_DIR)
    listed = {r["path"] for r in desc["resources"]}
    on_disk = {p.name for p in DATA_DIR.glob("*.csv")}
    assert on_disk == listed
    assert len(observation_names(desc)) >= 20


def test_run_skips_validating_data_that_passed_before(data_copy, monkeypatch):
    """`run` checks data/ with `cached_problems`: the same bytes are validated once, changed bytes again."""
    from analysis.data import validate as data

    assert data.cached_problems(data_copy) == []
    data._validated.cache_clear()

    def boom(_dir):
        raise AssertionError("validated again")

    monkeypatch.setattr(data, "validate_data", boom)
    assert data.cached_problems(data_copy) == []  # the stamp of the passed state is enough
    path = data_copy / "osu_arsverk.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("86.1", "86.2", 1), encoding="utf-8")
    with pytest.raises(AssertionError, match="validated again"):
        data.cached_problems(data_copy)


# -- one fact, one place: the same fact in two datasets --------------------------------


def _append_row(path: Path, line: str) -> int:
    """Append an observation row, credited in provenance.csv as an import would; returns its row number (the header is row 1)."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text + line + "\n", encoding="utf-8")
    credits = path.parent / "provenance.csv"
    year = line.split(",", 1)[0]
    if f"\n{path.stem},{year},,," not in credits.read_text(encoding="utf-8"):
        with credits.open("a", encoding="utf-8") as fh:
            fh.write(f"{path.stem},{year},,,workbook,SYNTETISK kilde,,,\n")
    return len(text.splitlines()) + 1


def _same_fact_problems(data: Path):
    return [p for p in validate_data(data) if p.kind == "same-fact"]


def _edit_checks(data: Path, edit) -> None:
    import yaml

    path = data / "checks.yaml"
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(entries)
    path.write_text(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _declaration(entries: list, id: str) -> dict:
    return next(e for e in entries if e["id"] == id)


def test_the_committed_data_declare_and_hold_their_same_facts():
    from analysis.data.checks import parse_checks, same_facts

    declared = {
        frozenset((r["dataset"], r["indicator"], r["group"]) for r in e["same_fact"])
        for e in same_facts(parse_checks((DATA_DIR / "checks.yaml").read_text(encoding="utf-8")))
    }
    assert {
        frozenset({("hr_rekruttering", "sokere_per_stilling", "kommunen"), ("adm_kpi", "sokere_per_stilling", "kommunen")}),
        frozenset({("hr_sykefravaer", "sykefravar_total", "kommunen"), ("adm_kpi", "sykefravar_total", "kommunen")}),
    } <= declared
    assert validate_data(DATA_DIR) == []


def test_a_year_in_one_dataset_but_not_the_other_is_refused(data_copy):
    row = _append_row(data_copy / "adm_kpi.csv", "2019,sokere_per_stilling,kommunen,10")
    problems = _same_fact_problems(data_copy)
    assert [(p.file, p.row, p.column) for p in problems] == [("data/adm_kpi.csv", row, "year")], problems
    msg = problems[0].message
    assert "adm_kpi holds sokere_per_stilling / kommunen for 2019 (10), hr_rekruttering does not" in msg
    assert "expected the same figure in hr_rekruttering" in msg and "found none" in msg
    assert "data/checks.yaml 'sokere_per_stilling_samme_tall'" in msg


def test_the_year_in_both_datasets_is_valid(data_copy):
    _append_row(data_copy / "adm_kpi.csv", "2019,sokere_per_stilling,kommunen,10")
    _append_row(data_copy / "hr_rekruttering.csv", "2019,sokere_per_stilling,kommunen,10")
    assert validate_data(data_copy) == []


def test_different_values_for_the_same_fact_are_refused(data_copy):
    f = data_copy / "hr_sykefravaer.csv"
    row = next(
        i for i, line in enumerate(f.read_text(encoding="utf-8").splitlines(), start=1) if line == "2018,sykefravar_total,kommunen,7.3"
    )
    edit_line(f, row, lambda s: s.replace(",7.3", ",7.4"))
    problems = _same_fact_problems(data_copy)
    assert len(problems) == 1, problems
    p = problems[0]
    assert (p.file, p.column) == ("data/adm_kpi.csv", "value")
    assert "adm_kpi and hr_sykefravaer differ for sykefravar_total / kommunen in 2018" in p.message
    assert f"expected 7.4 as in hr_sykefravaer (data/hr_sykefravaer.csv, row {row}), found 7.3" in p.message


def test_a_shorter_history_in_one_dataset_is_not_a_gap(data_copy):
    """hr_rekruttering prints 2016-2018, adm_kpi 2014-2018: the years compared start where both hold the fact."""
    edit_line(data_copy / "adm_kpi.csv", 22, lambda s: s.replace(",14", ",15"))  # 2014 in adm_kpi only
    assert _same_fact_problems(data_copy) == []


def test_years_limit_a_same_fact_to_the_years_listed(data_copy):
    """The 2017-kroner series equals the nominal one only in 2017: another year in one of them is no gap, 2017 must agree."""
    _append_row(data_copy / "adm_tjenesteprofil.csv", "2018,brutto_driftsutgifter_administrasjon_per_innbygger,kommunen,3130")
    assert _same_fact_problems(data_copy) == []
    f = data_copy / "adm_driftsutgifter_2017kr.csv"
    row = next(i for i, line in enumerate(f.read_text(encoding="utf-8").splitlines(), start=1) if line.startswith("2017,"))
    edit_line(f, row, lambda s: s.replace(",3237", ",3238"))
    problems = _same_fact_problems(data_copy)
    assert [(p.file, p.row) for p in problems] == [("data/adm_driftsutgifter_2017kr.csv", row)], problems


def test_a_same_fact_naming_an_unknown_dataset_is_an_error(data_copy):
    _edit_checks(data_copy, lambda e: _declaration(e, "sokere_per_stilling_samme_tall")["same_fact"][0].update(dataset="hr_rekrutering"))
    _append_row(data_copy / "adm_kpi.csv", "2019,sokere_per_stilling,kommunen,10")
    problems = validate_data(data_copy)
    assert [(p.file, p.kind) for p in problems] == [("data/checks.yaml", "unknown-id")], problems
    assert "check 'sokere_per_stilling_samme_tall': unknown dataset 'hr_rekrutering'" in problems[0].message


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (lambda d: d.update(same_facts=d.pop("same_fact")), "unknown key 'same_facts'"),  # a typo turns it into a broken identity
        (lambda d: d["same_fact"].pop(), "same_fact needs a list of at least two references"),
        (lambda d: d["same_fact"][1].update(gruppe="kommunen"), "each reference in same_fact has the keys dataset, group, indicator"),
        (lambda d: d.update(years="2017"), "years, when given, is a list of whole years"),
    ],
)
def test_a_same_fact_cannot_be_switched_off_by_a_typo(data_copy, edit, words):
    _edit_checks(data_copy, lambda e: edit(_declaration(e, "sokere_per_stilling_samme_tall")))
    problems = validate_data(data_copy)
    assert problems and all(p.file == "data/checks.yaml" and p.kind == "checks" for p in problems), problems
    assert any(words in p.message for p in problems), problems


def test_a_same_fact_with_no_figures_in_one_dataset_is_an_error(data_copy):
    _edit_checks(data_copy, lambda e: _declaration(e, "sokere_per_stilling_samme_tall")["same_fact"][0].update(group="oppvekst_skole"))
    problems = validate_data(data_copy)
    assert [p.kind for p in problems] == ["dangling-reference"], problems
    assert "hr_rekruttering has no figures for sokere_per_stilling / oppvekst_skole" in problems[0].message


def test_checks_yaml_that_is_not_yaml_is_reported(data_copy):
    (data_copy / "checks.yaml").write_text("- id: x\n  title: [unclosed\n", encoding="utf-8")
    problems = validate_data(data_copy)
    assert [(p.file, p.kind) for p in problems] == [("data/checks.yaml", "checks")], problems
    assert "not valid YAML" in problems[0].message


def test_the_loaders_see_only_the_identities(data_copy):
    from analysis.data.load import load_checks

    checks = load_checks(data_copy)
    assert checks and all("total" in c and "terms" in c for c in checks)


# -- lookups: one reading for the book and the intake ------------------------------------


def test_book_and_intake_read_the_lookups_alike(b18):
    from analysis.data.lookups import lookup
    from analysis.intake.template import read_lookups

    intake = read_lookups(DATA_DIR)
    assert intake.indicators == b18.indicators == lookup("indicators")
    assert intake.groups == b18.groups
    assert list(intake.units) == list(b18.units)
    for k, u in intake.units.items():
        assert (u.label, u.minimum, u.maximum) == (b18.units[k]["label"], b18.units[k]["minimum"], b18.units[k]["maximum"])
    assert isinstance(intake.indicators["sokere_per_stilling"]["decimals"], int)
    assert intake.units["prosent"].maximum == 100.0


def test_lookup_names_only_the_lookups():
    from analysis.data.lookups import lookup

    with pytest.raises(KeyError, match="not a lookup table"):
        lookup("printed_derived")


def test_norwegian_number_written_into_a_data_file_gets_the_literal_to_write(data_copy):
    edit_line(data_copy / "osu_driftsutgifter.csv", 2, lambda s: s.rsplit(",", 1)[0] + ",12,8 %")
    p = _one(_problems(data_copy), "norwegian-number")
    assert "found '12,8 %'" in p.message and "(write 12.8)" in p.message

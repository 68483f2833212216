"""Validation of data/: the real package is valid, and every kind of bad input
gets its own clear error naming file, row and column, without touching data/."""

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from analysis.cli.main import app
from analysis.config import DATA_DIR
from analysis.data.store import (
    DataError,
    load_observations,
    load_table,
    observation_names,
    read_descriptor,
    validate_data,
    value_decimals,
)
from helpers import edit_line, tree_hash


def test_real_data_is_valid():
    assert validate_data(DATA_DIR) == []


def test_every_dataset_has_a_source_with_section():
    desc = read_descriptor(DATA_DIR)
    for r in desc["resources"]:
        if r["name"] in ("units", "indicators", "groups", "changelog"):
            continue  # lookups and the import log are ours, not the source's
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
    from analysis.data import store as data

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

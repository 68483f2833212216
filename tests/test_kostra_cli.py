"""``virksomhetsanalyse kostra`` (issue #13): SSB's figures through the staged, validated import.

Every test runs the command on a copy of data/ (``data_copy``) against the
local stand-in for SSB's API (tests/kostra_server.py: 127.0.0.1, SYNTHETIC
answers), or on a saved SYNTHETIC file with ``--from``. Nothing reaches the
internet.
"""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest
from kostra_server import ADMIN, DS, EIENDOM, FIX, KONTROLL, LOKALER, POLITISK, Answer, Server, closed_port, fixture
from typer.testing import CliRunner

from analysis.cli.data_commands import EXIT_UNREACHABLE
from analysis.cli.main import app
from analysis.data.validate import validate_data
from helpers import tree_hash

SOURCE = "Statistisk sentralbyrå (SSB), Statistikkbanken, tabell 12362"


def kostra(data: Path, *args, server: Server | None = None):
    """Run ``virksomhetsanalyse kostra`` on ``data`` (against ``server`` unless ``--from`` is given)."""
    argv = ["kostra", *map(str, args), "--data-dir", str(data), "--retries", "0", "--timeout", "5"]
    if server is not None:
        argv += ["--base-url", server.url]
    result = CliRunner().invoke(app, argv)
    assert "Traceback" not in result.output and "╭" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def values(data: Path, year: int) -> dict[tuple[str, str], str]:
    return {(r["indicator"], r["group"]): r["value"] for r in rows(data / f"{DS}.csv") if int(r["year"]) == year}


def ssb_credits(data: Path) -> list[dict[str, str]]:
    return [r for r in rows(data / "provenance.csv") if r["kind"] == "ssb"]


def special_2019(tmp_path: Path) -> Path:
    """The SYNTHETIC special-values answer moved to 2019 (a year data/ does not hold; Trondheim is 5001 then)."""
    obj = json.loads((FIX / "SYNTHETIC_12362_2017_special.json").read_text(encoding="utf-8"))
    obj["dimension"]["Tid"]["category"] = {"index": {"2019": 0}, "label": {"2019": "2019"}}
    region = obj["dimension"]["KOKkommuneregion0000"]["category"]
    region["index"] = {("5001" if k == "1601" else k): v for k, v in region["index"].items()}
    region["label"] = {("5001" if k == "1601" else k): v for k, v in region["label"].items()}
    path = tmp_path / "SYNTHETIC_12362_2019_special.json"
    path.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- help


def test_help_documents_the_command_and_its_exit_codes():
    result = CliRunner().invoke(app, ["kostra", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    for word in ("--year", "--from", "--dry-run", "--replace", "--data-dir", "data/kostra_mapping.csv", "never 0", "Exit 0", "75"):
        assert word in text, word
    assert "--base-url" not in text, "the tests' option is hidden"
    assert "kostra" in CliRunner().invoke(app, ["--help"]).output


# --------------------------------------------------------------------------- the happy path


def test_fetch_writes_the_year_the_changelog_and_the_credits(server, data_copy):
    server.data = [fixture("SYNTHETIC_12362_2019.json")]
    result = kostra(data_copy, "--year", 2019, server=server)
    assert result.exit_code == 0, result.output
    new = values(data_copy, 2019)
    assert len(new) == 25 and new[(POLITISK, "kommunen")] == "201" and new[(ADMIN, "asss_snitt")] == "3039"
    assert values(data_copy, 2017)[(POLITISK, "kommunen")] == "269", "other years untouched"
    log = [r for r in rows(data_copy / "changelog.csv") if r["year"] == "2019"]
    assert len(log) == 25 and {r["action"] for r in log} == {"added"}
    assert {r["source_file"] for r in log} == {"SSB Statistikkbanken, tabell 12362"}
    assert {r["sha256"] for r in log} == {hashlib.sha256((FIX / "SYNTHETIC_12362_2019.json").read_bytes()).hexdigest()}
    assert "wrote: adm_tjenesteprofil.csv" in result.output and "changelog.csv" in result.output
    assert "adm_tjenesteprofil: 25 added, 0 replaced (2019)" in result.output
    assert "check_code" in result.output, "the mapping's unconfirmed contents code is named"
    assert "unweighted mean of the 10 ASSS members' figures" in result.output, "how the ASSS figures were computed"
    assert "2018 is skipped" in result.output, "the data end at 2017"
    assert validate_data(data_copy) == []


def test_provenance_names_ssb_the_table_the_query_and_the_dates(server, data_copy):
    from analysis.data.book import Book

    server.data = [fixture("SYNTHETIC_12362_2019.json")]
    assert kostra(data_copy, "--year", 2019, server=server).exit_code == 0
    credits = ssb_credits(data_copy)
    assert credits and {(r["dataset"], r["year"]) for r in credits} == {(DS, "2019")}
    for r in credits:
        assert r["source"] == SOURCE
        assert r["url"].startswith(server.url + "/tables/12362/data?") and "valueCodes" in r["url"]
        assert r["updated"] == "2020-06-15T06:00:00Z"
        assert r["fetched"].endswith("Z") and r["fetched"][:4].isdigit()
    note = Book(year=2019, data_dir=data_copy).source_note(DS)
    assert "SSB" in note and "tabell 12362 (2019)" in note, note
    assert "Virksomhetsanalyse 2019" in note and "(2017)" in note, "the 2017 figures still name the document"
    assert "SSB" not in Book(year=2018, data_dir=data_copy).source_note(DS), "a book for 2018 shows no 2019 figure"


def test_dry_run_writes_nothing(server, data_copy):
    server.data = [fixture("SYNTHETIC_12362_2019.json")]
    before = tree_hash(data_copy)
    result = kostra(data_copy, "--year", 2019, "--dry-run", server=server)
    assert result.exit_code == 0, result.output
    assert "dry run, nothing written" in result.output and "would write: adm_tjenesteprofil.csv" in result.output
    assert tree_hash(data_copy) == before
    assert len(server.data_requests()) == 1, "a dry run still fetches and checks"


def test_from_file_imports_offline_with_the_same_checks(data_copy, tmp_path):
    saved = tmp_path / "12362.json"
    saved.write_bytes((FIX / "SYNTHETIC_12362_2019.json").read_bytes())
    result = kostra(data_copy, "--year", 2019, "--from", saved)
    assert result.exit_code == 0, result.output
    assert len(values(data_copy, 2019)) == 25
    log = [r for r in rows(data_copy / "changelog.csv") if r["year"] == "2019"]
    assert {r["source_file"] for r in log} == {"12362.json"}
    assert {r["sha256"] for r in log} == {hashlib.sha256(saved.read_bytes()).hexdigest()}
    credits = ssb_credits(data_copy)
    assert credits and {r["url"] for r in credits} == {"https://www.ssb.no/statbank/table/12362"}, "the table's page, not a local path"
    assert {r["updated"] for r in credits} == {"2020-06-15T06:00:00Z"}
    assert "read from the saved file '12362.json'" in result.output


def test_from_file_mismatch_is_refused(data_copy):
    before = tree_hash(data_copy)
    result = kostra(data_copy, "--year", 2017, "--from", FIX / "SYNTHETIC_12362_2017_unit_changed.json")
    assert result.exit_code == 1
    assert "rejected: the KOSTRA figures in SYNTHETIC_12362_2017_unit_changed.json cannot be imported; nothing was written" in result.output
    assert "expected unit 'NOK', found 'NOK 1000'" in result.output
    assert tree_hash(data_copy) == before


# --------------------------------------------------------------------------- refused, unreachable


def test_renamed_contents_code_is_refused_and_nothing_written(server, data_copy):
    server.data = [fixture("SYNTHETIC_12362_2017_renamed_code.json")]
    before = tree_hash(data_copy)
    result = kostra(data_copy, "--year", 2017, server=server)
    assert result.exit_code == 1
    assert "rejected: the KOSTRA figures in SSB's answer cannot be imported; nothing was written" in " ".join(result.output.split())
    assert "mapping entry 'adm_f100_politisk_styring'" in result.output and "expected contents code KOSbelopinnbygge0000" in result.output
    assert tree_hash(data_copy) == before


def test_unreachable_ssb_has_its_own_exit_code(data_copy):
    before = tree_hash(data_copy)
    result = CliRunner().invoke(
        app,
        ["kostra", "--year", "2019", "--data-dir", str(data_copy), "--retries", "0", "--base-url", f"http://127.0.0.1:{closed_port()}/api"],
    )
    assert result.exit_code == EXIT_UNREACHABLE == 75, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: SSB could not be reached; nothing was written: cannot reach SSB at"), lines
    assert tree_hash(data_copy) == before


def test_ssb_busy_after_the_retries_is_unreachable(server, data_copy):
    server.data = [Answer(503, b"busy")]
    before = tree_hash(data_copy)
    result = kostra(data_copy, "--year", 2019, server=server)
    assert result.exit_code == EXIT_UNREACHABLE and "HTTP 503" in result.output
    assert tree_hash(data_copy) == before


def test_refused_query_is_rejected_input(server, data_copy):
    server.data = [Answer(400, b'{"title": "Non-existent value"}')]
    result = kostra(data_copy, "--year", 2019, server=server)
    assert result.exit_code == 1 and "refused the query with HTTP 400: Non-existent value" in result.output


# --------------------------------------------------------------------------- a year already in data/


def test_changed_figures_are_refused_without_replace(server, data_copy):
    server.data = [fixture("SYNTHETIC_12362_2017.json")]
    before = tree_hash(data_copy)
    result = kostra(data_copy, "--year", 2017, server=server)
    assert result.exit_code == 1
    out = " ".join(result.output.split())
    assert "revised by SSB since data/ got them (20; SSB revises earlier years at each publication):" in out, "shown as revisions"
    assert f"{DS} 2017 {POLITISK} / kommunen: 269 → 200 (SSB table 12362, updated 2018-06-15T06:00:00Z)" in out
    assert "cannot be imported; nothing was written" in out and "import the revisions with --replace (SSB becomes their source)" in out
    assert "how figures were obtained" not in out, "nothing is obtained when the import is refused"
    assert tree_hash(data_copy) == before


def test_replace_overwrites_and_lists_every_change(server, data_copy):
    server.data = [fixture("SYNTHETIC_12362_2017.json")]
    result = kostra(data_copy, "--year", 2017, "--replace", server=server)
    assert result.exit_code == 0, result.output
    assert "changes (old → new), 20 value(s):" in result.output
    assert f"{DS} {POLITISK} / kommunen 2017: 269 → 200" in result.output
    assert "20 replaced, 5 unchanged" in result.output, "function 120 equals data/"
    assert values(data_copy, 2017)[(POLITISK, "kommunen")] == "200"
    log = [r for r in rows(data_copy / "changelog.csv") if r["action"] == "replaced"]
    first = next(r for r in log if r["indicator"] == POLITISK and r["group"] == "kommunen")
    assert len(log) == 20 and (first["old_value"], first["new_value"]) == ("269", "200")
    assert validate_data(data_copy) == []


def test_nothing_new_is_nothing_to_import(server, data_copy):
    server.data = [fixture("SYNTHETIC_12362_2019.json")]
    assert kostra(data_copy, "--year", 2019, server=server).exit_code == 0
    before = tree_hash(data_copy)
    again = kostra(data_copy, "--year", 2019, server=server)
    assert again.exit_code == 0 and "nothing to import: no new or changed figures for 2019" in again.output
    assert tree_hash(data_copy) == before


# --------------------------------------------------------------------------- special values


def test_special_values_are_missing_with_a_note_never_zero(data_copy, tmp_path):
    result = kostra(data_copy, "--year", 2019, "--from", special_2019(tmp_path))
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "missing figures (12; SSB gives none, so nothing is written and nothing deleted):" in out
    assert f"{DS} {POLITISK} / kommunen 2019: SSB '..': tallgrunnlag mangler" in out
    assert f"{DS} {KONTROLL} / asker 2019: SSB ':'" in out and "status '*'" in out
    new = values(data_copy, 2019)
    for key in [(POLITISK, "kommunen"), (KONTROLL, "asker"), (EIENDOM, "kommunen"), (ADMIN, "asss_snitt"), (ADMIN, "asss_lavest")]:
        assert key not in new, f"{key}: a missing figure is no row, never 0"
    assert new[(LOKALER, "kommunen")] == "0", "SSB's real zero (no status) is a figure"
    assert len(new) == 13


def test_special_values_never_delete_or_zero_a_stored_figure(data_copy):
    result = kostra(data_copy, "--year", 2017, "--replace", "--from", FIX / "SYNTHETIC_12362_2017_special.json")
    assert result.exit_code == 0, result.output
    stored = values(data_copy, 2017)
    assert stored[(POLITISK, "kommunen")] == "269" and stored[(ADMIN, "asss_snitt")] == "2998", "kept, not 0 and not deleted"
    assert len(stored) == 25


# --------------------------------------------------------------------------- checked before anything is fetched


def test_invalid_data_is_refused_before_fetching(server, data_copy):
    path = data_copy / "kostra_mapping.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("kommunen asker asss_snitt", "kommunen baerum asss_snitt", 1), encoding="utf-8")
    before = tree_hash(data_copy)
    result = kostra(data_copy, "--year", 2019, server=server)
    assert result.exit_code == 1 and "data/ is not valid" in result.output
    assert "kostra_mapping.csv, row 2, column 'groups'" in result.output and "found 'baerum'" in result.output
    assert server.requests == [], "nothing fetched"
    assert tree_hash(data_copy) == before


@pytest.mark.parametrize(("args", "word"), [(["--year", "1999"], "--year"), (["--year", "2019", "--base-url", "ftp://x"], "--base-url")])
def test_usage_errors_exit_2(data_copy, args, word):
    result = CliRunner().invoke(app, ["kostra", *args, "--data-dir", str(data_copy)])
    assert result.exit_code == 2 and word in result.output, result.output


def test_data_without_the_mapping_is_one_clear_line(data_copy):
    import yaml

    desc_path = data_copy / "datapackage.yaml"
    desc = yaml.safe_load(desc_path.read_text(encoding="utf-8"))
    desc["resources"] = [r for r in desc["resources"] if not r["name"].startswith("kostra_")]
    desc_path.write_text(yaml.safe_dump(desc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for name in ("kostra_mapping.csv", "kostra_municipalities.csv"):
        (data_copy / name).unlink()
    result = kostra(data_copy, "--year", 2019, "--from", FIX / "SYNTHETIC_12362_2019.json")
    assert result.exit_code == 1 and "kostra_mapping.csv: cannot be read" in result.output, result.output


def test_a_year_the_table_does_not_cover_sends_no_query(server, data_copy):
    before = tree_hash(data_copy)
    result = kostra(data_copy, "--year", 2014, server=server)
    assert result.exit_code == 0, result.output
    assert "table 12362 covers 2015–…, not 2014; no figures fetched" in result.output
    assert "no SSB table read for 2014: nothing written" in result.output
    assert "nothing to import: no new or changed figures for 2014" in result.output
    assert server.requests == [] and tree_hash(data_copy) == before

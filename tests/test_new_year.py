"""End to end: a new year's figures in, the whole book for that year out.

Uses the SYNTHETIC 2019 workbook in tests/fixtures/ny_aargang_2019/ (invented
figures, never imported into the real data/): import it into a copy of data/
through the CLI, run every chapter for 2019 with that copy, and check that the
chapters name 2019 and compute their changes (2018–2019) and trends
(2016–2019) from the imported figures; datasets without 2019 figures end at
their last year and the text says what is missing; the tables' source notes
name the source the workbook gives for 2019 beside the document's years. A
failing import leaves data/ byte for byte unchanged.
"""

import csv
import hashlib
import html
import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import analysis as va
from analysis import config
from analysis.calc.metrics import pct_change, trend3
from analysis.cli.main import app
from analysis.pipeline.run import run_notebooks
from analysis.present.fmt import fmt_change_pct, fmt_number

FIXTURE = Path(__file__).parent / "fixtures" / "ny_aargang_2019" / "SYNTHETIC_mal-2019_utfylt.xlsx"
EXPECTED = FIXTURE.with_name("SYNTHETIC_mal-2019_forventet.csv")


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def _html_and_text(nb: dict) -> str:
    parts = []
    for c in nb["cells"]:
        for o in c.get("outputs", []):
            d = o.get("data", {})
            for mime in ("text/markdown", "text/html"):
                if mime in d:
                    t = "".join(d[mime]) if isinstance(d[mime], list) else d[mime]
                    parts.append(re.sub(r'(src|href)="data:[^"]*"', "", t))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("ny")
    data = root / "data"
    shutil.copytree(config.DATA_DIR, data)
    shutil.copytree(config.NARRATIVE_DIR, root / "narrative")
    started = CliRunner().invoke(app, ["edition", "new", "2019", "--data-dir", str(data)])
    assert started.exit_code == 0, started.output
    result = CliRunner().invoke(app, ["import", str(FIXTURE), "--data-dir", str(data)])
    assert result.exit_code == 1 and "eiendom_aktivitet J4" in result.output and "--accept-flagged" in result.output  # the review
    result = CliRunner().invoke(app, ["import", str(FIXTURE), "--data-dir", str(data), "--accept-flagged"])
    assert result.exit_code == 0, result.output
    assert "2019" in result.output
    return data


@pytest.fixture(scope="module")
def book_2019(imported: Path) -> Path:
    out = imported.parent / "book"
    run_notebooks(year=2019, force=True, data_dir=imported, book_dir=out, state_dir=imported.parent / ".build")
    return out


def test_import_recorded_in_changelog(imported):
    log = (imported / "changelog.csv").read_text(encoding="utf-8").splitlines()
    assert len(log) > 1 and all("SYNTHETIC_mal-2019_utfylt.xlsx" in line for line in log[1:])
    assert va.setup(2019, imported).value("osu_arsverk", "arsverk", "digit", 2019) is not None


def test_every_chapter_runs_for_2019(book_2019):
    for name in config.NOTEBOOKS:
        nb = json.loads((book_2019 / f"{name}.ipynb").read_text(encoding="utf-8"))
        assert not any(o.get("output_type") == "error" for c in nb["cells"] for o in c.get("outputs", [])), name
        if name in config.CHAPTERS:
            assert "2019" in _html_and_text(nb), name


def test_osu_changes_computed_from_imported_figures(book_2019, imported):
    b = va.setup(2019, imported)
    text = _html_and_text(json.loads((book_2019 / "osu.ipynb").read_text(encoding="utf-8")))
    assert "Endring 2018–2019" in text
    for grp in ("digit", "eiendom", "osu_total"):
        a, c = b.value("osu_arsverk", "arsverk", grp, 2018), b.value("osu_arsverk", "arsverk", grp, 2019)
        assert fmt_change_pct(pct_change(a, c)) in text, grp


def test_kpi_trend_2016_2019_from_imported_figures(book_2019, imported):
    b = va.setup(2019, imported)
    text = _html_and_text(json.loads((book_2019 / "osu.ipynb").read_text(encoding="utf-8")))
    assert "Årlig trend 2016–2019" in text
    s = b.series("adm_kpi", "kpi_brutto_driftsutgifter_administrasjon_per_innbygger", "kommunen")
    assert fmt_number(trend3(s, 2019), 0, sign=True) in text


def _fixture_source(dataset: str) -> str:
    with EXPECTED.open(encoding="utf-8", newline="") as fh:
        (source,) = {r["source"] for r in csv.DictReader(fh) if r["dataset"] == dataset}
    return source


def test_source_notes_name_the_source_of_2019(book_2019, imported):
    """osu_arsverk's and adm_kpi's 2019 figures come from the fixture's (SYNTHETIC) sources, named beside the report's years."""
    text = html.unescape(_html_and_text(json.loads((book_2019 / "osu.ipynb").read_text(encoding="utf-8"))))
    b = va.setup(2019, imported)
    doc = va.setup(2018, imported).source_note("osu_arsverk").removeprefix("Kilde: ").removesuffix(".")
    note = b.source_note("osu_arsverk")
    assert note == f"Kilde: {doc} (2014–2018); {_fixture_source('osu_arsverk')} (2019)."
    assert note in text
    kpi_doc = va.setup(2018, imported).source_note("adm_kpi").removeprefix("Kilde: ").removesuffix(".")
    assert _fixture_source("adm_kpi") != kpi_doc  # a new figure's source is never the report of an earlier year
    assert f"Kilde: {kpi_doc} (2014–2018); {_fixture_source('adm_kpi')} (2019)." in text


def test_partial_year_says_what_is_missing(book_2019):
    # osu_driftsutgifter got no 2019 figures: its table ends in 2018 and the text says 2019 is not available
    text = _html_and_text(json.loads((book_2019 / "osu.ipynb").read_text(encoding="utf-8")))
    assert 'id="osu-driftsutgifter-table-2018"' in text and 'id="osu-driftsutgifter-table-2019"' not in text
    assert re.search(r"(foreligger ikke|ikke tilgjengelig)", text)


def test_failing_import_leaves_data_unchanged(data_copy, tmp_path):
    bad = tmp_path / "osu_arsverk.csv"
    bad.write_text("indikator_id;gruppe_id;Indikator;Gruppe;Enhet;2019\narsverk;digit;Årsverk;DigIT;årsverk;mye\n", encoding="utf-8")
    before = _hashes(data_copy)
    result = CliRunner().invoke(app, ["import", str(bad), "--data-dir", str(data_copy)])
    assert result.exit_code != 0
    assert _hashes(data_copy) == before
    assert re.search(r"cell [A-Z]+[0-9]+", result.output) and "nothing was written" in result.output

"""The source's printed derived values as oracles.

Every printed derived value (Prosentvis endring, Årlig endring, Årlig vekst,
Årlig trend siste 3 år, Andel) is recomputed from the stored inputs. Each is
either reproduced, or inside the interval the rounding of its inputs allows;
the figures that disagree beyond rounding are listed here by name, so a new
disagreement (or a fixed one) fails the test instead of loosening a tolerance.
"""

import polars as pl
import pytest

from analysis.data.consistency import Status, check_derived, check_identities, check_text, run_all
from analysis.data.load import load_table
from analysis.data.package import read_descriptor, resource

EXPECTED_FINDINGS = {
    # same name, two series (data/README.md, "Same facts"): the KPI table and the tjenesteprofil differ for 2017
    "adm_kpi_administrasjon_mot_tjenesteprofil / 2017",
    "adm_kpi_forvaltning_eiendom_mot_tjenesteprofil / 2017",
    # 2.2.1: "mellom 2,7 og 12,8 prosent" — the table gives at most about 12,4
    "andre_driftsutgifter_vekst_max",
    # 5.1.2: 2 153 kommunale boliger in the text, 2 142 in the 5.2.1 table
    "kommunale_boliger_2018",
    # 5.1.2: vedlikehold "38 prosent høyere" — the table gives 34,9
    "eiendom_vedlikehold_endring_2018",
    # 5.1.2: energy −3,1 % — the KPI series printed to one decimal gives −3,0
    "eiendom_energibruk_endring_2018",
    # 5.2.3: "5,5 prosent fra 2014 til 2018" — the table gives −5,6 (−5,5 is 2017→2018)
    "energi_temperaturkorrigert_endring_2014_2018",
}


@pytest.fixture(scope="module")
def results():
    return run_all()


def test_every_printed_derived_value_is_checked():
    n = load_table("printed_derived").height
    derived = check_derived()
    assert len(derived) == n > 50
    assert all(r.computed is not None for r in derived)


def test_no_printed_derived_value_is_a_finding():
    bad = [r.ref for r in check_derived() if r.status == Status.FINDING]
    assert bad == []


def test_findings_are_exactly_the_known_ones(results):
    found = {r.ref for r in results if r.status == Status.FINDING}
    assert found == EXPECTED_FINDINGS


def test_chapter3_sum_gap_is_rounding_not_a_finding():
    by_ref = {r.ref: r for r in check_identities()}
    r = by_ref["osa_arsverk_sum / 2018"]
    assert r.printed == 340.5 and round(r.computed, 1) == 340.3
    assert r.status == Status.WITHIN_ROUNDING


def test_within_rounding_values_are_really_not_reproduced(results):
    for r in results:
        if r.status == Status.WITHIN_ROUNDING:
            assert round(r.computed, r.printed_decimals) != r.printed or r.kind == "identity"
            assert r.possible.lo <= r.computed <= r.possible.hi


def test_text_claims_checked():
    text = check_text()
    claims = load_table("text_figures").filter(pl.col("claim").is_not_null()).height
    assert len(text) == claims


def test_laerlinger_header_quirk_is_noted():
    notes = " ".join(resource(read_descriptor(), "hr_laerlinger").get("notes", []))
    assert "2014" in notes and "2017" in notes

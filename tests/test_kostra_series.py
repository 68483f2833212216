"""``kostra --year Y`` fetches the earlier years of each series too, as SSB advises, and shows SSB's revisions as such.

Against the local stand-in for SSB's API (tests/kostra_server.py; SYNTHETIC
answers only): a two-year answer is made from the SYNTHETIC 2017 and 2019
files (tests/fixtures/kostra/), so that a fetch for 2019 also brings 2017.
"""

from __future__ import annotations

import json

from kostra_server import DS, FIX, POLITISK, Answer
from test_kostra_cli import kostra, rows, values  # the command as those tests run it, and the data it wrote

from analysis.intake.kostra import fetch_year
from helpers import set_value, tree_hash


def _index(dim: dict) -> list[str]:
    idx = dim["category"]["index"]
    return list(idx) if isinstance(idx, list) else sorted(idx, key=idx.__getitem__)


def two_years(first: str = "SYNTHETIC_12362_2017.json", second: str = "SYNTHETIC_12362_2019.json") -> Answer:
    """One answer holding both files' years: their regions joined, a cell empty where a region is not in a year's file."""
    a, b = (json.loads((FIX / f).read_text(encoding="utf-8")) for f in (first, second))
    out = json.loads(json.dumps(b))
    region, tid = "KOKkommuneregion0000", "Tid"
    regions = list(dict.fromkeys(_index(b["dimension"][region]) + _index(a["dimension"][region])))
    years = _index(a["dimension"][tid]) + _index(b["dimension"][tid])
    out["dimension"][region]["category"] = {
        "index": regions,
        "label": {**a["dimension"][region]["category"]["label"], **b["dimension"][region]["category"]["label"]},
    }
    out["dimension"][tid]["category"] = {"index": years, "label": {y: y for y in years}}
    sizes = dict(zip(out["id"], out["size"], strict=True))
    sizes[region], sizes[tid] = len(regions), len(years)
    out["size"] = [sizes[d] for d in out["id"]]

    def cell(obj: dict, coords: dict[str, str]):
        ids = obj["id"]
        flat = 0
        for d in ids:
            codes = _index(obj["dimension"][d])
            if coords[d] not in codes:
                return None
            flat = flat * len(codes) + codes.index(coords[d])
        return obj["value"][flat]

    values = []

    def walk(i: int, coords: dict[str, str]) -> None:
        if i == len(out["id"]):
            values.append(cell(a if coords[tid] in _index(a["dimension"][tid]) else b, coords))
            return
        d = out["id"][i]
        for code in regions if d == region else years if d == tid else _index(out["dimension"][d]):
            walk(i + 1, {**coords, d: code})

    walk(0, {})
    out["value"] = values
    out["note"] = ["SYNTHETIC: made by tests/test_kostra_series.py from two SYNTHETIC files; no value is SSB's"]
    return Answer(body=json.dumps(out, ensure_ascii=False).encode("utf-8"), headers={"Content-Type": "application/json"})


def test_the_query_asks_for_the_series_since_the_first_year_data_holds(server):
    server.data = [two_years()]
    result = fetch_year(2019, base_url=server.url, retries=0, timeout=5)
    (q,) = server.data_requests()
    assert q["valueCodes[Tid]"] == "2017,2018,2019", "data/ holds the dataset from 2017; the table goes back to 2015"
    assert {v.year for v in result.values} == {2017, 2019}
    assert any("holds no figures for 2018" in n for n in result.notes), result.notes
    assert result.value(DS, POLITISK, "kommunen").year == 2019, "value() is the year's figure"


def test_a_revised_earlier_figure_is_shown_as_a_revision_and_needs_replace(server, data_copy):
    # data/ holds the SYNTHETIC 2017 figures (imported first), one of them since changed (SYNTHETIC)
    server.data = [Answer(body=(FIX / "SYNTHETIC_12362_2017.json").read_bytes()), two_years()]
    assert kostra(data_copy, "--year", 2017, "--replace", server=server).exit_code == 0
    set_value(data_copy, DS, f"2017,{POLITISK},kommunen", "199")
    before = tree_hash(data_copy)
    result = kostra(data_copy, "--year", 2019, server=server)
    out = " ".join(result.output.split())
    assert result.exit_code == 1, result.output
    assert "revised by SSB since data/ got them (1; SSB revises earlier years at each publication):" in out
    assert f"{DS} 2017 {POLITISK} / kommunen: 199 → 200 (SSB table 12362, updated 2020-06-15T06:00:00Z)" in out
    assert "nothing was written" in out and "import the revisions with --replace" in out and tree_hash(data_copy) == before
    result = kostra(data_copy, "--year", 2019, "--replace", server=server)
    assert result.exit_code == 0, result.output
    assert f"{DS} {POLITISK} / kommunen 2017: 199 → 200" in result.output, "the changes are printed before writing"
    assert values(data_copy, 2017)[(POLITISK, "kommunen")] == "200" and len(values(data_copy, 2019)) == 25
    key = (DS, "2017", POLITISK, "kommunen")
    (credit,) = [r for r in rows(data_copy / "provenance.csv") if (r["dataset"], r["year"], r["indicator"], r["group"]) == key]
    assert credit["kind"] == "ssb" and credit["updated"] == "2020-06-15T06:00:00Z", "the revised figure names SSB's later publication"


def test_equal_earlier_figures_are_no_revision(server, data_copy):
    server.data = [Answer(body=(FIX / "SYNTHETIC_12362_2017.json").read_bytes()), two_years()]
    assert kostra(data_copy, "--year", 2017, "--replace", server=server).exit_code == 0
    result = kostra(data_copy, "--year", 2019, server=server)
    assert result.exit_code == 0, result.output
    assert "revised by SSB" not in result.output and "25 added, 0 replaced" in result.output

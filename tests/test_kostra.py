"""The KOSTRA fetcher (issue #13) against a local HTTP server with SYNTHETIC JSON-stat2 answers.

No test touches the network: ``fetch_year`` gets the address of an
``http.server`` on 127.0.0.1 (random port, own thread; tests/kostra_server.py)
that replays scripted answers from tests/fixtures/kostra/SYNTHETIC_*.json
(invented values, see the README there).
"""

from __future__ import annotations

import csv
import hashlib
import json
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from kostra_server import ADMIN, DS, EIENDOM, FIX, KONTROLL, LOKALER, POLITISK, Answer, Server, closed_port, fixture

from analysis.intake.kostra import DEFAULT_MAPPING_DIR, KostraError, RateLimiter, SsbUnreachable, fetch_year, from_file, load_mapping
from analysis.intake.kostra.jsonstat import loads, parse_dataset
from analysis.intake.kostra.records import literal

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


# --------------------------------------------------------------------------- the local server (tests/kostra_server.py)


def fetch(server: Server, year: int, **kw):
    kw.setdefault("retries", 2)
    kw.setdefault("backoff", 0)
    kw.setdefault("timeout", 5)
    return fetch_year(year, base_url=server.url, **kw)


def literal_of(result, indicator: str, group: str) -> str | None:
    v = result.value(DS, indicator, group)
    return v.literal if v else None


# --------------------------------------------------------------------------- happy path and provenance


def test_happy_path_gives_every_figure_with_provenance(server):
    server.data = [fixture("SYNTHETIC_12362_2017.json")]
    result = fetch(server, 2017)
    assert len(server.data_requests()) == 1, "one query for the whole table and year"
    assert literal_of(result, ADMIN, "kommunen") == "3237"
    assert literal_of(result, ADMIN, "asker") == "3010"
    assert len(result.values) == 25 and not result.missing
    v = result.value(DS, ADMIN, "kommunen")
    assert v.table_id == "12362"
    assert v.updated == "2018-06-15T06:00:00Z"
    assert v.url.startswith(server.url + "/tables/12362/data?")
    assert v.fetched.endswith("Z") and v.fetched[:4].isdigit()
    assert (v.dataset, v.group, v.year) == (DS, "kommunen", 2017)
    (t,) = result.tables
    assert (t.table_id, t.url, t.updated) == ("12362", v.url, v.updated)
    assert result.sha256 == hashlib.sha256((FIX / "SYNTHETIC_12362_2017.json").read_bytes()).hexdigest(), "the answer's hash"
    (unsure,) = [n for n in result.notes if "check_code" in n]
    assert "contents code KOSbelopinnbygge0000" in unsure and "'adm_f130_administrasjonslokaler'" in unsure, "one note per code"


def test_query_follows_pxwebapi2_and_selects_exactly_what_the_mapping_needs(server):
    server.data = [fixture("SYNTHETIC_12362_2017.json")]
    fetch(server, 2017)
    (q,) = server.data_requests()
    assert q["lang"] == "en" and q["outputFormat"] == "json-stat2"
    assert q["valueCodes[ContentsCode]"] == "KOSbelopinnbygge0000"
    assert q["valueCodes[Tid]"] == "2017"
    assert q["valueCodes[KOKart0000]"] == "AGD10"
    assert q["valueCodes[KOKfunksjon0000]"].split(",") == ["100", "110", "120", "121", "130"]
    regions = q["valueCodes[KOKkommuneregion0000]"].split(",")
    assert regions[:2] == ["0219", "0220"], "Bærum and Asker first"
    assert sorted(regions) == sorted(["0219", "0220", "1201", "0602", "0106", "1001", "0301", "1102", "1103", "1902", "1601"])


def test_asss_figures_are_computed_from_the_members(server):
    server.data = [fixture("SYNTHETIC_12362_2017.json")]
    result = fetch(server, 2017)
    # the ten members' synthetic figures for function 120 sum to 29981: mean 2998.1
    assert literal_of(result, ADMIN, "asss_snitt") == "2998"
    assert literal_of(result, ADMIN, "asss_lavest") == "2191"
    assert literal_of(result, ADMIN, "asss_hoyest") == "3776"
    assert "Fredrikstad 0106" in result.value(DS, ADMIN, "asss_lavest").note
    assert "Oslo 0301" in result.value(DS, ADMIN, "asss_hoyest").note
    # Asker (0220) is not a member in 2017: its 3010 must not be in the mean
    assert "Asker" not in result.value(DS, ADMIN, "asss_snitt").note
    # function 130: members' mean 268.5 -> half up 269 (half even would give 268)
    assert literal_of(result, LOKALER, "asss_snitt") == "269"
    assert "unweighted mean of the 10 ASSS members" in result.value(DS, LOKALER, "asss_snitt").note


def test_year_before_the_table_starts_sends_no_query(server):
    server.data = [fixture("SYNTHETIC_12362_2017.json")]
    result = fetch(server, 2014)
    assert server.requests == [] and result.values == []
    assert any("covers 2015–…, not 2014" in n for n in result.notes)


def test_last_updated_falls_back_to_the_table_information(server):
    obj = json.loads((FIX / "SYNTHETIC_12362_2017.json").read_text(encoding="utf-8"))
    del obj["updated"]
    server.data = [Answer(body=json.dumps(obj).encode())]
    server.info = [Answer(body=b'{"id": "12362", "updated": "2018-06-20T06:00:00Z"}')]
    result = fetch(server, 2017)
    assert result.value(DS, ADMIN, "kommunen").updated == "2018-06-20T06:00:00Z"
    assert any(urlsplit(p).path.endswith("/tables/12362") for p in server.requests)


# --------------------------------------------------------------------------- municipality numbers


def test_municipality_number_follows_the_year(server):
    server.data = [fixture("SYNTHETIC_12362_2019.json"), fixture("SYNTHETIC_12362_2020.json"), fixture("SYNTHETIC_12362_2024.json")]
    r19, r20, r24 = fetch(server, 2019), fetch(server, 2020), fetch(server, 2024)
    regions = [q["valueCodes[KOKkommuneregion0000]"].split(",") for q in server.data_requests()]
    years = [q["valueCodes[Tid]"] for q in server.data_requests()]
    assert years == ["2017,2018,2019", "2017,2018,2019,2020", ",".join(map(str, range(2017, 2025)))], "the series since data/'s first year"
    assert regions[0][:2] == ["0219", "0220"] and "3024" not in regions[0]
    assert regions[1][:2] == ["0219", "0220"] and {"3024", "3025"} <= set(regions[1]), "the earlier years' numbers and 2020's"
    assert "3201" in regions[2] and "3203" in regions[2] and "3205" in regions[2], "Lillestrøm is an ASSS member in 2024"
    assert literal_of(r19, POLITISK, "kommunen") == "201"  # synthetic: base 200 + shift 1
    assert literal_of(r20, POLITISK, "kommunen") == "202"
    assert literal_of(r24, ADMIN, "kommunen") == "3303", "3302.5 rounded half up to the printed 0 decimals"
    assert "rounded half up" in r24.value(DS, ADMIN, "kommunen").note


def test_asker_border_change_2020_is_flagged(server):
    server.data = [fixture("SYNTHETIC_12362_2020.json")]
    result = fetch(server, 2020)
    note = result.value(DS, ADMIN, "asker").note
    assert "Røyken" in note and "Hurum" in note and "not comparable" in note
    assert any(n.startswith("Asker (3025 from 2020)") for n in result.notes)
    assert result.value(DS, ADMIN, "kommunen").note == "", "Bærum was only renumbered"


def test_municipality_table_in_the_mapping():
    m = load_mapping()
    assert [m.municipality("kommunen", y).code for y in (2019, 2020, 2023, 2024)] == ["0219", "3024", "3024", "3201"]
    assert [m.municipality("asker", y).code for y in (2019, 2020, 2024)] == ["0220", "3025", "3203"]
    assert m.municipality("asker", 2020).change == "merged"
    assert len(m.members("asss", 2017)) == 10 and len(m.members("asss", 2022)) == 12
    assert "1601" in {x.code for x in m.members("asss", 2017)} and "5001" in {x.code for x in m.members("asss", 2018)}


# --------------------------------------------------------------------------- special values


def test_special_values_become_missing_never_zero(server):
    server.data = [fixture("SYNTHETIC_12362_2017_special.json")]
    result = fetch(server, 2017)
    missing = {(m.indicator, m.group): m.reason for m in result.missing}
    assert "tallgrunnlag mangler" in missing[(POLITISK, "kommunen")]
    assert "konfidensialitet" in missing[(KONTROLL, "asker")]
    assert "status '*'" in missing[(EIENDOM, "kommunen")], "a flagged figure is not imported although it has a value"
    assert result.value(DS, POLITISK, "kommunen") is None and result.value(DS, EIENDOM, "kommunen") is None
    # Oslo's '.' for function 120 leaves the three ASSS figures missing rather than computed from nine members
    for g in ("asss_snitt", "asss_lavest", "asss_hoyest"):
        assert result.value(DS, ADMIN, g) is None and "Oslo 0301" in missing[(ADMIN, g)]
    assert literal_of(result, LOKALER, "kommunen") == "0", "a real zero without status stays a figure"
    assert literal_of(result, ADMIN, "kommunen") == "3237"


# --------------------------------------------------------------------------- mismatches are errors


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("SYNTHETIC_12362_2017_renamed_code.json", ["expected contents code KOSbelopinnbygge0000", "found KOSbelopinnbygge0001"]),
        ("SYNTHETIC_12362_2017_unit_changed.json", ["expected unit 'NOK', found 'NOK 1000'"]),
        ("SYNTHETIC_12362_2017_no_asker.json", ["expected municipality number(s) 0220, not in the table"]),
        ("SYNTHETIC_12362_2017_extra_dim.json", ["dimension(s) KOKregnskapsomfa0000 that the entry does not select"]),
    ],
)
def test_a_mismatch_with_the_mapping_is_an_error_naming_the_entry(server, name, expected):
    server.data = [fixture(name)]
    with pytest.raises(KostraError) as e:
        fetch(server, 2017)
    msg = str(e.value)
    assert "mapping entry 'adm_f100_politisk_styring'" in msg and "table 12362" in msg
    for part in expected:
        assert part in msg


def test_wrong_year_in_the_answer_is_an_error(server):
    server.data = [fixture("SYNTHETIC_12362_2019.json")]
    with pytest.raises(KostraError, match="expected year 2017 in Tid, found 2019"):
        fetch(server, 2017)


# --------------------------------------------------------------------------- a robust client


def test_429_then_success_respects_retry_after(server):
    server.data = [Answer(429, b'{"title": "Too many requests"}', {"Retry-After": "1"}), fixture("SYNTHETIC_12362_2017.json")]
    t0 = time.monotonic()
    result = fetch(server, 2017)
    assert time.monotonic() - t0 >= 0.9, "the Retry-After of 1 s was waited for"
    assert len(server.data_requests()) == 2
    assert literal_of(result, ADMIN, "kommunen") == "3237"


def test_5xx_then_success(server):
    server.data = [Answer(503, b"busy"), Answer(502, b"bad gateway"), fixture("SYNTHETIC_12362_2017.json")]
    result = fetch(server, 2017, retries=3)
    assert len(server.data_requests()) == 3
    assert literal_of(result, ADMIN, "asss_snitt") == "2998"


def test_5xx_forever_gives_up_with_one_line(server):
    server.data = [Answer(503, b"busy")]
    with pytest.raises(SsbUnreachable) as e:
        fetch(server, 2017, retries=2)
    msg = str(e.value)
    assert "HTTP 503" in msg and "after 2 retries" in msg and "\n" not in msg
    assert len(server.data_requests()) == 3, "first try and two retries"


def test_timeout_is_a_clear_error(server):
    server.data = [Answer(body=(FIX / "SYNTHETIC_12362_2017.json").read_bytes(), delay=1.5)]
    with pytest.raises(SsbUnreachable, match=r"SSB did not answer within 0\.3 s"):
        fetch(server, 2017, timeout=0.3, retries=0)


def test_unreachable_ssb_is_one_line():
    with pytest.raises(SsbUnreachable) as e:
        fetch_year(2017, base_url=f"http://127.0.0.1:{closed_port()}/api", retries=0, timeout=2)
    assert str(e.value).startswith("cannot reach SSB at http://127.0.0.1:") and "\n" not in str(e.value)


def test_refused_query_shows_ssbs_message(server):
    server.data = [Answer(400, b'{"title": "Non-existent value", "status": 400}')]
    with pytest.raises(KostraError, match="refused the query with HTTP 400: Non-existent value") as e:
        fetch(server, 2017)
    assert not isinstance(e.value, SsbUnreachable), "a refused query is an input problem, not an unreachable SSB"
    assert len(server.data_requests()) == 1, "a 400 is not retried"


def test_rate_limiter_keeps_to_the_window():
    now, slept = [0.0], []

    def sleep(s):
        slept.append(s)
        now[0] += s

    limiter = RateLimiter(calls=3, period=60.0, clock=lambda: now[0], sleep=sleep)
    for t in (0.0, 1.0, 2.0, 3.0):
        now[0] = max(now[0], t)
        limiter.wait()
    assert slept == [57.0], "the fourth call waits until the first leaves the 60 s window"
    now[0] = 200.0
    limiter.wait()
    assert slept == [57.0]


# --------------------------------------------------------------------------- offline: a saved file


def test_from_file_reads_a_saved_json_stat2_with_the_same_checks(tmp_path):
    result = from_file(FIX / "SYNTHETIC_12362_2017.json", 2017)
    assert literal_of(result, ADMIN, "asss_snitt") == "2998"
    assert result.value(DS, ADMIN, "kommunen").url.startswith("file://")
    with pytest.raises(KostraError, match="expected contents code KOSbelopinnbygge0000"):
        from_file(FIX / "SYNTHETIC_12362_2017_renamed_code.json", 2017)
    broken = tmp_path / "saved.json"
    broken.write_text('{"class": "dataset", "version": "2.0", "id": ["A"], "size": [1]}', encoding="utf-8")
    with pytest.raises(KostraError, match="file 'saved.json': expected a 'dimension' object"):
        from_file(broken, 2017)


# --------------------------------------------------------------------------- JSON-stat2


def _tiny(**kw) -> dict:
    obj = {
        "version": "2.0",
        "class": "dataset",
        "label": "12345: tiny",
        "id": ["A", "B"],
        "size": [2, 3],
        "dimension": {
            "A": {"category": {"index": {"a1": 0, "a2": 1}}},
            "B": {"category": {"index": ["b1", "b2", "b3"]}},
        },
        "value": [1, 2, 3, 4, 5, 6.50],
    }
    obj.update(kw)
    return obj


def test_jsonstat_row_major_sparse_and_status():
    ds = loads(json.dumps(_tiny()).replace("6.5", "6.50"))
    assert ds.table_id == "12345"
    assert ds.cell({"A": "a2", "B": "b1"}) == (Decimal(4), None), "last dimension varies fastest"
    assert str(ds.cell({"A": "a2", "B": "b3"})[0]) == "6.50", "digits as written"
    sparse = parse_dataset(_tiny(value={"5": 9}, status={"0": ".."}))
    assert sparse.cell({"A": "a1", "B": "b1"}) == (None, "..")
    assert sparse.cell({"A": "a2", "B": "b3"}) == (Decimal(9), None)
    assert parse_dataset(_tiny(status="..")).cell({"A": "a1", "B": "b2"})[1] == ".."


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"value": [1, 2, 3]}, "expected 6 values"),
        ({"version": "1.2"}, "expected JSON-stat version '2.0'"),
        ({"size": [2, 2]}, "size says 2 categories, its index has 3"),
        ({"dimension": {"A": {"category": {"index": {"a1": 0, "a2": 2}}}, "B": {"category": {"index": ["b1", "b2", "b3"]}}}},
         "expected category index positions 0..1"),
        ({"value": [1, 2, 3, 4, 5, "6"]}, "expected a number or null in value[5]"),
    ],
)  # fmt: skip
def test_jsonstat_shape_errors(change, message):
    with pytest.raises(KostraError, match=message.replace(".", r"\.").replace("[", r"\[").replace("(", r"\(")):
        parse_dataset(_tiny(**change))


def test_literal_rounds_half_up_and_never_writes_minus_zero():
    assert literal(Decimal("2.5"), 0) == "3" and literal(Decimal("3.5"), 0) == "4"
    assert literal(Decimal("4"), 1) == "4.0", "SSB declared one decimal"
    assert literal(Decimal("-0.04"), 1) == "0.0"


# --------------------------------------------------------------------------- the mapping as data


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_mapping_fits_the_projects_data():
    m = load_mapping()
    indicators = {r["id"]: r for r in _csv(DATA / "indicators.csv")}
    groups = {r["id"] for r in _csv(DATA / "groups.csv")}
    resources = {r["name"] for r in yaml.safe_load((DATA / "datapackage.yaml").read_text(encoding="utf-8"))["resources"]}
    assert len(m.entries) == 5
    for e in m.entries:
        assert e.dataset in resources, e.entry
        assert e.indicator in indicators, e.entry
        assert int(indicators[e.indicator]["decimals"]) == e.decimals, f"{e.entry}: decimals as in indicators.csv"
        assert indicators[e.indicator]["unit"] == "kr_per_innbygger", e.entry
        assert set(e.groups) <= groups, e.entry
        assert e.source_url.startswith("https://www.ssb.no/"), e.entry
    observed = {r["indicator"] for r in _csv(DATA / "adm_tjenesteprofil.csv")}
    assert {e.indicator for e in m.entries} == observed, "every indicator of the table is mapped"


def test_a_broken_mapping_lists_every_problem(tmp_path):
    for name in ("kostra_mapping.csv", "kostra_municipalities.csv"):
        (tmp_path / name).write_text((DEFAULT_MAPPING_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / "kostra_mapping.csv"
    text = path.read_text(encoding="utf-8")
    text = text.replace(",12362,en,", ",1236,en,", 1).replace("kommunen asker asss_snitt", "kommunen asss_median", 1)
    path.write_text(text, encoding="utf-8")
    with open(tmp_path / "kostra_municipalities.csv", "a", encoding="utf-8") as fh:
        fh.write("kommunen,Bærum,9999,2022,2022,,https://example.org/,overlap\n")
    with pytest.raises(KostraError) as e:
        load_mapping(tmp_path)
    msg = str(e.value)
    assert "row 2 (adm_f100_politisk_styring), column table_id: expected a five-digit SSB table number, found '1236'" in msg
    assert "column groups" in msg and "asss_median" in msg
    assert "kommunen has two numbers in 2022: 3024" in msg and "9999" in msg


def test_the_mapping_is_data_described_in_the_datapackage():
    assert DEFAULT_MAPPING_DIR == DATA
    doc = yaml.safe_load((DATA / "datapackage.yaml").read_text(encoding="utf-8"))
    by_name = {r["name"]: r for r in doc["resources"]}
    for name in ("kostra_mapping", "kostra_municipalities"):
        res = by_name[name]
        header = next(csv.reader((DATA / res["path"]).open(encoding="utf-8")))
        assert [f["name"] for f in res["schema"]["fields"]] == header, name
        assert res["sources"] and all(s["path"].startswith(("https://", "http://")) for s in res["sources"]), name
        assert "notes" not in res, f"{name}: a resource's notes go into the book's data-quality appendix"
    assert any(lic["name"] == "CC-BY-4.0" for lic in doc["licenses"]), "SSB's licence"
    assert not (ROOT / "analysis" / "intake" / "kostra" / "draft").exists()

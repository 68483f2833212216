"""Bounded hostile inputs (issue 20, cases 6 and 7): ``kostra --from`` and workbooks are refused by a limit, with a
message, before the part that would cost memory, time or the process is read; nothing is written.

Every file here is made by the test (SYNTHETIC values from ``tests/fixtures/kostra``); no network.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest
from kostra_server import FIX, Answer
from typer.testing import CliRunner

from analysis.cli.main import app
from analysis.config import DATA_DIR
from analysis.intake.workbook import build_template
from helpers import tree_hash

SAVED = FIX / "SYNTHETIC_12362_2017.json"


def invoke(*args) -> object:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    return result


def _with_first_value(tmp: Path, literal: str) -> Path:
    """The saved file with its first value written as ``literal`` (the JSON text, not a parsed number)."""
    obj = json.loads(SAVED.read_text(encoding="utf-8"))
    values = obj["value"]
    key = 0 if isinstance(values, list) else next(iter(values))
    values[key] = "@@"
    path = tmp / "saved.json"
    path.write_text(json.dumps(obj).replace('"@@"', literal, 1), encoding="utf-8")
    return path


def _refused(data: Path, before: str, source: Path | str, *words: str) -> str:
    result = invoke("kostra", "--year", 2017, "--from", source, "--data-dir", data)
    assert result.exit_code == 1, result.output
    for w in words:
        assert w in result.output, result.output
    assert "nothing was written" in result.output and tree_hash(data) == before
    return result.output


@pytest.mark.parametrize(
    ("literal", "words"),
    [
        ("1e308", ["value[0]", "expected a figure below 10^15", "found 1E+308"]),
        ("1e400", ["value[0]", "found 1E+400"]),
        ("1." + "3" * 5000, ["expected numbers of at most 40 characters", "(5002 characters)"]),
        ("3" * 5000, ["expected numbers of at most 40 characters", "(5000 characters)"]),
    ],
    ids=["1e308", "1e400", "5000-digit decimal", "5000-digit integer"],
)
def test_kostra_file_with_a_number_beyond_the_limits(data_copy, tmp_path, literal, words):
    _refused(data_copy, tree_hash(data_copy), _with_first_value(tmp_path, literal), *words)


def test_kostra_file_nested_100000_deep(data_copy, tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    _refused(data_copy, tree_hash(data_copy), deep, "expected JSON nested at most 32 levels deep")


def test_kostra_file_larger_than_the_limit_is_not_read(data_copy, tmp_path):
    big = tmp_path / "big.json"
    with big.open("wb") as fh:
        fh.truncate(200_000_000)  # sparse: 200 MB that the reader must not read
    _refused(data_copy, tree_hash(data_copy), big, "expected a JSON-stat2 file of at most 20 MB", "found 200 MB")


@pytest.mark.parametrize("kind", ["named pipe", "device"])
def test_kostra_from_what_is_not_a_regular_file(data_copy, tmp_path, kind):
    if kind == "named pipe":
        source = tmp_path / "pipe.json"
        os.mkfifo(source)
    else:
        source = Path("/dev/zero")
    _refused(data_copy, tree_hash(data_copy), source, "expected a regular file saved from the Statistikkbank", f"found a {kind}")


def test_kostra_file_from_the_norwegian_page_is_accepted(data_copy, tmp_path):
    """SSB's Norwegian page gives the same codes with Norwegian labels (the unit 'kr'); codes are checked strictly."""
    obj = json.loads(SAVED.read_text(encoding="utf-8"))
    contents = obj["dimension"]["ContentsCode"]["category"]
    code = next(iter(contents["label"]))
    contents["label"][code] = "Beløp per innbygger (kr)"
    contents["unit"][code]["base"] = "kr"
    obj["label"] = "12362: Nøkkeltall for ulike tjenesteområder (SYNTHETIC)"
    norsk = tmp_path / "12362_norsk.json"
    norsk.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    result = invoke("kostra", "--year", 2017, "--from", norsk, "--dry-run", "--replace", "--data-dir", data_copy)
    assert result.exit_code == 0, result.output
    # a label in neither language is still refused, naming both
    contents["label"][code] = "Beløp per innbygger (1000 kr)"
    norsk.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    out = _refused(data_copy, tree_hash(data_copy), norsk, "expected label 'Amount per capita (NOK)' or 'Beløp per innbygger (kr)'")
    assert "found 'Beløp per innbygger (1000 kr)'" in out


def test_ssb_refusal_names_type_title_status_and_the_codes(data_copy, server):
    server.data = [Answer(400, b'{"type": "Parameter error", "title": "Non-existent value", "status": 400}')]
    result = invoke("kostra", "--year", 2019, "--data-dir", data_copy, "--base-url", server.url, "--retries", 0)
    assert result.exit_code == 1, result.output
    out = " ".join(result.output.split())
    assert "HTTP 400: Parameter error: Non-existent value; status 400" in out, out
    assert "the query asked for table 12362, ContentsCode=KOSbelopinnbygge0000" in out and "Tid=2017,2018,2019" in out, out  # the series
    assert "KOKfunksjon0000=100,110,120,121,130" in out, out


def test_an_answer_from_ssb_larger_than_the_limit_is_not_read_to_the_end(data_copy, server):
    server.data = [Answer(200, b" " * 21_000_000, {"Content-Type": "application/json"})]
    result = invoke("kostra", "--year", 2019, "--data-dir", data_copy, "--base-url", server.url, "--retries", 0)
    assert result.exit_code == 1, result.output
    assert "SSB's answer is larger than 20 MB, more than any query of the book asks for" in result.output


# --------------------------------------------------------------------------- workbooks


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("mal") / "mal-2019.xlsx"
    build_template(DATA_DIR, 2019, path, ["hr_laerlinger"])
    return path


def _bomb(template: Path, dst: Path, part: str, megabytes: int) -> Path:
    """``template`` with ``part`` replaced by one that unpacks to ``megabytes`` MB (a few hundred kB packed)."""
    with zipfile.ZipFile(template) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename != part:
                zout.writestr(info, zin.read(info.filename))
        with zout.open(part, "w", force_zip64=True) as fh:
            fh.write(
                b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
            )
            for _ in range(megabytes):
                fh.write(b"A" * 1_000_000)
            fh.write(b"</t></si></sst>")
    return dst


@pytest.mark.parametrize(("part", "named"), [("xl/sharedStrings.xml", "the workbook's text"), ("xl/styles.xml", "the cell styles")])
def test_a_workbook_part_that_unpacks_to_much_is_refused_before_parsing(template, data_copy, tmp_path, part, named):
    bomb = _bomb(template, tmp_path / "bomb.xlsx", part, 20)
    before = tree_hash(data_copy)
    result = invoke("import", bomb, "--dry-run", "--data-dir", data_copy)
    assert result.exit_code == 1, result.output
    out = " ".join(result.output.split())
    assert f"found {part} ({named}) unpacking to 20,0 MB" in out and "expected each part of the workbook to unpack to at most 8,0 MB" in out
    assert "Nothing was read" in out and tree_hash(data_copy) == before


def test_import_of_a_named_pipe_is_refused(data_copy, tmp_path):
    pipe = tmp_path / "hr_laerlinger.csv"
    os.mkfifo(pipe)
    result = invoke("import", pipe, "--source", "x", "--data-dir", data_copy)
    assert result.exit_code == 1, result.output
    assert "expected a regular file (a workbook saved by Excel, or a CSV file), found a named pipe" in result.output

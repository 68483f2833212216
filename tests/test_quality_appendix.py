"""The data-quality appendix lists at least the source's known quirks (data/README.md; the datasets' `notes`).

Reads the committed, executed appendix (book/datakvalitet.ipynb) as a reader
sees it: the tables' text with HTML removed.
"""

import html
import json
import re

import pytest

from analysis.config import BOOK_DIR
from analysis.present.fmt import NBSP


@pytest.fixture(scope="module")
def text() -> str:
    nb = json.loads((BOOK_DIR / "datakvalitet.ipynb").read_text(encoding="utf-8"))
    parts = []
    for c in nb["cells"]:
        for o in c.get("outputs", []):
            d = o.get("data", {})
            for mime in ("text/html", "text/markdown"):
                parts.append("".join(d.get(mime, "")))
    raw = re.sub(r"<style.*?</style>|<script.*?</script>", " ", " ".join(parts), flags=re.S)
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(re.sub(r"<[^>]+>", " ", raw)))  # keep no-break spaces


def test_laerlinger_header_typo(text):
    assert "2013 2017 2015 2016 2017 2018" in text and "2014" in text


def test_chapter3_sum_gap_within_rounding(text):
    # 340,5 printed against 340,3 from the six units: listed, and as rounding, not as a finding
    assert re.search(r"seks enhetene \(2018\) 3\.2\.1 340,5 340,30", text)
    assert "340,5" not in _table_text("kvalitet-funn")
    assert "340,5" in _table_text("kvalitet-avrunding")


def _table_text(table_id: str) -> str:
    """The reader's text of one table of the appendix (found by its great-tables id)."""
    nb = json.loads((BOOK_DIR / "datakvalitet.ipynb").read_text(encoding="utf-8"))
    for c in nb["cells"]:
        for o in c.get("outputs", []):
            h = "".join(o.get("data", {}).get("text/html", ""))
            if f'id="{table_id}-table"' in h:
                h = re.sub(r"<style.*?</style>", " ", h, flags=re.S)
                return re.sub(r"[ \t\r\n]+", " ", html.unescape(re.sub(r"<[^>]+>", " ", h)))
    raise AssertionError(f"no table {table_id} in the appendix")


def test_andre_driftsutgifter_range(text):
    assert re.search(r"andre driftsutgifter.{0,120}12,8 12,42", text)


def test_kommunale_boliger_text_against_table(text):
    assert f"2{NBSP}153" in text and f"2{NBSP}142" in text


def test_two_series_with_one_name(text):
    assert f"3{NBSP}329" in text and f"3{NBSP}237" in text


def test_printed_changes_off_by_rounding(text):
    # derived values the rounded inputs do not reproduce but allow (e.g. 3.2.1 Strategisk ledelse −31,6 vs −31,74)
    assert re.search(r"Årsverk, Strategisk ledelse: endring 2017–2018 3\.2\.1 −31,6 −31,74", text)

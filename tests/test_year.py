"""A chapter run for another reporting year tells that year's story.

Every chapter is executed with ``year=2017`` (through the real ``run`` stage,
into a temporary book folder): its tables end in 2017, its text names 2017,
and nothing from 2018 appears anywhere a reader can see it.

The text has no 2017 edition (the source is the 2018 one): the run uses a copy
of the project where the 2017 edition was started from the 2018 text with
``edition new 2017 --from 2018`` (no silent fallback), so every block of the
2017 book carries the marker that its text is the 2018 edition's, not reviewed.
"""

import base64
import json
import re
import shutil
from pathlib import Path

import pytest

from analysis import config
from analysis.chapters import datakvalitet, digit, eiendom, kilder, medarbeidere, osu
from analysis.editions.start import new_edition
from analysis.pipeline.run import run_notebooks
from analysis.present.outputs import Prose

YEAR = 2017
LATER = "2018"


def _visible_text(nb: dict) -> list[str]:
    """What a reader sees of each output: markdown, plain text and HTML without scripts and images."""
    out = []
    for cell in nb["cells"]:
        if (
            cell["cell_type"] != "code"
            or "parameters" in cell["metadata"].get("tags", [])
            or "injected-parameters" in cell["metadata"].get("tags", [])
        ):
            continue
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            for mime in ("text/markdown", "text/plain", "text/html"):
                if mime in data:
                    text = "".join(data[mime]) if isinstance(data[mime], list) else data[mime]
                    if mime == "text/html":
                        text = re.sub(r"<script.*?</script>", "", text, flags=re.S)
                        text = re.sub(r'(src|href)="data:[^"]*"', "", text)
                        text = re.sub(r"<style.*?</style>", "", text, flags=re.S)
                    out.append(text)
            if "text" in o:
                out.append("".join(o["text"]))
    return out


MARKER = f"Teksten er fra {LATER}-utgaven og er ikke gjennomgått"
"""The callout on every block of a 2017 book (its text is the 2018 edition's): it names 2018 on purpose."""


@pytest.fixture(scope="module")
def book_2017(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("book2017")
    shutil.copytree(config.DATA_DIR, root / "data")
    shutil.copytree(config.NARRATIVE_DIR, root / "narrative")
    new_edition(root / "narrative", YEAR, source=int(LATER))
    run_notebooks(year=YEAR, force=True, book_dir=root / "book", state_dir=root / ".build", data_dir=root / "data")
    return root / "book"


def test_every_block_says_its_text_is_the_2018_editions(book_2017):
    for name in config.CHAPTERS:
        nb = json.loads((book_2017 / f"{name}.ipynb").read_text(encoding="utf-8"))
        placed = [c for c in nb["cells"] if "va.narrative(" in "".join(c["source"])]
        marked = [c for c in placed if MARKER in "".join(c["outputs"][0]["data"]["text/markdown"])]
        assert placed and len(marked) == len(placed), f"{name}: {len(marked)} of {len(placed)} blocks marked"


@pytest.mark.parametrize("name", config.NOTEBOOKS)
def test_nothing_from_a_later_year(book_2017, name):
    nb = json.loads((book_2017 / f"{name}.ipynb").read_text(encoding="utf-8"))
    # the one legitimate mention: staff are counted at the start of the following year ("ved inngangen til 2018")
    texts = [t.replace(f"inngangen til {LATER}", "").replace(MARKER, "") for t in _visible_text(nb)]
    leaks = [t[max(0, t.find(LATER) - 60) : t.find(LATER) + 60] for t in texts if LATER in t]
    assert leaks == [], f"{name}: {leaks[:3]}"
    assert not any(o.get("output_type") == "error" for c in nb["cells"] for o in c.get("outputs", []))


@pytest.mark.parametrize("name", config.CHAPTERS)
def test_chapter_names_the_reporting_year(book_2017, name):
    texts = _visible_text(json.loads((book_2017 / f"{name}.ipynb").read_text(encoding="utf-8")))
    assert any(str(YEAR) in t for t in texts)


@pytest.mark.parametrize("name", config.CHAPTERS)
def test_tables_end_in_the_reporting_year(book_2017, name):
    # the year columns (and year spanners) of every table stop at the reporting year
    nb = json.loads((book_2017 / f"{name}.ipynb").read_text(encoding="utf-8"))
    years = []
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            html = "".join(o.get("data", {}).get("text/html", ""))
            for header in re.findall(r"<th\b[^>]*>(.*?)</th>", html, re.DOTALL):
                years += [int(y) for y in re.findall(r"(?<!\d)(20\d\d)(?!\d)", re.sub(r"<[^>]+>", "", header))]
    assert years, f"{name}: no table with a year column"
    assert max(years) == YEAR, sorted(set(years))


def test_charts_carry_a_static_image(book_2017):
    # every chart output has a PNG for the PDF beside its HTML
    nb = json.loads((book_2017 / "osu.ipynb").read_text(encoding="utf-8"))
    pngs = [o["data"]["image/png"] for c in nb["cells"] for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert pngs and all(base64.b64decode(p)[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)


# -- every sentence function of every chapter, without running the notebooks ---------------------------------------------

SENTENCES = [
    (m.__name__.rsplit(".", 1)[-1], n, getattr(m, n))
    for m in (osu, digit, eiendom, medarbeidere, datakvalitet, kilder)
    for n in m.__all__
    if n.startswith("sentence_")
]
QUIET_IN_2017 = {
    "osu.sentence_osa_sum": "the units add up to the printed total in 2017",
    "digit.sentence_prosjekter": "the source counts the projects only for 2018",
    "eiendom.sentence_verdibevarende": "the amount is stated for 2018 only",
    "eiendom.sentence_fagbrev": "the certificates are stated for a later year",
    "medarbeidere.sentence_endringer": "the organisational changes are about 2018",
    "medarbeidere.sentence_pensjon": "the pension statements are about 2018",
    "medarbeidere.sentence_laerlinger_ks": "KS changed its guidance in 2018 (an event shown from its year on)",
    "medarbeidere.sentence_stipend": "the grants are stated for 2018",
    "medarbeidere.sentence_mangfold": "the statement on leaders is about 2018",
    "medarbeidere.sentence_sykefravaer_mal": "the target is stated for 2018",
}
"""Sentences that are empty in 2017 by design (the source's statement belongs to a later year), and why."""


@pytest.mark.parametrize(("chapter", "name", "fn"), SENTENCES, ids=[f"{c}.{n}" for c, n, _ in SENTENCES])
def test_sentences_return_prose_and_show_nothing_from_2018_in_2017(chapter, name, fn, b17, b18):
    """Every sentence says something in 2018; in 2017 it says something (unless listed above) and nothing about 2018."""
    out18, out17 = fn(b18), fn(b17)
    assert isinstance(out18, Prose) and isinstance(out17, Prose)
    assert str(out18).strip(), f"{chapter}.{name} says nothing in 2018"
    text = str(out17)
    assert bool(text.strip()) is (f"{chapter}.{name}" not in QUIET_IN_2017), f"{chapter}.{name} in 2017: {text!r}"
    text = text.replace(f"inngangen til {LATER}", "")  # staff are counted at the start of the following year
    assert LATER not in text and "2019" not in text, text

"""The narrative: the text of each edition in narrative/<year>/, placed by name in the chapters, reviewed per edition.

* the file format (named blocks; comments are the authors' notes; no figure typed into the text) and its errors;
* the committed text: every block the notebooks place exists, once; the notebooks keep only headings as
  Markdown; every cross-reference in the text points at something in the book;
* starting an edition from the last, review by edit or by mark, status, and the marker a chapter shows;
* the CLI: ``edition new|status|review``, ``run``/``build`` without an edition, a PDF refused with text not reviewed.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import analysis as va
from analysis import config
from analysis.cli import main as cli
from analysis.data import reads
from analysis.data.narrative import (
    NarrativeError,
    Status,
    block_status,
    chapter_states,
    narrative_dir_for,
    parse_blocks,
    read_blocks,
    read_review,
    text_hash,
    typed_figures,
)
from analysis.editions.review import edition_status, placed_blocks, review_blocks
from analysis.editions.start import new_edition
from analysis.present.narrative import UNREVIEWED_KEY

runner = CliRunner()
EDITION = 2018
TEXT = config.NARRATIVE_DIR / str(EDITION)


def _invoke(*args) -> object:
    return runner.invoke(cli.app, [str(a) for a in args])


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of data/ and narrative/ side by side (the data folder is returned)."""
    shutil.copytree(config.DATA_DIR, tmp_path / "data")
    shutil.copytree(config.NARRATIVE_DIR, tmp_path / "narrative")
    return tmp_path / "data"


# --------------------------------------------------------------------------- the format


def test_blocks_are_named_and_keep_their_text():
    text = "<!-- block: eins -->\nFørste avsnitt.\n\nAndre avsnitt.\n\n<!-- block: to-b -->\n- punkt\n"
    blocks = parse_blocks(text, "osu", "x.md")
    assert list(blocks) == ["eins", "to-b"]
    assert blocks["eins"].text == "Første avsnitt.\n\nAndre avsnitt." and blocks["eins"].line == 1
    assert blocks["to-b"].id == "osu/to-b" and blocks["to-b"].text == "- punkt" and blocks["to-b"].line == 6


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Løs tekst\n<!-- block: a -->\nx\n", "x.md: text before the first <!-- block: NAME --> line"),
        ("<!-- block: a -->\nx\n<!-- block: a -->\ny\n", "x.md, line 3: block 'a' appears twice"),
        ("<!-- block: Stor_Bokstav -->\nx\n", "x.md, line 1: block name 'Stor_Bokstav'"),
        ("bare tekst\n", "x.md: no <!-- block: NAME --> line"),
    ],
)
def test_malformed_files_are_refused_with_file_and_line(text, message):
    with pytest.raises(NarrativeError, match=re.escape(message)):
        parse_blocks(text, "osu", "x.md")


def test_comments_are_notes_for_the_authors_not_text_nor_an_edit():
    plain = "Teksten.\n\nMer tekst."
    noted = "Teksten.\n<!-- sjekk dette før 2020 -->\n\nMer tekst.   \r\n"
    blocks = parse_blocks(f"<!-- mappen: fra i fjor -->\n<!-- block: a -->\n{noted}", "osu", "x.md")
    assert blocks["a"].book_text == "Teksten.\n\nMer tekst.   "  # trailing spaces are Markdown (a line break): kept
    assert text_hash(noted) == text_hash(plain), "a note or trailing spaces are no edit"
    assert text_hash(plain + " Ny setning.") != text_hash(plain)
    assert typed_figures(noted) == [], "digits in a comment are not in the book"


def test_typed_figures_are_found_outside_references():
    assert typed_figures("Se @tbl-osu-2 og {#sec-x1}: kommunen hadde 12 ansatte i 2019.") == ["12", "2019"]


# --------------------------------------------------------------------------- the committed text


def _notebook(name: str) -> dict:
    return json.loads((config.NOTEBOOKS_DIR / f"{name}.ipynb").read_text(encoding="utf-8"))


def test_every_block_is_placed_once_and_every_placed_block_exists():
    placed = placed_blocks(config.NOTEBOOKS_DIR, config.NOTEBOOKS)
    for chapter in config.CHAPTERS:
        have = list(read_blocks(config.NARRATIVE_DIR, EDITION, chapter, record=False))
        ids = [b.split("/", 1)[1] for b in placed[chapter]]
        assert all(b.startswith(f"{chapter}/") for b in placed[chapter]), placed[chapter]
        assert sorted(ids) == sorted(have) and len(set(ids)) == len(ids), chapter
        assert ids == have, f"{chapter}: the file's blocks are in the chapter's order"
    st = edition_status(config.NARRATIVE_DIR, EDITION)
    assert st.missing == [] and st.unplaced == [] and st.typed == []


def test_chapter_notebooks_keep_only_headings_as_markdown():
    """The prose is in narrative/; a notebook's Markdown cells are its outline: the title and section headings."""
    for chapter in config.CHAPTERS:
        for cell in _notebook(chapter)["cells"]:
            if cell["cell_type"] == "markdown":
                lines = [ln for ln in "".join(cell["source"]).splitlines() if ln.strip()]
                assert all(re.match(r"#{1,6} .+\{#sec-[\w-]+\}$", ln) for ln in lines), f"{chapter}: {lines[:2]}"


def test_narrative_cells_are_asis_and_one_call():
    """``output: asis``: Quarto takes the text as it takes a Markdown cell (no output div: sections, callouts, xrefs)."""
    for chapter in config.CHAPTERS:
        cells = [c for c in _notebook(chapter)["cells"] if "va.narrative(" in "".join(c["source"])]
        assert cells
        for c in cells:
            lines = "".join(c["source"]).splitlines()
            assert lines[0] == "#| output: asis" and len(lines) == 2, lines


def _ids_and_labels() -> set[str]:
    found = set()
    for name in config.NOTEBOOKS:
        for cell in _notebook(name)["cells"]:
            src = "".join(cell["source"])
            found.update(re.findall(r"\{#((?:sec|fig|tbl)-[\w-]+)", src))
            found.update(re.findall(r"^#\| label: ((?:fig|tbl)-[\w-]+)", src, re.M))
    return found


def test_every_reference_in_the_text_points_into_the_book():
    known = _ids_and_labels()
    for path in sorted(TEXT.glob("*.md")):
        refs = set(re.findall(r"@((?:sec|fig|tbl)-[\w-]*\w)", path.read_text(encoding="utf-8")))
        assert refs and refs <= known, f"{path.name}: {sorted(refs - known)}"


def test_the_2018_text_is_the_first_edition_every_block_written_for_it():
    st = edition_status(config.NARRATIVE_DIR, EDITION)
    assert st.states() and {s.status for s in st.states()} == {Status.WRITTEN} and st.unreviewed == []


# --------------------------------------------------------------------------- a new edition, review


def test_new_edition_copies_the_last_and_marks_every_block_not_reviewed(project):
    narrative = narrative_dir_for(project)
    made = new_edition(narrative, 2019)
    assert made.source == EDITION and made.chapters == tuple(config.CHAPTERS) and made.blocks > 50
    for chapter in config.CHAPTERS:
        assert (narrative / "2019" / f"{chapter}.md").read_bytes() == (TEXT / f"{chapter}.md").read_bytes()
    st = edition_status(narrative, 2019)
    assert len(st.unreviewed) == made.blocks and st.sources == [EDITION]


def test_an_edit_or_a_mark_reviews_a_block_a_note_does_not(project):
    narrative = narrative_dir_for(project)
    new_edition(narrative, 2019)
    path = narrative / "2019" / "digit.md"
    text = path.read_text(encoding="utf-8")
    blocks = read_blocks(narrative, 2019, "digit", record=False)
    first, second, third = list(blocks.values())[:3]
    text = text.replace(first.text, first.text + "\n\nEn ny setning for det nye året.")
    text = text.replace(second.text, second.text + "\n<!-- må sjekkes -->")
    path.write_text(text, encoding="utf-8")
    done = review_blocks(narrative, 2019, [third.id, first.id])
    assert [(r.block, r.marked) for r in done] == [(third.id, True), (first.id, False)]
    status = {s.block.name: s.status for s in chapter_states(narrative, 2019, "digit", record=False)}
    assert status[first.name] is Status.CHANGED
    assert status[second.name] is Status.NOT_REVIEWED
    assert status[third.name] is Status.REVIEWED
    review = read_review(narrative, 2019, "digit", record=False)
    assert review[third.name].reviewed == third.sha256 and review[second.name].reviewed is None
    assert block_status(first, review[first.name]) is Status.NOT_REVIEWED, "the copy as it was: not reviewed"


def test_review_names_an_unknown_block_and_writes_nothing(project):
    narrative = narrative_dir_for(project)
    new_edition(narrative, 2019)
    before = {p.name: p.read_bytes() for p in (narrative / "2019").iterdir()}
    with pytest.raises(NarrativeError, match=r"no block or chapter 'osu/innledninng'; did you mean osu/innledning"):
        review_blocks(narrative, 2019, ["osu/satsninger", "osu/innledninng"])
    assert before == {p.name: p.read_bytes() for p in (narrative / "2019").iterdir()}


def test_an_edition_before_every_other_needs_from(project):
    narrative = narrative_dir_for(project)
    with pytest.raises(NarrativeError, match=r"no edition before 2017 to start from \(editions: 2018\); name one with --from"):
        new_edition(narrative, 2017)
    with pytest.raises(NarrativeError, match="the 2018 edition exists already"):
        new_edition(narrative, 2018)
    assert new_edition(narrative, 2017, source=2018).blocks > 50
    assert sorted(p.name for p in narrative.iterdir()) == ["2017", "2018"], "nothing half-made is left beside"


def test_the_first_edition_of_a_project_starts_empty(tmp_path):
    made = new_edition(tmp_path / "narrative", 2018)
    assert made.source is None and made.blocks == 0 and (tmp_path / "narrative" / "2018").is_dir()


# --------------------------------------------------------------------------- what a chapter shows


def test_a_block_not_reviewed_carries_the_marker_and_says_so_in_metadata(project):
    new_edition(narrative_dir_for(project), 2019)
    book = va.setup(2019, project)
    out = va.narrative(book, "osu/innledning")
    data, meta = out._repr_mimebundle_()
    marker = "::: {.callout-warning .va-unreviewed}\n## Utkast\n\nTeksten er fra 2018-utgaven og er ikke gjennomgått.\n:::\n\n"
    assert data["text/markdown"].startswith(marker)
    assert meta == {UNREVIEWED_KEY: {"block": "osu/innledning", "from": 2018}}
    assert data["text/markdown"].endswith(out.text) and "Utkast" not in data["text/plain"]
    reviewed = va.narrative(va.setup(2018), "osu/innledning")._repr_mimebundle_()
    assert isinstance(reviewed, dict) and not reviewed["text/markdown"].startswith(":::")


def test_the_text_holds_no_raw_html_and_no_authors_note(project):
    path = narrative_dir_for(project) / "2018" / "osu.md"
    text = path.read_text(encoding="utf-8")
    planted = "<!-- block: satsninger -->\nA <b>&</b> B <!-- intern merknad -->\n"
    path.write_text(text.replace("<!-- block: satsninger -->\n", planted), encoding="utf-8")
    md = va.narrative(va.setup(2018, project), "osu/satsninger").markdown()
    assert md.startswith("A &lt;b&gt;&amp;&lt;/b&gt; B \n") and "intern merknad" not in md


def test_a_chapter_reads_the_text_through_the_read_record(project):
    reads.clear_reads()
    va.narrative(va.setup(2018, project), "digit/behov")
    files = {Path(r["path"]).name: r["sha256"] for r in reads.reads()}
    assert files["digit.md"] == hashlib.sha256((project.parent / "narrative" / "2018" / "digit.md").read_bytes()).hexdigest()
    assert files["digit.review.json"] is None  # recorded as absent: a review record appearing runs the chapter again
    reads.clear_reads()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("<!-- block: behov -->\n", "<!-- block: behov -->\nI 2019 kom 12 nye.\n"), "block 'behov' (line"),
        (lambda t: t.replace("<!-- block: behov -->", "<!-- block: behovet -->"), "has no block 'behov' (blocks: innledning, behovet"),
    ],
)
def test_a_chapter_refuses_a_typed_figure_or_a_missing_block(project, edit, message):
    path = narrative_dir_for(project) / "2018" / "digit.md"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(NarrativeError, match=re.escape(message)):
        va.narrative(va.setup(2018, project), "digit/behov")


def test_a_year_without_an_edition_says_how_to_start_it(project):
    with pytest.raises(NarrativeError, match=re.escape("no 2019 edition of the text (narrative/2019/ does not exist; editions: 2018): "
                                                       "start it with `virksomhetsanalyse edition new 2019`")):  # fmt: skip
        va.narrative(va.setup(2019, project), "osu/innledning")


# --------------------------------------------------------------------------- the CLI


def test_cli_new_status_review(project):
    result = _invoke("edition", "new", 2019, "--data-dir", project)
    assert result.exit_code == 0 and "from the 2018 edition: 4 chapter(s)" in result.output, result.output
    assert _invoke("edition", "new", 2019, "--data-dir", project).exit_code == 2
    result = _invoke("edition", "review", 2019, "osu/innledning", "digit", "--data-dir", project)
    assert result.exit_code == 0 and "reviewed: osu/innledning" in result.output and "marked 11 block(s) reviewed" in result.output
    result = _invoke("edition", "status", 2019, "--data-dir", project)
    assert result.exit_code == 0, result.output
    total = edition_status(narrative_dir_for(project), 2019).states()
    head = f"edition 2019 (started from 2018): {len(total)} text blocks — 11 reviewed, 0 changed since 2018, {len(total) - 11} not reviewed"
    assert head in result.output
    assert re.search(r"^  reviewed\s+osu/innledning\s+Organisasjon", result.output, re.M)
    assert re.search(r"^  NOT REVIEWED\s+osu/satsninger\s", result.output, re.M)
    assert "digit: 10 blocks, 0 not reviewed" in result.output


def test_cli_status_names_blocks_the_book_cannot_use(project):
    path = narrative_dir_for(project) / "2018" / "eiendom.md"
    path.write_text(path.read_text(encoding="utf-8").replace("<!-- block: boliger -->", "<!-- block: boligene -->"), encoding="utf-8")
    result = _invoke("edition", "status", 2018, "--data-dir", project)
    assert result.exit_code == 1
    assert "placed by a chapter but not in the edition: eiendom/boliger" in result.output
    assert "eiendom/boligene is placed by no chapter notebook" in result.output


@pytest.mark.parametrize(
    ("year", "hint"), [(2019, "start it with `virksomhetsanalyse edition new 2019`"), (2017, "edition new 2017 --from 2018`")]
)
def test_cli_run_and_build_without_an_edition_stop_before_running(project, monkeypatch, year, hint):
    ran = []
    monkeypatch.setattr(cli, "_run", lambda *a, **k: ran.append(a))
    for command in ("run", "build"):
        result = _invoke(command, "--year", year, "--data-dir", project, "--allow-empty-year")  # 2019: no figures yet
        assert result.exit_code == 2, result.output
        assert f"cannot run for {year}: no {year} edition of the text" in result.output and hint in result.output
        assert "Nothing was run." in result.output and "Traceback" not in result.output
    assert ran == []


def test_cli_build_refuses_the_pdf_with_text_not_reviewed_unless_draft(project, monkeypatch):
    ran = []
    monkeypatch.setattr(cli, "_run", lambda *a, **k: ran.append(a))
    monkeypatch.setattr(cli, "_render", lambda *a, **k: ran.append(("render", a)))
    new_edition(narrative_dir_for(project), 2019)
    review_blocks(narrative_dir_for(project), 2019, ["digit"])
    left = len(edition_status(narrative_dir_for(project), 2019).unreviewed)
    result = _invoke("build", "--year", 2019, "--data-dir", project, "--allow-empty-year")
    assert result.exit_code == cli.EXIT_UNREVIEWED == 6, result.output
    refused = f"the 2019 PDF is refused: {left} text block(s) of the 2019 edition are not reviewed (osu 33, eiendom 25, medarbeidere 19)"
    assert refused in result.output
    assert "--draft" in result.output and "Nothing was run." in result.output and ran == []
    empty = "--allow-empty-year"
    assert _invoke("build", "--year", 2019, "--data-dir", project, empty, "--to", "html").exit_code == 0  # the HTML shows the markers
    assert _invoke("build", "--year", 2019, "--data-dir", project, empty, "--draft").exit_code == 0
    assert ran[-1] == ("render", ("all", False, True))  # (to, force, draft)


# --------------------------------------------------------------------------- the preview


def test_the_preview_shows_the_marker_and_no_empty_table(tmp_path):
    from analysis.pipeline.preview import build_preview
    from analysis.present.narrative import NarrativeOutput

    book = tmp_path / "book"
    book.mkdir()
    nb = json.loads((config.BOOK_DIR / "digit.ipynb").read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if "va.narrative(" in "".join(c["source"]))
    out = cell["outputs"][0]
    out["data"]["text/markdown"] = NarrativeOutput("digit/innledning", "".join(out["data"]["text/plain"]), 2018).markdown()
    (book / "digit.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    shutil.copy(config.BOOK_DIR / "endringer.ipynb", book / "endringer.ipynb")  # the first edition: no table has a row
    build_preview(book, tmp_path / "preview")
    page = (tmp_path / "preview" / "digit.html").read_text(encoding="utf-8")
    assert '<div class="callout callout-warning" role="note"' in page and '<p class="callout-title">Utkast</p>' in page
    assert page.count("Teksten er fra 2018-utgaven og er ikke gjennomgått.") == 1
    appendix = (tmp_path / "preview" / "endringer.html").read_text(encoding="utf-8")
    assert "Dette er den første utgaven" in appendix and "Tabell" not in appendix and "<figure" not in appendix


def test_a_failing_text_cell_is_named_by_its_call_not_its_option(tmp_path):
    from analysis.pipeline.errors import describe_failure

    error = {"output_type": "error", "ename": "NarrativeError", "evalue": "narrative/2019/digit.md, block 'behov'", "traceback": []}
    source = ["#| output: asis\n", 'va.narrative(book, "digit/behov")']
    cell = {"cell_type": "code", "execution_count": 6, "metadata": {}, "source": source, "outputs": [error]}
    nb = tmp_path / "digit.ipynb"
    nb.write_text(json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    failure = describe_failure("digit", nb, nb, tmp_path / "digit.log")
    assert str(failure).startswith("chapter 'digit', cell 1 (In [6]): `va.narrative(book, \"digit/behov\")`"), str(failure)


def test_edition_commands_and_publish_wait_for_another_writer(project, monkeypatch):
    """``edition review`` (and ``publish``) write the project: while another command holds its write lock, they stop."""
    import subprocess
    import sys
    import time

    new_edition(narrative_dir_for(project), 2019)
    marker = project.parent / "holding"
    code = (
        "import pathlib, sys, time\nfrom analysis.data.access import writing\n"
        f"with writing('build', [pathlib.Path({str(project.parent / 'narrative')!r})]):\n"
        f"    pathlib.Path({str(marker)!r}).write_text('x')\n    time.sleep(20)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", code])
    try:
        deadline = time.monotonic() + 15
        while not marker.exists() and holder.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), "the other writer holds the lock"
        monkeypatch.setenv("VIRKSOMHETSANALYSE_LOCK_WAIT", "0.2")
        review = _invoke("edition", "review", 2019, "digit", "--data-dir", project)
        publish = _invoke("publish", "--year", 2019, "--data-dir", project)
    finally:
        holder.kill()
        holder.wait()
    for result in (review, publish):
        assert result.exit_code == 75 and "build" in result.output and "Nothing was done" in result.output, result.output
    assert read_review(narrative_dir_for(project), 2019, "digit", record=False)["innledning"].reviewed is None

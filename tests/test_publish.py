"""Publishing an edition, and what the next edition says changed: the record, the site, the appendix *Endringer*.

Without running chapters: the appendix's comparisons (``analysis.chapters.endringer``) on a copy of data/ against a
SYNTHETIC record of an earlier edition (``helpers.write_previous_record``); the draft switch the render reads; the
landing page; the refusals of ``publish``. The whole cycle is tests/test_edition_cycle.py.
"""

from __future__ import annotations

import re
import shutil

import pytest
import yaml

import analysis as va
from analysis import config
from analysis.chapters import endringer
from analysis.pipeline import draft
from analysis.pipeline.publish import PublishError, publish
from analysis.pipeline.site import SiteEntry, landing_page
from helpers import set_value, write_previous_record

ROOT = config.PROJ_ROOT


# --------------------------------------------------------------------------- the appendix


@pytest.fixture
def data(tmp_path):
    shutil.copytree(config.DATA_DIR, tmp_path / "data")
    return tmp_path / "data"


def test_the_first_edition_is_one_sentence(data):
    book = va.setup(2018, data)
    assert endringer.changes(book) is None
    assert str(endringer.sentence_summary(book)).startswith("Dette er den første utgaven av boken")
    assert all(f(book) is None for f in (endringer.tab_revised, endringer.tab_added, endringer.tab_new_years, endringer.tab_series))
    assert all(str(f(book)) == "" for f in (endringer.sentence_revised, endringer.sentence_added, endringer.sentence_series))


def test_nothing_changed_is_one_sentence(data):
    write_previous_record(data, 2018, drop_finding=False)
    book = va.setup(2019, data)  # no figure for 2019 yet, none revised: nothing changed since the 2018 edition
    assert endringer.changes(book).nothing
    assert str(endringer.sentence_summary(book)) == (
        "Ingen av tallene 2018-utgaven (publisert 15. mars 2019) viste, er endret siden, det er ikke kommet til nye tall, "
        "og avvikene i datakvalitetsvedlegget er de samme."
    )
    assert endringer.tab_new_years(book) is None and str(endringer.sentence_findings(book)) == ""


def test_the_year_after_the_record_is_the_new_years_figures(data):
    write_previous_record(data, 2017, drop_finding=False)
    book = va.setup(2018, data)
    c = endringer.changes(book)
    assert not c.revised and not c.added and not c.series_dropped and not c.findings_gone
    assert c.new_years and {f.year for f in c.new_years} == {2018}
    # series the data hold from 2018 on (a breakdown new that year) are new since the 2017 edition; so are the findings
    # about 2018
    assert c.series_new and all(years == [2018] for _, years in c.series_new)
    first = {s: min(y) for s, y in c.series_new}
    assert all(min(book.series(*s)) == 2018 for s in first)
    assert c.findings_new and {g.year for g in c.findings_new} == {2018}


def test_revised_added_new_and_dropped_are_told_apart(data):
    write_previous_record(data, 2017, revise=("osu_arsverk", "arsverk", "digit", 2016))
    record = data.parent / "editions" / "2017" / "figures.csv"
    lines = record.read_text(encoding="utf-8").splitlines(keepends=True)
    # SYNTHETIC: the record lacks one 2015 figure (it is "added" since) and has a series data/ no longer holds
    dropped = "hr_laerlinger,antall_laerlinger,gammel_gruppe,2016,3,antall,SYNTETISK\n"
    lines = [ln for ln in lines if not ln.startswith("osu_arsverk,arsverk,eiendom,2015,")] + [dropped]
    record.write_text("".join(lines), encoding="utf-8")
    book = va.setup(2018, data)
    c = endringer.changes(book)
    ((old, new),) = c.revised
    assert (old.key, old.value, new.value) == (("osu_arsverk", "arsverk", "digit", 2016), str(round(new.number * 1.1, 1)), new.value)
    assert [f.key for f in c.added] == [("osu_arsverk", "arsverk", "eiendom", 2015)]
    assert c.series_dropped == [(("hr_laerlinger", "antall_laerlinger", "gammel_gruppe"), [2016])]
    assert c.findings_new and not c.findings_gone, "the record left one finding out: it is new since"
    text = str(endringer.sentence_summary(book))
    assert "Siden da er 1 tall revidert og 1 tall lagt til for 2017 eller tidligere" in text and "1 serie er falt bort" in text
    cells = re.sub(r"<[^>]+>", "|", endringer.tab_revised(book).html)
    label = f"{book.label('arsverk')}, {book.group_label('digit')}"
    assert f"|{label}|" in cells and "|2016|" in cells
    assert endringer.tab_series(book) is not None and endringer.tab_findings(book) is not None


def test_a_correction_after_publishing_is_a_revision_with_its_new_source(data):
    write_previous_record(data, 2017)
    set_value(data, "hr_laerlinger", "2016,antall_laerlinger,kommunen", "81")
    ((old, new),) = endringer.changes(va.setup(2018, data)).revised
    assert (old.value, new.value, new.year) == ("80", "81", 2016)


# --------------------------------------------------------------------------- the draft switch


def test_the_draft_switch_is_a_profile_the_render_reads():
    quarto = yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))
    assert quarto["profile"]["default"] == ["year", "edition"]
    committed = (ROOT / draft.EDITION_MARK).read_text(encoding="utf-8")
    assert committed == draft.edition_mark(False), "committed in its final form"
    assert yaml.safe_load(committed) == {"edition-draft": False}
    on = yaml.safe_load(draft.edition_mark(True))
    assert on["format"]["typst"]["include-in-header"] == [draft.DRAFT_HEADER]
    assert "#set page(foreground: pdf.artifact(" in (ROOT / draft.DRAFT_HEADER).read_text(encoding="utf-8"), (
        "an artifact: drawn as content, the mark broke PDF/UA-1 at every table continued on the next page"
    )
    assert "Utkast" in (ROOT / draft.DRAFT_HEADER).read_text(encoding="utf-8")
    assert draft.EDITION_MARK.startswith("_quarto") and draft.EDITION_MARK.endswith(".yml"), "render_key hashes _quarto*.yml"


def test_write_edition_mark_switches_and_leaves_an_unchanged_file_alone(tmp_path):
    path = draft.write_edition_mark(True, tmp_path)
    assert draft.is_draft(tmp_path)
    before = path.stat().st_mtime_ns
    draft.write_edition_mark(True, tmp_path)
    assert path.stat().st_mtime_ns == before
    draft.write_edition_mark(False, tmp_path)
    assert not draft.is_draft(tmp_path)


# --------------------------------------------------------------------------- the landing page and publish's refusals


def test_landing_page_lists_newest_first_with_links_and_sizes():
    page = landing_page([SiteEntry(2020, "2021-06-15", "2020/index.html", "2020/virksomhetsanalyse.pdf", 2_621_440),
                         SiteEntry(2019, "2020-03-15", None, None, None)])  # fmt: skip
    assert page.index("Rapporteringsår 2020") < page.index("Rapporteringsår 2019")
    assert "Publisert 15. juni 2021" in page and "Last ned 2020-utgaven som PDF (2,5\u00a0MB)" in page
    assert "Boken er ikke lagt ut på dette nettstedet." in page, "a record without a copy here is listed, without links"
    assert '<html lang="nb">' in page and page.count("<h1>") == 1


@pytest.mark.parametrize(
    ("render", "message"),
    [
        (None, "no book has been built here: run `virksomhetsanalyse build --year 2018` first"),
        ({"year": 2019, "to": "all", "draft": False, "book": None}, "the last build made the 2019 book, not 2018"),
        ({"year": 2018, "to": "all", "draft": True, "book": None}, "the last build made a draft (--draft)"),
        ({"year": 2018, "to": "html", "draft": False, "book": None}, "the last render made only the html output"),
        ({"year": 2018, "to": "all", "draft": False, "book": "other"}, "book/ changed since the last render"),
        ({"year": 2018, "to": "all", "draft": False, "book": None}, "virksomhetsanalyse.pdf in"),  # the outputs are gone
    ],
)
def test_publish_refuses_what_the_last_build_did_not_make(tmp_path, render, message):
    from analysis.pipeline import render_state

    state = tmp_path / ".build"
    state.mkdir()
    if render is not None:  # the record a render of that kind leaves (render_state.record_render)
        out = tmp_path / "_book"
        out.mkdir()
        for name in render_state.OUTPUTS.values():
            (out / name).write_text("rendered", encoding="utf-8")
        formats = render_state.FORMATS if render["to"] == "all" else (render["to"],)
        book = render["book"] or render_state.chapters_hash(config.BOOK_DIR, config.NOTEBOOKS)
        render_state.record_render(formats, "key", out, state, year=render["year"], draft=render["draft"], book=book)
        if message.startswith("virksomhetsanalyse.pdf"):
            (out / "virksomhetsanalyse.pdf").unlink()
    shutil.copytree(config.DATA_DIR, tmp_path / "data")
    with pytest.raises(PublishError, match=re.escape(message)):
        publish(2018, root=tmp_path, data_dir=tmp_path / "data", book_dir=config.BOOK_DIR, state_dir=state,
                output_dir=tmp_path / "_book", site_dir=tmp_path / "_site")  # fmt: skip
    assert not (tmp_path / "editions").exists() and not (tmp_path / "_site").exists(), "nothing written"

"""The book says when a municipality's borders changed (Asker 2020), from ``data/kostra_municipalities.csv``.

The figures added to the data copies are SYNTHETIC (invented for the test).
"""

from __future__ import annotations

from pathlib import Path

from analysis.data.book import Book
from analysis.data.sources import border_notes
from analysis.data.validate import validate_data

MERGED = {"group": "asker", "municipality": "Asker", "code": "3025", "from_year": 2020, "to_year": 2023, "change": "merged"}


def test_a_merger_is_named_when_the_table_shows_a_year_from_it():
    [note] = border_notes([MERGED], {"asker": {2019, 2020}})
    assert note.startswith("Asker fikk nye grenser fra 2020 (kommunesammenslåing)")
    assert "fra og med 2020" in note


def test_no_note_before_the_merger_for_renumbering_or_for_asss_members():
    assert border_notes([MERGED], {"asker": {2017, 2019}}) == []
    assert border_notes([MERGED], {"kommunen": {2020}}) == []
    assert border_notes([{**MERGED, "change": "renumbered"}], {"asker": {2020}}) == []
    assert border_notes([{**MERGED, "group": "asss"}], {"asss": {2020}}) == []


def _add_asker(data: Path, year: int, value: str) -> None:
    with (data / "adm_tjenesteprofil.csv").open("a", encoding="utf-8") as fh:
        fh.write(f"{year},brutto_driftsutgifter_administrasjon_per_innbygger,asker,{value}\n")
    with (data / "provenance.csv").open("a", encoding="utf-8") as fh:
        fh.write(f"adm_tjenesteprofil,{year},,,workbook,SYNTHETIC testkilde,,,\n")


def test_the_source_note_of_a_table_with_asker_2020_names_the_border_change(data_copy):
    _add_asker(data_copy, 2020, "3100")
    assert validate_data(data_copy) == []
    note = Book(year=2020, data_dir=data_copy).source_note("adm_tjenesteprofil")
    assert "SYNTHETIC testkilde (2020)" in note
    assert note.endswith("kan ikke sammenlignes direkte med årene før.")
    assert "Asker fikk nye grenser fra 2020" in note
    # the same data seen from 2019: the merger is not yet in the years shown
    assert "nye grenser" not in Book(year=2019, data_dir=data_copy).source_note("adm_tjenesteprofil")


def test_the_committed_book_has_no_border_note(data_copy):
    for year in (2017, 2018):
        assert "nye grenser" not in Book(year=year, data_dir=data_copy).source_note("adm_tjenesteprofil", "eiendom_kostra")

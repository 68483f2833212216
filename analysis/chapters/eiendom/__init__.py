"""Chapter *Eiendom* (source 001, chapter 5): sentences and one table.

Every figure comes from ``data/`` for the chapter's reporting year
(``book.year``): the activity table, årsverk, KOSTRA profile, energy use and
the KPIs. Figures the source states only in its text come from
``text_figures.csv`` through ``book.text_figure`` (which hides statements
about a year after the reporting year). Where the source's text disagrees
with its own table (a *finding*, ``Book.text_findings``), a
sentence gives the table's figure and says briefly what the text says,
pointing to the data-quality appendix.

The chapter is a package; ``from analysis.chapters import eiendom as ch`` gives
every name the notebook calls: ``ressurser`` (the activity table, introduction,
priorities, resources over time), ``profil`` (KOSTRA comparison, energy),
``kpi`` (the long-term indicators) and ``common`` (datasets and shared phrases).
"""

from __future__ import annotations

from analysis.chapters.eiendom.kpi import (
    sentence_kpi_areal,
    sentence_kpi_energi,
    sentence_kpi_ledighet,
    sentence_kpi_status,
    sentence_kpi_vedlikehold,
)
from analysis.chapters.eiendom.profil import sentence_areal, sentence_energi, sentence_profil, sentence_vedlikehold_profil
from analysis.chapters.eiendom.ressurser import (
    sentence_aktivitet,
    sentence_andel,
    sentence_arsverk,
    sentence_arsverk_mot_investeringer,
    sentence_boliger,
    sentence_energibruk,
    sentence_energimal,
    sentence_fagbrev,
    sentence_kommunegarden,
    sentence_vedlikehold,
    sentence_verdibevarende,
    tab_aktivitet,
)

__all__ = [
    "tab_aktivitet",
    "sentence_andel",
    "sentence_energimal",
    "sentence_kommunegarden",
    "sentence_vedlikehold",
    "sentence_verdibevarende",
    "sentence_energibruk",
    "sentence_fagbrev",
    "sentence_boliger",
    "sentence_aktivitet",
    "sentence_arsverk",
    "sentence_arsverk_mot_investeringer",
    "sentence_profil",
    "sentence_areal",
    "sentence_energi",
    "sentence_vedlikehold_profil",
    "sentence_kpi_status",
    "sentence_kpi_ledighet",
    "sentence_kpi_areal",
    "sentence_kpi_energi",
    "sentence_kpi_vedlikehold",
]

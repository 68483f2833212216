"""Chapter *Medarbeidere*: the municipality's staff (source 001, chapter 6).

Tables and sentences about staff numbers, age, turnover, recruitment,
pensions, competence, apprentices, sickness absence, full-time work and
employees with a minority background. Most figures are stated in the source's
running text, so several tables here are built from text figures stored as
observations (``hr_*``) together with the KPI series in ``adm_kpi``.

The chapter is a package; ``from analysis.chapters import medarbeidere as ch``
gives every name the notebook calls:

* ``tables``: the tables of staff, turnover, competence, apprentices, absence and position size;
* ``staff``: sentences about staff, age, turnover, recruitment, pensions, competence and apprentices;
* ``fravaer``: sentences about sickness absence;
* ``minoritet``: employees with a minority background (table, chart, sentences), with small
  counts of persons suppressed;
* ``common``: the areas of the HR tables and small phrases the others share.
"""

from __future__ import annotations

from analysis.chapters.medarbeidere.fravaer import (
    sentence_fravaer_type,
    sentence_sykefravaer,
    sentence_sykefravaer_mal,
    sentence_sykefravaer_omrader,
)
from analysis.chapters.medarbeidere.minoritet import (
    chart_minoritet,
    minoritet_suppression,
    sentence_mangfold,
    sentence_minoritet,
    sentence_minoritet_omrader,
    sentence_personvern,
    tab_minoritet,
)
from analysis.chapters.medarbeidere.staff import (
    sentence_alder,
    sentence_bemanning,
    sentence_endringer,
    sentence_faglaerte,
    sentence_heltid,
    sentence_kompetanse,
    sentence_laerlinger,
    sentence_laerlinger_ks,
    sentence_pensjon,
    sentence_sokere,
    sentence_stipend,
    sentence_turnover,
    sentence_utlyste,
)
from analysis.chapters.medarbeidere.tables import (
    tab_heltid,
    tab_kompetanse,
    tab_laerlinger,
    tab_medarbeidere,
    tab_sykefravaer,
    tab_sykefravaer_omrader,
    tab_turnover,
)
from analysis.present.series_tables import Row

__all__ = [
    "Row",
    "tab_medarbeidere",
    "tab_turnover",
    "tab_kompetanse",
    "tab_laerlinger",
    "tab_sykefravaer",
    "tab_sykefravaer_omrader",
    "tab_heltid",
    "tab_minoritet",
    "chart_minoritet",
    "minoritet_suppression",
    "sentence_bemanning",
    "sentence_endringer",
    "sentence_alder",
    "sentence_turnover",
    "sentence_sokere",
    "sentence_utlyste",
    "sentence_pensjon",
    "sentence_kompetanse",
    "sentence_faglaerte",
    "sentence_laerlinger",
    "sentence_laerlinger_ks",
    "sentence_stipend",
    "sentence_sykefravaer",
    "sentence_fravaer_type",
    "sentence_sykefravaer_omrader",
    "sentence_heltid",
    "sentence_minoritet",
    "sentence_minoritet_omrader",
    "sentence_personvern",
    "sentence_mangfold",
    "sentence_sykefravaer_mal",
]

"""Organisasjon, styring og utvikling: the sentences of the OSU chapter.

The chapter covers the whole area (source 001, chapter 2: economy, årsverk,
the administration profile and the KPIs of *Administrasjon felles*) and, as a
section, Organisasjon, styring og administrasjon (chapter 3). Every figure is
read from ``data/`` for the reporting year ``book.year``; a figure missing for
that year is said to be missing, never replaced by an older one.

The chapter is a package; ``from analysis.chapters import osu as ch`` gives every
name the notebook calls: ``omradet`` (the whole area: priorities, economy,
årsverk), ``administrasjon`` (administration compared, in constant kroner, KPIs),
``osa`` (the section on the administrative units) and ``common``.
"""

from __future__ import annotations

from analysis.chapters.osu.administrasjon import (
    sentence_adm_brudd,
    sentence_adm_faste_kroner,
    sentence_adm_to_serier,
    sentence_kpi_administrasjon,
    sentence_kpi_efaktura,
    sentence_kpi_heltid,
    sentence_kpi_sokere,
    sentence_kpi_sykefravaer,
    sentence_tjenesteprofil,
    tab_adm_faste_kroner,
)
from analysis.chapters.osu.common import ADM_2017KR, ADM_KPI, ADM_PROFILE, AREAS, DQ, EIENDOM_KPI, OSA_UNITS, SHORT_NAMES, TOTAL
from analysis.chapters.osu.omradet import (
    chart_fordeling,
    sentence_arsverk,
    sentence_digit_prosjekter,
    sentence_driftsinntekter,
    sentence_driftsutgifter,
    sentence_ett_baerum,
    sentence_fordeling,
    sentence_klimaklok,
    sentence_kunnskapskommunen,
    sentence_sykefravaer_omrade,
    sentence_vekst_lonn_andre,
)
from analysis.chapters.osu.osa import (
    sentence_osa_arsverk,
    sentence_osa_sentralisering,
    sentence_osa_sum,
    sentence_stab_stotte,
    sentence_turnover,
)

__all__ = [
    "chart_fordeling",
    "sentence_ett_baerum",
    "sentence_digit_prosjekter",
    "sentence_klimaklok",
    "sentence_kunnskapskommunen",
    "sentence_fordeling",
    "sentence_driftsutgifter",
    "sentence_vekst_lonn_andre",
    "sentence_driftsinntekter",
    "sentence_arsverk",
    "sentence_sykefravaer_omrade",
    "sentence_tjenesteprofil",
    "sentence_adm_faste_kroner",
    "sentence_adm_brudd",
    "sentence_adm_to_serier",
    "sentence_kpi_administrasjon",
    "sentence_kpi_sykefravaer",
    "sentence_kpi_heltid",
    "sentence_kpi_sokere",
    "sentence_kpi_efaktura",
    "sentence_turnover",
    "sentence_stab_stotte",
    "sentence_osa_arsverk",
    "sentence_osa_sentralisering",
    "sentence_osa_sum",
    "tab_adm_faste_kroner",
    "TOTAL",
    "AREAS",
    "OSA_UNITS",
    "ADM_2017KR",
    "ADM_PROFILE",
    "ADM_KPI",
    "EIENDOM_KPI",
    "DQ",
    "SHORT_NAMES",
]

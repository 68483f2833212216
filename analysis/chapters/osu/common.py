"""What the *OSU* modules share: the areas and units, the indicators named in several places, and small phrases."""

from __future__ import annotations

from functools import partial

from analysis.data.book import TextFigure
from analysis.present.fmt import fmt_text_figure

__all__ = ["TOTAL", "AREAS", "OSA_UNITS", "ADM_2017KR", "ADM_PROFILE", "ADM_KPI", "EIENDOM_KPI", "DQ", "SHORT_NAMES", "figure", "about"]

TOTAL = "osu_total"
AREAS = ("osa", "digit", "eiendom")
OSA_UNITS = (
    "strategisk_ledelse",
    "hr_og_service",
    "okonomi_og_virksomhetsstyring",
    "strategi_og_utvikling",
    "revisjon_og_formannskap",
    "kemneren_asker_baerum",
)
ADM_2017KR = "brutto_driftsutgifter_administrasjon_per_innbygger_2017kr"
ADM_PROFILE = "brutto_driftsutgifter_administrasjon_per_innbygger"
ADM_KPI = "kpi_brutto_driftsutgifter_administrasjon_per_innbygger"
EIENDOM_KPI = "kpi_brutto_driftsutgifter_forvaltning_eiendom_per_innbygger"
DQ = "avviket er omtalt i @sec-datakvalitet."
"""The pointer to the data-quality appendix, where the source's disagreements with itself are listed."""
SHORT_NAMES = {
    "brutto_driftsutgifter_politisk_styring_per_innbygger": "politisk styring",
    "brutto_driftsutgifter_kontroll_revisjon_per_innbygger": "kontroll og revisjon",
    "brutto_driftsutgifter_administrasjon_per_innbygger": "administrasjon",
    "brutto_driftsutgifter_forvaltning_eiendom_per_innbygger": "forvaltningsutgifter i eiendomsforvaltningen",
    "brutto_driftsutgifter_administrasjonslokaler_per_innbygger": "administrasjonslokaler",
}
"""Short Norwegian names of the profile indicators, for sentences."""

figure = partial(fmt_text_figure, magnitude=True)
"""A text figure without its sign: the sentences say the direction in words."""


def about(tf: TextFigure) -> str:
    """``om lag `` when the source hedges its figure."""
    return "om lag " if tf.approximate else ""

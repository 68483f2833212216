"""Computations for the Bærum kommune virksomhetsanalyse (OSU).

Chapter notebooks use this package through one import::

    import analysis as va
    book = va.setup(year, data_dir)
    va.tab_series(book, "osu_arsverk", ...)
"""

from .book import Book, setup
from .charts import chart_bars, chart_profile, chart_series, chart_shares
from .outputs import Prose
from .tables import tab_cross, tab_kpi, tab_profile, tab_series
from .text import sentence_change, sentence_missing

__all__ = [
    "Book",
    "setup",
    "Prose",
    "tab_series",
    "tab_kpi",
    "tab_profile",
    "tab_cross",
    "chart_series",
    "chart_bars",
    "chart_profile",
    "chart_shares",
    "sentence_change",
    "sentence_missing",
]

"""Computations for the Bærum kommune virksomhetsanalyse (OSU).

Chapter notebooks use this package through one import::

    import analysis as va
    book = va.setup(year, data_dir)
    va.tab_series(book, "osu_arsverk", ...)

The names below are imported on first use (PEP 562 ``__getattr__``), so that
``import analysis.cli`` — every ``virksomhetsanalyse`` command — does not pay
for polars, altair and great-tables before it needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

_EXPORTS = {
    "Book": "book",
    "setup": "book",
    "Prose": "outputs",
    "tab_series": "tables",
    "tab_kpi": "tables",
    "tab_profile": "tables",
    "tab_cross": "tables",
    "chart_series": "charts",
    "chart_bars": "charts",
    "chart_profile": "charts",
    "chart_shares": "charts",
    "sentence_change": "text",
    "sentence_missing": "text",
}

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
assert set(__all__) == set(_EXPORTS)

if TYPE_CHECKING:
    from .book import Book, setup
    from .charts import chart_bars, chart_profile, chart_series, chart_shares
    from .outputs import Prose
    from .tables import tab_cross, tab_kpi, tab_profile, tab_series
    from .text import sentence_change, sentence_missing


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)

"""Computations for the Bærum kommune virksomhetsanalyse (OSU).

Chapter notebooks use this package through one import::

    import analysis as va
    book = va.setup(year, data_dir)
    va.tab_series(book, "osu_arsverk", ...)
    va.narrative(book, "osu/innledning")    # the edition's text (narrative/<year>/osu.md)

The names below are imported on first use (PEP 562 ``__getattr__``), so that
``import analysis.cli`` — every ``virksomhetsanalyse`` command — does not pay
for polars, altair and great-tables before it needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

_EXPORTS = {
    "Book": "data.book",
    "setup": "data.book",
    "Prose": "present.outputs",
    "tab_series": "present.series_tables",
    "tab_kpi": "present.series_tables",
    "tab_profile": "present.series_tables",
    "chart_series": "present.charts",
    "chart_bars": "present.charts",
    "chart_profile": "present.charts",
    "chart_shares": "present.charts",
    "sentence_change": "present.text",
    "sentence_missing": "present.text",
    "narrative": "present.narrative",
}

__all__ = [
    "Book",
    "setup",
    "Prose",
    "tab_series",
    "tab_kpi",
    "tab_profile",
    "chart_series",
    "chart_bars",
    "chart_profile",
    "chart_shares",
    "sentence_change",
    "sentence_missing",
    "narrative",
]
assert set(__all__) == set(_EXPORTS)

if TYPE_CHECKING:
    from .data.book import Book, setup
    from .present.charts import chart_bars, chart_profile, chart_series, chart_shares
    from .present.narrative import narrative
    from .present.outputs import Prose
    from .present.series_tables import tab_kpi, tab_profile, tab_series
    from .present.text import sentence_change, sentence_missing


_MODULES = {"text": "present.text"}
"""Modules the notebooks reach as attributes (``va.text.note_source_charts``)."""


def __getattr__(name: str):
    if name in _MODULES:
        value = importlib.import_module(f".{_MODULES[name]}", __name__)
        globals()[name] = value
        return value
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)

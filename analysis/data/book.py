"""The chapter context: one ``setup()`` call per notebook.

``setup(year, data_dir)`` validates the data, fixes the reporting year and
returns a ``Book``: the object every ``tab_*``, ``chart_*`` and ``sentence_*``
function takes first. It reads each dataset once, leaves out every year after
the reporting year (so a chapter run for 2017 cannot show 2018), and knows the
Norwegian labels, units and sources from the lookups and the descriptor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import polars as pl

from analysis import config
from analysis.data.store import ensure_valid, load_observations, load_table, read_descriptor, resource
from analysis.present.outputs import DataText  # text from data: escaped where it enters a sentence (analysis.present.outputs)

__all__ = ["Book", "setup", "TextFigure", "resolve_series"]


def resolve_series(indicators: Sequence[str] | str, groups: Sequence[str] | str) -> tuple[list[tuple[str, str]], bool]:
    """The ``(indicator, group)`` pairs a table or chart shows, and whether they differ by group.

    One of ``indicators`` and ``groups`` is a list (the series), the other a
    single id; with one of each, the series is that one pair (named by its group).
    """
    ind = [indicators] if isinstance(indicators, str) else list(indicators)
    grp = [groups] if isinstance(groups, str) else list(groups)
    if len(ind) > 1 and len(grp) > 1:
        raise ValueError("give a list of indicators or a list of groups, not both")
    if len(ind) == 1:
        return [(ind[0], g) for g in grp], True
    return [(i, grp[0]) for i in ind], False


@dataclass(frozen=True)
class TextFigure:
    """A figure the source states in its text (``text_figures.csv``)."""

    id: str
    year: int
    value: float
    decimals: int
    unit: str
    unit_label: str
    section: str
    approximate: bool
    base_year: int | None = None
    """The year a change or target is measured against, where the source names one."""


@dataclass(frozen=True)
class Book:
    """Reporting year, data folder and cached lookups for one chapter run."""

    year: int
    data_dir: Path
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    # -- lookups ---------------------------------------------------------------
    @cached_property
    def descriptor(self) -> dict:
        return read_descriptor(self.data_dir)

    @cached_property
    def indicators(self) -> dict[str, dict]:
        return {r["id"]: r for r in load_table("indicators", self.data_dir).to_dicts()}

    @cached_property
    def groups(self) -> dict[str, dict]:
        return {r["id"]: r for r in load_table("groups", self.data_dir).to_dicts()}

    @cached_property
    def units(self) -> dict[str, dict]:
        return {r["id"]: r for r in load_table("units", self.data_dir).to_dicts()}

    def ordered(self, indicators: list[str]) -> list[str]:
        """Distinct indicator ids in the order of ``indicators.csv`` (the source's order)."""
        pos = {k: i for i, k in enumerate(self.indicators)}
        return sorted(set(indicators), key=lambda k: pos[k])

    def label(self, indicator: str) -> str:
        """Norwegian label of an indicator."""
        return DataText(self.indicators[indicator]["label"])

    def group_label(self, group: str) -> str:
        """Norwegian label of a group."""
        return DataText(self.groups[group]["label"])

    def unit_of(self, indicator: str) -> str:
        """Unit id of an indicator."""
        return self.indicators[indicator]["unit"]

    def unit_label(self, indicator: str) -> str:
        """Display label of an indicator's unit (``mill. kr``, ``%``)."""
        return DataText(self.units[self.unit_of(indicator)]["label"])

    def decimals(self, indicator: str) -> int:
        """Decimals to display for an indicator."""
        return int(self.indicators[indicator]["decimals"])

    def direction(self, indicator: str) -> int | None:
        """KPI target direction: ``-1`` lower is better, ``1`` higher is better."""
        d = self.indicators[indicator]["direction"]
        return None if d is None else int(d)

    # -- data ------------------------------------------------------------------
    def obs(self, dataset: str) -> pl.DataFrame:
        """A dataset's observations up to and including the reporting year."""
        key = ("obs", dataset)
        if key not in self._cache:
            self._cache[key] = load_observations(dataset, self.data_dir, until=self.year)
        return self._cache[key]

    def series(self, dataset: str, indicator: str, group: str) -> dict[int, float]:
        """``{year: value}`` of one indicator for one group, up to the reporting year."""
        df = self.obs(dataset).filter((pl.col("indicator") == indicator) & (pl.col("group") == group))
        return dict(zip(df["year"].to_list(), df["value"].to_list(), strict=True))

    def value(self, dataset: str, indicator: str, group: str, year: int | None = None) -> float | None:
        """One figure, or ``None`` when it is not (yet) available."""
        return self.series(dataset, indicator, group).get(self.year if year is None else year)

    def printed_decimals(self, dataset: str, indicator: str, group: str, year: int) -> int | None:
        """The decimals the source printed for one figure (``None`` when it is not there)."""
        df = self.obs(dataset).filter((pl.col("indicator") == indicator) & (pl.col("group") == group) & (pl.col("year") == year))
        return int(df["decimals"][0]) if df.height else None

    def years(self, dataset: str) -> list[int]:
        """Years present in a dataset, up to the reporting year."""
        return sorted(set(self.obs(dataset)["year"].to_list()))

    def text_figure(self, id: str) -> TextFigure | None:
        """A text figure, or ``None`` if it does not exist or is about a year after the reporting year."""
        tf = self._text_figures()
        if id not in tf:
            raise KeyError(f"no text figure '{id}' in text_figures.csv")
        r = tf[id]
        if r["year"] > self.year:
            return None
        return self._as_text_figure(r)

    def target(self, id: str) -> TextFigure:
        """A target or plan the source states for a year after the one it reports on.

        Unlike a figure *for* a year, a target *for* a later year is known when
        the report is written, so it is not hidden the way ``text_figure`` hides
        figures about later years.
        """
        r = self._text_figures().get(id)
        if r is None:
            raise KeyError(f"no text figure '{id}' in text_figures.csv")
        return self._as_text_figure(r)

    def _as_text_figure(self, r: dict) -> TextFigure:
        unit = DataText(self.units[r["unit"]]["label"])
        return TextFigure(r["id"], r["year"], r["value"], r["decimals"], r["unit"], unit, r["section"], r["approximate"], r["base_year"])

    def _text_figures(self) -> dict[str, dict]:
        if "text" not in self._cache:
            self._cache["text"] = {r["id"]: r for r in load_table("text_figures", self.data_dir).to_dicts()}
        return self._cache["text"]

    # -- provenance ------------------------------------------------------------
    def meta(self, dataset: str) -> dict:
        """The descriptor entry of a dataset."""
        return resource(self.descriptor, dataset)

    def source_note(self, dataset: str) -> str:
        """``Kilde: …`` naming document, section(s) and table(s), from the descriptor."""
        by_doc: dict[str, list[str]] = {}
        for s in self.meta(dataset).get("sources", []):
            table = s.get("table", "")
            where = f"kapittel {s['section']}" if s.get("section") else ""
            if table == "tekst":
                where += " (tekst)"
            elif table:
                where += f", «{table}»"
            by_doc.setdefault(s.get("title", ""), []).append(where.strip(", "))
        return DataText("Kilde: " + "; ".join(f"{doc}, " + "; ".join(w) for doc, w in by_doc.items()) + ".")


def setup(year: int = config.DEFAULT_YEAR, data_dir: str | Path | None = None) -> Book:
    """Validate ``data/`` and return the chapter context for ``year``.

    Parameters
    ----------
    year : the reporting year; nothing after it is shown.
    data_dir : the data folder (default: the project's ``data/``).
    """
    data_dir = Path(data_dir) if data_dir else config.DATA_DIR
    ensure_valid(data_dir)
    from analysis.present.charts import enable_theme

    enable_theme()
    return Book(year=int(year), data_dir=data_dir)

"""The chapter context: one ``setup()`` call per notebook.

``setup(year, data_dir)`` validates the data, fixes the reporting year and
returns a ``Book``: the object every ``tab_*``, ``chart_*`` and ``sentence_*``
function takes first. It reads each dataset once, leaves out every year after
the reporting year (so a chapter run for 2017 cannot show 2018), and knows the
Norwegian labels, units and sources from the lookups and the descriptor.

Everything a chapter shows comes through it: observations, text figures and
the claims they make, the source's charts without figures, the consistency
checks and their findings, the datasets and their notes, and the source notes,
each cut at the reporting year.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import polars as pl

from analysis import config
from analysis.calc.datatext import DataText  # text from data: escaped where it enters a sentence
from analysis.data.consistency import CheckResult, Status, check_text, run_all
from analysis.data.items import DatasetNote, SourceChart, TextFigure
from analysis.data.load import load_observations, load_table
from analysis.data.lookups import lookup
from analysis.data.narrative import BlockState, NarrativeError, chapter_states, narrative_dir_for, split_id, typed_figures
from analysis.data.package import observation_names, read_descriptor, resource
from analysis.data.provenance import DOCUMENT, PROVENANCE_RESOURCE, Credit, Credits
from analysis.data.reads import record_shown
from analysis.data.record import EditionRecord, Figure, Finding, editions_dir_for, previous_edition
from analysis.data.sources import border_notes, credit_text, credited_note
from analysis.data.validate import ensure_valid

__all__ = [
    "Book",
    "setup",
    "TextFigure",
    "SourceChart",
    "DatasetNote",
    "CheckResult",
    "Status",
    "resolve_series",
    "BlockState",
    "NarrativeError",
    "EditionRecord",
    "Figure",
    "Finding",
    "TEXT_FIGURES",
]

_YEAR = re.compile(r"\b(20\d\d)\b")
TEXT_FIGURES = "text_figures"
"""The side table of figures the source states in its text (``Book.text_figure``)."""


def _names_a_year_after(text: str, year: int) -> bool:
    """Whether ``text`` names a year after ``year`` (it then belongs to a later year's story)."""
    return any(int(y) > year for y in _YEAR.findall(text))


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
        return lookup("indicators", self.data_dir)

    @cached_property
    def groups(self) -> dict[str, dict]:
        return lookup("groups", self.data_dir)

    @cached_property
    def units(self) -> dict[str, dict]:
        return lookup("units", self.data_dir)

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
        """A dataset's observations up to and including the reporting year (noted as shown: ``reads.record_shown``)."""
        record_shown(dataset)
        return self._frame(dataset)

    def _frame(self, dataset: str) -> pl.DataFrame:
        key = ("obs", dataset)
        if key not in self._cache:
            self._cache[key] = load_observations(dataset, self.data_dir, until=self.year)
        return self._cache[key]

    def series(self, dataset: str, indicator: str, group: str) -> dict[int, float]:
        """``{year: value}`` of one indicator for one group, up to the reporting year (the years in the file's order)."""
        record_shown(dataset, indicator, group)
        return dict(self._series_index(dataset).get((indicator, group), {}))  # the caller's own dict

    def _series_index(self, dataset: str) -> dict[tuple[str, str], dict[int, float]]:
        """Every series of a dataset, made in one pass (a chapter asks for about a thousand; filtering for each cost a third of its run)."""
        key = ("series", dataset)
        if key not in self._cache:
            df = self._frame(dataset)
            index: dict[tuple[str, str], dict[int, float]] = {}
            for indicator, group, year, value in zip(
                df["indicator"].to_list(), df["group"].to_list(), df["year"].to_list(), df["value"].to_list(), strict=True
            ):
                index.setdefault((indicator, group), {})[year] = value
            self._cache[key] = index
        return self._cache[key]

    def value(self, dataset: str, indicator: str, group: str, year: int | None = None) -> float | None:
        """One figure, or ``None`` when it is not (yet) available."""
        return self.series(dataset, indicator, group).get(self.year if year is None else year)

    def printed_decimals(self, dataset: str, indicator: str, group: str, year: int) -> int | None:
        """The decimals the source printed for one figure (``None`` when it is not there)."""
        record_shown(dataset, indicator, group)
        df = self._frame(dataset).filter((pl.col("indicator") == indicator) & (pl.col("group") == group) & (pl.col("year") == year))
        return int(df["decimals"][0]) if df.height else None

    def years(self, dataset: str) -> list[int]:
        """Years present in a dataset, up to the reporting year."""
        return sorted(set(self._frame(dataset)["year"].to_list()))

    def coverage(self, dataset: str) -> list[int]:
        """The year of every figure of a dataset up to the reporting year: how much it holds, not its figures (not noted
        as shown; ``TEXT_FIGURES`` counts the text figures)."""
        if dataset == TEXT_FIGURES:
            return [r["year"] for r in self._text_figures().values() if r["year"] <= self.year]
        return self._frame(dataset)["year"].to_list()

    def text_figure(self, id: str) -> TextFigure | None:
        """A text figure, or ``None`` if it does not exist or is about a year after the reporting year."""
        tf = self._text_figures()
        if id not in tf:
            raise KeyError(f"no text figure '{id}' in text_figures.csv")
        r = tf[id]
        if r["year"] > self.year:
            return None
        record_shown(TEXT_FIGURES, id)
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
        record_shown(TEXT_FIGURES, id)
        return self._as_text_figure(r)

    def text_figures(self) -> list[TextFigure]:
        """Every text figure about the reporting year or earlier, in file order."""
        record_shown(TEXT_FIGURES)
        return [self._as_text_figure(r) for r in self._text_figures().values() if r["year"] <= self.year]

    def claims(self, dataset: str, indicator: str, group: str, claim: str, year: int, base_year: int | None = None) -> list[TextFigure]:
        """The text figures (up to the reporting year) that make ``claim`` about one series for ``year``.

        ``base_year`` narrows them to the claims measured against that year.
        """
        found = [
            self._as_text_figure(r)
            for r in self._text_figures().values()
            if (r["dataset"], r["indicator"], r["group"], r["claim"], r["year"]) == (dataset, indicator, group, claim, year)
            and r["year"] <= self.year
            and (base_year is None or r["base_year"] == base_year)
        ]
        for tf in found:
            record_shown(TEXT_FIGURES, tf.id)
        return found

    def text_findings(self) -> frozenset[str]:
        """Ids of the text figures (up to the reporting year) whose claim the tables do not support."""
        if "findings" not in self._cache:
            self._cache["findings"] = frozenset(
                r.ref for r in check_text(self.data_dir) if r.status == Status.FINDING and r.year <= self.year
            )
        return self._cache["findings"]

    def _as_text_figure(self, r: dict) -> TextFigure:
        unit = DataText(self.units[r["unit"]]["label"])
        return TextFigure(
            r["id"], r["year"], r["value"], r["decimals"], r["unit"], unit, r["section"], r["approximate"], r["base_year"],
            r["claim"], r["dataset"], r["indicator"], r["group"],
        )  # fmt: skip

    def _text_figures(self) -> dict[str, dict]:
        if "text" not in self._cache:
            self._cache["text"] = {r["id"]: r for r in load_table("text_figures", self.data_dir).to_dicts()}
        return self._cache["text"]

    def source_charts(self) -> list[SourceChart]:
        """The source's charts without printed figures, leaving out those that name a year after the reporting year."""
        rows = load_table("source_charts", self.data_dir).to_dicts()
        return [
            SourceChart(DataText(r["section"].split(" ", 1)[-1]), DataText(r["title"]), DataText(r["what_it_shows"]))
            for r in rows
            if not _names_a_year_after(r["title"] + " " + r["what_it_shows"], self.year)
        ]

    # -- the narrative ---------------------------------------------------------
    @cached_property
    def narrative_dir(self) -> Path:
        """The text's folder: ``narrative/`` beside the data folder (``analysis.data.narrative``)."""
        return narrative_dir_for(self.data_dir)

    def narrative(self, block: str) -> BlockState:
        """A block of this edition's text (``narrative/<year>/<chapter>.md``) with its review status.

        The edition is the reporting year. Raises ``NarrativeError`` (naming file and block) when the edition,
        the chapter's file or the block does not exist, or the block types a figure.
        """
        chapter, name = split_id(block)
        key = ("narrative", chapter)
        if key not in self._cache:
            self._cache[key] = {s.block.name: s for s in chapter_states(self.narrative_dir, self.year, chapter)}
        states = self._cache[key]
        if name not in states:
            where = f"narrative/{self.year}/{chapter}.md"
            raise NarrativeError(f"{where} has no block '{name}' (blocks: {', '.join(states) or 'none'})")
        state = states[name]
        typed = typed_figures(state.block.text)
        if typed:
            raise NarrativeError(
                f"narrative/{self.year}/{chapter}.md, block '{name}' (line {state.block.line}): a figure typed into the text "
                f"({', '.join(typed)}); every figure a reader sees is computed from data/: write the sentence in "
                f"analysis/chapters/{chapter} instead"
            )
        return state

    # -- checks ------------------------------------------------------------------
    def check_results(self) -> list[CheckResult]:
        """Every consistency check (``analysis.data.consistency``) about the reporting year or earlier."""
        if "checks" not in self._cache:
            self._cache["checks"] = [r for r in run_all(self.data_dir) if r.year <= self.year]
        return self._cache["checks"]

    def findings(self) -> list[Finding]:
        """The data-quality findings (checks the source fails beyond rounding) as a record keeps them."""
        return [
            Finding(r.kind, r.ref, r.year, r.section, f"{r.printed:.{r.printed_decimals}f}",
                    "" if r.computed is None else f"{r.computed:.{r.printed_decimals + 1}f}", r.description)
            for r in self.check_results()
            if r.status == Status.FINDING
        ]  # fmt: skip

    # -- editions --------------------------------------------------------------
    def previous_edition(self) -> EditionRecord | None:
        """The record of the latest edition published before this one (``editions/<year>/``), or ``None``."""
        if "previous" not in self._cache:
            first = min((y for d in self.datasets() for y in self.years(d)), default=self.year)
            self._cache["previous"] = previous_edition(editions_dir_for(self.data_dir), self.year, first)
        return self._cache["previous"]

    def figures(self, shown: Iterable[Sequence] | None = None) -> list[Figure]:
        """Every figure up to the reporting year of ``shown`` (``(dataset, indicator, group)``; ``None`` for a whole
        dataset; ``text_figures`` and an id for a text figure), with unit and source; ``shown=None``: every
        observation dataset and every text figure. Nothing is noted as shown."""
        everything = [(n, None, None) for n in [*self.datasets(), TEXT_FIGURES]]
        out: dict[tuple, Figure] = {}
        for d, i, g in everything if shown is None else shown:
            if d == TEXT_FIGURES:
                out.update((f.key, f) for f in self._text_figure_records(i))
                continue
            df = self._frame(d)
            rows = df.filter((pl.col("indicator") == i) & (pl.col("group") == g)) if i is not None else df
            for ind, grp, y, v, dec in rows.select("indicator", "group", "year", "value", "decimals").iter_rows():
                credit = self._credits().of(d, y, ind, grp) or DOCUMENT
                f = Figure(d, ind, grp, y, f"{v:.{dec}f}", self.unit_of(ind), credit_text(self.meta(d), credit))
                out[f.key] = f
        return [out[k] for k in sorted(out)]

    def _text_figure_records(self, id: str | None) -> list[Figure]:
        texts = self._text_figures()
        title = self.meta(TEXT_FIGURES)["sources"][0]["title"]
        rows = texts.values() if id is None else [texts[id]] if id in texts else []
        return [
            Figure(TEXT_FIGURES, r["id"], "", r["year"], f"{r['value']:.{r['decimals']}f}", r["unit"],
                   f"{title}, kapittel {r['section'].removeprefix('001').strip()} (tekst)")
            for r in rows
            if r["year"] <= self.year
        ]  # fmt: skip

    # -- provenance ------------------------------------------------------------
    def meta(self, dataset: str) -> dict:
        """The descriptor entry of a dataset."""
        return resource(self.descriptor, dataset)

    def datasets(self) -> list[str]:
        """Names of the observation datasets, in the descriptor's order."""
        return observation_names(self.descriptor)

    def dataset_notes(self) -> list[DatasetNote]:
        """The descriptor's notes on every resource, leaving out those that name a year after the reporting year."""
        return [
            DatasetNote(r["name"], r.get("title", r["name"]), tuple(s.get("section", "") for s in r.get("sources", [])), note)
            for r in self.descriptor["resources"]
            for note in r.get("notes", []) or []
            if not _names_a_year_after(note, self.year)
        ]

    def source_note(self, *datasets: str) -> str:
        """``Kilde: …`` naming the source of every year shown, for one or more datasets, each distinct source once.

        The years are those of each dataset up to the reporting year, credited
        by ``data/provenance.csv``. While every one is the original document,
        the note names document, section(s) and table(s) only; otherwise each
        source is followed by its years (``… (2014–2018); Bærum kommune,
        HR-systemet (2019).``).
        """
        shown = []
        groups: dict[str, set[int]] = {}
        for d in dict.fromkeys(datasets):
            df = self.obs(d)
            years: dict[int, set[Credit]] = {}
            for y, ind, grp in zip(df["year"].to_list(), df["indicator"].to_list(), df["group"].to_list(), strict=True):
                years.setdefault(y, set()).add(self._credits().of(d, y, ind, grp) or DOCUMENT)
                groups.setdefault(grp, set()).add(y)
            shown.append((self.meta(d), years))
        return DataText(" ".join([credited_note(shown), *border_notes(self._municipality_changes(), groups)]))

    def _municipality_changes(self) -> list[dict]:
        """The rows of ``kostra_municipalities.csv`` (none without that resource), for ``border_notes``."""
        if "municipalities" not in self._cache:
            names = {r["name"] for r in self.descriptor["resources"]}
            found = MUNICIPALITIES_RESOURCE in names
            self._cache["municipalities"] = load_table(MUNICIPALITIES_RESOURCE, self.data_dir).to_dicts() if found else []
        return self._cache["municipalities"]

    def _credits(self) -> Credits:
        """The credits of ``data/provenance.csv`` (none when the descriptor has no such resource: then all is the document)."""
        if "credits" not in self._cache:
            names = {r["name"] for r in self.descriptor["resources"]}
            rows = load_table(PROVENANCE_RESOURCE, self.data_dir).to_dicts() if PROVENANCE_RESOURCE in names else []
            self._cache["credits"] = Credits(rows)
        return self._cache["credits"]


MUNICIPALITIES_RESOURCE = "kostra_municipalities"
"""Municipality numbers and border changes by year (``data/kostra_municipalities.csv``)."""


def setup(year: int = config.DEFAULT_YEAR, data_dir: str | Path | None = None) -> Book:
    """Validate ``data/`` and return the chapter context for ``year``.

    Parameters
    ----------
    year : the reporting year; nothing after it is shown.
    data_dir : the data folder (default: the project's ``data/``).
    """
    data_dir = Path(data_dir) if data_dir else config.DATA_DIR
    ensure_valid(data_dir)
    return Book(year=int(year), data_dir=data_dir)

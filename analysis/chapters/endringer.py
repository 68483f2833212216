"""Appendix: what changed since the last edition (*Endringer siden forrige utgave*).

Computed from the record of the previous published edition
(``Book.previous_edition``: ``editions/<year>/``, what that book showed)
against the figures in ``data/`` now (``Book.figures``), as a statistics
office's list of revisions does:

* **revised**: a figure the previous edition showed whose value is now
  another (old value, new value, the source of the new one), or that is gone;
* **added for earlier years**: figures for the previous edition's years (or
  earlier) in its series that it did not have;
* **the new years' figures**: per dataset, how many figures the years after
  the previous edition add;
* **series** new since the previous edition (not in the data then: its record
  lists every series the data held; in a dataset it showed, or in a dataset
  that starts after it) or no longer in the data;
* **data quality**: findings new since the previous edition, and findings it
  reported that are gone.

With no previous edition, or nothing changed, the appendix is one sentence.
Every table function returns ``None`` when it has no rows: the cell then has
no output, and Quarto makes no table of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from analysis.calc.datatext import DataText
from analysis.calc.numbers import value_decimals
from analysis.data.book import TEXT_FIGURES, Book, EditionRecord, Figure, Finding
from analysis.present.fmt import fmt_date, fmt_number
from analysis.present.outputs import Prose, TableOutput
from analysis.present.tables import STUB, table_output
from analysis.present.text import plural

__all__ = [
    "Changes",
    "changes",
    "sentence_summary",
    "sentence_revised",
    "tab_revised",
    "sentence_added",
    "tab_added",
    "sentence_new_years",
    "tab_new_years",
    "sentence_series",
    "tab_series",
    "sentence_findings",
    "tab_findings",
]

SOURCE = "Beregnet fra forrige utgaves register (editions/) og data/"

Series = tuple[str, str, str]


@dataclass
class Changes:
    previous: EditionRecord
    revised: list[tuple[Figure, Figure | None]] = field(default_factory=list)
    added: list[Figure] = field(default_factory=list)
    new_years: list[Figure] = field(default_factory=list)
    series_new: list[tuple[Series, list[int]]] = field(default_factory=list)
    series_dropped: list[tuple[Series, list[int]]] = field(default_factory=list)
    findings_new: list[Finding] = field(default_factory=list)
    findings_gone: list[Finding] = field(default_factory=list)

    @property
    def nothing(self) -> bool:
        return not (self.revised or self.added or self.new_years or self.series_new or self.series_dropped or self.findings_new
                    or self.findings_gone)  # fmt: skip


def _series(f: Figure) -> Series:
    return (f.dataset, f.indicator, f.group)


def changes(book: Book) -> Changes | None:
    """The changes since the previous edition (``None`` when there is none)."""
    prev = book.previous_edition()
    if prev is None:
        return None
    # text figures (the source's running text) are compared where the previous edition showed them: they are not
    # series, and the text's later years (plans, targets) are no new figures
    now = {f.key: f for f in book.figures() if f.dataset != TEXT_FIGURES or f.key in prev.figures}
    old_series = {_series(f) for f in prev.figures.values()}
    now_series = {_series(f) for f in now.values()}
    old_datasets = {f.dataset for f in prev.figures.values()}
    started_after = {f.dataset for f in now.values()} - {f.dataset for f in now.values() if f.year <= prev.year}
    c = Changes(prev)
    for key, old in sorted(prev.figures.items()):
        new = now.get(key)
        if new is None and _series(old) in now_series:
            c.revised.append((old, None))
        elif new is not None and new.number != old.number:
            c.revised.append((old, new))
    for key, f in sorted(now.items()):
        if key in prev.figures:
            continue
        if f.year > prev.year:
            c.new_years.append(f)
        elif _series(f) in old_series:
            c.added.append(f)
    for s in sorted(now_series - old_series - prev.series):  # not shown then, and not in the data then either
        if s[0] in old_datasets or s[0] in started_after:
            c.series_new.append((s, sorted(f.year for f in now.values() if _series(f) == s)))
    for s in sorted(old_series - now_series):
        c.series_dropped.append((s, sorted(f.year for f in prev.figures.values() if _series(f) == s)))
    current = {g.key: g for g in book.findings()}
    c.findings_new = [g for k, g in sorted(current.items()) if k not in prev.findings]
    c.findings_gone = [g for k, g in sorted(prev.findings.items()) if k not in current]
    return c


# --------------------------------------------------------------------------- labels


def _label(book: Book, dataset: str, indicator: str, group: str) -> str:
    if dataset == TEXT_FIGURES:
        return f"Tall i teksten ({DataText(indicator)})"
    ind = book.label(indicator) if indicator in book.indicators else DataText(indicator)
    if not group:
        return ind
    grp = book.group_label(group) if group in book.groups else DataText(group)
    return f"{ind}, {grp}"


def _dataset(book: Book, dataset: str) -> str:
    try:
        return DataText(book.meta(dataset).get("title", dataset))
    except KeyError:
        return DataText(dataset)


def _value(book: Book, f: Figure | None) -> str:
    if f is None:
        return "–"
    text = fmt_number(f.number, value_decimals(f.value))
    unit = book.units.get(f.unit, {}).get("label") if f.unit else None
    return f"{text} {unit}" if unit and unit not in ("antall",) and f.unit not in ("ar",) else text


def _years(years: list[int]) -> str:
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0]) if years else "–"


def _n(n: int, one: str, many: str) -> str:
    """``1 serie``, ``2 serier``, ``ingen serier``."""
    return f"ingen {many}" if n == 0 else f"{fmt_number(n)} {plural(n, one, many)}"


# --------------------------------------------------------------------------- sentences


def sentence_summary(book: Book) -> Prose:
    """One sentence when there is no previous edition or nothing changed; else what the appendix lists."""
    c = changes(book)
    if c is None:
        return Prose("Dette er den første utgaven av boken, så det finnes ingen tidligere utgave å sammenligne tallene med.")
    when = f" (publisert {fmt_date(c.previous.published)})" if c.previous.published else ""
    if c.nothing:
        return Prose(
            f"Ingen av tallene {c.previous.year}-utgaven{when} viste, er endret siden, det er ikke kommet til nye tall, "
            "og avvikene i datakvalitetsvedlegget er de samme."
        )
    new_years = _years(sorted({f.year for f in c.new_years})) if c.new_years else str(book.year)
    return Prose(
        f"Vedlegget sammenligner tallene i denne utgaven med dem {c.previous.year}-utgaven{when} viste. "
        f"Siden da er {_n(len(c.revised), 'tall', 'tall')} revidert og {_n(len(c.added), 'tall', 'tall')} lagt til for "
        f"{c.previous.year} eller tidligere; {_n(len(c.new_years), 'tall', 'tall')} er nye for {new_years}, "
        f"{_n(len(c.series_new), 'serie', 'serier')} {plural(len(c.series_new), 'er ny', 'er nye')}, og "
        f"{_n(len(c.series_dropped), 'serie', 'serier')} er falt bort."
    )


def sentence_revised(book: Book) -> Prose:
    c = changes(book)
    if c is None or not c.revised:
        return Prose("")
    return Prose(
        f"@tbl-endringer-revidert viser tallene som har fått en annen verdi siden {c.previous.year}-utgaven, med verdien da "
        "og nå og kilden til den nye verdien."
    )


def _frame(rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(rows)


def tab_revised(book: Book) -> TableOutput | None:
    """The revised figures: old and new value, dataset, source of the new value."""
    c = changes(book)
    if c is None or not c.revised:
        return None
    rows = [
        {STUB: _label(book, *_series(old)), "År": str(old.year), f"{c.previous.year}-utgaven": _value(book, old),
         "Nå": _value(book, new), "Datasett": _dataset(book, old.dataset),
         "Kilde for ny verdi": DataText(new.source) if new else "Fjernet fra dataene"}
        for old, new in c.revised
    ]  # fmt: skip
    return table_output(
        _frame(rows), id="endringer-revidert", title="Reviderte tall", source=SOURCE, stub_label="Tall",
        plain=f"Reviderte tall: {len(rows)} rader.", align_left=["Datasett", "Kilde for ny verdi"],
    )  # fmt: skip


def sentence_added(book: Book) -> Prose:
    c = changes(book)
    if c is None or not c.added:
        return Prose("")
    return Prose(f"@tbl-endringer-tidligere-ar viser tall for {c.previous.year} eller tidligere som {c.previous.year}-utgaven ikke hadde.")


def tab_added(book: Book) -> TableOutput | None:
    c = changes(book)
    if c is None or not c.added:
        return None
    rows = [
        {STUB: _label(book, *_series(f)), "År": str(f.year), "Verdi": _value(book, f), "Datasett": _dataset(book, f.dataset),
         "Kilde": DataText(f.source)}
        for f in c.added
    ]  # fmt: skip
    return table_output(
        _frame(rows), id="endringer-tidligere-ar", title="Tall lagt til for tidligere år", source=SOURCE, stub_label="Tall",
        plain=f"Tall lagt til for tidligere år: {len(rows)} rader.", align_left=["Datasett", "Kilde"],
    )  # fmt: skip


def sentence_new_years(book: Book) -> Prose:
    c = changes(book)
    if c is None or not c.new_years:
        return Prose("")
    years = _years(sorted({f.year for f in c.new_years}))
    datasets = len({f.dataset for f in c.new_years})
    return Prose(f"Tallene for {years} kommer fra {_n(datasets, 'datasett', 'datasett')}; @tbl-endringer-nye-ar viser hvor mange i hvert.")


def tab_new_years(book: Book) -> TableOutput | None:
    c = changes(book)
    if c is None or not c.new_years:
        return None
    by: dict[str, list[Figure]] = {}
    for f in c.new_years:
        by.setdefault(f.dataset, []).append(f)
    rows = [
        {STUB: _dataset(book, d), "År": _years(sorted({f.year for f in fs})), "Nye tall": fmt_number(len(fs)),
         "Kilde": DataText("; ".join(dict.fromkeys(f.source for f in fs)))}
        for d, fs in by.items()
    ]  # fmt: skip
    return table_output(
        _frame(rows), id="endringer-nye-ar", title="Nye tall per datasett", source=SOURCE, stub_label="Datasett",
        plain=f"Nye tall per datasett: {len(rows)} rader.", align_left=["Kilde"],
    )  # fmt: skip


def sentence_series(book: Book) -> Prose:
    c = changes(book)
    if c is None or not (c.series_new or c.series_dropped):
        return Prose("")
    return Prose(f"@tbl-endringer-serier viser seriene som er nye siden {c.previous.year}-utgaven, og dem som er falt bort.")


def tab_series(book: Book) -> TableOutput | None:
    c = changes(book)
    if c is None or not (c.series_new or c.series_dropped):
        return None
    rows = [
        {STUB: _label(book, *s), "Endring": what, "År": _years(years), "Datasett": _dataset(book, s[0])}
        for what, items in (("Ny", c.series_new), ("Falt bort", c.series_dropped))
        for s, years in items
    ]
    return table_output(
        _frame(rows), id="endringer-serier", title="Nye og bortfalte serier", source=SOURCE, stub_label="Serie",
        plain=f"Nye og bortfalte serier: {len(rows)} rader.", align_left=True,
    )  # fmt: skip


def sentence_findings(book: Book) -> Prose:
    c = changes(book)
    if c is None or not (c.findings_new or c.findings_gone):
        return Prose("")
    return Prose(
        f"Siden {c.previous.year}-utgaven er {_n(len(c.findings_new), 'avvik', 'avvik')} kommet til i datakvalitetsvedlegget, "
        f"og {_n(len(c.findings_gone), 'avvik', 'avvik')} er borte (@tbl-endringer-avvik)."
    )


def tab_findings(book: Book) -> TableOutput | None:
    c = changes(book)
    if c is None or not (c.findings_new or c.findings_gone):
        return None
    rows = [
        {STUB: DataText(g.description), "Endring": what, "År": str(g.year), "Kapittel": DataText(g.section.replace("001", "").strip())}
        for what, items in (("Nytt avvik", c.findings_new), ("Ikke lenger avvik", c.findings_gone))
        for g in items
    ]
    return table_output(
        _frame(rows), id="endringer-avvik", title="Endringer i avvikene", source=SOURCE, stub_label="Avvik",
        plain=f"Endringer i avvikene: {len(rows)} rader.", align_left=True,
    )  # fmt: skip

"""Appendix: sources and method — every dataset, where it comes from, and how much it holds."""

from __future__ import annotations

import polars as pl

from analysis.data.book import TEXT_FIGURES, Book
from analysis.present.fmt import fmt_number, fmt_year_span
from analysis.present.outputs import Prose, TableOutput
from analysis.present.tables import STUB, table_output
from analysis.present.text import plural

__all__ = ["sentence_overview", "tab_datasets"]


def _datasets(book: Book) -> list[tuple[str, dict, list[int]]]:
    """Each dataset with the year of each of its figures (how much it holds: the table counts, it shows no figure)."""
    out = [(n, book.meta(n), book.coverage(n)) for n in book.datasets()]
    return [t for t in out if t[2]]  # a dataset with nothing up to the reporting year is not shown


def sentence_overview(book: Book) -> Prose:
    """How many datasets and figures the book rests on, up to the reporting year."""
    ds = _datasets(book)
    n_values = sum(len(ys) for _, _, ys in ds)
    years = sorted({y for _, _, ys in ds for y in ys})
    n_text = len(book.coverage(TEXT_FIGURES))
    return Prose(
        f"Boken bygger på {fmt_number(len(ds))} {plural(len(ds), 'datasett', 'datasett')} med til sammen "
        f"{fmt_number(n_values)} tall for årene {fmt_year_span(years[0], years[-1])}, og på {fmt_number(n_text)} "
        f"{plural(n_text, 'tall', 'tall')} som kildedokumentet oppgir i teksten."
    )


def tab_datasets(book: Book) -> TableOutput:
    """One row per dataset: title, source section and table, years and number of figures."""
    rows: dict[str, list[str]] = {STUB: [], "Kapittel": [], "Tabell i kilden": [], "År": [], "Antall tall": []}
    for name, meta, ys in _datasets(book):
        rows[STUB].append(meta.get("title", name))
        srcs = meta.get("sources", [])
        rows["Kapittel"].append(", ".join(s.get("section", "") for s in srcs) or "–")
        rows["Tabell i kilden"].append("; ".join(s.get("table", "") for s in srcs) or "–")
        rows["År"].append(fmt_year_span(min(ys), max(ys)) if ys and min(ys) != max(ys) else (str(ys[0]) if ys else "–"))
        rows["Antall tall"].append(fmt_number(len(ys)))
    df = pl.DataFrame(rows)
    return table_output(
        df,
        id="kilder-datasett",
        title="Datasettene bak boken",
        subtitle="Kilde for alle: Bærum kommune, Virksomhetsanalyse for Organisasjon, styring og utvikling",
        source="data/datapackage.yaml",
        plain=f"Datasettene bak boken: {df.height} datasett.",
        stub_label="Datasett",
        align_left=["Kapittel", "Tabell i kilden"],
    )

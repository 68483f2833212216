"""What the *Medarbeidere* modules share: the areas of the HR tables and small phrases."""

from __future__ import annotations

from analysis.data.book import Book
from analysis.present.fmt import NBSP, fmt_number

__all__ = ["KOMMUNEN", "SECTORS", "word", "pp", "inngangen", "previous_year", "break_year"]

KOMMUNEN = "kommunen"
SECTORS = ("oppvekst_skole", "oppvekst_barnehage", "pleie_og_omsorg", "helse_og_sosial", "tekniske_tjenester", "ovrige")
"""The kommunalsjef areas of the HR tables, in the source's order."""
WORDS = {1: "ett", 2: "to", 3: "tre", 4: "fire", 5: "fem", 6: "seks", 7: "sju", 8: "åtte", 9: "ni", 10: "ti", 11: "elleve", 12: "tolv"}


def word(n: float) -> str:
    """A count in words up to twelve (neuter: *ett*), digits above."""
    return WORDS.get(int(n), fmt_number(n, 0)) if float(n).is_integer() else fmt_number(n, 1)


def pp(x: float, decimals: int = 1) -> str:
    """An unsigned size of a change in percentage points: ``0,6 prosentpoeng``."""
    return f"{fmt_number(abs(x), decimals)}{NBSP}prosentpoeng"


def inngangen(year: int) -> str:
    """``ved inngangen til 2019`` for the status of ``year`` (data convention: per 1 January of the next year)."""
    return f"ved inngangen til {year + 1}"


def previous_year(book: Book, dataset: str, indicator: str, group: str) -> int | None:
    """The latest year before the reporting year with a value."""
    earlier = [y for y in book.series(dataset, indicator, group) if y < book.year]
    return max(earlier) if earlier else None


def break_year(book: Book) -> int | None:
    """First year of Oppvekst barnehage's new scope (from the text figure about it), if within the reporting period."""
    tf = book.text_figure("faglaerte_barnehage_2018")
    return tf.year if tf else None

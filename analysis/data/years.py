"""Which years the data can speak for: the checks behind ``run``/``build --year`` and ``template --year``.

``year_spans`` gives each observation dataset's first and last year in
``data/``. Two checks use them, each raising ``YearRefused`` with a message
that names the years possible (the CLI prints it and exits 2):

* ``check_report_year`` (``run``, ``build``): a reporting year after the
  latest year any dataset holds is refused (a typo such as 2030 would rewrite
  the whole book as a year without figures), unless ``allow_empty`` says a
  book ahead of its figures is wanted; so is a year before some dataset's
  first year, as the chapters would have nothing to show for it (datasets
  that begin in the latest data year, a breakdown new that year, are not
  required).
* ``check_template_year`` (``template``): the year after the latest data year
  (the new year) or a year some dataset already holds (a correction); any
  other year gives a workbook that could never be imported.
"""

from __future__ import annotations

from pathlib import Path

from analysis.data.csvfile import read_rows
from analysis.data.package import observation_names, read_descriptor, resource
from analysis.data.sources import year_span

__all__ = ["YearRefused", "year_spans", "data_years", "check_report_year", "check_template_year"]


class YearRefused(ValueError):
    """A ``--year`` the data cannot serve; the message says which years are possible."""


def year_spans(data_dir: Path) -> dict[str, tuple[int, int]]:
    """``{dataset: (first year, last year)}`` of every observation dataset with figures."""
    data_dir = Path(data_dir)
    descriptor = read_descriptor(data_dir)
    spans: dict[str, tuple[int, int]] = {}
    for name in observation_names(descriptor):
        years = [int(r["year"]) for r in read_rows(data_dir / resource(descriptor, name)["path"])]
        if years:
            spans[name] = (min(years), max(years))
    return spans


def data_years(data_dir: Path) -> set[int]:
    """Every year some observation dataset holds a figure for."""
    data_dir = Path(data_dir)
    descriptor = read_descriptor(data_dir)
    years: set[int] = set()
    for name in observation_names(descriptor):
        years.update(int(r["year"]) for r in read_rows(data_dir / resource(descriptor, name)["path"]))
    return years


def check_report_year(year: int, data_dir: Path, *, allow_empty: bool = False) -> None:
    """Refuse a reporting year the data cannot show (``YearRefused``), before anything runs."""
    spans = year_spans(data_dir)
    if not spans:
        return
    latest = max(hi for _, hi in spans.values())
    first = min(lo for lo, _ in spans.values())
    if year > latest and not allow_empty:
        raise YearRefused(
            f"cannot run for {year}: the latest year in the data is {latest} (no dataset has figures for "
            f"{year_span(range(latest + 1, year + 1))}). Choose --year {latest} or earlier; a new year's figures come in with "
            f"'virksomhetsanalyse template --year {latest + 1}' and 'import'; --allow-empty-year runs a book ahead of its figures "
            "anyway. Nothing was run."
        )
    required = {n: s for n, s in spans.items() if s[0] < latest}
    lacking = {n: s for n, s in required.items() if s[0] > year}
    if not lacking:
        return
    start = max(lo for lo, _ in required.values())
    listed = ", ".join(f"{n} ({lo}–{hi})" if lo != hi else f"{n} ({lo})" for n, (lo, hi) in sorted(lacking.items()))
    raise YearRefused(
        f"cannot run for {year}: {len(lacking)} dataset(s) have no figures for {year} or earlier: {listed}. "
        f"The data cover {first}–{latest}; every dataset has figures from {start}: choose --year {start} or later. Nothing was run."
    )


def check_template_year(year: int, data_dir: Path) -> None:
    """Refuse a template year that could never be imported (``YearRefused``): the new year, or a year in the data."""
    years = data_years(data_dir)
    if not years:
        return
    latest = max(years)
    if year == latest + 1 or year in years:
        return
    raise YearRefused(
        f"expected --year {latest + 1} (the year after the latest year in the data, {latest}) or a year the data hold "
        f"({year_span(years)}) to correct its figures, found {year}"
    )

"""SSB's revisions: figures of a KOSTRA fetch that ``data/`` already holds with another value.

SSB publishes KOSTRA figures on 15 March (preliminary) and 15 June (final) and
revises earlier years at each publication; it advises fetching the whole series
again for each new year, which ``fetch_year`` does. ``revisions`` lists every
fetched figure whose value differs from the one in ``data/`` (compared as
numbers: ``3237`` and ``3237.0`` are the same figure), so that the command can
show them as revisions, old → new, with the table's last-updated date; the
import writes them only with ``--replace``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from .errors import KostraError
from .records import KostraResult

__all__ = ["Revision", "revisions", "revision_lines", "check_revisions"]


@dataclass(frozen=True)
class Revision:
    dataset: str
    indicator: str
    group: str
    year: int
    old: str
    new: str
    table_id: str
    updated: str


def revisions(result: KostraResult, data_dir: Path) -> list[Revision]:
    """The fetched figures whose value ``data_dir`` holds otherwise, by dataset, year, indicator and group."""
    from analysis.data.load import load_observations

    stored: dict[tuple[str, str, str, int], tuple[float, int]] = {}
    for dataset in dict.fromkeys(v.dataset for v in result.values):
        for year, indicator, group, value, decimals in (
            load_observations(dataset, data_dir).select("year", "indicator", "group", "value", "decimals").iter_rows()
        ):
            stored[(dataset, indicator, group, year)] = (value, decimals)
    out = []
    for v in result.values:
        old = stored.get((v.dataset, v.indicator, v.group, v.year))
        if old is not None and Decimal(str(old[0])) != Decimal(v.literal):
            out.append(Revision(v.dataset, v.indicator, v.group, v.year, f"{old[0]:.{old[1]}f}", v.literal, v.table_id, v.updated))
    return sorted(out, key=lambda r: (r.dataset, r.year, r.indicator, r.group))


def revision_lines(revs: list[Revision]) -> list[str]:
    """One line per revision: ``adm_tjenesteprofil 2017 brutto… / kommunen: 3237 → 3240 (SSB table 12362, updated …)``."""
    return [f"{r.dataset} {r.year} {r.indicator} / {r.group}: {r.old} → {r.new} (SSB table {r.table_id}, updated {r.updated})"
            for r in revs]  # fmt: skip


def check_revisions(result: KostraResult, data_dir: Path, replace: bool) -> list[str]:
    """SSB's revisions shown as such: without ``replace`` a ``KostraError`` listing them (old → new), nothing written;
    with it, the lines to print before the import's own list of changes."""
    revs = revisions(result, data_dir)
    if not revs:
        return []
    lines = [f"revised by SSB since data/ got them ({len(revs)}; SSB revises earlier years at each publication):", *revision_lines(revs)]
    if not replace:
        raise KostraError("\n".join([*lines, "import the revisions with --replace (SSB becomes their source)"]))
    return [lines[0], *(f"  {line}" for line in lines[1:])]

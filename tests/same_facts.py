"""Edits of a data copy that keep a *same fact* (``same_fact`` in ``data/checks.yaml``) one fact.

A figure the source prints in two tables is stored in both datasets, and
``validate`` requires them to agree; a test that changes or removes it in one
dataset changes or removes it in the others too.
"""

import csv
import io
from pathlib import Path

from analysis.data.checks import parse_checks


def partners(data: Path, dataset: str, indicator: str, group: str, year: int | str) -> list[tuple[str, str, str]]:
    """The other ``(dataset, indicator, group)`` that hold the same fact as this one in ``year``."""
    out = []
    for e in parse_checks((data / "checks.yaml").read_text(encoding="utf-8")):
        refs = [(r["dataset"], r["indicator"], r["group"]) for r in e.get("same_fact") or []]
        if (dataset, indicator, group) in refs and (not e.get("years") or int(year) in e["years"]):
            out += [r for r in refs if r != (dataset, indicator, group)]
    return out


def _edit(data: Path, dataset: str, key: str, value: str | None) -> None:
    path = data / f"{dataset}.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    hits = [i for i, line in enumerate(lines) if line.startswith(key + ",")]
    if not hits:
        return  # this dataset does not hold the fact for the year
    (i,) = hits
    if value is None:
        del lines[i]
    else:
        lines[i] = key + "," + value
    path.write_text("\n".join(lines), encoding="utf-8")


def set_partners(data: Path, dataset: str, key: str, value: str) -> None:
    """Give the same fact's other datasets the value just given to ``key`` (``year,indicator,group``) in ``dataset``."""
    year, indicator, group = key.split(",")[:3]
    for ds, ind, grp in partners(data, dataset, indicator, group, year):
        _edit(data, ds, f"{year},{ind},{grp}", value)


def drop_partners(data: Path, dataset: str, key: str) -> None:
    """Remove from the same fact's other datasets the figure just removed from ``dataset`` (``key``: ``year,indicator,group``).

    What refers to the removed figures goes too: printed derived values computed from it, and the claim of a
    text figure about it (the text figure itself stays, as a figure the source states in its text).
    """
    year, indicator, group = key.split(",")[:3]
    gone = [(ds, ind, grp) for ds, ind, grp in partners(data, dataset, indicator, group, year)]
    for ds, ind, grp in gone:
        _edit(data, ds, f"{year},{ind},{grp}", None)
    gone.append((dataset, indicator, group))
    _rewrite(
        data / "printed_derived.csv",
        lambda r: (
            None
            if r["year"] == year
            and any(
                r["dataset"] == ds and (ind, grp) in ((r["indicator"], r["group"]), (r["base_indicator"], r["base_group"]))
                for ds, ind, grp in gone
            )
            else r
        ),
    )
    _rewrite(
        data / "text_figures.csv",
        lambda r: (
            {**r, "claim": "", "dataset": "", "indicator": "", "group": "", "base_year": ""}
            if (r["dataset"], r["indicator"], r["group"]) in gone and year in (r["year"], r["base_year"])
            else r
        ),
    )


def _rewrite(path: Path, change) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, rows = reader.fieldnames, list(reader)
    kept = [r2 for r in rows if (r2 := change(r)) is not None]
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    w.writeheader()
    w.writerows(kept)
    path.write_text(buf.getvalue(), encoding="utf-8")

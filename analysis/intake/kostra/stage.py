"""A KOSTRA result into the staged import: ``NewValue``s credited to SSB, planned as ``import`` plans a file.

Every figure becomes a :class:`~analysis.intake.check.NewValue` whose
``credit`` names SSB and the table (``Credit("ssb", "Statistisk sentralbyrå
(SSB), Statistikkbanken, tabell 12362", url, updated, fetched)``): the query
URL, or for a saved file the table's page on ssb.no (the file's name and
SHA-256 are in the changelog). ``plan_kostra`` hands them to
``analysis.intake.plan.plan_values``; ``apply_import`` writes the plan. A
missing figure (special value, status, no value) is never a value: it writes
nothing and deletes nothing.
"""

from __future__ import annotations

from pathlib import Path

from analysis.data.provenance import Credit
from analysis.intake.check import NewValue
from analysis.intake.plan import ImportPlan, plan_values

from .client import table_page
from .records import KostraResult, KostraValue

__all__ = ["SSB_SOURCE", "credit", "new_values", "source_name", "plan_kostra"]

SSB_SOURCE = "Statistisk sentralbyrå (SSB), Statistikkbanken, tabell {table}"
"""How the book names the source of a figure fetched from SSB."""


def credit(value: KostraValue) -> Credit:
    """The provenance of one figure: SSB, the table, the query URL (or the table's page), last updated, fetched."""
    url = table_page(value.table_id) if value.url.startswith("file:") else value.url
    return Credit("ssb", SSB_SOURCE.format(table=value.table_id), url, value.updated, value.fetched)


def _where(value: KostraValue, file: Path | None) -> str:
    return f"file '{file.name}' (SSB table {value.table_id})" if file else f"SSB table {value.table_id}"


def new_values(result: KostraResult, file: Path | None = None) -> list[NewValue]:
    """Every figure of ``result`` as a ``NewValue`` with its SSB credit (``file``: the saved file it was read from)."""
    return [NewValue(v.dataset, v.indicator, v.group, v.year, v.literal, _where(v, file), "", credit(v)) for v in result.values]


def source_name(result: KostraResult, file: Path | None = None) -> str:
    """What the changelog records as the source: the saved file's name, else ``SSB Statistikkbanken, tabell 12362``."""
    if file:
        return Path(file).name
    tables = ", ".join(result.table_ids) or "none"
    return f"SSB Statistikkbanken, tabell {tables}"


def plan_kostra(result: KostraResult, data_dir: Path, *, replace: bool = False, file: Path | None = None) -> ImportPlan:
    """The import plan of a KOSTRA result against ``data_dir`` (raises ``ImportRejected`` with every problem)."""
    return plan_values(
        new_values(result, file),
        data_dir,
        source_name=source_name(result, file),
        sha256=result.sha256,
        replace=replace,
        what=f"the KOSTRA {'file' if file else 'fetch'}",
        again="run virksomhetsanalyse kostra --year",
    )

"""What ``virksomhetsanalyse import`` prints about a plan: the changes ``--replace`` makes, and a summary."""

from __future__ import annotations

from analysis.intake.plan import ImportPlan

__all__ = ["change_lines", "summary_lines"]


def change_lines(plan: ImportPlan) -> list[str]:
    """One line per value ``--replace`` overwrites: ``dataset indicator / group year: old → new``."""
    return [f"{c.value.dataset} {c.value.indicator} / {c.value.group} {c.value.year}: {c.old} → {c.value.literal}" for c in plan.changes]


def summary_lines(plan: ImportPlan) -> list[str]:
    """A short summary: per dataset the values added and replaced, then the totals."""
    lines = []
    for ds in plan.filled:
        added = sum(1 for v in plan.added if v.dataset == ds)
        replaced = sum(1 for c in plan.changes if c.value.dataset == ds)
        years = ", ".join(str(y) for y in sorted({v.year for v in plan.written if v.dataset == ds}))
        lines.append(f"{ds}: {added} added, {replaced} replaced ({years})")
    empty = [d for d in plan.datasets if d not in plan.filled]
    if empty:
        lines.append(f"no new figures (empty or unchanged; nothing written): {', '.join(empty)}")
    years = ", ".join(str(y) for y in plan.years) or "none"
    unchanged = f", {len(plan.unchanged)} unchanged" if plan.unchanged else ""
    counts = f"{len(plan.added)} value(s) added, {len(plan.changes)} replaced{unchanged}"
    lines.append(f"total: {len(plan.filled)} dataset(s), {counts}; year(s) {years}")
    return lines

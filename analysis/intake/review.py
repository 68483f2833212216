"""The review before anything is written: every new or replaced figure beside the year before, and the implausible ones flagged.

``review_rows`` gives one ``ReviewRow`` per figure an import would write
(dataset, label, unit, the series' previous figure, the new one, the change);
``flags`` says what makes a figure implausible:

* a change larger than the series ever moved from one year to the next;
* a share (a unit in % with a range) jumping to its 0 or 100;
* a value ten times, or a tenth or less of, the year before's (``0,3`` for 30 %, a
  misplaced decimal comma, ``0`` for ``30 %`` in a cell formatted as a whole number).

``flagged_problems`` turns the flagged figures into problems naming sheet and
cell; the import refuses them unless ``--accept-flagged``. A same fact copied
into a second dataset is shown, not flagged twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from analysis.calc.numbers import value_decimals
from analysis.intake.cells import shown_literal
from analysis.intake.check import NewValue
from analysis.intake.plan import ImportPlan
from analysis.intake.problems import ImportProblem
from analysis.intake.template import RowLayout

__all__ = ["TENFOLD", "ReviewRow", "flags", "review_rows", "flagged_problems"]

TENFOLD = Decimal(10)
"""A new figure this many times the year before's, or this fraction of it, is flagged."""


@dataclass(frozen=True)
class ReviewRow:
    """One figure an import would write, beside its series."""

    value: NewValue
    label: str
    unit: str
    percent: bool
    previous_year: int | None
    previous: str | None
    """The series' figure for the latest year before the new one (a literal of data/)."""
    old: str | None
    """The figure ``--replace`` overwrites (same year), if any."""
    flags: tuple[str, ...]

    def shown(self, literal: str | None) -> str:
        """A literal of this row the Norwegian way (``1 422,3``, ``31 %``); ``–`` for none."""
        return "–" if literal is None else shown_literal(literal, self.percent)

    @property
    def change(self) -> str:
        """The new figure minus the previous one: ``+5,2`` (``+1 pp`` for a share); ``–`` without a previous figure."""
        if self.previous is None:
            return "–"
        decimals = max(value_decimals(self.previous), value_decimals(self.value.literal))
        diff = Decimal(self.value.literal) - Decimal(self.previous)
        text = shown_literal(f"{abs(diff):.{decimals}f}")
        sign = "+" if diff > 0 else "−" if diff < 0 else "±"
        return f"{sign}{text}" + ("\u00a0pp" if self.percent else "")


def flags(row: RowLayout, year: int, literal: str) -> tuple[str, ...]:
    """What makes a new figure for ``year`` implausible against its series (empty when nothing does)."""
    earlier = sorted((y, Decimal(v)) for y, v in row.values.items() if y < year)
    if not earlier:
        return ()
    new = Decimal(literal)
    last_year, last = earlier[-1]
    found = []
    moves = [abs(b - a) for (ya, a), (yb, b) in zip(earlier, earlier[1:], strict=False) if yb == ya + 1]
    if moves and abs(new - last) > max(moves):
        found.append(f"a change of {shown_literal(str(abs(new - last)))} is larger than any change of the series since {earlier[0][0]} "
                     f"(at most {shown_literal(str(max(moves)))} a year)")  # fmt: skip
    unit = row.unit
    if unit.is_percent and unit.minimum is not None and unit.maximum is not None and new != last:
        for edge in (unit.minimum, unit.maximum):
            if new == Decimal(repr(edge)):
                found.append(f"a share jumping to {edge:g} % from {shown_literal(str(last), True)}")
    if last != 0 and new != 0 and (abs(new) >= TENFOLD * abs(last) or abs(new) * TENFOLD <= abs(last)):
        found.append(f"{'ten times or more' if abs(new) > abs(last) else 'a tenth or less of'} {last_year}'s figure")
    elif last != 0 and new == 0:
        found.append(f"0 where {last_year} had {shown_literal(str(last), unit.is_percent)}")
    return tuple(found)


def review_rows(plan: ImportPlan) -> list[ReviewRow]:
    """Every figure the plan writes, in input order, with its series' previous figure and its flags."""
    old = {id(c.value): c.old for c in plan.changes}
    rows = []
    for v in plan.written:
        spec = plan.rows[(v.dataset, v.indicator, v.group, v.year)]
        earlier = [y for y in spec.values if y < v.year]
        previous_year = max(earlier) if earlier else None
        rows.append(
            ReviewRow(
                value=v,
                label=f"{spec.indicator_label} ({spec.group_label})",
                unit=spec.unit.label,
                percent=spec.unit.is_percent,
                previous_year=previous_year,
                previous=spec.values[previous_year] if previous_year is not None else None,
                old=old.get(id(v)),
                flags=() if v.copy_of else flags(spec, v.year, v.literal),
            )
        )
    return rows


def flagged_problems(rows: list[ReviewRow]) -> list[ImportProblem]:
    """A problem per flagged figure, naming sheet and cell, the figures and what is implausible."""
    problems = []
    for r in rows:
        if not r.flags:
            continue
        v = r.value
        msg = (
            f"{v.dataset} {r.label}: {r.shown(v.literal)} in {v.year} against {r.shown(r.previous)} in {r.previous_year}: "
            f"{'; '.join(r.flags)}. Check the figure (a share typed as 0,3, or into a cell without percent format? a decimal "
            "comma in the wrong place?); if it is right, import again with --accept-flagged"
        )
        problems.append(ImportProblem(v.where, v.cell, msg, "flagged"))
    return problems

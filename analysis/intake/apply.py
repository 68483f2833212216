"""Writing a checked ``ImportPlan`` into ``data/``, all or nothing (``apply_import``).

The new rows, their sources (``provenance.csv``) and the changelog entry are
written into a staged copy of ``data/`` (``.import-<pid>-*.tmp`` beside it), the
copy is validated, and only then are the changed files committed into ``data/``
as one step by the journal of ``analysis.data.commit`` (which survives SIGKILL
at any instant and a power cut). A refused, failed or interrupted import leaves
``data/`` as it was; the next command removes a staged copy a killed import left.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from analysis.data.commit import DiskError, commit_files, stage_name
from analysis.data.csvfile import read_rows
from analysis.data.package import OBS_COLUMNS, read_descriptor, resource
from analysis.data.provenance import PROVENANCE_COLUMNS, PROVENANCE_RESOURCE, merge_credits
from analysis.data.validate import cached_problems
from analysis.intake.check import NewValue
from analysis.intake.plan import ImportPlan
from analysis.intake.problems import ImportProblem, ImportRejected

__all__ = ["CHANGELOG_RESOURCE", "CHANGELOG_COLUMNS", "apply_import"]

CHANGELOG_RESOURCE = "changelog"
CHANGELOG_COLUMNS = ("imported_at", "source_file", "sha256", "dataset", "year", "indicator", "group", "action", "old_value", "new_value")


def _write_observations(path: Path, values: list[NewValue]) -> None:
    rows = {(r["indicator"], r["group"], int(r["year"])): r["value"] for r in read_rows(path)}
    for v in values:
        rows[(v.indicator, v.group, v.year)] = v.literal
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(OBS_COLUMNS)
        for (ind, grp, year), literal in sorted(rows.items()):
            w.writerow([year, ind, grp, literal])


def _write_changelog(plan: ImportPlan, data_dir: Path, descriptor: dict, stamp: str) -> str:
    """Append one row per written value to the changelog resource; returns its file name."""
    name = resource(descriptor, CHANGELOG_RESOURCE)["path"]
    path = data_dir / name
    new_file = not path.exists() or path.stat().st_size == 0
    old = {id(c.value): c.old for c in plan.changes}
    with path.open("a", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        if new_file:
            w.writerow(CHANGELOG_COLUMNS)
        for v in plan.written:
            before = old.get(id(v))
            action = "added" if before is None else "replaced"
            w.writerow([stamp, plan.source.name, plan.sha256, v.dataset, v.year, v.indicator, v.group, action, before or "", v.literal])
    return name


def _write_provenance(plan: ImportPlan, data_dir: Path, descriptor: dict) -> str | None:
    """Credit every written value in the provenance resource (``merge_credits``: compactly); returns its file name.

    Without the resource nothing is written: validating the staged copy then refuses the import, saying so.
    """
    try:
        name = resource(descriptor, PROVENANCE_RESOURCE)["path"]
    except KeyError:
        return None
    path = data_dir / name
    rows = read_rows(path) if path.exists() else []
    figures: dict[tuple[str, int], set[tuple[str, str]]] = {}
    for ds in plan.filled:
        for r in read_rows(data_dir / resource(descriptor, ds)["path"]):
            figures.setdefault((ds, int(r["year"])), set()).add((r["indicator"], r["group"]))
    written = [((v.dataset, v.year, v.indicator, v.group), v.credit) for v in plan.written]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=PROVENANCE_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(merge_credits(rows, written, figures))
    return name


def _uncredited(plan: ImportPlan) -> list[ImportProblem]:
    """A problem per value to be written that carries no source (every figure in data/ is credited)."""
    msg = "expected the source of the figure (NewValue.credit), found none; every figure in data/ needs its source"
    return [ImportProblem(v.where, v.cell, f"{v.dataset} {v.indicator} / {v.group} {v.year}: {msg}", "missing-source")
            for v in plan.written if v.credit is None]  # fmt: skip


def _stage_problem(p) -> ImportProblem:
    return ImportProblem("the data after import (nothing was written)", None, str(p), p.kind)


STAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def _stamp(now: datetime, changelog: Path) -> str:
    """The import's time (UTC, whole seconds), later than every entry already in the changelog.

    The changelog's key includes the time; a second import of the same figure
    within the same second would repeat a key, so its time moves on by a second.
    """
    stamp = now.astimezone(UTC).replace(microsecond=0)
    if changelog.exists():
        times = [r["imported_at"] for r in read_rows(changelog) if r.get("imported_at")]
        if times and max(times) >= stamp.strftime(STAMP_FORMAT):
            stamp = datetime.strptime(max(times), STAMP_FORMAT).replace(tzinfo=UTC) + timedelta(seconds=1)
    return stamp.strftime(STAMP_FORMAT)


def _stage(data_dir: Path) -> Path:
    """A staged copy of ``data_dir``'s files beside it (else in the system's temp folder): the folder holding it."""
    for parent in (data_dir.parent, Path(tempfile.gettempdir())):
        try:
            root = Path(tempfile.mkdtemp(prefix=stage_name(), suffix=".tmp", dir=parent))
        except OSError as exc:
            error = exc
            continue
        staged = root / data_dir.name
        try:
            staged.mkdir()
            for p in sorted(data_dir.iterdir()):
                if p.is_file():
                    shutil.copy2(p, staged / p.name)
        except OSError as exc:
            shutil.rmtree(root, ignore_errors=True)
            raise DiskError(parent, f"make the staged copy of {data_dir.name}/ that an import checks before it writes", exc) from exc
        return root
    raise DiskError(data_dir.parent, f"make the staged copy of {data_dir.name}/ that an import checks before it writes", error)


def apply_import(plan: ImportPlan, data_dir: Path, *, dry_run: bool = False, now: datetime | None = None) -> list[str]:
    """Write a checked plan into ``data_dir``, all or nothing; return the names of the files written.

    The new rows, their credits and the changelog entry are written into a staged copy of
    ``data_dir`` (``_stage``), the copy is validated (``cached_problems``: the full
    ``validate_data``, unless data with these very bytes passed it before; a pass is
    recorded, so the data written need not be validated again), and only then are the
    changed files committed into ``data_dir`` as one step (``analysis.data.commit.commit_files``:
    a journal that survives SIGKILL at any instant). With ``dry_run`` the copy is validated
    and thrown away.

    Raises ``ImportRejected`` if the staged copy is not valid, ``DiskError`` if a folder refuses
    a write (read-only, permission, full disk); then ``data_dir`` is unchanged.
    """
    data_dir = Path(data_dir).resolve()
    if not plan.written:
        return []
    missing = _uncredited(plan)
    if missing:
        raise ImportRejected(missing)
    descriptor = read_descriptor(data_dir)
    stamp = _stamp(now or datetime.now(UTC), data_dir / resource(descriptor, CHANGELOG_RESOURCE)["path"])
    root = _stage(data_dir)
    try:
        staged = root / data_dir.name
        files = []
        try:
            for ds in plan.filled:
                name = resource(descriptor, ds)["path"]
                _write_observations(staged / name, [v for v in plan.written if v.dataset == ds])
                files.append(name)
            credits = _write_provenance(plan, staged, descriptor)
            files += [credits] if credits else []
            files.append(_write_changelog(plan, staged, descriptor, stamp))
        except OSError as exc:
            raise DiskError(root.parent, "write the staged copy an import checks before it writes", exc) from exc
        problems = cached_problems(staged)
        if problems:
            raise ImportRejected([_stage_problem(p) for p in problems])
        if not dry_run:
            commit_files(data_dir, {name: staged / name for name in files}, f"import of {plan.source.name}, sha256 {plan.sha256[:12]}")
        return files
    finally:
        shutil.rmtree(root, ignore_errors=True)

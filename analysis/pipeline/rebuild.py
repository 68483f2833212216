"""``edition rebuild``: a published edition built again from its record and the repository's history.

The record (``editions/<year>/edition.json``) names the commit the book was
built from. ``rebuild`` writes that commit's files into a folder of their own
(``git archive``), checks that its data package and its edition's text have
the SHA-256 the record states, and builds the book there with the code of
that commit (``python -m analysis.cli build``, the folder on ``PYTHONPATH``):
the chapters are run again, then compared with the executed chapters the
commit holds (the published ones), and rendered. Nothing in the working copy
changes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from analysis import config
from analysis.data.narrative import NARRATIVE_FOLDER
from analysis.data.record import EDITIONS_FOLDER, load_edition
from analysis.pipeline.errors import BuildError
from analysis.pipeline.git import export_commit
from analysis.pipeline.publish import folder_hash

__all__ = ["RebuildError", "Rebuilt", "rebuild"]


class RebuildError(BuildError):
    """The edition cannot be rebuilt: no record, the commit is gone, or its files are not the ones published."""


@dataclass
class Rebuilt:
    year: int
    commit: str
    folder: Path
    """The commit's files, with the rebuilt book in ``_book/``."""
    returncode: int
    log: str
    differing: list[str] = field(default_factory=list)
    """Executed chapters the rebuild ran that differ from the published ones (empty: byte-identical)."""
    ran: bool = True


def rebuild(
    year: int, out: Path, *, root: Path = config.PROJ_ROOT, data_dir: Path = config.DATA_DIR, run: bool = True, env: dict | None = None
) -> Rebuilt:
    """Rebuild edition ``year`` into ``out`` (which must not exist) from the commit its record names.

    ``run=False`` renders the commit's executed chapters without running them again. Raises ``RebuildError``
    when the record is missing or the commit's data or text are not the published ones; ``GitError`` when git
    cannot give the commit.
    """
    editions_dir = Path(data_dir).resolve().parent / EDITIONS_FOLDER
    try:
        record = load_edition(editions_dir, year, record=False)
    except OSError:
        raise RebuildError(f"the {year} edition has no record (editions/{year}/): only a published edition can be rebuilt") from None
    commit = str(record.meta["commit"])
    out = Path(out)
    if out.exists():
        raise RebuildError(f"{out} exists: choose a new folder with --out")
    folder = export_commit(root, commit, out)
    checks = (
        ("data package", folder_hash_data(folder / "data"), record.meta.get("data_package_sha256")),
        ("text", folder_hash(folder / NARRATIVE_FOLDER / str(year)), record.meta.get("narrative_sha256")),
    )
    wrong = [f"{what}: the record says {want}, commit {commit[:12]} has {got}" for what, got, want in checks if got != want]
    if wrong:
        raise RebuildError(f"commit {commit[:12]} does not hold the published {year} edition: " + "; ".join(wrong))
    published = {p.name: p.read_bytes() for p in sorted((folder / "book").glob("*.ipynb"))}
    run_env = {**os.environ, **(env or {}), "PYTHONPATH": str(folder)}
    run_env.pop("VIRKSOMHETSANALYSE_READS", None)
    cmd = [sys.executable, "-m", "analysis.cli", "build", "--year", str(year)] if run else [sys.executable, "-m", "analysis.cli", "render"]
    proc = subprocess.run(cmd, cwd=folder, env=run_env, capture_output=True, text=True, errors="replace")
    differing = [name for name, data in published.items() if (folder / "book" / name).read_bytes() != data] if run else []
    shutil.rmtree(folder / ".build", ignore_errors=True)
    return Rebuilt(year, commit, folder, proc.returncode, proc.stdout + proc.stderr, differing, run)


def folder_hash_data(data_dir: Path) -> str:
    """The data package's hash as ``publish`` records it (``analysis.data.package.fingerprint``)."""
    from analysis.data.package import fingerprint

    return fingerprint(data_dir)

"""Where filled workbooks live, so that none is lost: the template folder and the copies of imported files.

``workbook_folder`` is ``workbooks/`` beside the data folder (for the real
``data/``: the project's ``workbooks/``, which git ignores and ``make clean``
leaves alone): ``template`` writes ``mal-YEAR.xlsx`` there. ``keep_copy``
stores a copy of every imported file under ``workbooks/imported/<sha256>/``,
the sha256 the changelog records with each figure, so that a figure can be
traced back to the very file it came from.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

__all__ = ["WORKBOOKS", "IMPORTED", "workbook_folder", "copy_path", "keep_copy", "apply_keeping_a_copy"]

WORKBOOKS = "workbooks"
IMPORTED = "imported"


def workbook_folder(data_dir: Path) -> Path:
    """The folder for new-year workbooks: ``workbooks/`` beside ``data_dir``."""
    return Path(data_dir).resolve().parent / WORKBOOKS


def copy_path(data_dir: Path, sha256: str, name: str) -> Path:
    """Where the copy of an imported file with this sha256 is kept."""
    return workbook_folder(data_dir) / IMPORTED / sha256 / Path(name).name


def keep_copy(source: Path, sha256: str, data_dir: Path) -> tuple[Path, bool]:
    """Copy ``source`` to ``copy_path`` (atomically; kept as it is when a copy is already there).

    Returns the copy's path and whether it was made now. Raises ``OSError`` when it cannot be written.
    """
    target = copy_path(data_dir, sha256, Path(source).name)
    if target.exists():
        return target, False
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".copy-", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target, True


def apply_keeping_a_copy(plan, data_dir: Path, *, dry_run: bool = False) -> tuple[list[str], Path | None]:
    """``apply_import`` with a copy of the input kept first (``keep_copy``); the copy goes again if the import fails.

    Returns the files written and the copy (``None`` for a dry run or nothing to write). A copy that cannot
    be written refuses the import (``ImportRejected``): nothing is written without it.
    """
    from analysis.intake.apply import apply_import
    from analysis.intake.problems import ImportProblem, ImportRejected

    if dry_run or not plan.written:
        return apply_import(plan, data_dir, dry_run=dry_run), None
    try:
        copy, made = keep_copy(plan.source, plan.sha256, data_dir)
    except OSError as exc:
        msg = f"cannot keep a copy of the file in {WORKBOOKS}/{IMPORTED}/ ({exc.strerror or exc}); the copy traces every figure to its file"
        raise ImportRejected([ImportProblem(f"file '{plan.source.name}'", None, msg, "copy")]) from exc
    try:
        return apply_import(plan, data_dir, dry_run=False), copy
    except BaseException:
        if made:
            copy.unlink(missing_ok=True)
        raise

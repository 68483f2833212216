"""What ``publish`` and ``edition rebuild`` ask git: the commit, uncommitted inputs, a commit's files.

Git is the repository's own history: a published edition names the commit
its book was built from, and is rebuilt from that commit's files. Every call
runs ``git`` with a timeout and raises ``GitError`` with git's own message.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
from collections.abc import Sequence
from pathlib import Path

__all__ = ["GitError", "head_commit", "uncommitted", "export_commit"]


class GitError(Exception):
    """git is missing, the folder is no repository, or a git command failed."""


def _git(root: Path, *args: str, text: bool = True) -> str | bytes:
    exe = shutil.which("git")
    if exe is None:
        raise GitError("git is not installed: a published edition names the git commit its book was built from")
    try:
        proc = subprocess.run([exe, "-C", str(root), *args], capture_output=True, text=text, timeout=120)
    except (OSError, subprocess.SubprocessError) as exc:
        raise GitError(f"`git {' '.join(args)}` failed: {exc}") from None
    if proc.returncode != 0:
        err = proc.stderr if text else proc.stderr.decode("utf-8", "replace")
        raise GitError(f"`git {' '.join(args)}` in {root}: {err.strip() or f'exit code {proc.returncode}'}")
    return proc.stdout


def head_commit(root: Path) -> str:
    """The full hash of the commit checked out in ``root`` (raises ``GitError`` outside a repository)."""
    return str(_git(root, "rev-parse", "--verify", "HEAD")).strip()


def uncommitted(root: Path, paths: Sequence[str]) -> list[str]:
    """Files under ``paths`` (relative to ``root``) that differ from the commit: changed, added or untracked (not ignored)."""
    out = str(_git(root, "status", "--porcelain", "--untracked-files=all", "--", *paths))
    return [line[3:] for line in out.splitlines() if line.strip()]


def export_commit(root: Path, commit: str, dest: Path) -> Path:
    """The files of ``commit`` (as ``git archive`` gives them) written into ``dest`` (created; must not exist)."""
    data = _git(root, "archive", "--format=tar", commit, text=False)
    dest = Path(dest)
    dest.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(bytes(data))) as tar:
        tar.extractall(dest, filter="data")
    return dest

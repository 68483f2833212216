"""Nothing outside ``data/`` is opened: every path the descriptor names is checked before any file is read.

A resource's ``path`` (and a ``schema`` or ``dialect`` given as a path) must be a relative file
name inside the data folder: no web address (nothing is fetched), no absolute path, no ``..``, no
symbolic link whose target lies outside the folder, and a regular file (a named pipe would make a
reader wait for ever, a device would never end). ``path_problems`` lists every such path as a
``Problem`` naming the resource and the path; ``validate_data`` stops there, so nothing else is
read. ``unsafe_reason`` checks one file (the descriptor itself, ``checks.yaml``).
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from analysis.config import CHECKS_FILE, DESCRIPTOR
from analysis.data.problems import Problem, display

__all__ = ["unsafe_reason", "path_problems", "inside"]

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_KINDS = {stat.S_IFIFO: "a named pipe", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device", stat.S_IFSOCK: "a socket",
          stat.S_IFDIR: "a folder"}  # fmt: skip


def inside(folder: Path, path: Path) -> bool:
    """Whether ``path`` (resolved: every symbolic link followed) lies inside ``folder``."""
    real, base = os.path.realpath(path), os.path.realpath(folder)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def unsafe_reason(data_dir: Path, name: object) -> str | None:
    """Why ``name`` is not a file of ``data_dir`` that may be opened, or None (also None for a file that does not exist)."""
    if not isinstance(name, str) or not name.strip():
        return f"is not a file name ({type(name).__name__})"
    if _SCHEME.match(name) and not re.match(r"^[A-Za-z]:[\\/]", name):
        return "is a web address: data files are read from the data folder only, never fetched"
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:[\\/]", name):
        return "is an absolute path, outside the data folder"
    if ".." in re.split(r"[\\/]", name):
        return "leads out of the data folder ('..')"
    path = Path(data_dir) / name
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot be looked at ({exc.strerror or exc})"
    if stat.S_ISLNK(st.st_mode) or ("/" in name or "\\" in name) and not inside(data_dir, path.parent):
        if not inside(data_dir, path):
            return f"is a symbolic link to '{os.path.realpath(path)}', outside the data folder"
        try:
            st = os.stat(path)
        except OSError:
            return None  # a dangling link: reported as a missing file
    if not stat.S_ISREG(st.st_mode):
        return f"is not a regular file but {_KINDS.get(stat.S_IFMT(st.st_mode), 'a special file')}"
    return None


def _message(what: str, name: object, reason: str) -> str:
    return f"{what} '{name}' {reason}; expected a file name inside the data folder (like osu_arsverk.csv). Nothing was read from it"


def path_problems(data_dir: Path, descriptor: dict) -> list[Problem]:
    """A problem per path of the descriptor (resource ``path``, ``schema``, ``dialect``) that may not be opened, and per fixed file."""
    data_dir = Path(data_dir)
    where = display(data_dir, DESCRIPTOR)
    problems = []
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    for i, res in enumerate(resources if isinstance(resources, list) else []):
        if not isinstance(res, dict):
            continue
        name = res.get("name", f"#{i + 1}")
        paths = res.get("path")
        for p in paths if isinstance(paths, list) else [paths] if "path" in res else []:
            reason = unsafe_reason(data_dir, p)
            if reason:
                problems.append(Problem(where, None, None, _message(f"resource '{name}', path", p, reason), "unsafe-path"))
        for key in ("schema", "dialect"):
            if isinstance(res.get(key), str):
                reason = unsafe_reason(data_dir, res[key])
                if reason:
                    problems.append(Problem(where, None, None, _message(f"resource '{name}', {key}", res[key], reason), "unsafe-path"))
    if isinstance(descriptor, dict) and isinstance(descriptor.get("profile"), str) and _SCHEME.match(descriptor["profile"]):
        problems.append(Problem(where, None, None, _message("profile", descriptor["profile"], "is a web address"), "unsafe-path"))
    reason = unsafe_reason(data_dir, CHECKS_FILE)
    if reason:
        problems.append(Problem(display(data_dir, CHECKS_FILE), None, None, _message(CHECKS_FILE, CHECKS_FILE, reason), "unsafe-path"))
    return problems

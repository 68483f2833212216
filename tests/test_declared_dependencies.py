"""Every third-party package the code imports directly is a declared dependency (issue 20, Deliver 9).

deptry (``[tool.deptry]`` in pyproject.toml) reads every import of ``analysis/``, ``tools/``, ``benchmarks/``
and ``tests/`` and compares them with ``pyproject.toml``: no package imported but undeclared (DEP001), none
imported that comes in only through another (DEP003: ``requests``, ``urllib3``, ``click``, ``jupyter_client``
did), none declared and unused (DEP002, except the listed ones used without an import).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_every_imported_package_is_declared():
    deptry = Path(sys.executable).with_name("deptry")
    exe = str(deptry) if deptry.exists() else shutil.which("deptry")
    if exe is None:
        pytest.fail("deptry is not installed: it is a dev dependency (make setup installs it)")
    result = subprocess.run([exe, ".", "--no-ansi"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr

"""Shared fixtures: a private copy of data/ that a test may break."""

import shutil
from pathlib import Path

import pytest

from analysis.config import DATA_DIR


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the real data/ in a temporary folder (named ``data`` like the original)."""
    dst = tmp_path / "data"
    shutil.copytree(DATA_DIR, dst)
    return dst

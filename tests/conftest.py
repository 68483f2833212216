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


@pytest.fixture(scope="session")
def b18():
    """The chapter context for the source's reporting year, on the real data."""
    import analysis as va

    return va.setup(2018)


@pytest.fixture(scope="session")
def b17():
    """The same for the year before: nothing from 2018 may show."""
    import analysis as va

    return va.setup(2017)


@pytest.fixture(scope="session")
def b19():
    """A year with no data yet: every sentence must say so, not crash."""
    import analysis as va

    return va.setup(2019)

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


# --------------------------------------------------------------------------- time per test area
# `make test` prints, after the summary, the seconds spent in each test file (setup, call and
# teardown added up; with pytest-xdist, summed over the workers), largest first.

_AREA_SECONDS: dict[str, float] = {}


def pytest_runtest_logreport(report):
    area = report.nodeid.split("::", 1)[0]
    _AREA_SECONDS[area] = _AREA_SECONDS.get(area, 0.0) + getattr(report, "duration", 0.0)


def pytest_terminal_summary(terminalreporter):
    if not _AREA_SECONDS:
        return
    terminalreporter.section("time per test area (s, summed over workers)")
    for area, seconds in sorted(_AREA_SECONDS.items(), key=lambda kv: -kv[1]):
        terminalreporter.write_line(f"{seconds:7.1f}  {area}")

"""Shared fixtures: a private copy of data/ that a test may break, the books of three years, a warm kernel pool."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from analysis.config import DATA_DIR
from helpers import kernels_per_worker


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


@pytest.fixture
def server():
    """The local stand-in for SSB's API (``tests/kostra_server.py``), closed after the test."""
    from kostra_server import Server

    s = Server()
    yield s
    s.close()


class _SharedKernels:
    """Warm kernels (``analysis.pipeline.kernels.KernelPool``, ``helpers.kernels_per_worker``) for every test that runs
    chapters, started at first use."""

    def __init__(self) -> None:
        self.pool = None

    def _started(self):
        if self.pool is None:
            from analysis.pipeline.kernels import KernelPool

            self.pool = KernelPool(kernels_per_worker())
        return self.pool

    def submit(self, job):
        return self._started().submit(job)

    def stop(self) -> None:
        if self.pool is not None:
            self.pool.stop()
            self.pool.close()
            self.pool = None  # the next run starts new kernels

    def close(self) -> None:  # kept open for the next test
        pass

    def shutdown(self) -> None:
        if self.pool is not None:
            self.pool.close()


@pytest.fixture(scope="session", autouse=True)
def kernel_pool():
    """The session's warm kernels: ``run_notebooks`` uses them by default (``analysis.pipeline.run.shared_pool``).

    Each chapter still runs in a fresh namespace, and a chapter that kills its kernel gets it replaced, so the
    tests sharing them cannot see each other's chapters; the kernels start once per worker, not once per run.
    """
    from analysis.pipeline import run

    shared = _SharedKernels()
    run.shared_pool = shared
    yield shared
    run.shared_pool = None
    shared.shutdown()


# --------------------------------------------------------------------------- chart PNGs drawn once per session
# ``analysis.present.png`` keeps each chart PNG vl-convert draws, by the SHA-256 of everything it depends on. The
# session gives every process (the workers, their kernels, nbval's kernels, the CLI) one fresh folder, made before the
# workers start and removed at the end: each distinct chart is drawn once per session, on this machine, and never
# taken from an earlier session. A test of the drawing itself unsets the variable (test_book_config, test_png).

_CHARTS_BEFORE: list = []


def pytest_configure(config):
    if hasattr(config, "workerinput"):
        return  # a pytest-xdist worker: the controller's folder is in its environment
    from analysis.present.png import CHARTS_ENV

    _CHARTS_BEFORE.append(os.environ.get(CHARTS_ENV))
    os.environ[CHARTS_ENV] = tempfile.mkdtemp(prefix="va-test-charts-")


def pytest_unconfigure(config):
    if hasattr(config, "workerinput") or not _CHARTS_BEFORE:
        return
    from analysis.present.png import CHARTS_ENV

    shutil.rmtree(os.environ[CHARTS_ENV], ignore_errors=True)
    before = _CHARTS_BEFORE.pop()
    if before is None:
        os.environ.pop(CHARTS_ENV, None)
    else:
        os.environ[CHARTS_ENV] = before


# --------------------------------------------------------------------------- the longest files first
# pytest-xdist (``--dist loadfile``) hands out whole files in collection order (``--no-loadscope-reorder``:
# not by their number of tests, which put the longest file last). The files that take longest (they run
# every chapter, drive a browser or import many workbooks) start first, the rest follow in their usual
# order, so that no worker is left with a long file while the other one idles (longest processing time
# first). Update the list from the table printed after a run; an unlisted file only balances less well.

LONGEST_FIRST = (
    "tests/test_hostile.py",
    "tests/test_edition_cycle.py",
    "tests/test_dependencies.py",
    "tests/test_build.py",
    "tests/test_browser.py",
    "tests/test_excel.py",
    "tests/test_commit.py",
    "tests/test_year.py",
    "tests/test_new_year.py",
    "tests/test_intake.py",
    "tests/test_libreoffice.py",
    "tests/test_faults.py",
    "tests/test_book_config.py",
    "tests/test_review.py",
)


def pytest_collection_modifyitems(items):
    rank = {area: i for i, area in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))  # stable: a file's tests keep their order


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

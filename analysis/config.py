"""All paths of the project, in one place.

Every module and notebook takes its paths from here (or from an explicit
argument), so that a test can point the whole pipeline at a copy of ``data/``.
"""

from __future__ import annotations

from pathlib import Path

PROJ_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = PROJ_ROOT / "data"
DESCRIPTOR = "datapackage.yaml"
CHECKS_FILE = "checks.yaml"
NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"
BOOK_DIR = PROJ_ROOT / "book"
OUTPUT_DIR = PROJ_ROOT / "_book"
STATE_DIR = PROJ_ROOT / ".build"
NARRATIVE_DIR = PROJ_ROOT / "narrative"
"""The text a person writes, one folder per edition (``narrative/<year>/<chapter>.md``); always beside the data folder
(``analysis.data.narrative.narrative_dir_for``)."""
EDITIONS_DIR = PROJ_ROOT / "editions"
"""The records of the published editions (``editions/<year>/``, written by ``virksomhetsanalyse publish``); beside the
data folder, like the narrative."""
SITE_DIR = PROJ_ROOT / "_site"
"""The published books (``_site/<year>/`` and a landing page; git-ignored)."""

DEFAULT_YEAR = 2018
"""The reporting year of the 2019 analysis (its latest data year)."""

CHAPTERS = ("osu", "digit", "eiendom", "medarbeidere")
"""Chapter notebooks in book order (``notebooks/<name>.ipynb``)."""

APPENDICES = ("datakvalitet", "kilder", "endringer")
"""Appendix notebooks (data quality; sources and method; what changed since the last edition), after the chapters."""

NOTEBOOKS = CHAPTERS + APPENDICES
"""Every notebook papermill executes into ``book/``."""

PRIVACY_MIN_COUNT = 5
"""Smallest count of persons a table shows for a group; smaller counts (above zero) are hidden (``analysis.calc.privacy``).

Change it here: functions that take ``min_count=None`` read it at call time, so the book, its CSV files and
the sentence that states the rule all follow it."""

"""A draft edition rendered by the real Quarto: the "not reviewed" callouts in the HTML book, *Utkast* on every PDF page.

Where Quarto >= 1.10 is found (``$QUARTO`` or ``PATH``; otherwise skipped with
the reason, as tests/test_render.py is): a copy of the project gets a 2019
edition started from the 2018 text (``edition new 2019``), and ``build --year
2019 --draft`` runs and renders it with the copy's own code. Checked: every
block not reviewed carries its callout in the HTML pages (and only those), the
narrative's sections and cross-references survive the move into outputs
(``output: asis``), every page of the PDF says *Utkast*, and the PDF without
``--draft`` is refused.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from analysis import config
from analysis.pipeline.draft import unreviewed_in_book
from analysis.pipeline.render import find_quarto
from helpers import copy_project

MARKER = "Teksten er fra 2018-utgaven og er ikke gjennomgått."


def _quarto() -> str:
    quarto = find_quarto()
    if quarto is None:
        pytest.skip("Quarto not found ($QUARTO unset, no quarto on PATH): the real render of a draft edition needs Quarto >= 1.10")
    return quarto


@pytest.fixture(scope="module")
def draft(tmp_path_factory):
    quarto = _quarto()
    root = tmp_path_factory.mktemp("edition-render") / "project"
    copy_project(config.PROJ_ROOT, root)
    env = {**os.environ, "QUARTO": quarto, "PYTHONPATH": str(root)}
    env.pop("VIRKSOMHETSANALYSE_READS", None)

    def cli(*args: str) -> subprocess.CompletedProcess:
        cmd = [sys.executable, "-m", "analysis.cli", *args]
        return subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=1800)

    started = cli("edition", "new", "2019")
    assert started.returncode == 0, started.stderr
    cli("edition", "review", "2019", "digit")
    refused = cli("build", "--year", "2019", "--allow-empty-year")  # no 2019 figures: the chapters say so
    built = cli("build", "--year", "2019", "--allow-empty-year", "--draft")
    assert built.returncode == 0, (built.stdout + built.stderr)[-3000:]
    return root, refused


def test_the_pdf_without_draft_is_refused(draft):
    _, refused = draft
    assert refused.returncode == 6 and "the 2019 PDF is refused" in refused.stderr, refused.stderr


def test_every_block_not_reviewed_carries_its_callout_in_the_html_book(draft):
    root, _ = draft
    left = unreviewed_in_book(root / "book", config.NOTEBOOKS)
    assert left and not any(u.chapter == "digit" for u in left)
    pages = {n: (root / "_book" / "book" / f"{n}.html").read_text(encoding="utf-8") for n in config.CHAPTERS}
    for name, page in pages.items():
        expected = sum(1 for u in left if u.chapter == name)
        assert page.count(MARKER) == expected, name
        assert len(re.findall(r'class="[^"]*va-unreviewed[^"]*callout', page)) == expected, name
        assert "quarto-unresolved-ref" not in page, f"{name}: a cross-reference in the text no longer resolves"
    assert 'id="sec-osu-okonomi"' in pages["osu"] and 'href="#fig-osu-fordeling"' in pages["osu"], "sections and references stay"


def test_every_page_of_the_draft_pdf_says_utkast(draft):
    from pypdf import PdfReader

    root, _ = draft
    reader = PdfReader(str(root / "_book" / "virksomhetsanalyse.pdf"))
    missing = [i + 1 for i, page in enumerate(reader.pages) if "Utkast" not in (page.extract_text() or "")]
    assert len(reader.pages) > 20 and missing == [], f"pages without Utkast: {missing[:10]}"

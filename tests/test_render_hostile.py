"""Hostile labels in the pages Quarto renders (issue 20, case 5): Quarto's syntax from data does nothing.

Runs only where Quarto is found (as ``tests/test_render.py``: ``$QUARTO`` or ``quarto`` on PATH); otherwise
skipped with that reason. A copy of the project gets ``test_hostile.plant``'s labels in ``data/`` (an HTML tag,
formulas, and ``{{< include /etc/passwd >}} {{< env HOME >}} [x](javascript:alert(1)) @sec-osu $x$``), its
chapters are run and rendered to HTML, and every page of ``_book/`` is read:

* no shortcode ran: no line of ``/etc/passwd``, no home folder where ``{{< env HOME >}}`` stood, in the text
  or in any attribute (an image's ``alt`` comes from the executed chapter's ``#| fig-alt``);
* the planted text is shown as written (``{{< env HOME >}}``, ``@sec-osu``, ``$x$``), with no Markdown
  backslash before ``[``, ``@`` or ``$``, and made no link, cross-reference or math.

The book's HTML pages show a chart by its own HTML; Quarto gives a chart cell's ``#| fig-alt`` to the image
where it uses the PNG (the PDF). So every chart cell of the executed chapters is also rendered alone, with only
its PNG, and the image's alt text read: Quarto runs a shortcode it finds there unless it is escaped.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_hostile import QUARTO, plant
from test_render import RENDER_TIMEOUT, _copy_project, _quarto_or_skip

from analysis import config


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    quarto = _quarto_or_skip()
    root = tmp_path_factory.mktemp("render-hostile") / "project"
    _copy_project(config.PROJ_ROOT, root)
    plant(root / "data")
    env = {**os.environ, "QUARTO": quarto, "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
    for args in (["run", "--year", "2018", "--force"], ["render", "--to", "html"]):
        done = subprocess.run([sys.executable, "-m", "analysis.cli", *args], cwd=root, env=env, capture_output=True, text=True,
                              errors="replace", timeout=RENDER_TIMEOUT)  # fmt: skip
        if done.returncode != 0:
            pytest.fail(f"{' '.join(args)} exited {done.returncode}:\n" + "\n".join((done.stdout + done.stderr).splitlines()[-40:]))
    out = root / "_book"
    pages = {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*.html") if "site_libs" not in p.parts}
    shutil.rmtree(root / ".build", ignore_errors=True)
    return root, pages


@pytest.fixture(scope="module")
def hostile_pages(hostile_project) -> dict[str, str]:
    return hostile_project[1]


@pytest.fixture(scope="module")
def png_alts(hostile_project, tmp_path_factory) -> list[str]:
    """The alt text Quarto gives each chart's image where it uses the PNG: every chart cell of the executed chapters,
    with its options and only its PNG, rendered as one document."""
    root = hostile_project[0]
    cells = [{"cell_type": "markdown", "metadata": {}, "source": ["# Diagrammer\n"]}]
    for name in config.NOTEBOOKS:
        for cell in json.loads((root / "book" / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]:
            pngs = [o for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
            if cell["cell_type"] == "code" and "fig-alt" in "".join(cell["source"]) and pngs:
                data = {"image/png": pngs[0]["data"]["image/png"], "text/plain": "diagram"}
                cells.append({**cell, "outputs": [{"output_type": "display_data", "metadata": {}, "data": data}]})
    assert len(cells) > 5, "no chart cell with fig-alt in the executed chapters"
    doc = tmp_path_factory.mktemp("alts")
    nb = {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
          "nbformat": 4, "nbformat_minor": 5}  # fmt: skip
    (doc / "alts.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    (doc / "_quarto.yml").write_text("project:\n  type: default\nexecute:\n  enabled: false\nformat: html\n", encoding="utf-8")
    done = subprocess.run([_quarto_or_skip(), "render", "alts.ipynb", "--to", "html"], cwd=doc, capture_output=True, text=True,
                          errors="replace", timeout=RENDER_TIMEOUT)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    page = (doc / "alts.html").read_text(encoding="utf-8")
    return [html.unescape(a) for a in re.findall(r'<img\b[^>]*\balt="([^"]*)"', page)]


def test_a_fig_alt_from_data_runs_no_shortcode(png_alts):
    home = os.path.expanduser("~")
    ran = [a[:160] for a in png_alts if ">}} " + home + " [x](javascript" in a]
    assert ran == [], f"Quarto ran {{{{< env HOME >}}}} in {len(ran)} chart's alt text: {ran[:2]}"
    assert any(QUARTO in a for a in png_alts), "no chart's alt text shows the planted text as written"


def _visible(page: str) -> str:
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def test_no_shortcode_from_data_ran(hostile_pages):
    passwd = Path("/etc/passwd").read_text(encoding="utf-8").splitlines()[:1] if Path("/etc/passwd").exists() else []
    home = os.path.expanduser("~")
    bad = []
    for rel, page in hostile_pages.items():
        text = html.unescape(page)
        if any(line and line in text for line in passwd):
            bad.append((rel, "included /etc/passwd"))
        ran = ">}} " + home + " [x](javascript"  # what {{< env HOME >}} would have become
        for alt in re.findall(r'<img\b[^>]*\balt="([^"]*)"', page):
            if ran in html.unescape(alt):
                bad.append((rel, f"ran a shortcode in an image's alt text: {html.unescape(alt)[:160]}"))
        if ran in text:
            bad.append((rel, "ran a shortcode in the text"))
    assert bad == [], bad[:5]


def test_the_planted_text_is_shown_as_written(hostile_pages):
    shown, bad = 0, []
    for rel, page in hostile_pages.items():
        text = " ".join(_visible(page).split())
        shown += text.count(QUARTO)
        bad += [(rel, m.group()) for m in re.finditer(r".{30}\\[\[@$].{10}", text)][:2]
        if re.search(r'href="javascript:', page, flags=re.IGNORECASE):
            bad.append((rel, "a javascript: link"))
        if 'class="math' in page and "$x$" not in text:
            bad.append((rel, "math from data"))
    assert bad == [], bad[:5]
    assert shown, "the planted text is shown as written on no page"
    alts = [html.unescape(a) for page in hostile_pages.values() for a in re.findall(r'<img\b[^>]*\balt="([^"]*)"', page)]
    assert any(QUARTO in a for a in alts), "no chart's alt text shows the planted text as written"

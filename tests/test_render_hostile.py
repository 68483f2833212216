"""Hostile labels in the pages Quarto renders (issue 20, case 5): Quarto's syntax from data does nothing.

Runs only where Quarto is found (as ``tests/test_render.py``: ``$QUARTO`` or ``quarto`` on PATH); otherwise
skipped with that reason. A copy of the project gets ``test_hostile.plant``'s labels in ``data/`` (an HTML tag,
formulas, and ``{{< include /etc/passwd >}} {{< env HOME >}} [x](javascript:alert(1)) @sec-osu $x$``), its
chapters are run and rendered to HTML, and every page of ``_book/`` is read:

* no shortcode ran: no line of ``/etc/passwd``, no home folder where ``{{< env HOME >}}`` stood, in the text
  or in any attribute (an image's ``alt`` comes from the executed chapter's ``#| fig-alt``);
* the planted text is shown as written (``{{< env HOME >}}``, ``@sec-osu``, ``$x$``), with no Markdown
  backslash before ``[``, ``@`` or ``$``, and made no link, cross-reference or math.
"""

from __future__ import annotations

import html
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
def hostile_pages(tmp_path_factory) -> dict[str, str]:
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
    return pages


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
        ran = f">}} {home} [x](javascript"  # what {{< env HOME >}} would have become
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

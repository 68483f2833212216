"""Hostile labels: text from ``data/`` never becomes markup or a spreadsheet formula.

A copy of ``data/`` gets an HTML tag (``<img src=x onerror=alert(1)>``) and
formula-like strings (``=HYPERLINK(...)``, ``+SUM(1,2)``, ``@cmd|/c calc|!A1``,
``-2+3``) planted in every lookup label (groups, indicators, units other than
``%``) and every text field that reaches the book (the descriptor's dataset
titles, source titles and tables and notes, the checks' titles, the source
charts' titles and descriptions, the text figures' descriptions). Every chapter
is executed into a temporary folder (the real ``run`` stage), and then:

* no output carries the tag raw: not the sentences (``text/markdown``, also
  rendered with the preview's markdown-it), not the tables' and charts' HTML
  (alt text, ``aria-label`` and the Vega-Lite spec with its tooltips included);
* no cell of any CSV download (the ``data:`` links, decoded and parsed) is one
  a spreadsheet would evaluate;
* in headless Chromium (as ``test_browser.py``; skipped without Chromium, axe
  or Playwright unless ``CI`` is set), no ``preview`` page fires a dialog or
  holds an injected ``img[src=x]``, also after every chart mark has been
  pointed at (the pointer events vega listens for, dispatched in the page: one
  call instead of a Playwright hover per mark), and the tooltips drawn show the
  planted tag as text.

And Quarto's own syntax (issue 20): a shortcode (``{{< include /etc/passwd >}}``, ``{{< env HOME >}}``), a
link, an ``@``-reference and ``$`` math are planted too; none reaches a cell option Quarto reads
(``#| fig-alt``) or a Markdown output as Quarto syntax, and HTML tables, their notes and the CSV
downloads show the text as written, without Markdown backslashes (the rendered pages:
``tests/test_render_hostile.py``, where Quarto is found).
"""

from __future__ import annotations

import base64
import csv
import html
import html.parser
import io
import json
import re
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt

from analysis import config
from analysis.pipeline.preview import build_preview
from analysis.pipeline.run import run_notebooks
from helpers import write_previous_record

TAG = "<img src=x onerror=alert(1)>"
QUARTO = "{{< include /etc/passwd >}} {{< env HOME >}} [x](javascript:alert(1)) @sec-osu $x$"
"""Quarto syntax from data: two shortcodes, a link, a cross-reference and math, planted after the tag."""
FORMULAS = ['=HYPERLINK("http://x","klikk")', "+SUM(1,2)", "@cmd|/c calc|!A1", "-2+3"]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^[+-]?\d+(?: \d{3})*(?:,\d+)?%?$")
"""A cell a spreadsheet reads as a number (``-4,3``, ``+10,0%``, ``1422,3``): never a formula."""
DATA_CSV = re.compile(r'href="data:text/csv;charset=utf-8;base64,([A-Za-z0-9+/=]+)"')


def _hostile(value: str, i: int) -> str:
    """Row ``i``'s text with the tag, and (four rows in five) a formula in front."""
    lead = ([TAG] + FORMULAS)[i % 5]
    return f"{TAG} {value} {QUARTO}" if lead == TAG else f"{lead} {value} {TAG} {QUARTO}"


def _plant_csv(path: Path, columns: tuple[str, ...], keep=lambda row: True) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    for i, row in enumerate(rows):
        for c in columns:
            if row[c] and keep(row):
                row[c] = _hostile(row[c], i)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def plant(data: Path) -> None:
    """Put the hostile strings into every label and text field of the data folder ``data``."""
    _plant_csv(data / "groups.csv", ("label",))
    _plant_csv(data / "indicators.csv", ("label",))
    _plant_csv(data / "units.csv", ("label",), keep=lambda r: r["label"] != "%")  # "%" is the unit's meaning, not a label
    _plant_csv(data / "source_charts.csv", ("title", "what_it_shows"))
    _plant_csv(data / "text_figures.csv", ("description",))
    desc = yaml.safe_load((data / "datapackage.yaml").read_text(encoding="utf-8"))
    i = 0
    for r in desc["resources"]:
        r["title"] = _hostile(r.get("title", r["name"]), i)
        r["notes"] = [_hostile(n, i + k) for k, n in enumerate(r.get("notes") or [])] or r.get("notes")
        for s in r.get("sources", []) or []:
            s["title"] = _hostile(s.get("title", ""), i)
            if s.get("table") and s["table"] != "tekst":  # "tekst" means: the figure is in running text
                s["table"] = _hostile(s["table"], i + 1)
        i += 1
    if desc["resources"] and desc["resources"][-1].get("notes") is None:
        desc["resources"][-1].pop("notes")
    (data / "datapackage.yaml").write_text(yaml.safe_dump(desc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    checks = yaml.safe_load((data / "checks.yaml").read_text(encoding="utf-8"))
    for i, chk in enumerate(checks):
        chk["title"] = _hostile(chk["title"], i)
    (data / "checks.yaml").write_text(yaml.safe_dump(checks, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_book(tmp_path_factory) -> Path:
    """Every chapter executed on the planted copy of ``data/``: the folder with the executed notebooks."""
    import shutil

    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    shutil.copytree(config.DATA_DIR, data)
    shutil.copytree(config.NARRATIVE_DIR, root / "narrative")  # the text, beside the data (not planted: not data text)
    plant(data)
    # a SYNTHETIC record of a 2017 edition: the appendix "Endringer" then lists a revised figure, the 2018 figures and a
    # new finding, with the planted labels
    write_previous_record(data, 2017, revise=("osu_arsverk", "arsverk", "digit", 2016))
    run_notebooks(force=True, book_dir=root / "book", state_dir=root / ".build", data_dir=data)
    return root / "book"


def _outputs(book: Path, name: str) -> list[dict]:
    nb = json.loads((book / f"{name}.ipynb").read_text(encoding="utf-8"))
    return [
        {k: "".join(v) if isinstance(v, list) else v for k, v in o.get("data", {}).items()}
        for c in nb["cells"]
        if c["cell_type"] == "code"
        for o in c.get("outputs", [])
    ]


def test_the_labels_are_planted(hostile_book):
    # the fixture reaches the book: the planted strings show up (escaped) in every chapter
    for name in config.NOTEBOOKS:
        text = "\n".join(d.get("text/html", "") + d.get("text/markdown", "") for d in _outputs(hostile_book, name))
        assert "onerror=alert(1)" in text, f"{name}: no planted label reached the outputs"


class _Tags(html.parser.HTMLParser):
    """Every start tag of an HTML text, with its attributes (entities decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((tag, dict(attrs)))


def _injected(fragment: str) -> list[str]:
    """The elements of an HTML fragment that the planted tag would have made."""
    p = _Tags()
    p.feed(fragment)
    p.close()
    return [f"<{t} {a}>" for t, a in p.tags if (t == "img" and a.get("src") == "x") or "onerror" in a]


@pytest.mark.parametrize("name", config.NOTEBOOKS)
def test_no_raw_tag_in_any_output(hostile_book, name):
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])  # as analysis.pipeline.preview
    bad = []
    for d in _outputs(hostile_book, name):
        if "text/markdown" in d:
            text = d["text/markdown"]
            if "<img" in text or _injected(md.render(text)):
                bad.append(("text/markdown", text[:200]))
        if "text/html" in d:
            text = d["text/html"]
            # nowhere in the HTML source, not in alt text, aria-label or the chart's spec (tooltips) inside <script>
            if "<img src=x" in text or _injected(text):
                i = text.find("<img src=x")
                bad.append(("text/html", text[max(0, i - 120) : i + 80]))
            for script in re.findall(r"<script\b[^>]*>(.*?)</script>", text, flags=re.DOTALL):
                if "<img" in script or "<!--" in script:
                    bad.append(("script", script[script.find("<") - 80 : script.find("<") + 80]))
    assert bad == [], f"{name}: {len(bad)} outputs carry the planted tag raw: {bad[:4]}"


_SHORTCODE = re.compile(r"(?<!\{)\{\{<")
"""A shortcode Quarto would run: ``{{<`` not escaped as ``{{{<``."""
_ESCAPED = re.compile(r"\\[\[\]@$]")
"""A Markdown backslash escape of the planted text (``\\[x\\]``, ``\\@sec-osu``, ``\\$x\\$``)."""


def _cells(book: Path, name: str) -> list[dict]:
    return [c for c in json.loads((book / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]


@pytest.mark.parametrize("name", config.NOTEBOOKS)
def test_no_quarto_syntax_from_data_in_a_cell_option_or_markdown(hostile_book, name):
    bad = []
    for cell in _cells(hostile_book, name):
        for line in "".join(cell["source"]).splitlines():
            if line.startswith("#|") and _SHORTCODE.search(line):
                bad.append(("option", line[:160]))
        if "va.narrative(" in "".join(cell["source"]):
            continue  # the edition's text (narrative/): the book's own Markdown, its cross-references meant (not data)
        for out in cell.get("outputs", []):
            md = "".join(out.get("data", {}).get("text/markdown", ""))
            if _SHORTCODE.search(md) or "@sec-osu" in md.replace("\\@sec-osu", "") or "$x$" in md:
                bad.append(("text/markdown", md[:160]))
    assert bad == [], f"{name}: Quarto syntax from data where Quarto would act on it: {bad[:4]}"


@pytest.mark.parametrize("name", config.NOTEBOOKS)
def test_tables_notes_and_downloads_show_the_text_as_written(hostile_book, name):
    shown, bad = 0, []
    for d in _outputs(hostile_book, name):
        text = re.sub(r"<script\b.*?</script>", "", d.get("text/html", ""), flags=re.DOTALL)
        text = re.sub(r'(?:href|src)="data:[^"]*"', "", text)
        if "gt_table" in text:
            shown += html.unescape(text).count(QUARTO)
            bad += [("html", m.group()) for m in _ESCAPED.finditer(html.unescape(text))][:2]
    for _, cell in _csv_cells(hostile_book, name):
        shown += cell.count(QUARTO)
        bad += [("csv", cell[:120])] if _ESCAPED.search(cell) else []
    assert bad == [], f"{name}: Markdown backslashes in text that is not Markdown: {bad[:4]}"
    if name != "kilder":
        assert shown, f"{name}: the planted text shows nowhere as written"


def _csv_cells(book: Path, name: str) -> list[tuple[str, str]]:
    cells = []
    for d in _outputs(book, name):
        for b64 in DATA_CSV.findall(d.get("text/html", "")):
            text = base64.b64decode(b64).decode("utf-8").removeprefix("\ufeff")
            for row in csv.reader(io.StringIO(text), delimiter=";"):
                cells += [(row[0] if row else "", c) for c in row]
    return cells


def evaluated(cell: str) -> bool:
    """Whether a spreadsheet opening the CSV would take the cell as a formula (OWASP: CSV injection)."""
    first = cell.lstrip(" \u00a0")[:1]
    return bool(first) and first in TRIGGERS and not NUMBER.match(cell.strip())


def test_evaluated_predicate():
    assert not any(evaluated(c) for c in ["-4,3", "+10,0%", "1422,3", "1 422,3", "–", "skjult", "'=1+1", "Kilde: x", ""])
    assert all(evaluated(c) for c in FORMULAS + ["=1+1", "+2,0pp", " =1", "\t=1", "-", "-2,"])


@pytest.mark.parametrize("name", config.NOTEBOOKS)
def test_no_csv_cell_a_spreadsheet_evaluates(hostile_book, name):
    cells = _csv_cells(hostile_book, name)
    assert cells, f"{name}: no CSV download found"
    bad = [c for c in cells if evaluated(c[1])]
    assert bad == [], f"{name}: {len(bad)} CSV cells a spreadsheet would evaluate, e.g. {bad[:5]}"
    # and the planted formulas are there, neutralised with a leading apostrophe
    assert any(c.startswith("'") and c[1:].startswith(tuple(f[:4] for f in FORMULAS)) for _, c in cells), name


# ------------------------------------------------------------------ the preview in a browser


@pytest.fixture(scope="module")
def hostile_site(hostile_book, tmp_path_factory):
    from test_browser import require_browser, serve

    require_browser()
    out = tmp_path_factory.mktemp("hostile-preview")
    pages = [p.name for p in build_preview(hostile_book, out, config.NOTEBOOKS)]
    with serve(out) as url:
        yield url, pages


@pytest.fixture(scope="module")
def hostile_browser(hostile_site):
    from test_browser import chromium

    with chromium() as b:
        yield b


_POINT_AT_MARKS = """() => {
  const marks = [...document.querySelectorAll('.va-chart-vis svg g.mark-symbol path, .va-chart-vis svg g.mark-rect path')];
  const shown = [];
  for (const m of marks) {
    const r = m.getBoundingClientRect();
    const at = {bubbles: true, cancelable: true, composed: true, clientX: r.x + r.width / 2, clientY: r.y + r.height / 2};
    for (const type of ['pointerover', 'pointermove', 'mouseover', 'mousemove']) {
      m.dispatchEvent(type.startsWith('pointer') ? new PointerEvent(type, at) : new MouseEvent(type, at));
    }
    const tip = document.getElementById('vg-tooltip-element');
    shown.push(tip && tip.classList.contains('visible') ? tip.textContent : '');
    for (const type of ['pointerout', 'mouseout']) {
      m.dispatchEvent(type.startsWith('pointer') ? new PointerEvent(type, at) : new MouseEvent(type, at));
    }
  }
  return shown;
}"""
"""Point at each mark as a mouse does (over, move, out): the tooltip text each one drew ('' when none)."""


@pytest.mark.parametrize("name", config.NOTEBOOKS)
def test_preview_runs_nothing_injected(hostile_site, hostile_browser, name):
    from urllib.parse import urlsplit

    from test_browser import _ALL_CHARTS_DRAWN, CHART_TIMEOUT_MS, LOCAL_HOSTS, LOCAL_SCHEMES

    base, pages = hostile_site
    assert name in pages
    context = hostile_browser.new_context(service_workers="block")
    context.set_default_timeout(CHART_TIMEOUT_MS)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(f"{d.type}: {d.message}"), d.dismiss()))

    def route(r) -> None:
        url = urlsplit(r.request.url)
        if url.scheme in LOCAL_SCHEMES or url.hostname in LOCAL_HOSTS:
            r.continue_()
        else:
            r.abort("blockedbyclient")

    page.route("**/*", route)
    try:
        page.goto(f"{base}/{name}.html", wait_until="load")
        page.wait_for_function(_ALL_CHARTS_DRAWN, timeout=CHART_TIMEOUT_MS)
        on_load = (list(dialogs), page.locator("img[src=x]").count())
        # then point at every chart mark, so that its tooltip is drawn (one call: the events vega listens for)
        tooltips = page.evaluate(_POINT_AT_MARKS)
        hovered = len(tooltips)
        injected = page.locator("img[src=x]").count()
        handlers = page.evaluate("() => [...document.querySelectorAll('[onerror]')].map(e => e.outerHTML.slice(0, 120))")
    finally:
        page.close()
        context.close()
    assert on_load == ([], 0), f"{name}: on load, dialogs {on_load[0][:3]} and {on_load[1]} injected img[src=x] in the DOM"
    assert dialogs == [], f"{name}: dialogs fired while pointing at {hovered} chart marks: {dialogs[:3]}"
    assert injected == 0, f"{name}: {injected} injected img[src=x] in the DOM after pointing at {hovered} chart marks"
    assert handlers == [], f"{name}: elements with an onerror handler: {handlers[:3]}"
    if hovered:  # tooltips were drawn (a legend's symbols have none), and show the planted text as text
        assert any(TAG in t for t in tooltips), f"{name}: of {hovered} chart marks, none drew a tooltip with the planted label"


# ------------------------------------------------------------------ the rule itself, without a chapter run


def test_ordinary_labels_stay_as_they_are():
    from analysis.calc.datatext import DataText, md_escape
    from analysis.present.outputs import Prose

    ordinary = ("Bærum kommune (ASSS)", "IT-drift", "mill. kr", "kapittel 2.2.3", "hr_turnover", "Organisasjon, styring og utvikling (sum)")
    for label in ordinary:
        assert md_escape(label) == label
        assert Prose(f"I {DataText(label)}.")._repr_markdown_() == f"I {label}."


def test_data_text_is_escaped_where_it_enters_a_sentence():
    from analysis.calc.datatext import DataText
    from analysis.present.outputs import Prose
    from analysis.present.text import capitalize, list_nb

    label = DataText(f"{TAG} *a* [b](javascript:x) @fig-x")
    assert str(label) == label and f"{label!s}" == str(label)  # raw as a value: great-tables, html.escape and JSON escape it themselves
    for derived in (label.lower(), capitalize(label), "Andel " + label, label + " i alt", label[1:], list_nb([label, label])):
        assert isinstance(derived, DataText)
    md = Prose(f"{capitalize(label)} og {list_nb([label, DataText('x')])}.")._repr_markdown_()
    assert "<" not in md and "](" not in md.replace("\\](", "") and "\\@fig-x" in md and "\\*a\\*" in md
    assert Prose(label)._repr_markdown_().startswith("&lt;img")  # a Prose of data text alone is escaped as a whole
    assert Prose(DataText("- x\n# y")).text == "\\- x # y"  # no block from data: no list item, no heading


def test_csv_cells():
    from analysis.present.outputs import csv_cell

    numbers = {"-4,3": "-4,3", "\u22124,3": "-4,3", "+10,0\u00a0%": "+10,0%", "1\u00a0422,3": "1422,3", -4.3: "-4,3", 10.0: "10", 7: "7"}
    for value, written in numbers.items():
        assert csv_cell(value) == written and not evaluated(csv_cell(value))
    for text in FORMULAS + ["+2,0\u00a0pp", "\u2212x", " =1", "\tx", "\rx", "-3,03 til -2,94"]:
        assert csv_cell(text).startswith("'") and not evaluated(csv_cell(text)), text
    assert csv_cell("Kilde: x") == "Kilde: x" and csv_cell(None) == ""

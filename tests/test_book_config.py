"""The book as its readers get it, checked without Quarto (issue: one typeface, render defects, accessible PDF).

What Quarto and Typst then do with these settings is checked by tests/test_render.py
on a machine that has Quarto; here we pin everything that leads up to the render:
the typeface and where it goes, the Quarto and Typst configuration, the bokmål
words, the post-render clean-up, the tables' one caption and widths, and the
generated alt text that the PDF's images carry.
"""

import copy
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import polars as pl
import pytest
import yaml
from great_tables import GT

import analysis as va
from analysis.config import APPENDICES, BOOK_DIR, CHAPTERS, NOTEBOOKS, PROJ_ROOT
from analysis.pipeline import notebook, render
from analysis.present import fonts, tables
from analysis.present.png import CHARTS_ENV

ROOT = PROJ_ROOT


@pytest.fixture(scope="module")
def quarto() -> dict:
    return yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- the typeface


def test_typeface_files_come_from_the_pinned_package():
    for weight, style in fonts.FACES:
        path = fonts.font_file(weight, style)
        assert path.is_file() and path.suffix == ".ttf", path
        assert "site-packages" in path.parts or "dist-packages" in path.parts, "the font must come from the installed package"
        assert path.read_bytes()[:4] in (b"\x00\x01\x00\x00", b"true"), f"{path} is not a TrueType file"
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    assert re.search(r"^fontpkg-lato==\S+$", lock, re.M), "fontpkg-lato is not pinned in requirements.lock"


def test_web_fonts_written_with_font_face_rules(tmp_path):
    css = fonts.write_web_fonts(tmp_path)
    assert css == tmp_path / "assets" / "fonts.css"
    text = css.read_text(encoding="utf-8")
    urls = re.findall(r'url\("([^"]+)"\)', text)
    assert len(urls) == len(fonts.FACES)
    for url in urls:
        assert not url.startswith(("http:", "https:", "//")), "fonts are served with the book, not from a CDN"
        assert (css.parent / url).is_file(), url
    assert text.count('font-family: "Lato"') == len(fonts.FACES)
    assert {m for m in re.findall(r"font-weight: (\d+)", text)} == {"400", "700"}
    assert "font-style: italic" in text and "font-style: normal" in text
    before = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "assets" / "fonts").iterdir()}
    fonts.write_web_fonts(tmp_path)  # unchanged files are left alone
    assert before == {p.name: p.stat().st_mtime_ns for p in (tmp_path / "assets" / "fonts").iterdir()}


def test_chart_theme_and_table_style_name_only_the_book_font(b18):
    from analysis.present import charts

    assert charts._theme()["config"]["font"] == "Lato"
    html = va.tab_series(b18, "osu_arsverk", id="t", title="T", indicators="arsverk", groups=["osa", "digit"]).html
    families = set(re.findall(r"font-family:\s*([^;}]+)", html))
    assert families == {"Lato"}, families  # no generic family (Typst warned `unknown font family: sans-serif`)


def test_chart_png_is_the_same_without_system_fonts(tmp_path):
    """Draw a chart with the machine's fonts and with /usr/share/fonts hidden: the PNG must not change."""
    if os.geteuid() != 0 or not shutil.which("unshare"):
        pytest.skip("needs root and unshare to hide /usr/share/fonts")
    script = tmp_path / "png.py"
    script.write_text(
        "import hashlib, analysis as va\n"
        "b = va.setup(2018)\n"
        "c = va.chart_series(b, 'osu_arsverk', id='c', title='Årsverk', indicators='arsverk', groups=['osa', 'digit'])\n"
        "print(hashlib.sha256(c.png).hexdigest())\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k != CHARTS_ENV}  # drawn each time, never a PNG kept by the session
    normal = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True, env=env).stdout.strip()
    empty = tmp_path / "nofonts"
    empty.mkdir()
    fonts_dir = Path("/usr/share/fonts")
    if not fonts_dir.is_dir():
        hidden = normal  # nothing to hide: this machine has no system fonts at all
    else:
        cmd = f"mount --bind {empty} {fonts_dir} && exec {sys.executable} {script}"
        proc = subprocess.run(["unshare", "-m", "sh", "-c", cmd], capture_output=True, text=True, env=env)
        if proc.returncode != 0 and "mount" in proc.stderr:
            pytest.skip(f"cannot hide /usr/share/fonts here: {proc.stderr.strip()}")
        assert proc.returncode == 0, proc.stderr
        hidden = proc.stdout.strip()
    assert normal == hidden


# --------------------------------------------------------------------------- Quarto configuration


def chapter_list_disagreements(conf: dict, chapters=CHAPTERS, appendices=APPENDICES) -> list[str]:
    """Where ``_quarto.yml`` lists other chapters than ``analysis/config.py`` (the one list: CHAPTERS, then APPENDICES)."""
    want_chapters = ["index.qmd", *(f"book/{n}.ipynb" for n in chapters)]
    want_appendices = [f"book/{n}.ipynb" for n in appendices]
    got = {
        "book.chapters": conf["book"].get("chapters"),
        "book.appendices": conf["book"].get("appendices"),
        "project.render": conf["project"].get("render"),
    }
    want = {"book.chapters": want_chapters, "book.appendices": want_appendices, "project.render": want_chapters + want_appendices}
    return [f"{key}: {got[key]} != {want[key]} (analysis/config.py)" for key in want if got[key] != want[key]]


def test_quarto_lists_exactly_the_configured_notebooks(quarto):
    assert chapter_list_disagreements(quarto) == []


def test_a_chapter_list_that_disagrees_is_found(quarto):
    swapped = copy.deepcopy(quarto)
    swapped["book"]["chapters"][1:3] = swapped["book"]["chapters"][2:0:-1]
    assert [d.split(":")[0] for d in chapter_list_disagreements(swapped)] == ["book.chapters"]
    dropped = chapter_list_disagreements(quarto, appendices=APPENDICES[:-1])
    assert [d.split(":")[0] for d in dropped] == ["book.appendices", "project.render"]


def test_book_renders_without_executing_and_with_one_pdf_format(quarto):
    assert quarto["project"]["type"] == "book" and quarto["project"]["output-dir"] == "_book"
    assert quarto["execute"] == {"enabled": False, "echo": False}
    assert quarto["lang"] == "nb"
    assert set(quarto["format"]) == {"html", "typst"}  # exactly one PDF-producing format
    assert quarto["format"]["typst"]["papersize"] == "a4"
    assert quarto["format"]["html"]["theme"] == "default"  # no remote fonts
    assert quarto["book"]["author"] and quarto["book"]["downloads"] == ["pdf"] and quarto["book"]["search"] is True
    assert quarto["profile"]["default"] == ["year", "edition"]  # the reporting year; the draft switch (_quarto-edition.yml)


def test_book_ships_its_chart_javascript(quarto):
    assert "/book/assets/vega-bundle.js" in quarto["project"]["resources"]
    header = (ROOT / quarto["format"]["html"]["include-in-header"]).read_text(encoding="utf-8")
    assert re.search(r'<script src="assets/vega-bundle\.js" data-vega-bundle>', header)
    assert (ROOT / quarto["project"]["post-render"]).exists()
    assert (ROOT / "index.qmd").exists() and "{{< include book/index.qmd >}}" in (ROOT / "index.qmd").read_text(encoding="utf-8")


def test_resources_are_project_relative(quarto):
    resources = quarto["project"]["resources"]
    assert resources and all(r.startswith("/") for r in resources), resources  # else they match inside an old _book/
    assert "/book/assets/vega-bundle.js" in resources
    assert any(r.startswith("/book/assets/fonts/") for r in resources)


def test_one_named_font_for_html_and_typst(quarto):
    assert quarto["mainfont"] == fonts.FAMILY
    html, typst = quarto["format"]["html"], quarto["format"]["typst"]
    assert html["css"] == (Path("book") / fonts.CSS_FILE).as_posix()
    assert typst["font-paths"] == [(Path("book") / fonts.WEB_DIR).as_posix()]


def test_typst_accessible_pdf_and_header(quarto):
    typst = quarto["format"]["typst"]
    assert typst["pdf-standard"] == "ua-1"
    header = (ROOT / typst["include-in-header"]).read_text(encoding="utf-8")
    assert "#show table.cell: set par(justify: false)" in header
    assert "#show table.cell: set text(hyphenate: false)" in header
    assert 'trim(".", at: end)' in header  # references to headings without the numbering's trailing dot
    assert not re.search(r"^#set page", header, re.M), "a page rule inside the header breaks Quarto's template"


BOKMAL = {
    "crossref-ch-prefix": "Kapittel",
    "crossref-apx-prefix": "Vedlegg",
    "section-title-appendices": "Vedlegg",
    "callout-note-title": "Merk",
    "copy-button-tooltip": "Kopier til utklippstavlen",
    "search-hide-matches-text": "Skjul flere treff",
}


@pytest.mark.parametrize("key,word", sorted(BOKMAL.items()))
def test_generated_words_are_bokmal(quarto, key, word):
    assert quarto["lang"] == "nb"
    assert quarto["language"][key] == word


def test_no_danish_or_english_words_left(quarto):
    words = " ".join(str(v) for v in quarto["language"].values())
    for wrong in ("Kapitel ", "Bilag", "Note", "utklipstavle", "ytterlige", "Seksjon"):
        assert wrong not in words + " ", wrong


def test_home_page_heading_stands_in_index_qmd():
    index = (ROOT / "index.qmd").read_text(encoding="utf-8")
    assert re.search(r"^# Innledning \{\.unnumbered\}$", index, re.M)
    assert index.index("# Innledning") < index.index("{{< include book/index.qmd >}}")
    included = (ROOT / "book" / "index.qmd").read_text(encoding="utf-8")
    assert not re.search(r"^# ", included, re.M), "a level-1 heading in the include is invisible to the HTML book's numbering"
    sections = re.findall(r"^## .*$", included, re.M)
    assert sections and all(".unnumbered" in s for s in sections), "sections of the unnumbered chapter are numbered 0.x in the PDF"


def test_gitignore_has_the_lines_quarto_looks_for():
    lines = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "/.quarto/" in lines and "**/*.quarto_ipynb" in lines


def test_render_writes_the_fonts_before_quarto(tmp_path, monkeypatch):
    """`render` puts the typeface where _quarto.yml says, and tells Typst about it, before Quarto runs."""
    seen = {}

    def fake_run(cmd, cwd, env):
        seen["fonts"] = sorted(p.name for p in (tmp_path / "book" / fonts.WEB_DIR).glob("*.ttf"))
        seen["css"] = (tmp_path / "book" / fonts.CSS_FILE).is_file()
        seen["typst"] = env.get("TYPST_FONT_PATHS")
        (tmp_path / "_book.tmp").mkdir()
        return subprocess.CompletedProcess(cmd, 0)

    book_dir = tmp_path / "book"
    book_dir.mkdir()
    for name in NOTEBOOKS:
        shutil.copy(BOOK_DIR / f"{name}.ipynb", book_dir)
    monkeypatch.setattr(render.subprocess, "run", fake_run)
    monkeypatch.setattr(render, "post_render_module", lambda: type("M", (), {"process": staticmethod(lambda d: None)}))
    render.render_book(root=tmp_path, book_dir=book_dir, output_dir=tmp_path / "_book", quarto="quarto")
    assert len(seen["fonts"]) == len(fonts.FACES) and seen["css"]
    assert seen["typst"] == str((book_dir / fonts.WEB_DIR).resolve())


# --------------------------------------------------------------------------- post-render: link labels


NAV = """<div class="nav-page nav-page-next">
      <a href="./digit.html" class="pagination-link" aria-label="Digitalisering og IT">
        <span class="nav-page-text"><span class="chapter-number">2</span>&nbsp;
        <span class="chapter-title">Digitalisering og IT</span></span>
        <i class="bi bi-arrow-right-short"></i>
      </a></div>
<a href="./index.html" class="sidebar-item-text sidebar-link" aria-label="index.html"><span class="menu-text">Innledning</span></a>
<a href="#" class="quarto-navigation-tool" aria-label="Last ned PDF"><i class="bi bi-file-pdf"></i></a>
<a href="./osu.html" aria-label="Organisasjon, styring og utvikling">Organisasjon, styring og utvikling</a>"""


def test_post_render_drops_link_labels_that_hide_the_visible_text():
    pr = render.post_render_module()
    html, n = pr.fix_link_labels(NAV)
    assert n == 2
    assert 'aria-label="Digitalisering og IT"' not in html and 'aria-label="index.html"' not in html
    assert 'aria-label="Last ned PDF"' in html  # an icon-only link keeps its name
    assert 'aria-label="Organisasjon, styring og utvikling"' in html  # label = visible text: fine
    assert pr.fix_link_labels(html) == (html, 0)


# --------------------------------------------------------------------------- tables


def test_house_style_keeps_one_caption_and_the_subtitle_as_a_note():
    df = pl.DataFrame({tables.STUB: ["Brutto driftsutgifter"], "2018": ["1\u00a0809,2"]})
    gt = GT(df, id="x").tab_header(title="Tittel som Quarto viser", subtitle="Enhet: mill. kr").tab_source_note("Kilde: test")
    html = gt.pipe(tables.house_style).as_raw_html()
    assert "Tittel som Quarto viser" not in html  # Quarto's tbl-cap is the one caption
    assert 'class="gt_heading' not in html
    notes = re.findall(r'<td class="gt_sourcenote"[^>]*><span class="gt_from_md">(.*?)</span>', html)
    assert notes == ["Enhet: mill. kr", "Kilde: test"]


def test_house_style_aligns_figures_right_and_labels_left_on_each_cell():
    df = pl.DataFrame({tables.STUB: ["A", "B"], "2018": ["1\u00a0422,3", "+10,0\u00a0%"], "Status": ["Bedre", "Verre"]})
    html = GT(df, id="x").pipe(tables.house_style).as_raw_html()
    assert re.search(r'<td style="text-align: right;" headers="x-2018"', html)
    assert re.search(r'<td style="text-align: left;" headers="x-Rad"', html)
    assert re.search(r'<td style="text-align: left;" headers="x-Status"', html)
    assert re.search(r'<th [^>]*style="text-align: right;"[^>]*id="x-2018"', html)


@pytest.mark.parametrize(
    "values,numeric",
    [
        (["1\u00a0422,3", "−4,3", "+10,0\u00a0%", "–", "skjult", "0,4\u00a0pp"], True),
        (["Bedre", "1"], False),
        ([], False),
    ],
)
def test_is_numeric_column(values, numeric):
    assert tables.is_numeric_column(values) is numeric


def _needs(cells: list[str], header: str, size: float, numeric: bool) -> float:
    """What a column needs in points at ``size``: its widest figure, or its longest word (header included)."""
    words = [w for c in cells for w in (re.split(r"[ \t\n]+", c) if not numeric else [c.strip()]) if w]
    words += [w for w in re.split(r"[ \t\n]+", header) if w]
    return max(fonts.text_width(w, size, bold=True) for w in words) + 2 * tables.CELL_INSET_PT


def test_table_layout_gives_figures_their_width_and_labels_their_longest_word():
    label = "Brutto driftsutgifter til Politisk styring, pr. innb. (kr per innbygger)"
    cols = {
        tables.STUB: ([label, "Kort"], ""),
        **{h: (["281", "1\u00a0234"], h) for h in ("Bærum", "Gjennomsnitt ASSS", "Asker")},
    }
    layout = tables.table_layout(cols)
    assert layout.fits and layout.size == tables.FONT_SIZES_PT[0]
    width = {k: float(v.rstrip("%")) / 100 * tables.TEXT_WIDTH_PT for k, v in layout.widths.items()}
    assert 99.9 <= sum(float(v.rstrip("%")) for v in layout.widths.values()) <= 100
    for col, (cells, header) in cols.items():
        assert width[col] >= _needs(cells, header, layout.size, col != tables.STUB), col
    assert width[tables.STUB] > width["Bærum"]  # the labels get the room the figures leave


def test_a_wide_table_is_set_smaller_and_an_impossible_one_says_so():
    figures = {f"{2010 + i}": (["1\u00a0070,6", "−0,2\u00a0pp"], f"{2010 + i}") for i in range(9)}
    wide = tables.table_layout({tables.STUB: (["Pleie og omsorg"], ""), **figures})
    assert wide.fits and wide.size < tables.FONT_SIZES_PT[0]
    too_many = tables.table_layout({tables.STUB: (["Pleie og omsorg"], ""), **{f"k{i}": (["1\u00a0070,6"], "x") for i in range(30)}})
    assert not too_many.fits and too_many.size == tables.FONT_SIZES_PT[-1]


def test_every_table_of_the_book_fits_the_pdf_text_width():
    """Every executed table: the size chosen, and each column at least as wide as its figures or longest word."""
    from table_html import read_table

    checked = 0
    for name in NOTEBOOKS:
        nb = nbformat.read(BOOK_DIR / f"{name}.ipynb", as_version=4)
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                html = "".join(out.get("data", {}).get("text/html", ""))
                if "gt_table" not in html:
                    continue
                table = read_table(html)
                widths = [float(w) for w in re.findall(r'<col style="width:([\d.]+)%;"/>', html)]
                size = round(float(re.search(r"font-size: ([\d.]+)px", html.split("gt_table {", 1)[1]).group(1)) * 0.75, 2)
                # columns in the colgroup's order: the body cells' own header ids (spanned headers stand in another row)
                labels = {i: re.sub(r"<[^>]+>", "", t).strip() for i, t in re.findall(r'<th[^>]*id="([^"]*)"[^>]*>(.*?)</th>', html, re.S)}
                first_row = html.split("<tbody", 1)[1].split("</tr>", 1)[0]
                headers = [labels[h.split()[-1]] for h in re.findall(r'<td[^>]*headers="([^"]*)"', first_row)]
                assert size in tables.FONT_SIZES_PT and len(widths) == len(headers), (name, headers)
                assert sum(widths) <= 100.0
                for i, header in enumerate(headers):
                    cells = [r[i].text for r in table.rows if i < len(r)]
                    need = _needs(cells, header, size, tables.is_numeric_column(cells) and i > 0)
                    assert widths[i] / 100 * tables.TEXT_WIDTH_PT >= need, f"{name}: column {header!r} too narrow at {size} pt"
                checked += 1
    assert checked >= 20


def test_typst_cell_inset_is_the_one_tables_measure_with(quarto):
    header = (ROOT / quarto["format"]["typst"]["include-in-header"]).read_text(encoding="utf-8")
    m = re.search(r"^#set table\(inset: \(x: ([\d.]+)pt", header, re.M)
    assert m and float(m.group(1)) == tables.CELL_INSET_PT


def test_text_width_measures_lato():
    assert fonts.text_width("1\u00a0070,6", 10) == pytest.approx(fonts.text_width("1\u00a0070,6", 20) / 2)
    assert fonts.text_width("Oppvekst", 10, bold=True) > fonts.text_width("Oppvekst", 10) > fonts.text_width("Oppv", 10)
    assert 4.5 < fonts.text_width("0", 10) < 6.5  # a tabular figure is about half an em


def test_executed_tables_have_no_second_caption():
    for name in NOTEBOOKS:
        nb = nbformat.read(BOOK_DIR / f"{name}.ipynb", as_version=4)
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                html = "".join(out.get("data", {}).get("text/html", ""))
                assert 'class="gt_heading' not in html, f"{name}: a great-tables title beside Quarto's caption"


# --------------------------------------------------------------------------- alt text in the PDF


def test_clean_notebook_puts_generated_alt_text_into_fig_alt():
    cell = {
        "cell_type": "code",
        "metadata": {},
        "source": '#| label: fig-x\n#| fig-alt: "Stolpediagram."\nch.chart_x(book)',
        "outputs": [
            {
                "output_type": "execute_result",
                "data": {
                    "text/html": '<div class="va-chart" id="x"></div>',
                    "image/png": "iVBOR",
                    "text/plain": "Stolpediagram: A 28\u00a0%, B 10\u00a0%.",
                },
            }
        ],
    }
    nb = {"metadata": {}, "cells": [cell]}
    notebook.clean_notebook(nb)
    assert cell["source"].splitlines()[1] == '#| fig-alt: "Stolpediagram: A 28\u00a0%, B 10\u00a0%."'
    assert cell["source"].endswith("ch.chart_x(book)")


def test_every_executed_chart_carries_its_generated_alt_text():
    found = 0
    for name in NOTEBOOKS:
        nb = nbformat.read(BOOK_DIR / f"{name}.ipynb", as_version=4)
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                data = out.get("data", {})
                if "image/png" in data:
                    m = re.search(r"^#\| fig-alt: (.*)$", cell.source, re.M)
                    assert m, f"{name}: chart without fig-alt"
                    assert json.loads(m.group(1)) == re.sub(r"[ \t\r\n]+", " ", "".join(data["text/plain"])).strip()
                    found += 1
    assert found >= 13

"""The yearly cycle of editions, end to end, as an analyst runs it (issue #22, "Done when").

On a temporary copy of the project in a git repository of its own: build and
publish the 2018 edition; ``edition new 2019``; import the SYNTHETIC 2019
workbook (tests/fixtures/ny_aargang_2019/) and one SYNTHETIC correction of a
2017 figure; review one block; the PDF is refused, a draft is built (markers
present, their number right, "Utkast" on every page); review the rest; build;
publish. The 2019 appendix *Endringer siden forrige utgave* lists exactly the
revised figure and the new year's figures; the 2018 edition's site pages are
unchanged; the 2018 edition is rebuilt from the commit its record names.

CI has no Quarto: ``$QUARTO`` is tests/fake_quarto.py, which writes a minimal
``_book/`` from the executed chapters (their text, and a stand-in PDF with one
page per chapter). tests/test_edition_render.py renders with the real Quarto
where it is found. The commands run in this process (CliRunner, ``config``
pointed at the copy), on the session's warm kernels.

To keep ``make test`` lean, the copy's book is two chapters with text (digit,
medarbeidere: 29 blocks; medarbeidere shows the corrected lærlinger) and the
appendix ``endringer`` (``config.NOTEBOOKS`` and the copy's ``_quarto.yml``);
every chapter runs for 2019 with the same workbook in tests/test_new_year.py,
for 2017 in tests/test_year.py, and the whole book's draft is rendered with
the real Quarto in tests/test_edition_render.py.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from analysis import config
from analysis.cli import main as cli
from analysis.data.narrative import read_blocks
from analysis.data.record import load_edition
from analysis.pipeline.draft import unreviewed_in_book
from helpers import copy_project, git

FAKE_QUARTO = Path(__file__).resolve().parent / "fake_quarto.py"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "ny_aargang_2019" / "SYNTHETIC_mal-2019_utfylt.xlsx"
EXPECTED = FIXTURE.with_name("SYNTHETIC_mal-2019_forventet.csv")
REVISED = ("hr_laerlinger", "antall_laerlinger", "kommunen", 2017)
CORRECTION = "SYNTETISK: Bærum kommune, HR-systemet (rettet tall, oppdiktet for testene)"
MARKER = "Teksten er fra 2018-utgaven og er ikke gjennomgått."
NAMES = ("digit", "medarbeidere", "endringer")
"""The copy's book: two chapters with text and the appendix."""
REVIEWED = "digit/innledning"

runner = CliRunner()


def blocks(root: Path, chapter: str) -> dict:
    return read_blocks(root / "narrative", 2018, chapter, record=False)


def _site_hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


class Cycle:
    """The copy, and what each step printed and returned."""

    def __init__(self, root: Path):
        self.root, self.data = root, root / "data"
        self.steps: dict[str, object] = {}

    def cli(self, step: str, *args, code: int = 0):
        result = runner.invoke(cli.app, [str(a) for a in args])
        self.steps[step] = result
        assert result.exit_code == code, f"{step}: exit {result.exit_code}, expected {code}\n{result.output}"
        return result

    def commit(self, message: str) -> str:
        git(self.root, "add", "-A")
        git(self.root, "commit", "-q", "--allow-empty", "-m", message)
        return git(self.root, "rev-parse", "HEAD").strip()


def _correct_2017(cycle: Cycle, tmp: Path) -> Path:
    """A 2017 template of hr_laerlinger with the 2017 figure corrected (SYNTHETIC) and its source named."""
    path = tmp / "mal-2017.xlsx"
    cycle.cli("template 2017", "template", "--year", 2017, "--dataset", REVISED[0], "-o", path, "--data-dir", cycle.data)
    wb = openpyxl.load_workbook(path)
    ws = wb[REVISED[0]]
    header = [c.value for c in ws[1]]
    row = next(r for r in range(2, ws.max_row + 1) if (ws.cell(r, 1).value, ws.cell(r, 2).value) == REVISED[1:3])
    cycle.old = ws.cell(row, header.index(2017) + 1).value
    cycle.new = cycle.old - 2  # SYNTHETIC; within the series' usual changes, so the import's review does not flag it
    ws.cell(row, header.index(2017) + 1).value = cycle.new
    ws.cell(row, header.index("Kilde") + 1).value = CORRECTION
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def cycle(tmp_path_factory) -> Cycle:
    tmp = tmp_path_factory.mktemp("cycle")
    root = tmp / "project"
    copy_project(config.PROJ_ROOT, root)
    # the cycle publishes its own 2018 edition: the project's record names a commit this copy's repository lacks
    shutil.rmtree(root / "editions", ignore_errors=True)
    assert not (root / "_site").exists() and not (root / "editions" / "2018").exists(), "the copy starts with no published edition"
    quarto = root / "_quarto.yml"
    kept = [ln for ln in quarto.read_text(encoding="utf-8").splitlines(keepends=True)
            if not re.match(r"\s+- book/(\w+)\.ipynb$", ln) or re.match(r"\s+- book/(\w+)", ln).group(1) in NAMES]  # fmt: skip
    quarto.write_text("".join(kept), encoding="utf-8")
    c = Cycle(root)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(config, "NOTEBOOKS", NAMES)
        for name, value in {"PROJ_ROOT": root, "NOTEBOOKS_DIR": root / "notebooks", "BOOK_DIR": root / "book",
                            "STATE_DIR": root / ".build", "OUTPUT_DIR": root / "_book", "SITE_DIR": root / "_site"}.items():  # fmt: skip
            mp.setattr(config, name, value)
        mp.setenv("QUARTO", str(FAKE_QUARTO))
        git(root, "init", "-q")
        c.commit("the project")
        d = ("--data-dir", c.data)
        # 2018: build, commit what the build wrote, publish, commit the record
        c.cli("build 2018", "build", "--year", 2018, *d)
        c.head_2018 = c.commit("the 2018 book")
        c.cli("publish 2018", "publish", "--year", 2018, *d)
        c.site_2018 = _site_hashes(root / "_site" / "2018")
        c.commit("the 2018 edition's record")
        # 2019: the text, the figures, one block reviewed
        c.cli("run 2019 without edition", "run", "--year", 2019, "--allow-empty-year", *d, code=2)
        c.cli("edition new 2019", "edition", "new", 2019, *d)
        c.cli("import 2019", "import", FIXTURE, "--accept-flagged", *d)  # the fixture's flagged figure, accepted
        c.cli("import 2017 correction", "import", _correct_2017(c, tmp), "--replace", *d)
        c.cli("review one", "edition", "review", 2019, REVIEWED, *d)
        c.cli("status 2019", "edition", "status", 2019, *d)
        c.cli("build 2019 refused", "build", "--year", 2019, *d, code=cli.EXIT_UNREVIEWED)
        c.book_after_refusal = json.loads((root / "book" / "digit.ipynb").read_text(encoding="utf-8"))["metadata"]["papermill"]
        c.cli("build 2019 draft", "build", "--year", 2019, "--draft", *d)
        c.draft_html = {p.name: p.read_text(encoding="utf-8") for p in (root / "_book" / "book").glob("*.html")}
        c.draft_pdf = (root / "_book" / "virksomhetsanalyse.pdf").read_text(encoding="utf-8")
        c.draft_unreviewed = unreviewed_in_book(root / "book", NAMES)
        c.shown_blocks = sum(len(blocks(root, n)) for n in NAMES[:2])
        c.commit("the 2019 draft")
        c.cli("publish draft refused", "publish", "--year", 2019, *d, code=2)
        c.cli("review all", "edition", "review", 2019, "--all", *d)
        c.cli("build 2019", "build", "--year", 2019, *d)
        c.cli("publish uncommitted refused", "publish", "--year", 2019, *d, code=2)
        c.head_2019 = c.commit("the 2019 book")
        c.cli("publish 2019", "publish", "--year", 2019, *d)
        c.cli("publish 2019 again refused", "publish", "--year", 2019, *d, code=2)
        c.commit("the 2019 edition's record")
        c.cli("rebuild 2018", "edition", "rebuild", 2018, "--out", tmp / "rebuilt-2018", "--no-run", *d)
        c.rebuilt = tmp / "rebuilt-2018"
    return c


def _tables(nb: dict) -> dict[str, list[list[str]]]:
    """Each table of an executed chapter by its label: its body rows as cell texts."""
    out = {}
    for cell in nb["cells"]:
        label = re.search(r"^#\| label: (tbl-[\w-]+)", "".join(cell["source"]), re.M)
        for o in cell.get("outputs", []):
            html = "".join(o.get("data", {}).get("text/html", ""))
            if label and html:
                body = re.search(r"<tbody.*?</tbody>", html, re.S).group(0)
                out[label.group(1)] = [
                    [re.sub(r"<[^>]+>", "", td).strip() for td in re.findall(r"<t[hd][^>]*>.*?</t[hd]>", tr, re.S)]
                    for tr in re.findall(r"<tr.*?</tr>", body, re.S)
                ]
    return out


def test_a_year_without_its_edition_is_refused_with_the_way_to_start_it(cycle):
    out = cycle.steps["run 2019 without edition"].output
    assert "no 2019 edition of the text" in out and "virksomhetsanalyse edition new 2019" in out


def test_the_2018_record_names_the_commit_and_every_figure_shown(cycle):
    record = load_edition(cycle.root / "editions", 2018, record=False)
    assert record.meta["commit"] == cycle.head_2018
    assert record.figures[REVISED].value == str(cycle.old)
    assert {f.dataset for f in record.figures.values()} >= {"osu_arsverk", "hr_laerlinger", "adm_kpi", "text_figures"}
    assert "eiendom_energi" not in {f.dataset for f in record.figures.values()}, "only what the copy's book shows"
    assert record.findings, "the data-quality findings of the 2018 book"


def test_status_and_the_refused_pdf_count_the_blocks_not_reviewed(cycle):
    status = cycle.steps["status 2019"].output
    total = int(re.search(r"edition 2019 \(started from 2018\): (\d+) text blocks — 1 reviewed", status).group(1))
    assert f"{total - 1} not reviewed" in status, "every chapter's text is in the edition"
    refused = cycle.steps["build 2019 refused"].output
    shown = cycle.shown_blocks - 1
    assert f"the 2019 PDF is refused: {shown} text block(s) of the 2019 edition are not reviewed (digit 9, medarbeidere 19)" in refused
    assert cycle.book_after_refusal["parameters"]["year"] == 2018, "nothing ran"


def test_the_draft_marks_every_block_not_reviewed_and_says_utkast_on_every_page(cycle):
    left = len(cycle.draft_unreviewed)
    assert left == cycle.shown_blocks - 1 and {u.source for u in cycle.draft_unreviewed} == {2018}
    assert REVIEWED not in {u.block for u in cycle.draft_unreviewed}
    assert sum(page.count(MARKER) for page in cycle.draft_html.values()) == left
    pages = cycle.draft_pdf.split("\f")
    assert len(pages) == len(NAMES) and all(p.rstrip().endswith("Utkast") for p in pages)
    assert f"draft: the PDF says Utkast on every page; {left} text block(s) not reviewed" in cycle.steps["build 2019 draft"].output


def test_publish_refuses_a_draft_uncommitted_inputs_and_a_second_time(cycle):
    assert "the last build made a draft (--draft)" in cycle.steps["publish draft refused"].output
    assert "not committed: " in cycle.steps["publish uncommitted refused"].output
    assert "the 2019 edition is published already" in cycle.steps["publish 2019 again refused"].output


def test_the_final_build_runs_only_the_chapters_whose_text_was_reviewed(cycle):
    out = cycle.steps["build 2019"].output
    assert "ran 2 chapter(s) for 2019 (digit, medarbeidere); 1 up to date" in out, out
    assert unreviewed_in_book(cycle.root / "book", NAMES) == []
    assert "Utkast" not in (cycle.root / "_site" / "2019" / "virksomhetsanalyse.pdf").read_text(encoding="utf-8")
    assert MARKER not in (cycle.root / "_site" / "2019" / "book" / "digit.html").read_text(encoding="utf-8")


def test_the_2019_appendix_lists_exactly_the_revised_figure_and_the_new_years_figures(cycle):
    nb = json.loads((cycle.root / "book" / "endringer.ipynb").read_text(encoding="utf-8"))
    tables = _tables(nb)
    assert set(tables) == {"tbl-endringer-revidert", "tbl-endringer-nye-ar"}
    (row,) = tables["tbl-endringer-revidert"]
    assert row[:4] == ["Antall lærlinger, Bærum kommune", "2017", str(cycle.old), str(cycle.new)] and row[-1] == CORRECTION
    with EXPECTED.open(encoding="utf-8", newline="") as fh:
        expected: dict[str, int] = {}
        for r in csv.DictReader(fh):
            expected[r["dataset"]] = expected.get(r["dataset"], 0) + 1
    titles = {r[0]: int(r[2]) for r in tables["tbl-endringer-nye-ar"]}
    assert sorted(titles.values()) == sorted(expected.values()) and sum(titles.values()) == sum(expected.values())
    summary = "".join(nb["cells"][4]["outputs"][0]["data"]["text/markdown"])
    told = f"Siden da er 1 tall revidert og ingen tall lagt til for 2018 eller tidligere; {sum(expected.values())} tall er nye for 2019"
    assert told in summary


def test_the_2018_sites_pages_are_unchanged_and_the_landing_page_lists_both(cycle):
    assert _site_hashes(cycle.root / "_site" / "2018") == cycle.site_2018
    page = (cycle.root / "_site" / "index.html").read_text(encoding="utf-8")
    assert page.index("Rapporteringsår 2019") < page.index("Rapporteringsår 2018")
    for year in (2018, 2019):
        assert f'href="{year}/virksomhetsanalyse.pdf"' in page and f'href="{year}/index.html"' in page
    assert '<html lang="nb">' in page and "<script" not in page and "http" not in page.replace("http-equiv", "")


def test_the_2018_edition_is_rebuilt_from_the_commit_its_record_names(cycle):
    out = cycle.steps["rebuild 2018"].output
    assert "data package and text are the published ones" in out and "rebuilt: the book is in" in out
    record = load_edition(cycle.root / "editions", 2018, record=False)
    rebuilt = cycle.rebuilt
    assert (rebuilt / "_book" / "index.html").is_file() and not (rebuilt / "editions" / "2019").exists()
    with (rebuilt / "data" / "hr_laerlinger.csv").open(encoding="utf-8") as fh:
        assert f"2017,antall_laerlinger,kommunen,{cycle.old}\n" in fh.read(), "the 2018 edition's data, before the correction"
    # the record is what the commit's data give: every figure recomputed from them
    import analysis as va

    shown = [(f.dataset, f.indicator, f.group or None) for f in record.figures.values()]
    again = {f.key: f.value for f in va.setup(2018, rebuilt / "data").figures([(d, i, g) for d, i, g in shown if d != "text_figures"])}
    assert again == {k: f.value for k, f in record.figures.items() if k[0] != "text_figures"}

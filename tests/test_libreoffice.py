"""The new year through the real client: LibreOffice Calc (Debian's, headless) in a Norwegian locale.

The 2019 template is filled the way a person types in Calc with the locale nb-NO (``tests/lo_driver.py``:
the dispatcher's text input, so Calc's own number, percent and date recognition decides what is stored),
saved as .xlsx and as .ods, and imported; the tests assert the exact values written to a copy of data/.
Calc also says which cells break the template's data validation (its own judgement of what it read from
the file), and prints the template as a PDF.

One soffice start for the module (every job runs in it). Needs /usr/bin/soffice and Debian's
/usr/bin/python3 with ``uno`` (python3-uno); without them the tests are skipped with the reason, and in
CI (``CI`` set) they fail, as the browser tests do. ``.ci/run`` installs both.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from analysis.cli.main import app
from analysis.config import DATA_DIR
from analysis.intake.template import layouts, read_observation_literals
from analysis.intake.workbook import build_template
from helpers import book_fonts_env

SOFFICE = Path("/usr/bin/soffice")
UNO_PYTHON = Path("/usr/bin/python3")
DRIVER = Path(__file__).with_name("lo_driver.py")
YEAR = 2019
DATASETS = ["adm_kpi", "osu_arsverk", "hr_sykefravaer", "hr_rekruttering", "eiendom_aktivitet"]
SOURCE = "SYNTETISK: Bærum kommune, HR-systemet (kilde for testene)"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _missing() -> str | None:
    if not SOFFICE.exists():
        return "LibreOffice is not installed (/usr/bin/soffice; Debian: apt-get install --no-install-recommends libreoffice-calc-nogui)"
    check = subprocess.run([str(UNO_PYTHON), "-c", "import uno"], capture_output=True, check=False) if UNO_PYTHON.exists() else None
    if check is None or check.returncode != 0:
        return "Debian's python3-uno is not installed (/usr/bin/python3 cannot import uno; apt-get install python3-uno)"
    return None


def _cell(layout, indicator: str, group: str, column: str = "new") -> str:
    from openpyxl.utils import get_column_letter

    r = 2 + [(x.indicator, x.group) for x in layout.rows].index((indicator, group))
    col = layout.new_column if column == "new" else len(layout.header)
    return f"{get_column_letter(col)}{r}"


GOOD = [  # (dataset, indicator, group, typed): what should import, typed the Norwegian way
    ("adm_kpi", "andel_deltid_under_80", "kommunen", "30 %"),
    ("adm_kpi", "andel_inngaende_efaktura", "kommunen", "85%"),
    ("hr_sykefravaer", "sykefravar_total", "kommunen", "7,1 %"),  # a same fact: copied into adm_kpi
    ("hr_rekruttering", "sokere_per_stilling", "kommunen", "12"),  # the other same fact
    ("eiendom_aktivitet", "brutto_investeringsutgifter", "eiendom", "1 422,3"),
    ("osu_arsverk", "arsverk", "eiendom", "12,8"),
]
BAD = [  # what Calc stores wrongly or refuses
    ("osu_arsverk", "arsverk", "digit", "7.1"),  # a date in nb-NO: 7 January
    ("adm_kpi", "andel_inngaende_efaktura", "kommunen", "30"),  # a percent cell: Calc stores 30 (3 000 %)
    ("hr_sykefravaer", "sykefravar_total", "oppvekst_skole", "12,8"),  # the same, 1 280 %
]
EXPECTED = {  # what the import writes for GOOD
    ("adm_kpi", "andel_deltid_under_80", "kommunen"): "30",
    ("adm_kpi", "andel_inngaende_efaktura", "kommunen"): "85",
    ("hr_sykefravaer", "sykefravar_total", "kommunen"): "7.1",
    ("adm_kpi", "sykefravar_total", "kommunen"): "7.1",
    ("hr_rekruttering", "sokere_per_stilling", "kommunen"): "12",
    ("adm_kpi", "sokere_per_stilling", "kommunen"): "12",
    ("eiendom_aktivitet", "brutto_investeringsutgifter", "eiendom"): "1422.3",
    ("osu_arsverk", "arsverk", "eiendom"): "12.8",
}


def _typing(sheets, rows) -> list[list[str]]:
    out = []
    for ds, ind, grp, text in rows:
        out.append([sheets[ds].sheet, _cell(sheets[ds], ind, grp), text])
        out.append([sheets[ds].sheet, _cell(sheets[ds], ind, grp, "source"), SOURCE])
    return out


@pytest.fixture(scope="module")
def calc(tmp_path_factory):
    """Every LibreOffice job of the module in one soffice run: filled .xlsx and .ods, the validation marks, the PDF."""
    missing = _missing()
    if missing:
        if _in_ci():
            pytest.fail(missing + " (CI is set: not skipping)", pytrace=False)
        pytest.skip(missing)
    root = tmp_path_factory.mktemp("calc")
    template = root / "mal-2019.xlsx"
    build_template(DATA_DIR, YEAR, template, DATASETS)
    sheets = {s.dataset: s for s in layouts(DATA_DIR, YEAR, DATASETS)}
    good, bad = _typing(sheets, GOOD), _typing(sheets, BAD)
    names = [sheets[d].sheet for d in DATASETS]
    jobs = [
        {"src": str(template), "type": good, "out": str(root / "good.xlsx"), "format": "xlsx", "invalid": names},
        {"src": str(template), "type": good, "out": str(root / "good.ods"), "format": "ods"},
        {"src": str(template), "type": bad, "out": str(root / "bad.xlsx"), "format": "xlsx", "invalid": names},
        {"src": str(template), "type": bad, "out": str(root / "bad.ods"), "format": "ods"},
        {"src": str(template), "out": str(root / "mal-2019.pdf"), "format": "pdf"},
    ]
    spec = {"profile": str(root / "profile"), "jobs": jobs}
    env = book_fonts_env(root / "fontconfig")  # soffice does not start without a font; the book's Lato serves (no system font needed)
    done = subprocess.run(
        [str(UNO_PYTHON), str(DRIVER)], input=json.dumps(spec), capture_output=True, text=True, timeout=300, check=False, env=env
    )
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(done.stdout)
    return {"root": root, "sheets": sheets, "results": results}


def _import(path: Path, tmp: Path, *options: str):
    data = tmp / "data"
    if not data.exists():
        shutil.copytree(DATA_DIR, data)
    return data, CliRunner().invoke(app, ["import", str(path), "--data-dir", str(data), *options])


def test_calc_stores_what_a_person_types_in_nb_no(calc):
    """What Calc itself makes of the typing (the premises of the other tests): % → a fraction, 7.1 → a date serial."""
    typed = {(s, ref): (text, value, fmt) for s, ref, text, value, _, fmt in calc["results"][0]["typed"] + calc["results"][2]["typed"]}
    sheets = calc["sheets"]
    kpi = sheets["adm_kpi"]
    assert typed[(kpi.sheet, _cell(kpi, "andel_deltid_under_80", "kommunen"))][1] == pytest.approx(0.3)
    assert typed[(kpi.sheet, _cell(kpi, "andel_deltid_under_80", "kommunen"))][2].endswith("%")  # the template's percent format
    assert typed[(kpi.sheet, _cell(kpi, "andel_inngaende_efaktura", "kommunen"))][1] in (0.3, 30.0)
    arsverk = sheets["osu_arsverk"]
    date_serial = typed[(arsverk.sheet, _cell(arsverk, "arsverk", "digit"))][1]
    assert date_serial > 40000 and float(date_serial).is_integer()  # 7 January of this year, as Calc counts days
    assert typed[(arsverk.sheet, _cell(arsverk, "arsverk", "eiendom"))][1] == pytest.approx(12.8)


@pytest.mark.parametrize("suffix", ["xlsx", "ods"])
def test_figures_typed_in_calc_are_written_exactly(calc, tmp_path, suffix):
    data, result = _import(calc["root"] / f"good.{suffix}", tmp_path, "--accept-flagged")
    assert result.exit_code == 0, result.output
    for (ds, ind, grp), literal in EXPECTED.items():
        assert read_observation_literals(data / f"{ds}.csv").get((ind, grp, YEAR)) == literal, (ds, ind, grp)
    assert "review: 8 figure(s) to be written" in result.output


def test_calc_marks_what_breaks_the_validation(calc):
    """Calc's own judgement of the template's data validation: 30 and 12,8 typed into percent cells are invalid, 30 % is not."""
    sheets = calc["sheets"]
    kpi, sick = sheets["adm_kpi"], sheets["hr_sykefravaer"]
    good, bad = calc["results"][0]["invalid"], calc["results"][2]["invalid"]
    assert not any(good.values()), good
    assert _cell(kpi, "andel_inngaende_efaktura", "kommunen") in bad[kpi.sheet]
    assert _cell(sick, "sykefravar_total", "oppvekst_skole") in bad[sick.sheet]
    assert bad[sheets["osu_arsverk"].sheet] == []  # a date is a number to Calc: the import catches it (next test)


@pytest.mark.parametrize("suffix", ["xlsx", "ods"])
def test_what_calc_misreads_is_refused_by_cell(calc, tmp_path, suffix):
    data, result = _import(calc["root"] / f"bad.{suffix}", tmp_path)
    assert result.exit_code == 1, result.output
    sheets = calc["sheets"]
    out = " ".join(result.output.split())
    digit = _cell(sheets["osu_arsverk"], "arsverk", "digit")
    assert f"sheet 'osu_arsverk', cell {digit}: expected a number for arsverk / digit, found" in out
    assert "which is the date 7.1." in out and "type the figure with a decimal comma (7,1)" in out
    efaktura = _cell(sheets["adm_kpi"], "andel_inngaende_efaktura", "kommunen")
    assert f"sheet 'adm_kpi', cell {efaktura}: expected a value of at most 100 %" in out
    assert "type the share with its percent sign (30 %)" in out
    assert "nothing was written" in out


def test_the_template_prints_to_the_page_width(calc):
    """Printed by Calc, each sheet fits the page width: a page or two per sheet (the whole old template printed 137 pages)."""
    from pypdf import PdfReader

    pdf = PdfReader(calc["root"] / "mal-2019.pdf")
    sheets = len(load_workbook(calc["root"] / "mal-2019.xlsx", read_only=True).sheetnames) - 1  # the hidden _mal is not printed
    assert sheets <= len(pdf.pages) <= 2 * sheets + 1, len(pdf.pages)  # the guide takes three
    first = pdf.pages[0].extract_text()
    assert "Ny årgang" in first and "Hva du skal fylle inn" in first

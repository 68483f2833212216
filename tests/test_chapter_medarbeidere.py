"""Chapter *Medarbeidere*: sentences and tables, for 2018, for 2017 and on edited copies of data/.

Expected strings are built from the data with ``analysis.present.fmt`` where the figure
matters, so that a change in a figure or in the wording fails a test.
"""

import csv
import shutil
from pathlib import Path

import pytest
from same_facts import drop_partners, set_partners
from table_html import read_table

import analysis as va
from analysis import config
from analysis.calc.privacy import MARKER
from analysis.chapters import medarbeidere as ch
from analysis.chapters.medarbeidere import minoritet
from analysis.config import DATA_DIR
from analysis.present.fmt import NBSP, fmt_number, fmt_percent
from helpers import edit_line


def pct(x: float, d: int = 1) -> str:
    return fmt_percent(x, d)


def line_no(path: Path, line: str) -> int:
    """1-based number of the line that equals ``line`` (as edit_line counts)."""
    return path.read_text(encoding="utf-8").split("\n").index(line) + 1


def set_value(data: Path, dataset: str, line: str, new_value: str) -> None:
    """Change the value of the CSV row ``line`` (``year,indicator,group,value``), in every dataset holding the same fact."""
    path = data / f"{dataset}.csv"
    edit_line(path, line_no(path, line), lambda old: old.rsplit(",", 1)[0] + "," + new_value)
    set_partners(data, dataset, line.rsplit(",", 1)[0], new_value)


def drop_line(data: Path, dataset: str, line: str) -> None:
    """Remove an observation (from every dataset holding the same fact); text figures that claim to equal it lose that claim."""
    path = data / f"{dataset}.csv"
    rows = path.read_text(encoding="utf-8").split("\n")
    rows.remove(line)
    path.write_text("\n".join(rows), encoding="utf-8")
    drop_partners(data, dataset, line.rsplit(",", 1)[0])
    year, indicator, group, _ = line.split(",")
    tf_path = data / "text_figures.csv"
    with tf_path.open(encoding="utf-8", newline="") as f:
        tfs = list(csv.DictReader(f))
    for r in tfs:
        if (r["dataset"], r["indicator"], r["group"], r["year"]) == (dataset, indicator, group, year):
            r.update(claim="", dataset="", indicator="", group="", base_year="")
    with tf_path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(tfs[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(tfs)


def add_line(data: Path, dataset: str, line: str) -> None:
    """Add an observation row, credited in provenance.csv as an import would (a year new to the dataset gets a row)."""
    path = data / f"{dataset}.csv"
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(text + "\n" + line + "\n", encoding="utf-8")
    credits = data / "provenance.csv"
    year = line.split(",", 1)[0]
    if f"\n{dataset},{year},,," not in credits.read_text(encoding="utf-8"):
        with credits.open("a", encoding="utf-8") as fh:
            fh.write(f"{dataset},{year},,,workbook,SYNTETISK kilde,,,\n")


# -- edited copies of data/ (one copy per set of independent edits keeps the tests fast) --------------------------------------------


def _copy(tmp_path_factory) -> Path:
    dst = tmp_path_factory.mktemp("medarbeidere") / "data"
    shutil.copytree(DATA_DIR, dst)
    return dst


@pytest.fixture(scope="module")
def flipped(tmp_path_factory) -> va.Book:
    """2018 with figures changed so that directions flip (each edit feeds a different sentence)."""
    d = _copy(tmp_path_factory)
    add_line(d, "hr_medarbeidere", "2017,arsverk,kommunen,7600")
    set_value(d, "hr_medarbeidere", "2016,gjennomsnittsalder,kommunen,45.1", "44.5")
    set_value(d, "hr_turnover", "2018,turnover,kommunen,9.5", "8.0")
    set_value(d, "hr_turnover", "2018,turnover,oppvekst_barnehage,12.7", "20.0")
    set_value(d, "hr_rekruttering", "2018,sokere_per_stilling,kommunen,11", "15")
    add_line(d, "hr_rekruttering", "2017,utlyste_stillinger,kommunen,2000")
    set_value(d, "hr_kompetanse", "2018,andel_ufaglaerte,kommunen,18.5", "20.0")
    set_value(d, "hr_kompetanse", "2017,andel_faglaerte,oppvekst_barnehage,59", "40.0")
    set_value(d, "hr_laerlinger", "2018,antall_laerlinger,kommunen,88", "95")
    set_value(d, "adm_kpi", "2018,sykefravar_total,kommunen,7.3", "7.8")
    add_line(d, "hr_sykefravaer", "2017,sykefravar_langtid,kommunen,5.0")
    set_value(d, "hr_sykefravaer", "2018,sykefravar_total,helse_og_sosial,8", "7.0")
    set_value(d, "hr_heltid_deltid", "2018,andel_heltid,kommunen,57", "50")
    set_value(d, "hr_minoritet", "2018,andel_minoritetsbakgrunn,kommunen,13.4", "15.0")
    set_value(d, "hr_minoritet", "2018,andel_minoritetsbakgrunn,oppvekst_skole,5.8", "1.0")
    return va.setup(2018, d)


@pytest.fixture(scope="module")
def flipped_b(tmp_path_factory) -> va.Book:
    """2018 with a second set of changes (the other direction, or no change)."""
    d = _copy(tmp_path_factory)
    add_line(d, "hr_medarbeidere", "2017,arsverk,kommunen,7400")
    set_value(d, "hr_rekruttering", "2018,sokere_per_stilling,kommunen,11", "14")
    set_value(d, "adm_kpi", "2018,sykefravar_total,kommunen,7.3", "6.9")
    return va.setup(2018, d)


@pytest.fixture(scope="module")
def missing(tmp_path_factory) -> va.Book:
    """2018 with some of the reporting year's figures removed (and the sickness absence exactly on target)."""
    d = _copy(tmp_path_factory)
    drop_line(d, "hr_turnover", "2018,turnover,kommunen,9.5")
    drop_line(d, "hr_rekruttering", "2018,sokere_per_stilling,kommunen,11")
    drop_line(d, "hr_laerlinger", "2018,antall_laerlinger,kommunen,88")
    drop_line(d, "hr_minoritet", "2018,andel_minoritetsbakgrunn,kommunen,13.4")
    set_value(d, "adm_kpi", "2018,sykefravar_total,kommunen,7.3", "7.0")
    return va.setup(2018, d)


# -- staff -------------------------------------------------------------------------------------------------------------------------


def test_bemanning_2018(b18):
    v = {
        i: fmt_number(b18.value("hr_medarbeidere", i, "kommunen"), 0)
        for i in ("arsverk", "personer_fast_ansatte", "personer_timelonnede", "personer_arbeidsforhold")
    }
    assert str(ch.sentence_bemanning(b18)) == (
        f"Ved inngangen til 2019 hadde kommunen {v['arsverk']}{NBSP}årsverk med fast ansatte, "
        f"fordelt på {v['personer_fast_ansatte']} personer. "
        f"I tillegg var {v['personer_timelonnede']} personer timelønnet. "
        f"Til sammen hadde {v['personer_arbeidsforhold']} personer et arbeidsforhold i kommunen."
    )


def test_bemanning_2017_not_available(b17):
    assert str(ch.sentence_bemanning(b17)) == "Tall for antall årsverk og medarbeidere ved inngangen til 2018 foreligger ikke ennå."


def test_bemanning_change_from_year_before(flipped, flipped_b):
    assert str(ch.sentence_bemanning(flipped)).endswith(f"Antallet årsverk gikk ned fra {fmt_number(7600, 0)} ved inngangen til 2018.")
    assert str(ch.sentence_bemanning(flipped_b)).endswith(f"Antallet årsverk økte fra {fmt_number(7400, 0)} ved inngangen til 2018.")


def test_endringer_only_for_the_source_year(b18, b17):
    assert "Barn og unge" in str(ch.sentence_endringer(b18))
    assert str(ch.sentence_endringer(b17)) == ""


def test_alder_2018(b18):
    assert str(ch.sentence_alder(b18)) == (
        f"Medarbeiderne var i gjennomsnitt 44,9{NBSP}år gamle i 2018. Det er 0,2{NBSP}år lavere enn i 2016 (45,1{NBSP}år). "
        f"Mennene var i snitt 43,7{NBSP}år og kvinnene 45,4{NBSP}år. "
        "Ifølge kilden er medarbeiderne i Bærum yngre enn i kommunesektoren ellers i landet."
    )


def test_alder_2017_not_available(b17):
    assert str(ch.sentence_alder(b17)) == (
        f"Tall for medarbeidernes gjennomsnittsalder i 2017 foreligger ikke ennå; siste tall er fra 2016 (45,1{NBSP}år)."
    )


def test_alder_direction_flips(flipped):
    assert f"Det er 0,4{NBSP}år høyere enn i 2016 (44,5{NBSP}år)." in str(ch.sentence_alder(flipped))


# -- turnover and recruitment ------------------------------------------------------------------------------------------------------


def test_turnover_2018(b18):
    text = str(ch.sentence_turnover(b18))
    assert text.startswith(
        f"Turnover for kommunen samlet økte fra {pct(8.9)} i 2017 til {pct(9.5)} i 2018, en økning på 0,6{NBSP}prosentpoeng."
    )
    assert f"Turnover i Oppvekst barnehage økte fra {pct(10.9)} i 2017 til {pct(12.7)} i 2018" in text
    assert f"i 2012 var den {pct(15.7)}" in text
    assert f"mest i Tekniske tjenester (+3,0{NBSP}prosentpoeng)" in text
    assert f"mellom 1 og 2{NBSP}prosentpoeng" in text


def test_turnover_2017(b17):
    text = str(ch.sentence_turnover(b17))
    assert text == (
        f"Turnover for kommunen samlet var {pct(8.9)} i 2017. "
        f"Turnover i Oppvekst barnehage gikk ned fra {pct(15.7)} i 2012 til {pct(10.9)} i 2017, en nedgang på 4,8{NBSP}prosentpoeng. "
        f"Turnover i Tekniske tjenester var {pct(7.1)} i 2017."
    )


def test_turnover_direction_and_largest_change(flipped):
    text = str(ch.sentence_turnover(flipped))
    assert text.startswith(f"Turnover for kommunen samlet gikk ned fra {pct(8.9)} i 2017 til {pct(8.0)} i 2018")
    assert "endret turnover seg mest i Oppvekst barnehage" in text


def test_turnover_missing(missing):
    text = str(ch.sentence_turnover(missing))
    assert text.startswith(f"Tall for turnover for kommunen samlet i 2018 foreligger ikke ennå; siste tall er fra 2017 ({pct(8.9)}).")


def test_sokere(b18, b17):
    assert str(ch.sentence_sokere(b18)) == (
        "I gjennomsnitt var det 11 søkere per utlyst stilling i 2018, mot 14 i 2017 og 16 i 2016. "
        "Antallet har dermed gått ned to år på rad."
    )
    assert (
        str(ch.sentence_sokere(b17))
        == "I gjennomsnitt var det 14 søkere per utlyst stilling i 2017, mot 16 i 2016. Antallet gikk dermed ned fra året før."
    )


def test_sokere_direction(flipped, flipped_b):
    assert str(ch.sentence_sokere(flipped)).endswith("Antallet økte dermed fra året før.")
    assert str(ch.sentence_sokere(flipped_b)).endswith("Antallet var dermed det samme som året før.")


def test_sokere_missing(missing):
    assert (
        str(ch.sentence_sokere(missing)) == "Tall for antall søkere per stilling i 2018 foreligger ikke ennå; siste tall er fra 2017 (14)."
    )


def test_utlyste(b18, b17):
    assert str(ch.sentence_utlyste(b18)) == (
        f"Kommunen lyste ut {fmt_number(2280, 0)} stillinger i 2018, ifølge kilden {pct(33, 0)} flere enn året før "
        "(tallet for året før er ikke oppgitt)."
    )
    assert str(ch.sentence_utlyste(b17)) == "Antall utlyste stillinger i 2017 foreligger ikke ennå."


def test_utlyste_computed_when_year_before_exists(flipped):
    assert str(ch.sentence_utlyste(flipped)) == (
        f"Antall utlyste stillinger økte fra {fmt_number(2000, 0)} i 2017 til {fmt_number(2280, 0)} i 2018, en økning på {pct(14.0)}."
    )


def test_pensjon(b18, b17):
    text = str(ch.sentence_pensjon(b18))
    assert f"valgte {pct(35, 0)} gradert AFP" in text
    assert f"omfatte nær {pct(75, 0)} av kommunens ansatte" in text
    assert str(ch.sentence_pensjon(b17)) == ""


# -- competence ---------------------------------------------------------------------------------------------------------------------


def test_kompetanse(b18, b17):
    assert str(ch.sentence_kompetanse(b18)) == (
        f"I 2018 var {pct(18.5)} av medarbeiderne ufaglærte og {pct(22.5)} fagarbeidere. "
        f"De øvrige, {pct(59.0)}, har utdanning fra høyskole eller universitet."
    )
    assert str(ch.sentence_kompetanse(b17)) == "Tall for kompetansesammensetningen i kommunen i 2017 foreligger ikke ennå."


def test_kompetanse_rest_is_computed(flipped):
    assert f"De øvrige, {pct(57.5)}," in str(ch.sentence_kompetanse(flipped))


def test_faglaerte_2018(b18):
    text = str(ch.sentence_faglaerte(b18))
    assert text.startswith(f"Andelen faglærte i Oppvekst barnehage økte fra {pct(46.2)} i 2010 til {pct(59, 0)} i 2017")
    assert f"andelen på {pct(67.7)} i 2018 kan ikke sammenlignes med årene før 2018" in text
    assert f"I Pleie og omsorg var andelen faglærte {pct(76.3)} i 2018." in text


def test_faglaerte_2017(b17):
    text = str(ch.sentence_faglaerte(b17))
    assert "2018" not in text
    assert text.endswith("Tall for andelen faglærte i Pleie og omsorg i 2017 foreligger ikke ennå.")


def test_faglaerte_direction_flips(flipped):
    assert f"gikk ned fra {pct(46.2)} i 2010 til {pct(40.0)} i 2017" in str(ch.sentence_faglaerte(flipped))


def test_laerlinger(b18, b17):
    assert str(ch.sentence_laerlinger(b18)) == (
        f"Antallet lærlinger gikk ned fra 90 i 2017 til 88 i 2018, en nedgang på {pct(2.2)}. "
        "Ved starten av perioden, i 2013, var det 68 lærlinger, altså 20 færre enn i 2018."
    )
    assert str(ch.sentence_laerlinger(b17)) == (
        f"Antallet lærlinger økte fra 80 i 2016 til 90 i 2017, en økning på {pct(12.5)}. "
        "Ved starten av perioden, i 2013, var det 68 lærlinger, altså 22 færre enn i 2017."
    )


def test_laerlinger_direction_and_missing(flipped, missing):
    assert str(ch.sentence_laerlinger(flipped)).startswith("Antallet lærlinger økte fra 90 i 2017 til 95 i 2018")
    assert str(ch.sentence_laerlinger(missing)) == "Tall for antallet lærlinger i 2018 foreligger ikke ennå; siste tall er fra 2017 (90)."


def test_laerlinger_ks_and_stipend(b18, b17):
    assert str(ch.sentence_laerlinger_ks(b18)) == (
        "KS har tidligere anbefalt at kommunene har 1 lærling per tusen innbyggere. "
        "I 2018 ble anbefalingen endret til 2 per tusen innbyggere."
    )
    assert str(ch.sentence_stipend(b18)) == f"Kommunen deler hvert år ut 3{NBSP}mill.{NBSP}kr i stipend til videre- og etterutdanning."
    assert str(ch.sentence_laerlinger_ks(b17)) == ""
    assert str(ch.sentence_stipend(b17)) == ""


# -- sickness absence ---------------------------------------------------------------------------------------------------------------


def test_sykefravaer_2018(b18):
    assert str(ch.sentence_sykefravaer(b18)) == (
        f"Sykefraværet i kommunen gikk ned fra {pct(7.5)} i 2017 til {pct(7.3)} i 2018, en nedgang på 0,2{NBSP}prosentpoeng. "
        f"I perioden 2014–2018 lå fraværet mellom {pct(7.2)} og {pct(7.6)}. "
        f"Kommunens mål er et sykefravær på {pct(7, 0)}; i 2018 lå fraværet 0,3{NBSP}prosentpoeng over målet, som dermed ikke ble nådd."
    )


def test_sykefravaer_2017_without_target(b17):
    assert str(ch.sentence_sykefravaer(b17)) == (
        f"Sykefraværet i kommunen økte fra {pct(7.2)} i 2016 til {pct(7.5)} i 2017, en økning på 0,3{NBSP}prosentpoeng. "
        f"I perioden 2014–2017 lå fraværet mellom {pct(7.2)} og {pct(7.6)}."
    )


def test_sykefravaer_direction_and_target(flipped, flipped_b, missing):
    assert f"økte fra {pct(7.5)} i 2017 til {pct(7.8)} i 2018" in str(ch.sentence_sykefravaer(flipped))
    assert f"lå fraværet 0,1{NBSP}prosentpoeng under målet" in str(ch.sentence_sykefravaer(flipped_b))
    assert "målet ble nådd i 2018" in str(ch.sentence_sykefravaer(missing))


def test_fravaer_type(b18, b17):
    assert str(ch.sentence_fravaer_type(b18)) == (
        f"Langtidsfraværet var {pct(4.7)} og korttidsfraværet {pct(2.6)} i 2018, til sammen {pct(7.3)}. "
        "Ifølge kilden er det langtidsfraværet som står for nedgangen fra året før, mens korttidsfraværet har holdt seg stabilt."
    )
    assert str(ch.sentence_fravaer_type(b17)) == "Fordelingen på langtids- og korttidsfravær for 2017 foreligger ikke ennå."


def test_fravaer_type_computed_when_year_before_exists(flipped):
    text = str(ch.sentence_fravaer_type(flipped))
    assert f"Langtidsfraværet gikk ned fra {pct(5.0)} i 2017 til {pct(4.7)} i 2018" in text
    assert "Ifølge kilden" not in text


def test_sykefravaer_omrader_2018(b18):
    text = str(ch.sentence_sykefravaer_omrader(b18))
    assert f"Fraværet i Oppvekst barnehage var uendret på {pct(8.1)} fra 2017 til 2018." in text
    assert f"Fraværet i Pleie og omsorg gikk ned med 0,8{NBSP}prosentpoeng til {pct(9.0)} i 2018." in text
    assert f"lavest i Oppvekst skole ({pct(5.7)}) og høyest i Pleie og omsorg ({pct(9.0)})" in text
    assert f"hadde fire av kommunalsjefområdene lavere fravær enn kommunen samlet ({pct(7.3)})" in text


def test_sykefravaer_omrader_2017(b17):
    assert str(ch.sentence_sykefravaer_omrader(b17)) == (
        f"Fraværet i Oppvekst barnehage var {pct(8.1)} i 2017. Fraværet i Helse og sosial var {pct(8.0)} i 2017. "
        f"Av områdene med tall var fraværet lavest i Helse og sosial ({pct(8.0)}) og høyest i Oppvekst barnehage ({pct(8.1)})."
    )


def test_sykefravaer_omrader_direction(flipped):
    assert f"Fraværet i Helse og sosial gikk ned fra {pct(8, 0)} i 2017 til {pct(7.0)} i 2018" in str(
        ch.sentence_sykefravaer_omrader(flipped)
    )


# -- position size and diversity ----------------------------------------------------------------------------------------------------


def test_heltid(b18, b17):
    text = str(ch.sentence_heltid(b18))
    assert text.startswith(
        f"Andelen medarbeidere i hel stilling økte fra {pct(53, 0)} i 2017 til {pct(57, 0)} i 2018, en økning på 4,0{NBSP}prosentpoeng. "
        f"{pct(69, 0)} av medarbeiderne hadde stillingsstørrelse over 80 prosent. "
        f"Indikatoren «Andel deltid (mindre enn 80 %)» gikk ned fra {pct(35, 0)} i 2017 til {pct(31, 0)} i 2018"
    )
    assert str(ch.sentence_heltid(b17)) == (
        f"Andelen medarbeidere i hel stilling var {pct(53, 0)} i 2017. "
        f"Indikatoren «Andel deltid (mindre enn 80 %)» var uendret på {pct(35, 0)} fra 2016 til 2017."
    )


def test_heltid_direction_flips(flipped):
    assert str(ch.sentence_heltid(flipped)).startswith(
        f"Andelen medarbeidere i hel stilling gikk ned fra {pct(53, 0)} i 2017 til {pct(50, 0)} i 2018"
    )


def test_minoritet(b18, b17):
    assert str(ch.sentence_minoritet(b18)) == (
        f"Andelen medarbeidere med minoritetsbakgrunn gikk ned fra {pct(14.0)} i 2017 til {pct(13.4)} i 2018, "
        f"en nedgang på 0,6{NBSP}prosentpoeng. "
        f"I 2012 var andelen {pct(12, 0)}. I 2018 hadde {fmt_number(1436, 0)} medarbeidere minoritetsbakgrunn "
        f"(407 menn og {fmt_number(1029, 0)} kvinner), til sammen {fmt_number(1070.6, 1)}{NBSP}årsverk."
    )
    assert str(ch.sentence_minoritet(b17)) == (
        f"Andelen medarbeidere med minoritetsbakgrunn økte fra {pct(12, 0)} i 2012 til {pct(14.0)} i 2017, "
        f"en økning på 2,0{NBSP}prosentpoeng. "
        f"I 2017 hadde {fmt_number(1399, 0)} medarbeidere minoritetsbakgrunn (382 menn og {fmt_number(1017, 0)} kvinner), "
        f"til sammen {fmt_number(1052.9, 1)}{NBSP}årsverk."
    )


def test_minoritet_direction_and_missing(flipped, missing):
    assert str(ch.sentence_minoritet(flipped)).startswith(
        f"Andelen medarbeidere med minoritetsbakgrunn økte fra {pct(14.0)} i 2017 til {pct(15.0)} i 2018"
    )
    assert str(ch.sentence_minoritet(missing)) == (
        f"Tall for andelen medarbeidere med minoritetsbakgrunn i 2018 foreligger ikke ennå; siste tall er fra 2017 ({pct(14.0)})."
    )
    assert str(ch.sentence_mangfold(missing)) == ""


def test_minoritet_omrader(b18, b17):
    assert str(ch.sentence_minoritet_omrader(b18)) == (
        f"Andelen var høyest i Pleie og omsorg ({pct(31.7)}) og lavest i Oppvekst skole ({pct(5.8)}). "
        f"Størst endring fra 2017 hadde Oppvekst barnehage, der andelen gikk ned med 2,2{NBSP}prosentpoeng. "
        "Ifølge kilden henger det trolig sammen med omorganiseringen av området i 2018."
    )
    assert str(ch.sentence_minoritet_omrader(b17)) == f"Andelen var høyest i Pleie og omsorg ({pct(31.9)}) og lavest i Øvrige ({pct(5.7)})."


def test_minoritet_omrader_other_area_changes_most(flipped):
    text = str(ch.sentence_minoritet_omrader(flipped))
    assert f"Størst endring fra 2017 hadde Oppvekst skole, der andelen gikk ned med 5,1{NBSP}prosentpoeng." in text
    assert "omorganiseringen" not in text


def test_mangfold(b18, b17):
    assert str(ch.sentence_mangfold(b18)) == (
        f"{pct(13.4)} av kommunens medarbeidere hadde minoritetsbakgrunn i 2018, men andelen er klart lavere blant lederne."
    )
    assert str(ch.sentence_mangfold(b17)) == ""


# -- tables -------------------------------------------------------------------------------------------------------------------------

TABLES = [
    ch.tab_medarbeidere,
    ch.tab_turnover,
    ch.tab_kompetanse,
    ch.tab_laerlinger,
    ch.tab_sykefravaer,
    ch.tab_sykefravaer_omrader,
    ch.tab_heltid,
    ch.tab_minoritet,
]


@pytest.mark.parametrize("tab", TABLES, ids=lambda f: f.__name__)
def test_tables_end_at_the_reporting_year(tab, b18, b17):
    assert "2018" in tab(b18).html
    out = tab(b17)
    html = out.html.replace("ved inngangen til 2018", "")  # the status date of 2017 is named, not a 2018 figure
    assert "2018" not in html and "2018" not in out.csv and "2018" not in out.plain


def test_tab_medarbeidere_status_note_and_figures(b18):
    out = ch.tab_medarbeidere(b18)
    assert "ved inngangen til 2019" in out.html
    assert f"7{NBSP}524<" in out.html
    assert "Gjennomsnittsalder, alle (år);45,1;44,9" in out.csv


def test_tab_turnover_change_in_points(b18):
    csv = ch.tab_turnover(b18).csv
    assert "Endring 2017–2018" in csv
    assert "Tekniske tjenester;–;7,1%;10,1%;+3,0" in csv  # a number to a spreadsheet, the unit in the header: no visible quote


def test_tab_kompetanse_break_note_only_when_in_period(b18, b17):
    assert "kan ikke sammenlignes" in ch.tab_kompetanse(b18).html
    assert "kan ikke sammenlignes" not in ch.tab_kompetanse(b17).html


def test_tab_laerlinger_changes_and_header_quirk(b18):
    out = ch.tab_laerlinger(b18)
    assert "Endring fra året før;–;+4;0;+8;+10;-2" in out.csv
    assert "må den gjelde 2014" in out.html


def test_tab_sykefravaer_omrader_uses_kpi_for_the_municipality(b18):
    assert "Bærum kommune;7,5%;7,3%;-0,2" in ch.tab_sykefravaer_omrader(b18).csv


@pytest.mark.parametrize(
    ("table", "bold"),
    [
        ("tab_medarbeidere", ["Personer med arbeidsforhold i kommunen"]),
        ("tab_turnover", ["Bærum kommune"]),
        ("tab_sykefravaer", ["Sykefravær totalt"]),
        ("tab_sykefravaer_omrader", ["Bærum kommune"]),
        ("tab_minoritet", ["Totalt"]),
        ("tab_kompetanse", []),
        ("tab_heltid", []),
        ("tab_laerlinger", []),
    ],
)
def test_totals_are_bold_and_nothing_else(b18, table, bold):
    t = read_table(getattr(ch, table)(b18).html)
    assert t.bold_rows() == bold
    assert sum(c.bold for r in t.rows for c in r) == sum(len(r) for r in t.rows if r[0].text in bold)  # no stray bold cell


def test_chart_minoritet_alt_text_states_every_share(b18):
    ds, ind = "hr_minoritet", "andel_minoritetsbakgrunn"
    groups = [*("oppvekst_skole", "oppvekst_barnehage", "pleie_og_omsorg", "helse_og_sosial", "tekniske_tjenester", "ovrige"), "kommunen"]
    parts = [
        f"{b18.group_label(g)}: "
        + ", ".join(f"{pct(b18.value(ds, ind, g, y))} i {y}" for y in (2017, 2018) if b18.value(ds, ind, g, y) is not None)
        for g in groups
        if any(b18.value(ds, ind, g, y) is not None for y in (2017, 2018))
    ]
    out = ch.chart_minoritet(b18)
    assert out.alt == "Stolpediagram: Andel medarbeidere med minoritetsbakgrunn. " + "; ".join(parts) + "."
    assert out.spec["description"] == out.alt and f'aria-label="{out.alt}"' in out.html()


def test_tab_minoritet_columns(b18):
    out = ch.tab_minoritet(b18)
    assert out.csv.splitlines()[0] == (
        ";Årsverk 2017;Menn 2017;Kvinner 2017;Andel 2017;Årsverk 2018;Menn 2018;Kvinner 2018;Andel 2018;Endring andel 2017–2018 (pp);Kilde"
    )
    assert out.csv.splitlines()[-1].startswith("Totalt;1052,9;382;1017;14,0%;1070,6;407;1029;13,4%;-0,6;")


def test_tab_minoritet_cells_pass_through_one_function(b18, monkeypatch):
    """Every figure cell of the minority table is formatted (or suppressed) in ``_minoritet_cell``."""
    seen = []

    def cell(book, indicator, value, hidden):
        seen.append((indicator, hidden))
        return "X"

    monkeypatch.setattr(minoritet, "_minoritet_cell", cell)
    out = ch.tab_minoritet(b18)
    assert {"menn_minoritetsbakgrunn", "kvinner_minoritetsbakgrunn"} <= {i for i, _ in seen}
    assert not any(h for _, h in seen), "the real counts are all at or above the threshold"
    assert "Totalt;X;X;X;X;X;X;X;X;-0,6;" in out.csv


# -- privacy: a small count of persons (on a copy of data/) --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_count(tmp_path_factory) -> va.Book:
    """2018 with Oppvekst barnehage's minority men set to 3 (below the threshold of 5)."""
    d = _copy(tmp_path_factory)
    set_value(d, "hr_minoritet", "2018,menn_minoritetsbakgrunn,oppvekst_barnehage,8", "3")
    return va.setup(2018, d)


def _csv_row(out, label: str) -> list[str]:
    return next(r for r in out.csv.splitlines() if r.startswith(f"{label};")).split(";")[:10]


def test_small_count_is_suppressed_with_its_complements(small_count):
    out = ch.tab_minoritet(small_count)
    # 2017 unchanged; 2018: the small count, the women of the same area, and årsverk, share and change derived from them
    assert _csv_row(out, "Oppvekst barnehage") == ["Oppvekst barnehage", "95,8", "9", "90", "10,2%"] + [MARKER] * 5
    # the complementary area: the smallest other count of men in 2018 (Øvrige, 19) and its row
    assert _csv_row(out, "Øvrige") == ["Øvrige", "58,3", "18", "66", "5,7%"] + [MARKER] * 5
    assert _csv_row(out, "Pleie og omsorg")[5:] == ["659,4", "239", "654", "31,7%", "-0,2"]
    assert _csv_row(out, "Totalt") == ["Totalt", "1052,9", "382", "1017", "14,0%", "1070,6", "407", "1029", "13,4%", "-0,6"]
    cells = [c for r in out.csv.splitlines()[1:] for c in r.split(";")]
    assert "3" not in cells and "19" not in cells and "95" not in cells and "69" not in cells
    assert ">3<" not in out.html and MARKER in out.html and "færre enn 5 personer" in out.html
    assert "Oppvekst barnehage skjult" in out.plain


def test_small_count_left_out_of_sentences_and_chart(small_count):
    assert str(ch.sentence_personvern(small_count)).endswith(
        "I @tbl-medarbeidere-minoritet er 10 tall skjult; 1 av dem gjelder en gruppe med færre enn 5 personer, "
        "de øvrige er skjult for at slike tall ikke skal kunne regnes ut."
    )
    text = str(ch.sentence_minoritet_omrader(small_count))
    assert "Størst endring fra 2017 hadde Tekniske tjenester" in text
    assert text.endswith("Oppvekst barnehage og Øvrige er ikke med i sammenligningen, fordi tallene der er skjult av personvernhensyn.")
    chart = ch.chart_minoritet(small_count)
    assert "Oppvekst barnehage" not in chart.csv and "Øvrige" not in chart.csv and "Pleie og omsorg" in chart.csv


def test_threshold_from_config(b18, monkeypatch):
    assert str(ch.sentence_personvern(b18)).startswith(
        "Av personvernhensyn viser tabellene ikke hvor mange personer en gruppe har når den har færre enn 5 personer (null vises)"
    )
    monkeypatch.setattr(config, "PRIVACY_MIN_COUNT", 10)
    out = ch.tab_minoritet(b18)
    assert _csv_row(out, "Oppvekst barnehage")[1:] == [MARKER] * 9  # 9 and 8 men: below ten in both years
    assert "færre enn 10 personer" in str(ch.sentence_personvern(b18))
    assert "færre enn 10 personer" in out.html


def test_municipality_counts_suppressed(b18):
    """With a threshold above the municipality's own counts, its share and counts are not stated anywhere."""
    assert str(ch.sentence_minoritet(b18, min_count=500)) == (
        "Tallene for medarbeidere med minoritetsbakgrunn i kommunen samlet er skjult av personvernhensyn (2017–2018)."
    )
    assert str(ch.sentence_mangfold(b18, min_count=500)) == ""
    assert str(ch.chart_minoritet(b18, min_count=500)) == "Figuren er utelatt fordi alle andelene er skjult av personvernhensyn."


def test_tab_kpi_limited_to_indicators(b18):
    out = va.tab_kpi(b18, "adm_kpi", id="t", title="T", indicators=["sykefravar_total", "sokere_per_stilling", "andel_deltid_under_80"])
    rows = out.csv.splitlines()[1:]
    assert [r.split(";")[0] for r in rows] == [
        "Totalt sykefravær",
        "Gjennomsnittlig antall søkere pr. stilling",
        "Andel deltid (mindre enn 80 %)",
    ]


# -- a reporting year without data yet ----------------------------------------------------------------------------------------------


def test_next_year_says_figures_are_not_available(b19):
    assert str(ch.sentence_sykefravaer(b19)) == (
        f"Tall for sykefraværet i kommunen i 2019 foreligger ikke ennå; siste tall er fra 2018 ({pct(7.3)})."
    )
    assert str(ch.sentence_bemanning(b19)) == "Tall for antall årsverk og medarbeidere ved inngangen til 2020 foreligger ikke ennå."
    assert str(ch.sentence_fravaer_type(b19)) == "Fordelingen på langtids- og korttidsfravær for 2019 foreligger ikke ennå."


@pytest.mark.parametrize(
    "fn", [ch.sentence_endringer, ch.sentence_pensjon, ch.sentence_stipend, ch.sentence_mangfold], ids=lambda f: f.__name__
)
def test_next_year_leaves_out_last_years_text_figures(b19, fn):
    assert str(fn(b19)) == ""

"""Chapter Digitalisering og IT: the table builder and every sentence function.

Expected strings are built from the data with ``analysis.present.fmt``, for the real
reporting year 2018, for 2017 (nothing from 2018 may appear), for 2019 (no
figures yet: the sentences must say so), and for modified copies of ``data/``
where a change flips direction or a text figure moves into the reporting year.
"""

from pathlib import Path

import analysis as va
from analysis.calc import metrics
from analysis.chapters import digit as ch
from analysis.present.fmt import NBSP, fmt_change_pct, fmt_mill_kr, fmt_number, fmt_percent, fmt_unit
from helpers import edit_matching_line as _edit

UTG = "digit_utgifter"
INV, DRIFT = "brutto_investeringsutgifter", "brutto_driftsutgifter"


def _set_value(path: Path, startswith: str, value: str) -> None:
    _edit(path, startswith, lambda line: ",".join(line.split(",")[:3] + [value]))


def _ar(x: float) -> str:
    return fmt_unit(x, 1, "årsverk")


def _pc(a: float, b: float) -> str:
    return fmt_percent(abs(metrics.pct_change(a, b)), 1)


# -- table -----------------------------------------------------------------------------------------------------------
def test_tab_aktivitet_2018(b18):
    t = ch.tab_aktivitet(b18)
    rows = [r.split(";") for r in t.csv.strip().split("\n")]
    assert rows[0][:5] == ["", "2015", "2016", "2017", "2018"]
    assert [r[0] for r in rows[1:]] == ["Brutto investeringsutgifter", "Årlig endring", "Brutto driftsutgifter", "Årlig endring"]
    inv = b18.series(UTG, INV, "digit")
    assert rows[1][1:5] == [fmt_number(inv[y], 1) for y in range(2015, 2019)]
    expected = fmt_change_pct(metrics.pct_change(inv[2017], inv[2018])).replace(NBSP, "").replace("\u2212", "-")
    assert rows[2][4] == expected == "+66,1%"
    assert rows[2][1] == "–"
    assert rows[4][4] == "+15,2%"
    assert 'id="digit-aktivitet-table"' in t.html


def test_tab_aktivitet_2017_ends_in_2017(b17):
    t = ch.tab_aktivitet(b17)
    header = t.csv.split("\n")[0]
    assert header.startswith(";2015;2016;2017;Kilde")
    assert "2018" not in t.plain and "168,8" not in t.plain and "168,8" not in t.html


# -- share of the area's operating expenditure -----------------------------------------------------------------------
def test_andel_2018_printed_split_and_computed_share(b18):
    part, whole = b18.value(UTG, DRIFT, "digit"), b18.value("osu_driftsutgifter", DRIFT, "osu_total")
    share = fmt_percent(part / whole * 100, 1)
    assert str(ch.sentence_andel(b18)) == (
        "Av de samlede brutto driftsutgiftene i området Organisasjon, styring og utvikling i 2018 falt "
        f"62{NBSP}% på Eiendom, 28{NBSP}% på Strategisk ledelse, styring og administrasjon og 10{NBSP}% på Digitalisering og IT. "
        f"Regnet ut fra beløpene i kildens tabeller, {fmt_mill_kr(part)} av {fmt_mill_kr(whole)}, blir andelen for "
        f"Digitalisering og IT {share}, altså noe høyere enn de 10{NBSP}% kilden oppgir."
    )


def test_andel_2017_computed_only(b17):
    part, whole = b17.value(UTG, DRIFT, "digit"), b17.value("osu_driftsutgifter", DRIFT, "osu_total")
    assert str(ch.sentence_andel(b17)) == (
        f"Brutto driftsutgifter i Digitalisering og IT var {fmt_mill_kr(part)} i 2017. Det er {fmt_percent(part / whole * 100, 1)} "
        f"av de samlede brutto driftsutgiftene på {fmt_mill_kr(whole)} i området Organisasjon, styring og utvikling."
    )


def test_andel_consistent_share_is_not_called_a_disagreement(data_copy):
    _set_value(data_copy / "osu_driftsutgifter_fordeling.csv", "2018,andel_brutto_driftsutgifter,digit,", "11")
    text = str(ch.sentence_andel(va.setup(2018, data_copy)))
    assert f"og 11{NBSP}% på Digitalisering og IT" in text
    assert text.endswith(f"Det stemmer med beløpene i kildens tabeller: {fmt_mill_kr(191.7)} av {fmt_mill_kr(1809.2)}.")
    assert "kilden oppgir" not in text


def test_andel_lower_printed_share_says_lower(data_copy):
    _set_value(data_copy / "osu_driftsutgifter_fordeling.csv", "2018,andel_brutto_driftsutgifter,digit,", "12")
    assert f"altså noe lavere enn de 12{NBSP}% kilden oppgir" in str(ch.sentence_andel(va.setup(2018, data_copy)))


def test_andel_missing_year(b19):
    assert str(ch.sentence_andel(b19)) == (
        "Tall for hvor stor del av områdets driftsutgifter som gikk til Digitalisering og IT i 2019, foreligger ikke ennå."
    )


# -- text figures ----------------------------------------------------------------------------------------------------
def test_prosjekter(b18, b17, b19):
    text = str(ch.sentence_prosjekter(b18))
    assert text.startswith(
        "Ved årsskiftet 2018/2019 var rundt 60 digitaliseringsprosjekter i gang. Blant prosjektene som ble avsluttet i 2018"
    )
    assert str(ch.sentence_prosjekter(b17)) == ""  # the count is about 2018: not shown in a 2017 book
    assert str(ch.sentence_prosjekter(b19)) == ""  # and not presented as 2019's count


def test_prosjekter_exact_count_drops_hedge(data_copy):
    _edit(
        data_copy / "text_figures.csv",
        "digit_prosjekter_arsskiftet_4_1_2,",
        lambda line: line.replace(",60,antall,,,,,,true,", ",58,antall,,,,,,false,"),
    )
    assert str(ch.sentence_prosjekter(va.setup(2018, data_copy))).startswith("Ved årsskiftet 2018/2019 var 58 digitaliseringsprosjekter")


def test_klimaklok(b18, b17, b19):
    t18 = str(ch.sentence_klimaklok(b18))
    assert "langt mindre energi" in t18  # the 70–80 % is stated about 2019
    assert f"fram til 2018: papir tilsvarende cirka 480 trær, og utslippene er redusert med om lag 174{NBSP}000{NBSP}kg{NBSP}CO₂." in t18
    t17 = str(ch.sentence_klimaklok(b17))
    assert "trær" not in t17 and "%" not in t17
    assert f"ifølge leverandøren 70–80{NBSP}% mindre energi enn dagens løsning" in str(ch.sentence_klimaklok(b19))


def test_gevinst(b18, b19):
    assert "%" not in str(ch.sentence_gevinst(b18))
    assert f"en innsparing på 10{NBSP}% for alle tjenesteledere" in str(ch.sentence_gevinst(b19))


def test_min_side(b18, b19, data_copy):
    assert "«Min side» skal lanseres med noen få enkle tjenester." in str(ch.sentence_min_side(b18))
    assert "«Min side» lanseres høsten 2019 med seks enkle tjenester." in str(ch.sentence_min_side(b19))
    _edit(data_copy / "text_figures.csv", "min_side_tjenester_2019,", lambda line: line.replace(",2019,6,", ",2018,1,"))
    assert "«Min side» lanseres høsten 2018 med én enkel tjeneste." in str(ch.sentence_min_side(va.setup(2018, data_copy)))


# -- expenditure -----------------------------------------------------------------------------------------------------
def test_utgifter_2018(b18):
    inv, drift = b18.series(UTG, INV, "digit"), b18.series(UTG, DRIFT, "digit")
    text = str(ch.sentence_utgifter(b18))
    assert text.startswith(
        f"Brutto investeringsutgifter i Digitalisering og IT økte fra {fmt_mill_kr(inv[2017])} i 2017 til {fmt_mill_kr(inv[2018])} i 2018, "
        f"en økning på {_pc(inv[2017], inv[2018])}. Virksomhetsanalysen forklarer økningen i 2018 hovedsakelig med fellesinvesteringer"
    )
    assert (
        f"Brutto driftsutgifter økte fra {fmt_mill_kr(drift[2017])} i 2017 til {fmt_mill_kr(drift[2018])} i 2018, "
        f"en økning på {_pc(drift[2017], drift[2018])}. Sammenlignet med 2015 var investeringsutgiftene i 2018 "
        f"{_pc(inv[2015], inv[2018])} høyere og driftsutgiftene {_pc(drift[2015], drift[2018])} høyere. "
        "Analysen knytter veksten over perioden til prioriteringene i kommunens digitaliseringsstrategi."
    ) in text
    assert _pc(inv[2017], inv[2018]) == f"66,1{NBSP}%"


def test_utgifter_2017_has_no_2018_reasons(b17):
    inv, drift = b17.series(UTG, INV, "digit"), b17.series(UTG, DRIFT, "digit")
    assert str(ch.sentence_utgifter(b17)) == (
        f"Brutto investeringsutgifter i Digitalisering og IT økte fra {fmt_mill_kr(inv[2016])} i 2016 til {fmt_mill_kr(inv[2017])} i 2017, "
        f"en økning på {_pc(inv[2016], inv[2017])}. "
        f"Brutto driftsutgifter økte fra {fmt_mill_kr(drift[2016])} i 2016 til {fmt_mill_kr(drift[2017])} i 2017, "
        f"en økning på {_pc(drift[2016], drift[2017])}. "
        f"Sammenlignet med 2015 var investeringsutgiftene i 2017 {_pc(inv[2015], inv[2017])} høyere og "
        f"driftsutgiftene {_pc(drift[2015], drift[2017])} høyere."
    )


def test_utgifter_fall_flips_direction_and_drops_reasons(data_copy):
    _set_value(data_copy / "digit_utgifter.csv", "2018,brutto_investeringsutgifter,digit,", "60.0")
    text = str(ch.sentence_utgifter(va.setup(2018, data_copy)))
    assert text.startswith(
        f"Brutto investeringsutgifter i Digitalisering og IT gikk ned fra {fmt_mill_kr(101.6)} i 2017 til {fmt_mill_kr(60.0)} i 2018, "
        f"en nedgang på {_pc(101.6, 60.0)}."
    )
    assert "forklarer økningen" not in text and "knytter veksten" not in text
    assert f"investeringsutgiftene i 2018 {_pc(70.0, 60.0)} lavere" in text


def test_utgifter_missing_year(b19):
    assert str(ch.sentence_utgifter(b19)) == (
        f"Tall for brutto investeringsutgifter i Digitalisering og IT i 2019 foreligger ikke ennå; siste tall er fra 2018 "
        f"({fmt_mill_kr(168.8)}). Tall for brutto driftsutgifter i 2019 foreligger ikke ennå; "
        f"siste tall er fra 2018 ({fmt_mill_kr(191.7)})."
    )


# -- full-time equivalents -------------------------------------------------------------------------------------------
def test_arsverk_2018(b18):
    s = b18.series("osu_arsverk", "arsverk", "digit")
    text = str(ch.sentence_arsverk(b18))
    assert text.startswith(
        f"Ressursinnsatsen i Digitalisering og IT økte fra {_ar(s[2017])} i 2017 til {_ar(s[2018])} i 2018, "
        f"en økning på {_pc(s[2017], s[2018])}. I årene 2014–2017 varierte antallet mellom {fmt_number(85.8, 1)} og {_ar(94.1)}, "
        f"og i 2017 var antallet {_pc(s[2014], s[2017])} lavere enn i 2014. Ifølge virksomhetsanalysen"
    )
    assert "veksten i 2018 henger sammen med økt innsats på digitalisering" in text
    assert text.endswith("Kilden oppgir ikke tall for konsulentbruken.")
    assert _pc(s[2017], s[2018]) == f"21,7{NBSP}%"  # the text figure of 4.2.1


def test_arsverk_2017(b17):
    s = b17.series("osu_arsverk", "arsverk", "digit")
    assert str(ch.sentence_arsverk(b17)) == (
        f"Ressursinnsatsen i Digitalisering og IT gikk ned fra {_ar(s[2016])} i 2016 til {_ar(s[2017])} i 2017, "
        f"en nedgang på {_pc(s[2016], s[2017])}. I årene 2014–2016 varierte antallet mellom {fmt_number(86.1, 1)} og {_ar(94.1)}, "
        f"og i 2016 var antallet {_pc(s[2014], s[2016])} høyere enn i 2014."
    )


def test_arsverk_fall_flips_direction_and_drops_reasons(data_copy):
    _set_value(data_copy / "osu_arsverk.csv", "2018,arsverk,digit,", "80.0")
    text = str(ch.sentence_arsverk(va.setup(2018, data_copy)))
    assert text.startswith(f"Ressursinnsatsen i Digitalisering og IT gikk ned fra {_ar(85.8)} i 2017 til {_ar(80.0)} i 2018")
    assert "virksomhetsanalysen" not in text


def test_arsverk_unchanged(data_copy):
    _set_value(data_copy / "osu_arsverk.csv", "2018,arsverk,digit,", "85.8")
    text = str(ch.sentence_arsverk(va.setup(2018, data_copy)))
    assert text.startswith(f"Ressursinnsatsen i Digitalisering og IT var uendret på {_ar(85.8)} fra 2017 til 2018.")


def test_arsverk_missing_year(b19):
    assert str(ch.sentence_arsverk(b19)) == (
        f"Tall for ressursinnsatsen i Digitalisering og IT i 2019 foreligger ikke ennå; siste tall er fra 2018 ({_ar(104.4)}). "
        f"I årene 2014–2018 varierte antallet mellom {fmt_number(85.8, 1)} og {_ar(104.4)}, "
        f"og i 2018 var antallet {_pc(86.1, 104.4)} høyere enn i 2014."
    )

"""Chapter Eiendom: the table builder and every sentence function.

Expected strings are built from the data with ``analysis.present.fmt``, for the real
reporting year 2018, for 2017 (nothing from 2018 may appear), and for modified
copies of ``data/`` where a change flips a direction, removes the reporting
year's figure, moves a text figure into the reporting year, or makes the
source's text agree with its table (then the note about it must go).
"""

from pathlib import Path

import analysis as va
from analysis.calc import metrics
from analysis.chapters import eiendom as ch
from analysis.present.fmt import NBSP, fmt_change_pct, fmt_number, fmt_percent, fmt_unit
from helpers import edit_matching_line as _edit
from helpers import set_value as _set

AKT, KOSTRA, ENERGI, KPI, ARSVERK = "eiendom_aktivitet", "eiendom_kostra", "eiendom_energi", "eiendom_kpi", "osu_arsverk"
DQ = "avviket er omtalt i @sec-datakvalitet."
SENTENCES = [getattr(ch, n) for n in ch.__all__ if n.startswith("sentence_")]


def _drop(data: Path, dataset: str, key: str) -> None:
    path = data / f"{dataset}.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    kept = [line for line in lines if not line.startswith(key + ",")]
    assert len(kept) == len(lines) - 1
    path.write_text("\n".join(kept), encoding="utf-8")


def _drop_text(data: Path, id: str) -> None:
    """Remove a text figure (one whose claim refers to an observation the test removes)."""
    _drop(data, "text_figures", id)


def _text_year(data: Path, id: str, year: int) -> None:
    """Move a text figure to another year (column 3 of text_figures.csv)."""
    _edit(data / "text_figures.csv", id + ",", lambda line: ",".join([*line.split(",")[:2], str(year), *line.split(",")[3:]]))


def _u(x: float, d: int, unit: str) -> str:
    return fmt_unit(x, d, unit)


def _pc(a: float, b: float) -> str:
    return fmt_percent(abs(metrics.pct_change(a, b)), 1)


# -- general ----------------------------------------------------------------------------------------------------------
def test_2017_shows_nothing_from_2018(b17):
    for f in SENTENCES:
        assert "2018" not in str(f(b17)), f.__name__
    assert "2018" not in ch.tab_aktivitet(b17).plain


def test_every_sentence_ends_with_full_stop_or_is_empty(b18, b17):
    for b in (b18, b17):
        for f in SENTENCES:
            s = str(f(b))
            assert s == "" or s.endswith("."), (f.__name__, s)


# -- table ------------------------------------------------------------------------------------------------------------
def test_tab_aktivitet(b18, b17):
    t = ch.tab_aktivitet(b18)
    assert t.id == "eiendom-aktivitet"
    assert t.plain.startswith("Aktivitetsutvikling i Eiendom, 2015–2018.")
    assert f"Brutto investeringsutgifter (mill. kr): 2015 463,7, 2016 832,0, 2017 738,9, 2018 1{NBSP}163,5" in t.plain
    assert f"Samlet antall boliger: 2015 2{NBSP}043" in t.plain  # a count carries no unit in its label
    assert "Samlet areal på formålsbyggene (kvm)" in t.plain
    assert "Endring 2017–2018" in t.html
    assert ch.tab_aktivitet(b17).plain.startswith("Aktivitetsutvikling i Eiendom, 2015–2017.")


# -- introduction and challenges --------------------------------------------------------------------------------------
def test_sentence_andel(b18, b17):
    share = b18.value("osu_driftsutgifter_fordeling", "andel_brutto_driftsutgifter", "eiendom")
    ar = b18.value(ARSVERK, "arsverk", "eiendom")
    assert str(ch.sentence_andel(b18)) == (
        f"I 2018 sto Eiendom for {fmt_percent(share, 0)} av de samlede brutto driftsutgiftene i området "
        "Organisasjon, styring og utvikling, den største andelen i området. "
        f"Ressursinnsatsen i Eiendom var {_u(ar, 1, 'årsverk')} samme år."
    )
    assert str(ch.sentence_andel(b17)).startswith(
        "Fordelingen av brutto driftsutgifter innen området Organisasjon, styring og utvikling foreligger ikke for 2017."
    )


def test_sentence_andel_not_largest(data_copy):
    _set(data_copy, "osu_driftsutgifter_fordeling", "2018,andel_brutto_driftsutgifter,digit", "70")
    s = str(ch.sentence_andel(va.setup(2018, data_copy)))
    assert "den største andelen" not in s and "Eiendom for 62" in s


def test_sentence_energimal_target_is_shown_before_its_year(b18, b17):
    for b in (b18, b17):
        tf = b.target("eiendom_energi_mal_2020")
        assert tf.year > b.year and tf.base_year is not None
        assert str(ch.sentence_energimal(b)) == (
            f"Målet er at energiforbruket i kommunens eiendomsmasse i {tf.year} skal være redusert med "
            f"{fmt_number(abs(tf.value), 0)}{NBSP}% sammenlignet med {tf.base_year}."
        )


def test_sentence_energimal_follows_the_data(data_copy):
    _text_year(data_copy, "eiendom_energi_mal_2020", 2018)
    s = str(ch.sentence_energimal(va.setup(2018, data_copy)))
    assert s == f"Målet er at energiforbruket i kommunens eiendomsmasse i 2018 skal være redusert med 12{NBSP}% sammenlignet med 2016."


def test_sentence_kommunegarden(b18, data_copy):
    tf = b18.target("kommunegarden_medarbeidere")
    s18 = str(ch.sentence_kommunegarden(b18))
    assert f"opp til {fmt_number(tf.value, 0)} medarbeidere" in s18 and s18.endswith(f"Ferdigstillelse er planlagt i {tf.year}.")
    _text_year(data_copy, "kommunegarden_medarbeidere", 2022)
    s = str(ch.sentence_kommunegarden(va.setup(2018, data_copy)))
    assert f"opp til 1{NBSP}300 medarbeidere" in s and s.endswith("Ferdigstillelse er planlagt i 2022.")


# -- priorities -------------------------------------------------------------------------------------------------------
def test_sentence_vedlikehold(b18, b17):
    a, b = b18.value(AKT, "samlet_vedlikehold", "eiendom", 2017), b18.value(AKT, "samlet_vedlikehold", "eiendom")
    assert str(ch.sentence_vedlikehold(b18)) == (
        f"Samlet vedlikehold i Eiendom økte fra {_u(a, 1, 'mill. kr')} i 2017 til {_u(b, 1, 'mill. kr')} i 2018, "
        f"en økning på {_pc(a, b)}. Kildens tekst oppgir en økning på 38{NBSP}%; {DQ}"
    )
    a17 = b17.value(AKT, "samlet_vedlikehold", "eiendom", 2016)
    assert str(ch.sentence_vedlikehold(b17)) == (
        f"Samlet vedlikehold i Eiendom økte fra {_u(a17, 1, 'mill. kr')} i 2016 til {_u(a, 1, 'mill. kr')} i 2017, "
        f"en økning på {_pc(a17, a)}."
    )


def test_sentence_vedlikehold_decrease(data_copy):
    _set(data_copy, AKT, "2018,samlet_vedlikehold,eiendom", "70.0")
    s = str(ch.sentence_vedlikehold(va.setup(2018, data_copy)))
    assert s.startswith(
        f"Samlet vedlikehold i Eiendom gikk ned fra 81,0{NBSP}mill.{NBSP}kr i 2017 til 70,0{NBSP}mill.{NBSP}kr i 2018, "
        f"en nedgang på {_pc(81.0, 70.0)}."
    )


def test_sentence_vedlikehold_note_goes_when_text_agrees(data_copy):
    _set(data_copy, AKT, "2018,samlet_vedlikehold,eiendom", "111.8")  # 38 % above 81,0
    s = str(ch.sentence_vedlikehold(va.setup(2018, data_copy)))
    assert "Kildens tekst" not in s and f"en økning på {_pc(81.0, 111.8)}" in s


def test_sentence_vedlikehold_missing(data_copy):
    _drop(data_copy, AKT, "2018,samlet_vedlikehold,eiendom")
    _drop_text(data_copy, "eiendom_vedlikehold_endring_2018")
    s = str(ch.sentence_vedlikehold(va.setup(2018, data_copy)))
    assert s == f"Tall for samlet vedlikehold i Eiendom i 2018 foreligger ikke ennå; siste tall er fra 2017 (81,0{NBSP}mill.{NBSP}kr)."


def test_sentence_verdibevarende(b18, b17):
    assert str(ch.sentence_verdibevarende(b18)) == (
        "Verdibevarende investeringer, det vil si oppgradering av eksisterende bygg, utgjorde i tillegg om lag "
        f"260{NBSP}mill.{NBSP}kr i 2018, en økning på om lag 50{NBSP}% fra året før. Beløpet står bare i kildens tekst, ikke i en tabell."
    )
    assert str(ch.sentence_verdibevarende(b17)) == ""


def test_sentence_energibruk(b18, b17):
    ind = "energiforbruk_eiendomsmasse"
    a, b = b18.value(KPI, ind, "kommunen", 2017), b18.value(KPI, ind, "kommunen")
    assert str(ch.sentence_energibruk(b18)) == (
        f"Det samlede energiforbruket i kommunens bygg gikk ned fra {_u(a, 1, 'kWh per kvm')} i 2017 til {_u(b, 1, 'kWh per kvm')} i 2018, "
        f"en nedgang på {_pc(a, b)}. Kildens tekst oppgir en nedgang på 3,1{NBSP}%; {DQ}"
    )
    assert "Kildens tekst" not in str(ch.sentence_energibruk(b17))


def test_sentence_energibruk_increase(data_copy):
    _set(data_copy, KPI, "2018,energiforbruk_eiendomsmasse,kommunen", "210.0")
    s = str(ch.sentence_energibruk(va.setup(2018, data_copy)))
    assert s.startswith("Det samlede energiforbruket i kommunens bygg økte fra") and f"en økning på {_pc(201.0, 210.0)}" in s


def test_sentence_fagbrev(b18, b17):
    assert str(ch.sentence_fagbrev(b18)) == "Et kompetanseløft i renholdsenheten har så langt gitt fagbrev i renhold til 25 renholdere."
    assert str(ch.sentence_fagbrev(b17)) == ""


def test_sentence_boliger(b18, b17):
    n17, n18, n16 = (b18.value(AKT, "samlet_antall_boliger", "eiendom", y) for y in (2017, 2018, 2016))
    assert str(ch.sentence_boliger(b18)) == (
        f"Kommunen hadde {fmt_number(n18)} kommunale boliger i 2018, {fmt_number(n18 - n17)} flere enn i 2017 ({fmt_number(n17)}). "
        f"Kildens tekst oppgir 2{NBSP}153 boliger for 2018; {DQ}"
    )
    assert str(ch.sentence_boliger(b17)) == (
        f"Kommunen hadde {fmt_number(n17)} kommunale boliger i 2017, {fmt_number(n17 - n16)} flere enn i 2016 ({fmt_number(n16)})."
    )


def test_sentence_boliger_text_agrees(data_copy):
    _set(data_copy, AKT, "2018,samlet_antall_boliger,eiendom", "2153")
    s = str(ch.sentence_boliger(va.setup(2018, data_copy)))
    assert s == f"Kommunen hadde 2{NBSP}153 kommunale boliger i 2018, 27 flere enn i 2017 (2{NBSP}126)."


def test_sentence_boliger_fewer_and_missing(data_copy):
    _set(data_copy, AKT, "2018,samlet_antall_boliger,eiendom", "2100")
    assert f"26 færre enn i 2017 (2{NBSP}126)" in str(ch.sentence_boliger(va.setup(2018, data_copy)))
    _drop(data_copy, AKT, "2018,samlet_antall_boliger,eiendom")
    _drop_text(data_copy, "kommunale_boliger_2018")
    s = str(ch.sentence_boliger(va.setup(2018, data_copy)))
    assert s == f"Tall for antall kommunale boliger i 2018 foreligger ikke ennå; siste tall er fra 2017 (2{NBSP}126)."


# -- resources over time ----------------------------------------------------------------------------------------------
def test_sentence_aktivitet(b18, b17):
    i15, i17, i18 = (b18.value(AKT, "brutto_investeringsutgifter", "eiendom", y) for y in (2015, 2017, 2018))
    a15, a18 = (b18.value(AKT, "samlet_areal_formalsbygg", "eiendom", y) for y in (2015, 2018))
    assert str(ch.sentence_aktivitet(b18)) == (
        f"Brutto investeringer økte fra {_u(i15, 1, 'mill. kr')} i 2015 til {_u(i18, 1, 'mill. kr')} i 2018, en økning på {_pc(i15, i18)}. "
        f"Bare fra 2017 til 2018 økte investeringene med {_pc(i17, i18)}. "
        f"Samlet areal på formålsbyggene, som Eiendom skal drifte og vedlikeholde, økte fra {_u(a15, 0, 'kvm')} i 2015 "
        f"til {_u(a18, 0, 'kvm')} i 2018, en økning på {_pc(a15, a18)}."
    )
    i16 = b17.value(AKT, "brutto_investeringsutgifter", "eiendom", 2016)
    assert f"Bare fra 2016 til 2017 gikk investeringene ned med {_pc(i16, i17)}." in str(ch.sentence_aktivitet(b17))


def test_sentence_arsverk(b18, b17):
    s = b18.series(ARSVERK, "arsverk", "eiendom")
    ch_ = metrics.change_series(s)
    assert str(ch.sentence_arsverk(b18)) == (
        f"Ressursinnsatsen i Eiendom økte fra {_u(s[2017], 1, 'årsverk')} i 2017 til {_u(s[2018], 1, 'årsverk')} i 2018, "
        f"en økning på {_pc(s[2017], s[2018])}. Årsverkene økte i hvert av de tre siste årene (2015–2018), med mellom "
        f"{fmt_number(min(ch_[y] for y in (2016, 2017, 2018)), 1)} og {fmt_percent(max(ch_[y] for y in (2016, 2017, 2018)), 1)} per år. "
        f"Før det hadde årsverkene gått ned med {fmt_percent(abs(ch_[2015]), 1)} fra 2014 til 2015."
    )
    s17 = str(ch.sentence_arsverk(b17))
    assert f"varierte den årlige endringen mellom {fmt_change_pct(ch_[2015], 1)} og {fmt_change_pct(ch_[2017], 1)}." in s17
    assert "Før det" not in s17  # no 2013 figure


def test_sentence_arsverk_flip(data_copy):
    _set(data_copy, ARSVERK, "2015,arsverk,eiendom", "196.0")
    s = str(ch.sentence_arsverk(va.setup(2018, data_copy)))
    assert f"Før det hadde årsverkene økt med {_pc(194.6, 196.0)} fra 2014 til 2015." in s


def test_sentence_arsverk_mot_investeringer(b18):
    a0, a1 = b18.value(ARSVERK, "arsverk", "eiendom", 2015), b18.value(ARSVERK, "arsverk", "eiendom")
    i0, i1 = b18.value(AKT, "brutto_investeringsutgifter", "eiendom", 2015), b18.value(AKT, "brutto_investeringsutgifter", "eiendom")
    assert str(ch.sentence_arsverk_mot_investeringer(b18)) == (
        f"Fra 2015 til 2018 økte årsverkene i Eiendom med {_pc(a0, a1)}, mens brutto investeringer økte med {_pc(i0, i1)}. "
        "Bemanningen har dermed vokst mindre enn investeringene."
    )


# -- comparison with other municipalities -----------------------------------------------------------------------------
def test_sentence_profil(b18, b17):
    s = str(ch.sentence_profil(b18))
    assert s.startswith(
        f"I 2017 gikk 9,8{NBSP}% av Bærums netto driftsutgifter til eiendomsforvaltning, "
        f"høyere enn snittet i ASSS-nettverket (9,2{NBSP}%). "
        f"Asker lå høyere enn Bærum, med 10,2{NBSP}%."
    )
    assert "men under snittet på drift per kvm og vedlikehold per kvm." in s
    assert s.endswith("KOSTRA-tall for 2018 foreligger ikke ennå; tallene over er de siste i datagrunnlaget.")
    assert "KOSTRA-tall for" not in str(ch.sentence_profil(b17))


def test_sentence_profil_below_average(data_copy):
    _set(data_copy, KOSTRA, "2017,andel_netto_driftsutgifter_eiendomsforvaltning,kommunen", "9.0")
    _set(data_copy, KOSTRA, "2017,drift_per_kvm,kommunen", "700.0")
    s = str(ch.sentence_profil(va.setup(2018, data_copy)))
    assert "lavere enn snittet i ASSS-nettverket" in s and "forvaltningsutgifter per kvm og drift per kvm" in s


def test_sentence_areal(b18):
    assert str(ch.sentence_areal(b18)) == (
        f"Bærum hadde i 2017 4,4{NBSP}kvm formålsbygg per innbygger, mot 4,1{NBSP}kvm i snitt i ASSS-nettverket: "
        f"0,3{NBSP}kvm eller {_pc(4.1, 4.4)} mer. Asker lå høyere enn Bærum, med 4,5{NBSP}kvm per innbygger. "
        f"Bærums areal per innbygger gikk ned fra 4,6{NBSP}kvm i 2013 til 4,4{NBSP}kvm i 2017 og har ligget på 4,4{NBSP}kvm siden 2015. "
        "Tall for 2018 foreligger ikke ennå."
    )


def test_sentence_areal_below_and_rising(data_copy):
    _set(data_copy, KOSTRA, "2017,kvm_formalsbygg_per_innbygger,kommunen", "4.0")
    _set(data_copy, KOSTRA, "2013,kvm_formalsbygg_per_innbygger,kommunen", "3.9")
    s = str(ch.sentence_areal(va.setup(2017, data_copy)))
    assert f"0,1{NBSP}kvm eller {_pc(4.1, 4.0)} mindre." in s
    assert f"Bærums areal per innbygger økte fra 3,9{NBSP}kvm i 2013 til 4,0{NBSP}kvm i 2017." in s
    assert "foreligger ikke" not in s


def test_sentence_energi(b18, b17):
    s = b18.series(ENERGI, "energiforbruk_temperaturkorrigert", "kommunen")
    k = "kWh per kvm"
    assert str(ch.sentence_energi(b18)) == (
        "Det temperaturkorrigerte energiforbruket i kommunale bygg "
        f"gikk ned fra {_u(s[2017], 1, k)} i 2017 til {_u(s[2018], 1, k)} i 2018, "
        f"en nedgang på {_pc(s[2017], s[2018])}. Over hele perioden 2014–2018 gikk forbruket ned med {_pc(s[2014], s[2018])}. "
        f"Kildens tekst oppgir en nedgang på 5,5{NBSP}% for hele perioden; {DQ}"
    )
    assert str(ch.sentence_energi(b17)) == (
        f"Det temperaturkorrigerte energiforbruket i kommunale bygg økte fra {_u(s[2016], 1, k)} i 2016 til {_u(s[2017], 1, k)} i 2017, "
        f"en økning på {_pc(s[2016], s[2017])}. Over hele perioden 2014–2017 gikk forbruket ned med {_pc(s[2014], s[2017])}."
    )


def test_sentence_vedlikehold_profil(b18):
    assert str(ch.sentence_vedlikehold_profil(b18)) == (
        f"Bærum brukte 92,0{NBSP}kr{NBSP}per{NBSP}kvm på vedlikehold i 2017, mot 151,8 i snitt i ASSS-nettverket, "
        f"altså {_pc(151.8, 92.0)} under snittet. "
        f"I nettverket varierte tallet fra 63,0 til 307,0{NBSP}kr{NBSP}per{NBSP}kvm, og Asker lå på 126,0. "
        "KOSTRA-tall for 2018 foreligger ikke ennå; tallene over er de siste i datagrunnlaget."
    )


def test_sentence_vedlikehold_profil_above(data_copy):
    _set(data_copy, KOSTRA, "2017,vedlikehold_per_kvm,kommunen", "160.0")
    assert f"altså {_pc(151.8, 160.0)} over snittet." in str(ch.sentence_vedlikehold_profil(va.setup(2017, data_copy)))


# -- long-term indicators ---------------------------------------------------------------------------------------------
def test_sentence_kpi_status(b18, b17):
    assert (
        str(ch.sentence_kpi_status(b18))
        == "Fra 2015 til 2018 utviklet 2 av de 7 indikatorene seg i ønsket retning, 4 i motsatt retning og 1 var uendret."
    )
    assert str(ch.sentence_kpi_status(b17)) == (
        "Fra 2014 til 2017 utviklet 2 av de 7 indikatorene seg i ønsket retning, 2 i motsatt retning og 2 var uendret. "
        "For 1 indikator mangler det tall til å beregne trenden."
    )


def test_sentence_kpi_status_agrees_with_table(b18):
    t = va.tab_kpi(b18, KPI, id="x", title="x")
    assert t.plain.count(", bedre") == 2 and t.plain.count(", svakere") == 4 and t.plain.count(", uendret") == 1


def test_sentence_kpi_status_flip(data_copy):
    _set(data_copy, KPI, "2018,energiforbruk_eiendomsmasse,kommunen", "190.0")  # trend (190 − 194,4) / 3 < 0: better
    s = str(ch.sentence_kpi_status(va.setup(2018, data_copy)))
    assert s == "Fra 2015 til 2018 utviklet 3 av de 7 indikatorene seg i ønsket retning, 3 i motsatt retning og 1 var uendret."


def test_sentence_kpi_ledighet(b18, b17):
    assert str(ch.sentence_kpi_ledighet(b18)) == (
        f"Den gjennomsnittlige ledigheten i omsorgs- og velferdsboligene gikk ned fra 8,7{NBSP}% i 2015 til 3,7{NBSP}% i 2018, "
        f"en nedgang på 5,0{NBSP}prosentpoeng. "
        f"Trenden de siste tre årene tilsvarer {fmt_number((3.7 - 8.7) / 3, 1, sign=True)}{NBSP}prosentpoeng per år."
    )
    assert str(ch.sentence_kpi_ledighet(b17)) == (
        f"Den gjennomsnittlige ledigheten i omsorgs- og velferdsboligene gikk ned fra 8,7{NBSP}% i 2015 til 6,3{NBSP}% i 2017, "
        f"en nedgang på 2,4{NBSP}prosentpoeng."
    )


def test_sentence_kpi_areal(b18, b17):
    assert str(ch.sentence_kpi_areal(b18)) == (
        "Arealet per barn i de kommunale barnehagene "
        f"økte fra 13,0{NBSP}kvm{NBSP}per{NBSP}barn i 2017 til 15,1{NBSP}kvm{NBSP}per{NBSP}barn i 2018, "
        f"og arealet per elev i skolene økte fra 18,1{NBSP}kvm{NBSP}per{NBSP}elev i 2017 til 18,2{NBSP}kvm{NBSP}per{NBSP}elev i 2018."
    )
    s17 = str(ch.sentence_kpi_areal(b17))
    assert f"var uendret på 13,0{NBSP}kvm{NBSP}per{NBSP}barn fra 2016 til 2017" in s17 and "arealet per elev i skolene gikk ned" in s17


def test_sentence_kpi_energi(b18, b17):
    k = f"kWh{NBSP}per{NBSP}kvm"
    assert str(ch.sentence_kpi_energi(b18)) == (
        "Energiforbruket i eiendomsmassen, slik KPI-tabellen måler det, "
        f"har gått ned hvert år siden 2016, fra 227,0{NBSP}{k} til 195,0{NBSP}{k}. "
        f"Trenden over tre år er likevel +0,2{NBSP}kWh per kvm per år, fordi forbruket i 2018 ligger over nivået i 2015 (194,4{NBSP}{k})."
    )
    assert str(ch.sentence_kpi_energi(b17)) == (
        f"Energiforbruket i eiendomsmassen, slik KPI-tabellen måler det, gikk ned fra 227,0{NBSP}{k} i 2016 til 201,0{NBSP}{k} i 2017, "
        f"en nedgang på {_pc(227.0, 201.0)}. "
        f"Trenden over tre år er {fmt_number((201.0 - 193.3) / 3, 1, sign=True)}{NBSP}kWh per kvm per år."
    )


def test_sentence_kpi_energi_rise(data_copy):
    _set(data_copy, KPI, "2018,energiforbruk_eiendomsmasse,kommunen", "205.0")
    s = str(ch.sentence_kpi_energi(va.setup(2018, data_copy)))
    assert "hvert år" not in s and "økte fra 201,0" in s and "likevel" not in s


def test_sentence_kpi_vedlikehold(b18, data_copy):
    k = f"kr{NBSP}per{NBSP}kvm"
    assert str(ch.sentence_kpi_vedlikehold(b18)) == (
        f"Utgiftene til vedlikehold i eiendomsforvaltningen økte fra 95{NBSP}{k} i 2017 til 120{NBSP}{k} i 2018, "
        f"en økning på {_pc(95, 120)}."
    )
    _set(data_copy, KPI, "2018,utgifter_vedlikehold_per_kvm,kommunen", "90")
    s = str(ch.sentence_kpi_vedlikehold(va.setup(2018, data_copy)))
    assert s.startswith("Utgiftene til vedlikehold i eiendomsforvaltningen gikk ned fra") and f"en nedgang på {_pc(95, 90)}" in s

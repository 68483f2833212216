"""Chapter Organisasjon, styring og utvikling: every sentence function and the table options it needs.

Expected strings are built from the data with ``analysis.present.fmt``, for the real
reporting year 2018, for 2017 (nothing from 2018 may appear), and for modified
copies of ``data/`` where a change flips a direction, removes the reporting
year's figure, moves a text figure into the reporting year, or makes the
source's text agree with its table (then the note about it must go).
"""

import csv
import re
from pathlib import Path

import pytest
from same_facts import drop_partners, set_partners

import analysis as va
from analysis.calc import metrics
from analysis.chapters import osu as ch
from analysis.present.fmt import NBSP, fmt_change_pct, fmt_number, fmt_percent, fmt_unit
from analysis.present.outputs import ChartOutput, Prose
from helpers import edit_matching_line as _edit
from helpers import set_value

UTG, INNT, FORD, ARS, OSA = "osu_driftsutgifter", "osu_driftsinntekter", "osu_driftsutgifter_fordeling", "osu_arsverk", "osa_arsverk"
PROFIL, FASTE, KPI = "adm_tjenesteprofil", "adm_driftsutgifter_2017kr", "adm_kpi"
MILL = f"{NBSP}mill.{NBSP}kr"
KR = f"{NBSP}kr{NBSP}per{NBSP}innbygger"
AV = f"{NBSP}årsverk"
SENTENCES = [getattr(ch, n) for n in ch.__all__ if n.startswith("sentence_")]


def _set(data: Path, dataset: str, key: str, value: str) -> None:
    """Set an observation (``year,indicator,group``), in every dataset that holds the same fact."""
    set_value(data, dataset, key, value)
    set_partners(data, dataset, key, value)


def _drop(data: Path, dataset: str, key: str) -> None:
    """Remove an observation (``year,indicator,group``) and the printed derived values and text claims that refer to it."""
    path = data / f"{dataset}.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    kept = [line for line in lines if not line.startswith(key + ",")]
    assert len(kept) == len(lines) - 1
    path.write_text("\n".join(kept), encoding="utf-8")
    year, ind, grp = key.split(",")
    for side, refers in (
        (
            "printed_derived",
            lambda r: (
                r["dataset"] == dataset
                and r["year"] == year
                and (ind, grp) in ((r["indicator"], r["group"]), (r["base_indicator"], r["base_group"]))
            ),
        ),
        (
            "text_figures",
            lambda r: r["dataset"] == dataset and (r["indicator"], r["group"]) == (ind, grp) and year in (r["year"], r["base_year"]),
        ),
    ):
        p = data / f"{side}.csv"
        text = p.read_text(encoding="utf-8").split("\n")
        header = next(csv.reader([text[0]]))
        keep = [
            line for line in text if not line or line is text[0] or not refers(dict(zip(header, next(csv.reader([line])), strict=True)))
        ]
        p.write_text("\n".join(keep), encoding="utf-8")
    drop_partners(data, dataset, key)


def _text_year(data: Path, id: str, year: int) -> None:
    """Move a text figure to another year."""
    _edit(data / "text_figures.csv", id + ",", lambda line: ",".join(line.split(",")[:2] + [str(year)] + line.split(",")[3:]))


def _v(book, dataset, indicator, group, year=None):
    v = book.value(dataset, indicator, group, year)
    assert v is not None
    return v


def _pct(a: float, b: float) -> str:
    return fmt_percent(abs(metrics.pct_change(a, b)), 1)


# -- every sentence, every year ------------------------------------------------------------


EMPTY_IN_2017 = {"sentence_osa_sum": "the six units add up to the printed total in 2017: nothing to explain"}
"""The sentences that say nothing in 2017 by design, and why; every other sentence says something in both years."""


@pytest.mark.parametrize("fn", SENTENCES, ids=lambda f: f.__name__)
def test_sentences_return_prose_and_show_nothing_from_2018_in_2017(fn, b17, b18):
    out18, out17 = fn(b18), fn(b17)
    assert isinstance(out18, Prose) and isinstance(out17, Prose)
    assert str(out18).strip(), f"{fn.__name__} says nothing in 2018"
    text = str(out17)
    assert bool(text.strip()) is (fn.__name__ not in EMPTY_IN_2017), f"{fn.__name__} in 2017: {text!r}"
    assert "2018" not in text, fn.__name__
    assert "2019" not in text


# -- priorities ------------------------------------------------------------------------------


def test_ett_baerum_leaves_out_a_later_years_figure(b18):
    s = str(ch.sentence_ett_baerum(b18))
    assert "LUP" in s and not re.search(r"\d", s)


def test_ett_baerum_states_the_figure_when_it_is_the_reporting_years(data_copy):
    _text_year(data_copy, "lup_ledergrupper", 2018)
    b = va.setup(2018, data_copy)
    tf = b.text_figure("lup_ledergrupper")
    assert str(ch.sentence_ett_baerum(b)) == (
        f"Et eksempel er ledelsesutviklingsprogrammet LUP, der om lag {fmt_number(tf.value, 0)} ledergrupper hadde deltatt i 2018."
    )


def test_digit_prosjekter(b18, b17):
    tf = b18.text_figure("digit_prosjekter_arsskiftet_2_1")
    assert str(ch.sentence_digit_prosjekter(b18)) == (
        f"Ved utgangen av 2018 var om lag {fmt_number(tf.value, 0)} digitaliseringsprosjekter i gang, "
        "og flere nye idéer utredes i foranalyser."
    )
    assert not re.search(r"\d", str(ch.sentence_digit_prosjekter(b17)))


def test_klimaklok_targets_are_shown_before_their_year(b18, b17):
    reise, energi = b18.target("klimaklok_mal_gronn_reise_2020"), b18.target("klimaklok_mal_energi_2020")
    assert b18.text_figure("klimaklok_mal_gronn_reise_2020") is None  # hidden as an observation ...
    tail = (
        f"målet at {fmt_percent(reise.value, 0)} av de ansatte reiser til jobb med kollektivtransport, sykkel eller til fots i "
        f"{reise.year}, og at energibruken i kommunens bygg skal være {fmt_percent(abs(energi.value), 0)} lavere i {energi.year} "
        f"enn i {energi.base_year}."
    )
    s18, s17 = str(ch.sentence_klimaklok(b18)), str(ch.sentence_klimaklok(b17))
    assert s18.endswith(tail) and s17.endswith(tail)  # ... but a target is known before its year
    samk = b18.text_figure("klimaklok_samkjoring_andel")
    assert f"{fmt_percent(samk.value, 0)} av dem prosjektet nådde" in s18
    assert "Samkjøring" not in s17


def test_klimaklok_energy_target_direction_follows_the_sign(data_copy):
    _edit(data_copy / "text_figures.csv", "klimaklok_mal_energi_2020,", lambda line: line.replace(",2020,-12,", ",2020,5,"))
    assert "skal være 5\u00a0% høyere i 2020" in str(ch.sentence_klimaklok(va.setup(2018, data_copy)))


def test_target_unknown_id(b18):
    with pytest.raises(KeyError):
        b18.target("no_such_target")


def test_kunnskapskommunen_without_and_with_figures(b18, data_copy):
    assert not re.search(r"\d", str(ch.sentence_kunnskapskommunen(b18)))
    for id in ("forskning_partnere_universiteter", "forskning_nye_prosjekter_2019", "forskning_nye_prosjekter_ntnu", "horisont2020_byer"):
        _text_year(data_copy, id, 2018)
    b = va.setup(2018, data_copy)
    s = str(ch.sentence_kunnskapskommunen(b))
    assert "partnerskap med 4 universiteter og høyskoler til" in s
    assert "Høsten 2018 starter 5 nye prosjekter, 4 av dem sammen med NTNU." in s
    assert "der 11 europeiske byer er med" in s


# -- economy ---------------------------------------------------------------------------------


def test_fordeling(b18, b17):
    vals = {g: _v(b18, FORD, "andel_brutto_driftsutgifter", g) for g in ("eiendom", "osa", "digit")}
    assert str(ch.sentence_fordeling(b18)) == (
        f"Av områdets brutto driftsutgifter i 2018 gikk {fmt_percent(vals['eiendom'], 0)} til Eiendom, "
        f"{fmt_percent(vals['osa'], 0)} til Strategisk ledelse, styring og administrasjon og "
        f"{fmt_percent(vals['digit'], 0)} til Digitalisering og IT."
    )
    assert str(ch.sentence_fordeling(b17)) == "Fordelingen av brutto driftsutgifter på områdene er ikke oppgitt for 2017."
    assert isinstance(ch.chart_fordeling(b18), ChartOutput)
    assert isinstance(ch.chart_fordeling(b17), Prose)


def test_fordeling_order_follows_the_data(data_copy):
    _set(data_copy, FORD, "2018,andel_brutto_driftsutgifter,digit", "70")
    _set(data_copy, FORD, "2018,andel_brutto_driftsutgifter,eiendom", "2")
    assert str(ch.sentence_fordeling(va.setup(2018, data_copy))).startswith(
        "Av områdets brutto driftsutgifter i 2018 gikk 70\u00a0% til Digitalisering og IT"
    )


def test_driftsutgifter(b18, b17):
    for b, y in ((b18, 2018), (b17, 2017)):
        br0, br1 = _v(b, UTG, "brutto_driftsutgifter", "osu_total", y - 1), _v(b, UTG, "brutto_driftsutgifter", "osu_total", y)
        ne0, ne1 = _v(b, UTG, "netto_driftsutgifter", "osu_total", y - 1), _v(b, UTG, "netto_driftsutgifter", "osu_total", y)
        lonn = _v(b, UTG, "lonnsutgifter", "osu_total", y)
        assert str(ch.sentence_driftsutgifter(b)) == (
            f"Brutto driftsutgifter økte fra {fmt_unit(br0, 1, 'mill. kr')} i {y - 1} til {fmt_unit(br1, 1, 'mill. kr')} i {y}, "
            f"en økning på {_pct(br0, br1)}. Netto driftsutgifter økte fra {fmt_unit(ne0, 1, 'mill. kr')} i {y - 1} til "
            f"{fmt_unit(ne1, 1, 'mill. kr')} i {y}, en økning på {_pct(ne0, ne1)}. Lønn utgjorde "
            f"{fmt_percent(lonn / br1 * 100, 0)} av brutto driftsutgifter i {y}, andre driftsutgifter resten."
        )


def test_driftsutgifter_direction_flips(data_copy):
    _set(data_copy, UTG, "2018,brutto_driftsutgifter,osu_total", "1600.0")
    s = str(ch.sentence_driftsutgifter(va.setup(2018, data_copy)))
    assert s.startswith(f"Brutto driftsutgifter gikk ned fra 1{NBSP}644,4{MILL} i 2017 til 1{NBSP}600,0{MILL} i 2018, en nedgang på")


def test_driftsutgifter_missing_year(data_copy):
    _drop(data_copy, UTG, "2018,brutto_driftsutgifter,osu_total")
    assert str(ch.sentence_driftsutgifter(va.setup(2018, data_copy))) == (
        f"Tall for områdets brutto driftsutgifter i 2018 foreligger ikke ennå; siste tall er fra 2017 (1{NBSP}644,4{MILL})."
    )


def test_vekst_lonn_andre(b18, b17):
    s = str(ch.sentence_vekst_lonn_andre(b18))
    lonn = metrics.change_series(b18.series(UTG, "lonnsutgifter", "osu_total")).values()
    andre = metrics.change_series(b18.series(UTG, "andre_driftsutgifter", "osu_total")).values()
    assert s.startswith(
        f"Fra 2015 til 2018 varierte den årlige veksten i lønnsutgiftene mellom {fmt_percent(min(lonn), 1)} og "
        f"{fmt_percent(max(lonn), 1)}, og i andre driftsutgifter mellom {fmt_percent(min(andre), 1)} og {fmt_percent(max(andre), 1)}."
    )
    tf = b18.text_figure("andre_driftsutgifter_vekst_max")
    assert (
        f"Kilden oppgir {fmt_percent(tf.value, 1)} som høyeste årlige vekst i andre driftsutgifter, men tabellens tall gir "
        f"{fmt_percent(max(andre), 1)}; {ch.DQ}"
    ) in s
    assert "Kilden" not in str(ch.sentence_vekst_lonn_andre(b17))  # the text's claim is about 2018


def test_vekst_note_goes_when_text_and_table_agree(data_copy):
    _set(data_copy, UTG, "2017,andre_driftsutgifter,osu_total", "1139.4")  # growth 2016–2017 becomes 12,8 %
    assert "Kilden" not in str(ch.sentence_vekst_lonn_andre(va.setup(2018, data_copy)))


def test_driftsinntekter(b18, b17):
    s = b18.series(UTG, "brutto_driftsinntekter", "osu_total")
    total = _v(b18, INNT, "driftsinntekter_sum", "osu_total")
    salg, ref = _v(b18, INNT, "salgsinntekter", "osu_total"), _v(b18, INNT, "refusjoner", "osu_total")
    assert str(ch.sentence_driftsinntekter(b18)) == (
        f"Brutto driftsinntekter økte med {_pct(s[2015], s[2016])} i 2016, {_pct(s[2016], s[2017])} i 2017 og "
        f"{_pct(s[2017], s[2018])} i 2018, til {fmt_unit(s[2018], 1, 'mill. kr')} i 2018. Av driftsinntektene i 2018 var "
        f"salgsinntekter {fmt_percent(salg / total * 100, 0)} og refusjoner {fmt_percent(ref / total * 100, 0)}."
    )
    assert str(ch.sentence_driftsinntekter(b17)).startswith(
        f"Brutto driftsinntekter økte med {_pct(s[2015], s[2016])} i 2016 og {_pct(s[2016], s[2017])} i 2017, til"
    )


def test_driftsinntekter_mixed_directions(data_copy):
    _set(data_copy, UTG, "2017,brutto_driftsinntekter,osu_total", "1000.0")
    b = va.setup(2018, data_copy)
    v = b.series(UTG, "brutto_driftsinntekter", "osu_total")
    assert str(ch.sentence_driftsinntekter(b)).startswith(
        f"Brutto driftsinntekter økte med {_pct(v[2015], v[2016])} i 2016, økte med {_pct(v[2016], v[2017])} i 2017 og "
        f"gikk ned med {_pct(v[2017], v[2018])} i 2018, til"
    )


# -- årsverk ---------------------------------------------------------------------------------


def test_arsverk(b18):
    t = b18.series(ARS, "arsverk", "osu_total")
    s = str(ch.sentence_arsverk(b18))
    assert s.startswith(
        f"Områdets samlede ressursinnsats økte fra {fmt_number(t[2017], 1)}{AV} i 2017 til {fmt_number(t[2018], 1)}{AV} i 2018, "
        f"en økning på {_pct(t[2017], t[2018])}."
    )
    d = b18.series(ARS, "arsverk", "digit")
    o = b18.series(ARS, "arsverk", "osa")
    assert f"Årsverkene økte i Digitalisering og IT ({fmt_change_pct(metrics.pct_change(d[2017], d[2018]))})" in s
    assert f"gikk ned i Strategisk ledelse, styring og administrasjon ({fmt_change_pct(metrics.pct_change(o[2017], o[2018]))})" in s
    assert f"Over hele perioden 2014–2018 økte ressursinnsatsen fra {fmt_number(t[2014], 1)}{AV} i 2014" in s
    assert f"kom fra 2016 til 2017 ({fmt_change_pct(metrics.pct_change(t[2016], t[2017]))}). Det var året da stab- og støtte" in s


def test_arsverk_direction_flips(data_copy):
    _set(data_copy, ARS, "2018,arsverk,digit", "80.0")
    _set(data_copy, ARS, "2018,arsverk,osu_total", "600.0")
    s = str(ch.sentence_arsverk(va.setup(2018, data_copy)))
    assert s.startswith(f"Områdets samlede ressursinnsats gikk ned fra 635,9{AV} i 2017 til 600,0{AV} i 2018")
    assert "Årsverkene økte i Eiendom" in s and "gikk ned i Strategisk ledelse, styring og administrasjon" in s
    assert "Digitalisering og IT (−6,8\u00a0%)" in s


def test_arsverk_missing_year(data_copy):
    _drop(data_copy, ARS, "2018,arsverk,osu_total")
    assert str(ch.sentence_arsverk(va.setup(2018, data_copy))).startswith(
        "Tall for områdets årsverk i 2018 foreligger ikke ennå; siste tall er fra 2017"
    )


def test_sykefravaer_omrade(b18, b17):
    tf = b18.text_figure("sykefravar_maltall_2_2_3")
    assert str(ch.sentence_sykefravaer_omrade(b18)).endswith(f"under kommunens måltall på {fmt_percent(tf.value, 0)}.")
    assert str(ch.sentence_sykefravaer_omrade(b17)) == "Kilden viser sykefraværet i områdets tjenester bare i en figur uten tall."


# -- administration compared -------------------------------------------------------------------


def test_tjenesteprofil(b18, b17):
    adm = "brutto_driftsutgifter_administrasjon_per_innbygger"
    b, a, k = (_v(b18, PROFIL, adm, g, 2017) for g in ("kommunen", "asss_snitt", "asker"))
    s = str(ch.sentence_tjenesteprofil(b18))
    assert s.startswith(f"I 2017 lå Bærum over ASSS-snittet på administrasjon ({fmt_number(b, 0)} mot {fmt_number(a, 0)}{KR})")
    assert f"På administrasjon brukte Bærum mer enn Asker, som hadde {fmt_number(k, 0)}{KR}." in s
    assert s.endswith("Sammenligningen for 2018 er ikke med i datagrunnlaget.")
    assert "datagrunnlaget" not in str(ch.sentence_tjenesteprofil(b17))


def test_tjenesteprofil_direction_flips(data_copy):
    _set(data_copy, PROFIL, "2017,brutto_driftsutgifter_administrasjon_per_innbygger,kommunen", "2900")
    s = str(ch.sentence_tjenesteprofil(va.setup(2018, data_copy)))
    assert f"administrasjon (2{NBSP}900 mot 2{NBSP}998{KR})" in s.split("under snittet på")[1]
    assert "brukte Bærum mindre enn Asker" in s


def test_adm_faste_kroner(b18, b17):
    s = b18.series(FASTE, ch.ADM_2017KR, "kommunen")
    head = (
        f"Utgiftene til administrasjon per innbygger, målt i faste kroner, gikk ned fra {fmt_number(s[2016], 0)}{KR} i 2016 til "
        f"{fmt_number(s[2017], 0)}{KR} i 2017, en nedgang på {_pct(s[2016], s[2017])}. I årene 2013–2016 lå nivået mellom "
        f"{fmt_number(min(s[y] for y in range(2013, 2017)), 0)} og {fmt_number(max(s[y] for y in range(2013, 2017)), 0)}{KR}."
    )
    assert str(ch.sentence_adm_faste_kroner(b17)) == head
    assert str(ch.sentence_adm_faste_kroner(b18)) == head + " Serien i faste kroner går bare til 2017; tall for 2018 foreligger ikke."


def test_adm_brudd_direction_and_years(data_copy, b18):
    assert str(ch.sentence_adm_brudd(b18)).startswith("Nedgangen fra 2016 til 2017 skyldes")
    assert str(ch.sentence_adm_brudd(va.setup(2016))) == ""
    _set(data_copy, FASTE, "2017,brutto_driftsutgifter_administrasjon_per_innbygger_2017kr,kommunen", "4000")
    b = va.setup(2018, data_copy)
    assert str(ch.sentence_adm_brudd(b)).startswith("Økningen fra 2016 til 2017")
    assert "gikk ned" not in str(ch.sentence_adm_faste_kroner(b))


def test_adm_to_serier(b18, data_copy):
    k, a = _v(b18, KPI, ch.ADM_KPI, "kommunen", 2017), _v(b18, FASTE, ch.ADM_2017KR, "kommunen", 2017)
    assert str(ch.sentence_adm_to_serier(b18)) == (
        f"KPI-tabellen nedenfor bruker en annen serie med samme navn: der er tallet {fmt_number(k, 0)}{KR} for 2017, "
        f"mot {fmt_number(a, 0)} i tabellen over. Kilden forklarer ikke forskjellen; {ch.DQ}"
    )
    _set(data_copy, KPI, "2017,kpi_brutto_driftsutgifter_administrasjon_per_innbygger,kommunen", str(int(a)))
    assert str(ch.sentence_adm_to_serier(va.setup(2018, data_copy))) == ""


def test_tab_adm_faste_kroner_names_the_price_base(b18):
    t = ch.tab_adm_faste_kroner(b18)
    assert b18.label(ch.ADM_2017KR) in t.plain and "2013–2017" in t.plain


# -- KPIs ------------------------------------------------------------------------------------


def test_kpi_administrasjon(b18):
    s = b18.series(KPI, ch.ADM_KPI, "kommunen")
    e = b18.series(KPI, ch.EIENDOM_KPI, "kommunen")
    assert str(ch.sentence_kpi_administrasjon(b18)) == (
        f"Brutto driftsutgifter til administrasjon per innbygger gikk ned fra {fmt_number(s[2017], 0)}{KR} i 2017 til "
        f"{fmt_number(s[2018], 0)}{KR} i 2018, en nedgang på {_pct(s[2017], s[2018])}. Fra 2015 til 2018 gikk utgiftene i snitt "
        f"ned med {fmt_number(abs(metrics.trend3(s, 2018)), 0)}{KR} per år, i den retningen målet peker. Forvaltningsutgiftene i "
        f"eiendomsforvaltningen økte fra {fmt_number(e[2014], 0)}{KR} i 2014 til {fmt_number(e[2018], 0)}{KR} i 2018, en økning "
        f"på {_pct(e[2014], e[2018])}."
    )


def test_kpi_administrasjon_against_the_target(data_copy):
    _set(data_copy, KPI, "2018,kpi_brutto_driftsutgifter_administrasjon_per_innbygger,kommunen", "4000")
    s = str(ch.sentence_kpi_administrasjon(va.setup(2018, data_copy)))
    assert f"økte fra 3{NBSP}329{KR} i 2017 til 4{NBSP}000{KR} i 2018" in s
    assert "gikk utgiftene i snitt opp med 52" in s and "mot målets retning" in s


def test_kpi_sykefravaer(b18, b17, data_copy):
    tf = b18.text_figure("sykefravar_mal_2_2_5")
    s = str(ch.sentence_kpi_sykefravaer(b18))
    assert s.startswith("Det totale sykefraværet i kommunen gikk ned fra 7,5\u00a0% i 2017 til 7,3\u00a0% i 2018")
    assert s.endswith(f"Målet om et sykefravær på høyst {fmt_percent(tf.value, 0)} ble ikke nådd.")
    assert "Målet" not in str(ch.sentence_kpi_sykefravaer(b17))
    _set(data_copy, KPI, "2018,sykefravar_total,kommunen", "6.9")
    assert str(ch.sentence_kpi_sykefravaer(va.setup(2018, data_copy))).endswith("ble nådd.")


def test_kpi_heltid(b18, b17, data_copy):
    h0, h1 = b18.text_figure("andel_heltid_2017_2_2_5"), b18.text_figure("andel_heltid_2018_2_2_5")
    over = b18.text_figure("andel_stilling_over_80_2018_2_2_5")
    d = b18.series(KPI, "andel_deltid_under_80", "kommunen")
    assert str(ch.sentence_kpi_heltid(b18)) == (
        f"Andelen ansatte med hel stilling økte fra {fmt_percent(h0.value, 0)} i 2017 til {fmt_percent(h1.value, 0)} i 2018. "
        f"{b18.label('andel_stilling_over_80')} var {fmt_percent(over.value, 0)} i 2018. {b18.label('andel_deltid_under_80')} "
        f"gikk ned fra {fmt_percent(d[2017], 0)} i 2017 til {fmt_percent(d[2018], 0)} i 2018, en nedgang på "
        f"{fmt_number(d[2017] - d[2018], 1)}{NBSP}prosentpoeng."
    )
    assert str(ch.sentence_kpi_heltid(b17)).startswith(f"Andelen ansatte med hel stilling var {fmt_percent(h0.value, 0)} i 2017.")
    _drop(data_copy, KPI, "2018,andel_deltid_under_80,kommunen")
    assert "mindre enn 80 %) i 2018 foreligger ikke ennå; siste tall er fra 2017" in str(ch.sentence_kpi_heltid(va.setup(2018, data_copy)))


def test_kpi_sokere(b18, data_copy):
    n, g = b18.text_figure("utlyste_stillinger_2018_2_2_5"), b18.text_figure("utlyste_stillinger_vekst_2018")
    s = str(ch.sentence_kpi_sokere(b18))
    assert s.startswith("Gjennomsnittlig antall søkere per stilling gikk ned fra 14 i 2017 til 11 i 2018")
    assert s.endswith(f"Kommunen lyste ut {fmt_number(n.value, 0)} stillinger i 2018, {fmt_percent(g.value, 0)} flere enn året før.")
    _set(data_copy, KPI, "2018,sokere_per_stilling,kommunen", "15")
    assert str(ch.sentence_kpi_sokere(va.setup(2018, data_copy))).startswith(
        "Gjennomsnittlig antall søkere per stilling økte fra 14 i 2017 til 15"
    )


def test_kpi_efaktura(b18, data_copy):
    s = b18.series(KPI, "andel_inngaende_efaktura", "kommunen")
    assert str(ch.sentence_kpi_efaktura(b18)) == (
        f"Andelen inngående fakturaer som kom som e-faktura økte fra {fmt_percent(s[2017], 0)} i 2017 til "
        f"{fmt_percent(s[2018], 0)} i 2018, en økning på {fmt_number(s[2018] - s[2017], 1)}{NBSP}prosentpoeng."
    )
    _drop(data_copy, KPI, "2018,andel_inngaende_efaktura,kommunen")
    assert "i 2018 foreligger ikke ennå; siste tall er fra 2017" in str(ch.sentence_kpi_efaktura(va.setup(2018, data_copy)))


# -- Organisasjon, styring og administrasjon -----------------------------------------------


def test_turnover(b18, b17):
    tf = b18.text_figure("turnover_2018")
    assert f"en turnover på nær {fmt_percent(tf.value, 0)} i 2018" in str(ch.sentence_turnover(b18))
    assert not re.search(r"\d", str(ch.sentence_turnover(b17)))


def test_stab_stotte(b18, b17):
    tf = b18.text_figure("stab_stotte_reduksjon_arsverk")
    for b in (b18, b17):
        s = str(ch.sentence_stab_stotte(b))
        assert s.startswith("Fra september 2017 ble stab- og støttetjenestene samlet")
        assert s.endswith(f"reduserte innsatsen på disse oppgavene med om lag {fmt_number(tf.value, 0)}{AV}.")
    assert str(ch.sentence_stab_stotte(va.setup(2016))) == ""


def test_osa_arsverk(b18, data_copy):
    t = b18.series(ARS, "arsverk", "osa")
    oko = b18.series(OSA, "arsverk", "okonomi_og_virksomhetsstyring")
    led = b18.series(OSA, "arsverk", "strategisk_ledelse")
    assert str(ch.sentence_osa_arsverk(b18)) == (
        f"Samlet ressursinnsats i enhetene gikk ned fra {fmt_number(t[2017], 1)}{AV} i 2017 til {fmt_number(t[2018], 1)}{AV} i 2018, "
        f"en nedgang på {_pct(t[2017], t[2018])}. Fra 2017 til 2018 hadde Økonomi og virksomhetsstyring den største økningen "
        f"({fmt_number(oko[2018] - oko[2017], 1, sign=True)} årsverk), og Strategisk ledelse den største nedgangen "
        f"({fmt_number(led[2018] - led[2017], 1)} årsverk)."
    )
    _set(data_copy, ARS, "2018,arsverk,osa", "350.0")
    _set(data_copy, OSA, "2018,arsverk,strategisk_ledelse", "45.0")
    s = str(ch.sentence_osa_arsverk(va.setup(2018, data_copy)))
    assert s.startswith(f"Samlet ressursinnsats i enhetene økte fra 342,2{AV} i 2017 til 350,0{AV} i 2018")
    assert "hadde Økonomi og virksomhetsstyring den største økningen" in s and "HR og service den største nedgangen" in s


def _osa_table(book) -> str:
    """The units' table as the notebook builds it (section 3.2.1)."""
    groups = [*ch.OSA_UNITS, "osa"]
    return va.tab_series(
        book, OSA, id="t", title="T", indicators="arsverk", groups=groups, total=("arsverk", "osa"), total_dataset=ARS,
        annual_change_of=("arsverk", "osa"), labels={"osa": "Sum årsverk"},
    ).csv  # fmt: skip


def test_osa_arsverk_says_when_the_units_figures_are_not_there_yet(b18, data_copy):
    """#11: the units' table ends before the reporting year (a copy of data/ without the six units' figures for 2018)."""
    for g in ch.OSA_UNITS:
        _drop(data_copy, OSA, f"2018,arsverk,{g}")
    b = va.setup(2018, data_copy)
    last = max(b.years(OSA))
    assert last < b.year and _osa_table(b).splitlines()[0].startswith(f";2014;2015;2016;{last};")
    s = str(ch.sentence_osa_arsverk(b))
    t = b.series(ARS, "arsverk", "osa")
    assert s == (
        f"Samlet ressursinnsats i enhetene gikk ned fra {fmt_number(t[2017], 1)}{AV} i 2017 til {fmt_number(t[2018], 1)}{AV} i 2018, "
        f"en nedgang på {_pct(t[2017], t[2018])}. Tallene for de enkelte enhetene i {b.year} foreligger ikke ennå; "
        f"tabellen over går derfor bare til {last}."
    )
    assert str(ch.sentence_osa_sum(b)) == ""
    assert "foreligger ikke" not in str(ch.sentence_osa_arsverk(b18))  # the real 2018 has every unit


def test_osa_arsverk_names_a_unit_whose_figure_is_missing(data_copy):
    _drop(data_copy, OSA, "2018,arsverk,kemneren_asker_baerum")
    b = va.setup(2018, data_copy)
    assert str(ch.sentence_osa_arsverk(b)).endswith(f"Tall for {b.group_label('kemneren_asker_baerum')} i 2018 foreligger ikke ennå.")


def test_osa_sentralisering(b18, b17, data_copy):
    hr = b18.series(OSA, "arsverk", "hr_og_service")
    oko = b18.series(OSA, "arsverk", "okonomi_og_virksomhetsstyring")
    head = (
        f"Fra 2016 til 2017 økte årsverkene i HR og service fra {fmt_number(hr[2016], 1)} til {fmt_number(hr[2017], 1)} og i "
        f"Økonomi og virksomhetsstyring fra {fmt_number(oko[2016], 1)} til {fmt_number(oko[2017], 1)}, da stab- og "
        "støttefunksjoner fra hele kommunen ble samlet der."
    )
    assert str(ch.sentence_osa_sentralisering(b17)) == head
    assert str(ch.sentence_osa_sentralisering(b18)) == head + " Tiltaket kom høsten 2017 og fikk full effekt for hele året først i 2018."
    _set(data_copy, OSA, "2017,arsverk,hr_og_service", "150.0")
    s = str(ch.sentence_osa_sentralisering(va.setup(2017, data_copy)))
    assert s == (
        f"Fra 2016 til 2017 gikk årsverkene ned i HR og service fra {fmt_number(hr[2016], 1)} til 150,0, mens de økte i "
        f"Økonomi og virksomhetsstyring fra {fmt_number(oko[2016], 1)} til {fmt_number(oko[2017], 1)}."
    )


def test_osa_sum(b18, b17, data_copy):
    parts = sum(_v(b18, OSA, "arsverk", g) for g in ch.OSA_UNITS)
    total = _v(b18, ARS, "arsverk", "osa")
    assert str(ch.sentence_osa_sum(b18)) == (
        f"Enhetene summerer til {fmt_number(parts, 1)}{AV} i 2018, mens kildens sum er {fmt_number(total, 1)}, "
        f"et avvik som avrunding av tallene kan forklare; {ch.DQ}"
    )
    assert str(ch.sentence_osa_sum(b17)) == ""  # 2017: the parts add up to the printed sum
    _set(data_copy, ARS, "2018,arsverk,osa", "345.0")
    assert "større enn avrunding kan forklare" in str(ch.sentence_osa_sum(va.setup(2018, data_copy)))


# -- the table options this chapter added to tab_series / tab_kpi ----------------------------


def test_tab_series_share_column(b18, b17):
    kw = dict(
        id="x",
        title="x",
        indicators=["brutto_driftsutgifter", "lonnsutgifter", "andre_driftsutgifter"],
        groups="osu_total",
        share_of=("brutto_driftsutgifter", "osu_total"),
        share_rows=["lonnsutgifter", "andre_driftsutgifter"],
    )
    rows = va.tab_series(b18, UTG, **kw).csv.splitlines()
    assert rows[0].startswith(";2015;2016;2017;2018;Endring 2017–2018;Andel 2018;")
    assert ";+12,8%;32%;" in rows[2] and ";68%;" in rows[3] and ";+10,0%;;" in rows[1]
    assert ";Andel 2017;" in va.tab_series(b17, UTG, **kw).csv.splitlines()[0]


def test_tab_series_total_from_another_dataset(b18):
    t = va.tab_series(
        b18,
        OSA,
        id="x",
        title="x",
        indicators="arsverk",
        groups=["hr_og_service", "osa"],
        total=("arsverk", "osa"),
        total_dataset=ARS,
        annual_change_of=("arsverk", "osa"),
        labels={"osa": "Sum årsverk"},
    )
    rows = t.csv.splitlines()
    assert rows[2].startswith("Sum årsverk;278,9;282,7;283,9;342,2;340,5;-0,5%;")
    assert rows[3].startswith("Årlig endring;–;+1,4%;+0,4%;+20,5%;-0,5%;")


def test_tab_kpi_keeps_the_given_order(b18):
    order = ["andel_inngaende_efaktura", "sykefravar_total", "no_such_kpi"]
    rows = va.tab_kpi(b18, KPI, id="x", title="x", indicators=order).csv.splitlines()
    assert [r.split(";")[0] for r in rows[1:]] == ["Andel inngående Efaktura", "Totalt sykefravær"]

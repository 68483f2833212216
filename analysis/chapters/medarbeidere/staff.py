"""*Medarbeidere*: sentences about staff, age, turnover, recruitment, pensions, competence, apprentices and position size.

Two kinds of text figures are used differently:

* a figure that describes a state in a given year (a grant, a share, a target)
  is only shown when it is about the reporting year (``text_figure_this_year``), so a later
  run never presents it as that year's figure;
* a figure tied to an event (KS changed its guidance in a year) is shown with
  its own year for every reporting year from that year on.
"""

from __future__ import annotations

from analysis.chapters.medarbeidere.common import KOMMUNEN, SECTORS, break_year, inngangen, previous_year, word
from analysis.data.book import Book
from analysis.present.fmt import NBSP, fmt_number, fmt_percent, fmt_text_figure, fmt_val
from analysis.present.outputs import Prose
from analysis.present.text import (
    capitalize,
    describe_change,
    list_nb,
    paragraph,
    plural,
    sentence_change,
    sentence_missing,
    text_figure_this_year,
    verb_change,
)

__all__ = [
    "sentence_bemanning",
    "sentence_endringer",
    "sentence_alder",
    "sentence_turnover",
    "sentence_sokere",
    "sentence_utlyste",
    "sentence_pensjon",
    "sentence_kompetanse",
    "sentence_faglaerte",
    "sentence_laerlinger",
    "sentence_laerlinger_ks",
    "sentence_stipend",
    "sentence_heltid",
]


def sentence_bemanning(book: Book) -> Prose:
    """Årsverk and persons at the start of the year after the reporting year.

    Returns
    -------
    Prose : the staff figures, their change from the year before when it exists,
        or a note that the reporting year's figures are not available yet.
    """
    ds, t = "hr_medarbeidere", book.year
    arsverk = book.value(ds, "arsverk", KOMMUNEN)
    fast = book.value(ds, "personer_fast_ansatte", KOMMUNEN)
    timel = book.value(ds, "personer_timelonnede", KOMMUNEN)
    total = book.value(ds, "personer_arbeidsforhold", KOMMUNEN)
    if arsverk is None and fast is None:
        return Prose(f"Tall for antall årsverk og medarbeidere {inngangen(t)} foreligger ikke ennå.")
    parts = []
    if arsverk is not None:
        head = f"{capitalize(inngangen(t))} hadde kommunen {fmt_val(book, 'arsverk', arsverk, decimals=0)} med fast ansatte"
        parts.append(head + (f", fordelt på {fmt_number(fast, 0)} personer." if fast is not None else "."))
    else:
        parts.append(f"{capitalize(inngangen(t))} hadde kommunen {fmt_number(fast, 0)} fast ansatte.")
    if timel is not None:
        parts.append(f"I tillegg var {fmt_number(timel, 0)} {plural(timel, 'person', 'personer')} timelønnet.")
    if total is None and fast is not None and timel is not None:
        total = fast + timel
    if total is not None:
        parts.append(f"Til sammen hadde {fmt_number(total, 0)} personer et arbeidsforhold i kommunen.")
    prev = book.value(ds, "arsverk", KOMMUNEN, t - 1)
    if prev is not None and arsverk is not None:
        verb = verb_change(prev, arsverk, 0)
        if verb == "var uendret":
            parts.append(f"Antallet årsverk var det samme {inngangen(t - 1)}.")
        else:
            parts.append(f"Antallet årsverk {verb} fra {fmt_number(prev, 0)} {inngangen(t - 1)}.")
    return paragraph(*parts)


def sentence_endringer(book: Book) -> Prose:
    """Organisational changes the source says affect the reporting year's HR statistics (only for that year)."""
    if text_figure_this_year(book, "arsverk_fast_ansatte") is None:
        return Prose("")
    return Prose(
        f"Statistikken for {book.year} er påvirket av to endringer: kommunalsjefområdet Barn og unge ble lagt ned, og avlastere "
        "gikk fra å være oppdragstakere til å bli ansatte. Det samme gjaldt delvis for brukerstyrt personlig assistanse (BPA)."
    )


def sentence_alder(book: Book) -> Prose:
    """Average age in the reporting year, against the latest earlier year, and by sex."""
    ds, t = "hr_medarbeidere", book.year
    missing = sentence_missing(book, ds, "gjennomsnittsalder", KOMMUNEN, subject="medarbeidernes gjennomsnittsalder")
    if missing:
        return missing
    v = book.value(ds, "gjennomsnittsalder", KOMMUNEN)
    parts = [f"Medarbeiderne var i gjennomsnitt {fmt_val(book, 'gjennomsnittsalder', v)} gamle i {t}."]
    y0 = previous_year(book, ds, "gjennomsnittsalder", KOMMUNEN)
    if y0 is not None:
        v0 = book.value(ds, "gjennomsnittsalder", KOMMUNEN, y0)
        verb = verb_change(v0, v, 1, up="høyere", down="lavere", same="det samme")
        if verb == "det samme":
            parts.append(f"Det er det samme som i {y0}.")
        else:
            parts.append(f"Det er {fmt_number(abs(v - v0), 1)}{NBSP}år {verb} enn i {y0} ({fmt_val(book, 'gjennomsnittsalder', v0)}).")
    m = book.value(ds, "gjennomsnittsalder_menn", KOMMUNEN)
    k = book.value(ds, "gjennomsnittsalder_kvinner", KOMMUNEN)
    if m is not None and k is not None:
        parts.append(
            f"Mennene var i snitt {fmt_val(book, 'gjennomsnittsalder_menn', m)} "
            f"og kvinnene {fmt_val(book, 'gjennomsnittsalder_kvinner', k)}."
        )
    if text_figure_this_year(book, "gjennomsnittsalder_2018") is not None:
        parts.append("Ifølge kilden er medarbeiderne i Bærum yngre enn i kommunesektoren ellers i landet.")
    return paragraph(*parts)


def sentence_turnover(book: Book) -> Prose:
    """Turnover for the municipality and the named areas, with the area that changed most."""
    ds, t = "hr_turnover", book.year
    parts = [str(sentence_change(book, ds, "turnover", KOMMUNEN, subject="turnover for kommunen samlet"))]
    changes = {}
    for g in SECTORS:
        desc = describe_change(book, ds, "turnover", g)
        if desc is None:
            continue
        s = book.series(ds, "turnover", g)
        sentence = f"Turnover i {book.group_label(g)} {desc}"
        first = min(s)
        y0 = previous_year(book, ds, "turnover", g)
        if y0 is not None and first < y0:
            sentence += f"; i {first} var den {fmt_val(book, 'turnover', s[first])}"
        parts.append(sentence + ".")
        if t - 1 in s:
            changes[g] = s[t] - s[t - 1]
    if len(changes) > 1:
        g = max(changes, key=lambda k: abs(changes[k]))
        parts.append(
            f"Av områdene med tall endret turnover seg mest i {book.group_label(g)} "
            f"({fmt_number(changes[g], 1, sign=True)}{NBSP}prosentpoeng)."
        )
    lo, hi = text_figure_this_year(book, "turnover_variasjon_min"), text_figure_this_year(book, "turnover_variasjon_max")
    if lo is not None and hi is not None:
        parts.append(
            f"Ifølge kilden har turnover de siste årene endret seg med mellom {fmt_number(lo.value, lo.decimals)} og "
            f"{fmt_number(hi.value, hi.decimals)}{NBSP}prosentpoeng fra ett år til det neste, og rådmannen vurderer nivået som akseptabelt."
        )
    return paragraph(*parts)


def sentence_sokere(book: Book) -> Prose:
    """Applicants per advertised position in the reporting year against the two years before, and the run of changes."""
    ds, ind, t = "hr_rekruttering", "sokere_per_stilling", book.year
    missing = sentence_missing(book, ds, ind, KOMMUNEN, subject="antall søkere per stilling")
    if missing:
        return missing
    s = book.series(ds, ind, KOMMUNEN)
    v = s[t]
    earlier = sorted((y for y in s if y < t), reverse=True)[:2]
    head = f"I gjennomsnitt var det {fmt_number(v, 0)} {plural(v, 'søker', 'søkere')} per utlyst stilling i {t}"
    if earlier:
        head += ", mot " + list_nb([f"{fmt_number(s[y], 0)} i {y}" for y in earlier])
    parts = [head + "."]
    if t - 1 in s:
        verb = verb_change(s[t - 1], v, 0)
        run, y = 0, t
        while y - 1 in s and verb_change(s[y - 1], s[y], 0) == verb:
            run, y = run + 1, y - 1
        if verb == "var uendret":
            parts.append("Antallet var dermed det samme som året før.")
        elif run >= 2:
            parts.append(f"Antallet har dermed {'gått ned' if verb == 'gikk ned' else 'økt'} {word(run)} år på rad.")
        else:
            parts.append(f"Antallet {'økte dermed' if verb == 'økte' else 'gikk dermed ned'} fra året før.")
    return paragraph(*parts)


def sentence_utlyste(book: Book) -> Prose:
    """Advertised positions in the reporting year, with the change the source states when the year before is not in the data."""
    ds, ind, t = "hr_rekruttering", "utlyste_stillinger", book.year
    v = book.value(ds, ind, KOMMUNEN)
    if v is None:
        return Prose(f"Antall utlyste stillinger i {t} foreligger ikke ennå.")
    head = f"Kommunen lyste ut {fmt_number(v, 0)} {plural(v, 'stilling', 'stillinger')} i {t}"
    prev = book.value(ds, ind, KOMMUNEN, t - 1)
    if prev is not None:
        return Prose(f"Antall utlyste stillinger {describe_change(book, ds, ind, KOMMUNEN, t - 1, t)}.")
    tf = text_figure_this_year(book, "utlyste_stillinger_endring_2018")
    if tf is not None:
        more = "flere" if tf.value > 0 else "færre"
        head += f", ifølge kilden {fmt_percent(abs(tf.value), tf.decimals)} {more} enn året før (tallet for året før er ikke oppgitt)"
    return Prose(head + ".")


def sentence_pensjon(book: Book) -> Prose:
    """Pension withdrawals: graded AFP among teachers in SPK, and the reach of the new public pension (reporting year only)."""
    afp, ny = text_figure_this_year(book, "laerere_spk_gradert_afp"), text_figure_this_year(book, "ny_pensjonsordning_andel")
    parts = []
    if afp is not None:
        parts.append(
            f"Uttaket av AFP økte i {afp.year}, fordi store årskull nå kan gå av helt eller delvis. Av lærerne i Statens pensjonskasse "
            f"valgte {fmt_text_figure(afp)} gradert AFP, og stadig flere ansatte velger delvis AFP. Uttaket av "
            "alderspensjon var stabilt, og "
            "uførepensjonene økte bare litt. Pensjonsleverandørene melder også at flere ansatte kommer tilbake i arbeid etter en periode "
            "med uførepensjon."
        )
    if ny is not None:
        near = "nær " if ny.approximate else ""
        parts.append(f"Den nye offentlige tjenestepensjonen vil omfatte {near}{fmt_text_figure(ny)} av kommunens ansatte.")
    return paragraph(*parts)


def sentence_kompetanse(book: Book) -> Prose:
    """Unskilled, skilled workers and (computed) the rest with higher education, for the reporting year."""
    ds, t = "hr_kompetanse", book.year
    u, f = book.value(ds, "andel_ufaglaerte", KOMMUNEN), book.value(ds, "andel_fagarbeidere", KOMMUNEN)
    if u is None or f is None:
        return Prose(f"Tall for kompetansesammensetningen i kommunen i {t} foreligger ikke ennå.")
    rest = 100 - u - f
    return Prose(
        f"I {t} var {fmt_percent(u, 1)} av medarbeiderne ufaglærte og {fmt_percent(f, 1)} fagarbeidere. "
        f"De øvrige, {fmt_percent(rest, 1)}, har utdanning fra høyskole eller universitet."
    )


def sentence_faglaerte(book: Book) -> Prose:
    """Qualified staff in kindergartens (with the break in comparability) and in Pleie og omsorg."""
    ds, ind, t = "hr_kompetanse", "andel_faglaerte", book.year
    parts = []
    s = book.series(ds, ind, "oppvekst_barnehage")
    brk = break_year(book)
    comparable = sorted(y for y in s if brk is None or y < brk)
    if len(comparable) > 1:
        y0, y1 = comparable[0], comparable[-1]
        parts.append(
            f"Andelen faglærte i Oppvekst barnehage {describe_change(book, ds, ind, 'oppvekst_barnehage', y0, y1)}. "
            "Det skyldes at assistenter bevisst er erstattet med fagarbeidere."
        )
    elif comparable:
        parts.append(f"I Oppvekst barnehage var andelen faglærte {fmt_val(book, ind, s[comparable[-1]])} i {comparable[-1]}.")
    if brk is not None and t in s:
        parts.append(
            f"Fra {brk} hører også barnevern og helsetjenester for barn og unge til området, så andelen på {fmt_val(book, ind, s[t])} "
            f"i {t} kan ikke sammenlignes med årene før {brk}."
        )
    p = book.value(ds, ind, "pleie_og_omsorg")
    if p is not None:
        parts.append(f"I Pleie og omsorg var andelen faglærte {fmt_val(book, ind, p)} i {t}.")
        if text_figure_this_year(book, "faglaerte_pleie_omsorg_2018") is not None:
            parts.append(
                "Andelen har økt gradvis, og det er gruppen med høyskoleutdanning som har vokst, mens fagarbeidere og ufaglærte er "
                "blitt noe færre det siste året – et resultat av en bevisst satsing på kompetanse i tjenesten."
            )
    else:
        parts.append(f"Tall for andelen faglærte i Pleie og omsorg i {t} foreligger ikke ennå.")
    return paragraph(*parts)


def sentence_laerlinger(book: Book) -> Prose:
    """Apprentices in the reporting year against the year before and the first year of the series."""
    ds, ind = "hr_laerlinger", "antall_laerlinger"
    s = book.series(ds, ind, KOMMUNEN)
    parts = [str(sentence_change(book, ds, ind, KOMMUNEN, subject="antallet lærlinger"))]
    if book.year in s and len(s) > 2:
        first = min(s)
        diff = s[book.year] - s[first]
        word = "færre" if diff > 0 else "flere"
        parts.append(
            f"Ved starten av perioden, i {first}, var det {fmt_number(s[first], 0)} lærlinger"
            + (f", altså {fmt_number(abs(diff), 0)} {word} enn i {book.year}." if diff else f", like mange som i {book.year}.")
        )
    return paragraph(*parts)


def sentence_laerlinger_ks(book: Book) -> Prose:
    """KS guidance on apprentices per thousand inhabitants (an event: shown with its year from that year on)."""
    old, new = book.text_figure("ks_foring_laerlinger_tidligere"), book.text_figure("ks_foring_laerlinger_2018")
    if old is None or new is None:
        return Prose("")
    return Prose(
        f"KS har tidligere anbefalt at kommunene har {fmt_text_figure(old)} "
        f"{plural(old.value, 'lærling', 'lærlinger')} per tusen innbyggere. "
        f"I {new.year} ble anbefalingen endret til {fmt_text_figure(new)} per tusen innbyggere."
    )


def sentence_stipend(book: Book) -> Prose:
    """Yearly grants for further education (reporting year only)."""
    tf = text_figure_this_year(book, "stipendmidler")
    if tf is None:
        return Prose("")
    return Prose(f"Kommunen deler hvert år ut {fmt_text_figure(tf)} i stipend til videre- og etterutdanning.")


def sentence_heltid(book: Book) -> Prose:
    """Full-time share, share above 80 % and the part-time KPI."""
    ds = "hr_heltid_deltid"
    parts = [str(sentence_change(book, ds, "andel_heltid", KOMMUNEN, subject="andelen medarbeidere i hel stilling"))]
    over = book.value(ds, "andel_stilling_over_80", KOMMUNEN)
    if over is not None:
        tail = book.label("andel_stilling_over_80").removeprefix("Andel med ")
        parts.append(f"{capitalize(fmt_percent(over, 0))} av medarbeiderne hadde {tail}.")
    deltid = describe_change(book, "adm_kpi", "andel_deltid_under_80", KOMMUNEN)
    if deltid is not None:
        parts.append(f"Indikatoren «{book.label('andel_deltid_under_80')}» {deltid}.")
    if text_figure_this_year(book, "andel_heltid_2018") is not None:
        parts.append(
            "Andelen i hel stilling lå stabilt i årene før, og økningen betyr at den gjennomsnittlige stillingsstørrelsen har gått opp. "
            "I Pleie og omsorg ser utviklingen ut til å gå motsatt vei: andelen i hel stilling går ned og andelen deltid øker."
        )
    return paragraph(*parts)

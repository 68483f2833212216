"""*OSU*: administration compared with other municipalities, in constant kroner, and its KPIs (source 001, 2.2.4–2.2.5)."""

from __future__ import annotations

from analysis.calc import metrics
from analysis.chapters.osu.common import ADM_2017KR, ADM_KPI, ADM_PROFILE, DQ, EIENDOM_KPI, SHORT_NAMES, figure
from analysis.data.book import Book
from analysis.present.fmt import fmt_number, fmt_val, fmt_year_span
from analysis.present.outputs import Prose, TableOutput
from analysis.present.series_tables import tab_series
from analysis.present.text import describe_change, list_nb, paragraph, sentence_change, verb_change

__all__ = [
    "sentence_tjenesteprofil",
    "sentence_adm_faste_kroner",
    "sentence_adm_brudd",
    "sentence_adm_to_serier",
    "sentence_kpi_administrasjon",
    "sentence_kpi_sykefravaer",
    "sentence_kpi_heltid",
    "sentence_kpi_sokere",
    "sentence_kpi_efaktura",
    "tab_adm_faste_kroner",
]


def sentence_tjenesteprofil(book: Book) -> Prose:
    """Bærum against the ASSS average and against Asker, in the latest profile year up to T."""
    ds = "adm_tjenesteprofil"
    ys = book.years(ds)
    if not ys:
        return Prose(f"Tjenesteprofilen for administrasjon foreligger ikke for {book.year}.")
    y = ys[-1]
    over, under, same = [], [], []
    for ind, name in SHORT_NAMES.items():
        b, a = book.value(ds, ind, "kommunen", y), book.value(ds, ind, "asss_snitt", y)
        if b is None or a is None:
            continue
        item = f"{name} ({fmt_number(b, 0)} mot {fmt_val(book, ind, a)})"
        (over if b > a else under if b < a else same).append(item)
    parts = []
    if over:
        parts.append(f"over ASSS-snittet på {list_nb(over)}")
    if under:
        parts.append(f"under snittet på {list_nb(under)}")
    if same:
        parts.append(f"på snittet for {list_nb(same)}")
    out = [f"I {y} lå Bærum {list_nb(parts)}."]
    b, k = book.value(ds, ADM_PROFILE, "kommunen", y), book.value(ds, ADM_PROFILE, "asker", y)
    if b is not None and k is not None:
        cmp = "mer enn" if b > k else "mindre enn" if b < k else "like mye som"
        out.append(f"På administrasjon brukte Bærum {cmp} Asker, som hadde {fmt_val(book, ADM_PROFILE, k)}.")
    if y < book.year:
        out.append(f"Sammenligningen for {book.year} er ikke med i datagrunnlaget.")
    return paragraph(*out)


def sentence_adm_faste_kroner(book: Book) -> Prose:
    """Administration costs per inhabitant in constant kroner: the latest change and the level before."""
    ds, ind = "adm_driftsutgifter_2017kr", ADM_2017KR
    s = book.series(ds, ind, "kommunen")
    if not s:
        return Prose("Det finnes ingen tall i faste kroner for utgiftene til administrasjon.")
    last = max(s)
    out: list[str | None] = []
    if last - 1 in s:
        ch = describe_change(book, ds, ind, "kommunen", last - 1, last)
        out.append(f"Utgiftene til administrasjon per innbygger, målt i faste kroner, {ch}.")
    else:
        out.append(f"Målt i faste kroner var utgiftene {fmt_val(book, ind, s[last])} i {last}.")
    before = [y for y in s if y < last]
    if len(before) > 1:
        lo, hi = min(s[y] for y in before), max(s[y] for y in before)
        out.append(f"I årene {fmt_year_span(min(before), max(before))} lå nivået mellom {fmt_number(lo, 0)} og {fmt_val(book, ind, hi)}.")
    if last < book.year:
        out.append(f"Serien i faste kroner går bare til {last}; tall for {book.year} foreligger ikke.")
    return paragraph(*out)


def sentence_adm_brudd(book: Book) -> Prose:
    """The break in the administration series between the two accounting practices (empty before it)."""
    brudd = book.text_figure("adm_kostra_tidsseriebrudd")
    if brudd is None or brudd.base_year is None:
        return Prose("")
    y0, y1 = brudd.base_year, brudd.year
    a = book.value("adm_driftsutgifter_2017kr", ADM_2017KR, "kommunen", y0)
    b = book.value("adm_driftsutgifter_2017kr", ADM_2017KR, "kommunen", y1)
    what = "Utviklingen"
    if a is not None and b is not None:
        what = {"gikk ned": "Nedgangen", "økte": "Økningen"}.get(verb_change(a, b, 0), "Utviklingen")
    return Prose(
        f"{what} fra {y0} til {y1} skyldes ikke bare lavere aktivitet. Bærum flyttet da administrative utgifter som hører til "
        "tjenesteproduksjonen, fra administrasjonsfunksjonen til de tjenestene de gjelder, for å gjøre tallene mer "
        f"sammenlignbare med ASSS-kommunene. Serien har derfor et brudd, og tallene fra {y1} kan ikke sammenlignes direkte med årene før."
    )


def sentence_adm_to_serier(book: Book) -> Prose:
    """Two series share the name; state both values for their latest common year."""
    a = book.series("adm_driftsutgifter_2017kr", ADM_2017KR, "kommunen")
    k = book.series("adm_kpi", ADM_KPI, "kommunen")
    common = sorted(set(a) & set(k))
    if not common:
        return Prose("")
    y = common[-1]
    if fmt_number(a[y], 0) == fmt_number(k[y], 0):
        return Prose("")
    return Prose(
        f"KPI-tabellen nedenfor bruker en annen serie med samme navn: der er tallet {fmt_val(book, ADM_KPI, k[y])} "
        f"for {y}, mot {fmt_number(a[y], 0)} i tabellen over. Kilden forklarer ikke forskjellen; {DQ}"
    )


def sentence_kpi_administrasjon(book: Book) -> Prose:
    """Administration and property-management costs per inhabitant: change, trend and change since the base year."""
    ds = "adm_kpi"
    subject = "brutto driftsutgifter til administrasjon per innbygger"
    out: list[Prose | str | None] = [sentence_change(book, ds, ADM_KPI, "kommunen", subject=subject)]
    t = metrics.trend3(book.series(ds, ADM_KPI, "kommunen"), book.year)
    if t is not None:
        status = metrics.kpi_status(t, book.direction(ADM_KPI), tolerance=0.5)
        if status == metrics.KpiStatus.UNCHANGED:
            out.append(f"Over de tre siste årene var nivået i snitt uendret ({fmt_year_span(book.year - 3, book.year)}).")
        else:
            how = "i den retningen målet peker" if status == metrics.KpiStatus.BETTER else "mot målets retning"
            word = "ned" if t < 0 else "opp"
            out.append(
                f"Fra {book.year - 3} til {book.year} gikk utgiftene i snitt {word} med {fmt_val(book, ADM_KPI, abs(t))} per år, {how}."
            )
    s = book.series(ds, EIENDOM_KPI, "kommunen")
    if s and book.year in s and min(s) < book.year:
        base = min(s)
        out.append(f"Forvaltningsutgiftene i eiendomsforvaltningen {describe_change(book, ds, EIENDOM_KPI, 'kommunen', base, book.year)}.")
    return paragraph(*out)


def sentence_kpi_sykefravaer(book: Book) -> Prose:
    """Total sickness absence, T−1 to T, against the municipality's target when it is stated for the year."""
    ds, ind = "adm_kpi", "sykefravar_total"
    first = sentence_change(book, ds, ind, "kommunen", subject="det totale sykefraværet i kommunen")
    v = book.value(ds, ind, "kommunen")
    tf = book.text_figure("sykefravar_mal_2_2_5")
    if v is None or tf is None:
        return first
    reached = v <= tf.value if book.direction(ind) == -1 else v >= tf.value
    verdict = f"Målet om et sykefravær på høyst {figure(tf)} ble {'nådd' if reached else 'ikke nådd'}."
    return paragraph(first, verdict)


def sentence_kpi_heltid(book: Book) -> Prose:
    """Full-time share (text figures) and the KPI share of part-time under 80 %."""
    out: list[Prose | str | None] = []
    h0, h1 = book.text_figure("andel_heltid_2017_2_2_5"), book.text_figure("andel_heltid_2018_2_2_5")
    if h0 and h1:
        verb = verb_change(h0.value, h1.value, h1.decimals)
        out.append(f"Andelen ansatte med hel stilling {verb} fra {figure(h0)} i {h0.year} til {figure(h1)} i {h1.year}.")
    elif h0 or h1:
        h = h1 or h0
        out.append(f"Andelen ansatte med hel stilling var {figure(h)} i {h.year}.")
    over = book.text_figure("andel_stilling_over_80_2018_2_2_5")
    if over:
        out.append(f"{book.label('andel_stilling_over_80')} var {figure(over)} i {over.year}.")
    deltid = "andel_deltid_under_80"
    out.append(sentence_change(book, "adm_kpi", deltid, "kommunen", subject=book.label(deltid).lower()))
    return paragraph(*out)


def sentence_kpi_sokere(book: Book) -> Prose:
    """Applicants per position, T−1 to T, and advertised positions (text figures)."""
    ds, ind = "adm_kpi", "sokere_per_stilling"
    out: list[Prose | str | None] = [sentence_change(book, ds, ind, "kommunen", subject="gjennomsnittlig antall søkere per stilling")]
    n, g = book.text_figure("utlyste_stillinger_2018_2_2_5"), book.text_figure("utlyste_stillinger_vekst_2018")
    if n:
        tail = f", {figure(g)} {'flere' if g.value > 0 else 'færre'} enn året før" if g and g.year == n.year else ""
        out.append(f"Kommunen lyste ut {figure(n)} stillinger i {n.year}{tail}.")
    return paragraph(*out)


def sentence_kpi_efaktura(book: Book) -> Prose:
    """Share of incoming e-invoices, T−1 to T."""
    subject = "andelen inngående fakturaer som kom som e-faktura"
    return sentence_change(book, "adm_kpi", "andel_inngaende_efaktura", "kommunen", subject=subject)


def tab_adm_faste_kroner(book: Book) -> TableOutput:
    """Administration costs per inhabitant in constant kroner, with the annual change (001 2.2.4).

    The row is named by the indicator's label, which states the price base.
    """
    return tab_series(
        book,
        "adm_driftsutgifter_2017kr",
        id="osu-adm-faste-kroner",
        title="Brutto driftsutgifter til administrasjon per innbygger i faste kroner",
        indicators=ADM_2017KR,
        groups="kommunen",
        change=False,
        annual_change_of=(ADM_2017KR, "kommunen"),
        labels={"kommunen": book.label(ADM_2017KR)},
    )

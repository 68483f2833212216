"""*Medarbeidere*: the chapter's tables of staff, turnover, competence, apprentices, absence and position sizes."""

from __future__ import annotations

import polars as pl

from analysis.chapters.medarbeidere.common import KOMMUNEN, SECTORS, break_year, inngangen
from analysis.data.book import Book
from analysis.present.fmt import fmt_number, fmt_year_span
from analysis.present.outputs import TableOutput
from analysis.present.series_tables import Row, tab_rows
from analysis.present.tables import STUB, table_output

__all__ = [
    "tab_medarbeidere",
    "tab_turnover",
    "tab_kompetanse",
    "tab_laerlinger",
    "tab_sykefravaer",
    "tab_sykefravaer_omrader",
    "tab_heltid",
]


def tab_medarbeidere(book: Book) -> TableOutput:
    """Årsverk fast ansatte, persons and average age (status at 1 January after each year)."""
    ds = "hr_medarbeidere"
    rows = [
        Row(ds, "arsverk", label="Årsverk fast ansatte", decimals=0),
        Row(ds, "personer_fast_ansatte"),
        Row(ds, "personer_timelonnede"),
        Row(ds, "personer_arbeidsforhold", bold=True),
        Row(ds, "gjennomsnittsalder", label="Gjennomsnittsalder, alle"),
        Row(ds, "gjennomsnittsalder_menn"),
        Row(ds, "gjennomsnittsalder_kvinner"),
    ]
    note = f"Tallene for et år gjelder status ved inngangen til året etter (for {book.year}: {inngangen(book.year)})."
    return tab_rows(book, id="medarbeidere-nokkeltall", title="Medarbeidere og gjennomsnittsalder", rows=rows, notes=[note])


def tab_turnover(book: Book) -> TableOutput:
    """Turnover for the municipality and the areas the source names."""
    rows = [Row("hr_turnover", "turnover", KOMMUNEN, label="Bærum kommune", bold=True)]
    rows += [Row("hr_turnover", "turnover", g) for g in SECTORS]
    return tab_rows(book, id="medarbeidere-turnover", title="Turnover", rows=rows, years=None)


def tab_kompetanse(book: Book) -> TableOutput:
    """Competence shares: unskilled and skilled workers overall, qualified staff in two areas."""
    ds = "hr_kompetanse"
    rows = [
        Row(ds, "andel_ufaglaerte", label="Ufaglærte, hele kommunen"),
        Row(ds, "andel_fagarbeidere", label="Fagarbeidere, hele kommunen"),
        Row(ds, "andel_faglaerte", "oppvekst_barnehage", label="Faglærte, Oppvekst barnehage"),
        Row(ds, "andel_faglaerte", "pleie_og_omsorg", label="Faglærte, Pleie og omsorg"),
    ]
    notes = []
    brk = break_year(book)
    if brk is not None:
        notes.append(
            f"Oppvekst barnehage fra {brk}: området fikk da også barnevern og helsetjenester for barn og unge, "
            "så andelen kan ikke sammenlignes med årene før."
        )
    notes.append("Faglærte omfatter både høyskoleutdannede og fagarbeidere.")
    return tab_rows(book, id="medarbeidere-kompetanse", title="Kompetansesammensetning", rows=rows, years=None, change=False, notes=notes)


def tab_laerlinger(book: Book) -> TableOutput:
    """Apprentices per year, with the yearly change."""
    ds = "hr_laerlinger"
    s = book.series(ds, "antall_laerlinger", KOMMUNEN)
    ys = sorted(s)[-6:]
    cols: dict[str, list[str]] = {STUB: ["Antall lærlinger", "Endring fra året før"]}
    for y in ys:
        prev = s.get(y - 1)
        delta = "–" if prev is None else fmt_number(s[y] - prev, 0, sign=True)
        cols[str(y)] = [fmt_number(s[y], 0), delta]
    span = fmt_year_span(ys[0], ys[-1])
    source = book.source_note(ds)
    quirk = _laerlinger_quirk(book)
    return table_output(
        pl.DataFrame(cols),
        id="medarbeidere-laerlinger",
        title=f"Antall lærlinger, {span}",
        notes=[source] + ([quirk] if quirk else []),
        source=source,
        plain=f"Antall lærlinger, {span}: " + ", ".join(f"{y} {fmt_number(s[y], 0)}" for y in ys),
    )


def _laerlinger_quirk(book: Book) -> str | None:
    """The source's table header names one year twice; the second column can only be the second year of the series."""
    ys = sorted(book.series("hr_laerlinger", "antall_laerlinger", KOMMUNEN))
    if len(ys) < 2:
        return None
    return (
        f"Kildetabellen har en feil i overskriften: den andre kolonnen har samme årstall som en senere kolonne. "
        f"Ut fra rekkefølgen må den gjelde {ys[1]}, og tallet er her ført på det året."
    )


def tab_sykefravaer(book: Book) -> TableOutput:
    """Sickness absence in total (KPI series) with its long- and short-term parts."""
    rows = [
        Row("adm_kpi", "sykefravar_total", label="Sykefravær totalt", bold=True),
        Row("hr_sykefravaer", "sykefravar_langtid"),
        Row("hr_sykefravaer", "sykefravar_korttid"),
    ]
    return tab_rows(book, id="medarbeidere-sykefravaer", title="Sykefravær i kommunen", rows=rows)


def tab_sykefravaer_omrader(book: Book) -> TableOutput:
    """Sickness absence per kommunalsjef area where the source states it, with the municipality."""
    rows = [Row("adm_kpi", "sykefravar_total", label="Bærum kommune", bold=True)]
    rows += [Row("hr_sykefravaer", "sykefravar_total", g) for g in SECTORS]
    note = "Kilden oppgir bare tall for enkelte kommunalsjefområder; de øvrige vises i kildens figur uten tall."
    return tab_rows(
        book, id="medarbeidere-sykefravaer-omrader", title="Sykefravær per kommunalsjefområde", rows=rows, years=2, notes=[note]
    )


def tab_heltid(book: Book) -> TableOutput:
    """Position sizes: full-time share, share above 80 %, part-time share below 80 % (KPI)."""
    rows = [
        Row("hr_heltid_deltid", "andel_heltid"),
        Row("hr_heltid_deltid", "andel_stilling_over_80"),
        Row("adm_kpi", "andel_deltid_under_80"),
    ]
    return tab_rows(book, id="medarbeidere-heltid", title="Stillingsstørrelse", rows=rows)

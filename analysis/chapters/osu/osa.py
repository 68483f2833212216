"""*OSU*, section Organisasjon, styring og administrasjon (source 001, chapter 3): needs, the centralisation, the units' årsverk."""

from __future__ import annotations

from analysis.calc.rounding import printed
from analysis.chapters.osu.common import DQ, OSA_UNITS, about, figure
from analysis.data.book import Book
from analysis.present.fmt import fmt_number, fmt_val
from analysis.present.outputs import Prose
from analysis.present.text import inverted, list_nb, paragraph, sentence_change, verb_change

__all__ = ["sentence_turnover", "sentence_stab_stotte", "sentence_osa_arsverk", "sentence_osa_sentralisering", "sentence_osa_sum"]


def sentence_turnover(book: Book) -> Prose:
    """Why the need for HR and payroll support grows: more staff and the turnover rate."""
    tf = book.text_figure("turnover_2018")
    if tf is None:
        return Prose("Flere ansatte og utskifting av medarbeidere gir økt behov for administrative støttetjenester innen HR og lønn.")
    hedge = "nær " if tf.approximate else ""
    return Prose(
        f"Flere ansatte og en turnover på {hedge}{figure(tf)} i {tf.year} gir økt behov for "
        "administrative støttetjenester innen HR og lønn."
    )


def sentence_stab_stotte(book: Book) -> Prose:
    """The centralisation of staff and support services and the årsverk it removed (empty before it)."""
    tf = book.text_figure("stab_stotte_reduksjon_arsverk")
    if tf is None:
        return Prose("")
    return Prose(
        f"Fra september {tf.year} ble stab- og støttetjenestene samlet, og et nytt servicesenter ble førstelinje for HR, lønn, "
        "regnskap og anskaffelser for alle tjenestesteder. "
        f"Omleggingen reduserte innsatsen på disse oppgavene med {about(tf)}{figure(tf)}."
    )


def sentence_osa_arsverk(book: Book) -> Prose:
    """Årsverk in Strategisk ledelse, styring og administrasjon, T−1 to T, and the units that changed most.

    When the units' figures for T are not available yet (their table ends before T), says so.
    """
    ds = "osa_arsverk"
    out: list[Prose | str | None] = [sentence_change(book, "osu_arsverk", "arsverk", "osa", subject="samlet ressursinnsats i enhetene")]
    d = book.decimals("arsverk")
    diffs = {}
    for g in OSA_UNITS:
        a, b = book.value(ds, "arsverk", g, book.year - 1), book.value(ds, "arsverk", g)
        if a is not None and b is not None and fmt_number(a, d) != fmt_number(b, d):
            diffs[g] = b - a
    up = [g for g in diffs if diffs[g] > 0]
    down = [g for g in diffs if diffs[g] < 0]
    bits = []
    if up:
        g = max(up, key=lambda k: diffs[k])
        bits.append(f"{book.group_label(g)} den største økningen ({fmt_number(diffs[g], d, sign=True)} årsverk)")
    if down:
        g = min(down, key=lambda k: diffs[k])
        bits.append(f"{book.group_label(g)} den største nedgangen ({fmt_number(diffs[g], d)} årsverk)")
    if bits:
        out.append(f"Fra {book.year - 1} til {book.year} hadde {', og '.join(bits)}.")
    out.append(_units_missing(book))
    return paragraph(*out)


def _units_missing(book: Book) -> str | None:
    """What the units' table lacks for the reporting year: all six units (the table ends earlier), some of them, or nothing."""
    ds, t = "osa_arsverk", book.year
    missing = [g for g in OSA_UNITS if book.value(ds, "arsverk", g) is None]
    if not missing:
        return None
    years = book.years(ds)
    if not years:
        return "Det finnes ennå ingen tall for de enkelte enhetene."
    if len(missing) == len(OSA_UNITS):
        return f"Tallene for de enkelte enhetene i {t} foreligger ikke ennå; tabellen over går derfor bare til {years[-1]}."
    names = list_nb([book.group_label(g) for g in missing])
    return f"Tall for {names} i {t} foreligger ikke ennå."


def sentence_osa_sentralisering(book: Book) -> Prose:
    """The jump in HR og service and Økonomi og virksomhetsstyring in the centralisation year (empty before it)."""
    tf = book.text_figure("stab_stotte_reduksjon_arsverk")
    if tf is None:
        return Prose("")
    ds, d = "osa_arsverk", book.decimals("arsverk")
    y0, y1 = tf.year - 1, tf.year
    by_verb: dict[str, list[str]] = {}
    for g in ("hr_og_service", "okonomi_og_virksomhetsstyring"):
        a, b = book.value(ds, "arsverk", g, y0), book.value(ds, "arsverk", g, y1)
        if a is None or b is None:
            continue
        verb = verb_change(a, b, d)
        span = f"på {fmt_number(b, d)}" if verb == "var uendret" else f"fra {fmt_number(a, d)} til {fmt_number(b, d)}"
        by_verb.setdefault(verb, []).append(f"i {book.group_label(g)} {span}")
    if not by_verb:
        return Prose("")
    (verb, items), *rest = by_verb.items()
    clause = inverted(f"{verb} {list_nb(items)}", "årsverkene")
    for v, its in rest:
        clause += f", mens de {v} {list_nb(its)}"
    why = ", da stab- og støttefunksjoner fra hele kommunen ble samlet der" if set(by_verb) == {"økte"} else ""
    out = [f"Fra {y0} til {y1} {clause}{why}."]
    if book.year > y1:
        out.append(f"Tiltaket kom høsten {y1} og fikk full effekt for hele året først i {y1 + 1}.")
    return paragraph(*out)


def sentence_osa_sum(book: Book) -> Prose:
    """The six units' sum against the printed total for T, and whether rounding explains a gap (empty when equal)."""
    total = book.value("osu_arsverk", "arsverk", "osa")
    parts = [book.value("osa_arsverk", "arsverk", g) for g in OSA_UNITS]
    if total is None or any(p is None for p in parts):
        return Prose("")
    d = book.decimals("arsverk")
    s = sum(parts)
    if fmt_number(s, d) == fmt_number(total, d):
        return Prose("")
    half = printed(total, d).hi - total
    within = abs(s - total) <= half * (len(parts) + 1) + 1e-9
    why = "et avvik som avrunding av tallene kan forklare" if within else "et avvik som er større enn avrunding kan forklare"
    return Prose(
        f"Enhetene summerer til {fmt_val(book, 'arsverk', s)} i {book.year}, mens kildens sum er {fmt_number(total, d)}, {why}; {DQ}"
    )

"""*Eiendom*: comparison with other municipalities (KOSTRA profile, 5.2.2) and energy use over time."""

from __future__ import annotations

import polars as pl

from analysis.calc import metrics
from analysis.chapters.eiendom.common import ENERGI, KOMMUNEN, KOSTRA, SNITT, not_yet, pct_words, profile_year, relative, text_note
from analysis.data.book import Book
from analysis.present.fmt import NBSP, fmt_number, fmt_percent, fmt_val, fmt_year_span
from analysis.present.outputs import Prose
from analysis.present.text import inverted, list_nb, paragraph, sentence_change, verb_change

__all__ = ["sentence_profil", "sentence_areal", "sentence_energi", "sentence_vedlikehold_profil"]


def sentence_profil(book: Book) -> Prose:
    """Share of net operating expenditure, and on which indicators Bærum lies above or below the ASSS average."""
    ind = "andel_netto_driftsutgifter_eiendomsforvaltning"
    y = profile_year(book, ind)
    if y is None:
        return Prose("Det finnes ennå ingen KOSTRA-tall for eiendomsforvaltningen i datagrunnlaget.")
    b, a, asker = (book.value(KOSTRA, ind, g, y) for g in (KOMMUNEN, SNITT, "asker"))
    d = book.decimals(ind)
    first = (
        f"I {y} gikk {fmt_val(book, ind, b)} av Bærums netto driftsutgifter til eiendomsforvaltning, "
        f"{relative(b, a, d)} snittet i ASSS-nettverket ({fmt_val(book, ind, a)})."
    )
    if asker is not None:
        first += f" Asker lå {relative(asker, b, d)} Bærum, med {fmt_val(book, ind, asker)}."
    over, under = [], []
    for i in book.ordered(book.obs(KOSTRA).filter((pl.col("group") == SNITT) & (pl.col("year") == y))["indicator"].to_list()):
        if i == ind:
            continue
        bi, ai = book.value(KOSTRA, i, KOMMUNEN, y), book.value(KOSTRA, i, SNITT, y)
        if bi is None or ai is None:
            continue
        rel = relative(bi, ai, book.decimals(i))
        name = book.label(i)
        name = name[:1].lower() + name[1:]
        (over if rel == "høyere enn" else under if rel == "lavere enn" else []).append(name)
    parts = []
    if over:
        parts.append(f"over snittet på {list_nb(over)}")
    if under:
        parts.append(f"under snittet på {list_nb(under)}")
    second = f"Av de øvrige indikatorene i profilen lå Bærum {', men '.join(parts)}." if parts else None
    return paragraph(first, second, not_yet(book, y))


def sentence_areal(book: Book) -> Prose:
    """Purpose-built area per inhabitant: Bærum against the ASSS average and Asker, and Bærum over time."""
    ind = "kvm_formalsbygg_per_innbygger"
    d = book.decimals(ind)
    parts: list[str | None] = []
    y = profile_year(book, ind)
    if y is not None:
        b, a, asker = (book.value(KOSTRA, ind, g, y) for g in (KOMMUNEN, SNITT, "asker"))
        if b is not None and a is not None:
            rel = relative(b, a, d)
            if rel == "på samme nivå som":
                parts.append(
                    f"Bærum hadde i {y} like mye formålsbygg per innbygger som snittet i ASSS-nettverket ({fmt_val(book, ind, b)})."
                )
            else:
                more = "mer" if b > a else "mindre"
                parts.append(
                    f"Bærum hadde i {y} {fmt_number(b, d)}{NBSP}kvm formålsbygg per innbygger, mot {fmt_number(a, d)}{NBSP}kvm i snitt "
                    f"i ASSS-nettverket: {fmt_number(abs(b - a), d)}{NBSP}kvm eller {fmt_percent(abs(metrics.pct_change(a, b)), 1)} {more}."
                )
            if asker is not None:
                parts.append(f"Asker lå {relative(asker, b, d)} Bærum, med {fmt_number(asker, d)}{NBSP}kvm per innbygger.")
    s = book.series(KOSTRA, ind, KOMMUNEN)
    if len(s) >= 2:
        y0, y1 = min(s), max(s)
        since = y1
        while since - 1 in s and fmt_number(s[since - 1], d) == fmt_number(s[y1], d):
            since -= 1
        verb = verb_change(s[y0], s[y1], d)
        if verb == "var uendret":
            parts.append(f"Bærums areal per innbygger var det samme i {y1} som i {y0} ({fmt_val(book, ind, s[y1])}).")
        else:
            tail = f" og har ligget på {fmt_number(s[y1], d)}{NBSP}kvm siden {since}" if y0 < since < y1 else ""
            v0, v1 = fmt_number(s[y0], d), fmt_number(s[y1], d)
            parts.append(f"Bærums areal per innbygger {verb} fra {v0}{NBSP}kvm i {y0} til {v1}{NBSP}kvm i {y1}{tail}.")
        if y1 < book.year:
            parts.append(f"Tall for {book.year} foreligger ikke ennå.")
    return paragraph(*parts) if parts else Prose("Det finnes ennå ingen tall for areal per innbygger.")


def sentence_energi(book: Book) -> Prose:
    """Temperature-corrected energy use: the last year's change and the change over the whole table."""
    ind = "energiforbruk_temperaturkorrigert"
    base = sentence_change(book, ENERGI, ind, KOMMUNEN, subject="det temperaturkorrigerte energiforbruket i kommunale bygg")
    s = book.series(ENERGI, ind, KOMMUNEN)
    whole = None
    if book.year in s and min(s) < book.year - 1:
        y0 = min(s)
        pc = metrics.pct_change(s[y0], s[book.year])
        verb = verb_change(s[y0], s[book.year], book.decimals(ind), up="økte", down="gikk ned")
        whole = (
            f"Over hele perioden {fmt_year_span(y0, book.year)} var forbruket uendret."
            if verb == "var uendret"
            else f"Over hele perioden {fmt_year_span(y0, book.year)} {inverted(f'{verb} med {fmt_percent(abs(pc), 1)}', 'forbruket')}."
        )
    note = text_note(book, book.claims(ENERGI, ind, KOMMUNEN, "change_pct", book.year, min(s)), "{v} for hele perioden") if s else None
    return paragraph(base, whole, note)


def sentence_vedlikehold_profil(book: Book) -> Prose:
    """Maintenance spending per kvm: Bærum against the ASSS average, range and Asker."""
    ind = "vedlikehold_per_kvm"
    y = profile_year(book, ind)
    if y is None:
        return Prose("Det finnes ennå ingen KOSTRA-tall for vedlikehold per kvm.")
    b, a, lo, hi, asker = (book.value(KOSTRA, ind, g, y) for g in (KOMMUNEN, SNITT, "asss_lavest", "asss_hoyest", "asker"))
    d = book.decimals(ind)
    unit = book.unit_label(ind).replace(" ", NBSP)
    s = f"Bærum brukte {fmt_val(book, ind, b)} på vedlikehold i {y}, mot {fmt_number(a, d)} i snitt i ASSS-nettverket"
    pc = metrics.pct_change(a, b)
    s += "." if pc is None or fmt_number(pc, 1) == "0,0" else f", altså {pct_words(pc)} snittet."
    if lo is not None and hi is not None:
        s += f" I nettverket varierte tallet fra {fmt_number(lo, d)} til {fmt_number(hi, d)}{NBSP}{unit}"
        s += f", og Asker lå på {fmt_number(asker, d)}." if asker is not None else "."
    return paragraph(s, not_yet(book, y))

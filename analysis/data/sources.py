"""How the book names where a figure comes from: one formatter for every source note.

A dataset's ``sources`` in ``datapackage.yaml`` (document title, section, table)
become ``Bærum kommune: Virksomhetsanalyse 2019, …, kapittel 2.2.2, «Ressursinnsats
målt i antall årsverk»``; several sections of one document are listed after the
document once. ``source_note`` gives a table's ``Kilde: …`` note from the
descriptor alone; ``credited_note`` names the source of every year a table
shows (``data/provenance.csv``, ``analysis.data.provenance``): while every year
is the document's, it is exactly ``source_note``; otherwise each source is
followed by its years (``… (2014–2018); Bærum kommune, HR-systemet (2019).``).
``Book.source_note`` wraps it; the Excel template's *Kilde* column uses
``source_text`` and ``credit_text``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

from analysis.data.provenance import Credit

__all__ = ["border_notes", "source_text", "source_note", "credit_text", "year_span", "credited_note"]


def source_text(resource: Mapping) -> str:
    """Document, section(s) and table(s) of one descriptor resource, without ``Kilde:``.

    A source whose ``table`` is ``tekst`` is the document's running text
    (``kapittel 2.1 (tekst)``).
    """
    by_doc: dict[str, list[str]] = {}
    for s in resource.get("sources", []) or []:
        table = s.get("table", "")
        where = f"kapittel {s['section']}" if s.get("section") else ""
        if table == "tekst":
            where += " (tekst)"
        elif table:
            where += f", «{table}»"
        by_doc.setdefault(s.get("title", ""), []).append(where.strip(", "))
    return "; ".join(f"{doc}, " + "; ".join(w) for doc, w in by_doc.items())


def source_note(*resources: Mapping) -> str:
    """``Kilde: …`` naming the sources of one or more resources, each distinct source once."""
    return "Kilde: " + "; ".join(dict.fromkeys(source_text(r) for r in resources)) + "."


def credit_text(resource: Mapping, credit: Credit) -> str:
    """How the book names one credit: the dataset's document (``source_text``), or the source given for it."""
    if credit.kind == "document":
        return source_text(resource)
    return credit.source.strip().rstrip(".").strip()


def year_span(years: Iterable[int]) -> str:
    """Years as ranges with an en dash: ``2014–2018``, ``2019``, ``2014–2016, 2018``."""
    runs: list[list[int]] = []
    for y in sorted(set(years)):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(f"{r[0]}\u2013{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def credited_note(shown: Sequence[tuple[Mapping, Mapping[int, Collection[Credit]]]]) -> str:
    """``Kilde: …`` naming the source of every year shown.

    ``shown`` is, per dataset, its descriptor resource and ``{year: the credits of
    that year's figures}`` for the years the table shows. When every credit is
    the document, the note is ``source_note`` of the resources (no years: the
    document covers them all). Otherwise each distinct source is named once,
    followed by its years, in the order of their first year.
    """
    if all(c.kind == "document" for _, years in shown for credits in years.values() for c in credits):
        return source_note(*(res for res, _ in shown))
    years_of: dict[str, set[int]] = {}
    for res, years in shown:
        for year, credits in sorted(years.items()):
            for c in sorted(credits, key=lambda c: (c.kind != "document", c.kind, c.source)):  # the document first
                years_of.setdefault(credit_text(res, c), set()).add(year)
    first = {text: i for i, text in enumerate(years_of)}
    order = sorted(years_of, key=lambda t: (min(years_of[t]), first[t]))
    return "Kilde: " + "; ".join(f"{t} ({year_span(years_of[t])})" for t in order) + "."


def border_notes(changes: Iterable[Mapping], years_by_group: Mapping[str, Collection[int]]) -> list[str]:
    """A sentence for each municipality shown whose borders changed within the years shown.

    ``changes`` are the rows of ``kostra_municipalities.csv``; a row whose
    ``change`` is ``merged`` starts a new municipality (a border change) in its
    ``from_year``. ASSS members (group ``asss``) are not book groups: their
    changes are not named here. ``years_by_group`` holds, per group, the years
    of its figures that the table shows.
    """
    notes = []
    for r in changes:
        group, start = str(r.get("group") or ""), r.get("from_year")
        if r.get("change") != "merged" or group == "asss" or start is None:
            continue
        if any(int(y) >= int(start) for y in years_by_group.get(group, ())):
            name = str(r.get("municipality") or group)
            notes.append(
                f"{name} fikk nye grenser fra {int(start)} (kommunesammenslåing): tallene for {name} fra og med {int(start)} "
                f"gjelder den sammenslåtte kommunen og kan ikke sammenlignes direkte med årene før."
            )
    return notes

"""How the book names where a figure comes from: one formatter for every source note.

A dataset's ``sources`` in ``datapackage.yaml`` (document title, section, table)
become ``Bærum kommune: Virksomhetsanalyse 2019, …, kapittel 2.2.2, «Ressursinnsats
målt i antall årsverk»``; several sections of one document are listed after the
document once. ``source_note`` gives a table's ``Kilde: …`` note (``Book.source_note``
wraps it); the Excel template's *Kilde* column uses ``source_text``.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["source_text", "source_note"]


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

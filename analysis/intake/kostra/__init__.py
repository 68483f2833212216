"""KOSTRA figures from SSB's Statistikkbank (PxWebApi 2, JSON-stat2, CC BY 4.0), issue #13.

``fetch_year(year)`` fetches every figure the mapping names for one year;
``from_file(path, year)`` reads a JSON-stat2 file saved from the Statistikkbank
web page with the same checks. Both return a :class:`KostraResult` of plain
:class:`KostraValue` records (dataset, indicator, group, year, literal and the
provenance: table, URL, table last updated, time fetched) and
:class:`KostraMissing` figures, ready for the staged import. Any mismatch
between SSB's answer and the mapping raises :class:`KostraError`.

The mapping is data: ``data/kostra_mapping.csv`` and
``data/kostra_municipalities.csv``, resources of ``data/datapackage.yaml``
(see ``data/README.md``). ``stage.plan_kostra`` turns a result into the
staged import's plan (``virksomhetsanalyse kostra``).
"""

from __future__ import annotations

from .client import DEFAULT_BASE_URL, RateLimiter, make_session
from .errors import KostraError, SsbUnreachable
from .fetch import fetch_year, from_file
from .mapping import DEFAULT_MAPPING_DIR, load_mapping
from .records import KostraMissing, KostraResult, KostraValue, TableRead

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAPPING_DIR",
    "KostraError",
    "KostraMissing",
    "KostraResult",
    "KostraValue",
    "RateLimiter",
    "SsbUnreachable",
    "TableRead",
    "fetch_year",
    "from_file",
    "load_mapping",
    "make_session",
]

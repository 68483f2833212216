"""The exceptions of the KOSTRA fetcher."""

from __future__ import annotations

__all__ = ["KostraError", "SsbUnreachable"]


class KostraError(Exception):
    """A KOSTRA fetch or file that cannot be imported as it is.

    The message is one readable line (or a few) naming the mapping entry, the
    table and the cell concerned, what was expected and what was found. Nothing
    is imported when it is raised: a mismatch is never silently skipped.
    """


class SsbUnreachable(KostraError):
    """SSB could not be reached: no connection, no answer in time, or still 429/5xx after the retries.

    Not a problem of the input or the mapping: trying again later may succeed.
    """

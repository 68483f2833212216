"""The one exception of the KOSTRA fetcher."""

from __future__ import annotations


class KostraError(Exception):
    """A KOSTRA fetch or file that cannot be imported as it is.

    The message is one readable line (or a few) naming the mapping entry, the
    table and the cell concerned, what was expected and what was found. Nothing
    is imported when it is raised: a mismatch is never silently skipped.
    """

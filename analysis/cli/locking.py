"""Which command writes or reads what, so that ``guard`` holds the right lock around it (``analysis.data.access``).

Writers hold the project's write lock for their whole run: ``import`` and ``kostra`` (``data/``, or
``--data-dir``), ``run`` (``book/``, reading the data folder), ``render`` (``_book/`` and
``book/assets``), ``build`` (all of them), ``publish`` (``editions/`` and ``_site/``, reading ``book/``,
``_book/`` and the data folder), ``edition new`` and ``edition review`` (``narrative/``). Readers hold the
commit lock while they read: ``validate``,
``template`` and a ``--dry-run`` (the data folder), ``preview`` (``book/``). A command not listed
here takes no lock. Every data folder is recovered first (``analysis.data.commit.recover``).
"""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

from analysis import config

__all__ = ["EXIT_BUSY", "access", "hold"]

EXIT_BUSY = 75
"""Another command holds the write lock (sysexits' EX_TEMPFAIL: try again when it has finished)."""


def _data(kwargs: dict) -> Path:
    return Path(kwargs.get("data_dir") or config.DATA_DIR)


def access(command: str, kwargs: dict) -> tuple[str, list[Path], list[Path]]:
    """``(mode, folders, data folders)``: mode ``write``, ``read`` or ``none``; the folders the command writes or reads."""
    book = [config.BOOK_DIR]
    if command in ("import", "kostra"):
        return ("read" if kwargs.get("dry_run") else "write"), [_data(kwargs)], [_data(kwargs)]
    if command in ("validate", "template"):
        return "read", [_data(kwargs)], [_data(kwargs)]
    if command == "run":
        return "write", [*book, _data(kwargs)], [_data(kwargs)]
    if command == "render":
        return "write", [*book, config.OUTPUT_DIR], []
    if command == "build":
        return "write", [*book, config.OUTPUT_DIR, _data(kwargs)], [_data(kwargs)]
    if command == "preview":
        return "read", book, []
    if command == "publish":  # the record and the site, from a build nobody may change meanwhile
        from analysis.data.record import editions_dir_for

        return "write", [editions_dir_for(_data(kwargs)), config.SITE_DIR, *book, config.OUTPUT_DIR, _data(kwargs)], [_data(kwargs)]
    if command in ("edition new", "edition review"):  # the edition's text and its review record
        from analysis.data.narrative import narrative_dir_for

        return "write", [narrative_dir_for(_data(kwargs))], []
    return "none", [], []


def hold(command: str, kwargs: dict, notice):
    """The lock ``command`` holds while it runs (``notice`` is told what a recovery did)."""
    from analysis.data.access import reading, writing

    mode, folders, data_dirs = access(command, kwargs)
    if mode == "write":
        return writing(command, folders, data_dirs, notice)
    if mode == "read":
        return reading(folders, data_dirs, notice)
    return nullcontext()

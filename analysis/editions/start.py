"""``edition new``: a new edition's text starts as a copy of an earlier one, every block marked not reviewed.

``new_edition(narrative_dir, 2019)`` copies every chapter file of the latest
edition before 2019 into ``narrative/2019/`` and writes, per chapter, the review
record (``narrative/2019/<chapter>.review.json``: each block's hash as copied,
not reviewed). A year before every edition has no edition to start from by
default: ``source`` must name one (a 2017 book with the 2018 text is then
marked as such in every block, never silently). The folder appears whole or
not at all (written beside it, then renamed).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from analysis.data.narrative import (
    NarrativeError,
    ReviewEntry,
    chapter_file,
    chapters_of,
    edition_dir,
    editions,
    format_review,
    read_blocks,
    review_file,
)

__all__ = ["NewEdition", "default_source", "new_edition"]


@dataclass(frozen=True)
class NewEdition:
    """What ``new_edition`` made: the edition, where it started from (``None``: empty), its chapters and block count."""

    year: int
    source: int | None
    folder: Path
    chapters: tuple[str, ...]
    blocks: int


def default_source(narrative_dir: Path, year: int) -> int | None:
    """The latest edition before ``year`` (``None`` when there is none)."""
    earlier = [y for y in editions(narrative_dir) if y < year]
    return earlier[-1] if earlier else None


def new_edition(narrative_dir: Path, year: int, source: int | None = None) -> NewEdition:
    """Start edition ``year`` as a copy of edition ``source`` (default: the latest before ``year``).

    Without any edition at all, the new one is empty (the first edition: its text is written, not copied).
    Raises ``NarrativeError`` when the edition exists, the source does not, or no earlier edition exists and
    ``source`` is not given although later ones do (then it names them).
    """
    narrative_dir = Path(narrative_dir)
    target = edition_dir(narrative_dir, year)
    have = editions(narrative_dir)
    if target.exists():
        raise NarrativeError(f"the {year} edition exists already (narrative/{year}/); see `virksomhetsanalyse edition status {year}`")
    if source is None:
        source = default_source(narrative_dir, year)
        if source is None and have:
            later = ", ".join(map(str, have))
            raise NarrativeError(
                f"no edition before {year} to start from (editions: {later}); name one with --from, e.g. "
                f"`virksomhetsanalyse edition new {year} --from {have[0]}`: every block is then marked as that edition's "
                "text, not reviewed"
            )
    elif source not in have:
        raise NarrativeError(f"--from {source}: there is no {source} edition (editions: {', '.join(map(str, have)) or 'none'})")
    if source == year:
        raise NarrativeError(f"--from {source}: an edition cannot start from itself")
    narrative_dir.mkdir(parents=True, exist_ok=True)
    staging = narrative_dir / f".{year}.new-{os.getpid()}"  # beside the target: the rename is atomic
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        chapters, count = [], 0
        for chapter in chapters_of(narrative_dir, source) if source is not None else []:
            blocks = read_blocks(narrative_dir, source, chapter, record=False)
            shutil.copyfile(chapter_file(narrative_dir, source, chapter), staging / f"{chapter}.md")
            entries = {b.name: ReviewEntry(source, b.sha256) for b in blocks.values()}
            (staging / review_file(narrative_dir, year, chapter).name).write_text(format_review(entries), encoding="utf-8")
            chapters.append(chapter)
            count += len(blocks)
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return NewEdition(year, source, target, tuple(chapters), count)

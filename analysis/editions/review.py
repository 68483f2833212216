"""``edition review`` and ``edition status``: which blocks of an edition's text were looked at.

``review_blocks`` marks blocks reviewed: it stores the hash of their text as
it is now in the chapter's review record (``analysis.data.narrative``); a
block edited since the copy counts as reviewed without it. ``edition_status``
lists every block per chapter with its status, and what does not fit: blocks
a chapter notebook places that the edition lacks, blocks no notebook places,
figures typed into the text, files that cannot be read.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from analysis import config
from analysis.data.narrative import (
    BlockState,
    NarrativeError,
    Status,
    chapter_states,
    chapters_of,
    edition_dir,
    editions,
    format_review,
    read_review,
    review_file,
    typed_figures,
)

__all__ = ["Reviewed", "ChapterStatus", "EditionStatus", "placed_blocks", "review_blocks", "edition_status"]

_PLACED = re.compile(r"""va\.narrative\(\s*book\s*,\s*["'](?P<id>[^"']+)["']""")


@dataclass(frozen=True)
class Reviewed:
    """One block ``review_blocks`` was asked about: its id and status before (``marked``: newly marked reviewed)."""

    block: str
    before: Status
    marked: bool


@dataclass
class ChapterStatus:
    chapter: str
    blocks: list[BlockState] = field(default_factory=list)
    error: str | None = None


@dataclass
class EditionStatus:
    year: int
    chapters: list[ChapterStatus]
    missing: list[str]
    """Blocks a chapter notebook places that the edition does not have (the chapter would fail)."""
    unplaced: list[str]
    """Blocks of the edition that no chapter notebook places (the book does not show them)."""
    typed: list[str]
    """``block: digits`` for every block with a figure typed into its text (the chapter would fail)."""
    placed: list[str] = field(default_factory=list)
    """The blocks the chapter notebooks place: what the book shows."""

    def states(self) -> list[BlockState]:
        return [s for c in self.chapters for s in c.blocks]

    def count(self, status: Status) -> int:
        return sum(1 for s in self.states() if s.status is status)

    @property
    def unreviewed(self) -> list[BlockState]:
        return [s for s in self.states() if s.unreviewed]

    @property
    def unreviewed_shown(self) -> list[BlockState]:
        """The blocks not reviewed that the book shows (a block no notebook places is in no PDF)."""
        return [s for s in self.unreviewed if s.block.id in self.placed]

    @property
    def sources(self) -> list[int]:
        return sorted({s.source for s in self.states() if s.source is not None})


def placed_blocks(notebooks_dir: Path = config.NOTEBOOKS_DIR, names: Sequence[str] = config.NOTEBOOKS) -> dict[str, list[str]]:
    """The blocks each chapter notebook places (``va.narrative(book, "chapter/name")``), in notebook order."""
    out: dict[str, list[str]] = {}
    for n in names:
        path = Path(notebooks_dir) / f"{n}.ipynb"
        if not path.exists():
            continue
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        src = "\n".join("".join(c.get("source", "")) for c in cells if c.get("cell_type") == "code")
        out[n] = [m.group("id") for m in _PLACED.finditer(src)]
    return out


def _require_edition(narrative_dir: Path, year: int) -> None:
    if not edition_dir(narrative_dir, year).is_dir():
        have = ", ".join(map(str, editions(narrative_dir))) or "none"
        raise NarrativeError(f"there is no {year} edition (editions: {have}); start it with `virksomhetsanalyse edition new {year}`")


def edition_status(
    narrative_dir: Path, year: int, *, notebooks_dir: Path = config.NOTEBOOKS_DIR, names: Sequence[str] = config.NOTEBOOKS
) -> EditionStatus:
    """Every block of edition ``year`` per chapter with its status, and the blocks that do not fit the notebooks."""
    _require_edition(narrative_dir, year)
    placed = placed_blocks(notebooks_dir, names)
    chapters = list(dict.fromkeys([*[n for n in names if placed.get(n)], *chapters_of(narrative_dir, year)]))
    result, have, typed = [], set(), []
    for chapter in chapters:
        status = ChapterStatus(chapter)
        try:
            status.blocks = chapter_states(narrative_dir, year, chapter, record=False)
        except NarrativeError as exc:
            status.error = str(exc)
        for s in status.blocks:
            have.add(s.block.id)
            digits = typed_figures(s.block.text)
            if digits:
                typed.append(f"{s.block.id} (line {s.block.line}): {', '.join(digits)}")
        result.append(status)
    wanted = [b for n in names for b in placed.get(n, [])]
    missing = [b for b in wanted if b not in have and not any(c.error and b.startswith(c.chapter + "/") for c in result)]
    unplaced = [b for c in result for b in (s.block.id for s in c.blocks) if b not in wanted]
    return EditionStatus(year, result, missing, unplaced, typed, wanted)


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def review_blocks(narrative_dir: Path, year: int, targets: Sequence[str]) -> list[Reviewed]:
    """Mark blocks of edition ``year`` reviewed: ``chapter/name`` for one block, ``chapter`` for all of a chapter's.

    Every target is checked before anything is written; a block written for the edition or edited since the copy
    needs no mark (it is reported, not changed). Raises ``NarrativeError`` naming an unknown target, with the
    closest names.
    """
    _require_edition(narrative_dir, year)
    states = {c: chapter_states(narrative_dir, year, c, record=False) for c in chapters_of(narrative_dir, year)}
    by_id = {s.block.id: s for ss in states.values() for s in ss}
    chosen: dict[str, BlockState] = {}
    for t in targets:
        if t in states:
            chosen.update({s.block.id: s for s in states[t]})
        elif t in by_id:
            chosen[t] = by_id[t]
        else:
            close = difflib.get_close_matches(t, [*states, *by_id], n=3, cutoff=0.6)
            hint = f"; did you mean {' or '.join(close)}?" if close else f"; chapters: {', '.join(states) or 'none'}"
            raise NarrativeError(f"the {year} edition has no block or chapter '{t}'{hint}")
    done = []
    for chapter in states:
        picked = [s for s in chosen.values() if s.block.chapter == chapter]
        if not picked:
            continue
        review = read_review(narrative_dir, year, chapter, record=False)
        for s in picked:
            marked = s.status is Status.NOT_REVIEWED
            if marked:
                entry = review[s.block.name]
                review[s.block.name] = type(entry)(entry.source, entry.copied, s.block.sha256)
            done.append(Reviewed(s.block.id, s.status, marked))
        if any(r.marked for r in done if r.block.startswith(chapter + "/")):
            _write(review_file(narrative_dir, year, chapter), format_review(review))
    return done

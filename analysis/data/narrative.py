"""The narrative: the text a person writes, kept per edition (reporting year) apart from code and computed sentences.

``narrative/<year>/<chapter>.md`` holds a chapter's prose as named blocks; a
line ``<!-- block: NAME -->`` starts each one::

    <!-- block: innledning -->
    Organisasjon, styring og utvikling (OSU) samler ...

    <!-- block: prioriteringer -->
    ...

A block's id in the book is ``<chapter>/<name>`` (``osu/innledning``); the
chapter notebook places it with ``va.narrative(book, "osu/innledning")`` in a
cell with ``#| output: asis``. Headings stay in the notebook (the chapter's
outline, with the ``{#sec-...}`` ids that cross-references and computed
sentences rely on; Quarto reads a chapter's title from its Markdown cells
only). Any other HTML comment in a block is a note for the authors and is
left out of the book; the book's rule holds here too: no figure is typed
into the text (no digit outside a cross-reference).

``narrative/<year>/<chapter>.review.json`` (written by ``virksomhetsanalyse
edition new`` and ``edition review``) records, for every block copied from an
earlier edition, the hash of its text as copied and as reviewed. From it,
``block_status``: a block is *reviewed* (marked reviewed with the text it has
now), *changed* (its text differs from the copy: someone edited it, which
counts as reviewed), *not reviewed* (still the copy), or *written* for this
edition (not copied: the first edition's text, or a block added since).

The narrative folder is found beside the data folder (``narrative_dir_for``):
a project is ``data/`` and ``narrative/`` side by side, and a test's copy of
both behaves as the real one. Every file read here is recorded
(``analysis.data.reads``), so a changed block runs its chapter again.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from analysis import config
from analysis.data.reads import read_recorded, record_read

__all__ = [
    "NARRATIVE_FOLDER",
    "REVIEW_SUFFIX",
    "NarrativeError",
    "Block",
    "ReviewEntry",
    "Status",
    "BlockState",
    "narrative_dir_for",
    "edition_dir",
    "editions",
    "chapter_file",
    "review_file",
    "chapters_of",
    "split_id",
    "parse_blocks",
    "format_blocks",
    "book_text",
    "text_hash",
    "typed_figures",
    "read_blocks",
    "read_review",
    "format_review",
    "block_status",
    "chapter_states",
    "check_edition",
]

NARRATIVE_FOLDER = "narrative"
REVIEW_SUFFIX = ".review.json"
BLOCK_LINE = re.compile(r"^<!--\s*block:\s*(?P<name>\S*)\s*-->\s*$")
NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_COMMENT_LINES = re.compile(r"^[ \t]*<!--.*?-->[ \t]*(?:\n|\Z)", re.S | re.M)
"""A comment that fills its lines: the lines go with it (no blank line is left behind)."""
_REFERENCE = re.compile(r"@(?:fig|tbl|sec)-[\w-]*\w|\{#[^}]*\}")
_DIGITS = re.compile(r"\d+")


class NarrativeError(Exception):
    """A narrative file or block that cannot be used: the message names the file (and line or block) and what to do."""


@dataclass(frozen=True)
class Block:
    """One named block of a chapter's text in one edition."""

    chapter: str
    name: str
    text: str
    """The block as written (HTML comments included), without the blank lines around it."""
    line: int
    """The line of its ``<!-- block: ... -->`` marker (1-based)."""

    @property
    def id(self) -> str:
        return f"{self.chapter}/{self.name}"

    @property
    def book_text(self) -> str:
        """What the book shows: the text without the authors' HTML comments."""
        return book_text(self.text)

    @property
    def sha256(self) -> str:
        return text_hash(self.text)


@dataclass(frozen=True)
class ReviewEntry:
    """A block copied from an earlier edition: from which, its text's hash as copied, and as reviewed (``None``: not yet)."""

    source: int
    copied: str
    reviewed: str | None = None


class Status(StrEnum):
    REVIEWED = "reviewed"
    CHANGED = "changed"
    NOT_REVIEWED = "not reviewed"
    WRITTEN = "written"


@dataclass(frozen=True)
class BlockState:
    """A block with its review status; ``source`` is the edition it was copied from (``None``: written for this one)."""

    block: Block
    status: Status
    source: int | None

    @property
    def unreviewed(self) -> bool:
        return self.status is Status.NOT_REVIEWED


# --------------------------------------------------------------------------- where


def narrative_dir_for(data_dir: Path | None) -> Path:
    """The narrative folder of a project: beside its data folder (``config.NARRATIVE_DIR`` for the default data)."""
    return Path(data_dir or config.DATA_DIR).resolve().parent / NARRATIVE_FOLDER


def edition_dir(narrative_dir: Path, year: int) -> Path:
    return Path(narrative_dir) / str(int(year))


def editions(narrative_dir: Path) -> list[int]:
    """The editions (years) that have a folder, oldest first."""
    root = Path(narrative_dir)
    if not root.is_dir():
        return []
    return sorted(int(p.name) for p in root.iterdir() if p.is_dir() and re.fullmatch(r"\d{4}", p.name))


def chapter_file(narrative_dir: Path, year: int, chapter: str) -> Path:
    return edition_dir(narrative_dir, year) / f"{chapter}.md"


def review_file(narrative_dir: Path, year: int, chapter: str) -> Path:
    return edition_dir(narrative_dir, year) / f"{chapter}{REVIEW_SUFFIX}"


def chapters_of(narrative_dir: Path, year: int) -> list[str]:
    """The chapters with a text file in an edition, in book order (others after, by name)."""
    folder = edition_dir(narrative_dir, year)
    names = [p.stem for p in folder.glob("*.md")] if folder.is_dir() else []
    order = {n: i for i, n in enumerate(config.NOTEBOOKS)}
    return sorted(names, key=lambda n: (order.get(n, len(order)), n))


def split_id(block_id: str) -> tuple[str, str]:
    """``"osu/innledning"`` -> ``("osu", "innledning")``; raises ``NarrativeError`` for anything else."""
    chapter, sep, name = str(block_id).partition("/")
    if not sep or not chapter or not NAME.match(name):
        raise NarrativeError(f"'{block_id}' is not a block id: expected CHAPTER/NAME, e.g. osu/innledning")
    return chapter, name


# --------------------------------------------------------------------------- the text


def book_text(text: str) -> str:
    """A block's text as the book shows it: without HTML comments (notes for the authors), blank lines around removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _strip_blank(_COMMENT.sub("", _COMMENT_LINES.sub("", text)))


def _strip_blank(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def text_hash(text: str) -> str:
    """SHA-256 of what the book shows of a block, with line ends and trailing spaces normalised (an editor's
    clean-up is not an edit; a note in a comment is not either)."""
    lines = [line.rstrip() for line in book_text(text).split("\n")]
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def typed_figures(text: str) -> list[str]:
    """The digits typed into what the book shows of a block (cross-references and ``{#id}`` attributes aside)."""
    return _DIGITS.findall(_REFERENCE.sub("", book_text(text)))


def parse_blocks(text: str, chapter: str, where: str) -> dict[str, Block]:
    """The blocks of one chapter file, in file order; ``where`` names the file in errors.

    Raises ``NarrativeError`` for text before the first marker (other than blank lines and comments), a marker
    without a valid name, or a name used twice.
    """
    blocks: dict[str, Block] = {}
    current: tuple[str, int] | None = None
    body: list[str] = []

    def close() -> None:
        if current is not None:
            name, line = current
            blocks[name] = Block(chapter, name, _strip_blank("\n".join(body)), line)

    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        m = BLOCK_LINE.match(line)
        if not m:
            body.append(line)
            continue
        name = m.group("name")
        if not NAME.match(name):
            raise NarrativeError(
                f"{where}, line {number}: block name '{name}': expected lower-case letters, digits and single hyphens "
                "(e.g. <!-- block: innledning -->)"
            )
        if name in blocks or (current is not None and current[0] == name):
            raise NarrativeError(f"{where}, line {number}: block '{name}' appears twice")
        if current is None and book_text("\n".join(body)).strip():
            raise NarrativeError(f"{where}: text before the first <!-- block: NAME --> line (line 1–{number - 1}); put it in a block")
        close()
        current, body = (name, number), []
    if current is None and book_text("\n".join(body)).strip():
        raise NarrativeError(f"{where}: no <!-- block: NAME --> line; every text is a named block")
    close()
    return blocks


def format_blocks(blocks: list[tuple[str, str]]) -> str:
    """A chapter file from ``(name, text)`` pairs: each block after its marker line, a blank line between blocks."""
    return "\n".join(f"<!-- block: {name} -->\n{text.rstrip()}\n" for name, text in blocks)


# --------------------------------------------------------------------------- reading an edition


def _display(narrative_dir: Path, path: Path) -> str:
    try:
        return f"{NARRATIVE_FOLDER}/{path.relative_to(narrative_dir).as_posix()}"
    except ValueError:
        return str(path)


def _missing_edition(narrative_dir: Path, year: int) -> NarrativeError:
    have = editions(narrative_dir)
    listed = ", ".join(map(str, have)) or "none"
    earlier = [y for y in have if y < year]
    how = f"virksomhetsanalyse edition new {year}" + ("" if earlier or not have else f" --from {have[-1]}")
    return NarrativeError(f"no {year} edition of the text ({_display(narrative_dir, edition_dir(narrative_dir, year))}/ does not exist; "
                          f"editions: {listed}): start it with `{how}`")  # fmt: skip


def check_edition(narrative_dir: Path, year: int) -> None:
    """Raise ``NarrativeError`` (saying how to start it) when edition ``year`` has no folder."""
    if not edition_dir(narrative_dir, year).is_dir():
        raise _missing_edition(Path(narrative_dir), year)


def read_blocks(narrative_dir: Path, year: int, chapter: str, *, record: bool = True) -> dict[str, Block]:
    """A chapter's blocks in one edition (read through the read record unless ``record`` is false).

    Raises ``NarrativeError`` when the edition or the chapter's file does not exist, or the file is malformed.
    """
    narrative_dir = Path(narrative_dir)
    path = chapter_file(narrative_dir, year, chapter)
    if not path.exists():
        if record:
            record_read(f"narrative:{year}/{chapter}", path, None)
        if not edition_dir(narrative_dir, year).is_dir():
            raise _missing_edition(narrative_dir, year)
        raise NarrativeError(f"{_display(narrative_dir, path)} not found: the {year} edition has no text for chapter '{chapter}'")
    data = read_recorded(f"narrative:{year}/{chapter}", path) if record else path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = _display(narrative_dir, path)
        raise NarrativeError(f"{where}: not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8") from None
    return parse_blocks(text, chapter, _display(narrative_dir, path))


def read_review(narrative_dir: Path, year: int, chapter: str, *, record: bool = True) -> dict[str, ReviewEntry]:
    """A chapter's review record in one edition (``{}`` when it has none: every block written for the edition)."""
    narrative_dir = Path(narrative_dir)
    path = review_file(narrative_dir, year, chapter)
    if not path.exists():
        if record:
            record_read(f"review:{year}/{chapter}", path, None)
        return {}
    data = read_recorded(f"review:{year}/{chapter}", path) if record else path.read_bytes()
    try:
        raw = json.loads(data.decode("utf-8"))
        return {
            name: ReviewEntry(int(e["from"]), str(e["copied"]), None if e.get("reviewed") is None else str(e["reviewed"]))
            for name, e in raw["blocks"].items()
        }
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise NarrativeError(
            f"{_display(narrative_dir, path)}: not a review record ({type(exc).__name__}: {exc}); it is written by "
            "`virksomhetsanalyse edition new` and `edition review`, not by hand"
        ) from None


def format_review(entries: dict[str, ReviewEntry]) -> str:
    """The review record's JSON (sorted, one block per line group), as ``edition new`` and ``edition review`` write it."""
    blocks = {n: {"from": e.source, "copied": e.copied, "reviewed": e.reviewed} for n, e in sorted(entries.items())}
    return json.dumps({"blocks": blocks}, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def block_status(block: Block, entry: ReviewEntry | None) -> Status:
    """Reviewed, changed since the copy (counts as reviewed), not reviewed, or written for this edition."""
    if entry is None:
        return Status.WRITTEN
    sha = block.sha256
    if sha != entry.copied:
        return Status.CHANGED
    return Status.REVIEWED if entry.reviewed == sha else Status.NOT_REVIEWED


def chapter_states(narrative_dir: Path, year: int, chapter: str, *, record: bool = True) -> list[BlockState]:
    """Every block of a chapter in one edition with its status, in file order."""
    blocks = read_blocks(narrative_dir, year, chapter, record=record)
    review = read_review(narrative_dir, year, chapter, record=record)
    return [
        BlockState(b, status, review[b.name].source if b.name in review else None)
        for b in blocks.values()
        for status in [block_status(b, review.get(b.name))]
    ]

"""``publish``: a built edition into the repository's record (``editions/<year>/``) and onto the site (``_site/<year>/``).

A book is published only as it was built: the last render made the whole
book (HTML and PDF) for that year, not a draft, from the executed chapters as
they are, and its outputs are as it left them (``render_state.last_render``,
the record every render writes); every chapter is up to date with
``data/`` and the text; and the inputs (data, text, notebooks, code, executed
chapters, Quarto files) are committed, because the record names the commit
the book can be rebuilt from (``analysis.pipeline.rebuild``).

The record (``analysis.data.record``): every figure the chapters took from
``Book`` to show (their runs noted them: ``state.json``'s ``shown``), with
value, unit and source; the data-quality findings; every series the data held
(shown or not); the commit, the date, the SHA-256 of the data package and of
the edition's text. The record is written
whole or not at all; publishing a year again needs ``replace``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from analysis import config
from analysis.data.narrative import edition_dir, narrative_dir_for
from analysis.data.record import (
    FIGURES_FILE,
    FINDINGS_FILE,
    RECORD_FILE,
    SERIES_FILE,
    editions_dir_for,
    figures_csv,
    findings_csv,
    load_edition,
    series_csv,
)
from analysis.pipeline import render_state
from analysis.pipeline.draft import unreviewed_in_book
from analysis.pipeline.errors import BuildError
from analysis.pipeline.git import head_commit, uncommitted
from analysis.pipeline.keys import file_sha
from analysis.pipeline.site import PDF_NAME, copy_book, write_landing_page
from analysis.pipeline.state import outdated, read_state

__all__ = [
    "INPUTS",
    "PublishError",
    "Published",
    "folder_hash",
    "publish",
]

INPUTS = ("analysis", "notebooks", "book", "tools", "_quarto.yml", "_quarto-year.yml", "_quarto-edition.yml", "index.qmd",
          "pyproject.toml", "requirements.lock")  # fmt: skip
"""What a book is built from besides its data and text (relative to the project root); must be committed to publish."""


class PublishError(BuildError):
    """The edition cannot be published as things are; the message says why and what to do."""


@dataclass(frozen=True)
class Published:
    year: int
    record: Path
    site: Path
    landing: Path
    figures: int
    findings: int
    commit: str
    data_sha256: str
    replaced: bool


def folder_hash(folder: Path) -> str:
    """SHA-256 over every file of a folder (relative names and bytes), in name order."""
    h = hashlib.sha256()
    for p in sorted(Path(folder).rglob("*")):
        if p.is_file():
            h.update(p.relative_to(folder).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def _check_built(year: int, record: dict, book_dir: Path, output_dir: Path, names: Sequence[str]) -> None:
    """The last render (``render_state.last_render``) made this year's whole, final book, and it is still there."""
    build = f"`virksomhetsanalyse build --year {year}`"
    entries = {fmt: record[fmt] for fmt in render_state.FORMATS if isinstance(record.get(fmt), dict)}
    if not entries:
        raise PublishError(f"no book has been built here: run {build} first, then publish")
    other = sorted({e.get("year") for e in entries.values()} - {year}, key=str)
    if other:
        raise PublishError(f"the last build made the {other[0]} book, not {year}: run {build} first")
    if entries.get("typst", {}).get("draft"):
        raise PublishError(f"the last build made a draft (--draft): build the final book with {build}, then publish")
    if len(entries) < len(render_state.FORMATS):
        raise PublishError(f"the last render made only the {', '.join(entries)} output: build the HTML book and the PDF with {build}")
    if any(e.get("book") != render_state.chapters_hash(book_dir, names) for e in entries.values()):
        raise PublishError(f"book/ changed since the last render: build again with {build}")
    changed = [render_state.OUTPUTS[f] for f, e in entries.items() if e.get("output") != render_state.output_fingerprint(output_dir, f)]
    if changed:
        raise PublishError(f"{', '.join(changed)} in {output_dir} missing or changed since the last render: build again with {build}")
    left = unreviewed_in_book(book_dir, names)
    if left:
        raise PublishError(f"book/ shows {len(left)} text block(s) not reviewed: review them (`virksomhetsanalyse edition status {year}`)")


def _shown(state_dir: Path, names: Sequence[str], year: int) -> list[tuple]:
    chapters = read_state(Path(state_dir))["chapters"]
    lacking = [n for n in names if chapters.get(n, {}).get("year") != year or chapters[n].get("shown") is None]
    if lacking:
        raise PublishError(
            f"no record of what chapter(s) {', '.join(lacking)} show for {year}: "
            f"run `virksomhetsanalyse build --year {year} --force`, then publish"
        )
    return sorted({tuple(k) for n in names for k in chapters[n]["shown"]}, key=lambda k: tuple("" if x is None else x for x in k))


def _relative(root: Path, path: Path) -> str | None:
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return None


def _write_record(folder: Path, files: dict[str, str], replace: bool) -> None:
    staging = folder.with_name(f".{folder.name}.new")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for name, text in files.items():
        (staging / name).write_text(text, encoding="utf-8")
    old = folder.with_name(f".{folder.name}.old")
    if replace and folder.exists():
        shutil.rmtree(old, ignore_errors=True)
        os.replace(folder, old)
    os.replace(staging, folder)
    shutil.rmtree(old, ignore_errors=True)


def publish(
    year: int,
    *,
    root: Path = config.PROJ_ROOT,
    data_dir: Path = config.DATA_DIR,
    book_dir: Path = config.BOOK_DIR,
    state_dir: Path = config.STATE_DIR,
    output_dir: Path = config.OUTPUT_DIR,
    notebooks_dir: Path = config.NOTEBOOKS_DIR,
    site_dir: Path = config.SITE_DIR,
    names: Sequence[str] = config.NOTEBOOKS,
    replace: bool = False,
    today: str | None = None,
) -> Published:
    """Publish the built book of ``year``: its record into ``editions/<year>/``, the book into ``site_dir/<year>/``.

    Raises ``PublishError`` (nothing written) when the edition is published already (without ``replace``), the
    book was not built for ``year`` as a whole and final book, a chapter is out of date, the inputs are not
    committed, or git cannot tell the commit.
    """
    from analysis.data.book import TEXT_FIGURES, setup
    from analysis.data.package import fingerprint

    year = int(year)
    editions_dir = editions_dir_for(data_dir)
    folder = editions_dir / str(year)
    if (folder / RECORD_FILE).exists() and not replace:
        meta = load_edition(editions_dir, year, record=False).meta
        raise PublishError(
            f"the {year} edition is published already (editions/{year}/, {meta.get('published')}, commit "
            f"{str(meta.get('commit'))[:12]}); publish it again with --replace"
        )
    _check_built(year, render_state.last_render(state_dir), book_dir, output_dir, names)
    stale = outdated(names, year=year, notebooks_dir=notebooks_dir, book_dir=book_dir, state_dir=state_dir, data_dir=data_dir)
    if stale:
        raise PublishError(f"chapter(s) out of date since the last build: {', '.join(stale)}; build again, then publish")
    shown = _shown(state_dir, names, year)
    narrative = edition_dir(narrative_dir_for(data_dir), year)
    commit = head_commit(root)
    paths = [p for p in (*INPUTS, _relative(root, data_dir), _relative(root, narrative)) if p]
    dirty = uncommitted(root, paths)
    if dirty:
        listed = ", ".join(dirty[:8]) + (f" and {len(dirty) - 8} more" if len(dirty) > 8 else "")
        raise PublishError(
            f"not committed: {listed}. Commit them first: the record names the commit ({commit[:12]}) its book is rebuilt from"
        )
    book = setup(year, data_dir)
    figures, findings = book.figures(shown), book.findings()
    meta = {
        "edition": year,
        "published": today or datetime.now(UTC).date().isoformat(),
        "commit": commit,
        "data_package_sha256": fingerprint(data_dir),
        "narrative_sha256": folder_hash(narrative),
        "pdf": PDF_NAME,
        "pdf_sha256": file_sha(Path(output_dir) / PDF_NAME),
        "figures": len(figures),
        "findings": len(findings),
        "chapters": list(names),
    }
    replaced = folder.exists()
    files = {
        RECORD_FILE: json.dumps(meta, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
        FIGURES_FILE: figures_csv(figures),
        FINDINGS_FILE: findings_csv(findings),
        SERIES_FILE: series_csv([f for f in book.figures() if f.dataset != TEXT_FIGURES]),
    }
    editions_dir.mkdir(parents=True, exist_ok=True)
    _write_record(folder, files, replace)
    site = copy_book(output_dir, site_dir, year)
    landing = write_landing_page(site_dir, editions_dir)
    return Published(year, folder, site, landing, len(figures), len(findings), commit, meta["data_package_sha256"], replaced)

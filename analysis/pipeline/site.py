"""The published books: ``_site/<year>/`` (a copy of each published edition's ``_book/``) and a landing page.

``copy_book`` puts a rendered book into ``_site/<year>/`` (written beside it,
then renamed, so a reader never sees half a book; other years are never
touched). ``write_landing_page`` writes ``_site/index.html``: every edition
with a record (``editions/<year>/``), newest first, each with its book and its
PDF; an edition whose copy is not on this site is listed without links. The
page is Norwegian, has one ``h1`` and a list, loads nothing from elsewhere (its
typeface, Lato, is copied beside it) and runs no script.
"""

from __future__ import annotations

import html
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from analysis.data.record import EditionRecord, load_edition, published
from analysis.present import fonts
from analysis.present.fmt import fmt_date, fmt_number

__all__ = ["PDF_NAME", "LANDING_PAGE", "SiteEntry", "copy_book", "site_entries", "landing_page", "write_landing_page"]

PDF_NAME = "virksomhetsanalyse.pdf"
"""The PDF in a rendered book (``_quarto.yml``: ``book: output-file``)."""
LANDING_PAGE = "index.html"

STYLE = """
body { font-family: "Lato"; color: #1A1A1A; background: #FFFFFF; line-height: 1.5;
       margin: 0 auto; max-width: 44rem; padding: 1.5rem 1.5rem 3rem; }
a { color: #0B5394; }
ul.va-editions { list-style: none; padding: 0; }
ul.va-editions > li { border-top: 1px solid #CCCCCC; padding: 0.9rem 0; }
.va-edition-title { font-size: 1.25rem; font-weight: bold; margin: 0 0 0.3rem; }
.va-edition-meta { color: #4D4D4D; margin: 0.2rem 0; }
"""


@dataclass(frozen=True)
class SiteEntry:
    year: int
    published: str
    book: str | None
    """The book's start page relative to the landing page, when the copy is on this site."""
    pdf: str | None
    pdf_bytes: int | None


def _swap_in(staging: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    shutil.rmtree(old, ignore_errors=True)


def copy_book(output_dir: Path, site_dir: Path, year: int) -> Path:
    """Copy the rendered book ``output_dir`` into ``site_dir/<year>/`` (replacing an earlier copy of that year only)."""
    site_dir = Path(site_dir)
    site_dir.mkdir(parents=True, exist_ok=True)
    target = site_dir / str(int(year))
    staging = site_dir / f".{year}.new"
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(output_dir, staging, symlinks=True)
    _swap_in(staging, target)
    return target


def site_entries(site_dir: Path, editions_dir: Path) -> list[SiteEntry]:
    """Every published edition, newest first, with its links where its copy is on the site."""
    out = []
    for year in sorted(published(editions_dir), reverse=True):
        record: EditionRecord = load_edition(editions_dir, year, record=False)
        folder = Path(site_dir) / str(year)
        pdf = folder / PDF_NAME
        has_book = (folder / "index.html").is_file()
        out.append(
            SiteEntry(
                year,
                record.published,
                f"{year}/index.html" if has_book else None,
                f"{year}/{PDF_NAME}" if pdf.is_file() else None,
                pdf.stat().st_size if pdf.is_file() else None,
            )
        )
    return out


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{fmt_number(n / (1024 * 1024), 1)}\u00a0MB"
    return f"{fmt_number(max(1, round(n / 1024)), 0)}\u00a0kB"


def landing_page(entries: list[SiteEntry], title: str = "Virksomhetsanalyse for Organisasjon, styring og utvikling") -> str:
    """The landing page's HTML for ``entries`` (newest first)."""
    items = []
    for e in entries:
        links = []
        if e.book:
            links.append(f'<a href="{html.escape(e.book)}">Les {e.year}-utgaven på nett</a>')
        if e.pdf:
            size = _size(e.pdf_bytes or 0)
            links.append(f'<a href="{html.escape(e.pdf)}" type="application/pdf">Last ned {e.year}-utgaven som PDF ({size})</a>')
        body = (
            "<ul>" + "".join(f"<li>{link}</li>" for link in links) + "</ul>"
            if links
            else '<p class="va-edition-meta">Boken er ikke lagt ut på dette nettstedet.</p>'
        )
        when = f"Publisert {fmt_date(e.published)}" if e.published else "Publisert"
        items.append(
            f'<li><h2 class="va-edition-title">Rapporteringsår {e.year}</h2><p class="va-edition-meta">{html.escape(when)}</p>{body}</li>'
        )
    listing = f'<ul class="va-editions">{"".join(items)}</ul>' if items else "<p>Ingen utgaver er publisert ennå.</p>"
    return (
        '<!DOCTYPE html>\n<html lang="nb">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n"
        '<link rel="stylesheet" href="assets/fonts.css">\n'
        f"<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
        f"<h1>{html.escape(title)}</h1>\n"
        "<p>Bærum kommunes virksomhetsanalyse for Organisasjon, styring og utvikling, én utgave per rapporteringsår. "
        "Hver utgave står slik den ble publisert; den nyeste først.</p>\n"
        f"{listing}\n</main>\n</body>\n</html>\n"
    )


def write_landing_page(site_dir: Path, editions_dir: Path) -> Path:
    """Write ``site_dir/index.html`` (and the typeface beside it) from the records and the copies on the site."""
    site_dir = Path(site_dir)
    site_dir.mkdir(parents=True, exist_ok=True)
    fonts.write_web_fonts(site_dir)
    path = site_dir / LANDING_PAGE
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(landing_page(site_entries(site_dir, editions_dir)), encoding="utf-8")
    os.replace(tmp, path)
    return path

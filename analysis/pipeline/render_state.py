"""Whether the book must be rendered again: the render's key and the record of the last render.

Quarto reads the executed chapters and the book's other files, the project's configuration,
the hooks and Typst header in ``tools/``, and the generated assets (chart script, fonts);
what it makes depends on them, on the Quarto program itself and on the format asked for.
``render_key`` hashes exactly those, so a ``build`` with nothing changed renders nothing
(Quarto's own ``freeze`` would still render every page). The record, ``.build/render.json``,
keeps per format (``html``, ``typst``) the key it was rendered from, and the size and time of
the output files, so that an output deleted or edited since is rendered again. It is also the
one record of what the last render made (the reporting year, a draft or not, the chapters'
hash), which ``publish`` checks before it records an edition.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from analysis import config

__all__ = ["FORMATS", "OUTPUTS", "render_key", "quarto_identity", "chapters_hash", "is_current", "record_render", "last_render", "RECORD"]

RECORD = "render.json"
"""The record's name in the build state folder (``config.STATE_DIR``)."""
FORMATS = ("html", "typst")
"""The formats ``--to all`` makes."""
OUTPUTS = {"html": "index.html", "typst": "virksomhetsanalyse.pdf"}
"""The file of ``_book/`` that stands for each format (``book: output-file:`` plus ``.pdf``)."""


def _files(folder: Path) -> Iterable[Path]:
    if not folder.is_dir():
        return []
    return (p for p in folder.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def quarto_identity(quarto: str) -> str:
    """What names a Quarto program without starting it: its resolved path, size and time, and its ``share/version``."""
    path = Path(shutil.which(quarto) or quarto).resolve()
    try:
        st = path.stat()
    except OSError:
        return str(quarto)
    version = path.parent.parent / "share" / "version"
    text = version.read_text(encoding="utf-8").strip() if version.is_file() else ""
    return f"{path}:{st.st_size}:{st.st_mtime_ns}:{text}"


def render_key(root: Path, book_dir: Path, quarto: str, env: dict[str, str]) -> str:
    """SHA-256 of everything the render reads.

    The project's ``_quarto*.yml`` and ``*.qmd`` files, every file below ``book_dir``
    (chapters, text pages, generated assets) and ``tools/``, the Quarto program, and the
    environment variables Quarto's result depends on (``QUARTO_PROFILE``, ``TYPST_FONT_PATHS``).
    """
    root, book_dir = Path(root), Path(book_dir)
    files = sorted({*root.glob("_quarto*.yml"), *root.glob("*.qmd"), *_files(book_dir), *_files(root / "tools")})
    h = hashlib.sha256()
    for p in files:
        for part in (os.path.relpath(p, root).encode(), p.read_bytes()):
            h.update(len(part).to_bytes(8, "little"))
            h.update(part)
    for name in ("QUARTO_PROFILE", "TYPST_FONT_PATHS"):
        h.update(f"\n{name}={env.get(name, '')}".encode())
    h.update(f"\nquarto={quarto_identity(quarto)}".encode())
    return h.hexdigest()


def chapters_hash(book_dir: Path, names: Iterable[str]) -> str:
    """SHA-256 over the executed chapters (names and bytes) a render reads."""
    h = hashlib.sha256()
    for n in names:
        path = Path(book_dir) / f"{n}.ipynb"
        h.update(n.encode())
        h.update(path.read_bytes() if path.exists() else b"\0missing")
    return h.hexdigest()


def output_fingerprint(output_dir: Path, fmt: str) -> list[int] | None:
    """The size and time of the file that stands for ``fmt`` in ``output_dir`` (``None``: missing)."""
    return _fingerprint(Path(output_dir) / OUTPUTS[fmt])


def _fingerprint(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def last_render(state_dir: Path = config.STATE_DIR) -> dict:
    """The record: per format, ``key``, ``output`` (size and time), ``year``, ``draft`` and ``book`` (``chapters_hash``)."""
    return _read(state_dir)


def _read(state_dir: Path) -> dict:
    try:
        data = json.loads((Path(state_dir) / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def is_current(formats: Iterable[str], key: str, output_dir: Path, state_dir: Path = config.STATE_DIR) -> bool:
    """True when every format was last rendered from ``key`` and its output is as that render left it."""
    record = _read(state_dir)
    for fmt in formats:
        entry = record.get(fmt)
        if not isinstance(entry, dict) or entry.get("key") != key:
            return False
        fingerprint = _fingerprint(Path(output_dir) / OUTPUTS[fmt])
        if fingerprint is None or entry.get("output") != fingerprint:
            return False
    return True


def record_render(
    formats: Iterable[str],
    key: str,
    output_dir: Path,
    state_dir: Path = config.STATE_DIR,
    *,
    year: int | None = None,
    draft: bool = False,
    book: str | None = None,
) -> None:
    """Note that ``formats`` were rendered from ``key`` into ``output_dir`` (the other formats' entries stay):
    for the reporting ``year``, as a draft PDF or not, from the chapters whose ``chapters_hash`` is ``book``."""
    record = _read(state_dir)
    for fmt in formats:
        entry = {"key": key, "output": output_fingerprint(output_dir, fmt), "year": year, "book": book}
        record[fmt] = {**entry, "draft": bool(draft) and fmt == "typst"}  # a draft is the PDF's: it says Utkast
    path = Path(state_dir) / RECORD
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(record, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)

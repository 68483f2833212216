"""Chart PNGs, drawn by vl-convert and kept by what they depend on.

Drawing a chart's PNG takes vl-convert 0.2–0.7 s, most of a chapter's run. The
PNG depends on nothing but the Vega-Lite spec (the data are inlined in it), the
scale, the number locale, the font files and vl-convert itself, so the build
keeps every PNG it draws in a folder (``CHARTS_ENV``: the build sets it for each
chapter to ``.build/charts/``, or to the folder the variable already names)
under the SHA-256 of all of them. A chapter run again whose charts did not
change draws none; a chart whose data changed, or a new vl-convert, a new
scale, locale or font, gets a new key and is drawn.

Without ``CHARTS_ENV`` (a notebook run by hand) every chart is drawn. A kept
file that is not a PNG (damaged by hand) is drawn again and replaced; a folder
that cannot be written to only means that the chart is drawn each time.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import cache
from pathlib import Path

__all__ = ["CHARTS_ENV", "png_key", "vegalite_png"]

CHARTS_ENV = "VIRKSOMHETSANALYSE_CHARTS"
"""The folder of kept chart PNGs (set by the build for each chapter; unset: every chart is drawn)."""
_MAGIC = b"\x89PNG\r\n\x1a\n"


@cache
def _fonts_digest() -> str:
    """SHA-256 of the font files vl-convert draws with (``fonts.register_for_charts``)."""
    from analysis.present import fonts

    h = hashlib.sha256()
    for path in sorted(fonts.font_dir().iterdir()):
        if path.is_file():
            h.update(path.name.encode("utf-8") + b"\0" + path.read_bytes())
    return h.hexdigest()


def png_key(spec: dict, scale: float, locale: dict) -> str:
    """The key of a chart's PNG: the SHA-256 of the spec, scale, locale, font files and vl-convert's version."""
    import vl_convert as vlc

    what = {"vl-convert": vlc.__version__, "scale": scale, "locale": locale, "fonts": _fonts_digest(), "spec": spec}
    return hashlib.sha256(json.dumps(what, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def vegalite_png(spec: dict, scale: float, locale: dict) -> bytes:
    """``vl_convert.vegalite_to_png(spec, scale=scale, format_locale=locale)``, drawn once per key in ``CHARTS_ENV``."""
    import vl_convert as vlc

    folder = os.environ.get(CHARTS_ENV)
    if not folder:
        return vlc.vegalite_to_png(spec, scale=scale, format_locale=locale)
    path = Path(folder) / f"{png_key(spec, scale, locale)}.png"
    try:
        kept = path.read_bytes()
        if kept.startswith(_MAGIC):
            return kept
    except OSError:
        pass
    png = vlc.vegalite_to_png(spec, scale=scale, format_locale=locale)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".draw-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(png)
        os.replace(tmp, path)  # whole or not at all: another chapter may read it at the same time
    except OSError:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return png

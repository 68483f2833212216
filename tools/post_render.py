"""Quarto post-render hook: make every HTML page of the book load nothing from a CDN.

Run by Quarto after each render (``project: post-render:`` in ``_quarto.yml``;
https://quarto.org/docs/projects/scripts.html). Quarto runs a ``.py`` script
with ``$QUARTO_PYTHON`` or the ``python`` on PATH, from the project directory,
and passes the output folder, relative to it, in ``QUARTO_PROJECT_OUTPUT_DIR``.
So this file uses the standard library only. ``virksomhetsanalyse render``
also calls ``process()`` itself on its staging folder (it is idempotent).

For each ``*.html`` under the output folder it

1. removes the ``<script>`` tags Quarto adds for every page whose notebook has
   a ``text/html`` output: require.js and jQuery from a CDN, and the inline
   ``define('jquery', ...)`` shim after them (quarto-cli
   ``src/core/jupyter/widgets.ts``; no option turns them off). The book's
   charts do not use them: ``vegaEmbed`` comes from the local bundle;
2. points the ``<script data-vega-bundle>`` tag of ``tools/vega-header.html``
   at ``book/assets/vega-bundle.js`` relative to the page (the include is
   pasted verbatim into every page's head, and the home page sits one folder
   above the chapters);
3. removes an ``aria-label`` from a link whose visible text it does not
   contain (WCAG 2.5.3, axe's ``label-content-name-mismatch``): Quarto labels
   its previous/next links with the bare chapter title while the visible text
   also shows the chapter number. The visible text then names the link; a link
   with no visible text keeps its label;
4. lists any other remote script or stylesheet still referenced, as warnings.

    python tools/post_render.py [OUTPUT_DIR]
"""

from __future__ import annotations

import html as html_lib
import os
import posixpath
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

BUNDLE = "book/assets/vega-bundle.js"
"""The Vega bundle, relative to the output folder (``project: resources:`` copies it there)."""

_SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>\s*", re.IGNORECASE | re.DOTALL)
_SRC = re.compile(r"""\bsrc\s*=\s*(?P<q>["']?)(?P<url>[^"'\s>]+)(?P=q)""", re.IGNORECASE)
_REMOTE = re.compile(r"^(?:https?:)?//", re.IGNORECASE)
_CDN_LIBRARY = re.compile(r"(?:^|[/@])(?:require(?:js)?|jquery)(?:[@/.\-]|$)", re.IGNORECASE)
_JQUERY_SHIM = re.compile(r"""^\s*define\(\s*['"]jquery['"]""")
_BUNDLE_TAG = re.compile(r"""(<script\b[^>]*\bdata-vega-bundle\b[^>]*\bsrc\s*=\s*)(["'])[^"']*\2""", re.IGNORECASE)
_BUNDLE_TAG_SRC_FIRST = re.compile(r"""(<script\b[^>]*\bsrc\s*=\s*)(["'])[^"']*\2(?=[^>]*\bdata-vega-bundle\b)""", re.IGNORECASE)
_REMOTE_LINK = re.compile(r"""<link\b[^>]*\bhref\s*=\s*["']((?:https?:)?//[^"']+)["'][^>]*>""", re.IGNORECASE)


@dataclass
class Report:
    """What ``process`` changed: pages rewritten, tags removed, remote URLs left."""

    pages: int = 0
    removed: int = 0
    relabelled: int = 0
    remote: dict[str, list[str]] = field(default_factory=dict)


def _is_cdn_library(attrs: str, body: str) -> bool:
    """True for Quarto's require.js or jQuery CDN tag and for the ``define('jquery', ...)`` shim."""
    src = _SRC.search(attrs)
    if src:
        url = src.group("url")
        path = re.sub(r"^(?:https?:)?//[^/]+", "", url)
        return bool(_REMOTE.match(url)) and bool(_CDN_LIBRARY.search(path))
    return bool(_JQUERY_SHIM.match(body))


def strip_cdn_scripts(html: str) -> tuple[str, int]:
    """Remove the require.js and jQuery CDN scripts and the jQuery shim; return the HTML and the count removed."""
    removed = 0

    def drop(m: re.Match) -> str:
        nonlocal removed
        if _is_cdn_library(m.group("attrs"), m.group("body")):
            removed += 1
            return ""
        return m.group(0)

    return _SCRIPT.sub(drop, html), removed


def fix_bundle_src(html: str, page: str) -> str:
    """Point the ``data-vega-bundle`` script at ``BUNDLE`` relative to ``page`` (a path inside the output folder)."""
    rel = posixpath.relpath(BUNDLE, posixpath.dirname(page) or ".")
    html = _BUNDLE_TAG.sub(lambda m: f"{m.group(1)}{m.group(2)}{rel}{m.group(2)}", html)
    return _BUNDLE_TAG_SRC_FIRST.sub(lambda m: f"{m.group(1)}{m.group(2)}{rel}{m.group(2)}", html)


_LINK = re.compile(r"<a\b(?P<attrs>[^>]*)>(?P<body>.*?)</a\s*>", re.IGNORECASE | re.DOTALL)
_ARIA_LABEL = re.compile(r"""\s+aria-label\s*=\s*(?P<q>["'])(?P<label>.*?)(?P=q)""", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def _words(text: str) -> str:
    return " ".join(html_lib.unescape(_TAG.sub(" ", text)).split()).casefold()


def fix_link_labels(html: str) -> tuple[str, int]:
    """Drop each link's ``aria-label`` that does not contain the link's visible text; return the HTML and the count."""
    fixed = 0

    def fix(m: re.Match) -> str:
        nonlocal fixed
        attrs, body = m.group("attrs"), m.group("body")
        label = _ARIA_LABEL.search(attrs)
        visible = _words(body)
        if not label or not visible or visible in _words(label.group("label")):
            return m.group(0)
        fixed += 1
        return f"<a{attrs[: label.start()]}{attrs[label.end() :]}>{body}</a>"

    return _LINK.sub(fix, html), fixed


def remote_resources(html: str) -> list[str]:
    """URLs of scripts and ``<link>`` resources still fetched from another host."""
    urls = [s.group("url") for m in _SCRIPT.finditer(html) if (s := _SRC.search(m.group("attrs"))) and _REMOTE.match(s.group("url"))]
    return urls + _REMOTE_LINK.findall(html)


def process(output_dir: str | os.PathLike) -> Report:
    """Clean every HTML page under ``output_dir`` in place; idempotent."""
    out = Path(output_dir)
    report = Report()
    for path in sorted(out.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        new, removed = strip_cdn_scripts(text)
        new = fix_bundle_src(new, path.relative_to(out).as_posix())
        new, relabelled = fix_link_labels(new)
        report.relabelled += relabelled
        if new != text:
            path.write_text(new, encoding="utf-8")
            report.pages += 1
        report.removed += removed
        remote = remote_resources(new)
        if remote:
            report.remote[path.relative_to(out).as_posix()] = remote
    return report


def main(argv: list[str]) -> int:
    output_dir = argv[1] if len(argv) > 1 else os.environ.get("QUARTO_PROJECT_OUTPUT_DIR") or "_book"
    if not Path(output_dir).is_dir():
        print(f"post-render: no output folder {output_dir}, nothing to do")
        return 0
    report = process(output_dir)
    print(
        f"post-render: removed {report.removed} CDN script tag(s), {report.relabelled} mismatched link label(s);"
        f" rewrote {report.pages} page(s) in {output_dir}"
    )
    for page, urls in report.remote.items():
        print(f"post-render: warning: {page} still loads {', '.join(urls)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

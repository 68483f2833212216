#!/usr/bin/env python3
"""A stand-in for ``quarto render`` where CI has no Quarto (``$QUARTO`` points at it; tests/test_edition_cycle.py).

``quarto render --output-dir DIR [--to html|typst] [--no-clean]`` in a project
folder: reads ``_quarto.yml``'s ``project: render:`` list and writes, per
executed chapter ``book/<name>.ipynb``, ``DIR/book/<name>.html`` holding its
Markdown cells and the ``text/markdown`` and ``text/html`` outputs as text
(no real HTML: enough to find the text and the "not reviewed" callouts), an
``index.html``, and for ``typst`` a stand-in PDF ``virksomhetsanalyse.pdf``:
plain text, one "page" per chapter separated by form feeds, with the Typst
draft mark's text ("Utkast") on every page when the profile ``_quarto-edition.yml``
adds ``tools/typst-draft.typ``. It is no PDF and no render: the real ones are checked by
the real-Quarto test.
"""

import json
import re
import sys
from pathlib import Path

args = sys.argv[1:]
if not args or args[0] != "render":
    sys.exit(f"fake quarto: only `render` is supported, got {args}")
out = Path(args[args.index("--output-dir") + 1])
to = args[args.index("--to") + 1] if "--to" in args else "all"
listed = re.findall(r"^\s+-\s+(book/\S+\.ipynb)\s*$", Path("_quarto.yml").read_text(encoding="utf-8"), re.M)
chapters = list(dict.fromkeys(listed))


def chapter_text(path: Path) -> str:
    parts = []
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "markdown":
            parts.append("".join(cell["source"]))
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            for mime in ("text/markdown", "text/html"):
                if mime in data:
                    parts.append("".join(data[mime]) if isinstance(data[mime], list) else data[mime])
                    break
    return "\n\n".join(parts)


texts = {c: chapter_text(Path(c)) for c in chapters if Path(c).exists()}
if to in ("html", "all"):
    (out / "book").mkdir(parents=True, exist_ok=True)
    (out / "index.html").write_text('<html lang="nb"><body><main>Forside</main></body></html>\n', encoding="utf-8")
    for c, text in texts.items():
        page = f'<html lang="nb"><body><main><pre>\n{text}\n</pre></main></body></html>\n'
        (out / Path(c).with_suffix(".html")).write_text(page, encoding="utf-8")
if to in ("typst", "all"):
    out.mkdir(parents=True, exist_ok=True)
    mark = Path("_quarto-edition.yml")
    draft = mark.exists() and "tools/typst-draft.typ" in mark.read_text(encoding="utf-8")
    pages = [text + ("\nUtkast" if draft else "") for text in texts.values()]
    (out / "virksomhetsanalyse.pdf").write_text("%PDF-fake\n" + "\f".join(pages), encoding="utf-8")
print(f"Output created: {out}/index.html")

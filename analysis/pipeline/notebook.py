"""Make an executed notebook deterministic: the same figures give the same bytes.

papermill's timing metadata, nbclient's timestamps, the input and output paths
and papermill's version are removed, the injected-parameters cell gets a fixed
id, and a chart cell's ``#| fig-alt`` gets the alt text its output carries.

Not nbstripout: with ``--keep-output``/``--keep-count``/``--keep-id`` its
``strip_output`` only pops the dotted keys it is given (``pop_recursive``) and
its default key list lives inside its ``main()``, not its API; what must stay of
``metadata.papermill`` (the ``parameters``) needs a keep-list, which it lacks;
the fixed id and the alt text are this book's own. The executed chapters carry
none of its other default keys (``collapsed``, ``scrolled``, ``ExecuteTime``,
``widgets``, ``signature``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from analysis.calc.datatext import quarto_option_text

__all__ = ["INJECTED_TAG", "clean_notebook", "clean_file"]

INJECTED_TAG = "injected-parameters"


def clean_notebook(nb: dict) -> dict:
    """Make an executed notebook deterministic (in place; also returned).

    Drops papermill's per-cell and notebook timing (``start_time``,
    ``end_time``, ``duration``), nbclient's ``execution`` timestamps, the input
    and output paths and papermill's version, keeps
    ``metadata.papermill.parameters`` (the year the chapter was run for) and
    gives the injected-parameters cell a fixed id.
    """
    pm = nb.get("metadata", {}).pop("papermill", None) or {}
    nb["metadata"]["papermill"] = {"parameters": pm.get("parameters", {})}
    for cell in nb.get("cells", []):
        meta = cell.setdefault("metadata", {})
        meta.pop("papermill", None)
        meta.pop("execution", None)
        if meta.get("tags") == []:
            del meta["tags"]
        if INJECTED_TAG in meta.get("tags", []):
            cell["id"] = INJECTED_TAG
        if cell.get("cell_type") == "code":
            _set_generated_alt(cell)
    return nb


_FIG_ALT = re.compile(r"^#\|\s*fig-alt:.*$", re.MULTILINE)


def _set_generated_alt(cell: dict) -> None:
    """Put a chart's generated alt text into its ``#| fig-alt:`` option.

    The source notebook's ``fig-alt`` can only say what kind of chart it is (no
    figure is typed into a notebook); the chart output carries alt text that
    states the figures, computed from the data (``ChartOutput.alt``, its
    ``text/plain``). Quarto gives ``fig-alt`` to the image in the PDF, so the
    executed chapter carries the generated text there.
    """
    source = "".join(cell.get("source", ""))
    if not _FIG_ALT.search(source):
        return
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        html = "".join(data.get("text/html", ""))
        if "image/png" in data and 'class="va-chart"' in html:
            alt = re.sub(r"[ \t\r\n]+", " ", "".join(data.get("text/plain", ""))).strip()  # keeps no-break spaces
            if alt:
                line = "#| fig-alt: " + json.dumps(quarto_option_text(alt), ensure_ascii=False)  # Quarto runs no shortcode from data
                cell["source"] = _FIG_ALT.sub(lambda _m, line=line: line, source, count=1)
            return


def clean_file(path: Path) -> None:
    """Clean an executed notebook file in place (sorted keys, one-space indent, UTF-8)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(clean_notebook(nb), indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")

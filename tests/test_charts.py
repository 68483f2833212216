"""Charts as a reader sees them: axis labels drawn (vl-convert's SVG), one title, colours told apart.

Every chart of the executed book (``book/*.ipynb``) is drawn again from the spec it carries, with the
book's number locale, and its axis labels are read back from the SVG: no axis may show the same label
twice (ticks every 0,05 written with one decimal read «7,5 / 7,5»). Synthetic series (marked as such)
cover small and large ranges the book does not have today.
"""

from __future__ import annotations

import itertools
import json
import re
from functools import cache

import altair as alt
import nbformat
import polars as pl
import pytest
import vl_convert as vlc

from analysis.config import BOOK_DIR, NOTEBOOKS
from analysis.present import charts, fonts
from analysis.present.fmt import d3_locale


def book_charts() -> list[tuple[str, dict]]:
    """(id, Vega-Lite spec) of every chart in the executed chapters, as their HTML embeds it."""
    out = []
    for name in NOTEBOOKS:
        for cell in nbformat.read(BOOK_DIR / f"{name}.ipynb", as_version=4).cells:
            for output in cell.get("outputs", []):
                html = "".join(output.get("data", {}).get("text/html", ""))
                if "vegaEmbed(el," in html:
                    chart_id = re.search(r'id="([^"]+)-chart"', html).group(1)
                    out.append((chart_id, json.loads(html.split("vegaEmbed(el,", 1)[1].split(",{actions:false", 1)[0])))
    return out


BOOK_CHARTS = book_charts()


@cache
def _fonts() -> None:
    fonts.register_for_charts()


def axis_labels(spec: dict) -> list[list[str]]:
    """The labels each axis of the drawn chart shows, in order (read from vl-convert's SVG)."""
    _fonts()
    svg = vlc.vegalite_to_svg(spec, format_locale=d3_locale())
    out = []
    for axis in re.split(r'(?=<g class="mark-group role-axis")', svg)[1:]:
        if "role-axis-label" not in axis:
            continue
        labels = axis.split("role-axis-label", 1)[1].split("role-axis-title", 1)[0]
        out.append(
            [
                re.sub(r"&[a-z#0-9]+;", lambda m: {"&amp;": "&", "&lt;": "<", "&gt;": ">"}.get(m[0], m[0]), t)
                for t in re.findall(r"<text[^>]*>([^<]*)</text>", labels)
            ]
        )
    return out


def titles(spec: dict) -> list:
    """Every ``title`` of the chart itself (top level and layers), not of its axes or legends."""
    found = [spec["title"]] if "title" in spec else []
    for part in spec.get("layer", []) + spec.get("concat", []) + spec.get("hconcat", []) + spec.get("vconcat", []):
        found += titles(part)
    return found


def test_the_book_has_charts():
    assert len(BOOK_CHARTS) >= 10


@pytest.mark.parametrize(("chart_id", "spec"), BOOK_CHARTS, ids=[c for c, _ in BOOK_CHARTS])
def test_no_axis_repeats_a_label(chart_id, spec):
    axes = axis_labels(spec)
    assert axes, f"{chart_id}: no axis labels drawn"
    for labels in axes:
        assert len(labels) == len(set(labels)), f"{chart_id}: an axis repeats a label: {labels}"


@pytest.mark.parametrize(("chart_id", "spec"), BOOK_CHARTS, ids=[c for c, _ in BOOK_CHARTS])
def test_one_title_the_caption(chart_id, spec):
    assert titles(spec) == [], f"{chart_id}: a title inside the image beside the figure's caption: {titles(spec)}"


@pytest.mark.parametrize(
    ("lo", "hi", "decimals"),
    [(7.2, 7.6, 1), (7.24, 7.31, 2), (0, 100, 0), (0, 3776, 0), (192.4, 214.0, 0), (0.0, 0.4, 1), (5, 5, 0), (-2.5, 1.5, 0)],
)
def test_axis_decimals_follow_the_range(lo, hi, decimals):
    assert charts.axis_decimals(lo, hi) == decimals


@pytest.mark.parametrize(
    "values",
    [[7.6, 7.3, 7.2, 7.5, 7.3], [7.24, 7.26, 7.31, 7.28], [1052.9, 1070.6], [0.05, 0.12, 0.4], [12.0, 12.0, 12.0], [-3.5, 0.5, 2.25]],
)
@pytest.mark.parametrize("zero", [True, False])
def test_a_value_axis_never_repeats_a_label(values, zero):
    """Synthetic series (test data, not from data/): whatever the range, each tick label is drawn once."""
    df = pl.DataFrame({"År": [str(2014 + i) for i in range(len(values))], "Verdi": values})
    axis = charts.value_axis(values, zero=zero, title="%")
    chart = alt.Chart(df).mark_line().encode(x="År:O", y=alt.Y("Verdi:Q", axis=axis, scale=alt.Scale(zero=zero)))
    for labels in axis_labels(chart.properties(width=520, height=260).to_dict()):
        assert len(labels) == len(set(labels)), labels


def test_a_long_category_label_is_drawn_whole():
    label = "Strategisk ledelse, styring og administrasjon og enda litt til"  # synthetic, longer than any in the book
    df = pl.DataFrame({"Gruppe": [label, "Eiendom"], "Andel": [28.0, 62.0]})
    room = charts.label_room(df["Gruppe"].to_list())
    chart = alt.Chart(df).mark_bar().encode(y=alt.Y("Gruppe:N", axis=alt.Axis(labelLimit=room)), x="Andel:Q")
    assert label in [x for axis in axis_labels(chart.to_dict()) for x in axis]


def test_shares_are_labelled_with_their_percent_sign():
    spec = next(s for c, s in BOOK_CHARTS if c == "osu-fordeling")
    _fonts()
    svg = vlc.vegalite_to_svg(spec, format_locale=d3_locale())
    marks = re.findall(r"<text[^>]*>([^<]*)</text>", svg.split("role-mark", 1)[1])
    assert any(re.fullmatch(r"\d+\u00a0%", m) for m in marks), marks


# --------------------------------------------------------------------------- colours


def _rgb(hex_colour: str) -> list[float]:
    return [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]


def _contrast_with_white(hex_colour: str) -> float:
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in _rgb(hex_colour)]
    return 1.05 / (0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2] + 0.05)


def _seen_apart(a: str, b: str) -> float:
    """The smallest CAM02-UCS colour difference of two colours for normal vision and the three dichromacies."""
    import colorspacious

    ways = [None, "deuteranomaly", "protanomaly", "tritanomaly"]

    def seen(c, cvd):
        space = {"name": "sRGB1+CVD", "cvd_type": cvd, "severity": 100}
        return _rgb(c) if cvd is None else colorspacious.cspace_convert(_rgb(c), space, "sRGB1")

    return min(colorspacious.deltaE(seen(a, w), seen(b, w), input_space="sRGB1") for w in ways)


MIN_DELTA_E = 20.0
"""Two hues a reader tells apart at a glance; the turnover chart's two blues (#0072B2, #004C78) were 16 for normal vision."""


def test_palette_contrast_and_colour_blind_safety():
    for colour in charts.PALETTE:
        assert _contrast_with_white(colour) >= 4.5, colour
    for n in range(2, len(charts.PALETTE) + 1):
        for a, b in itertools.combinations(charts.PALETTE[:n], 2):
            assert _seen_apart(a, b) >= MIN_DELTA_E, f"{a} and {b} are hard to tell apart"


def test_the_old_year_blues_would_fail():
    assert _seen_apart("#0072B2", "#004C78") < MIN_DELTA_E


@pytest.mark.parametrize(("chart_id", "spec"), BOOK_CHARTS, ids=[c for c, _ in BOOK_CHARTS])
def test_every_colour_scale_of_the_book_is_told_apart(chart_id, spec):
    ranges = [r for r in re.findall(r'"range":\s*(\[[^\]]*\])', json.dumps(spec))]
    for r in ranges:
        colours = [c for c in json.loads(r) if isinstance(c, str) and c.startswith("#")]
        for a, b in itertools.combinations(colours, 2):
            assert _seen_apart(a, b) >= MIN_DELTA_E, f"{chart_id}: {a} and {b}"

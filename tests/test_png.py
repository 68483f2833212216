"""Chart PNGs kept by what they depend on (``analysis.present.png``)."""

from __future__ import annotations

import pytest
import vl_convert as vlc

from analysis.present import png
from analysis.present.fmt import d3_locale
from analysis.present.png import CHARTS_ENV, png_key, vegalite_png

SPEC = {
    "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
    "data": {"values": [{"år": 2017, "verdi": 1.5}, {"år": 2018, "verdi": 2.25}]},
    "mark": "bar",
    "encoding": {"x": {"field": "år", "type": "ordinal"}, "y": {"field": "verdi", "type": "quantitative", "axis": {"format": ",.1f"}}},
}


@pytest.fixture
def kept(tmp_path, monkeypatch):
    """``CHARTS_ENV`` pointed at an empty folder, and a count of the PNGs vl-convert draws."""
    folder = tmp_path / "charts"
    monkeypatch.setenv(CHARTS_ENV, str(folder))
    drawn = []
    draw = vlc.vegalite_to_png

    def counting(*args, **kwargs):
        drawn.append(1)
        return draw(*args, **kwargs)

    monkeypatch.setattr(vlc, "vegalite_to_png", counting)
    return folder, drawn


def test_a_kept_png_is_the_png_vl_convert_draws(kept, monkeypatch):
    folder, drawn = kept
    first = vegalite_png(SPEC, 2, d3_locale())
    assert len(drawn) == 1 and [p.name for p in folder.iterdir()] == [f"{png_key(SPEC, 2, d3_locale())}.png"]
    assert vegalite_png(SPEC, 2, d3_locale()) == first and len(drawn) == 1  # kept: not drawn again
    monkeypatch.delenv(CHARTS_ENV)
    assert vegalite_png(SPEC, 2, d3_locale()) == first and len(drawn) == 2  # the same bytes, drawn


def test_a_changed_input_is_drawn_again(kept, monkeypatch):
    folder, drawn = kept
    vegalite_png(SPEC, 2, d3_locale())
    other = {**SPEC, "data": {"values": [{"år": 2017, "verdi": 1.5}, {"år": 2018, "verdi": 2.5}]}}
    vegalite_png(other, 2, d3_locale())  # one figure changed
    vegalite_png(SPEC, 1, d3_locale())  # another scale
    vegalite_png(SPEC, 2, {**d3_locale(), "decimal": "."})  # another locale
    assert len(drawn) == 4 and len(list(folder.iterdir())) == 4
    key = png_key(SPEC, 2, d3_locale())
    monkeypatch.setattr(vlc, "__version__", "0.0.0")
    assert png_key(SPEC, 2, d3_locale()) != key  # another vl-convert
    monkeypatch.undo()
    png._fonts_digest.cache_clear()
    monkeypatch.setattr(png, "_fonts_digest", lambda: "other fonts")
    assert png_key(SPEC, 2, d3_locale()) != key  # other font files


def test_the_key_covers_the_font_files():
    png._fonts_digest.cache_clear()
    assert len(png._fonts_digest()) == 64 and png._fonts_digest() == png._fonts_digest()


def test_a_damaged_kept_file_is_drawn_again_and_replaced(kept):
    folder, drawn = kept
    good = vegalite_png(SPEC, 2, d3_locale())
    (path,) = folder.iterdir()
    path.write_bytes(b"not a png")
    assert vegalite_png(SPEC, 2, d3_locale()) == good and len(drawn) == 2
    assert path.read_bytes() == good
    assert [p.name for p in folder.iterdir()] == [path.name]  # no temporary file left


def test_without_the_variable_nothing_is_kept(tmp_path, monkeypatch):
    monkeypatch.delenv(CHARTS_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    assert vegalite_png(SPEC, 2, d3_locale()).startswith(b"\x89PNG")
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_cannot_be_made_only_means_drawing(tmp_path, monkeypatch):
    blocker = tmp_path / "charts"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    monkeypatch.setenv(CHARTS_ENV, str(blocker / "inner"))
    assert vegalite_png(SPEC, 2, d3_locale()).startswith(b"\x89PNG")
    assert blocker.read_text(encoding="utf-8") == "a file where the folder should be"

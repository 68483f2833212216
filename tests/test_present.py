"""The presentation layer's building blocks on small synthetic inputs.

A table is read back from its HTML (``table_html.read_table``): column labels,
bold rows, notes, fills; its CSV and plain text are compared as strings. Charts
are checked for their alt text (the same in the spec, the PNG's ``alt`` and the
HTML's ``aria-label``) and their CSV. The series builders get a ``FakeBook``: a
few invented series with the ``Book`` methods they use, so each case is small
enough to state its expected output in full.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl
import pytest
from table_html import read_table

from analysis.present import charts, series_tables
from analysis.present.fmt import MINUS, NBSP, fmt_cell, fmt_cell_change, fmt_obs, fmt_val
from analysis.present.series_tables import Row, tab_rows
from analysis.present.tables import STUB, Fill, Spanner, table_output
from analysis.present.text import describe_change, inverted, note_source_charts, sentence_change

PCT = f"{NBSP}%"


@dataclass
class FakeBook:
    """The ``Book`` methods the builders call, on invented series: ``{(dataset, indicator, group): {year: value}}``."""

    year: int
    data: dict[tuple[str, str, str], dict[int, float]]
    units: dict[str, tuple[str, str]] = field(default_factory=dict)
    """indicator → (unit id, unit label); default ``("arsverk", "årsverk")``."""
    decimals_of: dict[str, int] = field(default_factory=dict)
    charts: list = field(default_factory=list)

    def series(self, dataset, indicator, group):
        return {y: v for y, v in self.data.get((dataset, indicator, group), {}).items() if y <= self.year}

    def value(self, dataset, indicator, group, year=None):
        return self.series(dataset, indicator, group).get(self.year if year is None else year)

    def years(self, dataset):
        return sorted({y for (ds, _, _), s in self.data.items() if ds == dataset for y in s if y <= self.year})

    def printed_decimals(self, dataset, indicator, group, year):
        return self.decimals(indicator) if year in self.series(dataset, indicator, group) else None

    def unit_of(self, indicator):
        return self.units.get(indicator, ("arsverk", "årsverk"))[0]

    def unit_label(self, indicator):
        return self.units.get(indicator, ("arsverk", "årsverk"))[1]

    def decimals(self, indicator):
        return self.decimals_of.get(indicator, 1)

    def label(self, indicator):
        return f"Indikator {indicator}"

    def group_label(self, group):
        return f"Gruppe {group}"

    def source_note(self, *datasets):
        return "Kilde: " + "; ".join(f"tabell {d}" for d in dict.fromkeys(datasets)) + "."

    def source_charts(self):
        return self.charts


# -- table_output ------------------------------------------------------------------------------------------------


def _frame() -> pl.DataFrame:
    return pl.DataFrame({STUB: ["Alfa", "Beta", "Sum"], "2017": ["1,0", "2,0", "3,0"], "2018": ["1,5", "2,5", "4,0"]})


def test_table_output_header_notes_bold_and_csv():
    out = table_output(
        _frame(),
        id="t",
        title="Tittel, 2017–2018",
        subtitle="Enhet: årsverk",
        notes=["Kilde: tabell a.", "Tallene er oppfunnet."],
        source="Kilde: tabell a.",
        plain="Tittel: tre rader.",
        bold_rows=[2],
    )
    t = read_table(out.html)
    assert t.columns == ["", "2017", "2018"]
    assert t.headings == []  # the one caption is Quarto's: great-tables' title is dropped ...
    assert t.notes == ["Enhet: årsverk", "Kilde: tabell a.", "Tallene er oppfunnet."]  # ... and the subtitle is the first note
    assert t.bold_rows() == ["Sum"]
    assert [c.text for c in t.rows[0]] == ["Alfa", "1,0", "1,5"]
    assert 'id="t-table"' in out.html and out.id == "t" and out.plain == "Tittel: tre rader."
    assert out.csv == ";2017;2018;Kilde\nAlfa;1,0;1,5;Kilde: tabell a.\nBeta;2,0;2,5;Kilde: tabell a.\nSum;3,0;4,0;Kilde: tabell a.\n"


def test_table_output_without_bold_rows_has_no_bold_cell():
    out = table_output(_frame(), id="t", title="T", source="Kilde: x.", plain="p")
    assert "font-weight: bold" not in out.html.split("<tbody", 1)[1]


def test_table_output_stub_label_csv_header_spanners_fills_and_alignment():
    df = pl.DataFrame({STUB: ["Alfa", "Beta"], "a 2018": ["1", "2"], "b 2018": ["3", "4"], "Status": ["Bedre", "Verre"]})
    out = table_output(
        df,
        id="s",
        title="T",
        source="Kilde: x.",
        plain="p",
        stub_label="Indikator",
        spanners=[Spanner("2018", ["a 2018", "b 2018"], "s-2018", {"a 2018": "A", "b 2018": "B"})],
        fills=[Fill("#D9F0E3", "Status", [0])],
        align_left=["Status"],
    )
    t = read_table(out.html)
    assert t.spanners == ["2018"] and set(t.columns) == {"Indikator", "Status", "A", "B"}
    assert "background-color: #D9F0E3" in t.rows[0][3].style and "background-color" not in t.rows[1][3].style
    assert "text-align: left" in t.rows[0][3].style and "text-align: right" in t.rows[0][1].style
    assert out.csv.splitlines()[0] == "Indikator;a 2018;b 2018;Status;Kilde"
    custom = table_output(df, id="s", title="T", source="Kilde: x.", plain="p", csv_header=["", "A 2018", "B 2018", "Status"])
    assert custom.csv.splitlines()[0] == ";A 2018;B 2018;Status;Kilde"


def test_table_output_csv_keeps_numbers_numbers_and_neutralises_formulas():
    df = pl.DataFrame({STUB: ["=SUM(A1)", "Beta"], "2018": [f"1{NBSP}422,3", f"{MINUS}0,6{NBSP}pp"]})
    out = table_output(df, id="c", title="T", source="Kilde: x.", plain="p")
    assert out.csv.splitlines()[1:] == ["'=SUM(A1);1422,3;Kilde: x.", "Beta;'-0,6pp;Kilde: x."]


# -- cells -------------------------------------------------------------------------------------------------------


def test_cells_write_percent_and_leave_other_units_to_the_note():
    assert fmt_cell(12.84, 1, "%") == f"12,8{PCT}"
    assert fmt_cell(1422.25, 1, "mill. kr") == f"1{NBSP}422,3"
    assert fmt_cell(None, 1, "%") == "–"
    assert fmt_cell_change(14.0, 13.4, "%") == f"{MINUS}0,6{NBSP}pp"
    assert fmt_cell_change(85.8, 104.4, "årsverk") == f"+21,7{PCT}"
    assert fmt_cell_change(0.0, 5.0, "årsverk") == "–" and fmt_cell_change(None, 5.0, "%") == "–"


# -- tab_rows (the multi-dataset row table) ------------------------------------------------------------------------


def _rows_book(year: int = 2018) -> FakeBook:
    return FakeBook(
        year,
        {
            ("a", "x", "kommunen"): {2016: 10.0, 2017: 12.0, 2018: 15.0},
            ("b", "y", "g1"): {2017: 4.0, 2018: 5.0},
            ("b", "y", "g2"): {2010: 1.0},
        },
    )


def test_tab_rows_labels_bold_change_and_sources():
    book = _rows_book()
    rows = [Row("a", "x", label="Totalt", bold=True), Row("b", "y", "g1"), Row("b", "y", "g2")]
    out = tab_rows(book, id="r", title="Rader", rows=rows, years=3, notes=["En merknad."])
    t = read_table(out.html)
    assert t.columns == ["", "2016", "2017", "2018", "Endring 2017–2018"]
    assert [r[0].text for r in t.rows] == ["Totalt", "Gruppe g1"]  # g2 has no figure in the window: left out
    assert t.bold_rows() == ["Totalt"]
    assert t.row("Gruppe g1") == ["Gruppe g1", "–", "4,0", "5,0", f"+25,0{PCT}"]
    assert t.notes == ["Enhet: årsverk", "Kilde: tabell a; tabell b.", "En merknad."]
    assert out.plain == "Rader, 2016–2018. Totalt: 2016 10,0, 2017 12,0, 2018 15,0; Gruppe g1: 2017 4,0, 2018 5,0"
    assert out.csv.splitlines()[1] == 'Totalt;10,0;12,0;15,0;+25,0%;"Kilde: tabell a; tabell b."'


def test_tab_rows_ends_at_the_reporting_year_and_drops_the_change_without_the_year_before():
    out = tab_rows(_rows_book(2016), id="r", title="Rader", rows=[Row("a", "x")], years=None)
    t = read_table(out.html)
    assert t.columns == ["", "2016"] and t.rows[0][0].text == "Indikator x"


def test_tab_rows_names_each_unit_when_the_rows_differ():
    book = _rows_book()
    book.units = {"y": ("prosent", "%")}
    out = tab_rows(book, id="r", title="Rader", rows=[Row("a", "x"), Row("b", "y", "g1")], years=2, change=False)
    t = read_table(out.html)
    assert [r[0].text for r in t.rows] == ["Indikator x (årsverk)", "Gruppe g1"]
    assert t.columns == ["", "2017", "2018"] and t.notes[0] == "Kilde: tabell a; tabell b."  # no unit subtitle


def test_tab_series_bold_total_and_annual_change():
    book = FakeBook(2018, {("d", "x", g): {2017: v, 2018: v + 1} for g, v in (("g1", 1.0), ("g2", 2.0), ("sum", 3.0))})
    out = series_tables.tab_series(
        book, "d", id="s", title="Serie", indicators="x", groups=["g1", "g2", "sum"], total=("x", "sum"), annual_change_of=("x", "sum")
    )
    t = read_table(out.html)
    assert [r[0].text for r in t.rows] == ["Gruppe g1", "Gruppe g2", "Gruppe sum", "Årlig endring"]
    assert t.bold_rows() == ["Gruppe sum"]
    assert t.row("Årlig endring") == ["Årlig endring", "–", f"+33,3{PCT}", ""]
    assert t.notes == ["Enhet: årsverk", "Kilde: tabell d."]


# -- charts ------------------------------------------------------------------------------------------------------


def test_alt_text_form():
    assert charts.alt_text("Linjediagram", "Årsverk, 2017–2018", ["A: 1 i 2017", "B: 2 i 2018"]) == (
        "Linjediagram: Årsverk, 2017–2018. A: 1 i 2017; B: 2 i 2018."
    )
    assert charts.alt_text("Stolpediagram", "Andel, 2018", ["A 1 %", "B 2 %"], sep=", ") == "Stolpediagram: Andel, 2018. A 1 %, B 2 %."


def test_chart_output_carries_alt_text_everywhere_and_the_csv():
    import altair as alt

    chart = alt.Chart(pl.DataFrame({"x": ["a", "b"], "y": [1.0, 2.0]})).mark_bar().encode(x="x:N", y="y:Q")
    out = charts.chart_output(chart, id="c", alt="Stolpediagram: T. a 1; b 2.", header=["x", "y"], rows=[("a", 1.0)], source="Kilde: x.")
    assert out.alt == out.spec["description"] == "Stolpediagram: T. a 1; b 2."
    assert 'aria-label="Stolpediagram: T. a 1; b 2."' in out.html() and 'alt="Stolpediagram: T. a 1; b 2."' in out.html()
    assert out.png[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.csv == "x;y;Kilde\na;1;Kilde: x.\n"


def test_chart_series_alt_text_and_csv():
    book = FakeBook(2018, {("d", "x", "g1"): {2016: 1.0, 2017: 1.5, 2018: 2.0}, ("d", "x", "g2"): {2016: 10.0, 2018: 12.25}})
    out = charts.chart_series(book, "d", id="s", title="Årsverk", indicators="x", groups=["g1", "g2"])
    assert out.alt == (
        "Linjediagram: Årsverk (årsverk), 2016–2018. Gruppe g1: 1,0 i 2016 og 2,0 i 2018; Gruppe g2: 10,0 i 2016 og 12,3 i 2018."
    )
    assert out.csv.splitlines()[:2] == ["Serie;År;Verdi (årsverk);Kilde", "Gruppe g1;2016;1;Kilde: tabell d."]


def test_chart_bars_and_shares_alt_text():
    book = FakeBook(
        2018, {("d", "andel", g): {2017: v, 2018: v + 1} for g, v in (("g1", 20.0), ("g2", 70.0))}, units={"andel": ("prosent", "%")}
    )
    bars = charts.chart_bars(book, "d", id="b", title="Andel", indicator="andel", groups=["g1", "g2"])
    assert (
        bars.alt == f"Stolpediagram: Andel. Gruppe g1: 20,0{PCT} i 2017, 21,0{PCT} i 2018; Gruppe g2: 70,0{PCT} i 2017, 71,0{PCT} i 2018."
    )
    shares = charts.chart_shares(book, "d", id="s", title="Fordeling", indicator="andel", groups=["g1", "g2"])
    assert shares.alt == f"Stolpediagram: Fordeling, 2018. Gruppe g1 21,0{PCT}, Gruppe g2 71,0{PCT}."
    assert shares.csv.splitlines()[0] == "Gruppe;Andel (%);Kilde"


# -- sentences ---------------------------------------------------------------------------------------------------


def _change_book() -> FakeBook:
    return FakeBook(
        2018,
        {
            ("d", "x", "g"): {2015: 80.0, 2017: 85.8, 2018: 104.4},
            ("d", "p", "g"): {2017: 14.0, 2018: 13.4},
            ("d", "x", "same"): {2017: 5.01, 2018: 4.99},
            ("d", "x", "new"): {2018: 7.0},
        },
        units={"p": ("prosent", "%")},
    )


def test_describe_change_long_short_and_since_the_latest_figure():
    b = _change_book()
    assert (
        describe_change(b, "d", "x", "g", 2017, 2018)
        == f"økte fra 85,8{NBSP}årsverk i 2017 til 104,4{NBSP}årsverk i 2018, en økning på 21,7{PCT}"
    )
    assert describe_change(b, "d", "x", "g", 2017, 2018, short=True) == f"økte med 21,7{PCT}"
    assert (
        describe_change(b, "d", "p", "g", 2017, 2018)
        == f"gikk ned fra 14,0{PCT} i 2017 til 13,4{PCT} i 2018, en nedgang på 0,6{NBSP}prosentpoeng"
    )
    assert describe_change(b, "d", "p", "g", 2017, 2018, short=True) == f"gikk ned med 0,6{NBSP}prosentpoeng"
    assert describe_change(b, "d", "x", "same", 2017, 2018) == f"var uendret på 5,0{NBSP}årsverk fra 2017 til 2018"
    assert describe_change(b, "d", "x", "same", 2017, 2018, short=True) == "var uendret"
    assert describe_change(b, "d", "x", "g", 2016, 2018) is None  # a missing year
    assert describe_change(b, "d", "x", "new") == f"var 7,0{NBSP}årsverk i 2018"  # no earlier figure: the value
    assert describe_change(b, "d", "x", "g").startswith("økte fra 85,8")  # the latest earlier year


def test_inverted_puts_the_subject_after_the_verb():
    assert inverted("økte med 5 %", "investeringene") == "økte investeringene med 5 %"
    assert inverted("gikk ned fra 3 i 2017 til 2 i 2018", "årsverkene") == "gikk årsverkene ned fra 3 i 2017 til 2 i 2018"
    assert inverted("var uendret", "forbruket") == "var forbruket uendret"
    assert inverted("gikk ned", "forbruket") == "gikk forbruket ned"


def test_sentence_change_says_when_the_reporting_year_is_missing():
    b = _change_book()
    assert str(sentence_change(b, "d", "x", "g", subject="ressursinnsatsen")).startswith("Ressursinnsatsen økte fra 85,8")
    b.year = 2019
    assert str(sentence_change(b, "d", "x", "g", subject="ressursinnsatsen")) == (
        f"Tall for ressursinnsatsen i 2019 foreligger ikke ennå; siste tall er fra 2018 (104,4{NBSP}årsverk)."
    )
    assert str(sentence_change(b, "d", "x", "none", subject="ingenting")) == "Det finnes ennå ingen tall for ingenting."


def test_figures_in_sentences_carry_their_unit():
    b = _change_book()
    assert fmt_val(b, "x", 104.44) == f"104,4{NBSP}årsverk" and fmt_val(b, "x", 104.44, unit=False) == "104,4"
    assert fmt_val(b, "p", 13.44) == f"13,4{PCT}" and fmt_obs(b, "d", "p", "g", 2018) == f"13,4{PCT}"


@pytest.mark.parametrize(("sections", "titles"), [(["2.2"], ["A", "B"]), (["2.2.3"], ["A"]), (["3"], [])])
def test_note_source_charts_by_section(sections, titles):
    from analysis.data.book import SourceChart

    b = _change_book()
    b.charts = [SourceChart("2.2.3", "A", "viser a"), SourceChart("2.2.4", "B", "viser b"), SourceChart("2.23", "C", "nei")]
    text = str(note_source_charts(b, sections))
    assert [t for t in ("A", "B", "C") if f"**{t}**" in text] == titles
    if titles:
        assert text.startswith("::: {.callout-note}") and "- **A** (kapittel 2.2.3): viser a" in text


def test_csv_writes_percentage_points_as_numbers_with_the_unit_in_the_header():
    rows = [["Andel", "53\u00a0%", "+4,0\u00a0pp"], ["Deltid", "31\u00a0%", f"{MINUS}4,0\u00a0pp"], ["Ny", "–", "–"]]
    lines = table_output(
        pl.DataFrame({STUB: [r[0] for r in rows], "2018": [r[1] for r in rows], "Endring": [r[2] for r in rows]}),
        id="t",
        title="T",
        plain="p",
        source="Kilde: x.",
    ).csv.splitlines()
    assert lines[0] == ";2018;Endring (pp);Kilde"
    assert lines[1:3] == ["Andel;53%;+4,0;Kilde: x.", "Deltid;31%;-4,0;Kilde: x."]  # numbers: no ' before them
    assert "'" not in "".join(lines)


def test_tables_name_a_unit_once():
    book = FakeBook(
        2018,
        {("d", "e", "kommunen"): {2017: 200.0, 2018: 210.0}, ("d", "a", "kommunen"): {2017: 5.0, 2018: 6.0}},
        units={"e": ("kwh_per_kvm", "kWh per kvm"), "a": ("kvm", "kvm")},
    )
    rows = [Row("d", "e", label="Energiforbruket i kommunens eiendomsmasse (kwh. pr. kvm.)"), Row("d", "a", label="Samlet areal")]
    table = read_table(tab_rows(book, id="r", title="Rader", rows=rows).html)
    assert [r[0].text for r in table.rows] == ["Energiforbruket i kommunens eiendomsmasse (kwh. pr. kvm.)", "Samlet areal (kvm)"]

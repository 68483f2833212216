"""Small-cell suppression (``analysis.privacy``) on SYNTHETIC tables and on the real minority table.

The central test is an attacker's check written independently of the
suppression code: it takes what a reader sees (the shown cells), assumes every
row total and every column total is known (more than the book prints), solves
the linear system for the hidden cells exactly (fractions) and enumerates
non-negative integer solutions. A hidden cell is protected when more than one
value is consistent with everything published; a second solution is a proof.
"""

import itertools
import random
from fractions import Fraction
from pathlib import Path

import polars as pl
import pytest

import analysis as va
from analysis import config
from analysis.chapters import medarbeidere as ch
from analysis.privacy import MARKER, suppress

FIXTURES = Path(__file__).parent / "fixtures" / "privacy"
KJONN = ("menn", "kvinner")
ALDER = ("under_30", "30_39", "40_49", "over_50")


def load(name: str) -> pl.DataFrame:
    return pl.read_csv(FIXTURES / name)


# -- the attacker's check ---------------------------------------------------------------------------------------------------------


def _equations(values: dict, hidden: set, rows: list[str], cols: list[str], total_row: str | None):
    """Rows and columns as equations in the hidden cells: ``(coefficients, rhs)``; every total is taken as known."""
    unknown = sorted(hidden)
    idx = {cell: i for i, cell in enumerate(unknown)}
    eqs = []
    for r in rows:  # a row's total (never printed) is assumed known
        coef, rhs = [Fraction(0)] * len(unknown), Fraction(sum(values[(r, c)] for c in cols))
        for c in cols:
            if (r, c) in idx:
                coef[idx[(r, c)]] += 1
            else:
                rhs -= values[(r, c)]
        eqs.append((coef, rhs))
    for c in cols:  # parts minus the total row = 0, or parts = the (assumed known) column total
        coef = [Fraction(0)] * len(unknown)
        rhs = Fraction(0) if total_row else Fraction(sum(values[(r, c)] for r in rows))
        for r in rows:
            sign = -1 if r == total_row else 1
            if (r, c) in idx:
                coef[idx[(r, c)]] += sign
            else:
                rhs -= sign * values[(r, c)]
        eqs.append((coef, rhs))
    return unknown, eqs


def _rref(eqs, n: int):
    """Reduced row echelon form: ``{pivot: (constant, {free: coefficient})}`` and the free variables."""
    m = [list(c) + [r] for c, r in eqs]
    pivots, row = [], 0
    for col in range(n):
        p = next((i for i in range(row, len(m)) if m[i][col] != 0), None)
        if p is None:
            continue
        m[row], m[p] = m[p], m[row]
        m[row] = [x / m[row][col] for x in m[row]]
        for i in range(len(m)):
            if i != row and m[i][col] != 0:
                m[i] = [a - m[i][col] * b for a, b in zip(m[i], m[row], strict=True)]
        pivots.append(col)
        row += 1
    assert all(r[-1] == 0 for r in m[row:]), "the published figures are inconsistent"
    free = [j for j in range(n) if j not in pivots]
    return {p: (m[i][-1], {f: -m[i][f] for f in free if m[i][f] != 0}) for i, p in enumerate(pivots)}, free


def linearly_determined(values, hidden, rows, cols, total_row=None) -> set:
    """Hidden cells that the shown cells and all totals fix by linear algebra alone."""
    unknown, eqs = _equations(values, hidden, rows, cols, total_row)
    pivots, _ = _rref(eqs, len(unknown))
    return {unknown[p] for p, (_, dep) in pivots.items() if not dep}


def feasible_values(values, hidden, rows, cols, total_row=None, radius: int | None = None) -> dict:
    """The values each hidden cell takes in the non-negative integer tables consistent with what is published.

    The free variables of the solved system run over ``0 .. row total`` (every solution), or with ``radius``
    over ``true value ± radius`` (solutions near the true table: enough to prove a second value exists).
    """
    unknown, eqs = _equations(values, hidden, rows, cols, total_row)
    pivots, free = _rref(eqs, len(unknown))
    top = {j: sum(values[(unknown[j][0], c)] for c in cols) for j in free}  # a cell is at most its row total
    lo = {j: 0 if radius is None else max(0, values[unknown[j]] - radius) for j in free}
    hi = {j: top[j] if radius is None else min(top[j], values[unknown[j]] + radius) for j in free}
    seen = {cell: set() for cell in unknown}
    for combo in itertools.product(*(range(lo[j], hi[j] + 1) for j in free)):
        x = dict(zip(free, combo, strict=True))
        x |= {p: const + sum(k * x[f] for f, k in dep.items()) for p, (const, dep) in pivots.items()}
        if all(v >= 0 and v.denominator == 1 if isinstance(v, Fraction) else v >= 0 for v in x.values()):
            for j, v in x.items():
                seen[unknown[j]].add(int(v))
    return seen


def cells(df: pl.DataFrame, key: str, cols) -> tuple[dict, list[str]]:
    rows = df[key].to_list()
    return {(r, c): int(v) for c in cols for r, v in zip(rows, df[c].to_list(), strict=True)}, rows


def assert_protected(values, hidden, rows, cols, total_row=None):
    """Every hidden cell has a second value consistent with the shown cells and all totals (searched near the true table)."""
    feas = feasible_values(values, hidden, rows, cols, total_row, radius=2)
    for cell, vs in feas.items():
        assert values[cell] in vs, f"the true value of {cell} must be a solution"
        assert len(vs) > 1, f"{cell} can be recovered: the only value consistent with the published figures is {vs}"


# -- the checker has teeth ----------------------------------------------------------------------------------------------------------


def test_checker_recovers_a_cell_hidden_alone():
    values, rows = cells(load("SYNTHETIC_kjonn.csv"), "gruppe", KJONN)
    feas = feasible_values(values, {("Enhet A", "menn")}, rows, list(KJONN), "Totalt")
    assert feas == {("Enhet A", "menn"): {3}}


def test_line_rule_alone_can_leave_a_cell_recoverable():
    """Every row and column below has zero or at least two hidden cells, yet Enhet R's under-30 count is fixed."""
    values, rows = cells(load("SYNTHETIC_bro.csv"), "enhet", ALDER)
    lines_only = {
        ("Enhet R", "under_30"),
        ("Enhet R", "30_39"),
        ("Enhet S", "under_30"),
        ("Enhet S", "40_49"),
        ("Enhet T", "under_30"),
        ("Enhet T", "40_49"),
        ("Enhet U", "30_39"),
        ("Enhet U", "over_50"),
        ("Enhet V", "30_39"),
        ("Enhet V", "over_50"),
    }
    fixed = linearly_determined(values, lines_only, rows, list(ALDER), "Totalt")
    assert {("Enhet R", "under_30"), ("Enhet R", "30_39")} <= fixed
    assert feasible_values(values, lines_only, rows, list(ALDER), "Totalt")[("Enhet R", "under_30")] == {2}


# -- the rule on the SYNTHETIC tables ---------------------------------------------------------------------------------------------


@pytest.fixture
def kjonn():
    df = load("SYNTHETIC_kjonn.csv")
    st = suppress(df, key="gruppe", counts=KJONN, total_row="Totalt", threshold=5, derived={"arsverk": KJONN, "andel": KJONN})
    return df, st


def test_primary_suppression_of_every_count_below_the_threshold(kjonn):
    df, st = kjonn
    values, _ = cells(df, "gruppe", KJONN)
    assert st.primary == {cell for cell, v in values.items() if 0 < v < 5} == {("Enhet A", "menn")}
    assert not st.is_hidden("Enhet B", "kvinner") and not st.is_hidden("Enhet C", "menn"), "zeros are shown"


def test_complementary_cells_take_the_smallest_non_zero_cell(kjonn):
    _, st = kjonn
    # row A: women (the only other cell); column men: Enhet E (7), not Enhet C (0); then row E: women
    assert st.complementary == {("Enhet A", "kvinner"), ("Enhet E", "menn"), ("Enhet E", "kvinner")}
    assert not any(st.is_hidden("Totalt", c) for c in KJONN)


def test_no_hidden_count_can_be_recovered(kjonn):
    df, st = kjonn
    values, rows = cells(df, "gruppe", KJONN)
    hidden = {cell for cell in st.hidden if cell[1] in KJONN}
    assert_protected(values, hidden, rows, list(KJONN), "Totalt")


def test_no_hidden_count_can_be_recovered_in_the_bridge_pattern():
    df = load("SYNTHETIC_bro.csv")
    st = suppress(df, key="enhet", counts=ALDER, total_row="Totalt", threshold=5)
    values, rows = cells(df, "enhet", ALDER)
    assert st.primary == {("Enhet R", "under_30"), ("Enhet R", "30_39"), ("Enhet S", "under_30"), ("Enhet U", "30_39")}
    assert {("Enhet R", "40_49"), ("Enhet R", "over_50")} <= st.complementary, "the bridge step closes a cycle through each"
    assert_protected(values, set(st.hidden), rows, list(ALDER), "Totalt")


def test_derived_cells_follow_their_counts(kjonn):
    _, st = kjonn
    assert st.derived == {(g, d) for g in ("Enhet A", "Enhet E") for d in ("arsverk", "andel")}
    assert st.show("Enhet A", "andel", "12,0 %") == MARKER
    assert st.show("Enhet D", "andel", "20,3 %") == "20,3 %"
    assert st.show("Totalt", "arsverk", "111,5") == "111,5"


def test_a_hidden_zero_only_when_nothing_else_is_left():
    df = pl.DataFrame({"g": ["A", "B", "T"], "m": [0, 9, 9], "k": [2, 7, 9]})
    st = suppress(df, key="g", counts=["m", "k"], total_row="T", threshold=5)
    assert st.primary == {("A", "k")}
    assert ("A", "m") in st.complementary  # the zero is the row's only other cell
    values, rows = cells(df, "g", ["m", "k"])
    assert_protected(values, set(st.hidden), rows, ["m", "k"], "T")


def test_threshold_changes_the_result(kjonn, monkeypatch):
    df, _ = kjonn
    assert suppress(df, key="gruppe", counts=KJONN, total_row="Totalt", threshold=1).hidden == set()
    at_ten = suppress(df, key="gruppe", counts=KJONN, total_row="Totalt", threshold=10)
    assert at_ten.primary == {("Enhet A", "menn"), ("Enhet C", "kvinner"), ("Enhet E", "menn"), ("Enhet E", "kvinner")}
    monkeypatch.setattr(config, "PRIVACY_MIN_COUNT", 10)
    assert suppress(df, key="gruppe", counts=KJONN, total_row="Totalt") == at_ten, "the default is read from config at call time"


def test_one_count_column_has_no_row_lines():
    df = pl.DataFrame({"g": ["A", "B", "C", "T"], "n": [3, 8, 20, 31]})
    st = suppress(df, key="g", counts=["n"], total_row="T", threshold=5)
    assert st.primary == {("A", "n")} and st.complementary == {("B", "n")}


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="negative"):
        suppress(pl.DataFrame({"g": ["A", "T"], "n": [-1, 4]}), key="g", counts=["n"])
    with pytest.raises(ValueError, match="duplicate"):
        suppress(pl.DataFrame({"g": ["A", "A"], "n": [1, 4]}), key="g", counts=["n"])


@pytest.mark.parametrize("seed", range(40))
def test_random_tables_leave_no_hidden_cell_determined(seed):
    """SYNTHETIC random tables (2–4 count columns, many small counts): no hidden cell is a linear function of what is shown."""
    rnd = random.Random(seed)
    cols = [f"c{j}" for j in range(rnd.randint(2, 4))]
    rows = [f"r{i}" for i in range(rnd.randint(3, 6))]
    data = {c: [rnd.choice([0, 1, 2, 3, 4, rnd.randint(5, 40), rnd.randint(5, 40)]) for _ in rows] for c in cols}
    data = {c: v + [sum(v)] for c, v in data.items()}
    df = pl.DataFrame({"g": rows + ["T"], **data})
    st = suppress(df, key="g", counts=cols, total_row="T", threshold=5)
    values, all_rows = cells(df, "g", cols)
    assert {c for c, v in values.items() if 0 < v < 5} <= st.hidden
    assert linearly_determined(values, set(st.hidden), all_rows, cols, "T") == set()


# -- the real minority table --------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def b18() -> va.Book:
    return va.setup(2018)


def test_real_minority_table_needs_no_suppression(b18):
    assert all(st.hidden == set() for st in ch.minoritet_suppression(b18).values())
    shown, off = ch.tab_minoritet(b18), ch.tab_minoritet(b18, min_count=0)
    assert (shown.html, shown.csv, shown.plain) == (off.html, off.csv, off.plain)
    assert MARKER not in shown.csv and MARKER not in shown.html
    assert str(ch.sentence_personvern(b18)).endswith("I @tbl-medarbeidere-minoritet var det ikke nødvendig å skjule noen tall.")


def test_real_minority_counts_at_a_higher_threshold_are_protected(b18):
    """At threshold ten the real table has small counts; the check above finds none of them recoverable."""
    for year, st in ch.minoritet_suppression(b18, min_count=10).items():
        groups = [*ch.SECTORS, ch.KOMMUNEN]
        values = {(g, c): int(b18.value("hr_minoritet", c, g, year)) for g in groups for c in ch._MINORITET_COUNTS}
        hidden = {cell for cell in st.hidden if cell[1] in ch._MINORITET_COUNTS}
        assert ("oppvekst_barnehage", "menn_minoritetsbakgrunn") in st.primary
        assert_protected(values, hidden, groups, list(ch._MINORITET_COUNTS), ch.KOMMUNEN)

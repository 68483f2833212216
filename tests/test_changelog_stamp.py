"""The changelog's key holds the import's time: two imports in one second must both be recorded.

The figures written are SYNTHETIC (invented for the test).
"""

from __future__ import annotations


def test_two_imports_of_one_figure_in_the_same_second_are_both_recorded(data_copy, tmp_path):
    """The changelog's key holds the time: a second --replace within one second must not repeat it."""
    from datetime import UTC, datetime

    from analysis.data.provenance import Credit
    from analysis.intake.apply import apply_import
    from analysis.intake.plan import plan_values

    del tmp_path
    at = datetime(2026, 12, 2, 3, 30, 0, tzinfo=UTC)
    for value in ("3100", "3101"):
        from analysis.intake.check import NewValue

        v = NewValue(
            "adm_tjenesteprofil",
            "brutto_driftsutgifter_administrasjon_per_innbygger",
            "asker",
            2017,
            value,
            "test",
            "A1",
            Credit("workbook", "SYNTHETIC testkilde"),
        )
        plan = plan_values([v], data_copy, source_name="SYNTHETIC", sha256="0" * 64, replace=True)
        apply_import(plan, data_copy, now=at)
    stamps = [line.split(",")[0] for line in (data_copy / "changelog.csv").read_text().splitlines()[1:]]
    assert stamps == ["2026-12-02T03:30:00Z", "2026-12-02T03:30:01Z"]

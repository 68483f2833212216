"""Loading ``data/``: validated once per process and data state, then read with polars.

``load_observations``, ``load_table`` and ``load_checks`` validate the package
(``ensure_valid``, cached), read each file once through the read record
(``analysis.data.reads``: the build's record of what a chapter actually read)
and type it by its schema. ``reads`` and ``clear_reads`` give that record.
"""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl

from analysis.calc.numbers import value_decimals
from analysis.config import CHECKS_FILE, DATA_DIR
from analysis.data.checks import identities, parse_checks
from analysis.data.package import read_descriptor, resource
from analysis.data.reads import clear_reads, read_recorded, reads, record_read
from analysis.data.validate import ensure_valid

__all__ = ["load_observations", "load_table", "load_checks", "reads", "clear_reads"]

_POLARS_TYPES = {"integer": pl.Int64, "number": pl.Float64, "string": pl.Utf8, "boolean": pl.Boolean}


def _read_csv_strings(data: bytes) -> pl.DataFrame:
    return pl.read_csv(io.BytesIO(data), infer_schema=False, encoding="utf8")


def _with_decimals(df: pl.DataFrame, column: str = "value") -> pl.DataFrame:
    return df.with_columns(
        pl.col(column).map_elements(lambda s: value_decimals(s) if s is not None else None, return_dtype=pl.Int64).alias("decimals"),
        pl.col(column).cast(pl.Float64),
    )


def load_observations(name: str, data_dir: Path = DATA_DIR, *, until: int | None = None) -> pl.DataFrame:
    """One observation dataset: ``year, indicator, group, value, decimals``.

    Parameters
    ----------
    name : the dataset's name in ``datapackage.yaml``.
    until : the reporting year; later years are left out, so that a chapter
        run for an earlier year cannot show figures from after it.
    """
    data_dir = Path(data_dir)
    ensure_valid(data_dir)
    res = resource(read_descriptor(data_dir), name)
    df = _with_decimals(_read_csv_strings(read_recorded(name, data_dir / res["path"]))).with_columns(pl.col("year").cast(pl.Int64))
    if until is not None:
        df = df.filter(pl.col("year") <= until)
    return df.sort(["indicator", "group", "year"])


def load_table(name: str, data_dir: Path = DATA_DIR) -> pl.DataFrame:
    """A lookup or side table (``indicators``, ``groups``, ``printed_derived``, ...) typed by its schema.

    A ``value`` column also gets its printed precision as ``decimals``.
    """
    data_dir = Path(data_dir)
    ensure_valid(data_dir)
    res = resource(read_descriptor(data_dir), name)
    df = _read_csv_strings(read_recorded(name, data_dir / res["path"]))
    fields = res["schema"]["fields"]
    casts = []
    for f in fields:
        t = f.get("type", "string")
        if f["name"] == "value":
            continue
        if t == "boolean":
            casts.append(pl.col(f["name"]).str.to_lowercase().eq("true").alias(f["name"]))
        else:
            casts.append(pl.col(f["name"]).cast(_POLARS_TYPES.get(t, pl.Utf8)))
    df = df.with_columns(casts)
    if "value" in df.columns:
        df = _with_decimals(df)
    return df


def load_checks(data_dir: Path = DATA_DIR) -> list[dict]:
    """The linear identities of ``checks.yaml`` (its same-fact declarations are checked by ``validate``)."""
    path = Path(data_dir) / CHECKS_FILE
    if not path.exists():
        record_read("checks", path, None)  # recorded too: the file appearing changes the result
        return []
    return identities(parse_checks(read_recorded("checks", path).decode("utf-8")))

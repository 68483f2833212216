"""Measure ``import`` on a 100 000-row sheet: wall time and peak memory (issue 11: within 5 s and 300 MB).

    python benchmarks/intake.py [--rows 100000]

Builds, in a temporary folder, a SYNTHETIC workbook shaped like the template's
``osu_arsverk`` sheet with ``--rows`` rows of unknown indicators (and the same
rows as a semicolon CSV), copies data/, runs ``virksomhetsanalyse import`` on
each as a subprocess and prints its exit code, wall time, peak RSS
(``resource.getrusage(RUSAGE_CHILDREN)``) and the size of its output. The peak is the largest child process so far
(``ru_maxrss`` of children is a maximum, not a sum), so the workbook is measured
first. Nothing
outside the temporary folder is touched.
"""

from __future__ import annotations

import argparse
import csv
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.config import DATA_DIR  # noqa: E402
from analysis.intake.template import FIXED_HEADER, SOURCE_HEADER  # noqa: E402

YEARS = (2014, 2015, 2016, 2017, 2018, 2019)


def _rows(n: int):
    yield [*FIXED_HEADER, *YEARS, SOURCE_HEADER]
    for i in range(n):
        yield [f"syntetisk_{i}", "digit", "Syntetisk", "Digitalisering og IT", "årsverk", None, None, None, None, None, "mye", "SYNTHETIC"]


def build_workbook(path: Path, n: int) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("osu_arsverk")
    for row in _rows(n):
        ws.append(row)
    wb.save(path)


def build_csv(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(["" if v is None else v for v in r] for r in _rows(n))


def _command() -> list[str]:
    exe = Path(sys.executable).with_name("virksomhetsanalyse")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "analysis.cli"]


def measure(path: Path, data: Path) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run([*_command(), "import", str(path), "--data-dir", str(data)], capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux; the largest child so far
    out = proc.stdout + proc.stderr
    return {"exit": proc.returncode, "seconds": seconds, "peak_mb": max(peak, before) / 1024, "output_chars": len(out), "first": out[:300]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="intake-bench-") as tmp:
        tmp = Path(tmp)
        data = tmp / "data"
        shutil.copytree(DATA_DIR, data)
        inputs = {"workbook": tmp / "SYNTHETIC_mal-2019.xlsx", "csv": tmp / "osu_arsverk.csv"}
        t = time.perf_counter()
        build_workbook(inputs["workbook"], args.rows)
        build_csv(inputs["csv"], args.rows)
        print(f"built {args.rows:,} rows in {time.perf_counter() - t:.1f} s (not measured)".replace(",", " "))
        for kind, path in inputs.items():
            r = measure(path, data)
            chars = f"{r['output_chars']:,}".replace(",", " ")
            print(f"{kind:8}: exit {r['exit']}; {r['seconds']:.2f} s wall; peak RSS {r['peak_mb']:.0f} MB; output {chars} characters")
            print("          " + r["first"].strip().replace("\n", "\n          "))


if __name__ == "__main__":
    main()

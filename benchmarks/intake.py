"""Measure ``import`` on a 100 000-row sheet and on a shared-strings bomb: wall time and peak memory (issues 11 and 20:
each refused within 5 s and 300 MB).

    python benchmarks/intake.py [--rows 100000] [--bomb-mb 1000]

Builds, in a temporary folder, a SYNTHETIC workbook shaped like the template's
``osu_arsverk`` sheet with ``--rows`` rows of unknown indicators (and the same
rows as a semicolon CSV), and a workbook of about 1 MB whose ``xl/sharedStrings.xml``
unpacks to ``--bomb-mb`` MB (issue 20's 2,8 MB file unpacked to about 1 GB); copies
data/, runs ``virksomhetsanalyse import`` (``--dry-run`` for the bomb) on each as a
subprocess and prints its exit code, wall time, peak RSS (``os.wait4``: that child's
own ``ru_maxrss``) and the size of its output. Nothing outside the temporary folder
is touched.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
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


def build_bomb(path: Path, megabytes: int) -> None:
    """A one-sheet workbook whose shared strings unpack to ``megabytes`` MB of one repeated letter (deflate packs it ~1000:1)."""
    from openpyxl import Workbook

    plain = path.with_name("plain.xlsx")
    wb = Workbook()
    wb.active.title = "osu_arsverk"
    wb.active.append(["SYNTHETIC"])
    wb.save(plain)
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename != "xl/sharedStrings.xml":
                zout.writestr(info, zin.read(info.filename))
        with zout.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
            fh.write(
                b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
            )
            chunk = b"A" * 1_000_000
            for _ in range(megabytes):
                fh.write(chunk)
            fh.write(b"</t></si></sst>")
    plain.unlink()


def _command() -> list[str]:
    exe = Path(sys.executable).with_name("virksomhetsanalyse")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "analysis.cli"]


def measure(path: Path, data: Path, *options: str) -> dict:
    """Run ``import`` on ``path``: exit code, wall seconds, the child's own peak RSS (``os.wait4``), its output."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen([*_command(), "import", str(path), *options, "--data-dir", str(data)], stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    peak = usage.ru_maxrss / 1024  # KiB on Linux
    return {"exit": proc.returncode, "seconds": seconds, "peak_mb": peak, "output_chars": len(text), "first": text[:300]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--bomb-mb", type=int, default=1000, help="what the bomb's shared strings unpack to, in MB")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="intake-bench-") as tmp:
        tmp = Path(tmp)
        data = tmp / "data"
        shutil.copytree(DATA_DIR, data)
        inputs = {"workbook": tmp / "SYNTHETIC_mal-2019.xlsx", "csv": tmp / "osu_arsverk.csv", "bomb": tmp / "SYNTHETIC_bomb.xlsx"}
        t = time.perf_counter()
        build_workbook(inputs["workbook"], args.rows)
        build_csv(inputs["csv"], args.rows)
        build_bomb(inputs["bomb"], args.bomb_mb)
        size = inputs["bomb"].stat().st_size / 1e6
        print(f"built {args.rows:,} rows and a {size:.1f} MB bomb of {args.bomb_mb:,} MB in {time.perf_counter() - t:.1f} s (not measured)"
              .replace(",", " "))  # fmt: skip
        for kind, path in inputs.items():
            r = measure(path, data, *(["--dry-run"] if kind == "bomb" else []))
            chars = f"{r['output_chars']:,}".replace(",", " ")
            print(f"{kind:8}: exit {r['exit']}; {r['seconds']:.2f} s wall; peak RSS {r['peak_mb']:.0f} MB; output {chars} characters")
            print("          " + r["first"].strip().replace("\n", "\n          "))


if __name__ == "__main__":
    main()

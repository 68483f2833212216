"""Benchmark of `virksomhetsanalyse run` (a script, not a test).

Measures, on copies in a temporary folder (the real book/ and .build/ are not touched):

1. a cold run of every notebook;
2. a no-op run (nothing changed: every chapter skipped);
3. a run after one dataset changed (only the chapters whose last run read it run
   again, plus any chapter that recorded no read: it depends on all data);
4. the cost floor: start a kernel and import the chapters' libraries (polars,
   great_tables, altair, vl_convert, analysis) once per chapter.

and prints the seconds and the ratio cold run / (floor summed over chapters / cores):
how far the pipeline is from the least a parallel run of these chapters could cost.

    python benchmarks/build.py                 # the synthetic fixture chapters (tests/fixtures/)
    python benchmarks/build.py --real          # notebooks/ and data/ (once the chapters exist)
    python benchmarks/build.py --jobs 4 --change osu_arsverk
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from analysis import config
from analysis.build import pipeline as build

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
FLOOR_CODE = "import polars, great_tables, altair, vl_convert, analysis"


def _timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def kernel_floor(n: int, cwd: Path) -> list[float]:
    """Seconds to start a kernel and import the chapters' libraries, ``n`` times in a row."""
    from jupyter_client.manager import start_new_kernel

    seconds = []
    for _ in range(n):
        start = time.perf_counter()
        km, kc = start_new_kernel(kernel_name="python3", cwd=str(cwd), stderr=subprocess.DEVNULL)
        try:
            reply = kc.execute_interactive(FLOOR_CODE, timeout=300, output_hook=lambda msg: None)
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"the floor import failed: {reply['content'].get('evalue')}")
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
        seconds.append(time.perf_counter() - start)
    return seconds


def _changed_dataset(data: Path, wanted: str | None) -> str:
    """The dataset to touch: ``wanted``, or the descriptor's first observation dataset."""
    from analysis.data.store import observation_names, read_descriptor

    if wanted:
        return wanted
    names = observation_names(read_descriptor(data))
    if not names:
        raise SystemExit("the data package has no observation dataset: nothing to change")
    return names[0]


def _touch_dataset(data: Path, dataset: str) -> str:
    """Change the last value of the dataset's file by one unit of its last printed digit (the data stay valid)."""
    import csv
    import io
    from decimal import Decimal

    from analysis.data.store import read_descriptor, resource

    path = data / resource(read_descriptor(data), dataset).get("path", f"{dataset}.csv")
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    col = rows[0].index("value")
    old = Decimal(rows[-1][col])
    rows[-1][col] = str(old + Decimal(1).scaleb(old.as_tuple().exponent))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return f"{rows[-1][:col]}: {old} -> {rows[-1][col]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", action="store_true", help="use notebooks/ and data/ instead of the synthetic fixtures")
    parser.add_argument("--jobs", type=int, default=build.cores(), help="notebooks run at once (default: cores)")
    parser.add_argument("--year", type=int, default=config.DEFAULT_YEAR)
    parser.add_argument("--change", help="dataset to change for the incremental run (default: the first observation dataset)")
    args = parser.parse_args()

    # Hash the analysis source once: edits made to it while the benchmark runs must not count as changes.
    package_hash = build._package_hash()
    build._package_hash = lambda: package_hash
    source_nb, source_data = (config.NOTEBOOKS_DIR, config.DATA_DIR) if args.real else (FIXTURES / "notebooks", FIXTURES / "data")
    names = list(config.NOTEBOOKS)
    cores = args.jobs
    with tempfile.TemporaryDirectory(prefix="va-bench-") as tmp:
        tmp = Path(tmp)
        nb, data, book, state = tmp / "notebooks", tmp / "data", tmp / "book", tmp / ".build"
        shutil.copytree(source_nb, nb)
        shutil.copytree(source_data, data)

        def run():
            return build.run_notebooks(names, year=args.year, jobs=cores, notebooks_dir=nb, book_dir=book, state_dir=state, data_dir=data)

        cold, cold_result = _timed(run)
        noop, noop_result = _timed(run)
        dataset = _changed_dataset(data, args.change)
        change = _touch_dataset(data, dataset)
        changed, changed_result = _timed(run)
        floor = kernel_floor(len(names), book)

    floor_sum = sum(floor)
    parallel_floor = floor_sum / cores
    print(f"chapters: {len(names)} ({'real' if args.real else 'synthetic fixtures'}), jobs/cores: {cores}")
    print(f"cold run                  {cold:7.2f} s   ran {len(cold_result.executed)}")
    for name, seconds in cold_result.executed.items():
        print(f"    {name:<22}{seconds:7.2f} s")
    print(f"no-op run                 {noop:7.2f} s   ran {len(noop_result.executed)}, skipped {len(noop_result.skipped)}")
    print(f"one dataset changed       {changed:7.2f} s   ran {', '.join(changed_result.executed) or 'none'}")
    print(f"    ({dataset} {change})")
    print(f"floor (kernel + imports)  {floor_sum:7.2f} s   summed over {len(floor)} chapters; {floor_sum / len(floor):.2f} s each")
    print(f"floor / cores             {parallel_floor:7.2f} s")
    print(f"ratio cold / (floor/cores) {cold / parallel_floor:6.2f}")


if __name__ == "__main__":
    main()

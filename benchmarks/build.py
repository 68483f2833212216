"""Benchmark of `virksomhetsanalyse run` (a script, not a test).

Measures, on copies in a temporary folder (the real book/ and .build/ are not touched), for both
engines side by side, in one run: ``kernels`` (a pool of warm kernels, the default) and
``processes`` (a papermill process per chapter, the way before the pool):

1. a cold run of every notebook;
2. a no-op run (nothing changed: every chapter skipped);
3. a run after one dataset changed (only the chapters whose last run read it run
   again, plus any chapter that recorded no read: it depends on all data);

then the cost floor: start a kernel and import the chapters' libraries (``kernels.WARM_CODE``:
polars, great_tables, altair, vl_convert, analysis.present.charts and .tables) once per chapter,
and the ratio cold run / (floor summed over chapters / cores): how far each engine is from the
least a parallel run of these chapters, each in a kernel of its own, could cost.

Where Quarto is found (``render.find_quarto``), also the peer comparison on a copy of the
project (HTML only, ``--quarto-to`` to change): ``run`` + ``render`` against Quarto executing
the same notebooks itself (``quarto render --execute`` with ``execute: enabled: true``), and the
re-render with nothing changed against Quarto's freeze cache (``execute: freeze: auto``).
Without Quarto that row says so and is skipped.

    python benchmarks/build.py                 # the synthetic fixture chapters (tests/fixtures/)
    python benchmarks/build.py --real          # notebooks/ and data/
    python benchmarks/build.py --real --jobs 4 --change osu_arsverk
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from analysis import config
from analysis.pipeline import keys, render, run
from analysis.pipeline.kernels import WARM_CODE

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
FLOOR_CODE = WARM_CODE
"""What every chapter imports; ``import analysis`` alone is no floor (the package root is lazy)."""
ENGINES = ("kernels", "processes")


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
    from analysis.data.package import observation_names, read_descriptor

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

    from analysis.data.package import read_descriptor, resource

    path = data / resource(read_descriptor(data), dataset).get("path", f"{dataset}.csv")
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    col = rows[0].index("value")
    old = Decimal(rows[-1][col])
    rows[-1][col] = str(old + Decimal(1).scaleb(old.as_tuple().exponent))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return f"{rows[-1][:col]}: {old} -> {rows[-1][col]}"


def measure_engine(engine: str, tmp: Path, source_nb: Path, source_data: Path, names: list[str], args) -> dict:
    """Cold, no-op and one-dataset-changed runs with one engine, on a fresh copy in ``tmp/run`` (the same paths for
    each engine, so that their executed chapters, which name the data folder, can be compared byte for byte)."""
    work = tmp / "run"
    shutil.rmtree(work, ignore_errors=True)
    nb, data, book, state = work / "notebooks", work / "data", work / "book", work / ".build"
    shutil.copytree(source_nb, nb)
    shutil.copytree(source_data, data)
    if (source_data.parent / "narrative").is_dir():  # the text of each edition, read from beside the data folder
        shutil.copytree(source_data.parent / "narrative", work / "narrative")

    def go():
        return run.run_notebooks(
            names, year=args.year, jobs=args.jobs, engine=engine, notebooks_dir=nb, book_dir=book, state_dir=state, data_dir=data
        )

    cold, cold_result = _timed(go)
    noop, _ = _timed(go)
    dataset = _changed_dataset(data, args.change)
    change = _touch_dataset(data, dataset)
    changed, changed_result = _timed(go)
    kept = tmp / f"book-{engine}"
    shutil.copytree(book, kept)
    return {
        "cold": cold,
        "per_chapter": cold_result.executed,
        "noop": noop,
        "changed": changed,
        "reran": list(changed_result.executed),
        "change": f"{dataset} {change}",
        "book": kept,
    }


# --------------------------------------------------------------------------- Quarto as the peer

PROJECT_FILES = ("_quarto.yml", "_quarto-year.yml", "_quarto-edition.yml", "index.qmd", "tools", "book")


def _quarto_project(dst: Path, notebooks: Path | None, freeze: bool = False) -> Path:
    """A copy of the Quarto project; with ``notebooks``, book/ holds the unexecuted chapters and Quarto executes them."""
    dst.mkdir(parents=True)
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dst / name, ignore=shutil.ignore_patterns("assets", "__pycache__"))
        else:
            shutil.copy2(src, dst / name)
    if notebooks is not None:
        for name in config.NOTEBOOKS:
            shutil.copy2(notebooks / f"{name}.ipynb", dst / "book" / f"{name}.ipynb")
        conf = yaml.safe_load((dst / "_quarto.yml").read_text(encoding="utf-8"))
        # https://quarto.org/docs/projects/code-execution.html: execute (enabled) and freeze
        conf["execute"] = {"enabled": True, "echo": False, **({"freeze": "auto"} if freeze else {})}
        (dst / "_quarto.yml").write_text(yaml.safe_dump(conf, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return dst


def _quarto(quarto: str, project: Path, to: str, *extra: str) -> float:
    env = {**os.environ, "QUARTO_PYTHON": sys.executable}
    start = time.perf_counter()
    proc = subprocess.run([quarto, "render", "--to", to, *extra], cwd=project, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"quarto render failed in {project} ({proc.returncode}): {proc.stderr[-2000:]}")
    return seconds


def measure_quarto(quarto: str, tmp: Path, args) -> dict:
    """``run`` + ``render`` against ``quarto render --execute``, cold and with nothing changed (freeze: auto)."""
    ours = _quarto_project(tmp / "ours", None)
    book, state, notebooks = ours / "book", ours / ".build", tmp / "notebooks"
    shutil.copytree(config.NOTEBOOKS_DIR, notebooks)

    def ours_once(force: bool) -> float:
        start = time.perf_counter()
        run.run_notebooks(year=args.year, jobs=args.jobs, force=force, notebooks_dir=notebooks, book_dir=book, state_dir=state)
        render.render_book(args.quarto_to, root=ours, book_dir=book, output_dir=ours / "_book", quarto=quarto, state_dir=state)
        return time.perf_counter() - start

    ours_cold, ours_again = ours_once(True), ours_once(False)
    # one chapter changed (its notebook's metadata): that chapter runs again, and the book is rendered again
    nb = notebooks / f"{config.CHAPTERS[1]}.ipynb"
    nb.write_text(nb.read_text(encoding="utf-8").replace('"metadata": {', '"metadata": {"benchmark": 1, ', 1), encoding="utf-8")
    ours_one = ours_once(False)
    execute = _quarto_project(tmp / "execute", config.NOTEBOOKS_DIR)
    render.write_vega_bundle(execute / "book")
    from analysis.present import fonts

    fonts.write_web_fonts(execute / "book")
    (execute / render.YEAR_PROFILE).write_text((ROOT / render.YEAR_PROFILE).read_text(encoding="utf-8"), encoding="utf-8")
    q_cold = _quarto(quarto, execute, args.quarto_to, "--execute")
    frozen = _quarto_project(tmp / "frozen", config.NOTEBOOKS_DIR, freeze=True)
    shutil.copytree(execute / "book" / "assets", frozen / "book" / "assets")
    shutil.copy2(execute / render.YEAR_PROFILE, frozen / render.YEAR_PROFILE)
    q_freeze_cold = _quarto(quarto, frozen, args.quarto_to)
    q_freeze_again = _quarto(quarto, frozen, args.quarto_to)
    return {
        "ours_cold": ours_cold,
        "ours_again": ours_again,
        "ours_one": ours_one,
        "q_cold": q_cold,
        "q_freeze_cold": q_freeze_cold,
        "q_freeze_again": q_freeze_again,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", action="store_true", help="use notebooks/ and data/ instead of the synthetic fixtures")
    parser.add_argument("--jobs", type=int, default=run.cores(), help="notebooks run at once (default: cores)")
    parser.add_argument("--year", type=int, default=config.DEFAULT_YEAR)
    parser.add_argument("--change", help="dataset to change for the incremental run (default: the first observation dataset)")
    parser.add_argument("--quarto-to", default="html", choices=[t.value for t in render.Target], help="the Quarto rows' format")
    args = parser.parse_args()

    # Hash the analysis source once: edits made to it while the benchmark runs must not count as changes.
    package_hash = keys.package_hash()
    keys.package_hash = lambda: package_hash
    source_nb, source_data = (config.NOTEBOOKS_DIR, config.DATA_DIR) if args.real else (FIXTURES / "notebooks", FIXTURES / "data")
    names = list(config.NOTEBOOKS)
    with tempfile.TemporaryDirectory(prefix="va-bench-") as tmp:
        tmp = Path(tmp)
        got = {e: measure_engine(e, tmp, source_nb, source_data, names, args) for e in ENGINES}
        books = [got[e]["book"] for e in ENGINES]
        same = all(len({(b / f"{n}.ipynb").read_bytes() for b in books}) == 1 for n in names)
        floor = kernel_floor(len(names), tmp)
        quarto = render.find_quarto() if args.real else None
        peer = measure_quarto(quarto, tmp / "quarto", args) if quarto else None

    floor_sum = sum(floor)
    per_core = floor_sum / args.jobs
    k, p = got["kernels"], got["processes"]
    print(f"chapters: {len(names)} ({'real' if args.real else 'synthetic fixtures'}), jobs/cores: {args.jobs}")
    print(f"{'':28}{'kernels':>10}{'processes':>11}")
    print(f"{'cold run':28}{k['cold']:9.2f}s{p['cold']:10.2f}s")
    for name in names:
        print(f"    {name:24}{k['per_chapter'][name]:9.2f}s{p['per_chapter'][name]:10.2f}s")
    print(f"{'no-op run':28}{k['noop']:9.2f}s{p['noop']:10.2f}s")
    print(f"{'one dataset changed':28}{k['changed']:9.2f}s{p['changed']:10.2f}s   ran {', '.join(k['reran']) or 'none'}")
    print(f"    ({k['change']})")
    print(f"{'ratio cold / (floor/cores)':28}{k['cold'] / per_core:9.2f} {p['cold'] / per_core:10.2f}")
    print(f"executed chapters of both engines byte-identical: {'yes' if same else 'NO'}")
    print(f"floor (kernel + imports)    {floor_sum:7.2f} s   summed over {len(floor)} chapters; {floor_sum / len(floor):.2f} s each")
    print(f"floor / cores               {per_core:7.2f} s")
    if peer is None:
        why = "needs --real" if not args.real else "Quarto not found (QUARTO unset, no quarto on PATH or beside this Python)"
        print(f"Quarto peer comparison: skipped: {why}")
        return
    print(f"Quarto peer comparison (--to {args.quarto_to}; run + render vs Quarto executing the notebooks itself)")
    print(f"    cold: run + render {peer['ours_cold']:7.2f} s   quarto render --execute {peer['q_cold']:7.2f} s")
    print(f"    freeze cache first render (executes)      {peer['q_freeze_cold']:7.2f} s")
    print(f"    nothing changed: run + render {peer['ours_again']:7.2f} s   quarto render, freeze: auto {peer['q_freeze_again']:7.2f} s")
    one = config.CHAPTERS[1]
    print(f"    one chapter changed ({one}): run + render {peer['ours_one']:7.2f} s (that chapter runs, the whole book renders)")
    print("    (freeze: auto re-executes only when a notebook's source changes, not when data/ does)")


if __name__ == "__main__":
    main()

"""How fast the CLI answers, as whole processes the way a user types them (a script, not a test).

    python benchmarks/cli.py            # best of 5 runs each
    python benchmarks/cli.py --runs 9

Measures `virksomhetsanalyse --help`, `virksomhetsanalyse run --help` and a no-op
`virksomhetsanalyse run` (every chapter up to date) on a temporary copy of the
project, so the real book/ and .build/ are not touched. Prints the best and the
median seconds of each; the best is the figure to quote (least disturbed by
whatever else the machine is doing).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COPY = ("analysis", "data", "narrative", "notebooks", "book", "pyproject.toml", "index.qmd", "tools")
COPY += ("_quarto.yml", "_quarto-year.yml", "_quarto-edition.yml")


def _copy_project(dst: Path) -> None:
    for name in COPY:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dst / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, dst / name)


def _time(cmd: list[str], cwd: Path, env: dict, runs: int) -> list[float]:
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        seconds.append(time.perf_counter() - start)
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="runs of each command (default 5)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        proj = Path(tmp) / "proj"
        proj.mkdir()
        _copy_project(proj)
        # the copy's own package, run by this Python: `python -m analysis.cli` is what the entry point runs
        env = {**os.environ, "PYTHONPATH": str(proj)}
        cli = [sys.executable, "-m", "analysis.cli"]
        warm = subprocess.run([*cli, "run"], cwd=proj, env=env, capture_output=True, text=True)  # fills .build/
        if warm.returncode != 0:
            raise SystemExit(f"the first run failed: {warm.stderr[-2000:]}")
        rows = [
            ("virksomhetsanalyse --help", [*cli, "--help"]),
            ("virksomhetsanalyse run --help", [*cli, "run", "--help"]),
            ("virksomhetsanalyse run (no-op)", [*cli, "run"]),
        ]
        print(f"{'command':<34} {'best s':>8} {'median s':>9}  ({args.runs} runs, {os.cpu_count()} cores)")
        for label, cmd in rows:
            s = _time(cmd, proj, env, args.runs)
            print(f"{label:<34} {min(s):8.2f} {statistics.median(s):9.2f}")


if __name__ == "__main__":
    main()

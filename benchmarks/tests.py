"""How long the README's test command takes, with the state of the machine beside it (a script, not a test).

    python benchmarks/tests.py            # 2 runs of .venv/bin/pytest (what `make test` runs)
    python benchmarks/tests.py --runs 3

Each run prints its wall time, the processor time the whole machine spent (user and system, from
/proc/stat), the time the hypervisor took away (steal), and the seconds a fixed pure-Python loop
takes just before it: on a shared virtual machine that loop alone varies by half, and so does
every figure of the run. The best wall time is the figure to quote, with the loop's time beside it.
The tests' own time per file is printed by pytest after each run's summary (``tests/conftest.py``).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTEST = ROOT / ".venv" / "bin" / "pytest"


def _cpu() -> tuple[float, float]:
    """(user + nice + system, steal) seconds of the whole machine so far."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    tick = os.sysconf("SC_CLK_TCK")
    return (fields[0] + fields[1] + fields[2]) / tick, (fields[7] if len(fields) > 7 else 0) / tick


def _loop() -> float:
    """Seconds of a fixed pure-Python loop (the machine's speed at the moment)."""
    start = time.perf_counter()
    total = 0
    for i in range(20_000_000):
        total += i
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=2, help="runs of the test command (default 2)")
    args = parser.parse_args()
    if not PYTEST.exists():
        print(f"{PYTEST} not found: run `make setup` first", file=sys.stderr)
        return 2
    walls = []
    for i in range(1, args.runs + 1):
        loop = _loop()
        cpu0, steal0 = _cpu()
        start = time.perf_counter()
        proc = subprocess.run([str(PYTEST), "-q"], cwd=ROOT, capture_output=True, text=True)
        wall = time.perf_counter() - start
        cpu1, steal1 = _cpu()
        summary = next((line.strip("= ") for line in reversed(proc.stdout.splitlines()) if re.search(r"\d+ passed", line)), "no summary")
        print(
            f"run {i}: {wall:5.1f} s wall, {cpu1 - cpu0:6.1f} s processor, {steal1 - steal0:4.1f} s stolen, "
            f"reference loop {loop:.2f} s; {summary}",
            flush=True,
        )
        areas = proc.stdout.split("time per test area", 1)[-1].splitlines()[1:4]
        print("       largest: " + "; ".join(" ".join(a.split()) for a in areas if a.strip()), flush=True)
        if proc.returncode != 0:
            print(proc.stdout[-3000:], file=sys.stderr)
            return proc.returncode
        walls.append(wall)
    print(f"best of {len(walls)}: {min(walls):.1f} s on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

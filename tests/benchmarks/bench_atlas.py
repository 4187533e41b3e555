"""Benchmark of ``siting atlas --all-states``: time and peak memory of the 32-state batch.

Usage::

    python tests/benchmarks/bench_atlas.py                       # PDF, letter, 300 dpi
    python tests/benchmarks/bench_atlas.py --format png --dpi 150
    python tests/benchmarks/bench_atlas.py --page tabloid --repeat 2

Runs ``python -m siting atlas --all-states --lang es -q --out DIR`` in a child process on the
bundled default (661 candidate sites, bundled road network) after one warm-up run of one state
(routing and map-context caches filled, as a user sees it from the second run on). Reports
wall-clock seconds, the child's peak resident memory (``ru_maxrss`` of that child alone, from
``os.wait4``), the number of files, the size of ``atlas.pdf`` and of the largest state sheet.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run_once(out: Path, *extra: str) -> tuple[float, float, int]:
    """Run ``siting atlas`` in a child; return (seconds, peak MiB, exit status)."""
    cmd = [sys.executable, "-m", "siting", "atlas", "--lang", "es", "-q", "--force"]
    cmd += ["--out", str(out), *extra]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    return seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--format", default="pdf", choices=("pdf", "png", "svg"))
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--page", default="letter")
    parser.add_argument("--repeat", type=int, default=1, help="runs (best is reported)")
    args = parser.parse_args()
    options = ["--format", args.format, "--dpi", str(args.dpi), "--page", args.page]
    print(f"# {platform.node()} {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        run_once(folder / "warm", "--state", "29", *options)
        best = None
        for _ in range(args.repeat):
            got = run_once(folder / "all", "--all-states", *options)
            best = got if best is None or got[0] < best[0] else best
        assert best is not None
        files = sorted((folder / "all").iterdir())
        sheets = [f for f in files if f.name[:2].isdigit()]
        atlas = folder / "all" / "atlas.pdf"
        largest = max(sheets, key=lambda f: f.stat().st_size) if sheets else None
        print("| states | format | dpi | seconds | peak memory (MiB) | files | atlas.pdf MB |"
              " largest sheet | exit |")  # fmt: skip
        print("|---:|---|---:|---:|---:|---:|---:|---|---:|")
        atlas_mb = atlas.stat().st_size / 1e6 if atlas.exists() else float("nan")
        big = f"{largest.name} {largest.stat().st_size / 1e6:.2f} MB" if largest else "-"
        print(
            f"| {len(sheets)} | {args.format} | {args.dpi} | {best[0]:.1f} | {best[1]:,.0f} | "
            f"{len(files)} | {atlas_mb:.1f} | {big} | {best[2]} |"
        )


if __name__ == "__main__":
    main()

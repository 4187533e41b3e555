"""Benchmark of ``siting run`` on many candidates: time and peak memory (run on demand).

Usage::

    python tests/benchmarks/bench_limits.py                  # 10,000 and 50,000 candidates
    python tests/benchmarks/bench_limits.py 1000 10000 --repeat 1
    python tests/benchmarks/bench_limits.py 10000 50000 --rank-ranges   # the rank ranges alone
    python tests/benchmarks/bench_limits.py 200000 --no-maps            # siting run --no-maps

For each size, writes a CSV of that many random points on the land of Mexico (seeded: the same
points every time; at least 3 km inside the bundled national outline) and runs the full pipeline
``python -m siting run --candidates FILE --out DIR -q`` in a child process, with the default
scenario (bundled road network, 1,000 weight draws for the rank ranges, all six outputs). Reports
wall-clock seconds and the child's peak resident memory (``ru_maxrss`` of that child alone, from
``os.wait4``). The routing cache is warmed by a first small run, so the figures are those of a
warm run, as a user sees them from the second run on.

With ``--rank-ranges`` it also measures the rank ranges alone (tracemalloc peak, 1,000 draws, the
default's ten criteria, random 0-1 values): the chunked computation of
:mod:`siting.sensitivity` against the whole-matrix one it replaced (all draws scored at once,
8-byte ranks, ``np.percentile`` over the matrix), both giving the same numbers.

``siting.pipeline.MAX_CANDIDATES`` (the documented limit) is set from these figures: the memory
at the limit must stay well under the 4 GB a laptop can give.
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

import numpy as np
import shapely

from siting import layers


def land_points(n: int, *, seed: int = 12) -> np.ndarray:
    """Return ``(n, 2)`` lon/lat points drawn uniformly (in EPSG:6372) on Mexico's land."""
    outline = layers.boundaries.states().to_crs(layers.CRS_METRIC).union_all().buffer(-3000)
    west, south, east, north = outline.bounds
    rng = np.random.default_rng(seed)
    shapely.prepare(outline)
    found: list[np.ndarray] = []
    have = 0
    while have < n:
        xy = rng.uniform((west, south), (east, north), size=(4 * n, 2))
        xy = xy[shapely.contains_xy(outline, xy[:, 0], xy[:, 1])]
        found.append(xy)
        have += len(xy)
    xy = np.concatenate(found)[:n]
    from pyproj import Transformer

    to_geo = Transformer.from_crs(layers.CRS_METRIC, layers.CRS_GEO, always_xy=True)
    lon, lat = to_geo.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([lon, lat])


def write_candidates(path: Path, n: int) -> None:
    """Write ``n`` random land points as a candidates CSV."""
    pts = land_points(n)
    lines = ["name,lon,lat"] + [f"site {i:06d},{x:.6f},{y:.6f}" for i, (x, y) in enumerate(pts)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run_once(candidates: Path, out: Path, *extra: str) -> tuple[float, float, int]:
    """Run ``siting run`` in a child; return (seconds, peak MiB, exit status)."""
    cmd = [sys.executable, "-m", "siting", "run", "--candidates", str(candidates)]
    cmd += ["--out", str(out), "-q", "--force", *extra]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_maxrss / 1024, proc.returncode


def rank_range_peaks(n: int, draws: int = 1000) -> tuple[float, float, float, float]:
    """Return (MiB, s) of the chunked rank ranges and of the whole-matrix way, for ``n`` sites."""
    import tracemalloc

    from siting import sensitivity as sa
    from siting.aggregate import score_matrix

    values = np.random.default_rng(1).random((n, 10))
    w = np.full(10, 0.1)
    draws_w = sa.weight_draws(w, draws=draws, concentration=50, seed=42)
    base = sa._ranks(score_matrix(values, w[None, :], "weighted_sum"))[:, 0]

    def chunked() -> None:
        ranks, _, _ = sa._draw_ranks(values, draws_w, "weighted_sum", 0.0, base)
        sa._rank_percentiles(ranks)
        sa._share_at_most(ranks, 10)

    def whole() -> None:
        from pymcdm.correlations import weighted_spearman
        from scipy.stats import kendalltau

        ranks = sa._ranks(score_matrix(values, draws_w, "weighted_sum"))
        for d in range(ranks.shape[1]):  # as the replaced code did, and _draw_ranks does
            kendalltau(base, ranks[:, d])
            weighted_spearman(base, ranks[:, d])
        np.percentile(ranks, 5, axis=1, method="lower")
        np.median(ranks, axis=1)
        np.percentile(ranks, 95, axis=1, method="higher")
        (ranks <= 10).mean(axis=1)

    out = []
    for fn in (chunked, whole):
        tracemalloc.start()
        t0 = time.perf_counter()
        fn()
        seconds = time.perf_counter() - t0
        out += [tracemalloc.get_traced_memory()[1] / 2**20, seconds]
        tracemalloc.stop()
    return out[0], out[1], out[2], out[3]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 50_000])
    parser.add_argument("--repeat", type=int, default=1, help="runs per size (best is reported)")
    parser.add_argument(
        "--rank-ranges", action="store_true", help="only the rank ranges: chunked vs whole matrix"
    )
    parser.add_argument(
        "--no-maps", action="store_true", help="siting run --no-maps (no map.html/png/pdf)"
    )
    args = parser.parse_args()
    if args.rank_ranges:
        print("| sites | chunked MiB | chunked s | whole-matrix MiB | whole-matrix s |")
        print("|---:|---:|---:|---:|---:|")
        for n in args.sizes:
            a, b, c, d = rank_range_peaks(n)
            print(f"| {n:,} | {a:,.0f} | {b:.1f} | {c:,.0f} | {d:.1f} |", flush=True)
        return
    print(f"# {platform.node()} {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        warm = folder / "warm.csv"
        write_candidates(warm, 10)
        run_once(warm, folder / "out-warm")
        print("| candidates | seconds | peak memory (MiB) | exit |")
        print("|---:|---:|---:|---:|")
        for n in args.sizes:
            path = folder / f"sites-{n}.csv"
            write_candidates(path, n)
            best = None
            for _ in range(args.repeat):
                got = run_once(path, folder / f"out-{n}", *(["--no-maps"] if args.no_maps else []))
                best = got if best is None or got[0] < best[0] else best
            assert best is not None
            print(f"| {n:,} | {best[0]:.1f} | {best[1]:,.0f} | {best[2]} |", flush=True)


if __name__ == "__main__":
    main()

"""Benchmark of the browser map (``map.html``): build time, size, load and re-rank (run on demand).

Usage::

    python tests/benchmarks/bench_map.py                     # the default run and 10,000 sites
    python tests/benchmarks/bench_map.py default 10000 50000 # 50,000 takes several minutes
    python tests/benchmarks/bench_map.py 10000 --no-browser  # the Python side only
    python tests/benchmarks/bench_map.py default --keep out/ # keep each map.html in out/

A size is ``default`` (``siting.run()``: the bundled scenario and its candidates) or a number of
random candidates on the land of Mexico (seeded, the same points every time:
``bench_limits.write_candidates``). For each size it measures:

1. Python. The run as ``siting run`` makes it (``siting.run(candidates=..., rank_ranges=True)``,
   reported apart from the map), then the map's steps: ``context_data`` built (no cache: an
   empty cache folder), cold (its in-memory caches cleared, read from the disk cache as in a
   fresh process) and warm (again in this process), ``why_data`` (routes and commute areas;
   computed without cache, then cold from the map's disk cache and warm), ``page_data``,
   ``script_json`` of the whole data, and the page build (``interactive_map`` +
   ``render_page``, offline), with and without the why-here geometry,
   cold (the context's in-memory caches cleared) and warm (the same call again).
2. Size of ``map.html`` saved offline, with and without the why-here geometry, and the share of
   the embedded data by top-level key (UTF-8 bytes of ``script_json`` of each key; a second table
   splits ``context``, ``sites`` and ``why``).
3. Headless Chromium (Playwright, ``/usr/bin/chromium``, every http(s) request aborted): the load
   event (``loadEventEnd`` of the navigation entry), median of ``--loads`` fresh pages, the
   main thread's long tasks (a ``PerformanceObserver`` installed before the page's scripts)
   and the JavaScript heap after loading.
4. Re-rank in the page: a weight typed in the weights panel (the number input of the first
   weighted criterion, value set then an ``input`` event: re-score, re-rank, table and markers,
   synchronously), timed with ``performance.now`` for the event alone and until the second
   animation frame after it (the canvas redrawn); median of ``--changes`` changes between two
   values. Then the aggregation method set to TOPSIS once (a ``change`` event on the select).

The routing cache and the map context's disk cache are warmed by a first small run, so every
figure but "built" is a warm one, as a user sees it from the second run on. The tables at the
end mark a figure within the issue's budget with ✓, over it with ✗: the page build for 696 sites
≤ 0.5 s and for 50,000 ≤ 15 s; ``map.html`` ≤ 4 MB for the default run and ≤ 15 MB for 10,000
sites; the load ≤ 1.5 s (default) and ≤ 3 s (10,000); a re-rank ≤ 100 ms (default) and ≤ 500 ms
(10,000).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import siting
from siting.layers import settings
from siting.maps.interactive import context as context_module
from siting.maps.interactive import page as page_module
from siting.maps.interactive.context import context_data
from siting.maps.interactive.data import page_data
from siting.maps.interactive.formatting import script_json
from siting.maps.interactive.page import (
    LAYER_KEYS,
    interactive_map,
    render_page,
    save_map,
    why_data,
    why_sites,
)

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
MB = 1_000_000
#: Budgets of the issue by size (``"default"`` or a number of sites): figure key -> limit.
BUDGETS: dict[str | int, dict[str, float]] = {
    "default": {"build_why_cold": 0.5, "build_why_warm": 0.5, "size_why": 4 * MB, "load": 1.5,
                "rerank_frames": 100.0, "rerank_sync": 100.0},
    10_000: {"size_why": 15 * MB, "load": 3.0, "rerank_frames": 500.0, "rerank_sync": 500.0},
    50_000: {"build_why_cold": 15.0, "build_why_warm": 15.0},
}  # fmt: skip
#: Rows of the main table: figure key, label, unit ("s", "ms", "MB" or "" for counts).
ROWS = [
    ("run", "siting.run(rank_ranges=True)", "s"),
    ("context_built", "context_data, built (no cache)", "s"),
    ("context_cold", "context_data, cold (disk cache)", "s"),
    ("context_warm", "context_data, warm (memory)", "s"),
    ("why_built", "routes and commute areas computed (no cache)", "s"),
    ("why_first", "why_data, cold (disk cache)", "s"),
    ("why_second", "why_data, warm (memory)", "s"),
    ("why_sites", "sites with why-here geometry", ""),
    ("page_data", "page_data", "s"),
    ("script_json", "script_json(data)", "s"),
    ("build_why_cold", "interactive_map + render_page, why, cold", "s"),
    ("build_why_warm", "interactive_map + render_page, why, warm", "s"),
    ("map_why_warm", "… of which interactive_map (warm)", "s"),
    ("render_why_warm", "… of which render_page (warm)", "s"),
    ("build_nowhy_cold", "interactive_map + render_page, no why, cold", "s"),
    ("build_nowhy_warm", "interactive_map + render_page, no why, warm", "s"),
    ("size_why", "map.html, offline, with why", "MB"),
    ("size_nowhy", "map.html, offline, no why", "MB"),
    ("data_why", "… of which embedded data (with why)", "MB"),
    ("load", "browser: load event, median", "s"),
    ("load_min_max", "browser: load event, min–max", ""),
    ("dom_ready", "browser: DOMContentLoaded end, median", "s"),
    ("longtask_total", "browser: long tasks until load + 2 frames, median", "ms"),
    ("longtask_max", "browser: longest task, median", "ms"),
    ("heap", "browser: JS heap used after load, median", "MB"),
    ("rerank_sync", "weight change: input event (sync), median", "ms"),
    ("rerank_frames", "weight change: to 2nd animation frame, median", "ms"),
    ("rerank_max", "weight change: to 2nd frame, max", "ms"),
    ("method_sync", "method → TOPSIS: change event (sync)", "ms"),
    ("method_frames", "method → TOPSIS: to 2nd animation frame", "ms"),
]
#: Installed before the page's scripts: collects the main thread's long tasks.
LONGTASK_SCRIPT = """
window.__longTasks = [];
try {
    new PerformanceObserver(function (list) {
        list.getEntries().forEach(function (e) { window.__longTasks.push(e.duration); });
    }).observe({ type: "longtask", buffered: true });
} catch (e) { window.__longTasks = null; }
"""
#: Read after the load event and two animation frames.
LOAD_FIGURES = """
async () => {
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    await frame();
    await frame();
    const nav = performance.getEntriesByType("navigation")[0];
    const tasks = window.__longTasks;
    return {
        load: nav.loadEventEnd,
        dom: nav.domContentLoadedEventEnd,
        tasks: tasks === null ? null : tasks.reduce((a, b) => a + b, 0),
        longest: tasks === null ? null : Math.max(0, ...tasks),
        heap: performance.memory ? performance.memory.usedJSHeapSize : null,
    };
}
"""
#: Times weight changes and one method change through the weights panel.
RERANK = """
async ([name, changes]) => {
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    const input = document.querySelector(`[data-criterion="${name}"] .siting-weight-input`);
    const before = sitingView.scores().score.slice();
    const base = Number(input.value);
    const values = [base + 10, base];
    const sync = [], frames = [];
    await frame();
    await frame();
    for (let i = 0; i < changes; i++) {
        input.value = String(values[i % 2]);
        const t0 = performance.now();
        input.dispatchEvent(new Event("input", { bubbles: true }));
        const t1 = performance.now();
        if (i === 0 && sitingView.scores().score.every((s, k) => s === before[k])) {
            throw new Error("the weight change did not change any score");
        }
        await frame();
        await frame();
        sync.push(t1 - t0);
        frames.push(performance.now() - t0);
    }
    const select = document.querySelector(".siting-method-select");
    select.value = "topsis";
    const t0 = performance.now();
    select.dispatchEvent(new Event("change", { bubbles: true }));
    const t1 = performance.now();
    await frame();
    await frame();
    const t2 = performance.now();
    if (sitingView.view().method !== "topsis") { throw new Error("the method did not change"); }
    return { sync, frames, method_sync: t1 - t0, method_frames: t2 - t0 };
}
"""


def timed(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, float]:
    """Return ``fn(*args, **kwargs)`` and the seconds it took."""
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t0


def clear_context_caches() -> None:
    """Empty the in-memory caches of the context module (its disk cache stays)."""
    for value in vars(context_module).values():
        if callable(getattr(value, "cache_clear", None)):
            value.cache_clear()
    texts = getattr(context_module, "_TEXTS", None)  # cache key -> JSON text
    if isinstance(texts, dict):
        texts.clear()


@contextlib.contextmanager
def empty_cache_folder() -> Iterator[None]:
    """Point the siting cache folder at an empty temporary folder for the ``with`` block."""
    saved = settings.cache_folder
    with tempfile.TemporaryDirectory() as tmp:
        settings.cache_folder = tmp
        try:
            yield
        finally:
            settings.cache_folder = saved


def write_candidates(path: Path, n: int) -> None:
    """Write ``n`` random land points as a candidates CSV (``bench_limits.write_candidates``)."""
    here = str(Path(__file__).resolve().parent)
    if here not in sys.path:
        sys.path.insert(0, here)
    from bench_limits import write_candidates as write

    write(path, n)


def embedded_data(m: Any) -> dict[str, Any]:
    """Return the data object embedded in the page of map ``m`` (from its page element)."""
    for child in m._children.values():
        text = getattr(child, "data", None)
        if isinstance(text, str) and text.startswith("{"):
            return json.loads(text)
    msg = "no element of the map holds the page data (an attribute `data` with the JSON)"
    raise LookupError(msg)


def data_shares(data: dict[str, Any]) -> list[tuple[str, int]]:
    """Return (key, UTF-8 bytes of its ``script_json``) for the data's keys and a few sub-keys.

    The keys are sorted biggest first; ``context`` and ``sites`` are split by their keys and
    ``why`` into its routes and commute areas.
    """

    def size(value: Any) -> int:
        return len(script_json(value).encode())

    out = [(key, size(value)) for key, value in data.items()]
    out.sort(key=lambda kv: -kv[1])
    for key in ("context", "sites"):
        if isinstance(data.get(key), dict):
            parts = [(f"{key}.{k}", size(v)) for k, v in data[key].items()]
            out += sorted(parts, key=lambda kv: -kv[1])
    sites = (data.get("why") or {}).get("sites") or {}
    for part in ("route", "catchment"):
        out.append((f"why.{part}", sum(size(e.get(part)) for e in sites.values() if part in e)))
    return out


def python_figures(size: str | int, folder: Path, keep: Path | None) -> tuple[dict, Any, list]:
    """Return the Python figures of one size, the run and the data shares; save the map."""
    figures: dict[str, Any] = {}
    candidates = None
    if size != "default":
        candidates = folder / f"sites-{size}.csv"
        write_candidates(candidates, int(size))
    result, figures["run"] = timed(siting.run, candidates=candidates, rank_ranges=True)
    print(f"  {len(result.ranking):,} sites, run {figures['run']:.1f} s", flush=True)
    layers = {k: v for k, v in result.layers.items() if k in LAYER_KEYS}
    clear_context_caches()
    with empty_cache_folder():
        _, figures["context_built"] = timed(context_data, layers)
    clear_context_caches()
    context, figures["context_cold"] = timed(context_data, layers)
    _, figures["context_warm"] = timed(context_data, layers)
    # computed (what a first run with these sites and network pays), then from the map's cache
    # (a fresh process: read from disk; a run with other weights hits it too)
    chosen = page_module._canonical(result, why_sites(result))
    _, figures["why_built"] = timed(page_module._why_build, result, chosen)
    why_data(result)  # make sure the disk cache holds it
    clear_context_caches()
    why, figures["why_first"] = timed(why_data, result)
    _, figures["why_second"] = timed(why_data, result)
    figures["why_sites"] = (why or {}).get("count", 0)
    data, figures["page_data"] = timed(page_data, result, context=context, why=why)
    _, figures["script_json"] = timed(script_json, data)
    pages: dict[str, Any] = {}
    for why_here in (True, False):
        name = "why" if why_here else "nowhy"
        clear_context_caches()
        for heat in ("cold", "warm"):
            m, made = timed(interactive_map, result, why=why_here)
            html, rendered = timed(render_page, m)
            figures[f"build_{name}_{heat}"] = made + rendered
            figures[f"map_{name}_{heat}"] = made
            figures[f"render_{name}_{heat}"] = rendered
        figures[f"size_{name}"] = len(html.encode())
        pages[name] = m
        print(f"  page build ({name}): {figures[f'build_{name}_cold']:.2f} s cold, "
              f"{figures[f'build_{name}_warm']:.2f} s warm, "
              f"{figures[f'size_{name}'] / MB:.1f} MB", flush=True)  # fmt: skip
    path = save_map(pages["why"], (keep or folder) / f"map-{size}.html")
    assert path.stat().st_size == figures["size_why"], "save_map and render_page differ"
    shares = data_shares(embedded_data(pages["why"]))
    figures["data_why"] = sum(n for key, n in shares if "." not in key)
    figures["path"] = path
    weighted = [c.name for c in result.criteria if float(c.weight) > 0]
    figures["criterion"] = weighted[0]
    return figures, result, shares


def browser_figures(browser: Any, path: Path, criterion: str, loads: int, changes: int) -> dict:
    """Return the load and re-rank figures of the saved map at ``path`` in ``browser``."""

    def open_page() -> tuple[Any, Any]:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.route(lambda url: url.startswith(("http:", "https:")), lambda route: route.abort())
        page.add_init_script(LONGTASK_SCRIPT)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.as_uri(), wait_until="load", timeout=300_000)
        page.wait_for_function("window.sitingView !== undefined", timeout=300_000)
        if errors:
            msg = f"the page {str(path)!r} raised: {errors}"
            raise RuntimeError(msg)
        return context, page

    got = []
    for _ in range(loads):
        context, page = open_page()
        got.append(page.evaluate(LOAD_FIGURES))
        context.close()
    loaded = [g["load"] / 1000 for g in got]
    figures: dict[str, Any] = {
        "load": statistics.median(loaded),
        "load_min_max": f"{min(loaded):.2f}–{max(loaded):.2f} s",
        "dom_ready": statistics.median(g["dom"] / 1000 for g in got),
    }
    if all(g["tasks"] is not None for g in got):
        figures["longtask_total"] = statistics.median(g["tasks"] for g in got)
        figures["longtask_max"] = statistics.median(g["longest"] for g in got)
    if all(g["heap"] is not None for g in got):
        figures["heap"] = statistics.median(g["heap"] for g in got)
    context, page = open_page()
    page.click("[data-tab=weights]")
    timing = page.evaluate(RERANK, [criterion, changes])
    context.close()
    figures["rerank_sync"] = statistics.median(timing["sync"])
    figures["rerank_frames"] = statistics.median(timing["frames"])
    figures["rerank_max"] = max(timing["frames"])
    figures["method_sync"] = timing["method_sync"]
    figures["method_frames"] = timing["method_frames"]
    return figures


def cell(key: str, unit: str, figures: dict[str, Any], size: str | int) -> str:
    """Return one table cell: the figure in its unit, with ✗ when over the size's budget."""
    value = figures.get(key)
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if unit == "MB":
        text = f"{value / MB:.2f}"
    elif unit == "":
        text = f"{value:,}"
    elif unit == "ms":
        text = f"{value:.0f}" if value >= 10 else f"{value:.1f}"
    else:
        text = f"{value:.2f}" if value < 100 else f"{value:.0f}"
    budget = BUDGETS.get(size, {}).get(key)
    if budget is not None:
        text += " ✗" if value > budget else " ✓"
    return text


def budget_text(key: str, unit: str) -> str:
    """Return the budgets of a row as text, e.g. ``≤ 0.5 (default), ≤ 15 (50,000)``."""
    parts = []
    for size, limits in BUDGETS.items():
        if key in limits:
            limit = limits[key] / MB if unit == "MB" else limits[key]
            parts.append(f"≤ {limit:g} ({size if size == 'default' else f'{size:,}'})")
    return ", ".join(parts)


def machine(browser_version: str | None) -> str:
    """Return a line describing this machine, Python and Chromium."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{model}, {os.cpu_count()} CPUs, {memory:.0f} GiB RAM, {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}; siting {siting.__version__}; "
        f"Chromium {browser_version or '(not run)'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "sizes",
        nargs="*",
        default=["default", "10000"],
        help="'default' (siting.run()) or numbers of random candidates; default: default 10000",
    )
    parser.add_argument("--loads", type=int, default=5, help="fresh page loads per size")
    parser.add_argument("--changes", type=int, default=10, help="weight changes per size")
    parser.add_argument("--no-browser", action="store_true", help="only the Python figures")
    parser.add_argument("--keep", type=Path, help="folder to keep each map.html in")
    args = parser.parse_args()
    sizes: list[str | int] = [s if s == "default" else int(s) for s in args.sizes]
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    results: dict[str | int, dict[str, Any]] = {}
    shares: dict[str | int, list[tuple[str, int]]] = {}
    version = None
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        warm = folder / "warm.csv"
        write_candidates(warm, 10)
        # the routing cache, the map context's disk cache, imports
        warmed = siting.run(candidates=warm, rank_ranges=False)
        context_data({k: v for k, v in warmed.layers.items() if k in LAYER_KEYS})
        del warmed
        playwright = browser = None
        if not args.no_browser:
            from playwright.sync_api import sync_playwright

            playwright = sync_playwright().start()
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            version = browser.version
        try:
            for size in sizes:
                print(f"# {size}", flush=True)
                figures, result, shares[size] = python_figures(size, folder, args.keep)
                figures["n"] = len(result.ranking)
                del result
                if browser is not None:
                    figures |= browser_figures(
                        browser, figures["path"], figures["criterion"], args.loads, args.changes
                    )
                    print(f"  load {figures['load']:.2f} s, re-rank "
                          f"{figures['rerank_frames']:.0f} ms", flush=True)  # fmt: skip
                results[size] = figures
        finally:
            if browser is not None:
                browser.close()
            if playwright is not None:
                playwright.stop()

    def heading(size: str | int) -> str:
        n = f"{results[size]['n']:,}"
        return f"default ({n} sites)" if size == "default" else f"{n} sites"

    print()
    print(f"Machine: {machine(version)}")
    print()
    print("| measure | " + " | ".join(heading(s) for s in sizes) + " | budget |")
    print("|---|" + "---:|" * len(sizes) + "---|")
    for key, label, unit in ROWS:
        cells = " | ".join(cell(key, unit, results[s], s) for s in sizes)
        print(f"| {label}{f' ({unit})' if unit else ''} | {cells} | {budget_text(key, unit)} |")
    print()
    print("Embedded data of map.html (with why), MB (share of the data):")
    print()
    # the keys that make at least 0.5 % of the data for some size; the rest summed as "others"
    keys = [
        k
        for k in dict.fromkeys(k for s in sizes for k, _ in shares[s])
        if any(dict(shares[s]).get(k, 0) >= 0.005 * results[s]["data_why"] for s in sizes)
    ]
    for s in sizes:
        top = sum(n for k, n in shares[s] if "." not in k and k in keys)
        shares[s].append(("(other top-level keys)", results[s]["data_why"] - top))
    keys.insert(sum("." not in k for k in keys), "(other top-level keys)")
    print("| key | " + " | ".join(heading(s) for s in sizes) + " |")
    print("|---|" + "---:|" * len(sizes))
    for key in keys:
        cells = []
        for s in sizes:
            got = dict(shares[s]).get(key)
            total = results[s]["data_why"]
            cells.append("–" if got is None else f"{got / MB:.3f} ({got / total:.0%})")
        print(f"| {key} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()

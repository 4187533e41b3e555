"""Command line: ``siting run [SCENARIO] [--candidates FILE] [--out DIR]``.

Also ``siting sensitivity [SCENARIO] [--out DIR]`` (Monte Carlo over the weights) and
``siting compare NAME NAME [...] [--scenario FILE] [--out DIR]`` (side-by-side table).

User mistakes (bad scenario, bad candidates file, unreadable data) print one clear line and exit
with status 2; no traceback. Progress is shown here only, never by the library.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import geopandas as gpd
import pandas as pd

from siting import __version__, layers, text
from siting._errors import InputError, OutputError, SitingError
from siting.layers import DataError
from siting.metros import metro_leaders, ranked_mask
from siting.outputs import OUTPUTS, TABLE_OUTPUTS, check_output_folder, run_inputs
from siting.pipeline import check_size, resolve_inputs, run_scenario
from siting.result import RunResult
from siting.scenario import Scenario

EXIT_USER_ERROR = 2
#: Exit status after SIGINT (Ctrl-C) and SIGTERM: 128 + the signal number, as shells report.
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143

#: Files of ``siting sensitivity`` and ``siting compare`` (a contract, like ``OUTPUTS``).
SENSITIVITY_FILES = ["sensitivity.csv", "sensitivity.png", "sensitivity.json"]
COMPARE_FILES = ["compare.csv", "compare.json"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="siting", description=text.CLI["description"])
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = sub.add_parser("run", help=text.CLI["run_help"], description=text.CLI["run_help"])
    run.add_argument("scenario", nargs="?", metavar="SCENARIO", help=text.CLI["scenario_help"])
    run.add_argument("--candidates", metavar="FILE", help=text.CLI["candidates_help"])
    run.add_argument("--out", metavar="DIR", help=text.CLI["out_help"])
    run.add_argument("--online-map", action="store_true", help=text.CLI["online_map_help"])
    run.add_argument("--sites", action="store_true", help=text.CLI["sites_help"])
    run.add_argument("--no-maps", action="store_true", help=text.CLI["no_maps_help"])
    run.add_argument("--lang", choices=text.LANGUAGES, default="en", help=text.CLI["lang_help"])
    run.add_argument("-q", "--quiet", action="store_true", help=text.CLI["quiet_help"])
    _common_options(run)
    run.set_defaults(func=_cmd_run)

    sens = sub.add_parser(
        "sensitivity", help=text.CLI["sensitivity_help"], description=text.CLI["sensitivity_help"]
    )
    sens.add_argument("scenario", nargs="?", metavar="SCENARIO", help=text.CLI["scenario_help"])
    sens.add_argument("--candidates", metavar="FILE", help=text.CLI["candidates_help"])
    sens.add_argument("--out", metavar="DIR", help=text.CLI["out_help"])
    sens.add_argument("--draws", type=_positive_int, metavar="N", help=text.CLI["draws_help"])
    sens.add_argument("--seed", type=_non_negative_int, metavar="N", help=text.CLI["seed_help"])
    sens.add_argument("-q", "--quiet", action="store_true", help=text.CLI["quiet_help"])
    _common_options(sens)
    sens.set_defaults(func=_cmd_sensitivity)

    wait = sub.add_parser("waits", help=text.CLI["waits_help"], description=text.CLI["waits_help"])
    wait.add_argument("--out", default="waits.csv", metavar="FILE", help=text.CLI["waits_out_help"])
    wait.add_argument(
        "--max-age",
        type=float,
        default=15.0,
        metavar="MIN",
        help=text.CLI["waits_max_age_help"],
    )
    wait.add_argument("-q", "--quiet", action="store_true", help=text.CLI["quiet_help"])
    wait.add_argument("--force", action="store_true", help=text.CLI["force_help"])
    wait.set_defaults(func=_cmd_waits)

    _atlas_parser(sub)

    comp = sub.add_parser(
        "compare", help=text.CLI["compare_help"], description=text.CLI["compare_help"]
    )
    comp.add_argument("names", nargs="+", metavar="NAME", help=text.CLI["names_help"])
    comp.add_argument("--scenario", metavar="FILE", help=text.CLI["compare_scenario_help"])
    comp.add_argument("--candidates", metavar="FILE", help=text.CLI["candidates_help"])
    comp.add_argument("--out", metavar="DIR", help=text.CLI["out_help"])
    comp.add_argument(
        "--draws", type=_positive_int, default=200, metavar="N", help=text.CLI["compare_draws_help"]
    )
    comp.add_argument("-q", "--quiet", action="store_true", help=text.CLI["quiet_help"])
    _common_options(comp)
    comp.set_defaults(func=_cmd_compare)
    return parser


def _atlas_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from siting.atlas import DEFAULT_DPI, DEFAULT_LANG, FORMATS
    from siting.maps.static.page import ORIENTATIONS, PAGE_SIZES

    h = text.ATLAS_HELP
    atlas = sub.add_parser("atlas", help=h["help"], description=h["help"])
    atlas.add_argument("scenario", nargs="?", metavar="SCENARIO", help=text.CLI["scenario_help"])
    which = atlas.add_mutually_exclusive_group()
    which.add_argument("--state", nargs="+", action="extend", metavar="CODE|NAME", help=h["state"])
    which.add_argument("--all-states", action="store_true", help=h["all_states"])
    atlas.add_argument("--lang", choices=text.LANGUAGES, default=DEFAULT_LANG, help=h["lang"])
    atlas.add_argument("--page", choices=list(PAGE_SIZES), default="letter", help=h["page"])
    atlas.add_argument(
        "--orientation", choices=ORIENTATIONS, default="landscape", help=h["orientation"]
    )
    atlas.add_argument("--format", dest="fmt", choices=FORMATS, default="pdf", help=h["format"])
    atlas.add_argument("--dpi", type=_positive_int, default=DEFAULT_DPI, metavar="N", help=h["dpi"])
    atlas.add_argument("--title", metavar="TEXT", help=h["title"])
    atlas.add_argument("--author", metavar="TEXT", help=h["author"])
    atlas.add_argument("--out", metavar="DIR", help=h["out"])
    atlas.add_argument("--candidates", metavar="FILE", help=text.CLI["candidates_help"])
    atlas.add_argument("-q", "--quiet", action="store_true", help=text.CLI["quiet_help"])
    _common_options(atlas)
    atlas.set_defaults(func=_cmd_atlas)


def _common_options(parser: argparse.ArgumentParser) -> None:
    """Options of every command that ranks candidates and writes a folder."""
    parser.add_argument("--force", action="store_true", help=text.CLI["force_help"])
    parser.add_argument(
        "--outside", choices=("refuse", "keep"), default="refuse", help=text.CLI["outside_help"]
    )


def _positive_int(value: str) -> int:
    n = _non_negative_int(value)
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value!r}")
    return n


def _non_negative_int(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {value!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, got {value!r}")
    return n


def _say(args: argparse.Namespace, message: str) -> None:
    if not getattr(args, "quiet", False):
        print(message, flush=True)


def _shorten(names: pd.Series, width: int) -> pd.Series:
    """Cut names longer than ``width`` characters, ending them with an ellipsis."""
    return names.astype(str).map(lambda v: v if len(v) <= width else v[: width - 1] + "…")


def top_table(ranking: pd.DataFrame, n: int = 10) -> str:
    """Return the top ``n`` rows of a ranking as a plain-text table."""
    ranking = ranking.head(n).copy()
    if {"rank_p05", "rank_p95"} <= set(ranking.columns):
        ranking["rank_range"] = [
            "-" if pd.isna(b) else f"{b:.0f}-{w:.0f}"
            for b, w in zip(ranking["rank_p05"], ranking["rank_p95"], strict=True)
        ]
    cols = [c for c in text.TABLE_HEADINGS if c in ranking.columns]
    top = ranking[cols].copy()
    top["name"] = _shorten(top["name"], 48)
    if "rank" in top:
        top["rank"] = top["rank"].map(lambda v: "-" if pd.isna(v) else f"{v:.0f}")
    if "score" in top:
        top["score"] = top["score"].map(lambda v: f"{v:.1f}")
    if "crossing_drive_min" in top and "crossing_km" in top:
        top = top.drop(columns="crossing_km")  # the drive time says more
    if "crossing_km" in top:
        top["crossing_km"] = top["crossing_km"].map(lambda v: f"{v:,.0f}")
    if "crossing_drive_min" in top:
        top["crossing_drive_min"] = top["crossing_drive_min"].map(hours_minutes)
    if "labor_force" in top:
        top["labor_force"] = top["labor_force"].map(lambda v: f"{v:,.0f}")
    top = top.rename(columns=text.TABLE_HEADINGS)
    return top.to_string(index=False)


def metro_table(ranking: pd.DataFrame, n: int = 10) -> str:
    """Return the top ``n`` metro areas of a ranking, each with its best site, as plain text.

    The metros are :func:`siting.metros.metro_leaders`; ``Sites`` counts each metro's ranked
    candidates.
    """
    best = metro_leaders(ranking, n).copy()
    if best.empty:
        return ""
    ranked = ranking[ranking["rank"].notna()]
    best["sites"] = best["metro"].map(ranked.groupby("metro").size())
    best["metro_rank"] = best["metro_rank"].map(lambda v: f"{v:.0f}")
    best = best.rename(columns={"rank": "site_rank"})
    best["site_rank"] = best["site_rank"].map(lambda v: f"{v:.0f}")
    best["name"] = _shorten(best["name"], 44)
    best["score"] = best["score"].map(lambda v: f"{v:.1f}")
    if "crossing_drive_min" in best:
        best["crossing_drive_min"] = best["crossing_drive_min"].map(hours_minutes)
    cols = [c for c in text.METRO_HEADINGS if c in best.columns]
    return best[cols].rename(columns=text.METRO_HEADINGS).to_string(index=False)


def hours_minutes(minutes: float | None) -> str:
    """Return minutes as ``h:mm`` (``"-"`` when missing or infinite).

    Examples
    --------
    >>> hours_minutes(169.3), hours_minutes(float("inf"))
    ('2:49', '-')
    """
    if minutes is None or pd.isna(minutes) or minutes == float("inf"):
        return "-"
    m = round(float(minutes))
    return f"{m // 60}:{m % 60:02d}"


def _progress(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """Return a tqdm factory for the slow library steps (None when quiet: the library is silent)."""
    if getattr(args, "quiet", False):
        return None
    from functools import partial

    from tqdm import tqdm

    return partial(tqdm, leave=False, file=sys.stderr, mininterval=0.5)


def _say_network(
    args: argparse.Namespace, result: RunResult, table: dict[str, str] = text.CLI
) -> None:
    """Say which road network the run used (``table``: the messages, English by default)."""
    info = result.network
    if info.straight_line:
        _say(args, table["network_none"])
    elif info.from_cache:
        _say(args, table["network_cached"].format(nodes=info.nodes, path=info.cache_file))
    else:
        _say(
            args,
            table["network_built"].format(
                nodes=info.nodes, seconds=info.seconds, path=info.cache_file
            ),
        )


def _note(message: str) -> None:
    """Print a note about the user's input on stderr (shown even with --quiet)."""
    print(text.CLI["note"].format(message=message), file=sys.stderr, flush=True)


def _prepare(
    args: argparse.Namespace,
    scenario_path: str | None,
    names: Sequence[str],
    *,
    maps: bool = False,
    subfolder: tuple[str, ...] = (),
) -> tuple[Scenario, gpd.GeoDataFrame, Path]:
    """Read the scenario and candidates and check the output folder, before any computation.

    Returns the scenario, the candidates and the output folder (``--out``, else the scenario's
    ``[output] folder`` joined with ``subfolder``). The scenario's doubts (weights rescaled,
    thresholds that look inverted...) are printed as notes.
    """
    # --draws/--seed are the scenario's [sensitivity] keys: validated, noted and recorded as such
    drawn = {k: v for k in ("draws", "seed") if (v := getattr(args, k, None)) is not None}
    scenario, candidates = resolve_inputs(
        scenario_path,
        args.candidates,
        outside=args.outside,
        **({"sensitivity": drawn} if drawn else {}),
    )
    where = f"candidates file {args.candidates!r}" if args.candidates else ""
    check_size(len(candidates), where, maps=maps)
    out_dir = Path(args.out) if args.out else Path(scenario.output_folder, *subfolder)
    check_output_folder(out_dir, names, inputs=run_inputs(scenario), force=args.force)
    for doubt in scenario.doubts:
        _note(doubt)
    return scenario, candidates, out_dir


def _cmd_run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    maps = not args.no_maps
    names = OUTPUTS if maps else TABLE_OUTPUTS
    scenario, candidates, out_dir = _prepare(args, args.scenario, names, maps=maps)
    _say(args, text.CLI["scoring"].format(n=len(candidates), scenario=scenario.name))
    result = run_scenario(scenario, candidates=candidates, progress=_progress(args))
    _say_network(args, result)
    paths = result.write(
        out_dir,
        offline_map=scenario.offline_map and not args.online_map,
        argv=["siting", *sys.argv[1:]],
        on_step=lambda name: _say(args, text.CLI["writing"].format(name=name)),
        force=args.force,
        maps=maps,
        lang=args.lang,
    )
    method = result.ranking["distance_method"].iloc[0] if len(result.ranking) else ""
    _say(args, "")
    excluded = int(result.ranking["rank"].isna().sum())
    if excluded:
        _say(args, text.CLI["excluded_count"].format(n=excluded, total=len(result.ranking)))
    ranking = result.ranking
    metros = "" if args.sites or "metro" not in ranking else metro_table(ranking)
    if metros:
        n_metros = int(ranking.loc[ranking["rank"].notna(), "metro"].nunique())
        _say(
            args, text.CLI["top_metros"].format(n=min(10, n_metros), total=n_metros, method=method)
        )
        _say(args, metros)
        outside = ranking[ranking["rank"].notna() & ranking["metro"].isna()]
        if len(outside):
            first = outside.iloc[0]
            _say(args, text.CLI["best_outside"].format(name=first["name"], rank=first["rank"]))
        _say(args, text.CLI["sites_hint"])
    else:
        _say(
            args,
            text.CLI["top"].format(n=min(10, len(ranking)), total=len(ranking), method=method),
        )
        _say(args, top_table(ranking))
    _say(args, "")
    _say(
        args,
        text.CLI["wrote"].format(
            files=", ".join(paths), folder=str(out_dir), seconds=time.perf_counter() - started
        ),
    )
    return 0


def _cmd_atlas(args: argparse.Namespace) -> int:
    from siting.atlas import atlas_files, check_options, resolve_states, run_id, write_atlas
    from siting.localize import format_number

    started = time.perf_counter()
    say = text.ATLAS_CLI_BY_LANG[args.lang]
    for value in args.state or []:
        if value.lower().endswith((".toml", ".csv", ".geojson")):
            raise InputError(text.ATLAS_HELP["scenario_after_state"].format(value=value))
    codes = resolve_states(args.state)
    check_options(args.lang, args.fmt, args.dpi, args.page, args.orientation)
    names = atlas_files(codes, args.fmt)
    scenario, candidates, out_dir = _prepare(
        args, args.scenario, names, maps=True, subfolder=("atlas",)
    )
    states = layers.boundaries.states().set_index("CVE_ENT")
    _say(args, say["scoring"].format(n=len(candidates), scenario=scenario.name))
    result = run_scenario(
        scenario, candidates=candidates, progress=_progress(args), rank_ranges=False
    )
    _say_network(args, result, say)
    _say(
        args,
        say["states"].format(
            n=len(codes), names=", ".join(states.loc[c, "state_short"] for c in codes)
        ),
    )
    paths = write_atlas(
        result,
        out_dir,
        states=codes,
        lang=args.lang,
        page=args.page,
        orientation=args.orientation,
        fmt=args.fmt,
        dpi=args.dpi,
        title=args.title,
        author=args.author,
        argv=["siting", *sys.argv[1:]],
        force=args.force,
        progress=_progress(args),
        on_step=lambda name: _say(args, say["writing"].format(name=name)),
    )
    _say(args, "")
    _say(args, say["best"])
    ranking = result.ranking[ranked_mask(result.ranking)]
    for code in codes:
        mine = ranking[ranking["CVE_ENT"] == code]
        state = states.loc[code, "state_short"]
        if mine.empty:
            _say(args, say["no_site"].format(state=state))
            continue
        best = mine.loc[pd.to_numeric(mine["score"]).idxmax()]
        _say(
            args,
            say["best_row"].format(
                state=state,
                site=best["name"],
                score=format_number(best["score"], lang=args.lang),
                rank=int(best["rank"]),
            ),
        )
    _say(
        args,
        say["wrote"].format(
            n=len(paths),
            folder=str(out_dir),
            seconds=format_number(time.perf_counter() - started, lang=args.lang),
            run_id=run_id(result),
        ),
    )
    return 0


def _ranked(
    args: argparse.Namespace, scenario_path: str | None, names: Sequence[str]
) -> tuple[RunResult, Path]:
    """Rank the scenario and candidates named on the command line; return it and the folder.

    The output folder is checked for the files ``names`` first.
    """
    scenario, candidates, out_dir = _prepare(args, scenario_path, names)
    _say(args, text.CLI["scoring"].format(n=len(candidates), scenario=scenario.name))
    # the caller draws its own weight sets (--draws/--seed): no rank ranges in the run itself
    result = run_scenario(
        scenario, candidates=candidates, progress=_progress(args), rank_ranges=False
    )
    _say_network(args, result)
    return result, out_dir


def _cmd_sensitivity(args: argparse.Namespace) -> int:
    from siting import sensitivity as sa
    from siting.outputs import write_run_record, write_staged

    started = time.perf_counter()
    result, out_dir = _ranked(args, args.scenario, SENSITIVITY_FILES)
    settings = result.scenario.sensitivity  # with --draws/--seed applied by _prepare
    _say(
        args,
        text.CLI["sensitivity_running"].format(
            draws=settings.draws, method=result.scenario.aggregation
        ),
    )
    sens = result.sensitivity(settings)

    def record(path: Path) -> None:
        write_run_record(
            path,
            result,
            argv=["siting", *sys.argv[1:]],
            extra={"sensitivity": sens.summary},
            outputs=["sensitivity.csv", "sensitivity.png"],
        )

    paths = write_staged(
        out_dir,
        {
            "sensitivity.csv": lambda p: sa.write_csv(sens, p),
            "sensitivity.png": lambda p: sa.save_chart(sa.rank_range_chart(sens), p),
            "sensitivity.json": record,
        },
    )
    s = sens.summary
    excluded = int(result.ranking["rank"].isna().sum())
    if excluded:
        _say(args, text.CLI["excluded_count"].format(n=excluded, total=len(result.ranking)))
    _say(args, "")
    _say(
        args,
        text.CLI["sensitivity_summary"].format(
            draws=s["draws"], tau=s["kendall_tau_mean"], tau_min=s["kendall_tau_min"],
            rw=s["weighted_spearman_mean"], leader=s["leader"], lead=s["leader_first_share"],
            kept=s["base_top_k_kept_mean"], k=s["top_k"],
        ),
    )  # fmt: skip
    top = sens.table.head(10).copy()
    top["name"] = _shorten(top["name"], 48)
    top["top_k_share"] = top["top_k_share"].map(lambda v: f"{v:.0%}")
    top["score"] = top["score"].map(lambda v: f"{v:.1f}")
    _say(args, text.CLI["sensitivity_top"].format(n=len(top)))
    _say(args, top.drop(columns=["rank_p05", "rank_p95"]).to_string(index=False))
    _say(args, "")
    _say(
        args,
        text.CLI["wrote"].format(
            files=", ".join(paths), folder=str(out_dir), seconds=time.perf_counter() - started
        ),
    )
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    from siting import compare as cmp
    from siting.outputs import write_run_record, write_staged

    started = time.perf_counter()
    result, out_dir = _ranked(args, args.scenario, COMPARE_FILES)
    table = result.compare(args.names, draws=args.draws)

    def record(path: Path) -> None:
        drawn = result.scenario.sensitivity
        compared = {"sites": list(table.columns[2:]), "draws": args.draws, "seed": drawn.seed,
                    "concentration": drawn.concentration}  # fmt: skip
        write_run_record(
            path,
            result,
            argv=["siting", *sys.argv[1:]],
            extra={"compare": compared},
            outputs=["compare.csv"],
        )

    paths = write_staged(
        out_dir,
        {"compare.csv": lambda p: cmp.write_csv(table, str(p)), "compare.json": record},
    )
    _say(args, "")
    print(cmp.format_table(table), flush=True)
    _say(args, "")
    _say(
        args,
        text.CLI["wrote"].format(
            files=", ".join(paths), folder=str(out_dir), seconds=time.perf_counter() - started
        ),
    )
    return 0


def _is_waits_csv(path: Path) -> bool:
    """Whether ``path`` starts with the header that ``siting waits`` writes."""
    from siting.waits import WAITS_COLUMNS

    try:
        with path.open(encoding="utf-8") as fh:
            return fh.readline().strip() == ",".join(WAITS_COLUMNS)
    except (OSError, UnicodeDecodeError):
        return False


def _cmd_waits(args: argparse.Namespace) -> int:
    from siting import waits
    from siting.layers.crossings import land_ports

    out = Path(args.out)
    if out.is_dir():
        msg = f"--out {str(out)!r} is a folder; pass the CSV file to write, e.g. waits.csv"
        raise OutputError(msg)
    if out.exists() and not args.force and not _is_waits_csv(out):
        msg = (
            f"--out {str(out)!r} exists and is not a waits CSV written by siting; move it "
            "away, choose another --out, or pass --force to replace it"
        )
        raise OutputError(msg)
    table = waits.fetch_cbp_waits(max_age_minutes=args.max_age)
    try:
        waits.write_waits_csv(table, out)
    except OSError as exc:
        msg = f"could not write {str(out)!r}: {exc.strerror or exc}; choose another --out"
        raise OutputError(msg) from None
    known = set(land_ports()["port_code"])
    unmatched = sorted(set(table["port_code"].astype(str)) - known)
    _say(args, text.CLI["waits_snapshot"].format(label=waits.snapshot_label(table)))
    shown = table[["port_code", "port_name", "standard_min", "fast_min"]]
    _say(args, shown.to_string(index=False, na_rep="-"))
    if unmatched:
        _say(args, text.CLI["waits_unmatched"].format(codes=", ".join(unmatched)))
    _say(args, text.CLI["waits_wrote"].format(path=str(out), name=out.name))
    return 0


class _Terminated(BaseException):
    """Raised in the main thread on SIGTERM, so that cleanup runs as for Ctrl-C."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise _Terminated


class _WarningFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return text.CLI["warning"].format(message=record.getMessage())


@contextmanager
def _command_context() -> Iterator[None]:
    """SIGTERM handled like Ctrl-C, and library warnings shown as ``siting: warning:`` lines.

    Both are undone on exit (``main`` can be called from Python, e.g. by tests).
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(_WarningFormatter())
    logger = logging.getLogger("siting")
    logger.addHandler(handler)
    try:
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread: leave signals alone
        previous = None
    try:
        yield
    finally:
        logger.removeHandler(handler)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    0: done; 2: a user mistake (bad input, scenario, output folder; one ``siting: error:``
    line, no traceback); 130/143: interrupted by Ctrl-C / SIGTERM (outputs unchanged).
    """
    parser = _parser()
    args = parser.parse_args(argv)
    with _command_context():
        try:
            return int(args.func(args))
        except (SitingError, DataError) as exc:
            print(text.CLI["error"].format(message=exc), file=sys.stderr)
            return EXIT_USER_ERROR
        except KeyboardInterrupt:
            print(text.CLI["interrupted"], file=sys.stderr)
            return EXIT_INTERRUPTED
        except _Terminated:
            print(text.CLI["terminated"], file=sys.stderr)
            return EXIT_TERMINATED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""Command line: ``siting run [SCENARIO] [--candidates FILE] [--out DIR]``.

User mistakes (bad scenario, bad candidates file, unreadable data) print one clear line and exit
with status 2; no traceback. Progress is shown here only, never by the library.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from layers import DataError
from siting import text
from siting._errors import SitingError

EXIT_USER_ERROR = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="siting", description=text.CLI["description"])
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = sub.add_parser("run", help=text.CLI["run_help"], description=text.CLI["run_help"])
    run.add_argument("scenario", nargs="?", metavar="SCENARIO", help=text.CLI["scenario_help"])
    run.add_argument("--candidates", metavar="FILE", help=text.CLI["candidates_help"])
    run.add_argument("--out", metavar="DIR", help=text.CLI["out_help"])
    run.add_argument("--online-map", action="store_true", help=text.CLI["online_map_help"])
    run.add_argument("-q", "--quiet", action="store_true", help=text.CLI["quiet_help"])
    run.set_defaults(func=_cmd_run)
    return parser


def _version() -> str:
    from siting import __version__

    return __version__


def _say(args: argparse.Namespace, message: str) -> None:
    if not getattr(args, "quiet", False):
        print(message, flush=True)


def top_table(ranking: pd.DataFrame, n: int = 10) -> str:
    """Return the top ``n`` rows of a ranking as a plain-text table."""
    cols = [c for c in text.TABLE_HEADINGS if c in ranking.columns]
    top = ranking.head(n)[cols].copy()
    top["name"] = top["name"].astype(str).str.slice(0, 48)
    if "score" in top:
        top["score"] = top["score"].map(lambda v: f"{v:.1f}")
    if "crossing_km" in top:
        top["crossing_km"] = top["crossing_km"].map(lambda v: f"{v:,.0f}")
    if "labor_pool" in top:
        top["labor_pool"] = top["labor_pool"].map(lambda v: f"{v:,.0f}")
    top = top.rename(columns=text.TABLE_HEADINGS)
    return top.to_string(index=False)


def _cmd_run(args: argparse.Namespace) -> int:
    from siting.candidates import read_candidates
    from siting.outputs import write_outputs
    from siting.run import load_candidates, run_scenario
    from siting.scenario import load_scenario

    started = time.perf_counter()
    scenario = load_scenario(args.scenario)
    candidates = read_candidates(args.candidates) if args.candidates else load_candidates(scenario)
    _say(args, text.CLI["scoring"].format(n=len(candidates), scenario=scenario.name))
    result = run_scenario(scenario, candidates=candidates)
    if args.candidates:
        result.scenario = _with_candidates(scenario, args.candidates)
    out_dir = Path(args.out) if args.out else Path(scenario.output_folder)
    paths = write_outputs(
        result,
        out_dir,
        offline_map=scenario.offline_map and not args.online_map,
        argv=["siting", *sys.argv[1:]],
        on_step=lambda name: _say(args, text.CLI["writing"].format(name=name)),
    )
    method = result.ranking["distance_method"].iloc[0] if len(result.ranking) else ""
    _say(args, "")
    _say(args, text.CLI["top"].format(n=min(10, len(result.ranking)), total=len(result.ranking), method=method))
    _say(args, top_table(result.ranking))
    _say(args, "")
    _say(
        args,
        text.CLI["wrote"].format(
            files=", ".join(paths), folder=str(out_dir), seconds=time.perf_counter() - started
        ),
    )
    return 0


def _with_candidates(scenario, path: str):  # type: ignore[no-untyped-def]
    """Return ``scenario`` recording that ``--candidates path`` replaced its candidates."""
    import dataclasses

    source = dataclasses.replace(scenario.candidates, source=str(Path(path).resolve()))
    return dataclasses.replace(scenario, candidates=source)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except (SitingError, DataError) as exc:
        print(text.CLI["error"].format(message=exc), file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print(text.CLI["interrupted"], file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

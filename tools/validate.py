"""Check the default ranking against where foreign investment went: write ``docs/validation.md``.

    python tools/validate.py [--out docs/validation.md]

Runs the bundled default scenario once per aggregation method (``weighted_sum``, the default, with
rank ranges; ``weighted_product`` and ``topsis`` without) and compares, by state and by metro area,
the best site score with foreign direct investment (FDI) 2022-2024 and with two population-only
baselines: the best site's ``labor_pool`` (population within the commute) and the Census 2020
population. Also reports how spread the scores are, the rank ranges of the top metros and the top
10 metros under each method.

Inputs, besides the run: ``layers/data/population/mx_state_fdi_quarterly.csv`` (Secretaría de
Economía, million USD per state and quarter) and ``mx_municipalities_census2020.csv`` (INEGI).
The file written holds no date or timing: re-running on the same code and data gives the same
bytes. Statistics are pure functions (``state_table``, ``spearman``, ...) tested in
``tests/test_validate.py``.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

import pandas as pd
from scipy import stats

import siting
from siting.cli import hours_minutes
from siting.metros import metro_leaders

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "layers" / "data" / "population"
FDI_FILE = DATA / "mx_state_fdi_quarterly.csv"
CENSUS_FILE = DATA / "mx_municipalities_census2020.csv"
OUT = ROOT / "docs" / "validation.md"
#: FDI years summed (12 quarters).
FDI_YEARS = (2022, 2023, 2024)
#: Ciudad de México: FDI booked at company headquarters (SOURCE.md, file 5).
CDMX = "09"
#: Baja California Sur and Quintana Roo: FDI there is largely tourism and real estate.
TOURISM = ("03", "23")
METHODS = ("weighted_sum", "weighted_product", "topsis")
TOP = 10
#: Difference of Spearman rho from which the score "beats clearly" a baseline.
CLEAR_MARGIN = 0.10
OUTSIDE = "outside metros"
SECTIONS = (
    "Validation of the default ranking",
    "Scenario",
    "By state",
    "By metro area",
    "Score spread",
    "Rank ranges",
    "Top 10 metros by aggregation method",
    "How to read this",
)


#: A state whose best site ranks this many places above its FDI rank is named in the report.
OVERRANKED = 10


class Correlation(NamedTuple):
    """Spearman rank correlation: ``rho``, two-sided ``p`` value and number of pairs ``n``."""

    rho: float
    p: float
    n: int


# --- statistics (pure) ------------------------------------------------------------------------


def load_fdi(path: Path = FDI_FILE, years: Iterable[int] = FDI_YEARS) -> pd.Series:
    """Return FDI per state summed over the quarters of ``years``, million USD.

    Parameters
    ----------
    path
        CSV with ``QUARTER`` (``2024-Q4``), ``CVE_ENT`` and ``FDI_MUSD``.
    years
        Calendar years to sum; every state must have all four quarters of each.

    Returns
    -------
    pandas.Series
        ``fdi_musd`` indexed by ``CVE_ENT`` (two-digit state code).
    """
    table = pd.read_csv(path, dtype={"CVE_ENT": str})
    wanted = [f"{y}-Q{q}" for y in years for q in range(1, 5)]
    table = table[table["QUARTER"].isin(wanted)]
    counts = table.groupby("CVE_ENT")["QUARTER"].nunique()
    if counts.empty or (counts != len(wanted)).any():
        short = sorted(counts[counts != len(wanted)].index)
        msg = f"{path!r}: expected {len(wanted)} quarters per state, states short: {short}"
        raise ValueError(msg)
    return table.groupby("CVE_ENT")["FDI_MUSD"].sum().rename("fdi_musd")


def load_census(path: Path = CENSUS_FILE) -> pd.DataFrame:
    """Return the Census 2020 municipalities: ``CVEGEO``, ``CVE_ENT``, ``POB2020``."""
    table = pd.read_csv(path, dtype={"CVEGEO": str, "CVE_ENT": str})
    return table[["CVEGEO", "CVE_ENT", "POB2020"]]


def spearman(a: pd.Series, b: pd.Series) -> Correlation:
    """Return the Spearman rank correlation of two series aligned on their index.

    Pairs with a missing value are dropped; fewer than three pairs or a constant series give NaN.

    Examples
    --------
    >>> spearman(pd.Series([1, 2, 3, 4]), pd.Series([10, 20, 30, 45])).rho
    1.0
    """
    pairs = pd.concat([a, b], axis=1, join="inner").dropna()
    n = len(pairs)
    if n < 3 or pairs.iloc[:, 0].nunique() < 2 or pairs.iloc[:, 1].nunique() < 2:
        return Correlation(math.nan, math.nan, n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", stats.ConstantInputWarning)
        rho, p = stats.spearmanr(pairs.iloc[:, 0], pairs.iloc[:, 1])
    return Correlation(float(rho), float(p), n)


def ranked(ranking: pd.DataFrame) -> pd.DataFrame:
    """Return the sites that got a score (not excluded), in rank order."""
    return ranking[ranking["score"].notna()].sort_values("rank", kind="stable")


def state_table(ranking: pd.DataFrame, fdi: pd.Series, population: pd.Series) -> pd.DataFrame:
    """Return one row per state: FDI, best site score and its rank, and the two baselines.

    Parameters
    ----------
    ranking
        Sites with ``rank``, ``score``, ``state``, ``CVE_ENT`` and ``labor_pool``.
    fdi
        FDI per state (million USD), indexed by ``CVE_ENT``.
    population
        Census population per state, indexed by ``CVE_ENT``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``CVE_ENT``, sorted by FDI (largest first): ``state``, ``fdi_musd``,
        ``fdi_rank``, ``best_score``, ``score_rank`` (1 = best state), ``best_site``,
        ``best_labor_pool`` (``labor_pool`` of the state's best site) and ``population``.
        States without a scored site have NaN scores.
    """
    sites = ranked(ranking)
    best = sites.groupby("CVE_ENT", sort=False).first()
    table = pd.DataFrame(index=fdi.index.union(population.index).rename("CVE_ENT"))
    names = ranking.groupby("CVE_ENT")["state"].first()
    table["state"] = names.reindex(table.index).fillna(pd.Series(table.index, index=table.index))
    table["fdi_musd"] = fdi
    table["fdi_rank"] = table["fdi_musd"].rank(ascending=False, method="min")
    table["best_score"] = best["score"]
    table["score_rank"] = table["best_score"].rank(ascending=False, method="min")
    table["best_site"] = best["name"]
    table["best_labor_pool"] = best["labor_pool"]
    table["population"] = population
    return table.sort_values(["fdi_musd", "state"], ascending=[False, True])


def samples(table: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Return the state samples compared: all, without CDMX, without CDMX and tourism states."""
    return {
        "all states": table,
        "without CDMX": table.drop(index=[CDMX], errors="ignore"),
        "without CDMX, BCS, Q. Roo (exploratory)": table.drop(
            index=[CDMX, *TOURISM], errors="ignore"
        ),
    }


def correlations(
    table: pd.DataFrame, measures: Mapping[str, str], target: str = "fdi_musd"
) -> dict[str, Correlation]:
    """Return the Spearman correlation of each column of ``measures`` with ``target``.

    ``measures`` maps a label to a column of ``table``.
    """
    return {label: spearman(table[col], table[target]) for label, col in measures.items()}


def beats(model: float, baseline: float, margin: float = CLEAR_MARGIN) -> str:
    """Say whether the model's correlation beats the baseline's, by how much.

    Examples
    --------
    >>> beats(0.60, 0.45), beats(0.50, 0.45), beats(0.40, 0.45)
    ('beats clearly', 'beats narrowly', 'does not beat')
    """
    if math.isnan(model) or math.isnan(baseline):
        return "cannot be compared with"
    diff = model - baseline
    if diff >= margin:
        return "beats clearly"
    if diff > 0:
        return "beats narrowly"
    return "does not beat"


def metro_fdi_proxy(municipalities: pd.DataFrame, fdi: pd.Series) -> pd.Series:
    """Split each state's FDI among its municipalities by population and sum it by metro area.

    A rough proxy: it assumes FDI follows population inside a state.

    Parameters
    ----------
    municipalities
        ``CVE_ENT``, ``POB2020`` and ``metro`` (missing outside a metro area). A metro spanning
        states gets a share of each state's FDI.
    fdi
        FDI per state, indexed by ``CVE_ENT``.

    Returns
    -------
    pandas.Series
        FDI proxy indexed by metro name, plus one ``"outside metros (<CVE_ENT>)"`` entry per state
        for the rest of the state: the entries of a state sum back to its FDI.
    """
    muni = municipalities.copy()
    state_pop = muni.groupby("CVE_ENT")["POB2020"].transform("sum")
    muni["fdi"] = muni["CVE_ENT"].map(fdi) * muni["POB2020"] / state_pop
    outside = OUTSIDE + " (" + muni["CVE_ENT"] + ")"
    muni["area"] = muni["metro"].where(muni["metro"].notna(), outside)
    return muni.groupby("area")["fdi"].sum().rename("fdi_proxy_musd")


def metro_table(ranking: pd.DataFrame, proxy: pd.Series) -> pd.DataFrame:
    """Return one row per metro area with a scored site: best score, baseline and FDI proxy.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``metro``, in rank order of the metro's best site: ``state``, ``best_site``,
        ``best_score``, ``best_labor_pool`` and ``fdi_proxy_musd``.
    """
    sites = ranked(ranking).dropna(subset=["metro"])
    best = sites.groupby("metro", sort=False).first()
    return pd.DataFrame(
        {
            "state": best["state"],
            "best_site": best["name"],
            "best_score": best["score"],
            "best_labor_pool": best["labor_pool"],
            "fdi_proxy_musd": proxy.reindex(best.index),
        }
    )


def spread(ranking: pd.DataFrame, metros: pd.DataFrame, points: float = 5.0) -> dict[str, float]:
    """Return how close the top scores are.

    Keys: ``score_1``, ``score_10``, ``score_100`` (NaN past the last site), ``within`` (sites
    within ``points`` of the leader), ``span_top10_sites`` (score of rank 1 minus rank 10) and
    ``span_top10_metros`` (best score of metro 1 minus metro 10).
    """
    scores = ranked(ranking)["score"].to_numpy()

    def at(rank: int, values) -> float:
        return float(values[rank - 1]) if len(values) >= rank else math.nan

    metro_scores = metros["best_score"].sort_values(ascending=False).to_numpy()
    return {
        "score_1": at(1, scores),
        "score_10": at(10, scores),
        "score_100": at(100, scores),
        "within": int((scores >= scores[0] - points).sum()) if len(scores) else 0,
        "span_top10_sites": at(1, scores) - at(TOP, scores),
        "span_top10_metros": at(1, metro_scores) - at(TOP, metro_scores),
    }


def top_metros(ranking: pd.DataFrame, k: int = TOP) -> pd.DataFrame:
    """Return the best site of each of the ``k`` best metros, in order (as ``siting run``)."""
    return metro_leaders(ranking, k)


def overlap(tops: Mapping[str, Iterable[str]]) -> pd.DataFrame:
    """Return how many names each pair of lists shares (a square table, lists as rows/columns)."""
    sets = {key: set(values) for key, values in tops.items()}
    return pd.DataFrame({a: {b: len(sets[a] & sets[b]) for b in sets} for a in sets}).T


# --- formatting -------------------------------------------------------------------------------


#: Minutes as ``h:mm``, as ``siting run`` prints them.
hmm = hours_minutes


def num(value: float, digits: int = 1) -> str:
    """Return ``value`` with thousands separators and ``digits`` decimals (``-`` when missing)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:,.{digits}f}"


def pval(p: float) -> str:
    """Return a p-value for a table."""
    if math.isnan(p):
        return "-"
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def markdown(rows: list[list[str]], header: list[str], align: str = "") -> str:
    """Return a Markdown table; ``align`` has one ``l``/``r`` per column (default: left)."""
    align = align or "l" * len(header)
    rule = ["---:" if a == "r" else "---" for a in align]
    lines = [header, rule, *rows]
    return "\n".join("| " + " | ".join(cell.replace("|", "/") for cell in r) + " |" for r in lines)


def correlation_rows(results: Mapping[str, Mapping[str, Correlation]]) -> list[list[str]]:
    """Return table rows: one per sample and measure, with rho, p and n."""
    return [
        [sample, measure, f"{c.rho:+.3f}" if not math.isnan(c.rho) else "-", pval(c.p), str(c.n)]
        for sample, by_measure in results.items()
        for measure, c in by_measure.items()
    ]


# --- the report -------------------------------------------------------------------------------

STATE_MEASURES = {
    "best site score (default)": "best_score",
    "baseline: best-site labor_pool": "best_labor_pool",
    "baseline: Census population": "population",
}
METRO_MEASURES = {
    "best site score (default)": "best_score",
    "baseline: best-site labor_pool": "best_labor_pool",
}


def verdicts(results: Mapping[str, Mapping[str, Correlation]]) -> list[str]:
    """Return one sentence per sample and baseline: does the score beat it, by how much."""
    lines = []
    model_key, *baselines = STATE_MEASURES
    for sample, by_measure in results.items():
        model = by_measure[model_key].rho
        for key in baselines:
            base = by_measure[key].rho
            label = key.removeprefix("baseline: ")
            lines.append(
                f"- {sample}: the default score (rho {model:+.3f}) **{beats(model, base)}** the "
                f"{label} baseline (rho {base:+.3f}; difference {model - base:+.3f})."
            )
    return lines


def render(
    results: Mapping[str, object],
    fdi_years: tuple[int, ...] = FDI_YEARS,
) -> str:
    """Return the Markdown report from the runs and tables gathered by :func:`gather`."""
    default = results["weighted_sum"]
    ranking = default.ranking
    states: pd.DataFrame = results["states"]
    metros: pd.DataFrame = results["metros"]
    years = f"{fdi_years[0]}–{fdi_years[-1]}"
    out: list[str] = [f"# {SECTIONS[0]}", ""]
    out += [
        f"Generated by `tools/validate.py` with siting {siting.__version__} on the bundled default "
        "scenario. Regenerate after any change to the scenario, criteria or data:",
        "",
        "    .venv/bin/python tools/validate.py --out docs/validation.md",
        "",
        "The file holds no date or timing: the same code and data give the same file. "
        f"FDI: Secretaría de Economía (RNIE) via Data México, {years}, sum of "
        f"{4 * len(fdi_years)} quarters, million USD "
        "(`layers/data/population/mx_state_fdi_quarterly.csv`); population: INEGI Censo 2020. "
        f"Ranked sites: {len(ranked(ranking))} of {len(ranking)}.",
        "",
        f"## {SECTIONS[1]}",
        "",
    ]
    rows = [
        [c.name, f"{c.weight:.3f}", c.direction, c.label]
        for c in sorted(default.criteria, key=lambda c: (-c.weight, c.name))
    ]
    out += [markdown(rows, ["criterion", "weight", "direction", "label"], "lrll"), ""]

    # by state
    corr = {name: correlations(sample, STATE_MEASURES) for name, sample in samples(states).items()}
    out += [
        f"## {SECTIONS[2]}",
        "",
        f"For each state: FDI {years}, the best site's score and the state's rank by it, and two "
        "population-only baselines: the `labor_pool` (population within the commute) of the "
        "state's best site, and the state's Census 2020 population.",
        "",
    ]
    rows = [
        [
            s.state,
            num(s.fdi_musd, 0),
            num(s.fdi_rank, 0),
            num(s.best_score, 1),
            num(s.score_rank, 0),
            str(s.best_site),
            num(s.best_labor_pool, 0),
            num(s.population, 0),
        ]
        for s in states.itertuples()
    ]
    header = ["state", "FDI (M USD)", "FDI rank", "best score", "score rank", "best site"]
    header += ["best-site labor_pool", "population 2020"]
    out += [markdown(rows, header, "lrrrrlrr"), ""]
    out += [
        "Spearman rank correlation with state FDI (two-sided p; n states):",
        "",
        markdown(correlation_rows(corr), ["sample", "measure", "rho", "p", "n"], "llrrr"),
        "",
        *verdicts(corr),
        "",
        f'Wording: "beats clearly" when rho exceeds the baseline\'s by {CLEAR_MARGIN:.2f} or '
        'more, "beats narrowly" when by less, "does not beat" otherwise. Ciudad de México is left '
        "out "
        "in the second sample because FDI is booked at the company's registered address, which "
        "inflates CDMX (headquarters effect; `SOURCE.md` of the population data, file 5). The "
        "third sample also leaves out Baja California Sur and Quintana Roo, whose FDI is largely "
        "tourism and real estate rather than manufacturing: **exploratory**, chosen after "
        "looking at the data.",
        "",
    ]
    # by metro
    mcorr = correlations(metros, METRO_MEASURES, "fdi_proxy_musd")
    m_rho, b_rho = (c.rho for c in mcorr.values())
    out += [
        f"## {SECTIONS[3]}",
        "",
        f"{len(metros)} metro areas with a scored site. FDI proxy: each state's FDI {years} split "
        "among its municipalities by Census 2020 population share, summed by metro area (the "
        "rest of the state stays outside). **A rough proxy**: it assumes FDI follows population "
        "inside a state, which it does not (CDMX's headquarters effect spreads over the Valle de "
        "México; industrial parks sit outside city centres).",
        "",
        markdown(
            correlation_rows({"metros": mcorr}), ["sample", "measure", "rho", "p", "n"], "llrrr"
        ),
        "",
        f"- metros: the default score (rho {m_rho:+.3f}) **{beats(m_rho, b_rho)}** the "
        f"best-site labor_pool baseline (rho {b_rho:+.3f}; difference {m_rho - b_rho:+.3f}).",
        "",
    ]

    # spread
    sp = spread(ranking, metros)
    model_key, pool_key, _ = STATE_MEASURES
    everywhere = next(iter(corr.values()))  # the first sample: all states
    main_verdict = beats(everywhere[model_key].rho, everywhere[pool_key].rho)
    if main_verdict != "beats clearly":
        gap = states["fdi_rank"] - states["score_rank"]
        over = states[gap >= OVERRANKED].sort_values("fdi_musd")
        named = ", ".join(f"{r.state} ({r.best_site})" for r in over.itertuples())
        metro_verdict = beats(m_rho, b_rho)
        out += [
            f"**Why the default {main_verdict.replace('beats', 'beats only', 1)} the "
            "population-only baseline over all states.** (1) The baseline is strong: FDI is a "
            "flow of money that grows with the size of a state's economy, and the labour force "
            "is already the heaviest default criterion. (2) FDI that is not manufacturing is "
            "mis-ranked by any manufacturing score: CDMX (headquarters), Baja California Sur and "
            "Quintana Roo (tourism); the margin over the baseline without them is shown above. "
            f"(3) States ranked {OVERRANKED} or more places higher by their best site than by "
            f"FDI: {named or 'none'}. Several hold sites of a metro area that crosses a state "
            "line or of a neighbouring state's labour market, while FDI is booked by state. "
            f"By metro, with FDI spread by population, the default {metro_verdict} the "
            "baseline. (4) This is not an out-of-sample test: the weights were set from the "
            "reasons in `docs/scenario.md`, but the labour value function was chosen while "
            "looking at this table (min-max on the logarithm gave a lower rho than the "
            "saturation at 1,000,000).",
            "",
        ]

    out += [
        f"## {SECTIONS[4]}",
        "",
        markdown(
            [
                ["score of rank 1", num(sp["score_1"], 2)],
                ["score of rank 10", num(sp["score_10"], 2)],
                ["score of rank 100", num(sp["score_100"], 2)],
                ["sites within 5 points of the leader", str(sp["within"])],
                ["span of ranks 1-10 (sites)", num(sp["span_top10_sites"], 2)],
                ["span of the top 10 metros' best scores", num(sp["span_top10_metros"], 2)],
            ],
            ["measure", "value"],
            "lr",
        ),
        "",
    ]

    # rank ranges
    top = top_metros(ranking)
    out += [f"## {SECTIONS[5]}", ""]
    stability = default.stability
    if stability is None or "rank_p05" not in ranking:
        out += ["Not computed (run without rank ranges).", ""]
    else:
        out += [
            f"Rank of the best site of each of the top {TOP} metros over {stability.draws} weight "
            f"draws (Dirichlet, concentration {stability.concentration:g}, seed {stability.seed}); "
            f"top-{stability.top_k} share: how often the site stays in the top {stability.top_k}.",
            "",
        ]
        rows = [
            [
                str(int(s.metro_rank)),
                s.metro,
                s.name,
                str(int(s.rank)),
                f"{s.rank_p05:.0f}–{s.rank_p95:.0f}",
                f"{s.top_k_share:.2f}",
            ]
            for s in top.itertuples()
        ]
        header = ["metro rank", "metro", "best site", "rank", "rank p05–p95", "top-k share"]
        out += [markdown(rows, header, "rllrrr"), ""]
        rows = [
            [
                "Kendall tau, mean (min)",
                f"{stability.kendall_tau_mean:.3f} ({stability.kendall_tau_min:.3f})",
            ],
            [
                "weighted Spearman, mean (min)",
                f"{stability.weighted_spearman_mean:.3f} ({stability.weighted_spearman_min:.3f})",
            ],
            ["leader", str(stability.leader)],
            ["leader first in", f"{stability.leader_first_share:.1%} of draws"],
            [f"base top {stability.top_k} kept, mean", f"{stability.base_top_k_kept_mean:.2f}"],
        ]
        out += ["Stability of the whole ranking:", "", markdown(rows, ["measure", "value"]), ""]

    # methods
    out += [f"## {SECTIONS[6]}", ""]
    tops = {}
    for method in METHODS:
        t = top_metros(results[method].ranking)
        tops[method] = list(t["metro"])
        label = f"{method} (default)" if method == "weighted_sum" else method
        rows = [
            [
                str(i),
                s.metro,
                s.state,
                s.name,
                f"{s.score:.2f}",
                str(s.nearest_crossing),
                hmm(s.crossing_drive_min),
            ]
            for i, s in enumerate(t.itertuples(), 1)
        ]
        header = ["#", "metro", "state", "best site", "score", "crossing", "truck h:mm"]
        out += [f"**{label}**", "", markdown(rows, header, "rlllrlr"), ""]
    ov = overlap(tops)
    shared = [m for m in tops["weighted_sum"] if all(m in v for v in tops.values())]
    rows = [[a, *(str(ov.loc[a, b]) for b in METHODS)] for a in METHODS]
    out += [
        f"Metros shared by the top {TOP} lists:",
        "",
        markdown(rows, ["", *METHODS], "lrrr"),
        "",
        f"In all three: {', '.join(shared) or 'none'}.",
        "",
    ]

    out += [
        f"## {SECTIONS[7]}",
        "",
        "FDI is a flow of money booked by the investor's registered address, and it includes "
        "services, finance, tourism, real estate and mining, not only manufacturing; a site score "
        "is about where a manufacturing plant would do well. So the two need not agree, and a "
        "correlation over 32 states (or 74 metros with a proxy) is a weak test: the p-values are "
        "shown so that a reader can judge how much chance alone could produce, and the "
        "difference between two rho values is not itself tested. Read the tables "
        "as a plausibility check of the default weights against a population-only baseline, "
        "not as a measure of accuracy.",
        "",
    ]
    return "\n".join(out)


def gather() -> dict[str, object]:
    """Run the default scenario once per aggregation method and build the state and metro tables."""
    results: dict[str, object] = {}
    for method in METHODS:
        if method == "weighted_sum":
            results[method] = siting.run(rank_ranges=True)
        else:
            results[method] = siting.run(rank_ranges=False, aggregation=method)
    ranking = results["weighted_sum"].ranking
    fdi = load_fdi()
    census = load_census()
    results["states"] = state_table(ranking, fdi, census.groupby("CVE_ENT")["POB2020"].sum())
    areas = siting.layers.sites.metro_areas()[["CVEGEO", "metro"]]
    census = census.merge(areas, on="CVEGEO", how="left")
    results["metros"] = metro_table(ranking, metro_fdi_proxy(census, fdi))
    return results


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: list[str]) -> int:
    """Compute the report and write it; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"Markdown file (default {OUT})")
    args = parser.parse_args(argv)
    write_atomic(args.out, render(gather()))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""How stable is a ranking when the weights move? Monte Carlo over the weights.

Weight vectors are drawn from a Dirichlet distribution centred on the chosen weights,
``Dirichlet(concentration × w)``: its mean is ``w`` and each weight's standard deviation is
``sqrt(w (1 − w) / (concentration + 1))`` (concentration 50 and w = 0.10 give ±0.04). Criteria
with weight 0 stay at 0. The criteria's 0–1 values are those of the run (value functions and
constraints unchanged); only the weights vary, so every draw is one matrix product
(:func:`siting.aggregate.score_matrix`).

For each eligible site: best, 5th percentile, median, 95th percentile and worst rank over the
draws, and the share of draws that put it in the top ``k``. For the whole ranking: Kendall's tau-b
(:func:`scipy.stats.kendalltau`) and the weighted Spearman coefficient r_w (Pinto da Costa &
Soares 2005, :func:`pymcdm.correlations.weighted_spearman`, which weighs agreement at the top
more) between each draw's ranking and the base ranking, summarized by their mean and minimum.

Same run and same seed give the same numbers; the CSV holds no timestamps, so it is
byte-identical.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy.stats import kendalltau, rankdata

from siting._csv import escape_formulas
from siting.aggregate import score_matrix
from siting.scenario import SensitivitySettings
from siting.text import CHART

if TYPE_CHECKING:
    from pathlib import Path

    from siting.result import RunResult

logger = logging.getLogger(__name__)

#: Columns of ``sensitivity.csv``, in order.
COLUMNS = [
    "rank",
    "name",
    "score",
    "rank_best",
    "rank_p05",
    "rank_median",
    "rank_p95",
    "rank_worst",
    "top_k_share",
]


@dataclass
class SensitivityResult:
    """Per-site rank distribution (``table``, columns :data:`COLUMNS`) and a stability summary."""

    table: pd.DataFrame
    summary: dict[str, Any]
    settings: SensitivitySettings = field(default_factory=SensitivitySettings)


def weight_draws(
    weights: dict[str, float] | list[float] | np.ndarray,
    *,
    draws: int,
    concentration: float,
    seed: int,
) -> np.ndarray:
    """Return ``(draws, n_criteria)`` Dirichlet weight vectors centred on ``weights``.

    Zero weights stay exactly 0. The first row is not special: every row is a draw.

    Examples
    --------
    >>> w = weight_draws([0.5, 0.3, 0.2, 0.0], draws=4, concentration=50, seed=1)
    >>> w.shape, bool(np.allclose(w.sum(axis=1), 1)), bool((w[:, 3] == 0).all())
    ((4, 4), True, True)
    """
    base = np.asarray(list(weights.values()) if isinstance(weights, dict) else weights, dtype=float)
    if draws < 1 or not concentration > 0:
        msg = f"`draws` ({draws}) must be >= 1 and `concentration` ({concentration}) positive"
        raise ValueError(msg)
    base = base / base.sum()
    positive = base > 0
    rng = np.random.default_rng(seed)
    out = np.zeros((draws, len(base)))
    if positive.sum() == 1:
        out[:, positive] = 1.0
    else:
        out[:, positive] = rng.dirichlet(concentration * base[positive], size=draws)
    return out


#: Weight draws scored at once: the float work of the rank ranges is ``DRAW_CHUNK × sites``
#: numbers at a time, whatever the number of draws.
DRAW_CHUNK = 64

#: Sites whose rank statistics are computed at once (bounds the temporary copies).
SITE_CHUNK = 8192


def rank_bytes(sites: int) -> int:
    """Bytes used to keep one site's rank in one draw: 2 below 65,536 sites, else 4."""
    return 2 if sites < 2**16 else 4


def _draw_ranks(
    values: np.ndarray, draws: np.ndarray, method: str, floor: float, base: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rank the sites under every weight draw, :data:`DRAW_CHUNK` draws at a time.

    Returns the ``(sites, draws)`` ranks in the smallest integer type that holds them
    (:func:`rank_bytes`) and, per draw, Kendall's tau-b and the weighted Spearman r_w against
    the ``base`` ranking. Memory: ``rank_bytes × sites × draws`` plus one chunk of floats.
    """
    from pymcdm.correlations import weighted_spearman

    n, d = values.shape[0], draws.shape[0]
    ranks = np.empty((n, d), dtype=np.uint16 if rank_bytes(n) == 2 else np.uint32)
    taus = np.ones(d)
    rws = np.ones(d)
    base_f = base.astype(float)  # r_w sums cubes of ranks: int64 overflows above ~100,000 sites
    for start in range(0, d, DRAW_CHUNK):
        block = _ranks(score_matrix(values, draws[start : start + DRAW_CHUNK], method, floor=floor))
        ranks[:, start : start + block.shape[1]] = block
        if n >= 2:
            for j in range(block.shape[1]):
                tau = kendalltau(base, block[:, j]).statistic
                taus[start + j] = 1.0 if np.isnan(tau) else tau  # all tied in both: identical
                rws[start + j] = weighted_spearman(base_f, block[:, j].astype(float))
    return ranks, taus, rws


def _rank_percentiles(ranks: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per site: 5th percentile (lower), median and 95th percentile (higher) of its ranks.

    The same numbers as ``np.percentile(ranks, 5, axis=1, method="lower")``, ``np.median`` and
    ``np.percentile(..., 95, method="higher")``, by partial sorts of :data:`SITE_CHUNK` sites at
    a time (no float copy of the whole matrix).
    """
    n, d = ranks.shape
    i05 = int(np.floor(0.05 * (d - 1)))
    i95 = int(np.ceil(0.95 * (d - 1)))
    mid_lo, mid_hi = (d - 1) // 2, d // 2
    kth = sorted({i05, i95, mid_lo, mid_hi})
    low = np.empty(n, dtype=np.int64)
    high = np.empty(n, dtype=np.int64)
    median = np.empty(n, dtype=float)
    for start in range(0, n, SITE_CHUNK):
        part = np.partition(ranks[start : start + SITE_CHUNK], kth, axis=1)
        low[start : start + len(part)] = part[:, i05]
        high[start : start + len(part)] = part[:, i95]
        median[start : start + len(part)] = (
            part[:, mid_lo].astype(float) + part[:, mid_hi].astype(float)
        ) / 2
    return low, median, high


def _share_at_most(ranks: np.ndarray, k: int) -> np.ndarray:
    """Per site, the share of draws that rank it ``k`` or better."""
    out = np.empty(ranks.shape[0])
    for start in range(0, ranks.shape[0], SITE_CHUNK):
        out[start : start + SITE_CHUNK] = (ranks[start : start + SITE_CHUNK] <= k).mean(axis=1)
    return out


def _ranks(scores: np.ndarray) -> np.ndarray:
    """Rank columns of ``scores`` (1 = best, ties share the best rank), robust to float noise."""
    return rankdata(-np.round(scores, 9), axis=0, method="min").astype(np.int64)


def sensitivity(
    result: RunResult, settings: SensitivitySettings | None = None
) -> SensitivityResult:
    """Run the Monte Carlo weight sensitivity of a ranked run.

    Parameters
    ----------
    result
        A :class:`siting.pipeline.RunResult`; its eligible candidates (those with a rank) are re-ranked.
    settings
        Draws, seed, concentration and top-k; default: the scenario's ``[sensitivity]``.
    """
    settings = settings or result.scenario.sensitivity
    ranking = result.ranking
    names = [c.name for c in result.criteria]
    w = np.array([c.weight for c in result.criteria], dtype=float)
    ranked = ranking[ranking["rank"].notna()].reset_index(drop=True)
    values = ranked[[f"norm_{n}" for n in names]].to_numpy(dtype=float)
    method = result.scenario.aggregation
    floor = result.scenario.product_floor

    draws = weight_draws(
        w, draws=settings.draws, concentration=settings.concentration, seed=settings.seed
    )
    logger.info(
        "sensitivity: %d draws over %d sites (%s, concentration %g, seed %d)",
        settings.draws,
        len(ranked),
        method,
        settings.concentration,
        settings.seed,
    )
    base = _ranks(score_matrix(values, w[None, :], method, floor=floor))[:, 0]
    ranks, taus, rws = _draw_ranks(values, draws, method, floor, base)

    k = settings.top_k
    n = len(ranked)
    low, median, high = _rank_percentiles(ranks)
    table = pd.DataFrame(
        {
            "rank": ranked["rank"].astype("int64").to_numpy(),
            "name": ranked["name"].to_numpy(),
            "score": ranked["score"].to_numpy(dtype=float),
            "rank_best": ranks.min(axis=1).astype(np.int64),
            "rank_p05": low,
            "rank_median": median,
            "rank_p95": high,
            "rank_worst": ranks.max(axis=1).astype(np.int64),
            "top_k_share": _share_at_most(ranks, k),
        }
    )[COLUMNS]

    leader = table.loc[table["rank"].idxmin(), "name"] if n else None
    summary = {
        "method": method,
        "draws": settings.draws,
        "seed": settings.seed,
        "concentration": settings.concentration,
        "top_k": k,
        "sites": n,
        "kendall_tau_mean": float(np.mean(taus)),
        "kendall_tau_min": float(np.min(taus)),
        "weighted_spearman_mean": float(np.mean(rws)),
        "weighted_spearman_min": float(np.min(rws)),
        "leader": leader,
        "leader_first_share": float((ranks[table["rank"].to_numpy() == 1] == 1).any(axis=0).mean())
        if n
        else 0.0,
        "base_top_k_kept_mean": float(
            np.mean((ranks[table["rank"].to_numpy() <= k] <= k).sum(axis=0))
        )
        if n
        else 0.0,
        "weights": dict(zip(names, (float(x) for x in w), strict=True)),
    }
    return SensitivityResult(table=table, summary=summary, settings=settings)


def write_csv(sens: SensitivityResult, path: str | Path) -> None:
    """Write ``sensitivity.csv`` (deterministic: no timestamps, fixed number formats)."""
    table = escape_formulas(sens.table)  # site names a spreadsheet would run as formulas
    table.to_csv(path, index=False, float_format="%.6g", lineterminator="\n")


def rank_range_chart(sens: SensitivityResult, *, top: int = 20) -> Any:
    """Return a matplotlib Figure of the rank ranges of the ``top`` best-ranked sites.

    Thin line: best to worst rank over the draws; thick bar: 5th–95th percentile; white dot:
    median; black diamond: the rank with the chosen weights.
    """
    import matplotlib.pyplot as plt


    t = sens.table.sort_values(["rank", "name"], kind="stable").head(top).iloc[::-1]
    labels = [n if len(n) <= 42 else n[:41] + "…" for n in t["name"].astype(str)]
    y = np.arange(len(t))
    fig, ax = plt.subplots(figsize=(8.5, 0.32 * len(t) + 1.6), dpi=120)
    ax.hlines(y, t["rank_best"], t["rank_worst"], color="#9aa5b1", lw=1.2, zorder=1)
    ax.hlines(y, t["rank_p05"], t["rank_p95"], color="#3d6fb6", lw=6, zorder=2)
    ax.scatter(
        t["rank_median"],
        y,
        color="white",
        edgecolor="#1f3d66",
        s=22,
        zorder=3,
        label=CHART["median"],
    )
    ax.scatter(t["rank"], y, color="black", marker="D", s=14, zorder=4, label=CHART["base"])
    ax.set_yticks(y, labels, fontsize=7)
    ax.set_xlabel(CHART["xlabel"])
    s = sens.summary
    ax.set_title(
        CHART["title"].format(
            n=len(t), draws=s["draws"], conc=s["concentration"], seed=s["seed"], method=s["method"]
        ),
        fontsize=9,
    )
    ax.set_xlim(left=0.5)
    ax.grid(axis="x", color="#e5e5e5", lw=0.6)
    fig.legend(fontsize=7, loc="lower center", bbox_to_anchor=(0.5, 0.02), ncol=2, frameon=False)
    fig.text(
        0.01,
        0.005,
        CHART["footer"].format(tau=s["kendall_tau_mean"], rw=s["weighted_spearman_mean"]),
        fontsize=7,
        color="#555555",
    )
    fig.tight_layout(rect=(0, 0.5 / fig.get_figheight(), 1, 1))
    return fig


def save_chart(fig: Any, path: str | Path) -> None:
    """Save the chart as a PNG without metadata that changes between runs."""
    import matplotlib.pyplot as plt

    fig.savefig(path, format="png", metadata={"Software": None})
    plt.close(fig)


def with_settings(
    settings: SensitivitySettings, *, draws: int | None = None, seed: int | None = None
) -> SensitivitySettings:
    """Return ``settings`` with ``draws`` and/or ``seed`` replaced (command-line overrides)."""
    changes: dict[str, Any] = {}
    if draws is not None:
        changes["draws"] = draws
    if seed is not None:
        changes["seed"] = seed
    return dataclasses.replace(settings, **changes)

"""Metro areas of a ranking: the shortlist of places rather than of sites.

The default candidates hold dozens of parks of one city, so ``siting run``, the maps and the
validation report read a ranking by metro area (2015 delimitation, column ``metro``): each metro's
rank by its best site (:func:`metro_ranks`, the ``metro_rank`` column) and the best site of each
metro in that order (:func:`metro_leaders`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["excluded_mask", "metro_leaders", "metro_ranks", "ranked_mask"]


def excluded_mask(ranking: pd.DataFrame) -> np.ndarray:
    """Return which candidates a constraint excluded (``excluded`` column; none without it)."""
    if "excluded" not in ranking.columns:
        return np.zeros(len(ranking), dtype=bool)
    return ranking["excluded"].astype("boolean").fillna(False).to_numpy(dtype=bool)


def ranked_mask(ranking: pd.DataFrame) -> np.ndarray:
    """Return which candidates have a rank and a score and are not excluded by a constraint."""
    rank = pd.to_numeric(ranking["rank"], errors="coerce")
    score = pd.to_numeric(ranking["score"], errors="coerce")
    return ~excluded_mask(ranking) & rank.notna().to_numpy() & score.notna().to_numpy()


def metro_ranks(table: pd.DataFrame) -> pd.Series:
    """Rank of each site's metro area among the metros, by the metro's best score.

    Metro 1 holds the best-scoring site of any metro. Sites outside a metro, and metros with no
    ranked site, get NaN. Ties share the best rank.

    Examples
    --------
    >>> t = pd.DataFrame({"metro": ["A", "A", "B", None], "score": [50.0, 70.0, 60.0, 90.0],
    ...                   "rank": [4.0, 2.0, 3.0, 1.0]})
    >>> metro_ranks(t).tolist()
    [1.0, 1.0, 2.0, nan]
    """
    if "metro" not in table:
        return pd.Series(np.nan, index=table.index)
    ranked = table[table["rank"].notna() & table["metro"].notna()]
    best = ranked.groupby("metro")["score"].max()
    order = best.rank(ascending=False, method="min")
    return table["metro"].map(order).astype(float)


def metro_leaders(ranking: pd.DataFrame, n: int | None = None) -> pd.DataFrame:
    """Return the best ranked site of each metro area, best metro first (the first ``n``).

    The shortlist ``siting run`` prints and the maps label: one row per metro (its best site's
    row of ``ranking``), in rank order. Unranked sites and sites outside a metro are left out.

    Examples
    --------
    >>> t = pd.DataFrame({"name": ["a", "b", "c", "d"], "rank": [2.0, 1.0, 3.0, 4.0],
    ...                   "metro": ["A", "B", "A", None]})
    >>> metro_leaders(t)["name"].tolist(), metro_leaders(t, 1)["metro"].tolist()
    (['b', 'a'], ['B'])
    """
    sites = ranking[ranking["rank"].notna() & ranking["metro"].notna()]
    order = [c for c in ("rank", "name") if c in sites.columns]  # ties: by name
    best = sites.sort_values(order, kind="stable").drop_duplicates("metro")
    return best if n is None else best.head(n)

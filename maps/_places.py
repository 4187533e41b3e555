"""Which sites the maps single out: the best site of each of the best metropolitan areas.

The default ranking is dominated by one metro (Monterrey holds its first ranks), so "the top
10 sites" would label one city ten times. Like ``siting run``'s table of metros, the maps label
the best site of each of the top metros, numbered by the metro's rank (``metro_rank``). A ranking
without metros (no ``metro`` column, or none filled) falls back to the best sites by rank.
Selection only: the scores and ranks come from the run.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from siting.metros import excluded_mask, metro_leaders, ranked_mask

__all__ = ["PLACE_NAME", "PLACE_RANK", "by_metro", "excluded_mask", "ranked_mask", "top_places"]

#: Columns :func:`top_places` adds: the label number and the metro shown (``None`` if by site).
PLACE_RANK = "_place_rank"
PLACE_NAME = "_place"


def by_metro(ranking: pd.DataFrame) -> bool:
    """Return whether the ranking names the metros of its ranked sites (``metro`` column).

    Examples
    --------
    >>> by_metro(pd.DataFrame({"rank": [1.0], "score": [90.0], "metro": ["Monterrey"]}))
    True
    >>> by_metro(pd.DataFrame({"rank": [1.0], "score": [90.0]}))
    False
    """
    if "metro" not in ranking.columns:
        return False
    return bool(ranking.loc[ranked_mask(ranking), "metro"].notna().any())


def top_places(ranking: pd.DataFrame, n: int) -> pd.DataFrame:
    """Return the best site of each of the ``n`` best metros, best first (or the ``n`` best sites).

    Adds :data:`PLACE_RANK` (the metro's rank, else the site's) and :data:`PLACE_NAME` (the
    metro's name, else missing). Sites outside the metros are not listed when the ranking has
    metros, as in ``siting run``'s table. The index is kept.

    Examples
    --------
    >>> r = pd.DataFrame({"rank": [1.0, 2.0, 3.0], "score": [90.0, 80.0, 70.0],
    ...                   "metro": ["Monterrey", "Monterrey", "Saltillo"],
    ...                   "metro_rank": [1.0, 1.0, 2.0]})
    >>> top_places(r, 5)[["rank", "_place_rank", "_place"]].values.tolist()
    [[1.0, 1.0, 'Monterrey'], [3.0, 2.0, 'Saltillo']]
    """
    ranked = ranking[ranked_mask(ranking)]
    rank = pd.to_numeric(ranked["rank"], errors="coerce")
    if not by_metro(ranking):
        top = ranked.assign(_r=rank).sort_values("_r", kind="stable").head(n)
        return top.assign(**{PLACE_RANK: top["_r"], PLACE_NAME: None}).drop(columns="_r")
    best = metro_leaders(ranked.assign(rank=rank))
    if "metro_rank" in best.columns and best["metro_rank"].notna().all():
        place_rank = pd.to_numeric(best["metro_rank"], errors="coerce")
    else:  # the metro's place is its best site's
        place_rank = pd.Series(np.arange(1, len(best) + 1, dtype=float), index=best.index)
    best = best.assign(**{PLACE_RANK: place_rank, PLACE_NAME: best["metro"]})
    return best.sort_values([PLACE_RANK, "rank"], kind="stable").head(n)

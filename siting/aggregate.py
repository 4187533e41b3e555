"""Aggregation of normalized criteria into a 0–100 score with per-criterion contributions."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd


def weighted_sum(normalized: pd.DataFrame, weights: Mapping[str, float]) -> pd.DataFrame:
    """Return the weighted-sum score and each criterion's contribution, in points out of 100.

    Parameters
    ----------
    normalized
        One 0–1 column per criterion (1 = best).
    weights
        Non-negative weight per criterion, summing to 1.

    Returns
    -------
    pandas.DataFrame
        ``contrib_<criterion>`` columns (``100 × weight × normalized value``) and ``score``, their
        sum, on 0–100.

    Examples
    --------
    >>> norm = pd.DataFrame({"a": [1.0, 0.0], "b": [0.5, 1.0]})
    >>> weighted_sum(norm, {"a": 0.5, "b": 0.5})["score"].tolist()
    [75.0, 50.0]
    """
    contrib = pd.DataFrame(
        {f"contrib_{name}": 100.0 * w * normalized[name] for name, w in weights.items()},
        index=normalized.index,
    )
    contrib["score"] = contrib.sum(axis=1)
    return contrib

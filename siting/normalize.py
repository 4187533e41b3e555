"""Normalization of raw criterion values onto 0–1, where 1 is best."""

from __future__ import annotations

import numpy as np
import pandas as pd


def minmax(values: pd.Series, direction: str) -> pd.Series:
    """Min-max normalize ``values`` to 0–1 with 1 the best value.

    ``direction`` is ``"benefit"`` (the largest value scores 1) or ``"cost"`` (the smallest scores
    1). A criterion on which all candidates are equal does not discriminate: every candidate gets 1.

    Examples
    --------
    >>> minmax(pd.Series([10.0, 20.0, 30.0]), "cost").tolist()
    [1.0, 0.5, 0.0]
    """
    if direction not in ("benefit", "cost"):
        msg = f"`direction` was {direction!r} but is expected to be 'benefit' or 'cost'"
        raise ValueError(msg)
    x = values.astype(float)
    if not np.isfinite(x.to_numpy()).all():
        msg = f"criterion {values.name!r} has missing or infinite values; exclude those sites first"
        raise ValueError(msg)
    lo, hi = float(x.min()), float(x.max())
    if hi == lo:
        return pd.Series(1.0, index=values.index, name=values.name)
    scaled = (x - lo) / (hi - lo)
    return scaled if direction == "benefit" else 1.0 - scaled

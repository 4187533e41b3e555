"""Aggregation of 0–1 criterion values into a 0–100 score with per-criterion contributions.

Every method returns ``contrib_<criterion>`` columns (points) and ``score``, and the contributions
of a row always sum to its score, so every method explains every score the same way.

``weighted_sum``
    ``score = 100 Σ w_j v_j``; ``contrib_j = 100 w_j v_j``. Fully compensatory.
``weighted_product``
    ``score = 100 Π u_j^w_j`` with ``u_j = f + (1 − f) v_j`` (``f`` = ``floor``, default 0.01, so
    that the worst site on one criterion is not multiplied down to exactly 0). Log-decomposition:
    ``ln(score / 100 f) = Σ w_j ln(u_j / f)``, each term ≥ 0, and ``contrib_j`` is the score times
    criterion ``j``'s share of that sum — what the criterion lifts the site above the floor, in
    log terms. A criterion at the floor contributes 0; at its best it contributes most. If every
    term is 0 (the site is worst on everything) the score ``100 f`` is shared by weight.
    Less compensatory: a very weak criterion drags the whole score down.
``topsis``
    TOPSIS (Hwang & Yoon 1981) on the weighted values ``w_j v_j`` with the ideal and anti-ideal
    taken over the eligible candidates; ``score = 100 D⁻ / (D⁺ + D⁻)`` (closeness, from
    :class:`pymcdm.methods.TOPSIS`). ``contrib_j`` is the score times criterion ``j``'s share of
    the squared separation from the anti-ideal, ``(w_j (v_j − v⁻_j))² / (D⁻)²``: the criteria
    that lift the site away from the worst. A criterion on which the site equals the worst
    eligible site contributes 0.

``reference`` (a boolean mask of the eligible candidates) fixes what "ideal" means for TOPSIS;
the other two methods score each row on its own.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

#: Aggregation methods a scenario may name in ``[aggregation] method``.
METHODS = ("weighted_sum", "weighted_product", "topsis")

#: Default floor of the weighted product (value given to the worst 0–1 value).
PRODUCT_FLOOR = 0.01


def _frame(contrib: np.ndarray, names: list[str], index: pd.Index) -> pd.DataFrame:
    out = pd.DataFrame(contrib, columns=[f"contrib_{n}" for n in names], index=index)
    out["score"] = contrib.sum(axis=1)
    return out


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


def weighted_product(
    normalized: pd.DataFrame, weights: Mapping[str, float], *, floor: float = PRODUCT_FLOOR
) -> pd.DataFrame:
    """Return the weighted-product score (0–100) and its log-decomposition into contributions.

    See the module docstring for the formula. ``floor`` may be 0 only if no value is 0; the
    contributions then measure the lift above the worst row of each column instead of the floor.

    Examples
    --------
    >>> norm = pd.DataFrame({"a": [1.0, 0.25], "b": [1.0, 1.0]})
    >>> weighted_product(norm, {"a": 0.5, "b": 0.5}, floor=0.0)["score"].tolist()
    [100.0, 50.0]
    """
    names = list(weights)
    v = normalized[names].to_numpy(dtype=float)
    w = np.array([weights[n] for n in names], dtype=float)
    if not 0.0 <= floor < 1.0:
        msg = f"`floor` was {floor!r} but is expected to be in [0, 1)"
        raise ValueError(msg)
    u = floor + (1.0 - floor) * v
    if floor == 0.0 and (u <= 0).any():
        msg = "`normalized` has zero values; the weighted product needs `floor` > 0"
        raise ValueError(msg)
    score = 100.0 * np.exp(np.log(u) @ w)
    # lift of each criterion above the floor (or, with no floor, above the worst row), in logs
    base = floor if floor > 0 else u.min(axis=0, keepdims=True)
    terms = w * np.log(u / base)
    total = terms.sum(axis=1, keepdims=True)
    share = np.where(total > 0, terms / np.where(total > 0, total, 1.0), w / w.sum())
    return _frame(share * score[:, None], names, normalized.index)


def topsis(
    normalized: pd.DataFrame,
    weights: Mapping[str, float],
    *,
    reference: pd.Series | None = None,
) -> pd.DataFrame:
    """Return the TOPSIS closeness (0–100) and its decomposition into contributions.

    ``normalized`` values are used as they are (already 0–1, 1 = best); the ideal and anti-ideal
    are the best and worst weighted values over the ``reference`` rows (all rows if None). See the
    module docstring.

    Examples
    --------
    >>> norm = pd.DataFrame({"a": [1.0, 0.0, 0.5], "b": [1.0, 0.0, 0.5]})
    >>> topsis(norm, {"a": 0.5, "b": 0.5})["score"].round(6).tolist()
    [100.0, 0.0, 50.0]
    """
    from pymcdm.methods import TOPSIS

    names = list(weights)
    v = normalized[names].to_numpy(dtype=float)
    w = np.array([weights[n] for n in names], dtype=float)
    ref = np.ones(len(v), dtype=bool) if reference is None else reference.to_numpy(dtype=bool)
    if not ref.any():
        msg = "`reference` selects no rows; TOPSIS needs at least one eligible candidate"
        raise ValueError(msg)
    weighted = v * w
    pis, nis = weighted[ref].max(axis=0), weighted[ref].min(axis=0)
    d_minus_sq = (weighted - nis) ** 2
    d_plus = np.sqrt(((weighted - pis) ** 2).sum(axis=1))
    d_minus = np.sqrt(d_minus_sq.sum(axis=1))
    closeness = _closeness(d_plus, d_minus)
    # pymcdm computes the closeness of the eligible rows (identity normalization: values are
    # already 0-1 benefit values); rows outside `reference` are measured against the same ideals.
    if ref.sum() >= 2:
        method = TOPSIS(normalization_function=lambda x, cost: np.asarray(x, dtype=float))
        with np.errstate(invalid="ignore", divide="ignore"):
            lib = method(v[ref], w, np.ones(len(names), dtype=int), validation=False)
        lib = np.where(np.isnan(lib), _closeness(d_plus[ref], d_minus[ref]), lib)
        closeness[ref] = lib
    score = 100.0 * closeness
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(
            d_minus[:, None] > 0,
            d_minus_sq / np.where(d_minus > 0, d_minus, 1.0)[:, None] ** 2,
            0.0,
        )
    share = np.where((d_minus[:, None] == 0) & (score[:, None] > 0), w / w.sum(), share)
    return _frame(share * score[:, None], names, normalized.index)


def _closeness(d_plus: np.ndarray, d_minus: np.ndarray) -> np.ndarray:
    """``D⁻ / (D⁺ + D⁻)``; a site that is the ideal (``D⁺ = 0``) scores 1."""
    total = d_plus + d_minus
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, d_minus / np.where(total > 0, total, 1.0), 1.0)


def aggregate(
    normalized: pd.DataFrame,
    weights: Mapping[str, float],
    method: str = "weighted_sum",
    *,
    reference: pd.Series | None = None,
    floor: float = PRODUCT_FLOOR,
) -> pd.DataFrame:
    """Score ``normalized`` with ``method`` (one of :data:`METHODS`); see the module docstring."""
    if method == "weighted_sum":
        return weighted_sum(normalized, weights)
    if method == "weighted_product":
        return weighted_product(normalized, weights, floor=floor)
    if method == "topsis":
        return topsis(normalized, weights, reference=reference)
    msg = f"`method` was {method!r} but is expected to be one of {list(METHODS)}"
    raise ValueError(msg)


def score_matrix(
    values: np.ndarray,
    weight_draws: np.ndarray,
    method: str = "weighted_sum",
    *,
    floor: float = PRODUCT_FLOOR,
) -> np.ndarray:
    """Score every row of ``values`` under every weight vector of ``weight_draws`` at once.

    Parameters
    ----------
    values
        ``(n_sites, n_criteria)`` 0–1 values of the ranked (eligible) candidates.
    weight_draws
        ``(n_draws, n_criteria)`` weight vectors, each summing to 1.

    Returns
    -------
    numpy.ndarray
        ``(n_sites, n_draws)`` scores on 0–100, equal to :func:`aggregate`'s ``score`` for each
        draw (the sensitivity analysis relies on this; it is tested). Matrix products only: the
        TOPSIS separations are ``(v − max v)² @ (w²)ᵀ`` because the ideal of ``w v`` is ``w max v``
        for ``w ≥ 0``.
    """
    v = np.asarray(values, dtype=float)
    w = np.asarray(weight_draws, dtype=float)
    if method == "weighted_sum":
        return 100.0 * v @ w.T
    if method == "weighted_product":
        return 100.0 * np.exp(np.log(floor + (1.0 - floor) * v) @ w.T)
    if method == "topsis":
        w2 = (w**2).T
        d_plus = np.sqrt(np.clip((v - v.max(axis=0)) ** 2 @ w2, 0.0, None))
        d_minus = np.sqrt(np.clip((v - v.min(axis=0)) ** 2 @ w2, 0.0, None))
        return 100.0 * _closeness(d_plus, d_minus)
    msg = f"`method` was {method!r} but is expected to be one of {list(METHODS)}"
    raise ValueError(msg)

"""Criterion weights: direct, AHP (pairwise comparisons), rank-order and objective (data-driven).

Every function returns non-negative weights that sum to 1.

* :func:`ahp` — Saaty's Analytic Hierarchy Process: the principal right eigenvector of a positive
  reciprocal pairwise-comparison matrix, and the consistency ratio ``CR = CI / RI`` with
  ``CI = (λmax − n) / (n − 1)`` and Saaty's random index ``RI`` (:data:`SAATY_RI`). Saaty's rule:
  accept judgments with ``CR ≤ 0.10`` (:data:`MAX_CONSISTENCY_RATIO`);
  :func:`most_inconsistent_pair`
  says which judgment to revisit first.
* :func:`rank_sum`, :func:`rank_order_centroid` — weights from an importance order alone.
* :func:`entropy`, :func:`critic` — weights from the spread (and, for CRITIC, the correlation) of
  the criteria's 0–1 values over the eligible candidates.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: Saaty's random consistency index by matrix size n (Saaty 1980, *The Analytic Hierarchy
#: Process*, McGraw-Hill; the 1–15 table reproduced in most AHP texts).
SAATY_RI: dict[int, float] = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
    11: 1.51,
    12: 1.48,
    13: 1.56,
    14: 1.57,
    15: 1.59,
}

#: Saaty's acceptance threshold for the consistency ratio.
MAX_CONSISTENCY_RATIO = 0.10

#: Relative tolerance of the reciprocity check ``a_ij · a_ji = 1`` (0.333 for 1/3 passes).
RECIPROCAL_RTOL = 0.01


def check_pairwise_matrix(matrix: np.ndarray | Sequence[Sequence[float]]) -> list[str]:
    """Return the problems of a pairwise-comparison matrix (empty if it is valid).

    Valid means square, at least 1×1, at most 15×15, every entry a positive finite number, ones on
    the diagonal and reciprocal: ``a[j][i] = 1 / a[i][j]`` within :data:`RECIPROCAL_RTOL`.
    Positions are reported 1-based (row, column), as a person reads the matrix.
    """
    try:
        a = np.asarray(matrix, dtype=float)
    except (TypeError, ValueError):
        return ["must be a square table of positive numbers (rows of equal length)"]
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        return [f"must be square (n rows of n numbers); got shape {a.shape}"]
    n = a.shape[0]
    if n > max(SAATY_RI):
        return [f"has {n} rows; the random index is tabulated up to {max(SAATY_RI)} criteria"]
    problems = []
    if not (np.isfinite(a).all() and (a > 0).all()):
        return ["entries must be positive finite numbers (Saaty's scale 1/9 ... 9)"]
    for i in range(n):
        if not np.isclose(a[i, i], 1.0):
            problems.append(f"diagonal entry ({i + 1},{i + 1}) is {a[i, i]:g}; expected 1")
    for i in range(n):
        for j in range(i + 1, n):
            if not np.isclose(a[i, j] * a[j, i], 1.0, rtol=RECIPROCAL_RTOL, atol=0.0):
                problems.append(
                    f"entries ({i + 1},{j + 1}) = {a[i, j]:g} and ({j + 1},{i + 1}) = {a[j, i]:g} "
                    f"are not reciprocal; expected ({j + 1},{i + 1}) = 1/{a[i, j]:g} = "
                    f"{1 / a[i, j]:.4g}"
                )
    return problems


def ahp(matrix: np.ndarray | Sequence[Sequence[float]]) -> tuple[np.ndarray, float]:
    """Return AHP weights and Saaty's consistency ratio of a pairwise-comparison matrix.

    ``matrix[i][j]`` says how much more important criterion ``i`` is than ``j`` on Saaty's 1–9
    scale (``matrix[j][i] = 1 / matrix[i][j]``). The weights are the principal right eigenvector
    normalized to sum to 1; ``CR = ((λmax − n) / (n − 1)) / RI(n)`` (0 for n ≤ 2, which are always
    consistent). This function does not reject inconsistent matrices; compare the ratio with
    :data:`MAX_CONSISTENCY_RATIO`.

    Raises
    ------
    ValueError
        If ``matrix`` is not a square, positive, reciprocal matrix (the message lists why).

    Examples
    --------
    >>> w, cr = ahp([[1, 3], [1 / 3, 1]])
    >>> w.round(3).tolist(), cr
    ([0.75, 0.25], 0.0)
    """
    problems = check_pairwise_matrix(matrix)
    if problems:
        msg = "`matrix` " + "; ".join(problems)
        raise ValueError(msg)
    a = np.asarray(matrix, dtype=float)
    n = a.shape[0]
    eigenvalues, vectors = np.linalg.eig(a)
    k = int(np.argmax(eigenvalues.real))
    w = np.abs(vectors[:, k].real)
    w = w / w.sum()
    lam = float(eigenvalues[k].real)
    if n <= 2:
        return w, 0.0
    ci = (lam - n) / (n - 1)
    return w, max(ci, 0.0) / SAATY_RI[n]


def most_inconsistent_pair(
    matrix: np.ndarray | Sequence[Sequence[float]], weights: np.ndarray | None = None
) -> tuple[int, int, float]:
    """Return ``(i, j, ratio)``: the judgment that departs most from the derived weights.

    For each pair the judgment ``a_ij`` is compared with the ratio the weights imply,
    ``w_i / w_j``; the pair with the largest ``|log(a_ij · w_j / w_i)|`` is returned (0-based
    indices, ``i < j``) with ``ratio = a_ij · w_j / w_i`` (> 1: ``i`` was over-rated relative to
    ``j``). This is Saaty's advice for improving consistency: revise the judgment whose error
    ``e_ij = a_ij w_j / w_i`` is largest.
    """
    a = np.asarray(matrix, dtype=float)
    w = ahp(a)[0] if weights is None else np.asarray(weights, dtype=float)
    err = a * w[None, :] / w[:, None]
    dev = np.abs(np.log(err))
    iu = np.triu_indices(a.shape[0], k=1)
    best = int(np.argmax(dev[iu]))
    i, j = int(iu[0][best]), int(iu[1][best])
    return i, j, float(err[i, j])


def rank_sum(n: int) -> np.ndarray:
    """Rank-sum weights for ``n`` criteria listed from most to least important.

    ``w_r = 2 (n + 1 − r) / (n (n + 1))``.

    Examples
    --------
    >>> rank_sum(3).round(4).tolist()
    [0.5, 0.3333, 0.1667]
    """
    _check_n(n)
    r = np.arange(1, n + 1)
    return 2.0 * (n + 1 - r) / (n * (n + 1))


def rank_order_centroid(n: int) -> np.ndarray:
    """Rank-order-centroid (ROC) weights for ``n`` criteria listed from most to least important.

    ``w_r = (1/n) Σ_{k=r..n} 1/k`` (Barron & Barrett 1996).

    Examples
    --------
    >>> rank_order_centroid(3).round(4).tolist()
    [0.6111, 0.2778, 0.1111]
    """
    _check_n(n)
    inv = 1.0 / np.arange(1, n + 1)
    return np.cumsum(inv[::-1])[::-1] / n


def _check_n(n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        msg = f"`n` was {n!r} but is expected to be a positive integer"
        raise ValueError(msg)


def entropy(values: np.ndarray) -> np.ndarray:
    """Shannon-entropy weights of the columns of ``values`` (rows = candidates, 0–1, 1 = best).

    ``p_ij = v_ij / Σ_i v_ij``, ``E_j = −Σ_i p_ij ln p_ij / ln m`` with ``0 ln 0 = 0``, and
    ``w_j ∝ 1 − E_j``: a criterion that separates the candidates more gets more weight. A column
    that is all zero carries no information and gets weight 0. If no column carries information,
    the weights are equal.

    This is the textbook method; pymcdm's ``entropy_weights`` is not used because it gives any
    column containing a zero the maximum weight, and every min-max column contains a zero.
    """
    v = _matrix(values)
    m = v.shape[0]
    if m < 2:
        return np.full(v.shape[1], 1.0 / v.shape[1])
    total = v.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(total > 0, v / np.where(total > 0, total, 1.0), 0.0)
        plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    e = -plogp.sum(axis=0) / np.log(m)
    d = np.where(total > 0, 1.0 - e, 0.0).clip(min=0.0)
    return _unit(d)


def critic(values: np.ndarray) -> np.ndarray:
    """CRITIC weights (Diakoulaki et al. 1995) of the columns of ``values`` (0–1, 1 = best).

    ``w_j ∝ σ_j Σ_k (1 − r_jk)``: spread times conflict with the other criteria. Computed with
    :func:`pymcdm.weights.critic_weights`; a constant column (σ = 0) gets weight 0 and is left out
    of the correlations.
    """
    from pymcdm.weights import critic_weights

    v = _matrix(values)
    varying = v.std(axis=0) > 0
    out = np.zeros(v.shape[1])
    if varying.sum() == 1:
        out[varying] = 1.0
    elif varying.sum() > 1 and v.shape[0] > 2:
        out[varying] = critic_weights(v[:, varying])
    return _unit(out)


def _matrix(values: np.ndarray) -> np.ndarray:
    v = np.asarray(values, dtype=float)
    if v.ndim != 2 or v.shape[1] == 0 or v.shape[0] == 0:
        msg = f"`values` must be a 2-D table (candidates × criteria); got shape {v.shape}"
        raise ValueError(msg)
    if not np.isfinite(v).all() or (v < 0).any():
        msg = "`values` must be finite and non-negative (0–1 criterion values)"
        raise ValueError(msg)
    return v


def _unit(w: np.ndarray) -> np.ndarray:
    total = float(w.sum())
    if not total > 0:
        return np.full(len(w), 1.0 / len(w))
    return w / total

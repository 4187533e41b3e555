"""Weights: AHP against Saaty's published example, rank-order and objective weights."""

from __future__ import annotations

import numpy as np
import pytest

from siting import weights as W

# Saaty, T. L. (1990). "How to make a decision: The Analytic Hierarchy Process." European Journal
# of Operational Research 48(1), 9-26. House-buying example, pairwise comparison of the eight
# criteria (size of house, transportation, neighbourhood, age, yard space, modern facilities,
# general condition, financing). Published: priorities .173 .054 .188 .018 .031 .036 .167 .333,
# lambda_max = 9.669, C.I. = 0.238, C.R. = 0.169.
HOUSE = [
    [1, 5, 3, 7, 6, 6, 1 / 3, 1 / 4],
    [1 / 5, 1, 1 / 3, 5, 3, 3, 1 / 5, 1 / 7],
    [1 / 3, 3, 1, 6, 3, 4, 6, 1 / 5],
    [1 / 7, 1 / 5, 1 / 6, 1, 1 / 3, 1 / 4, 1 / 7, 1 / 8],
    [1 / 6, 1 / 3, 1 / 3, 3, 1, 1 / 2, 1 / 5, 1 / 6],
    [1 / 6, 1 / 3, 1 / 4, 4, 2, 1, 1 / 5, 1 / 6],
    [3, 5, 1 / 6, 7, 5, 5, 1, 1 / 2],
    [4, 7, 5, 8, 6, 6, 2, 1],
]
HOUSE_PRIORITIES = [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333]

# Same paper: the three houses A, B, C compared on "yard space". Published priorities
# .674 .101 .226, lambda_max = 3.086, C.R. = 0.074 (a consistent judgment, unlike the criteria).
YARD = [[1, 5, 4], [1 / 5, 1, 1 / 3], [1 / 4, 3, 1]]


def test_ahp_matches_saaty_1990_house_criteria():
    """Saaty (1990) EJOR 48:9-26, criteria of the house example: weights and CR to 3 decimals."""
    w, cr = W.ahp(HOUSE)
    assert np.round(w, 3).tolist() == HOUSE_PRIORITIES
    assert round(cr, 3) == 0.169
    assert cr > W.MAX_CONSISTENCY_RATIO  # Saaty's own example fails the 0.10 rule
    # lambda_max = 9.669 -> CI = 0.238 with Saaty's RI(8) = 1.41
    assert round(cr * W.SAATY_RI[8], 3) == 0.238


def test_ahp_matches_saaty_1990_yard_space():
    """Saaty (1990) EJOR 48:9-26, houses compared on yard space: .674 .101 .226, CR 0.074."""
    w, cr = W.ahp(YARD)
    assert np.round(w, 3).tolist() == [0.674, 0.101, 0.226]
    assert round(cr, 3) == 0.074


def test_ahp_consistent_matrix_has_zero_cr_and_exact_ratios():
    true = np.array([0.5, 0.3, 0.2])
    m = true[:, None] / true[None, :]
    w, cr = W.ahp(m)
    np.testing.assert_allclose(w, true)
    assert cr == pytest.approx(0.0, abs=1e-9)


def test_most_inconsistent_pair_finds_the_perturbed_judgment():
    true = np.array([0.4, 0.3, 0.2, 0.1])
    m = true[:, None] / true[None, :]
    m[1, 3], m[3, 1] = 1 / 5, 5  # criterion 2 vs 4 flipped: the one bad judgment
    i, j, ratio = W.most_inconsistent_pair(m)
    assert (i, j) == (1, 3)
    assert ratio < 1  # 2 was under-rated relative to 4
    assert W.ahp(m)[1] > W.MAX_CONSISTENCY_RATIO


@pytest.mark.parametrize(
    ("matrix", "message"),
    [
        ([[1, 2, 3], [0.5, 1, 2]], "must be square"),
        ([[1, 3], [3, 1]], r"\(1,2\) = 3 and \(2,1\) = 3 are not reciprocal"),
        ([[2, 1], [1, 1]], r"diagonal entry \(1,1\) is 2"),
        ([[1, -2], [-0.5, 1]], "positive finite"),
    ],
)
def test_ahp_refuses_bad_matrices(matrix, message):
    with pytest.raises(ValueError, match=message):
        W.ahp(matrix)


def test_ahp_two_criteria_are_always_consistent():
    w, cr = W.ahp([[1, 4], [0.25, 1]])
    np.testing.assert_allclose(w, [0.8, 0.2])
    assert cr == 0.0


def test_rank_order_weights():
    # Barron & Barrett (1996) ROC for four criteria: 0.5208, 0.2708, 0.1458, 0.0625
    np.testing.assert_allclose(
        W.rank_order_centroid(4), [0.5208, 0.2708, 0.1458, 0.0625], atol=1e-4
    )
    np.testing.assert_allclose(W.rank_sum(4), [0.4, 0.3, 0.2, 0.1])
    for n in (1, 2, 7):
        for fn in (W.rank_sum, W.rank_order_centroid):
            w = fn(n)
            assert w.sum() == pytest.approx(1.0) and (np.diff(w) < 0).all() | (n == 1)
    with pytest.raises(ValueError, match="positive integer"):
        W.rank_sum(0)


def test_entropy_weights_by_hand():
    v = np.array([[1.0, 0.5, 0.3], [0.0, 0.5, 0.3], [0.0, 0.5, 0.3]])
    w = W.entropy(v)
    # column 0 concentrates all mass on one site (entropy 0 -> weight 1); columns 1-2 are uniform
    np.testing.assert_allclose(w, [1.0, 0.0, 0.0], atol=1e-12)
    v2 = np.array([[1.0, 0.5], [0.5, 1.0], [0.0, 0.2]])
    p = v2 / v2.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        e = -np.nansum(np.where(p > 0, p * np.log(p), 0.0), axis=0) / np.log(3)
    np.testing.assert_allclose(W.entropy(v2), (1 - e) / (1 - e).sum())


def test_critic_uses_pymcdm_and_zeroes_constant_columns():
    from pymcdm.weights import critic_weights

    rng = np.random.default_rng(0)
    v = rng.random((12, 3))
    np.testing.assert_allclose(W.critic(v), critic_weights(v))
    with_const = np.column_stack([v, np.full(12, 0.5)])
    w = W.critic(with_const)
    assert w[3] == 0.0
    np.testing.assert_allclose(w[:3], critic_weights(v))

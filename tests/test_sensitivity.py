"""Monte Carlo weight sensitivity: reproducible, consistent with the base ranking, CLI output."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from siting import sensitivity as sa
from siting.scenario import SensitivitySettings


@pytest.fixture(scope="module")
def result(small_candidates):
    from siting.pipeline import run_scenario
    from siting.scenario import load_scenario

    return run_scenario(load_scenario(), candidates=small_candidates, rank_ranges=False)


def test_weight_draws_are_centred_and_seeded():
    w = np.array([0.5, 0.3, 0.2, 0.0])
    a = sa.weight_draws(w, draws=4000, concentration=50, seed=1)
    b = sa.weight_draws(w, draws=4000, concentration=50, seed=1)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(a.sum(axis=1), 1.0)
    np.testing.assert_allclose(a.mean(axis=0), w, atol=0.01)
    assert (a[:, 3] == 0).all()
    # Dirichlet sd = sqrt(w(1-w)/(c+1))
    assert a[:, 0].std() == pytest.approx(np.sqrt(0.25 / 51), rel=0.1)
    tight = sa.weight_draws(w, draws=4000, concentration=5000, seed=1)
    assert tight[:, 0].std() < a[:, 0].std() / 5
    assert not np.array_equal(a, sa.weight_draws(w, draws=4000, concentration=50, seed=2))


def test_rank_distribution_brackets_the_base_rank(result):
    sens = sa.sensitivity(result, SensitivitySettings(draws=300, seed=3, top_k=3))
    t = sens.table
    assert list(t.columns) == sa.COLUMNS
    assert len(t) == len(result.ranking)
    assert (t["rank_best"] <= t["rank_p05"]).all() and (t["rank_p05"] <= t["rank_median"]).all()
    assert (t["rank_median"] <= t["rank_p95"]).all() and (t["rank_p95"] <= t["rank_worst"]).all()
    assert t["top_k_share"].between(0, 1).all()
    # each draw puts at least k sites (ties may add more) in the top k
    assert t["top_k_share"].sum() >= 3 - 1e-9
    s = sens.summary
    assert -1 <= s["kendall_tau_min"] <= s["kendall_tau_mean"] <= 1
    assert s["draws"] == 300 and s["seed"] == 3 and s["sites"] == len(t)


def test_near_fixed_weights_reproduce_the_base_ranking(result):
    sens = sa.sensitivity(result, SensitivitySettings(draws=50, seed=1, concentration=1e9))
    t = sens.table
    assert (t["rank_best"] == t["rank"]).all() and (t["rank_worst"] == t["rank"]).all()
    assert sens.summary["kendall_tau_mean"] == pytest.approx(1.0)
    assert sens.summary["weighted_spearman_mean"] == pytest.approx(1.0)


def test_looser_weights_give_a_less_stable_ranking(result):
    tight = sa.sensitivity(result, SensitivitySettings(draws=400, seed=5, concentration=500))
    loose = sa.sensitivity(result, SensitivitySettings(draws=400, seed=5, concentration=5))
    assert loose.summary["kendall_tau_mean"] < tight.summary["kendall_tau_mean"]
    width = lambda s: (s.table["rank_worst"] - s.table["rank_best"]).mean()  # noqa: E731
    assert width(loose) > width(tight)


@pytest.mark.parametrize("method", ["weighted_product", "topsis"])
def test_every_aggregation_method_is_supported(result, small_candidates, method):
    from siting.pipeline import run_scenario

    res = run_scenario(
        dataclasses.replace(result.scenario, aggregation=method),
        candidates=small_candidates,
        rank_ranges=False,
    )
    sens = sa.sensitivity(res, SensitivitySettings(draws=100, seed=1, concentration=1e9))
    assert (sens.table["rank_best"] == sens.table["rank"]).all()  # score_matrix == aggregate


def test_same_seed_gives_byte_identical_csv_and_png(result, tmp_path):
    paths = []
    for k in range(2):
        sens = sa.sensitivity(result, SensitivitySettings(draws=200, seed=9))
        csv, png = tmp_path / f"s{k}.csv", tmp_path / f"s{k}.png"
        sa.write_csv(sens, csv)
        sa.save_chart(sa.rank_range_chart(sens), png)
        paths.append((csv, png))
    assert paths[0][0].read_bytes() == paths[1][0].read_bytes()
    assert paths[0][1].read_bytes() == paths[1][1].read_bytes()
    other = sa.sensitivity(result, SensitivitySettings(draws=200, seed=10))
    sa.write_csv(other, tmp_path / "other.csv")
    assert (tmp_path / "other.csv").read_bytes() != paths[0][0].read_bytes()
    back = pd.read_csv(paths[0][0])
    assert list(back.columns) == sa.COLUMNS and len(back) == len(result.ranking)


def test_excluded_sites_are_left_out(result, small_candidates):
    from siting.constraints import Constraint
    from siting.pipeline import run_scenario

    sc = dataclasses.replace(result.scenario, constraints=(Constraint("crossing_km", max=600),))
    res = run_scenario(sc, candidates=small_candidates, rank_ranges=False)
    sens = sa.sensitivity(res, SensitivitySettings(draws=50, seed=1))
    eligible = res.ranking[~res.ranking["excluded"]]
    assert set(sens.table["name"]) == set(eligible["name"])
    assert sens.table["rank_worst"].max() <= len(eligible)


def test_cli_sensitivity_end_to_end(tmp_path, candidates_csv, capsys):
    import json

    from siting.cli import main

    scenario = tmp_path / "s.toml"
    scenario.write_text(
        "[weights]\ncrossing_km = 3\nlabor_pool = 2\nhomicide_rate = 1\n"
        "[sensitivity]\ndraws = 150\nseed = 4\nconcentration = 20\ntop_k = 3\n",
        encoding="utf-8",
    )
    outs = []
    for k in range(2):
        out = tmp_path / f"out{k}"
        code = main(
            ["sensitivity", str(scenario), "--candidates", str(candidates_csv), "--out", str(out)]
        )
        assert code == 0
        outs.append(out)
    printed = capsys.readouterr().out
    assert "Kendall tau" in printed and "Tijuana" in printed
    for name in ("sensitivity.csv", "sensitivity.png", "sensitivity.json"):
        assert (outs[0] / name).stat().st_size > 0
    assert (outs[0] / "sensitivity.csv").read_bytes() == (outs[1] / "sensitivity.csv").read_bytes()
    rec = json.loads((outs[0] / "sensitivity.json").read_text())
    assert rec["sensitivity"]["draws"] == 150 and rec["sensitivity"]["top_k"] == 3
    assert rec["scenario"]["sensitivity"]["seed"] == 4
    assert len(pd.read_csv(outs[0] / "sensitivity.csv")) == 8
    # --draws and --seed override the scenario
    assert (
        main(
            [
                "sensitivity",
                str(scenario),
                "--candidates",
                str(candidates_csv),
                "--out",
                str(tmp_path / "o3"),
                "--draws",
                "20",
                "--seed",
                "1",
                "-q",
            ]
        )
        == 0
    )
    assert (
        json.loads((tmp_path / "o3" / "sensitivity.json").read_text())["sensitivity"]["draws"] == 20
    )

"""The national run by state and municipality: state ranks and the municipal surface."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.sparse.csgraph import dijkstra

from siting import layers
from siting.measure import SiteContext
from siting.metros import ranked_mask
from siting.municipal import SURFACE_COLUMNS, municipal_points, municipal_surface, state_ranks
from tests._maps_fixtures import make_run, run_variant

pytestmark = pytest.mark.slow  # a real run on the bundled road network


@pytest.fixture(scope="module")
def run():
    return make_run(12)


@pytest.fixture(scope="module")
def surface(run):
    return municipal_surface(run)


def test_state_ranks_follow_the_national_scores_within_each_state(run):
    ranking = run.ranking
    ranks = state_ranks(ranking)
    ok = ranked_mask(ranking)
    assert ranks[~ok].isna().all()
    for _, group in ranking[ok].groupby("CVE_ENT"):
        by_score = group.sort_values("score", ascending=False)
        got = ranks[by_score.index].to_numpy()
        assert got[0] == 1
        assert (np.diff(got) >= 0).all()  # never better ranked than a higher-scoring site
        assert got.max() <= len(group)


def test_surface_has_every_municipality_and_its_columns(surface):
    assert list(surface.columns) == list(SURFACE_COLUMNS)
    assert len(surface) == len(layers.boundaries.municipalities())
    assert surface["CVEGEO"].is_unique
    assert surface.crs.to_epsg() == 4326
    assert (surface["reach_limit_min"] == 45.0).all()


def test_surface_scores_are_national_scores_of_ranked_sites(run, surface):
    ranking = run.ranking
    ranked = ranking[ranked_mask(ranking)]
    has = surface["best_score"].notna()
    assert has.sum() > 20  # a dozen parks in several metros reach many municipalities
    lookup = ranked.set_index("name")
    for _, row in surface[has].iterrows():
        site = lookup.loc[row["best_site"]]
        assert row["best_score"] == pytest.approx(float(site["score"]))  # never rescaled
        assert row["best_rank"] == float(site["rank"])
    assert surface.loc[has, "reach_min"].le(45.0).all()
    # excluded sites are never a municipality's best site
    excluded = set(ranking.loc[~ranked_mask(ranking), "name"])
    assert excluded and not excluded & set(surface["best_site"].dropna())


def test_surface_best_site_is_the_best_reachable_one(run, surface):
    """Oracle: a forward search from the municipality (on ``csr``, not the transpose)."""
    ranking = run.ranking.reset_index(drop=True)
    ok = ranked_mask(ranking)
    measure = SiteContext(
        ranking[[ranking.geometry.name]], run.scenario.params, run.scenario.network
    ).routed
    net = measure.net
    points = municipal_points()
    nodes, snap = net.snap(points, main_only=measure.snap_to_main)
    budget = 45 * 60.0
    has = surface["best_score"].notna().to_numpy()
    checked = 0
    rng = np.random.default_rng(11)
    for i in [*rng.choice(np.flatnonzero(has), 15, replace=False), *np.flatnonzero(~has)[:15]]:
        t = dijkstra(net.csr, indices=int(nodes[i]), limit=budget)
        total = t[measure.site_nodes] + measure.site_access_s + snap[i] / measure.speed
        reach = ok & measure.reachable & (total <= budget)
        if not reach.any():
            assert np.isnan(surface["best_score"].iloc[i])
        else:
            best = ranking["score"].to_numpy()[reach].max()
            assert surface["best_score"].iloc[i] == pytest.approx(best)
        checked += 1
    assert checked == 30


def test_surface_in_straight_line_uses_the_labour_radius(run):
    straight = run_variant(
        12,
        network={"source": "straight-line"},
        weights={"crossing_km": 2, "labor_pool": 1, "homicide_rate": 1},
    )
    surface = municipal_surface(straight)
    ranking = straight.ranking
    ok = ranked_mask(ranking)
    radius_km = float(straight.scenario.params.labor_radius_km)
    assert surface["reach_min"].isna().all()
    assert (surface["reach_limit_km"] == radius_km).all()
    site_xy = ranking.geometry.to_crs(layers.CRS_METRIC).get_coordinates().to_numpy()
    mun_xy = municipal_points().geometry.to_crs(layers.CRS_METRIC).get_coordinates().to_numpy()
    km = np.hypot(*(mun_xy[:, None, :] - site_xy[None, :, :]).transpose(2, 0, 1)) / 1000.0
    within = (km <= radius_km) & ok[None, :]
    score = ranking["score"].to_numpy(dtype=float)
    expected = np.where(within.any(axis=1), np.where(within, score, -np.inf).max(axis=1), np.nan)
    np.testing.assert_allclose(surface["best_score"].to_numpy(dtype=float), expected)
    assert surface.loc[surface["best_score"].notna(), "reach_km"].le(radius_km + 1e-6).all()


def test_municipal_points_prefer_the_largest_locality():
    points = municipal_points()
    loc = layers.labor.localities()
    assert len(points) == len(layers.boundaries.municipalities())
    # Monterrey's point is the locality Monterrey (its largest), not its polygon centre
    mty = points[points["CVEGEO"] == "19039"].iloc[0]
    assert (
        mty["locality"] == loc[loc["CVEGEO"] == "19039"].nlargest(1, "population")["name"].iloc[0]
    )
    # a municipality without a locality of 1,000 inhabitants gets a point inside its polygon
    none = points[points["locality"].isna()]
    assert len(none)
    muns = layers.boundaries.municipalities().set_index("CVEGEO")
    inside = [
        muns.geometry[c].buffer(1e-9).contains(g)
        for c, g in zip(none["CVEGEO"], none.geometry, strict=True)
    ]
    assert all(inside)


def test_surface_refuses_what_is_not_a_run():
    with pytest.raises(ValueError, match="must be a RunResult"):
        municipal_surface(pd.DataFrame())

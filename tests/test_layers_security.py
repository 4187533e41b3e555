"""Municipal homicide rate (SESNSP incidents, empirical Bayes) and the state security table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from siting import layers
from siting.layers import security


@pytest.fixture(scope="module")
def hom() -> pd.DataFrame:
    return security.municipal_homicide().set_index("CVEGEO")


@pytest.fixture(scope="module")
def bundled() -> pd.DataFrame:
    path = layers.data_path(security.MUNICIPAL_HOMICIDE_FILE)
    df = pd.read_csv(path, dtype={"CVEGEO": str, "CVE_ENT": str})
    return df.assign(incidents=df["HOMICIDIO_DOLOSO_12M"] + df["FEMINICIDIO_12M"])


def test_one_row_per_boundary_municipality(hom):
    codes = layers.boundaries.municipalities()["CVEGEO"]
    assert len(hom) == 2475
    assert hom.index.is_unique
    assert set(hom.index) == set(codes)
    assert list(hom.columns) == [
        "CVE_ENT",
        "incidents_12m",
        "population",
        "rate_raw",
        "rate_state",
        "homicide_rate",
        "shrinkage",
        "period",
    ]
    assert (hom["period"] == "2024-07..2025-06").all()
    assert hom["homicide_rate"].notna().all()
    assert hom["shrinkage"].between(0, 1).all()


def test_state_totals_keep_every_incident_but_the_pseudo_rows(hom, bundled):
    pseudo = bundled["CVEGEO"].str[2:].isin(["998", "999"])
    assert int(bundled.loc[pseudo, "incidents"].sum()) == 21  # all in CDMX "No Especificado"
    expected = bundled[~pseudo].groupby("CVE_ENT")["incidents"].sum()
    got = hom.groupby("CVE_ENT")["incidents_12m"].sum()
    pd.testing.assert_series_equal(got, expected, check_names=False)


def test_rate_state_is_the_state_sum_over_census_population(hom):
    sums = hom.groupby("CVE_ENT")[["incidents_12m", "population"]].sum()
    rate = sums["incidents_12m"] / sums["population"] * 1e5
    got = hom.groupby("CVE_ENT")["rate_state"].first()
    np.testing.assert_allclose(got.to_numpy(), rate.to_numpy())


def test_new_municipalities_are_folded_into_their_parents(hom, bundled):
    raw = bundled.set_index("CVEGEO")["incidents"]
    for child, parent in {"24059": "24028", "25019": "25006", "25020": "25001"}.items():
        assert child not in hom.index
        assert hom.loc[parent, "incidents_12m"] == raw[parent] + raw[child]


def test_municipalities_without_census_population_get_the_state_rate(hom):
    nopop = hom[hom["population"].isna()]
    assert sorted(nopop.index) == ["02007", "04013", "12082", "12083", "12084", "12085"]
    assert (nopop["shrinkage"] == 0).all()
    np.testing.assert_allclose(nopop["homicide_rate"], nopop["rate_state"])
    assert nopop["rate_raw"].isna().all()


def test_big_cities_keep_their_own_rate(hom):
    tijuana, mexicali = hom.loc["02004"], hom.loc["02002"]
    assert tijuana["rate_raw"] == pytest.approx(71, abs=0.5)
    assert abs(tijuana["homicide_rate"] - tijuana["rate_raw"]) < 3
    assert tijuana["shrinkage"] > 0.95
    # the whole point: municipalities of one state no longer share a rate
    assert tijuana["homicide_rate"] - mexicali["homicide_rate"] > 30
    assert hom.loc["05030", "rate_raw"] == pytest.approx(2.5, abs=0.1)  # Saltillo
    assert hom.loc["06007", "rate_raw"] == pytest.approx(151, abs=1)  # Manzanillo
    assert hom.loc["06007", "homicide_rate"] > 140


def test_small_municipality_with_one_incident_is_pulled_to_the_state_rate(hom):
    one = hom[(hom["incidents_12m"] == 1) & hom["population"].notna()]
    tiny = one.loc[one["population"].idxmin()]
    assert tiny["population"] < 2000
    assert tiny["shrinkage"] < 0.5
    shrunk = abs(tiny["homicide_rate"] - tiny["rate_state"])
    assert shrunk < 0.5 * abs(tiny["rate_raw"] - tiny["rate_state"])


def test_shrinkage_grows_with_population_within_a_state(hom):
    for _, grp in hom[hom["population"].notna()].groupby("CVE_ENT"):
        ordered = grp.sort_values("population")["shrinkage"].to_numpy()
        assert (np.diff(ordered) >= -1e-12).all()


def test_empirical_bayes_matches_marshall_moment_estimator():
    y = np.array([300.0, 60.0, 1.0, 0.0])
    n = np.array([1e6, 1e5, 2e3, 5e3])
    rate, w, m = security.empirical_bayes_rate(y, n)
    r = y / n
    m_ref = y.sum() / n.sum()
    s2 = (n * (r - m_ref) ** 2).sum() / n.sum() - m_ref / n.mean()
    w_ref = s2 / (s2 + m_ref / n)
    assert m == pytest.approx(m_ref)
    np.testing.assert_allclose(w, w_ref)
    np.testing.assert_allclose(rate, w_ref * r + (1 - w_ref) * m_ref)


def test_empirical_bayes_clips_negative_prior_variance():
    # identical rates: between-area variance below Poisson noise -> all weight on the group rate
    rate, w, m = security.empirical_bayes_rate(np.array([10, 1]), np.array([1e5, 1e4]))
    assert (w == 0).all()
    np.testing.assert_allclose(rate, m)


def test_empirical_bayes_rejects_bad_input():
    with pytest.raises(ValueError, match="differ in shape"):
        security.empirical_bayes_rate(np.array([1, 2]), np.array([10.0]))
    with pytest.raises(ValueError, match="must be positive"):
        security.empirical_bayes_rate(np.array([1, 2]), np.array([10.0, 0.0]))


def test_state_security_gains_extortion_and_kidnapping():
    sec = security.state_security(2024).set_index("state")
    for column in ("extortion_rate", "kidnapping_rate"):
        assert sec[column].notna().all() and (sec[column] >= 0).all()
    # SESNSP 2024: Colima 18.1 extortions per 100k; Tabasco leads kidnapping
    assert sec.loc["Colima", "extortion_rate"] == pytest.approx(18.101)
    assert sec["kidnapping_rate"].idxmax() == "Tabasco"
    assert sec.loc["Colima", "homicide_rate"] == pytest.approx(109.92)  # still victims


def test_municipal_security_carries_municipal_and_state_columns():
    mun = security.municipal_security().set_index("CVEGEO")
    hom = security.municipal_homicide().set_index("CVEGEO")
    sec = security.state_security().set_index("CVE_ENT")
    assert len(mun) == 2475
    expected = {
        "homicide_rate",
        "homicide_rate_state",
        "homicide_incidents_12m",
        "cargo_theft_rate",
        "advisory_level",
        "advisory_label",
        "extortion_rate",
        "kidnapping_rate",
        "year",
        "geometry",
    }
    assert expected <= set(mun.columns)
    assert mun[sorted(expected - {"geometry"})].notna().all().all()
    pd.testing.assert_series_equal(
        mun["homicide_rate"], hom.loc[mun.index, "homicide_rate"], check_names=False
    )
    tijuana = mun.loc["02004"]
    assert tijuana["homicide_rate_state"] == sec.loc["02", "homicide_rate"]
    assert tijuana["homicide_incidents_12m"] == hom.loc["02004", "incidents_12m"]

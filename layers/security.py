"""Security and cartel-risk indicators: state figures and a municipal homicide rate.

Sources: SESNSP (homicide victims by state; robbery of cargo carriers, *robo a transportista*,
extortion and kidnapping by state; homicide incidents by municipality) and the U.S. State
Department travel advisory.

Schemas
-------
``state_security(year)`` (one row per state, no geometry)
    ``CVE_ENT``, ``state``, ``year`` (the indicator year), ``homicide_rate`` (victims of
    intentional homicide per 100,000 inhabitants), ``cargo_theft_rate`` (robo a transportista
    incidents, with and without violence, per 100,000), ``cargo_theft_incidents``,
    ``advisory_level`` (1 normal precautions ... 4 do not travel), ``advisory_label``,
    ``extortion_rate`` and ``kidnapping_rate`` (SESNSP *extorsión* and *secuestro* incidents per
    100,000, same year). Rates per 100,000 use SESNSP's CONAPO population.
``municipal_homicide()`` (one row per municipality of
:func:`siting.layers.boundaries.municipalities`, no geometry)
    ``CVEGEO``, ``CVE_ENT``, ``incidents_12m`` (homicidio doloso + feminicidio incidents,
    July 2024 – June 2025), ``population`` (Censo 2020; missing for the six municipalities created
    after the census), ``rate_raw`` (incidents per 100,000 of 2020), ``rate_state`` (the state's
    rate from the same municipal sums), ``homicide_rate`` (empirical-Bayes rate per 100,000),
    ``shrinkage`` (0..1, the weight of the municipality's own raw rate), ``period``.
``municipal_security(year)`` (municipal polygons, EPSG:4326)
    the columns of ``municipalities()``, ``homicide_rate`` (the municipal empirical-Bayes rate of
    ``municipal_homicide``), ``homicide_incidents_12m``, ``homicide_rate_state`` (the state
    victims rate of ``state_security(year)``) and the other state columns: ``year``,
    ``cargo_theft_rate``, ``cargo_theft_incidents``, ``advisory_level``, ``advisory_label``,
    ``extortion_rate``, ``kidnapping_rate``.

Municipal homicide rate: estimator
----------------------------------
A raw rate over a small population is noise: one homicide in a village of 2,000 people is 50 per
100,000. The municipal rate is therefore shrunk toward the state rate with Marshall's local
empirical Bayes estimator, the state being the reference group (Marshall, R. J. 1991, "Mapping
disease and mortality rates using empirical Bayes estimators", *Journal of the Royal Statistical
Society C* 40(2): 283–294). For the municipalities *i* of a state, with incidents *y_i*,
population *n_i* and raw rate *r_i = y_i / n_i*, the moment estimator of the Poisson–gamma prior is

    m = Σy / Σn,   s² = Σ n_i (r_i − m)² / Σn − m / n̄   (clipped at 0),
    w_i = s² / (s² + m / n_i),   rate_i = w_i r_i + (1 − w_i) m,

where n̄ is the mean population of the state's municipalities. ``m`` is ``rate_state``: all the
incidents of the state (including those of the post-2020 municipalities, whose 2020 population is
counted in their parents) over its census population. ``w_i`` is the ``shrinkage`` column: near 1
for a large city (its own rate is kept), small for a village. If a state's rates vary no more than
Poisson noise would explain (s² = 0), every municipality gets the state rate.

Why not PySAL: ``esda.smoothing.Empirical_Bayes`` implements the same moment formulas, but for
one global reference (no grouping), without clipping a negative s², and without exposing the
weights; and ``esda`` 2.9 hard-requires ``libpysal`` and ``scikit-learn``, a heavy stack for these
ten lines. The estimator is written here, with the citation above.

Municipal homicide rate: caveats and how they are handled
---------------------------------------------------------
- **Incidents, not victims.** The municipal counts are *carpetas de investigación*; one
  incident can have several victims. Nationally, 2024 had 25,449 homicidio-doloso incidents for
  30,046 victims, so municipal rates run about 15 % below the state victims rate
  (``homicide_rate_state``). Compare municipal rates with each other, not with victim rates.
- **Under-registration is not corrected.** Some prosecutors record far fewer homicides than occur
  (Nuevo Laredo, 28027, shows only 27 homicidio-doloso incidents in 2024). Nothing at municipal
  level can detect or correct this; a low municipal rate in a state with a high advisory level
  deserves suspicion. Use the municipal rate together with the state victims rate and the travel
  advisory, never alone.
- **Municipalities created after 2020.** SESNSP reports Villa de Pozos (24059), Eldorado
  (25019) and Juan José Ríos (25020), which have no polygon: their incidents are folded back into
  the municipality whose 2020 territory and population held them, San Luis Potosí (24028),
  Culiacán (25006) and Ahome (25001). Juan José Ríos was carved from Ahome and Guasave; its seat
  (22,421 of the 29,627 inhabitants of its localities of 1,000 or more) lies in the Ahome polygon
  of the bundled boundaries, so Ahome was chosen. The six municipalities that do have a polygon
  but no census population (San Felipe 02007, Dzitbalché 04013 and four in Guerrero) keep their
  own incidents and get the state rate with shrinkage 0; their parents (e.g. Ensenada) keep the
  2020 population of the split territory but lose its incidents, so their rates are slightly low.
- **Pseudo-municipalities.** SESNSP's "No Especificado" (``xx999``) and "Otros Municipios"
  (``xx998``) rows are dropped: 21 incidents in the 12 months, all in Ciudad de México (09999).
  ``rate_state`` is computed without them.
- **Fixed period.** The municipal rate always covers July 2024 – June 2025, whatever ``year`` is
  passed to ``municipal_security``; the denominators are the 2020 census.
"""

from __future__ import annotations

from functools import cache

import geopandas as gpd
import numpy as np
import pandas as pd

from siting.layers._data import read_csv
from siting.layers._errors import DataError
from siting.layers.boundaries import municipalities

HOMICIDE_FILE = "security/mx_state_homicide_victims_sesnsp_2015_2025.csv"
CRIME_FILE = "security/mx_state_crime_incidence_sesnsp_selected_2015_2025.csv"
ADVISORY_FILE = "security/us_state_dept_travel_advisory_mexico_states_2025-08-12.csv"
MUNICIPAL_HOMICIDE_FILE = "security/mx_mun_homicide_incidents_sesnsp_12m_to_2025-06.csv"
CENSUS_FILE = "population/mx_municipalities_census2020.csv"
CARGO_THEFT_CRIMES = ("ROBO_A_TRANSPORTISTA_CON_VIOLENCIA", "ROBO_A_TRANSPORTISTA_SIN_VIOLENCIA")
#: Municipalities created after the 2020 census without a polygon: code -> parent code.
NEW_MUNICIPALITY_PARENT = {"24059": "24028", "25019": "25006", "25020": "25001"}
#: Last three digits of SESNSP's pseudo-municipalities (Otros Municipios, No Especificado).
PSEUDO_MUNICIPALITY_SUFFIXES = ("998", "999")


def latest_full_year() -> int:
    """Return the latest year for which SESNSP figures cover January–December.

    Examples
    --------
    >>> from siting import layers
    >>> layers.security.latest_full_year()
    2024
    """
    hom = read_csv(HOMICIDE_FILE, required=["YEAR", "PERIOD"], dtype={"CVE_ENT": str})
    full = hom.loc[hom["PERIOD"] == "Jan-Dec", "YEAR"]
    if full.empty:
        msg = f"{HOMICIDE_FILE!r} has no row with PERIOD 'Jan-Dec'"
        raise DataError(msg)
    return int(full.max())


def _crime_rate(crime: pd.DataFrame, crimes: tuple[str, ...]) -> pd.DataFrame:
    """Return incidents and rate per 100,000 summed over ``crimes``, indexed by ``CVE_ENT``."""
    rows = crime[crime["CRIME"].isin(crimes)]
    return rows.groupby("CVE_ENT")[["INCIDENTS", "RATE_100K"]].sum()


@cache
def _state_security(year: int) -> pd.DataFrame:
    hom = read_csv(
        HOMICIDE_FILE,
        required=["YEAR", "CVE_ENT", "NOM_ENT", "HOMICIDIO_DOLOSO_RATE_100K", "PERIOD"],
        dtype={"CVE_ENT": str},
    )
    crime = read_csv(
        CRIME_FILE,
        required=["YEAR", "CVE_ENT", "CRIME", "INCIDENTS", "RATE_100K"],
        dtype={"CVE_ENT": str},
    )
    adv = read_csv(
        ADVISORY_FILE,
        required=["CVE_ENT", "ADVISORY_LEVEL", "ADVISORY_LABEL"],
        dtype={"CVE_ENT": str},
    )
    hom = hom[(hom["YEAR"] == year) & (hom["CVE_ENT"] != "00")]
    if len(hom) != 32:
        msg = f"{HOMICIDE_FILE!r}: expected 32 states for year {year}, found {len(hom)}"
        raise DataError(msg)
    if (hom["PERIOD"] != "Jan-Dec").any():
        msg = f"{HOMICIDE_FILE!r}: year {year} is not a full year (PERIOD != 'Jan-Dec')"
        raise DataError(msg)
    crime = crime[(crime["YEAR"] == year) & (crime["CVE_ENT"] != "00")]
    crime = crime.assign(CVE_ENT=crime["CVE_ENT"].str.zfill(2))
    theft = _crime_rate(crime, CARGO_THEFT_CRIMES)
    out = pd.DataFrame(
        {
            "CVE_ENT": hom["CVE_ENT"].str.zfill(2).to_numpy(),
            "state": hom["NOM_ENT"].to_numpy(),
            "year": year,
            "homicide_rate": hom["HOMICIDIO_DOLOSO_RATE_100K"].astype(float).to_numpy(),
        }
    )
    out["cargo_theft_rate"] = out["CVE_ENT"].map(theft["RATE_100K"]).fillna(0.0)
    out["cargo_theft_incidents"] = out["CVE_ENT"].map(theft["INCIDENTS"]).fillna(0).astype("int64")
    adv = adv.assign(CVE_ENT=adv["CVE_ENT"].str.zfill(2)).set_index("CVE_ENT")
    out["advisory_level"] = out["CVE_ENT"].map(adv["ADVISORY_LEVEL"]).astype("int64")
    out["advisory_label"] = out["CVE_ENT"].map(adv["ADVISORY_LABEL"])
    for column, name in (("extortion_rate", "EXTORSION"), ("kidnapping_rate", "SECUESTRO")):
        rate = _crime_rate(crime, (name,))["RATE_100K"]
        missing = sorted(set(out["CVE_ENT"]) - set(rate.index))
        if missing:
            msg = f"{CRIME_FILE!r}: no {name} row for year {year} in state(s) {missing}"
            raise DataError(msg)
        out[column] = out["CVE_ENT"].map(rate).astype(float)
    return out.sort_values("CVE_ENT").reset_index(drop=True)


def state_security(year: int | None = None) -> pd.DataFrame:
    """Return security indicators per state for ``year`` (default: latest full year).

    Parameters
    ----------
    year
        Calendar year of the SESNSP figures; it must be a full year (January–December).

    Returns
    -------
    pandas.DataFrame
        One row per state; columns in the module docstring.

    Raises
    ------
    DataError
        If ``year`` is not a full year or a state is missing.

    Examples
    --------
    >>> from siting import layers
    >>> sec = layers.security.state_security()
    >>> int(sec["year"].iloc[0]), len(sec)
    (2024, 32)
    >>> round(float(sec.set_index("state").loc["Colima", "extortion_rate"]), 1)
    18.1
    """
    return _state_security(latest_full_year() if year is None else int(year)).copy()


def empirical_bayes_rate(
    events: np.ndarray, population: np.ndarray, *, reference: float | None = None
) -> tuple[np.ndarray, np.ndarray, float]:
    """Shrink raw rates toward the group rate with Marshall's (1991) empirical Bayes estimator.

    Parameters
    ----------
    events
        Event counts of the areas of one reference group.
    population
        Population at risk of the same areas (all positive).
    reference
        Rate (per person) of the reference group, the prior mean ``m``; default
        ``Σ events / Σ population``. Pass it when the group has events or population outside
        these areas (e.g. a state's rate including municipalities without a census population).

    Returns
    -------
    tuple of (numpy.ndarray, numpy.ndarray, float)
        Smoothed rates (per person), the shrinkage weights ``w`` given to each area's own raw rate
        (0..1) and the prior mean ``m``.

    Raises
    ------
    ValueError
        If the arrays differ in length, or a population is not positive.

    Examples
    --------
    A city, a town and a village with 1 event (raw rate 50 per 100,000):

    >>> import numpy as np
    >>> rate, w, m = empirical_bayes_rate(np.array([300, 60, 1]), np.array([1e6, 1e5, 2e3]))
    >>> round(m * 1e5, 1), [round(float(x), 2) for x in w]
    (32.8, [0.95, 0.67, 0.04])
    >>> [round(float(x) * 1e5, 1) for x in rate]
    [30.1, 51.0, 33.4]
    """
    y = np.asarray(events, dtype=float)
    n = np.asarray(population, dtype=float)
    if y.shape != n.shape:
        msg = f"`events` and `population` differ in shape: {y.shape} and {n.shape}"
        raise ValueError(msg)
    if not (n > 0).all():
        msg = "`population` must be positive for every area"
        raise ValueError(msg)
    m = float(y.sum() / n.sum()) if reference is None else float(reference)
    r = y / n
    s2 = max(float((n * (r - m) ** 2).sum() / n.sum() - m / n.mean()), 0.0)
    denom = s2 + m / n
    w = np.divide(s2, denom, out=np.zeros_like(n), where=denom > 0)
    return w * r + (1.0 - w) * m, w, m


@cache
def _municipal_homicide() -> pd.DataFrame:
    cols = ["CVEGEO", "CVE_ENT", "MATCH", "HOMICIDIO_DOLOSO_12M", "FEMINICIDIO_12M", "PERIOD_12M"]
    raw = read_csv(MUNICIPAL_HOMICIDE_FILE, required=cols, dtype={"CVEGEO": str, "CVE_ENT": str})
    pop = read_csv(CENSUS_FILE, required=["CVEGEO", "POB2020"], dtype={"CVEGEO": str})
    periods = raw["PERIOD_12M"].unique()
    if len(periods) != 1:
        msg = f"{MUNICIPAL_HOMICIDE_FILE!r}: expected one PERIOD_12M, found {list(periods)}"
        raise DataError(msg)
    df = raw.assign(incidents_12m=raw["HOMICIDIO_DOLOSO_12M"] + raw["FEMINICIDIO_12M"])
    df = df[~df["CVEGEO"].str[2:].isin(PSEUDO_MUNICIPALITY_SUFFIXES)]
    df = df.assign(CVEGEO=df["CVEGEO"].replace(NEW_MUNICIPALITY_PARENT))
    counts = df.groupby("CVEGEO")["incidents_12m"].sum()
    mun = pd.DataFrame(municipalities()[["CVEGEO", "CVE_ENT"]])
    unknown = sorted(set(counts.index) - set(mun["CVEGEO"]))
    absent = sorted(set(mun["CVEGEO"]) - set(counts.index))
    if unknown or absent:
        msg = (
            f"{MUNICIPAL_HOMICIDE_FILE!r} does not match the municipal boundaries: codes without "
            f"a polygon {unknown}, polygons without a row {absent}"
        )
        raise DataError(msg)
    mun["incidents_12m"] = mun["CVEGEO"].map(counts).astype("int64")
    mun["population"] = mun["CVEGEO"].map(pop.set_index("CVEGEO")["POB2020"]).astype(float)
    has_pop = mun["population"].notna()
    mun["rate_raw"] = (mun["incidents_12m"] / mun["population"] * 1e5).astype(float)
    state_sum = mun.groupby("CVE_ENT")[["incidents_12m", "population"]].sum()
    state_rate = (state_sum["incidents_12m"] / state_sum["population"]).astype(float)
    mun["rate_state"] = mun["CVE_ENT"].map(state_rate) * 1e5
    mun["homicide_rate"] = mun["rate_state"]
    mun["shrinkage"] = 0.0
    for cve_ent, idx in mun[has_pop].groupby("CVE_ENT").groups.items():
        rate, w, _ = empirical_bayes_rate(
            mun.loc[idx, "incidents_12m"].to_numpy(dtype=float),
            mun.loc[idx, "population"].to_numpy(dtype=float),
            reference=float(state_rate.loc[cve_ent]),
        )
        mun.loc[idx, "shrinkage"] = w
        mun.loc[idx, "homicide_rate"] = rate * 1e5
    mun["period"] = str(periods[0])
    return mun.reset_index(drop=True)


def municipal_homicide() -> pd.DataFrame:
    """Return the municipal homicide rate, raw and shrunk toward the state rate (empirical Bayes).

    Homicidio doloso + feminicidio incidents (SESNSP) from July 2024 to June 2025 per 100,000
    inhabitants of 2020; see the module docstring for the estimator and every caveat (incidents,
    not victims; under-registration; new municipalities; pseudo-municipalities).

    Returns
    -------
    pandas.DataFrame
        One row per municipality of :func:`siting.layers.boundaries.municipalities` (2,475):
        ``CVEGEO``, ``CVE_ENT``, ``incidents_12m``, ``population``, ``rate_raw``,
        ``rate_state``, ``homicide_rate``, ``shrinkage``, ``period``.

    Raises
    ------
    DataError
        If the bundled file does not match the municipal boundaries.

    Examples
    --------
    >>> from siting import layers
    >>> hom = layers.security.municipal_homicide().set_index("CVEGEO")
    >>> len(hom), hom["period"].iloc[0]
    (2475, '2024-07..2025-06')
    >>> tijuana = hom.loc["02004"]
    >>> round(tijuana["rate_raw"]), round(tijuana["homicide_rate"]), round(tijuana["rate_state"])
    (71, 71, 49)
    """
    return _municipal_homicide().copy()


def municipal_security(year: int | None = None) -> gpd.GeoDataFrame:
    """Return municipal polygons with the municipal homicide rate and the state indicators.

    Parameters
    ----------
    year
        Year of the state indicators (default: latest full year). The municipal homicide rate
        always covers July 2024 – June 2025.

    Returns
    -------
    geopandas.GeoDataFrame
        The 2,475 municipalities with ``homicide_rate`` (municipal, empirical Bayes, incidents per
        100,000), ``homicide_incidents_12m``, ``homicide_rate_state`` (state victims per
        100,000) and the other columns of :func:`state_security` except ``state``.

    Examples
    --------
    >>> from siting import layers
    >>> mun = layers.security.municipal_security().set_index("CVEGEO")
    >>> len(mun), int(mun.loc["19039", "advisory_level"])
    (2475, 2)
    >>> bool(mun.loc["02004", "homicide_rate"] > mun.loc["02002", "homicide_rate"])
    True
    """
    sec = state_security(year).drop(columns=["state"])
    sec = sec.rename(columns={"homicide_rate": "homicide_rate_state"})
    hom = municipal_homicide()[["CVEGEO", "homicide_rate", "incidents_12m"]]
    hom = hom.rename(columns={"incidents_12m": "homicide_incidents_12m"})
    out = municipalities().merge(hom, on="CVEGEO", how="left").merge(sec, on="CVE_ENT", how="left")
    return out

"""Security and cartel-risk indicators by state, joined to municipalities.

Sources: SESNSP (homicide victims; robbery of cargo carriers, *robo a transportista*) and the
U.S. State Department travel advisory. Municipal crime figures are not available offline, so each
municipality carries its state's indicators.

Schema of ``state_security()`` (one row per state, no geometry):
    ``CVE_ENT``, ``state``, ``year`` (the indicator year), ``homicide_rate`` (victims of
    intentional homicide per 100,000 inhabitants), ``cargo_theft_rate`` (robo a transportista
    incidents, with and without violence, per 100,000), ``cargo_theft_incidents``,
    ``advisory_level`` (1 normal precautions ... 4 do not travel), ``advisory_label``.
``municipal_security()`` adds those columns to the municipal polygons.
"""

from __future__ import annotations

from functools import cache

import geopandas as gpd
import pandas as pd

from siting.layers._data import read_csv
from siting.layers._errors import DataError
from siting.layers.boundaries import municipalities

HOMICIDE_FILE = "security/mx_state_homicide_victims_sesnsp_2015_2025.csv"
CRIME_FILE = "security/mx_state_crime_incidence_sesnsp_selected_2015_2025.csv"
ADVISORY_FILE = "security/us_state_dept_travel_advisory_mexico_states_2025-08-12.csv"
CARGO_THEFT_CRIMES = ("ROBO_A_TRANSPORTISTA_CON_VIOLENCIA", "ROBO_A_TRANSPORTISTA_SIN_VIOLENCIA")


def latest_full_year() -> int:
    """Return the latest year for which SESNSP figures cover January–December."""
    hom = read_csv(HOMICIDE_FILE, required=["YEAR", "PERIOD"], dtype={"CVE_ENT": str})
    full = hom.loc[hom["PERIOD"] == "Jan-Dec", "YEAR"]
    if full.empty:
        msg = f"{HOMICIDE_FILE!r} has no row with PERIOD 'Jan-Dec'"
        raise DataError(msg)
    return int(full.max())


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
        ADVISORY_FILE, required=["CVE_ENT", "ADVISORY_LEVEL", "ADVISORY_LABEL"], dtype={"CVE_ENT": str}
    )
    hom = hom[(hom["YEAR"] == year) & (hom["CVE_ENT"] != "00")]
    if len(hom) != 32:
        msg = f"{HOMICIDE_FILE!r}: expected 32 states for year {year}, found {len(hom)}"
        raise DataError(msg)
    if (hom["PERIOD"] != "Jan-Dec").any():
        msg = f"{HOMICIDE_FILE!r}: year {year} is not a full year (PERIOD != 'Jan-Dec')"
        raise DataError(msg)
    theft = crime[
        (crime["YEAR"] == year) & (crime["CVE_ENT"] != "00") & crime["CRIME"].isin(CARGO_THEFT_CRIMES)
    ]
    theft = theft.groupby("CVE_ENT")[["INCIDENTS", "RATE_100K"]].sum()
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
    return out.sort_values("CVE_ENT").reset_index(drop=True)


def state_security(year: int | None = None) -> pd.DataFrame:
    """Return security indicators per state for ``year`` (default: latest full year).

    Examples
    --------
    >>> from siting import layers
    >>> sec = layers.security.state_security()
    >>> int(sec["year"].iloc[0]), len(sec)
    (2024, 32)
    """
    return _state_security(latest_full_year() if year is None else int(year)).copy()


def municipal_security(year: int | None = None) -> gpd.GeoDataFrame:
    """Return municipal polygons carrying their state's security indicators."""
    sec = state_security(year).drop(columns=["state"])
    return municipalities().merge(sec, on="CVE_ENT", how="left")

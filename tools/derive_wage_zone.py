"""Derive the municipalities of the Zona Libre de la Frontera Norte (minimum-wage zone).

One-off derivation from bundled data, no network::

    .venv/bin/python tools/derive_wage_zone.py \
        layers/data/population/mx_zona_libre_frontera_norte_municipalities.csv

The CONASAMI ``frontera_norte`` minimum wage applies in the Zona Libre de la Frontera Norte,
which the Decreto de estímulos fiscales región fronteriza norte (DOF, 31 December 2018) defines
by naming 43 whole municipalities (:data:`DECREE`), described as those of the 25 km strip along
the border with the United States. This script:

1. matches the decree's names to INEGI codes of ``siting.layers.boundaries.municipalities()``
   (accent- and case-insensitive, within the state; every name must match exactly once);
2. rebuilds the strip geometrically: the border line is the part of Mexico's outline (the
   union of the INEGI state polygons) lying within :data:`US_TOLERANCE_M` of the Natural Earth
   1:110m United States polygon (generalised to about 10 km, so it only *selects* the stretch of
   INEGI's outline; a few km of Pacific and Gulf coast next to the border come along, inside
   municipalities that are in the zone anyway); every municipality whose polygon intersects a
   :data:`STRIP_M` buffer of that line is "in the strip" (computed in EPSG:6372);
3. adds municipalities created since 2018 out of a zone member (:data:`SUCCESSORS`): they
   inherit their parent's zone (San Quintín from Ensenada, San Felipe from Mexicali);
4. logs where geometry and decree disagree. **The decree list wins**: a municipality in the
   strip but not in the decree stays in the general zone, and a decree municipality outside the
   simplified strip stays in the zone.

Output columns: ``CVEGEO``, ``NOM_ENT``, ``NOM_MUN``, ``ASSIGNED`` (``decree; in 25 km
strip``, ``decree; outside 25 km strip``, or ``successor of <CVEGEO> <name>``) and
``STRIP_KM2`` (area of the municipality inside the strip, km², one decimal).
"""

from __future__ import annotations

import argparse
import logging
import sys
import unicodedata
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from siting.layers._data import CRS_METRIC, data_path
from siting.layers.boundaries import municipalities, states

#: Natural Earth 1:110m countries (public domain); only the United States polygon is used.
NEIGHBOURS_FILE = "boundaries/neighbours_naturalearth_110m.geojson"
#: Distance from the coarse US polygon within which Mexico's outline counts as the border.
US_TOLERANCE_M = 20_000.0
#: Width of the border strip named by the decree.
STRIP_M = 25_000.0

#: Municipalities named by the decree (DOF 31-12-2018, artículo primero), by state code.
DECREE: dict[str, list[str]] = {
    "02": ["Ensenada", "Playas de Rosarito", "Mexicali", "Tecate", "Tijuana"],
    "26": [
        "San Luis Río Colorado",
        "Puerto Peñasco",
        "General Plutarco Elías Calles",
        "Caborca",
        "Altar",
        "Sáric",
        "Nogales",
        "Santa Cruz",
        "Cananea",
        "Naco",
        "Agua Prieta",
    ],
    "08": [
        "Janos",
        "Ascensión",
        "Juárez",
        "Práxedis G. Guerrero",
        "Guadalupe",
        "Coyame del Sotol",
        "Ojinaga",
        "Manuel Benavides",
    ],
    "05": [
        "Ocampo",
        "Acuña",
        "Zaragoza",
        "Jiménez",
        "Piedras Negras",
        "Nava",
        "Guerrero",
        "Hidalgo",
    ],
    "19": ["Anáhuac"],
    "28": [
        "Nuevo Laredo",
        "Guerrero",
        "Mier",
        "Miguel Alemán",
        "Camargo",
        "Gustavo Díaz Ordaz",
        "Reynosa",
        "Río Bravo",
        "Valle Hermoso",
        "Matamoros",
    ],
}
#: Municipalities created since the decree, with the zone member they were split from.
SUCCESSORS: dict[str, str] = {
    "02006": "02001",  # San Quintín, split from Ensenada (2020)
    "02007": "02002",  # San Felipe, split from Mexicali (2021)
}
DECREE_COUNT = 43

log = logging.getLogger("derive_wage_zone")


def _key(name: str) -> str:
    """Return ``name`` without accents, dots or case, for matching decree names to INEGI's."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(plain.replace(".", " ").lower().split())


def decree_codes(mun: pd.DataFrame) -> dict[str, str]:
    """Return ``{CVEGEO: decree name}`` of the decree municipalities; raise unless one to one."""
    keys = mun.assign(key=mun["municipality"].map(_key))
    found: dict[str, str] = {}
    problems = []
    for ent, names in DECREE.items():
        in_state = keys[keys["CVE_ENT"] == ent]
        for name in names:
            hits = in_state.loc[in_state["key"] == _key(name), "CVEGEO"].tolist()
            if len(hits) != 1:
                problems.append(f"{ent} {name!r}: {len(hits)} matches")
            else:
                found[hits[0]] = name
    if problems or len(found) != DECREE_COUNT:
        msg = f"decree names do not match INEGI municipalities one to one: {problems}"
        raise ValueError(msg)
    return found


def border_strip() -> shapely.Geometry:
    """Return the 25 km strip along the US border, in EPSG:6372."""
    mexico = shapely.union_all(states().to_crs(CRS_METRIC).geometry.to_numpy())
    world = gpd.read_file(data_path(NEIGHBOURS_FILE)).to_crs(CRS_METRIC)
    usa = world.loc[world["iso_a3"] == "USA", "geometry"].iloc[0]
    border = mexico.boundary.intersection(usa.buffer(US_TOLERANCE_M))
    log.info("border line: %.0f km of INEGI outline", border.length / 1e3)
    return border.buffer(STRIP_M)


def derive() -> pd.DataFrame:
    """Return the zone's municipalities (see module docstring) and log the disagreements."""
    mun = municipalities().to_crs(CRS_METRIC)
    names = mun.set_index("CVEGEO")
    in_decree = decree_codes(mun)
    strip_km2 = (mun.geometry.intersection(border_strip()).area / 1e6).round(1)
    strip_km2.index = mun["CVEGEO"]
    in_strip = set(strip_km2[strip_km2 > 0].index)

    rows = []
    for code in sorted(in_decree):
        where = "in" if code in in_strip else "outside"
        rows.append((code, f"decree; {where} 25 km strip"))
    for code, parent in SUCCESSORS.items():
        if parent not in in_decree:
            msg = f"successor {code} has parent {parent}, which is not a decree municipality"
            raise ValueError(msg)
        rows.append((code, f"successor of {parent} {names.at[parent, 'municipality']}"))
    out = pd.DataFrame(rows, columns=["CVEGEO", "ASSIGNED"]).sort_values("CVEGEO")
    out.insert(1, "NOM_ENT", out["CVEGEO"].map(names["state"]))
    out.insert(2, "NOM_MUN", out["CVEGEO"].map(names["municipality"]))
    out["STRIP_KM2"] = out["CVEGEO"].map(strip_km2)

    zone = set(out["CVEGEO"])
    for code in sorted(in_strip - zone):
        log.info(
            "in the strip, not in the decree (kept general): %s %s, %s (%.1f km² in strip)",
            code,
            names.at[code, "municipality"],
            names.at[code, "state"],
            strip_km2[code],
        )
    for code in sorted(zone - in_strip):
        log.info(
            "in the zone, outside the strip: %s %s (%s)",
            code,
            names.at[code, "municipality"],
            out.loc[out["CVEGEO"] == code, "ASSIGNED"].iloc[0],
        )
    log.info("%d decree municipalities + %d successors", len(in_decree), len(SUCCESSORS))
    return out.reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    """Write the zone CSV to the path given on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="CSV to write")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    derive().to_csv(args.out, index=False, lineterminator="\n")
    log.info("wrote %s", args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Existing industrial locations: RETC-derived industrial parks and metropolitan zones.

Schemas:

``industrial_parks(min_establishments=1, merge_duplicates=True)`` (EPSG:4326)
    ``name`` (as most often reported; for a merged park, the name of the member with most
    establishments), ``CVEGEO``, ``municipality``, ``state``, ``establishments`` (RETC
    facilities naming the park, summed over merged names), ``sectors`` (``"; "``-joined, sorted
    union), ``aliases`` (the other names merged into this park, ``" | "``-joined, ``""`` when
    none), ``geometry`` (point).
``metro_zones()`` (no geometry)
    ``CVE_ZM``, ``zone``, ``CVEGEO``, ``municipality``, ``central`` (bool: central municipality of
    the zone, ``MC == 1`` in the 2015 delimitation), ``population_2015``.
``metro_areas()`` (no geometry)
    ``CVEGEO`` (every municipality of :func:`siting.layers.boundaries.municipalities` that belongs
    to a metropolitan zone), ``CVE_ZM``, ``metro`` (zone name as published, e.g. ``"Monterrey"``,
    ``"La Laguna"``, ``"Valle de México"``).

Duplicate parks
---------------
The RETC layer has one point per (municipality, park name as reported), so one real park often
appears under several spellings ("Parque Industrial Pacífico", "Parque Ind. Pacifico", "Pacífico
II" ...). :func:`merge_duplicate_parks` joins two records when they are in the same municipality,
at most :data:`DUPLICATE_KM` apart, and their :func:`normalise_park_name` forms have a
``rapidfuzz`` ``token_set_ratio`` of at least :data:`NAME_SIMILARITY` (100 when the words of one
name are all in the other, so containment counts as a match). Merging is transitive (connected
components of the "duplicate" graph), hence independent of the row order.

Phases and sections ("II", "2da. etapa", "sección", "ampliación") are dropped by the
normalisation: for a shortlist of sites, phase II of a park within :data:`DUPLICATE_KM` of phase I
shares its access roads, utilities and labour shed, so it is the same candidate site.

Metropolitan zones
------------------
Municipalities created after the 2015 delimitation are not members of any zone, even when they
were carved out of a member: zones are made of whole 2015 municipalities, and the new ones were
cut from peripheral, non-urban parts (see :data:`CARVED_FROM_METRO_MEMBERS`).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from functools import cache

import geopandas as gpd
import numpy as np
import pandas as pd
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from siting.layers import boundaries
from siting.layers._data import CRS_METRIC, check_columns, data_path, read_csv

logger = logging.getLogger(__name__)

PARKS_FILE = "sites/industrial_parks_derived_from_retc_2013_2022.geojson"
METRO_FILE = "sites/mx_metropolitan_zones_2015_municipalities.csv"

#: Two park records further apart than this (km, EPSG:6372) are never merged. Calibrated on the
#: RETC layer: spellings of one park lie 0-2 km apart (Tijuana's Pacífico records 0.3-2.4 km, the
#: Logistik phases in Villa de Reyes 1.5-2.4 km); beyond 2.5 km same-word pairs are more often
#: distinct parks (Baja Maq El Águila / Baja Maq Tijuana 3.6 km, "Internacional" / "Internacional
#: Tijuana" 6.2 km, "Parque Industrial Monterrey" / "FINSA Monterrey" in Apodaca 2.6 km).
DUPLICATE_KM = 2.5

#: Minimum ``rapidfuzz.fuzz.token_set_ratio`` (0-100) of two normalised names to merge them. 90
#: accepts containment (100) and typos ("Balavanera"/"Balvanera" 95, "Prologist"/"Prologis" 94)
#: and rejects names that only share one word ("nueva" / "internacional" after removing "Tijuana",
#: "baja maq aguila" / "baja maq" is containment but 3.6 km apart).
NAME_SIMILARITY = 90.0

#: A name contained in a longer one must have at least this share of its words: "benito juarez"
#: matches "benito juarez jurica" (2 of 3 words) but "jurica" does not (1 of 3), so a composite
#: name ("Benito Juárez Ampliación Jurica") does not chain two neighbouring parks into one.
MIN_WORD_SHARE = 0.5

#: Municipalities created after 2015 out of a metropolitan-zone member (new CVEGEO -> parent).
#: Left out of :func:`metro_areas`: San Quintín (from Ensenada) and San Felipe (from Mexicali) are
#: towns 150-200 km from the zone's city; Puerto Morelos (from Benito Juárez, zone Cancún) is a
#: separate town 35 km south of Cancún. The other post-2015 municipalities (Campeche, Chiapas,
#: Guerrero, Morelos) were carved out of municipalities outside every zone.
CARVED_FROM_METRO_MEMBERS = {"02006": "02001", "02007": "02002", "23011": "23005"}

#: Words that say "industrial area" rather than which one (after accents and case are removed).
GENERIC_WORDS = frozenset(
    {
        "parque", "parq", "pqe", "pque", "industrial", "industriales", "ind", "indust", "inds",
        "park", "zona", "fraccionamiento", "fracc", "frac", "colonia", "col", "nave", "naves",
        "complejo", "corredor", "condominio", "sector", "poligono", "desarrollo", "area",
        "bodega", "bodegas", "lote", "km", "autopista", "carretera", "carr", "lateral", "tramo",
        "centro", "petroquimico", "petroquimica",
    }
)  # fmt: skip
#: Articles and prepositions dropped before comparing names.
STOP_WORDS = frozenset({"de", "del", "el", "la", "los", "las", "y"})
#: Abbreviations of "ciudad/parque industrial" when followed by an industrial word ("C.I.", "P.I.").
_INDUSTRIAL_PREFIXES = frozenset({"ciudad", "cd", "c", "p"})
_PHASE = re.compile(
    r"^(?:i|ii|iii|iv|v|vi|vii|viii|ix|x|\d{1,2}(?:a|o|da|do|ra|er|ro|ta|to)?"
    r"|primera|segunda|tercera|cuarta|etapa|fase|seccion|ampliacion)$"
)


def _words(text: str) -> list[str]:
    """Lower-case ASCII words of ``text``: accents and punctuation removed."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z]+", " ", ascii_text).split()


def _is_industrial(word: str) -> bool:
    """Return whether ``word`` is "industrial", an abbreviation or a misspelling of it."""
    return word in {"ind", "indust", "inds", "i"} or (
        len(word) >= 8 and Levenshtein.distance(word, "industrial") <= 2
    )


def _is_generic(word: str) -> bool:
    return (
        word in GENERIC_WORDS
        or _is_industrial(word)
        or (len(word) >= 5 and Levenshtein.distance(word, "parque") <= 1)
    )


def _drop_phrase(words: list[str], phrase: list[str]) -> list[str]:
    """Remove every occurrence of the word sequence ``phrase`` from ``words``."""
    n = len(phrase)
    out: list[str] = []
    i = 0
    while i < len(words):
        if n and words[i : i + n] == phrase:
            i += n
        else:
            out.append(words[i])
            i += 1
    return out


def normalise_park_name(name: str, *, places: Iterable[str] = ()) -> str:
    """Return the distinctive part of an industrial-park name, for duplicate matching.

    Lower case, accents (``unicodedata``) and punctuation removed; then dropped: articles
    (:data:`STOP_WORDS`), generic words (:data:`GENERIC_WORDS`, "Ciudad/Cd./C./P. Industrial" and
    misspellings of "industrial"/"parque"), phase and section markers (roman numerals I-X,
    "1", "2da", "etapa", "fase", "sección", "ampliación"), and the names in ``places`` (the
    municipality, state ...). If the place names were all that was left, they are kept ("Parque
    Industrial Tijuana" -> ``"tijuana"``); a wholly generic name is returned without its articles.

    Parameters
    ----------
    name
        Park name as reported.
    places
        Place names to remove (matched as whole word sequences after the same normalisation).

    Returns
    -------
    str
        Space-separated words; empty only if ``name`` has no letters or digits.

    Examples
    --------
    >>> normalise_park_name("Parque Ind. Pacífico II")
    'pacifico'
    >>> normalise_park_name("CIUDAD INDUSTRIAL NUEVA TIJUANA", places=["Tijuana"])
    'nueva'
    >>> normalise_park_name("Parque Industrial Internacional Tijuana", places=["Tijuana"])
    'internacional'
    >>> normalise_park_name("Parque Industrial Tijuana", places=["Tijuana", "Baja California"])
    'tijuana'
    >>> normalise_park_name("Zona Industrial 1a. Sección")
    'zona industrial 1a seccion'
    """
    words = [w for w in _words(name) if w not in STOP_WORDS]
    core: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word in _INDUSTRIAL_PREFIXES and i + 1 < len(words) and _is_industrial(words[i + 1]):
            i += 2
            continue
        if not (_is_generic(word) or _PHASE.match(word)):
            core.append(word)
        i += 1
    distinct = core
    for place in places:
        phrase = _place_words(place)
        if phrase and phrase[0] in distinct:  # cheap test first: most places are absent
            distinct = _drop_phrase(distinct, list(phrase))
    return " ".join(distinct or core or words)


@cache
def _place_words(place: str) -> tuple[str, ...]:
    """Words of a place name as :func:`normalise_park_name` compares them (cached)."""
    return tuple(w for w in _words(place) if w not in STOP_WORDS)


@cache
def _state_places() -> dict[str, tuple[str, ...]]:
    """Place names stripped from park names, by state code: state names and its municipalities."""
    states = boundaries.states()
    mun = boundaries.municipalities()
    out: dict[str, tuple[str, ...]] = {}
    for row in states.itertuples(index=False):
        names = mun.loc[mun["CVE_ENT"] == row.CVE_ENT, "municipality"].tolist()
        abbr = str(row.abbr).lower()
        extra = [row.state, row.state_short, abbr, " ".join(abbr)]
        # longest first, so that "San Pedro Garza García" goes before "García"
        out[row.CVE_ENT] = tuple(sorted(set(names + extra), key=lambda s: (-len(s), s)))
    return out


def _short_name(municipality: str) -> str:
    """Return the usual short form of a municipality name: "Silao de la Victoria" -> "Silao"."""
    words = str(municipality).split()
    for i, word in enumerate(words):
        if i and _words(word)[:1] and _words(word)[0] in STOP_WORDS:
            return " ".join(words[:i])
    return str(municipality)


def merge_duplicate_parks(
    parks: gpd.GeoDataFrame,
    *,
    max_km: float = DUPLICATE_KM,
    min_similarity: float = NAME_SIMILARITY,
) -> gpd.GeoDataFrame:
    """Merge records of one park reported under several names.

    Two records are duplicates when they share ``CVEGEO``, lie at most ``max_km`` apart and their
    :func:`normalise_park_name` forms have ``rapidfuzz.fuzz.token_set_ratio >= min_similarity``
    (the shorter with at least :data:`MIN_WORD_SHARE` of the longer's words). The ``places``
    removed from names are the state, its municipalities and the short name of the park's
    municipality ("Silao" for "Silao de la Victoria"). Each connected component of duplicates
    becomes one park: the name, municipality and point of the member with most establishments
    (ties: longest name, then alphabetical), ``establishments`` summed, ``sectors`` united and
    the other names in ``aliases``. The result does not depend on the
    order of the rows.

    Parameters
    ----------
    parks
        Columns ``name``, ``CVEGEO``, ``municipality``, ``state``, ``establishments``,
        ``sectors`` and point geometry (any CRS), as :func:`industrial_parks` returns with
        ``merge_duplicates=False``.
    max_km
        Largest distance between two records of one park, in km.
    min_similarity
        Smallest name similarity (0-100) of two records of one park.

    Returns
    -------
    geopandas.GeoDataFrame
        The schema of :func:`industrial_parks`, sorted by decreasing ``establishments``, then
        ``name`` and ``CVEGEO``.

    Examples
    --------
    >>> raw = industrial_parks(merge_duplicates=False)
    >>> merged = merge_duplicate_parks(raw)
    >>> len(merged) < len(raw)
    True
    >>> int(merged["establishments"].sum()) == int(raw["establishments"].sum())
    True
    """
    check_columns(
        parks,
        ["name", "CVEGEO", "municipality", "state", "establishments", "sectors", "geometry"],
        "parks",
    )
    parks = parks.reset_index(drop=True)
    places = _state_places()
    keys = [
        normalise_park_name(name, places=(*places.get(str(cve)[:2], ()), _short_name(mun)))
        for name, cve, mun in zip(
            parks["name"], parks["CVEGEO"], parks["municipality"], strict=True
        )
    ]
    metric = parks.geometry.to_crs(CRS_METRIC)
    xy = np.column_stack([metric.x.to_numpy(), metric.y.to_numpy()])
    pairs = cKDTree(xy).query_pairs(max_km * 1000.0, output_type="ndarray")
    cve = parks["CVEGEO"].to_numpy()
    edges = [
        (i, j)
        for i, j in pairs
        if cve[i] == cve[j] and _same_name(keys[i], keys[j], min_similarity)
    ]
    n = len(parks)
    rows = np.array([e[0] for e in edges], dtype=np.int64)
    cols = np.array([e[1] for e in edges], dtype=np.int64)
    graph = coo_matrix((np.ones(len(edges)), (rows, cols)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)

    order = parks.assign(
        _label=labels,
        _neg_est=-parks["establishments"],
        _neg_len=-parks["name"].str.len(),
    ).sort_values(["_label", "_neg_est", "_neg_len", "name"])
    by_label = order.groupby("_label", sort=True)
    out = order.drop_duplicates("_label").set_index("_label").sort_index()
    out["establishments"] = by_label["establishments"].sum()
    out["sectors"] = by_label["sectors"].agg(_union_sectors)
    out["aliases"] = by_label["name"].agg(lambda names: " | ".join(names.iloc[1:]))
    columns = ["name", "CVEGEO", "municipality", "state", "establishments", "sectors", "aliases"]
    out = gpd.GeoDataFrame(out[columns], geometry=out.geometry.to_numpy(), crs=parks.crs)
    out["establishments"] = out["establishments"].astype("int64")
    logger.info(
        "merged %d duplicate park records: %d records -> %d parks", n - len(out), n, len(out)
    )
    return _sort_parks(out)


def _same_name(a: str, b: str, min_similarity: float) -> bool:
    """Return whether two normalised names designate the same park (see :data:`MIN_WORD_SHARE`)."""
    na, nb = len(a.split()), len(b.split())
    if min(na, nb) < MIN_WORD_SHARE * max(na, nb):
        return False
    return fuzz.token_set_ratio(a, b) >= min_similarity


def _union_sectors(texts: pd.Series) -> str:
    """Return the sorted union of ``"; "``-joined sector lists."""
    sectors = {s.strip() for text in texts for s in str(text).split(";")}
    return "; ".join(sorted(sectors - {""}))


def _sort_parks(parks: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return parks.sort_values(
        ["establishments", "name", "CVEGEO"], ascending=[False, True, True]
    ).reset_index(drop=True)


@cache
def _parks() -> gpd.GeoDataFrame:
    path = data_path(PARKS_FILE)
    gdf = gpd.read_file(path)
    check_columns(
        gdf, ["CVEGEO_MUN", "NOM_MUN", "NOM_ENT", "NAME_AS_REPORTED", "N_ESTABLISHMENTS"], str(path)
    )
    out = gpd.GeoDataFrame(
        {
            "name": gdf["NAME_AS_REPORTED"].str.strip(),
            "CVEGEO": gdf["CVEGEO_MUN"].astype(str).str.zfill(5),
            "municipality": gdf["NOM_MUN"],
            "state": gdf["NOM_ENT"],
            "establishments": gdf["N_ESTABLISHMENTS"].astype("int64"),
            "sectors": gdf["SECTORS"].fillna("") if "SECTORS" in gdf else "",
            "aliases": "",
        },
        geometry=gdf.geometry,
        crs=gdf.crs,
    )
    return _sort_parks(out)


@cache
def _merged_parks() -> gpd.GeoDataFrame:
    return merge_duplicate_parks(_parks())


def industrial_parks(
    *, min_establishments: int = 1, merge_duplicates: bool = True
) -> gpd.GeoDataFrame:
    """Return RETC-derived industrial parks with at least ``min_establishments`` facilities.

    Parameters
    ----------
    min_establishments
        Keep parks named by at least this many RETC facilities (counted after merging).
    merge_duplicates
        Merge records of one park reported under several names (:func:`merge_duplicate_parks`);
        ``False`` gives one row per (municipality, name as reported), with ``aliases`` empty.

    Returns
    -------
    geopandas.GeoDataFrame
        See the module schema; sorted by decreasing ``establishments``.

    Examples
    --------
    >>> len(industrial_parks(merge_duplicates=False))
    1902
    >>> parks = industrial_parks()
    >>> pacifico = parks[parks["name"] == "PARQUE INDUSTRIAL PACIFICO"].iloc[0]
    >>> "PARQUE IND. PACIFICO" in pacifico["aliases"].split(" | ")
    True
    """
    parks = _merged_parks() if merge_duplicates else _parks()
    return parks[parks["establishments"] >= min_establishments].reset_index(drop=True).copy()


@cache
def _metro_zones() -> pd.DataFrame:
    df = read_csv(
        METRO_FILE,
        required=["CVE_ZM", "NOM_ZM", "CVEGEO", "NOM_MUN", "MC", "POB_2015"],
        dtype={"CVE_ZM": str, "CVEGEO": str, "CVE_ENT": str},
    )
    return pd.DataFrame(
        {
            "CVE_ZM": df["CVE_ZM"],
            "zone": df["NOM_ZM"],
            "CVEGEO": df["CVEGEO"].str.zfill(5),
            "municipality": df["NOM_MUN"],
            "central": df["MC"].astype(int) == 1,
            "population_2015": df["POB_2015"].astype("int64"),
        }
    )


def metro_zones() -> pd.DataFrame:
    """Return the 417 member municipalities of Mexico's 74 metropolitan zones (2015)."""
    return _metro_zones().copy()


@cache
def _metro_areas() -> pd.DataFrame:
    zones = _metro_zones()[["CVEGEO", "CVE_ZM", "zone"]].rename(columns={"zone": "metro"})
    current = boundaries.municipalities()[["CVEGEO"]]
    return (
        current.merge(zones, on="CVEGEO", how="inner").sort_values("CVEGEO").reset_index(drop=True)
    )


def metro_areas() -> pd.DataFrame:
    """Return the municipalities that belong to a metropolitan zone (2015 delimitation).

    One row per municipality of :func:`siting.layers.boundaries.municipalities` that is a member
    of one of the 74 zones; municipalities created after 2015 are left out (see
    :data:`CARVED_FROM_METRO_MEMBERS`).

    Returns
    -------
    pandas.DataFrame
        ``CVEGEO``, ``CVE_ZM`` and ``metro`` (zone name as published), sorted by ``CVEGEO``.

    Examples
    --------
    >>> areas = metro_areas()
    >>> len(areas), areas["metro"].nunique()
    (417, 74)
    >>> areas.loc[areas["CVEGEO"] == "19006", "metro"].item()
    'Monterrey'
    """
    return _metro_areas().copy()


def metro_of(cvegeo: pd.Series) -> pd.Series:
    """Return the metropolitan zone of each municipality, NA outside the 74 zones.

    Parameters
    ----------
    cvegeo
        Municipality codes (5 characters; shorter codes are zero-padded).

    Returns
    -------
    pandas.Series
        Zone names (as in :func:`metro_areas`), named ``metro`` and indexed like ``cvegeo``.

    Examples
    --------
    >>> metro_of(pd.Series(["05027", "05030", "02004", "02006"])).tolist()
    ['Saltillo', 'Saltillo', 'Tijuana', nan]
    """
    lookup = _metro_areas().set_index("CVEGEO")["metro"]
    return cvegeo.astype(str).str.zfill(5).map(lookup).rename("metro")

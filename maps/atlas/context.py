"""What every page of the atlas draws, prepared once: :class:`AtlasContext`.

A batch draws 32 state sheets and a cover from one national run. Everything national is
computed once here and shared: the surface's natural-breaks classes
(:func:`~siting.maps.atlas.classes.surface_classes`), the colour scale of the national scores,
the layers projected to :data:`siting.layers.CRS_METRIC` (EPSG:6372), the ranked sites with their
rank within their state (:func:`siting.municipal.state_ranks`), the trunk roads, the cities and
the neighbouring countries. :func:`atlas_context` builds it; :func:`~siting.maps.atlas.state_map`
and :func:`~siting.maps.atlas.cover_map` accept it as ``context=`` (else they build their own).

The static context (trunk roads, localities, neighbouring countries: about 2 s, most of it
reading the bundled road file) is kept in memory for the process, so a second context costs only
the run's own layers.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib.colors import Normalize

from siting import layers as siting_layers
from siting.layers import CRS_GEO, CRS_METRIC
from siting.layers._data import data_path
from siting.maps.atlas.classes import SurfaceClasses, surface_classes
from siting.maps.interactive import context as browser
from siting.maps.style import print_norm
from siting.municipal import ranked_mask, state_ranks
from siting.result import RunResult

logger = logging.getLogger(__name__)

#: Number of natural-breaks classes of the municipal surface.
SURFACE_K = 6
#: Parts of a state farther than this (km) from its largest part (Colima's Revillagigedo
#: islands, 640-1,055 km out) do not stretch its sheet's frame; the sheet says so.
REMOTE_KM = 300.0
#: Douglas-Peucker tolerance (m) of the trunk roads drawn on the sheets.
ROAD_TOLERANCE_M = 150.0
#: Tolerance (m) of the states in the locator inset.
LOCATOR_TOLERANCE_M = 4000.0
#: Localities of at least this population are candidate city labels on a state's sheet.
MIN_CITY_POPULATION = 15_000


@dataclass(frozen=True, eq=False)
class AtlasContext:
    """National layers of an atlas, projected and classed once (see :func:`atlas_context`).

    Attributes
    ----------
    result
        The national run.
    surface
        The municipal surface passed in (EPSG:4326, as given).
    classes
        Natural-breaks classes of the national surface.
    norm
        Colour scale of the national scores (:func:`siting.maps.style.print_norm`).
    states
        The states in EPSG:6372: ``CVE_ENT``, ``state``, ``state_short``, ``geometry`` and
        ``main`` (the state without parts farther than :data:`REMOTE_KM` from its largest).
    municipalities
        The surface in EPSG:6372 with the class of each municipality (``klass``, -1: no site).
    sites
        The ranked sites in EPSG:6372 with ``state_rank``, best national rank first.
    crossings, seaports
        Context layers in EPSG:6372 (crossings with trucks, busiest first).
    roads
        Trunk roads (LineStrings, EPSG:6372).
    abroad
        Neighbouring countries as land in EPSG:6372 (``key``: the text key of the name).
    land
        Mexico and its neighbours (to keep sea names off the land).
    localities, cities
        Census localities of :data:`MIN_CITY_POPULATION` people or more (``name``,
        ``population``, ``CVE_ENT``) and the browser map's main cities (one per metro area).
    locator
        Simplified states for the locator inset.
    """

    result: RunResult
    surface: gpd.GeoDataFrame
    classes: SurfaceClasses
    norm: Normalize
    states: gpd.GeoDataFrame
    municipalities: gpd.GeoDataFrame
    sites: gpd.GeoDataFrame
    crossings: gpd.GeoDataFrame
    seaports: gpd.GeoDataFrame
    roads: np.ndarray
    abroad: gpd.GeoDataFrame
    land: shapely.Geometry
    localities: gpd.GeoDataFrame
    cities: gpd.GeoDataFrame
    locator: gpd.GeoDataFrame

    @property
    def reach_limit_min(self) -> float:
        """Commute budget (minutes) of the surface; NaN on a straight-line run."""
        return _first(self.surface, "reach_limit_min")

    @property
    def reach_limit_km(self) -> float:
        """Straight-line budget (km) of the surface; NaN on a road network."""
        return _first(self.surface, "reach_limit_km")

    @classmethod
    def build(cls, result: RunResult, surface: gpd.GeoDataFrame) -> AtlasContext:
        """Prepare the national layers once: the same as :func:`atlas_context`."""
        return atlas_context(result, surface=surface)

    def state_codes(self) -> list[str]:
        """Codes (``CVE_ENT``) of the states, in order."""
        return sorted(self.states["CVE_ENT"].astype(str))


def _first(frame: pd.DataFrame, column: str) -> float:
    if column not in frame.columns:
        return float("nan")
    values = pd.to_numeric(frame[column], errors="coerce").dropna()
    return float(values.iloc[0]) if len(values) else float("nan")


#: Columns the surface needs.
SURFACE_NEEDS: tuple[str, ...] = ("CVEGEO", "CVE_ENT", "municipality", "best_score")


def atlas_context(result: RunResult, *, surface: gpd.GeoDataFrame) -> AtlasContext:
    """Prepare the national layers of an atlas once, for many sheets.

    Parameters
    ----------
    result
        The national run (:func:`siting.run`): ``ranking``, ``layers`` (``"states"``,
        ``"crossings"``, ``"seaports"``), ``sources``.
    surface
        Its municipal surface (:func:`siting.municipal.municipal_surface`), all of Mexico.

    Returns
    -------
    AtlasContext

    Raises
    ------
    ValueError
        If ``result`` or ``surface`` lack what the atlas draws; the message lists every problem.
    """
    problems = context_problems(result, surface)
    if problems:
        listed = "\n".join(f"  - {p}" for p in problems)
        msg = f"atlas_context received {len(problems)} invalid input(s):\n{listed}"
        raise ValueError(msg)
    return _build(result, surface)


def context_problems(result: object, surface: object) -> list[str]:
    """List what ``result`` and ``surface`` lack for the atlas (empty: fine)."""
    problems: list[str] = []
    if not isinstance(result, RunResult):
        problems.append(f"`result` must be a RunResult, received {type(result).__name__}")
    else:
        ranking = result.ranking
        if not isinstance(ranking, gpd.GeoDataFrame) or ranking.crs is None:
            problems.append("`result.ranking` must be a GeoDataFrame with a CRS")
        else:
            missing = [c for c in ("rank", "name", "score", "CVE_ENT") if c not in ranking]
            if missing:
                problems.append(f"`result.ranking` lacks column(s) {missing}")
        for key, cols in (("states", ["CVE_ENT", "state"]), ("crossings", ["trucks"])):
            layer = result.layers.get(key) if isinstance(result.layers, dict) else None
            if not isinstance(layer, gpd.GeoDataFrame) or layer.crs is None:
                problems.append(f"`result.layers[{key!r}]` must be a GeoDataFrame with a CRS")
            elif [c for c in cols if c not in layer.columns]:
                lacking = [c for c in cols if c not in layer.columns]
                problems.append(f"`result.layers[{key!r}]` lacks column(s) {lacking}")
    if not isinstance(surface, gpd.GeoDataFrame) or surface.crs is None:
        problems.append(
            "`surface` must be the municipal surface (a GeoDataFrame with a CRS, "
            f"siting.municipal.municipal_surface), received {type(surface).__name__}"
        )
    else:
        missing = [c for c in SURFACE_NEEDS if c not in surface.columns]
        if missing:
            problems.append(f"`surface` lacks column(s) {missing}")
    return problems


def _build(result: RunResult, surface: gpd.GeoDataFrame) -> AtlasContext:
    ranking = result.ranking
    norm = print_norm(pd.to_numeric(ranking["score"], errors="coerce").to_numpy(dtype=float))
    classes = surface_classes(surface, SURFACE_K, norm=norm)

    states = result.layers["states"].to_crs(CRS_METRIC)
    states = states.assign(
        CVE_ENT=states["CVE_ENT"].astype(str),
        state_short=states["state_short"] if "state_short" in states else states["state"],
        main=[_mainland(g) for g in states.geometry],
    )[["CVE_ENT", "state", "state_short", "main", "geometry"]].reset_index(drop=True)

    muns = surface.to_crs(CRS_METRIC)
    muns = muns.assign(
        CVE_ENT=muns["CVE_ENT"].astype(str),
        klass=classes.classify(pd.to_numeric(muns["best_score"], errors="coerce")),
    ).reset_index(drop=True)

    ok = ranked_mask(ranking)
    sites = ranking.assign(state_rank=state_ranks(ranking))[ok].to_crs(CRS_METRIC)
    sites = sites.assign(
        CVE_ENT=sites["CVE_ENT"].astype(str),
        score=pd.to_numeric(sites["score"], errors="coerce"),
        rank=pd.to_numeric(sites["rank"], errors="coerce"),
    )
    sites = sites.sort_values(["rank", "score"], ascending=[True, False], kind="stable")

    crossings = result.layers["crossings"].to_crs(CRS_METRIC)
    crossings = crossings[crossings["trucks"].fillna(0) > 0].sort_values("trucks", ascending=False)
    seaports = result.layers.get("seaports")
    if isinstance(seaports, gpd.GeoDataFrame) and seaports.crs is not None:
        seaports = seaports.to_crs(CRS_METRIC)
    else:
        seaports = gpd.GeoDataFrame({"name": []}, geometry=[], crs=CRS_METRIC)

    abroad, land = _abroad()
    localities, cities = _places()
    return AtlasContext(
        result=result,
        surface=surface,
        classes=classes,
        norm=norm,
        states=states,
        municipalities=muns,
        sites=sites,
        crossings=crossings,
        seaports=seaports,
        roads=_roads(),
        abroad=abroad,
        land=land,
        localities=localities,
        cities=cities,
        locator=states.assign(
            geometry=shapely.simplify(states.geometry.to_numpy(), LOCATOR_TOLERANCE_M)
        )[["CVE_ENT", "geometry"]],
    )


def _mainland(geom: shapely.Geometry) -> shapely.Geometry:
    """``geom`` without its parts farther than :data:`REMOTE_KM` from its largest part."""
    parts = shapely.get_parts(geom)
    if len(parts) < 2:
        return geom
    main = parts[np.argmax(shapely.area(parts))]
    near = shapely.distance(parts, main) <= REMOTE_KM * 1000.0
    return shapely.union_all(parts[near])


# --- static context, once per process -------------------------------------------------------------


@cache
def _roads() -> np.ndarray:
    """Trunk roads of the browser map (:func:`~siting.maps.interactive.context._trunk_lines`)."""
    lines = browser._trunk_lines().geometry.to_crs(CRS_METRIC).to_numpy()
    merged = shapely.get_parts(shapely.line_merge(shapely.multilinestrings(lines)))
    simple = shapely.simplify(merged, ROAD_TOLERANCE_M)
    simple = simple[~shapely.is_empty(simple)]
    shapely.prepare(simple)
    return simple


@cache
def _abroad() -> tuple[gpd.GeoDataFrame, shapely.Geometry]:
    """Return the United States, Guatemala and Belize as land meeting INEGI's border, and all land.

    As the browser map draws them (:func:`siting.maps.interactive.context._abroad`): Natural
    Earth's coarse outlines, with the gaps along INEGI's border closed.
    """
    countries = gpd.read_file(data_path(siting_layers.boundaries.NEIGHBOURS_FILE))
    countries = countries[countries["iso_a3"].isin(list(siting_layers.boundaries.NEIGHBOURS))]
    clipped = countries.geometry.clip_by_rect(*browser.ABROAD_BOX).set_crs(
        CRS_GEO, allow_override=True
    )
    metric = clipped.to_crs(CRS_METRIC).to_numpy()
    neighbours = shapely.union_all(metric)
    mexico = siting_layers.boundaries.mexico(CRS_METRIC)
    gap = browser.BORDER_GAP_M
    closed = shapely.buffer(shapely.buffer(shapely.union(neighbours, mexico), gap), -gap)
    fill = shapely.intersection(
        shapely.difference(closed, mexico), shapely.buffer(neighbours, browser.NEIGHBOUR_FILL_M)
    )
    land = shapely.get_parts(shapely.union(fill, shapely.difference(neighbours, mexico)))
    land = land[shapely.area(land) >= browser.MIN_ABROAD_KM2 * 1e6]
    keys = {"USA": "usa", "GTM": "guatemala", "BLZ": "belize"}
    iso = list(countries["iso_a3"])
    pieces = shapely.union_all(land)
    rows = []
    for i, code in enumerate(iso):
        others = shapely.union_all([g for j, g in enumerate(metric) if j != i])
        own = shapely.difference(
            shapely.intersection(pieces, shapely.buffer(metric[i], browser.NEIGHBOUR_FILL_M)),
            others,
        )
        if not shapely.is_empty(own):
            rows.append((keys[code], own))
    rows.sort(key=lambda row: list(keys.values()).index(row[0]))
    abroad = gpd.GeoDataFrame(
        {"key": [k for k, _ in rows]}, geometry=[g for _, g in rows], crs=CRS_METRIC
    )
    all_land = shapely.union(mexico, shapely.union_all(abroad.geometry.to_numpy()))
    shapely.prepare(all_land)
    return abroad, all_land


@cache
def _places() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Localities large enough to be named on a sheet, and the browser map's main cities."""
    loc = siting_layers.labor.localities()
    mun = siting_layers.labor.municipal_population()
    # the largest locality of each municipality (not the suburbs of a metro area)
    loc = loc.sort_values(["population", "name"], ascending=[False, True], kind="stable")
    loc = loc.drop_duplicates("CVEGEO")
    loc = loc[loc["population"] >= MIN_CITY_POPULATION]
    by_code = mun.set_index("CVEGEO")["municipality"]
    accents = browser._accents([*mun["municipality"], *mun["state"], *mun["metro_zone"]])
    names = [
        browser._city_name(str(n), by_code.get(code), accents)
        for n, code in zip(loc["name"], loc["CVEGEO"], strict=True)
    ]
    localities = gpd.GeoDataFrame(
        {
            "name": names,
            "population": loc["population"].astype(int).to_numpy(),
            "CVE_ENT": loc["CVEGEO"].str[:2].to_numpy(),
        },
        geometry=loc.geometry.to_crs(CRS_METRIC).to_numpy(),
        crs=CRS_METRIC,
    ).sort_values("population", ascending=False, kind="stable")
    main = browser._cities()
    cities = gpd.GeoDataFrame(
        {"name": main["name"], "population": main["population"]},
        geometry=gpd.points_from_xy(main["lon"], main["lat"], crs=CRS_GEO).to_crs(CRS_METRIC),
    ).sort_values("population", ascending=False, kind="stable")
    return localities.reset_index(drop=True), cities.reset_index(drop=True)

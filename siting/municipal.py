"""The national run by state and municipality: state ranks and the municipal surface.

A state agency reads the national ranking for its own territory. Two things serve it, and
neither rescales a score (a state's map shows the national scores and ranks):

* :func:`state_ranks`: each site's place among the ranked sites of its state.
* :func:`municipal_surface`: for every municipality, the best national score a worker living
  there reaches within the scenario's commute (``[parameters] commute_min``, the labour-pool
  budget): the site a municipality can staff, measured the way the labour criteria measure.

How the surface is measured
---------------------------
A municipality is represented by its largest locality of the 2020 census (10,635 localities of
at least 1,000 inhabitants; where a municipality has none, by a point inside its polygon): where
its people live, not the polygon's centroid, which in large rural municipalities lies in empty
hills. On a road network (the run's own, from its cache, with the run's snapping and access legs)
one bounded Dijkstra search per ranked site, on the transposed travel-time matrix (the time from
every node *to* the site), gives the municipalities within the commute; sites are searched from
the best score down, in chunks, and a municipality keeps the first (best) site that reaches it,
so the search stops once every reachable municipality has its best site. Without a network
(``[network] source = "straight-line"``) the reach is the labour-pool radius
(``[parameters] labor_radius_km``) in a straight line.

A municipality that reaches no ranked site within the budget has no score (NaN): on a map it is
"no candidate site within 45 minutes", which is information, not a missing value.
"""

from __future__ import annotations

import logging

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from siting import layers
from siting.measure import SiteContext
from siting.metros import ranked_mask
from siting.result import RunResult
from siting.routing import DEFAULT_CATCHMENT_CHUNK, DEFAULT_CATCHMENT_MEMORY_BYTES

logger = logging.getLogger(__name__)

#: Columns of :func:`municipal_surface`, in order (a contract: the atlas's GeoPackage layer).
SURFACE_COLUMNS: tuple[str, ...] = (
    "CVEGEO",
    "CVE_ENT",
    "municipality",
    "state",
    "best_score",
    "best_site",
    "best_rank",
    "reach_min",
    "reach_km",
    "reach_limit_min",
    "reach_limit_km",
    "geometry",
)


def state_ranks(ranking: pd.DataFrame) -> pd.Series:
    """Return each site's rank among the ranked sites of its state (1 = the state's best).

    Ranked by the national score (ties share the better rank, as the national ``rank`` does:
    pandas ``rank(method="min")``); NaN for a site without a national rank or a state.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"score": [90, 80, 80, 70, None], "rank": [1, 2, 2, 4, None],
    ...                   "CVE_ENT": ["19", "02", "19", "19", "19"]})
    >>> state_ranks(r).tolist()
    [1.0, 1.0, 2.0, 3.0, nan]
    """
    score = pd.to_numeric(ranking["score"], errors="coerce")
    state = ranking["CVE_ENT"].where(ranked_mask(ranking))
    ranks = score.where(state.notna()).groupby(state).rank(method="min", ascending=False)
    return ranks.reindex(ranking.index).rename("state_rank")


def municipal_points() -> gpd.GeoDataFrame:
    """Return one point per municipality: its largest locality, else a point in its polygon.

    Indexed like :func:`siting.layers.boundaries.municipalities` (2,475 rows, EPSG:4326), with
    columns ``CVEGEO`` and ``locality`` (the locality's name; None for a polygon point).
    """
    muns = layers.boundaries.municipalities()
    loc = layers.labor.localities()
    largest = loc.sort_values(["population", "name"], ascending=[False, True], kind="stable")
    largest = largest.drop_duplicates("CVEGEO").set_index("CVEGEO")
    found = muns["CVEGEO"].map(largest.geometry)
    inside = muns.geometry.to_crs(layers.CRS_METRIC).representative_point().to_crs(layers.CRS_GEO)
    geometry = gpd.GeoSeries(found.where(found.notna(), inside), crs=layers.CRS_GEO)
    return gpd.GeoDataFrame(
        {
            "CVEGEO": muns["CVEGEO"].to_numpy(),
            "locality": muns["CVEGEO"].map(largest["name"]).astype(object).to_numpy(),
        },
        geometry=geometry.to_numpy(),
        crs=layers.CRS_GEO,
        index=muns.index,
    )


def municipal_surface(result: RunResult) -> gpd.GeoDataFrame:
    """Return every municipality with the best national score reachable from it.

    See the module docstring for the method. Scores, ranks and sites are the national run's,
    never rescaled.

    Parameters
    ----------
    result
        A run (:func:`siting.run`). Used: ``ranking`` (points; ``score``, ``rank``, ``name``,
        ``excluded`` if present) and ``scenario`` (its network and ``commute_min`` /
        ``labor_radius_km``); the municipalities are the bundled ones.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, one row per municipality (2,475), columns :data:`SURFACE_COLUMNS`:
        ``best_score`` (the best score reachable, NaN if none), ``best_site`` (its name),
        ``best_rank`` (its national rank), ``reach_min`` (road minutes from the municipality's
        point to that site, access legs included; NaN without a network), ``reach_km``
        (straight-line kilometres to it), ``reach_limit_min`` / ``reach_limit_km`` (the budget:
        the commute on a road network, NaN otherwise; the labour radius in a straight line,
        NaN otherwise) and the municipal polygon.

    Raises
    ------
    ValueError
        If ``result`` is not a run or its ranking lacks ``score``, ``rank`` or ``name``.
    """
    if not isinstance(result, RunResult):
        msg = f"`result` must be a RunResult, received {type(result).__name__}"
        raise ValueError(msg)
    ranking = result.ranking
    missing = [c for c in ("score", "rank", "name") if c not in ranking.columns]
    if missing:
        msg = f"`result.ranking` lacks column(s) {missing}"
        raise ValueError(msg)
    muns = layers.boundaries.municipalities()
    points = municipal_points()
    ranked = np.flatnonzero(ranked_mask(ranking))
    score = pd.to_numeric(ranking["score"], errors="coerce").to_numpy(dtype=float)
    order = ranked[np.argsort(-score[ranked], kind="stable")]  # best first
    params = result.scenario.params
    network = result.scenario.network

    best = np.full(len(points), -1, dtype=np.int64)  # position in ranking
    minutes = np.full(len(points), np.nan)
    limit_min = limit_km = np.nan
    if network.straight_line:
        limit_km = float(params.labor_radius_km)
        best = _best_within_radius(points, ranking, order, limit_km * 1000.0)
    elif len(order):
        limit_min = float(params.commute_min)
        best, minutes = _best_within_commute(points, ranking, order, params, network)

    has = best >= 0
    pick = np.where(has, best, 0)
    site_xy = ranking.geometry.to_crs(layers.CRS_METRIC).get_coordinates().to_numpy()
    mun_xy = points.geometry.to_crs(layers.CRS_METRIC).get_coordinates().to_numpy()
    km = np.hypot(*(site_xy[pick] - mun_xy).T) / 1000.0 if len(ranking) else np.zeros(len(best))
    names = ranking["name"].astype(object).to_numpy()
    rank = pd.to_numeric(ranking["rank"], errors="coerce").to_numpy(dtype=float)
    empty = np.full(len(best), np.nan)
    out = gpd.GeoDataFrame(
        {
            "CVEGEO": muns["CVEGEO"].to_numpy(),
            "CVE_ENT": muns["CVE_ENT"].to_numpy(),
            "municipality": muns["municipality"].to_numpy(),
            "state": muns["state"].to_numpy(),
            "best_score": np.where(has, score[pick] if len(ranking) else empty, np.nan),
            "best_site": np.where(has, names[pick] if len(ranking) else None, None),
            "best_rank": np.where(has, rank[pick] if len(ranking) else empty, np.nan),
            "reach_min": np.where(has, minutes, np.nan),
            "reach_km": np.where(has, km, np.nan),
            "reach_limit_min": limit_min,
            "reach_limit_km": limit_km,
        },
        geometry=muns.geometry.to_numpy(),
        crs=layers.CRS_GEO,
    )
    logger.info(
        "Municipal surface: %d of %d municipalities reach a ranked site", int(has.sum()), len(out)
    )
    return out[list(SURFACE_COLUMNS)]


def _best_within_radius(
    points: gpd.GeoDataFrame, ranking: gpd.GeoDataFrame, order: np.ndarray, radius_m: float
) -> np.ndarray:
    """Position of the best site within ``radius_m`` of each point (-1: none)."""
    best = np.full(len(points), -1, dtype=np.int64)
    if not len(order):
        return best
    site_xy = ranking.geometry.to_crs(layers.CRS_METRIC).get_coordinates().to_numpy()[order]
    mun_xy = points.geometry.to_crs(layers.CRS_METRIC).get_coordinates().to_numpy()
    near = cKDTree(site_xy).query_ball_point(mun_xy, r=radius_m)
    for i, found in enumerate(near):
        if found:
            best[i] = order[min(found)]  # ``order`` is best first
    return best


def _best_within_commute(
    points: gpd.GeoDataFrame,
    ranking: gpd.GeoDataFrame,
    order: np.ndarray,
    params: object,
    network: object,
) -> tuple[np.ndarray, np.ndarray]:
    """Best site within the commute of each point by road, and its minutes (-1/NaN: none)."""
    best = np.full(len(points), -1, dtype=np.int64)
    minutes = np.full(len(points), np.nan)
    sites = ranking.iloc[order][[ranking.geometry.name]].reset_index(drop=True)
    measure = SiteContext(sites, params, network).routed  # type: ignore[arg-type]
    if measure is None:  # pragma: no cover - straight-line runs are handled by the caller
        return best, minutes
    net = measure.net
    budget_s = float(params.commute_min) * 60.0  # type: ignore[attr-defined]
    reach = measure.reachable & (measure.site_access_s <= budget_s)
    site_nodes = measure.site_nodes[reach]
    site_access = measure.site_access_s[reach]
    site_pos = order[reach]
    mun_nodes, mun_snap = net.snap(points, main_only=measure.snap_to_main)
    mun_access = mun_snap / measure.speed
    todo = np.flatnonzero(mun_access <= budget_s)
    by_memory = DEFAULT_CATCHMENT_MEMORY_BYTES // (8 * net.n_nodes)
    chunk = int(np.clip(by_memory, 1, DEFAULT_CATCHMENT_CHUNK))
    for start in range(0, len(site_nodes), chunk):
        if not len(todo):
            break
        sl = slice(start, start + chunk)
        dist = dijkstra(net.csr_t, indices=site_nodes[sl], limit=budget_s)
        # seconds from each remaining municipality to each site of the chunk (best site first)
        total = dist[:, mun_nodes[todo]] + site_access[sl, None] + mun_access[todo][None, :]
        ok = total <= budget_s
        hit = ok.any(axis=0)
        first = ok.argmax(axis=0)
        got = todo[hit]
        best[got] = site_pos[sl][first[hit]]
        minutes[got] = total[first[hit], np.flatnonzero(hit)] / 60.0
        todo = todo[~hit]
    return best, minutes

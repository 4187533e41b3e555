"""What a run produces: :class:`RunResult` and the typed records it carries.

A :class:`RunResult` is what :func:`siting.run` returns and what every output is made from: the
ranking (a GeoDataFrame), the weighted criteria (:class:`CriterionWeight`), the map layers,
credits and notes, the data sources, the road network used (:class:`NetworkInfo`) and the
ranking's stability over weight draws (:class:`Stability`). Its methods give the same outputs as
the command line: :meth:`RunResult.explore` is ``map.html``'s folium map, :meth:`RunResult.plot`
the static figure of ``map.png``, :meth:`RunResult.write` every file of ``siting run``.
"""

from __future__ import annotations

import dataclasses
import html
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd

from siting import compare as cmp
from siting import sensitivity as sa
from siting.outputs import write_outputs
from siting.text import check_lang

if TYPE_CHECKING:  # pragma: no cover - types only
    import folium
    import pandas as pd
    from matplotlib.figure import Figure

    from siting.scenario import Scenario, SensitivitySettings
    from siting.sensitivity import SensitivityResult


@dataclass(frozen=True)
class CriterionWeight:
    """One weighted criterion of a run: what it measures and the weight it got.

    Attributes
    ----------
    name
        Criterion key: column of the ranking and key of the scenario's ``[weights]``.
    label, unit
        User-facing name and unit.
    direction
        ``"benefit"`` (more is better) or ``"cost"`` (less is better).
    weight
        Weight in the score (the weights of a run sum to 1).
    """

    name: str
    label: str
    unit: str
    direction: str
    weight: float

    def as_dict(self) -> dict[str, Any]:
        """Return the record as plain data (for JSON)."""
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class NetworkInfo:
    """The road network a run was routed on (``road_network`` in ``run.json``).

    ``source`` is ``"straight-line"`` when no network was used; the other fields are then None.
    """

    source: str
    description: str | None = None
    speeds: dict[str, float] | None = None
    access_speed_kph: float | None = None
    max_snap_km: float | None = None
    nodes: int | None = None
    arcs: int | None = None
    from_cache: bool | None = None
    cache_file: str | None = None
    seconds: float | None = None
    built_utc: str | None = None

    @property
    def straight_line(self) -> bool:
        """True if distances were straight-line (no road network)."""
        return self.source == "straight-line"

    def as_dict(self) -> dict[str, Any]:
        """Return the fields that are set, as plain data (for JSON)."""
        return {k: v for k, v in dataclasses.asdict(self).items() if v is not None}


@dataclass(frozen=True)
class Stability:
    """How stable a ranking is over random weight draws (see :mod:`siting.sensitivity`).

    Attributes
    ----------
    method
        Aggregation method of the scores.
    draws, seed, concentration
        Number of Dirichlet weight draws, their seed and concentration around the weights.
    top_k
        The k of ``top_k_share`` and ``base_top_k_kept_mean``.
    sites
        Number of ranked sites.
    kendall_tau_mean, kendall_tau_min, weighted_spearman_mean, weighted_spearman_min
        Rank correlation of each draw's ranking with the run's ranking.
    leader
        Name of the first-ranked site.
    leader_first_share
        Share of draws in which the leader stays first.
    base_top_k_kept_mean
        Mean number of the top k that stay in the top k.
    weights
        The weights the draws were centred on.
    """

    method: str
    draws: int
    seed: int
    concentration: float
    top_k: int
    sites: int
    kendall_tau_mean: float
    kendall_tau_min: float
    weighted_spearman_mean: float
    weighted_spearman_min: float
    leader: str | None
    leader_first_share: float
    base_top_k_kept_mean: float
    weights: dict[str, float]

    def as_dict(self) -> dict[str, Any]:
        """Return the summary as plain data (for JSON)."""
        return dataclasses.asdict(self)


@dataclass
class RunResult:
    """Everything a run produced; maps render it, :meth:`write` saves it.

    Attributes
    ----------
    scenario
        The scenario as run (objective weights resolved).
    ranking
        EPSG:4326 GeoDataFrame sorted by rank (columns: see :func:`siting.run`).
    criteria
        The weighted criteria, in scenario order.
    layers
        Context layers of the maps (``states``, ``crossings``, ``municipal_labor``,
        ``municipal_security``, ``seaports``).
    credits
        One credit line per dataset used (publisher, year, licence).
    notes
        What a reader needs to know about the method (measured how, excluded why), in English;
        :meth:`notes_in` gives them in Spanish too.
    sources
        Provenance of every dataset used (keys of ``siting.layers.sources()``).
    network
        The road network used (``source == "straight-line"`` without one).
    stability
        Stability over the scenario's weight draws; None when rank ranges were not computed.
    notes_es
        The Spanish text of notes, keyed by their English text (:meth:`notes_in`); a note
        without one (the scenario's doubts) stays English.
    """

    scenario: Scenario
    ranking: gpd.GeoDataFrame
    criteria: list[CriterionWeight]
    layers: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    credits: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    network: NetworkInfo = field(default_factory=lambda: NetworkInfo(source="straight-line"))
    stability: Stability | None = None
    notes_es: dict[str, str] = field(default_factory=dict)

    @property
    def top_k(self) -> int | None:
        """The k of the rank ranges (the maps highlight the top k), None without them."""
        return None if self.stability is None else self.stability.top_k

    def notes_in(self, lang: str = "en") -> list[str]:
        """Return the notes in ``lang``: ``"en"`` (equal to :attr:`notes`) or ``"es"``.

        The Spanish list has one note per English note, in the same order; a note without a
        Spanish text in :attr:`notes_es` (the scenario's doubts, written in English) is given
        in English.

        Raises
        ------
        ValueError
            If ``lang`` is not one of :data:`siting.text.LANGUAGES`.
        """
        if check_lang(lang) == "en":
            return list(self.notes)
        return [self.notes_es.get(note, note) for note in self.notes]

    def add_note(self, en: str, es: str) -> None:
        """Append a note in English (to :attr:`notes`) with its Spanish text ``es``."""
        self.notes.append(en)
        self.notes_es[en] = es

    def top(self, n: int = 10) -> pd.DataFrame:
        """Return the first ``n`` rows of the ranking: rank, name, state, score, criteria."""
        cols = ["rank", "name", "state", "score", *[c.name for c in self.criteria]]
        return self.ranking[[c for c in cols if c in self.ranking.columns]].head(n)

    def explore(self, lang: str = "en") -> folium.Map:
        """Return the interactive map of the run: the folium map that ``map.html`` saves.

        Same page as ``siting run``'s ``map.html``, opening in ``lang`` (``"es"`` or ``"en"``);
        save it with :func:`siting.maps.save_map` (offline: Leaflet inlined, the default).
        More candidates than :data:`siting.pipeline.MAX_CANDIDATES` raise
        :class:`siting.InputError`.
        """
        from siting.maps import interactive_map  # folium: loaded when needed
        from siting.pipeline import check_size

        check_size(len(self.ranking))  # one marker per site: refused above MAX_CANDIDATES
        return interactive_map(self, lang=lang)

    def plot(self, **kwargs: Any) -> Figure:
        """Return the static map of the run: the figure that ``map.png`` and ``map.pdf`` save.

        Keyword arguments go to :func:`siting.maps.static_map` (e.g. ``page="a4"``).
        """
        from siting.maps import static_map  # matplotlib: loaded when needed

        return static_map(self, **kwargs)

    def write(
        self,
        out_dir: str | os.PathLike[str],
        *,
        offline_map: bool | None = None,
        argv: Sequence[str] | None = None,
        on_step: Callable[[str], None] | None = None,
        force: bool = False,
        maps: bool = True,
        lang: str = "en",
    ) -> dict[str, Path]:
        """Write the files of ``siting run`` into ``out_dir`` and return their paths.

        ``ranking.csv``, ``sites.geojson``, ``map.html``, ``map.png``, ``map.pdf`` and
        ``run.json``, written atomically (all or none). ``offline_map`` defaults to the
        scenario's ``[output] offline_map``; ``argv`` is the command recorded in ``run.json``
        (default: this process's); ``on_step(name)`` is called before each file is written;
        ``lang`` (``"es"`` or ``"en"``) is the language ``map.html`` opens in.

        An input of the run (candidates, scenario, network or waits file) is never replaced,
        nor, unless ``force``, an existing file that siting did not write or that was changed
        since (:func:`siting.outputs.check_output_folder`): both raise
        :class:`siting.OutputError`, as does a full disk. Without ``maps`` only
        ``ranking.csv``, ``sites.geojson`` and ``run.json`` are written: the way for more
        candidates than the maps take (:data:`siting.pipeline.MAX_CANDIDATES`).
        """
        offline = self.scenario.offline_map if offline_map is None else offline_map
        return write_outputs(
            self,
            out_dir,
            offline_map=offline,
            argv=None if argv is None else list(argv),
            on_step=on_step,
            force=force,
            maps=maps,
            lang=check_lang(lang),
        )

    def sensitivity(
        self,
        settings: SensitivitySettings | None = None,
        *,
        draws: int | None = None,
        seed: int | None = None,
    ) -> SensitivityResult:
        """Run the Monte Carlo over the weights (:func:`siting.sensitivity.sensitivity`).

        Without ``settings`` the scenario's ``[sensitivity]`` settings are used, with ``draws``
        and ``seed`` overriding them.
        """
        if settings is None:
            settings = sa.with_settings(self.scenario.sensitivity, draws=draws, seed=seed)
        return sa.sensitivity(self, settings)

    def compare(self, names: Sequence[str], *, draws: int = 200) -> pd.DataFrame:
        """Return the side-by-side table of ``siting compare`` for the named sites.

        Names are matched like the command line does (accents and case folded; a clear error
        lists close matches for an unknown name).
        """
        sites = cmp.match_names(list(names), self.ranking["name"].astype(str).tolist())
        sens = sa.sensitivity(self, sa.with_settings(self.scenario.sensitivity, draws=draws))
        return cmp.compare(self, sites, sensitivity=sens)

    def _repr_html_(self) -> str:
        """Show the top of the ranking in a notebook (names escaped)."""
        top = self.top(10).copy()
        if "score" in top:
            top["score"] = top["score"].round(1)
        ranked = int(self.ranking["rank"].notna().sum()) if "rank" in self.ranking else 0
        head = (
            f"<p><b>siting run</b> {html.escape(self.scenario.name)}: {ranked} of "
            f"{len(self.ranking)} candidates ranked ({html.escape(self.scenario.aggregation)}); "
            f"top {len(top)}:</p>"
        )
        return head + top.to_html(index=False, escape=True, na_rep="-")

    def __repr__(self) -> str:
        return (
            f"RunResult(scenario={self.scenario.name!r}, candidates={len(self.ranking)}, "
            f"criteria={[c.name for c in self.criteria]})"
        )

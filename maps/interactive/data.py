"""The data of ``map.html``: one JSON object the page's scripts draw and re-score everything from.

The page holds no per-site folium object: :func:`page_data` turns a run into column arrays (one
entry per site, in the ranking's order, so a site's id is its position in ``result.ranking``)
and the page's JavaScript (``assets/app.js``) draws the markers, the table, the popups and the
panels from them, in Spanish or English. To re-score sites when a person moves a weight, the page
gets what :func:`siting.pipeline.score` gets: each weighted criterion's raw values (missing and
infinite values as ``null``), its value function and direction, which sites are eligible (no
constraint excludes them) and which have a reference score (``scored``: not for unreachable
sites), and the aggregation method and floor. ``assets/scoring.js`` mirrors the Python scoring
operation for operation.

What does not depend on the weights is computed here once: formatted texts are not (the page
formats numbers in the chosen language), but the score colour table, the rank ranges of the run
(they belong to the run's weights, and the page says so), the constraint each excluded site
fails, and the TOML of the scenario sections that the page's weights leave unchanged are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import tomli_w

from siting.criteria import CRITERIA
from siting.maps._places import by_metro
from siting.maps.interactive.formatting import json_texts
from siting.maps.style import EXCLUDED_COLOR, SELECTED_COLOR, score_color
from siting.maps.text import PAGE_TEXT
from siting.pipeline import value_functions_of
from siting.result import RunResult

#: Decimals of the site coordinates in the page (5 ≈ 1 m).
SITE_DECIMALS = 5
#: Ranking columns of the Monte Carlo weight sensitivity the page shows, when present.
RANGE_FIELDS = ("rank_best", "rank_p05", "rank_median", "rank_p95", "rank_worst", "top_k_share")
#: Scenario sections the page writes itself in its TOML export (from its own weights, method and
#: directions); the other sections are copied from the run's scenario.
PAGE_SECTIONS = ("weights", "ahp", "aggregation", "value_functions")
#: Languages of the page.
LANGUAGES = ("es", "en")


def _numbers(values: Any, decimals: int | None = None) -> list[float | None]:
    """Return numbers as a JSON-ready list: missing and infinite values become ``None``."""
    a = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float)
    if decimals is not None:
        a = np.round(a, decimals)
    return np.where(np.isfinite(a), a, None).tolist()  # type: ignore[no-any-return]


def _ranks(values: Any) -> list[int | float | None]:
    """Return ranks as a JSON-ready list: whole numbers as ``int`` (``1``, not ``1.0``)."""
    a = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float)
    whole = np.isfinite(a) & (a == np.round(a))
    out = np.where(np.isfinite(a), a, None).astype(object)
    out[whole] = a[whole].astype(np.int64)
    return out.tolist()  # type: ignore[no-any-return]


def _texts(values: Any) -> list[str | None]:
    """Return texts as a JSON-ready list: missing values become ``None``, blanks stay."""
    return json_texts(values, keep_blank=True)


def _flags(values: Any, n: int, default: bool) -> list[int]:
    if values is None:
        return [int(default)] * n
    return pd.Series(values).astype("boolean").fillna(default).astype(int).tolist()


def _criteria(result: RunResult) -> list[dict[str, Any]]:
    """Return the weighted criteria: labels in both languages, direction, value function, weight."""
    names = [c.name for c in result.criteria]
    functions = value_functions_of(names, result.scenario.value_functions)
    out = []
    for crit in result.criteria:
        spec = CRITERIA.get(crit.name)
        vf = functions.get(crit.name)
        described = vf.describe() if vf is not None else None
        kind = described["type"] if described else "linear"
        out.append(
            {
                "name": crit.name,
                "label": {lang: spec.label_in(lang) if spec else crit.label for lang in LANGUAGES},
                "description": {
                    lang: spec.description_in(lang) if spec else "" for lang in LANGUAGES
                },
                "unit": crit.unit,
                "direction": crit.direction,
                "vf": described,
                "flippable": kind in ("linear", "log", "logistic"),
                "weight": float(crit.weight),
                "in_scenario": crit.name in result.scenario.value_functions,
            }
        )
    return out


def _constraint_texts(ranking: pd.DataFrame, result: RunResult) -> list[str]:
    """Return the constraint rules each site fails ("" for none): not reachability."""
    out = [""] * len(ranking)
    constraints = result.scenario.constraints
    if not constraints or "excluded_by" not in ranking.columns:
        return out
    texts = [c.text for c in constraints]
    for i, by in enumerate(ranking["excluded_by"].tolist()):
        if isinstance(by, str) and by:
            out[i] = "; ".join(t for t in texts if t in by)
    return out


def _sites(result: RunResult, criteria: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Return the sites as column arrays, in the ranking's order."""
    ranking = result.ranking
    n = len(ranking)

    def column(name: str) -> Any:
        return ranking[name] if name in ranking.columns else None

    outside = _flags(column("outside_mexico"), n, False)
    excluded = _flags(column("excluded"), n, False)
    reachable = _flags(column("reachable"), n, True)
    score = pd.to_numeric(ranking["score"], errors="coerce")
    eligible = [int(not e and not o) for e, o in zip(excluded, outside, strict=True)]
    scored = [int(not o and r and bool(np.isfinite(s))) for o, r, s in zip(
        outside, reachable, score.to_numpy(dtype=float), strict=True)]  # fmt: skip
    sites: dict[str, Any] = {
        "n": n,
        "name": _texts(ranking["name"]),
        "state": _texts(ranking["state"]),
        "municipality": _texts(ranking["municipality"]),
        "metro": _texts(column("metro")) if "metro" in ranking.columns else [None] * n,
        "aliases": _texts(column("aliases")) if "aliases" in ranking.columns else [None] * n,
        "lon": _numbers(ranking["lon"], SITE_DECIMALS),
        "lat": _numbers(ranking["lat"], SITE_DECIMALS),
        "raw": {c["name"]: _numbers(ranking[c["name"]]) for c in criteria},
        "eligible": eligible,
        "scored": scored,
        "reachable": reachable,
        "outside": outside,
        "snap_km": _numbers(column("snap_km"), 1) if "snap_km" in ranking.columns else None,
        "rule": _constraint_texts(ranking, result),
        "run_score": _numbers(score),
        "run_rank": _ranks(ranking["rank"]),
    }
    for key in ("nearest_crossing", "nearest_seaport"):
        sites[key] = _texts(ranking[key]) if key in ranking.columns else [None] * n
    # one method for every site of a run: written once (a list only if it ever differs)
    methods = _texts(ranking["distance_method"]) if "distance_method" in ranking else [None] * n
    sites["distance_method"] = methods[0] if len(set(methods)) == 1 else methods
    if all(c in ranking.columns for c in ("rank_best", "rank_median", "rank_worst")):
        sites["range"] = {
            c: _numbers(ranking[c]) if c == "top_k_share" else _ranks(ranking[c])
            for c in RANGE_FIELDS
            if c in ranking.columns
        }
    return sites


def _toml_value_function(vf: Mapping[str, Any] | None, direction: str | None) -> str:
    """Return a ``[value_functions.<criterion>]`` table's body (TOML), ``direction`` set."""
    table = dict(vf or {"type": "linear"})
    if direction is not None:
        table["direction"] = direction
    return tomli_w.dumps(table)


def _toml(result: RunResult, criteria: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Return what the page's TOML export needs besides its weights, method and directions.

    ``base`` is the run's scenario without the sections the page writes (:data:`PAGE_SECTIONS`),
    with the files it reads as absolute paths, so the exported file works from any folder;
    ``value_functions`` holds, per criterion, its table for each direction the page may give it
    (a criterion whose function has no direction has one entry, ``"fixed"``), and whether the
    scenario wrote it (else it is written only when the page changes its direction).
    """
    from siting.outputs import run_inputs

    scenario = result.scenario
    data = {k: v for k, v in scenario.data.items() if k not in PAGE_SECTIONS}
    weighted = {c["name"] for c in criteria}
    others = {
        k: v for k, v in (scenario.data.get("value_functions") or {}).items() if k not in weighted
    }
    if others:  # value functions of criteria the page does not weigh: kept as they were
        data["value_functions"] = others
    inputs = run_inputs(scenario)
    if "candidates" in inputs and isinstance(data.get("candidates"), dict):
        data["candidates"] = {**data["candidates"], "source": str(inputs["candidates"].resolve())}
    if "road network" in inputs and isinstance(data.get("network"), dict):
        data["network"] = {**data["network"], "source": str(inputs["road network"].resolve())}
    if "crossing waits" in inputs and isinstance(data.get("crossing_waits"), dict):
        waits = str(inputs["crossing waits"].resolve())
        data["crossing_waits"] = {**data["crossing_waits"], "file": waits}
    functions: dict[str, Any] = {}
    for crit in criteria:
        vf = crit["vf"]
        if crit["flippable"]:
            bodies = {d: _toml_value_function(vf, d) for d in ("benefit", "cost")}
        else:
            bodies = {"fixed": _toml_value_function(vf, None)}
        functions[crit["name"]] = {"tables": bodies, "in_scenario": crit["in_scenario"]}
    floor_set = isinstance(scenario.data.get("aggregation"), dict) and (
        "floor" in scenario.data["aggregation"]
    )
    sources = (
        set(result.ranking["source"].dropna().astype(str)) if "source" in result.ranking else set()
    )
    return {
        "base": tomli_w.dumps(data),
        "value_functions": functions,
        "floor": scenario.product_floor if floor_set else None,
        "candidates_given": scenario.candidates.source == "default" and "user" in sources,
        "scenario_name": scenario.name,
    }


def _notes(result: RunResult) -> dict[str, list[str]]:
    notes_in = getattr(result, "notes_in", None)
    out = {}
    for lang in LANGUAGES:
        try:
            out[lang] = list(notes_in(lang)) if notes_in else list(result.notes)
        except ValueError:
            out[lang] = list(result.notes)
    return out


def score_colors() -> list[str]:
    """Colour of each whole score 0-100 (the page rounds a score to pick its colour)."""
    return [score_color(float(s)) for s in range(101)]


def page_data(
    result: RunResult,
    *,
    lang: str = "en",
    top_k: int | None = None,
    top_n: int = 10,
    title: str | None = None,
    context: Mapping[str, Any] | None = None,
    why: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Return the JSON-ready data of the page for ``result`` (see the module docstring).

    ``lang`` is the language the page opens in; ``top_n`` how many places the map and table
    single out; ``context`` the context layers
    (:func:`siting.maps.interactive.context.context_data`)
    and ``why`` the routes and catchments (:func:`siting.maps.interactive.page.why_data`).
    """
    if lang not in LANGUAGES:
        msg = f"`lang` was {lang!r} but is expected to be one of {list(LANGUAGES)}"
        raise ValueError(msg)
    criteria = _criteria(result)
    scenario = result.scenario
    stability = result.stability
    return {
        "lang": lang,
        "text": PAGE_TEXT,
        "title": title,
        "run": {
            "scenario": scenario.name,
            "description": scenario.description,
            "method": scenario.aggregation,
            "weight_method": scenario.weight_method,
            "floor": float(scenario.product_floor),
            "commute_min": float(scenario.params.commute_min),
            "created": dt.date.today().isoformat(),
            "version": _version(),
            "by_metro": by_metro(result.ranking),
            "top_n": int(top_n),
            "top_k": top_k,
            "draws": stability.draws if stability is not None else None,
            "seed": stability.seed if stability is not None else None,
            "straight_line": bool(scenario.network.straight_line),
        },
        "criteria": criteria,
        "methods": ["weighted_sum", "weighted_product", "topsis"],
        "sites": _sites(result, criteria),
        "colors": {
            "score": score_colors(),
            "excluded": EXCLUDED_COLOR,
            "selected": SELECTED_COLOR,
        },
        "notes": _notes(result),
        "credits": list(result.credits),
        "toml": _toml(result, criteria),
        "context": dict(context or {}),
        "why": dict(why or {}),
    }


def _version() -> str:
    from siting import __version__

    return __version__


__all__ = ["LANGUAGES", "page_data", "score_colors"]

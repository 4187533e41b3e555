"""A real, small run for the map tests: ``siting.run.run_scenario`` on a dozen industrial parks.

The default scenario plus one hard constraint (so that some candidates are excluded), run on the
first ``n`` RETC industrial parks with at least 5 plants; two of them get hostile names to test
HTML escaping.
"""

from __future__ import annotations

import tomllib
from functools import cache

import layers
from siting.run import RunResult, run_scenario
from siting.scenario import default_scenario_path, parse_scenario

HOSTILE_NAME = "<script>alert(1)</script> & \"Ñandú's \\\"plant\\\"\""
TEMPLATE_NAME = "Parque `${alert(2)}` \\u0041 $x"
#: Hard constraint of the test scenario; it excludes Parque Industrial Lerma (Estado de México).
MAX_CROSSING_KM = 650


@cache
def _run(n: int, constrained: bool) -> RunResult:
    data = tomllib.loads(default_scenario_path().read_text(encoding="utf-8"))
    if constrained:
        data["constraints"] = [{"criterion": "crossing_km", "max": MAX_CROSSING_KM}]
    scenario = parse_scenario(data)
    sites = layers.sites.industrial_parks(min_establishments=5).head(n)[["name", "geometry"]]
    sites = sites.assign(source="user")
    sites.loc[0, "name"] = HOSTILE_NAME
    sites.loc[1, "name"] = TEMPLATE_NAME
    result = run_scenario(scenario, candidates=sites)
    if constrained and not result.ranking["excluded"].any():
        msg = f"test scenario should exclude a candidate (crossing_km > {MAX_CROSSING_KM})"
        raise AssertionError(msg)
    return result


def make_run(n: int = 12, *, constrained: bool = True) -> RunResult:
    """Return a run on ``n`` parks (cached: do not mutate it)."""
    return _run(n, constrained)

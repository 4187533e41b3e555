"""The page's scoring (``assets/scoring.js``) gives ``siting run``'s scores, run through Node.

For several scenarios that differ from a real run only in their weights, aggregation method or a
criterion's direction, the page data of the first run (:func:`page_data`) is scored by the page's
JavaScript under the other scenario's settings, and every score (to 1e-9) and rank must equal
that scenario's own run. The same comparison through the page's controls, in Chromium, is in
``tests/test_browser.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from importlib.resources import as_file, files

import numpy as np
import pytest

from siting.maps.interactive.data import page_data
from tests._maps_fixtures import make_run, run_variant

NODE = shutil.which("node")

#: Scenarios to reproduce: sections replacing the test scenario's (see run_variant).
VARIANTS = {
    "other weights": {
        "weights": {
            "crossing_drive_min": 0.05, "crossing_access": 0.25, "labor_force": 0.05,
            "min_wage_daily": 0.15, "homicide_rate": 0.2, "cargo_theft_rate": 0.0,
            "advisory_level": 0.1, "route_risk": 0.05, "seaport_drive_min": 0.1,
            "seaport_risk": 0.05,
        }
    },
    "weighted product": {"aggregation": {"method": "weighted_product"}},
    "topsis, weights not summing to 1": {
        "aggregation": {"method": "topsis"},
        "weights": {
            "crossing_drive_min": 3, "crossing_access": 1, "labor_force": 2, "min_wage_daily": 1,
            "homicide_rate": 2, "cargo_theft_rate": 1, "advisory_level": 1, "route_risk": 1,
            "seaport_drive_min": 1, "seaport_risk": 4,
        },
    },
    "a reversed direction": {
        "value_functions": {"min_wage_daily": {"type": "linear", "direction": "benefit"}}
    },
}  # fmt: skip

SCRIPT = """
const S = require(process.argv[1]);
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = input.states.map((state) => {
    const r = S.scoreAll(input.model, state);
    const nan = (x) => (Number.isNaN(x) ? null : x);
    const contrib = r.contrib.map((row) => row.map(nan));
    return { score: r.score.map(nan), rank: r.rank.map(nan), contrib: contrib };
});
process.stdout.write(JSON.stringify(out));
"""


def _state(data: dict, sections: dict) -> dict:
    """The page's view for a scenario's sections (weights as the TOML gives them)."""
    crit = data["criteria"]
    weights = sections.get("weights")
    functions = sections.get("value_functions", {})
    return {
        "weights": [weights[c["name"]] if weights else c["weight"] for c in crit],
        "directions": [
            functions.get(c["name"], {}).get("direction")
            or ((c["vf"] or {}).get("direction") or c["direction"])
            for c in crit
        ],
        "method": sections.get("aggregation", {}).get("method", "weighted_sum"),
    }


@pytest.mark.skipif(NODE is None, reason="needs Node.js (`node` on PATH)")
def test_page_scores_equal_the_runs_of_other_scenarios():
    base = make_run(12)
    data = page_data(base)
    model = {
        "criteria": data["criteria"],
        "raw": data["sites"]["raw"],
        "eligible": data["sites"]["eligible"],
        "scored": data["sites"]["scored"],
        "floor": data["run"]["floor"],
    }
    states = [_state(data, sections) for sections in VARIANTS.values()]
    with as_file(files("siting.maps.interactive").joinpath("assets", "scoring.js")) as script:
        done = subprocess.run(
            [NODE, "-e", SCRIPT, str(script)],
            input=json.dumps({"model": model, "states": states}),
            capture_output=True, text=True, timeout=60, check=False,
            env={**os.environ, "NODE_OPTIONS": ""},
        )  # fmt: skip
    assert done.returncode == 0, done.stderr
    pages = json.loads(done.stdout)
    names = base.ranking["name"].tolist()
    for (label, sections), page in zip(VARIANTS.items(), pages, strict=True):
        other = run_variant(12, **sections).ranking.set_index("name").loc[names]
        expected = other["score"].to_numpy(dtype=float)
        got = np.array([np.nan if s is None else s for s in page["score"]])
        assert np.allclose(got, expected, rtol=0, atol=1e-9, equal_nan=True), label
        rank = np.array([np.nan if r is None else r for r in page["rank"]])
        assert np.array_equal(rank, other["rank"].to_numpy(dtype=float), equal_nan=True), label
        for j, crit in enumerate(base.criteria):
            got_j = np.array([np.nan if row[j] is None else row[j] for row in page["contrib"]])
            want_j = other[f"contrib_{crit.name}"].to_numpy(dtype=float)
            assert np.allclose(got_j, want_j, atol=1e-9, equal_nan=True), (label, crit.name)
        # the variant really changes the ranking's numbers (else the test proves nothing)
        assert not np.allclose(
            expected, base.ranking["score"].to_numpy(dtype=float), equal_nan=True
        )

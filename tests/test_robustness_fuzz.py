"""Fuzz the readers of user files: any bytes give a result or one ``siting: error:`` line.

Hypothesis draws candidate CSV/GeoJSON files and scenario TOML files, from raw bytes and from
near-valid text (real headers and keys with mangled values), and feeds them to ``siting run`` the
way a user would. The ranking itself is replaced by a stub: this test is about reading and
validation (every accepted input reaches the ranking; every refused one exits 2 with a message
and no traceback); the ranking of valid inputs is tested everywhere else. The examples are the
same on every run (the ``deterministic`` Hypothesis profile of ``tests/conftest.py``).
"""

from __future__ import annotations

import json
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from siting.cli import main

pytestmark = pytest.mark.slow

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class _Reached(Exception):
    """The input was accepted and reached the ranking."""


@pytest.fixture
def stub_ranking(monkeypatch):
    def reached(*_a, **_k):
        raise _Reached

    monkeypatch.setattr("siting.cli.run_scenario", reached)


def _outcome(args: list[str], capsys) -> str:
    """Run the CLI; return "accepted" or "refused" (asserting the refusal is well formed)."""
    capsys.readouterr()  # forget what earlier examples printed
    try:
        status = main(args)
    except _Reached:
        return "accepted"
    captured = capsys.readouterr()
    assert status == 2, (status, captured.err)
    lines = captured.err.strip().splitlines()
    errors = [i for i, line in enumerate(lines) if line.startswith("siting: error: ")]
    assert len(errors) == 1, captured.err
    before = lines[: errors[0]]  # notes on the input may come first
    assert all(line.startswith(("siting: note: ", "siting: warning: ")) for line in before)
    assert "Traceback" not in captured.err
    return "refused"


numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-(10**12), 10**12).map(str),
    st.sampled_from(["", " ", "-100.3", "25.6", "1e309", "nan", "inf", "0x10", "١٢", "--1"]),
)
names = st.text(alphabet=string.printable + "áéíóúñ\u200b\x00", max_size=12)
csv_text = st.builds(
    lambda header, rows: header + "\n" + "\n".join(",".join(r) for r in rows),
    st.sampled_from(["name,lon,lat", "NAME, Lon ,LAT", "name,lat", "lon,lat,name,rent", "", "a"]),
    st.lists(st.lists(st.one_of(names, numbers), min_size=0, max_size=5), max_size=4),
)
csv_bytes = st.one_of(st.binary(max_size=200), csv_text.map(lambda t: t.encode("utf-8")))

json_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False) | st.integers() | names,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(names, inner, max_size=3),
    max_leaves=8,
)
features = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["Feature", "feature", ""]),
        "geometry": st.one_of(
            json_values,
            st.fixed_dictionaries(
                {
                    "type": st.sampled_from(["Point", "LineString", "point"]),
                    "coordinates": st.one_of(json_values, st.lists(st.floats(), max_size=3)),
                }
            ),
        ),
        "properties": st.one_of(json_values, st.fixed_dictionaries({"name": json_values})),
    }
)
geojson_text = st.one_of(
    st.builds(
        lambda feats, crs: json.dumps(
            {"type": "FeatureCollection", "features": feats, **({"crs": crs} if crs else {})}
        ),
        st.lists(features, max_size=3),
        st.one_of(st.none(), json_values, st.just({"type": "name", "properties": {"name": "x"}})),
    ),
    json_values.map(json.dumps),
)
geojson_bytes = st.one_of(st.binary(max_size=200), geojson_text.map(lambda t: t.encode("utf-8")))

KEYS = [
    "[weights]\ncrossing_km = {v}\nlabor_pool = 1",
    "[weights]\nlabor_pool = {v}",
    "[weights]\nmethod = {v}",
    "[parameters]\ncommute_min = {v}",
    "[parameters]\nmin_trucks = {v}",
    "[network]\nsource = {v}",
    "[network]\naccess_speed_kph = {v}",
    "[sensitivity]\ndraws = {v}",
    "[aggregation]\nmethod = {v}",
    "[[constraints]]\ncriterion = {v}\nmax = 3",
    "[value_functions.labor_pool]\ntype = {v}",
    "[candidates]\nsource = {v}",
    "[crossing_waits]\nLaredo = {v}",
    "[crossing_waits]\nfile = {v}",
    "[output]\nfolder = {v}",
    "[output]\noffline_map = {v}",
    "[scenario]\nname = {v}",
    "[network]\nspeeds = {v}",
    '[network]\nsource = "download"\nplace = {v}',
    '[network]\nsource = "download"\nbbox = {v}',
    "[parameters]\nroute_risk_indicator = {v}",
    "[crossing_waits]\nlane = {v}",
    '[weights]\nmethod = "ahp"\n[ahp]\ncriteria = ["labor_pool", "crossing_km"]\nmatrix = {v}',
    '[weights]\nmethod = "roc"\norder = {v}',
    '[[constraints]]\ncriterion = "labor_pool"\nmin = {v}',
    '[value_functions.labor_pool]\ntype = "threshold"\nfull = {v}\nzero = 0',
    '[value_functions.advisory_level]\ntype = "categorical"\nmap = {v}',
    "[candidate_criteria.rent]\ndirection = {v}",
    "{v}",
]
toml_values = st.one_of(
    numbers,
    st.sampled_from(
        [
            *["inf", "-inf", "nan", "true", "[]", "{}", '"x"', '"bundled"', "'", '"""'],
            *['"\\u0000"', '["a"]', '[1, "x"]', "[[1, 2], [0.5, 1]]", "{a = 1}", '{"1" = 2}'],
            *["[inf]", '"1/0"'],
        ]
    ),
    names.map(json.dumps),
)
toml_text = st.builds(
    lambda parts: "\n\n".join(parts),
    st.lists(st.builds(lambda k, v: k.format(v=v), st.sampled_from(KEYS), toml_values), max_size=4),
)
toml_bytes = st.one_of(st.binary(max_size=200), toml_text.map(lambda t: t.encode("utf-8")))


@FUZZ
@given(data=csv_bytes)
def test_F01_any_candidates_csv_is_accepted_or_refused_cleanly(
    data, tmp_path, capsys, stub_ranking
):
    path = tmp_path / "sites.csv"
    path.write_bytes(data)
    _outcome(["run", "--candidates", str(path), "--out", str(tmp_path / "out")], capsys)
    assert path.read_bytes() == data  # never touched


@FUZZ
@given(data=geojson_bytes)
def test_F02_any_candidates_geojson_is_accepted_or_refused_cleanly(
    data, tmp_path, capsys, stub_ranking
):
    path = tmp_path / "sites.geojson"
    path.write_bytes(data)
    _outcome(["run", "--candidates", str(path), "--out", str(tmp_path / "out")], capsys)
    assert path.read_bytes() == data


@FUZZ
@given(data=toml_bytes)
def test_F03_any_scenario_file_is_accepted_or_refused_cleanly(data, tmp_path, capsys, stub_ranking):
    path = tmp_path / "scenario.toml"
    path.write_bytes(data)
    _outcome(["run", str(path), "--out", str(tmp_path / "out")], capsys)
    assert path.read_bytes() == data


def test_F04_the_fuzzers_reach_both_outcomes(tmp_path, capsys, stub_ranking):
    """The strategies are not vacuous: a valid file is accepted, a broken one refused."""
    good = tmp_path / "good.csv"
    good.write_text("name,lon,lat\nMonterrey,-100.3161,25.6714\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\xff\xfe\x00garbage")
    out = str(tmp_path / "out")
    assert _outcome(["run", "--candidates", str(good), "--out", out], capsys) == "accepted"
    assert _outcome(["run", "--candidates", str(bad), "--out", out], capsys) == "refused"

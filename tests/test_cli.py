"""The command line end to end, into a temporary folder."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from siting.cli import main

#: whole runs or the national road network: seconds each (`-m "not slow"` skips them)
pytestmark = pytest.mark.slow

OUTPUTS = ["ranking.csv", "sites.geojson", "map.html", "map.png", "map.pdf", "run.json"]


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory):
    """One `siting run --candidates sites.csv --out DIR` shared by the tests below."""
    from tests.conftest import SMALL_SITES

    folder = tmp_path_factory.mktemp("cli")
    csv = folder / "sites.csv"
    csv.write_text(
        "name,lon,lat\n" + "".join(f"{n},{x},{y}\n" for n, (x, y) in SMALL_SITES.items()),
        encoding="utf-8",
    )
    before = csv.read_bytes()
    out = folder / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "siting", "run", "--candidates", str(csv), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return proc, out, csv, before


def test_run_writes_every_output(cli_run):
    proc, out, csv, before = cli_run
    assert proc.returncode == 0, proc.stderr
    for name in OUTPUTS:
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
    assert not [p for p in out.iterdir() if p.name.startswith(".siting-staging")]
    assert csv.read_bytes() == before  # inputs are never touched


def test_ranking_csv_contract(cli_run):
    _, out, _, _ = cli_run
    df = pd.read_csv(out / "ranking.csv")
    assert len(df) == 8
    for col in ("rank", "name", "score", "state", "lon", "lat"):
        assert col in df.columns
    weights = json.loads((out / "run.json").read_text())["scenario"]["weights"]
    for crit in weights:
        assert crit in df.columns and f"contrib_{crit}" in df.columns
    assert (df[[f"contrib_{c}" for c in weights]].sum(axis=1) - df["score"]).abs().max() < 1e-3
    assert df["rank"].tolist() == sorted(df["rank"])
    # rank ranges over the scenario's weight draws, ordered as ranks are
    order = ["rank_best", "rank_p05", "rank_median", "rank_p95", "rank_worst"]
    for lo, hi in zip(order, order[1:], strict=False):
        assert (df[lo] <= df[hi]).all(), (lo, hi)
    assert ((df["rank_best"] <= df["rank"]) & (df["rank"] <= df["rank_worst"])).all()
    assert df["top_k_share"].between(0, 1).all()
    stability = json.loads((out / "run.json").read_text())["rank_stability"]
    assert stability["draws"] == 1000 and -1 <= stability["kendall_tau_mean"] <= 1


def test_prints_top_metros_table(cli_run):
    proc, out, _, _ = cli_run
    lines = proc.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.lstrip().startswith("Metro rank"))
    body = lines[header + 1 : header + 9]
    assert len(body) == 8  # the eight cities lie in eight metro areas
    assert any("Tijuana" in line for line in body)
    assert "road network (INEGI RNC 2018, truck speeds)" in proc.stdout
    assert "Truck h:mm" in lines[header] and "Best site" in lines[header]
    df = pd.read_csv(out / "ranking.csv")
    assert df["metro"].is_unique and df["metro_rank"].tolist() == df["rank"].tolist()
    assert "siting run --sites" in proc.stdout


def test_sites_option_prints_the_plain_site_list(tmp_path, candidates_csv, capsys):
    assert main(["run", "--candidates", str(candidates_csv), "--out", str(tmp_path), "--sites"]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.lstrip().startswith("Rank"))
    assert "Top 8 of 8 candidates" in lines[header - 1]
    assert len([line for line in lines[header + 1 : header + 9] if line.strip()]) == 8


def test_waits_offline_is_a_clear_error_and_writes_nothing(tmp_path, capsys, monkeypatch):
    from siting import waits
    from siting.layers import settings

    def offline(url, timeout):
        raise OSError("Temporary failure in name resolution")

    monkeypatch.setattr(waits, "_http_get", offline)
    monkeypatch.setattr(settings, "cache_folder", tmp_path / "cache")  # no earlier snapshot
    out = tmp_path / "waits.csv"
    assert main(["waits", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "could not reach the US CBP Border Wait Times feed" in err
    assert "[crossing_waits]" in err and "Traceback" not in err
    assert not out.exists()
    assert not list((tmp_path / "cache").rglob("*.json"))


def test_run_record_is_auditable(cli_run):
    _, out, csv, _ = cli_run
    rec = json.loads((out / "run.json").read_text())
    assert rec["siting_version"]
    assert rec["scenario"]["name"] == "default"
    assert rec["scenario"]["candidates"]["source"] == str(csv.resolve())
    assert len(rec["inputs"]["candidates"]["sha256"]) == 64
    assert rec["data_sources"]["border_crossings"]["date"].startswith("calendar year 2024")
    assert "geopandas" in rec["software"]


def test_sites_geojson_matches_ranking(cli_run):
    import geopandas as gpd

    _, out, _, _ = cli_run
    gdf = gpd.read_file(out / "sites.geojson")
    assert len(gdf) == 8 and gdf.crs.to_epsg() == 4326
    assert set(gdf["name"]) == set(pd.read_csv(out / "ranking.csv")["name"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "/nonexistent/plan.toml"], "does not exist"),
        (
            ["run", "--candidates", "/nonexistent/sites.csv"],
            "candidates file '/nonexistent/sites.csv' does not exist",
        ),
    ],
)
def test_user_mistakes_exit_2_without_traceback(args, message, capsys, tmp_path):
    code = main([*args, "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert err.startswith("siting: error:")
    assert not (tmp_path / "o").exists()


def test_bad_scenario_reports_key(tmp_path, capsys):
    path = tmp_path / "s.toml"
    path.write_text("[weights]\ncrossing_km = -1\n")
    assert main(["run", str(path), "--out", str(tmp_path / "o")]) == 2
    assert "[weights] crossing_km is -1" in capsys.readouterr().err


def test_failed_write_leaves_previous_outputs(tmp_path, small_candidates, monkeypatch):
    """A failure while writing maps must not leave a half-written set."""
    import siting.maps.static as static
    from siting.outputs import write_outputs
    from siting.pipeline import run_scenario
    from siting.scenario import load_scenario

    result = run_scenario(load_scenario(), candidates=small_candidates, rank_ranges=False)
    out = tmp_path / "out"
    out.mkdir()
    (out / "ranking.csv").write_text("previous run\n")

    def boom(*_a, **_k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(static, "static_map", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        write_outputs(result, out, force=True)  # force: the old ranking.csv is not siting's
    assert (out / "ranking.csv").read_text() == "previous run\n"
    assert sorted(p.name for p in out.iterdir()) == ["ranking.csv"]


def test_second_run_reuses_the_routing_cache(tmp_path, candidates_csv):
    """The first run builds the routing structures and says so; the second reuses them."""
    import os

    env = {**os.environ, "SITING_CACHE_DIR": str(tmp_path / "cache")}
    said = []
    for k in range(2):
        proc = subprocess.run(
            [sys.executable, "-m", "siting", "run", "--candidates", str(candidates_csv),
             "--out", str(tmp_path / f"out{k}"), "--lang", ("en", "es")[k]],
            capture_output=True, text=True, timeout=600, check=False, env=env,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        said.append(
            next(line for line in proc.stdout.splitlines() if line.startswith("Road network"))
        )
        rec = json.loads((tmp_path / f"out{k}" / "run.json").read_text())
        assert rec["road_network"]["from_cache"] is bool(k)
        # --lang: the language map.html opens in
        page = (tmp_path / f"out{k}" / "map.html").read_text(encoding="utf-8")
        assert page.startswith(f'<!DOCTYPE html>\n<html lang="{("en", "es")[k]}">')
    assert "built routing structures" in said[0]
    assert "reused cached routing structures" in said[1]
    assert list((tmp_path / "cache" / "routing").glob("routing_*.npz"))
    a, b = (pd.read_csv(tmp_path / f"out{k}" / "ranking.csv") for k in range(2))
    pd.testing.assert_frame_equal(a, b)


def test_ranking_csv_keeps_whole_populations(cli_run):
    """Populations of millions are written exactly, not rounded to 6 significant digits."""
    _, out, _, _ = cli_run
    df = pd.read_csv(out / "ranking.csv")
    assert (df["labor_pool"] == df["labor_pool"].round()).all()
    assert (df["labor_pool"] % 10 != 0).any()  # 6 significant digits would end millions in 0


def test_waits_writes_a_labelled_snapshot_that_a_scenario_can_use(tmp_path, capsys, monkeypatch):
    from pathlib import Path

    from siting import waits
    from siting.layers import settings
    from siting.scenario import parse_scenario

    fixture = Path(__file__).parent / "data" / "cbp_bwt_fixture.json"  # a test fixture, not data
    monkeypatch.setattr(waits, "_http_get", lambda url, timeout: fixture.read_bytes())
    monkeypatch.setattr(settings, "cache_folder", tmp_path / "cache")
    out = tmp_path / "waits.csv"
    assert main(["waits", "--out", str(out), "--max-age", "0"]) == 0
    printed = capsys.readouterr().out
    assert "snapshot" in printed and "not a typical wait" in printed
    assert '[crossing_waits] file = "waits.csv"' in printed
    table = pd.read_csv(out, dtype={"port_code": str})
    assert table.set_index("port_code").loc["2304", "standard_min"] == 35  # min over 2 bridges
    scenario = parse_scenario(
        {"weights": {"crossing_drive_min": 1}, "crossing_waits": {"file": "waits.csv"}},
        path=str(tmp_path / "s.toml"),
    )
    assert scenario.params.crossing_waits["Laredo"] == 35.0
    assert "CBP snapshot" in scenario.params.crossing_waits_source

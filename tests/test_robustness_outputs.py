"""Faults around the output folder, signals, limits and spreadsheet-unsafe text.

Each test is one case of the fault catalogue (``docs/robustness.md``): O = output folder and
signals, X = CSV injection, K = size limits and rank-range draws. Runs use a straight-line
scenario on a few real cities so that each takes about a second.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import siting
from siting import outputs, sensitivity
from siting.cli import main
from tests.conftest import SMALL_SITES

QUICK = """\
[scenario]
name = "quick"
[weights]
crossing_km = 2
labor_pool = 1
homicide_rate = 1
[network]
source = "straight-line"
[sensitivity]
draws = 100
"""


@pytest.fixture
def quick(tmp_path: Path) -> tuple[Path, Path]:
    """A straight-line scenario and a CSV of the eight test cities."""
    scenario = tmp_path / "quick.toml"
    scenario.write_text(QUICK, encoding="utf-8")
    csv = tmp_path / "sites.csv"
    rows = ["name,lon,lat"] + [f"{n},{x},{y}" for n, (x, y) in SMALL_SITES.items()]
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return scenario, csv


def _run(scenario: Path, csv: Path, out: Path, *extra: str) -> int:
    return main(["run", str(scenario), "--candidates", str(csv), "--out", str(out), "-q", *extra])


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def no_compute(monkeypatch):
    """Make any ranking fail loudly: for checks that must happen before the computation."""

    def refuse(*_a, **_k):
        raise AssertionError("computed although the output folder was refused")

    monkeypatch.setattr("siting.cli.run_scenario", refuse)


# -- O: the output folder ----------------------------------------------------------------------


def test_O01_out_is_a_file_is_refused_before_computing(quick, tmp_path, capsys, no_compute):
    scenario, csv = quick
    out = tmp_path / "out.txt"
    out.write_text("mine\n")
    assert _run(scenario, csv, out) == 2
    err = capsys.readouterr().err
    assert "siting: error:" in err and "is a file" in err and "Traceback" not in err
    assert out.read_text() == "mine\n"


def test_O02_unwritable_out_is_refused_before_computing(quick, tmp_path, capsys, no_compute):
    scenario, csv = quick
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder is needed\n")
    assert _run(scenario, csv, blocker / "sub" / "out") == 2
    err = capsys.readouterr().err
    assert "cannot write into output folder" in err and "choose another --out" in err
    assert blocker.read_text() == "a file where a folder is needed\n"


def test_O03_the_check_leaves_no_folder_behind(tmp_path):
    """Checking a folder that does not exist yet creates it to probe, then removes it again."""
    out = tmp_path / "new" / "deeper"
    outputs.check_output_folder(out, outputs.OUTPUTS)
    assert not (tmp_path / "new").exists()


def test_O04_candidates_inside_out_would_be_overwritten_so_refused(quick, tmp_path, capsys):
    scenario, _ = quick
    out = tmp_path / "out"
    out.mkdir()
    own = out / "ranking.csv"  # the user keeps their candidates under the output's name
    rows = ["name,lon,lat"] + [f"{n},{x},{y}" for n, (x, y) in SMALL_SITES.items()]
    own.write_text("\n".join(rows) + "\n", encoding="utf-8")
    before = own.read_bytes()
    assert _run(scenario, own, out, "--force") == 2  # not even with --force
    err = capsys.readouterr().err
    assert "would replace your input candidates" in err
    assert own.read_bytes() == before


def test_O05_scenario_file_inside_out_is_protected(tmp_path, capsys, quick):
    _, csv = quick
    out = tmp_path / "out"
    out.mkdir()
    scenario = out / "run.json"  # odd, but a TOML file may have any name
    scenario.write_text(QUICK, encoding="utf-8")
    assert _run(scenario, csv, out) == 2
    assert "would replace your input scenario" in capsys.readouterr().err
    assert scenario.read_text(encoding="utf-8") == QUICK


def test_O06_a_users_own_map_png_is_not_replaced_without_force(quick, tmp_path, capsys):
    scenario, csv = quick
    out = tmp_path / "out"
    out.mkdir()
    (out / "map.png").write_bytes(b"my own picture")
    assert _run(scenario, csv, out) == 2
    err = capsys.readouterr().err
    assert "map.png (not written by siting)" in err and "--force" in err
    assert _snapshot(out) == {"map.png": b"my own picture"}
    assert _run(scenario, csv, out, "--force") == 0
    assert (out / "map.png").read_bytes() != b"my own picture"


def test_O07_siting_replaces_its_own_outputs(quick, tmp_path):
    scenario, csv = quick
    out = tmp_path / "out"
    assert _run(scenario, csv, out) == 0
    assert _run(scenario, csv, out) == 0  # no --force needed for siting's own files
    assert sorted(_snapshot(out)) == sorted(outputs.OUTPUTS)


def test_O08_an_output_changed_since_siting_wrote_it_needs_force(quick, tmp_path, capsys):
    scenario, csv = quick
    out = tmp_path / "out"
    assert _run(scenario, csv, out) == 0
    edited = out / "ranking.csv"
    edited.write_text(edited.read_text(encoding="utf-8") + "my note\n", encoding="utf-8")
    assert _run(scenario, csv, out) == 2
    assert "ranking.csv (changed since siting wrote it)" in capsys.readouterr().err
    assert edited.read_text(encoding="utf-8").endswith("my note\n")


def test_O09_a_folder_where_an_output_goes_is_refused(quick, tmp_path, capsys, no_compute):
    scenario, csv = quick
    out = tmp_path / "out"
    (out / "map.html").mkdir(parents=True)
    assert _run(scenario, csv, out, "--force") == 2
    assert "is a folder where siting writes a file" in capsys.readouterr().err


def test_O10_run_record_lists_the_hash_of_every_output(quick, tmp_path):
    scenario, csv = quick
    out = tmp_path / "out"
    assert _run(scenario, csv, out) == 0
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert sorted(record["files"]) == sorted(outputs.OUTPUTS[:-1])
    for name, info in record["files"].items():
        assert info["sha256"] == outputs._sha256(out / name)
        assert info["bytes"] == (out / name).stat().st_size


def test_O11_disk_full_while_writing_is_a_user_error_and_keeps_old_outputs(
    quick, tmp_path, capsys, monkeypatch
):
    scenario, csv = quick
    out = tmp_path / "out"
    assert _run(scenario, csv, out) == 0
    before = _snapshot(out)

    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("siting.maps.static.save_static", full)
    assert _run(scenario, csv, out) == 2
    err = capsys.readouterr().err
    assert "siting: error: could not write 'map.png'" in err and "No space left" in err
    assert "Traceback" not in err
    assert _snapshot(out) == before
    assert not list(out.glob(".siting-staging-*"))


def test_O12_a_programming_error_while_writing_is_not_disguised(tmp_path):
    """Only lack of room or rights becomes a user error; other failures propagate as they are."""

    def broken(path):
        raise OSError(errno.EIO, "I/O error")

    with pytest.raises(OSError, match="I/O error") as info:
        outputs.write_staged(tmp_path / "o", {"a.txt": broken})
    assert not isinstance(info.value, siting.OutputError)
    assert not list((tmp_path / "o").glob(".siting-staging-*"))


def test_O13_staging_left_by_a_killed_run_is_removed_by_the_next(tmp_path):
    """SIGKILL in the middle of writing leaves a staging folder; the next write removes it."""
    out = tmp_path / "out"
    code = (
        "import os, signal, sys\n"
        "from siting.outputs import write_staged\n"
        "def die(path):\n"
        "    path.write_text('half')\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "write_staged(sys.argv[1], {'a.txt': die})\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(out)], check=False)
    assert proc.returncode == -signal.SIGKILL
    debris = list(out.glob(".siting-staging-*"))
    assert len(debris) == 1 and (debris[0] / "a.txt").read_text() == "half"
    outputs.write_staged(out, {"b.txt": lambda p: p.write_text("ok")})
    assert sorted(p.name for p in out.iterdir()) == ["b.txt"]


def test_O14_staging_of_a_live_run_is_kept(tmp_path):
    out = tmp_path / "out"
    live = out / f".siting-staging-{os.getppid()}-abc"  # our parent: alive while we run
    live.mkdir(parents=True)
    old = out / ".siting-staging-k2j3h4"  # an older siting's name, without a pid
    old.mkdir()
    os.utime(old, (1, 1))  # far older than this process
    removed = outputs.remove_stale_staging(out)
    assert removed == [old]
    assert live.is_dir()


def test_O15_sigterm_is_handled_like_ctrl_c(quick, tmp_path, capsys, monkeypatch):
    scenario, csv = quick
    out = tmp_path / "out"
    assert _run(scenario, csv, out) == 0
    before = _snapshot(out)

    def terminated(*_a, **_k):
        os.kill(os.getpid(), signal.SIGTERM)  # delivered at once to the main thread

    monkeypatch.setattr("siting.maps.static.save_static", terminated)
    assert _run(scenario, csv, out) == 143
    assert "siting: terminated (SIGTERM); no outputs were changed" in capsys.readouterr().err
    assert _snapshot(out) == before
    assert not list(out.glob(".siting-staging-*"))
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # restored after main()


def test_O16_ctrl_c_while_writing_leaves_old_outputs(quick, tmp_path, capsys, monkeypatch):
    scenario, csv = quick
    out = tmp_path / "out"
    assert _run(scenario, csv, out) == 0
    before = _snapshot(out)

    def interrupted(*_a, **_k):
        raise KeyboardInterrupt

    monkeypatch.setattr("siting.maps.static.save_static", interrupted)
    assert _run(scenario, csv, out) == 130
    assert "interrupted" in capsys.readouterr().err
    assert _snapshot(out) == before


def test_O17_result_write_from_python_refuses_foreign_files(quick, tmp_path):
    scenario, csv = quick
    result = siting.run(scenario, csv, rank_ranges=False)
    out = tmp_path / "out"
    out.mkdir()
    (out / "ranking.csv").write_text("someone else's\n")
    with pytest.raises(siting.OutputError, match=r"ranking.csv \(not written by siting\)"):
        result.write(out)
    assert (out / "ranking.csv").read_text() == "someone else's\n"
    assert "ranking.csv" in result.write(out, force=True)


def test_O18_sensitivity_refuses_a_foreign_file_of_its_own_name(quick, tmp_path, capsys):
    scenario, csv = quick
    out = tmp_path / "out"
    out.mkdir()
    (out / "sensitivity.csv").write_text("x\n")
    args = ["sensitivity", str(scenario), "--candidates", str(csv), "--out", str(out), "-q"]
    assert main(args) == 2
    assert "sensitivity.csv (not written by siting)" in capsys.readouterr().err


def test_O19_waits_out_checks_come_before_the_download(tmp_path, capsys, monkeypatch):
    def no_network(*_a, **_k):
        raise AssertionError("fetched although --out was refused")

    monkeypatch.setattr("siting.waits.fetch_cbp_waits", no_network)
    assert main(["waits", "--out", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
    mine = tmp_path / "notes.csv"
    mine.write_text("my,own\n")
    assert main(["waits", "--out", str(mine)]) == 2
    assert "is not a waits CSV written by siting" in capsys.readouterr().err
    assert mine.read_text() == "my,own\n"


def test_O20_library_warnings_are_one_siting_warning_line(quick, tmp_path, capsys, monkeypatch):
    scenario, csv = quick
    real = siting.pipeline.run_scenario

    def warn_then_run(*a, **k):
        import logging

        logging.getLogger("siting.routing.cache").warning("could not write the cache: test")
        return real(*a, **k)

    monkeypatch.setattr("siting.cli.run_scenario", warn_then_run)
    assert _run(scenario, csv, tmp_path / "out") == 0
    err = capsys.readouterr().err
    assert "siting: warning: could not write the cache: test" in err.splitlines()


# -- X: spreadsheet formulas in text cells ---------------------------------------------------

HOSTILE = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"]


def test_X01_formula_like_names_are_inert_in_ranking_csv(quick, tmp_path):
    scenario, _ = quick
    csv = tmp_path / "hostile.csv"
    cities = list(SMALL_SITES.items())
    rows = ["name,lon,lat"] + [
        f'"{name.replace(chr(34), chr(34) * 2)}",{x},{y}'
        for name, (_, (x, y)) in zip(HOSTILE, cities, strict=False)
    ]
    rows += [f"{n},{x},{y}" for n, (x, y) in cities[len(HOSTILE) :]]
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert _run(scenario, csv, out) == 0
    table = pd.read_csv(out / "ranking.csv", dtype={"name": str})
    assert set(HOSTILE) <= {n[1:] for n in table["name"] if n.startswith("'")}
    assert not table["name"].str.match(r"^[=+\-@]").any()
    assert (table["lon"] < 0).all()  # numbers stay numbers
    # the GeoJSON is data, not a spreadsheet: names stay as given there
    geo = json.loads((out / "sites.geojson").read_text(encoding="utf-8"))
    assert set(HOSTILE) <= {f["properties"]["name"] for f in geo["features"]}


def test_X02_sensitivity_and_compare_csv_escape_formulas(quick, tmp_path):
    from siting._csv import escape_formulas

    table = pd.DataFrame({"name": [*HOSTILE, "Saltillo"], "rank": [1, 2, 3, 4, 5]})
    escaped = escape_formulas(table)
    assert escaped["name"].tolist() == ["'" + h for h in HOSTILE] + ["Saltillo"]
    assert escaped["rank"].tolist() == [1, 2, 3, 4, 5]
    wide = pd.DataFrame({"criterion": ["a"], "=cmd()": [1.0]})  # compare.csv: names as headers
    assert list(escape_formulas(wide).columns) == ["criterion", "'=cmd()"]
    from siting.waits import write_waits_csv  # port names come from a web feed

    feed = pd.DataFrame(
        {"port_code": ["2304"], "port_name": ["=cmd()"], "standard_min": [-5.0], "fast_min": [1.0]}
    )
    write_waits_csv(feed, tmp_path / "waits.csv")
    row = (tmp_path / "waits.csv").read_text(encoding="utf-8").splitlines()[1]
    assert row.startswith("2304,'=cmd(),-5,1,")


# -- K: size limits and rank-range draws -------------------------------------------------------


def test_K01_more_candidates_than_the_maps_take_points_to_no_maps(
    quick, tmp_path, capsys, monkeypatch, no_compute
):
    scenario, csv = quick
    monkeypatch.setattr("siting.pipeline.MAX_CANDIDATES", 5)
    assert _run(scenario, csv, tmp_path / "out") == 2
    err = capsys.readouterr().err
    assert "8 candidates, but the maps take at most 5" in err and "--no-maps" in err
    assert not (tmp_path / "out").exists()


def test_K05_no_maps_ranks_past_the_map_limit(quick, tmp_path, monkeypatch):
    scenario, csv = quick
    monkeypatch.setattr("siting.pipeline.MAX_CANDIDATES", 5)
    out = tmp_path / "out"
    assert _run(scenario, csv, out, "--no-maps") == 0
    assert sorted(_snapshot(out)) == sorted(outputs.TABLE_OUTPUTS)
    assert len(pd.read_csv(out / "ranking.csv")) == 8
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert record["outputs"] == ["ranking.csv", "sites.geojson"]
    result = siting.run(scenario, csv, rank_ranges=False)  # the Python API draws no map either
    with pytest.raises(siting.InputError, match="maps take at most 5"):
        result.explore()
    with pytest.raises(siting.InputError, match="maps take at most 5"):
        result.write(tmp_path / "api")
    assert sorted(result.write(tmp_path / "api", maps=False)) == sorted(outputs.TABLE_OUTPUTS)


def test_K06_more_candidates_than_siting_ranks_is_a_clear_error(
    quick, tmp_path, capsys, monkeypatch, no_compute
):
    scenario, csv = quick
    monkeypatch.setattr("siting.pipeline.MAX_RANKED", 5)
    assert _run(scenario, csv, tmp_path / "out", "--no-maps") == 2
    err = capsys.readouterr().err
    assert "8 candidates, but siting ranks at most 5" in err and "split" in err
    with pytest.raises(siting.InputError, match="ranks at most 5"):
        siting.run(scenario, csv)


def test_K02_rank_ranges_in_chunks_equal_the_whole_matrix(monkeypatch):
    rng = np.random.default_rng(3)
    values = rng.random((37, 4))
    draws = sensitivity.weight_draws([0.4, 0.3, 0.2, 0.1], draws=23, concentration=20, seed=5)
    from siting.aggregate import score_matrix

    whole = sensitivity._ranks(score_matrix(values, draws, "weighted_sum"))
    base = sensitivity._ranks(score_matrix(values, draws[:1], "weighted_sum"))[:, 0]
    monkeypatch.setattr(sensitivity, "DRAW_CHUNK", 4)
    monkeypatch.setattr(sensitivity, "SITE_CHUNK", 5)
    ranks, taus, _ = sensitivity._draw_ranks(values, draws, "weighted_sum", 0.0, base)
    assert np.array_equal(ranks, whole)
    low, median, high = sensitivity._rank_percentiles(ranks)
    assert np.array_equal(low, np.percentile(whole, 5, axis=1, method="lower"))
    assert np.array_equal(median, np.median(whole, axis=1))
    assert np.array_equal(high, np.percentile(whole, 95, axis=1, method="higher"))
    assert np.array_equal(sensitivity._share_at_most(ranks, 3), (whole <= 3).mean(axis=1))
    assert taus[0] == pytest.approx(1.0)


def test_K03_ranks_are_kept_in_two_bytes_below_65536_sites():
    values = np.random.default_rng(0).random((50, 3))
    draws = sensitivity.weight_draws([0.5, 0.3, 0.2], draws=10, concentration=50, seed=1)
    base = np.arange(1, 51)
    ranks, _, _ = sensitivity._draw_ranks(values, draws, "weighted_sum", 0.0, base)
    assert ranks.dtype == np.uint16 and ranks.nbytes == 2 * 50 * 10
    assert sensitivity.rank_bytes(70_000) == 4


def test_K04_one_draw_is_noted_as_too_few(quick, tmp_path, capsys):
    scenario, csv = quick
    out = tmp_path / "out"
    args = ["sensitivity", str(scenario), "--candidates", str(csv), "--out", str(out), "-q"]
    assert main([*args, "--draws", "1"]) == 0
    err = capsys.readouterr().err
    assert "siting: note:" in err and "too few" in err
    record = json.loads((out / "sensitivity.json").read_text(encoding="utf-8"))
    assert any("too few" in note for note in record["notes"])

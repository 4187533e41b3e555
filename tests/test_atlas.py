"""``siting atlas``: choosing states, the run id, options and the command line's errors."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re

import geopandas as gpd
import pytest

from siting import cli
from siting._errors import InputError, OutputError
from siting.atlas import (
    ATLAS_PDF,
    RANKING_CSV,
    RANKING_XLSX,
    RUN_RECORD,
    SITES_GPKG,
    atlas_files,
    check_options,
    resolve_states,
    run_id,
    sheet_file,
    write_atlas,
)
from tests._maps_fixtures import make_run, run_variant


@pytest.mark.parametrize(
    ("selectors", "codes"),
    [
        (["19"], ["19"]),
        (["9"], ["09"]),
        (["Nuevo León"], ["19"]),
        (["nuevo leon"], ["19"]),
        (["NUEVO-LEÓN"], ["19"]),
        (["NL", "bc"], ["02", "19"]),
        (["Coahuila"], ["05"]),  # short name
        (["Coahuila de Zaragoza"], ["05"]),  # official name
        (["CDMX", "Ciudad de Mexico", "09"], ["09"]),  # repeats collapse
        (["Queretaro", "San Luis Potosi"], ["22", "24"]),
    ],
)
def test_states_are_named_by_code_name_or_abbreviation(selectors, codes):
    assert resolve_states(selectors) == codes


def test_no_selection_means_all_32_states_in_code_order():
    codes = resolve_states(None)
    assert codes == [f"{i:02d}" for i in range(1, 33)]
    assert resolve_states([]) == codes


def test_unknown_states_are_all_listed_with_a_suggestion():
    with pytest.raises(InputError) as err:
        resolve_states(["Nuevo Leom", "19", "Atlantis", "33"])
    msg = str(err.value)
    assert "'Nuevo Leom' (did you mean 'Nuevo León'?)" in msg
    assert "'Atlantis'" in msg and "'33'" in msg
    assert "'19'" not in msg
    assert "abbreviation" in msg  # how to fix it


def test_sheet_files_are_stable_ascii_names():
    assert sheet_file("19") == "19-nuevo-leon.pdf"
    assert sheet_file("09", "svg") == "09-ciudad-de-mexico.svg"
    assert sheet_file("30", "png") == "30-veracruz.png"
    names = [sheet_file(c) for c in resolve_states(None)]
    assert len(set(names)) == 32
    assert all(n.isascii() and " " not in n for n in names)


def test_atlas_files_add_the_atlas_pdf_only_for_several_states():
    assert atlas_files(["19"]) == [
        "19-nuevo-leon.pdf",
        RANKING_XLSX,
        RANKING_CSV,
        SITES_GPKG,
        RUN_RECORD,
    ]
    both = atlas_files(["02", "19"], "png")
    assert both[:3] == ["02-baja-california.png", "19-nuevo-leon.png", ATLAS_PDF]
    assert both[-1] == RUN_RECORD


def test_options_are_checked_together():
    check_options("es", "pdf", 300, "letter", "landscape")
    with pytest.raises(InputError) as err:
        check_options("fr", "tiff", 10, "legal", "sideways")
    msg = str(err.value)
    for bad in ("'fr'", "'tiff'", "10", "'legal'", "'sideways'"):
        assert bad in msg


@pytest.mark.slow
def test_run_id_is_reproducible_and_changes_with_the_run():
    first = run_id(make_run(12))
    assert len(first) == 12 and int(first, 16) >= 0
    again = run_variant(12)  # a separate run of the same scenario and sites
    assert run_id(again) == first
    other = run_variant(12, weights={"crossing_drive_min": 1, "labor_force": 3})
    assert run_id(other) != first
    # the same scenario read from another folder (another machine, another clone): same id
    moved = dataclasses.replace(
        again, scenario=dataclasses.replace(again.scenario, path="/elsewhere/default.toml")
    )
    assert run_id(moved) == first


def test_cli_refuses_an_unknown_state_before_any_work(capsys):
    assert cli.main(["atlas", "--state", "Nuevo Leom", "--out", "unused"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("siting: error: --state names no Mexican state")
    assert "Traceback" not in err


def test_cli_says_to_put_the_scenario_before_the_states(capsys, tmp_path):
    assert cli.main(["atlas", "--state", "NL", "my.toml", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "put SCENARIO before --state" in err
    assert list(tmp_path.iterdir()) == []


def test_cli_refuses_state_and_all_states_together(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["atlas", "--state", "NL", "--all-states"])
    assert exit_.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_cli_refuses_a_resolution_out_of_range_before_scoring(capsys, tmp_path):
    assert cli.main(["atlas", "--state", "NL", "--dpi", "5000", "--out", str(tmp_path)]) == 2
    out, err = capsys.readouterr()
    assert "`dpi` must be an integer from 50 to 1200" in err
    assert "Scoring" not in out


# --- writing the atlas (a real run of a dozen parks; two states) ---------------------------------

#: Querétaro (hostile names) and Tamaulipas (the run's four best parks).
TWO_STATES = ["22", "28"]


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The atlas of two states of ``make_run(12)``, in English PNG at a low resolution."""
    out = tmp_path_factory.mktemp("atlas")
    result = make_run(12)
    steps = []
    pages = []

    def progress(iterable, total, desc):
        pages.append((total, desc))
        return iterable

    paths = write_atlas(
        result,
        out,
        states=["Querétaro", "TAM"],
        lang="en",
        fmt="png",
        dpi=60,
        author="Secretaría de Economía",
        day=dt.date(2026, 12, 1),
        argv=["siting", "atlas"],
        progress=progress,
        on_step=steps.append,
    )
    return result, out, paths, steps, pages


@pytest.mark.slow
def test_write_atlas_writes_every_file_and_only_them(written):
    _, out, paths, steps, pages = written
    expected = atlas_files(TWO_STATES, "png")
    assert list(paths) == expected
    assert sorted(p.name for p in out.iterdir()) == sorted(expected)  # no staging folder left
    assert steps[0] == "22-queretaro.png" and RUN_RECORD in steps
    assert pages == [(2, "State sheets")]  # the sheets' progress, in the atlas's language
    for name in expected[:2]:
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pdf = (out / ATLAS_PDF).read_bytes()
    assert pdf[:5] == b"%PDF-"
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 3  # the cover and two states


@pytest.mark.slow
def test_run_record_ties_the_files_to_the_run(written):
    result, out, _, _, _ = written
    record = json.loads((out / RUN_RECORD).read_text(encoding="utf-8"))
    atlas = record["atlas"]
    assert atlas["run_id"] == run_id(result)
    assert atlas["states"] == TWO_STATES
    assert atlas["lang"] == "en" and atlas["format"] == "png" and atlas["dpi"] == 60
    assert atlas["author"] == "Secretaría de Economía" and atlas["date"] == "2026-12-01"
    assert atlas["municipal_surface"]["municipalities"] == 2475
    assert atlas["municipal_surface"]["reach_limit_min"] == 45.0
    assert record["command"] == ["siting", "atlas"]
    assert record["data_sources"] == result.sources
    for name in atlas_files(TWO_STATES, "png")[:-1]:
        digest = hashlib.sha256((out / name).read_bytes()).hexdigest()
        assert record["files"][name]["sha256"] == digest


@pytest.mark.slow
def test_atlas_tables_hold_the_national_scores_of_the_chosen_states(written):
    import openpyxl
    import pyogrio

    result, out, _, _, _ = written
    book = openpyxl.load_workbook(out / RANKING_XLSX)
    assert book.sheetnames == ["About", "Querétaro", "Tamaulipas"]
    sites = gpd.read_file(out / SITES_GPKG, layer="sites", engine="pyogrio")
    national = result.ranking.set_index("name")["score"]
    assert set(sites["CVE_ENT"]) == set(TWO_STATES)
    for name, score in zip(sites["name"], sites["score"], strict=True):
        assert score == pytest.approx(national[name])  # never rescaled within a state
    layers_ = dict(pyogrio.list_layers(out / SITES_GPKG))
    assert set(layers_) == {"sites", "municipal_surface"}
    surface = gpd.read_file(out / SITES_GPKG, layer="municipal_surface", engine="pyogrio")
    assert set(surface["CVE_ENT"]) == set(TWO_STATES)
    csv = (out / RANKING_CSV).read_bytes()
    assert csv.startswith(b"\xef\xbb\xbf") and "Querétaro".encode() in csv


@pytest.mark.slow
def test_a_second_atlas_replaces_its_own_files_and_keeps_others(written, tmp_path):
    result = written[0]
    mine = tmp_path / "again"
    write_atlas(result, mine, states=["22"], fmt="svg", dpi=50)
    (mine / "notes.txt").write_text("mine", encoding="utf-8")
    before = (mine / "22-queretaro.svg").read_bytes()
    write_atlas(result, mine, states=["22"], fmt="svg", dpi=50, lang="en")  # no force needed
    assert (mine / "22-queretaro.svg").read_bytes() != before  # English now
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "mine"
    (mine / RANKING_CSV).write_text("edited by hand", encoding="utf-8")
    with pytest.raises(OutputError, match="changed since siting wrote it"):
        write_atlas(result, mine, states=["22"], fmt="svg", dpi=50)


@pytest.mark.slow
def test_a_failing_sheet_leaves_the_folder_as_it_was(tmp_path, monkeypatch):
    from siting.maps import atlas as sheets

    result = make_run(12)
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("x", encoding="utf-8")
    drawn = []
    real = sheets.state_map

    def fails_on_the_second(*args, **kwargs):
        drawn.append(args[1])
        if len(drawn) == 2:
            raise RuntimeError("disk on fire")
        return real(*args, **kwargs)

    monkeypatch.setattr(sheets, "state_map", fails_on_the_second)
    with pytest.raises(RuntimeError, match="disk on fire"):
        write_atlas(result, out, states=TWO_STATES, fmt="png", dpi=50)
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


@pytest.mark.slow
def test_cli_writes_a_spanish_atlas_of_one_state(capsys, tmp_path):
    out = tmp_path / "tlax"
    code = cli.main(
        ["atlas", "--state", "Tlaxcala", "--format", "png", "--dpi", "50", "--out", str(out)]
    )
    stdout = capsys.readouterr().out
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(atlas_files(["29"], "png"))
    assert "Mapas de 1 estado(s): Tlaxcala." in stdout
    assert "Mejor sitio de cada estado" in stdout
    assert "Tlaxcala: Tlaxcala, TLAX (seat)" in stdout  # the state's best site, national score
    record = json.loads((out / RUN_RECORD).read_text(encoding="utf-8"))
    assert f"(corrida {record['atlas']['run_id']})" in stdout
    assert record["atlas"]["lang"] == "es"

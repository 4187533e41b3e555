"""tools/compare_outputs.py: what it treats as the same run, and what as a change."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "tools" / "compare_outputs.py"
_spec = importlib.util.spec_from_file_location("compare_outputs", SCRIPT)
compare_outputs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compare_outputs)

A = "a" * 32
B = "b" * 32


def _folder(path: Path, html: str, record: dict, csv: str = "rank,name\n1,x\n") -> Path:
    path.mkdir()
    for name in compare_outputs.BYTES:
        (path / name).write_text(csv if name == "ranking.csv" else name)
    (path / "map.html").write_text(html)
    (path / "run.json").write_text(json.dumps(record))
    return path


def test_folium_ids_timestamps_and_install_paths_do_not_count(tmp_path):
    def record(when: str, root: str, seconds: float) -> dict:
        return {
            "created_utc": when,
            "command": ["siting", "--out", root],
            "scenario": {"path": f"/{root}/siting/data/default.toml"},
            "road_network": {"seconds": seconds, "nodes": 5},
        }

    page = "var map_{0} = L.map(); geo_json_{0}_styler(map_{0});"
    before = _folder(tmp_path / "before", page.format(A), record("1", "x", 1.0))
    after = _folder(tmp_path / "after", page.format(B), record("2", "y", 9.0))
    assert compare_outputs.compare(before, after) == []


def test_a_changed_result_is_reported(tmp_path):
    record = {"scenario": {"path": "s.toml"}, "road_network": {"nodes": 5}}
    before = _folder(tmp_path / "before", f"x_{A}\ny\n", record)
    after = _folder(
        tmp_path / "after", f"x_{B}\nz\n", {**record, "road_network": {"nodes": 6}}, "rank\n2\n"
    )
    problems = compare_outputs.compare(before, after)
    assert "ranking.csv: bytes differ" in problems
    assert "run.json: 'road_network' differs" in problems
    assert any(p.startswith("map.html: lines 2-2 (1) became 2-2 (1): 'y'") for p in problems)

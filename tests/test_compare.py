"""Side-by-side comparison: table contents, name matching, CLI end to end."""

from __future__ import annotations

import pandas as pd
import pytest

from siting import InputError
from siting.compare import compare, format_table, match_names
from siting.scenario import SensitivitySettings


@pytest.fixture(scope="module")
def result(small_candidates):
    from siting.pipeline import run_scenario
    from siting.scenario import load_scenario

    return run_scenario(load_scenario(), candidates=small_candidates, rank_ranges=False)


def test_table_has_raw_normalized_contributions_and_rank_range(result):
    from siting.sensitivity import sensitivity

    sens = sensitivity(result, SensitivitySettings(draws=100, seed=1))
    table = compare(result, ["Tijuana", "mérida"], sensitivity=sens)
    assert list(table.columns) == ["field", "label", "Tijuana", "Mérida"]
    t = table.set_index("field")
    r = result.ranking.set_index("name")
    for site in ("Tijuana", "Mérida"):
        assert t.at["rank", site] == r.at[site, "rank"]
        assert t.at["score", site] == pytest.approx(r.at[site, "score"])
        assert t.at["crossing_drive_min", site] == pytest.approx(r.at[site, "crossing_drive_min"])
        assert t.at["norm_labor_force", site] == pytest.approx(r.at[site, "norm_labor_force"])
        contrib = sum(t.at[f"contrib_{c.name}", site] for c in result.criteria)
        assert contrib == pytest.approx(t.at["score", site])
        assert t.at["rank_best", site] <= t.at["rank", site] <= t.at["rank_worst", site]
    text = format_table(table)
    assert "Truck time to border crossing (min)" in text and "Tijuana" in text


def test_unknown_names_list_close_matches():
    names = ["Tijuana", "Mérida", "Monterrey", "Ciudad Juárez"]
    assert match_names(["MONTERREY", "Ciudad Juárez"], names) == ["Monterrey", "Ciudad Juárez"]
    assert match_names(["merida", "Juarez"], names) == ["Mérida", "Ciudad Juárez"]
    with pytest.raises(
        InputError, match=r"no candidate named 'Meridaa'; close matches: 'Mérida'"
    ) as err:
        match_names(["Meridaa", "Juarex", "Tijuana"], names)
    assert "'Juarex'; close matches: 'Ciudad Juárez'" in str(err.value)  # both reported together
    with pytest.raises(InputError, match="no candidate named 'Xyzzy' and no close match"):
        match_names(["Xyzzy"], names)


def test_cli_compare_end_to_end(tmp_path, candidates_csv, capsys):
    from siting.cli import main

    out = tmp_path / "out"
    code = main(
        [
            "compare",
            "Tijuana",
            "Monterrey",
            "Saltillo",
            "--candidates",
            str(candidates_csv),
            "--out",
            str(out),
            "--draws",
            "50",
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "Best rank over weight draws" in printed and "Saltillo" in printed
    table = pd.read_csv(out / "compare.csv")
    assert list(table.columns) == ["field", "label", "Tijuana", "Monterrey", "Saltillo"]
    import json

    rec = json.loads((out / "compare.json").read_text(encoding="utf-8"))
    assert rec["compare"]["sites"] == ["Tijuana", "Monterrey", "Saltillo"]
    assert rec["compare"]["draws"] == 50 and rec["siting_version"]
    assert rec["road_network"]["nodes"] > 80_000
    assert {
        "rank",
        "score",
        "rank_best",
        "rank_worst",
        "crossing_drive_min",
        "norm_crossing_drive_min",
        "contrib_crossing_drive_min",
    } <= set(table["field"])


def test_cli_compare_unknown_name_exits_2(tmp_path, candidates_csv, capsys):
    from siting.cli import main

    code = main(
        [
            "compare",
            "Tijuana",
            "Monterey",
            "--candidates",
            str(candidates_csv),
            "--out",
            str(tmp_path / "o"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "no candidate named 'Monterey'; close matches: 'Monterrey'" in err
    assert "Traceback" not in err
    assert not (tmp_path / "o").exists()

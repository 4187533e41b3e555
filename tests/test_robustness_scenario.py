"""Robustness of scenario files and compare names: no traceback, no misleading message.

V: a bad value is refused by validation, with the key, the allowed range and the value received.
N: an allowed but doubtful choice is accepted with a note (``Scenario.doubts``).
M: ``siting compare`` names match ignoring case, accents and spacing; ambiguity is reported.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest

from siting import InputError, ScenarioError
from siting.compare import match_names
from siting.scenario import (
    bounds,
    bounds_markdown,
    few_draws_note,
    load_scenario,
    parse_scenario,
    with_overrides,
)

ROOT = Path(__file__).resolve().parents[1]
W = {"crossing_drive_min": 0.5, "labor_force": 0.5}


def _refused(data: dict, pattern: str) -> ScenarioError:
    with pytest.raises(ScenarioError, match=pattern) as err:
        parse_scenario({"weights": W, **data})
    return err.value


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.toml"
    path.write_text(text, encoding="utf-8")
    return path


# -- V: validation ----------------------------------------------------------------------------


def test_V01_weight_inf_is_refused_with_its_range(tmp_path):
    path = _write(tmp_path, "[weights]\ncrossing_drive_min = 1\nlabor_force = inf\n")
    with pytest.raises(
        ScenarioError,
        match=r"\[weights\] labor_force is inf; expected a non-negative number in 0\.\.1000000",
    ):
        load_scenario(path)


def test_V02_weight_nan_is_refused(tmp_path):
    path = _write(tmp_path, "[weights]\ncrossing_drive_min = 1\nlabor_force = nan\n")
    with pytest.raises(ScenarioError, match=r"\[weights\] labor_force is nan; expected"):
        load_scenario(path)


def test_V03_weight_negative_is_refused():
    with pytest.raises(ScenarioError, match=r"\[weights\] labor_force is -2; expected a non-neg"):
        parse_scenario({"weights": {"crossing_drive_min": 1, "labor_force": -2}})


def test_V04_weight_bool_is_not_a_number():
    with pytest.raises(
        ScenarioError,
        match=r"\[weights\] labor_force is true \(true/false is not a number\); expected",
    ):
        parse_scenario({"weights": {"crossing_drive_min": 1, "labor_force": True}})


def test_V05_weight_huge_is_refused():
    with pytest.raises(ScenarioError, match=r"labor_force is 1e\+300; expected .* 0\.\.1000000"):
        parse_scenario({"weights": {"crossing_drive_min": 1, "labor_force": 1e300}})


def test_V06_all_weights_zero_are_refused():
    with pytest.raises(ScenarioError, match="all weights are zero; at least one must be positive"):
        parse_scenario({"weights": {"crossing_drive_min": 0, "labor_force": 0.0}})


def test_V07_min_trucks_that_leaves_no_crossing_is_refused():
    from siting.layers.crossings import commercial_crossings, land_ports

    busiest = int(land_ports()["trucks"].max())
    err = _refused(
        {"parameters": {"min_trucks": busiest + 1}},
        rf"\[parameters\] min_trucks is {busiest + 1}; expected a whole number of trucks in "
        rf"0\.\.{busiest} \(the busiest crossing, Laredo, .* leaves no crossing\)",
    )
    assert len(err.problems) == 1
    # the largest value allowed keeps one crossing: the later steps never see an empty table
    sc = parse_scenario({"weights": W, "parameters": {"min_trucks": busiest}})
    assert len(commercial_crossings(min_trucks=sc.params.min_trucks)) == 1


def test_V08_commute_min_out_of_range_names_the_range():
    err = _refused({"parameters": {"commute_min": 100000}}, "commute_min")
    assert err.problems == [
        "[parameters] commute_min is 100000; expected a number of minutes in 1..600"
    ]


def test_V09_commute_min_zero_is_refused():
    _refused(
        {"parameters": {"commute_min": 0}},
        r"\[parameters\] commute_min is 0; expected a number of minutes in 1\.\.600",
    )


def test_V10_parameters_nan_and_inf_from_toml_are_refused(tmp_path):
    path = _write(
        tmp_path,
        "[weights]\nlabor_force = 1\n[parameters]\ncommute_min = nan\ncrossing_tau_min = inf\n"
        "seaport_tau_min = -inf\nlabor_radius_km = 1e9\n",
    )
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert err.value.problems == [
        "[parameters] commute_min is nan; expected a number of minutes in 1..600",
        "[parameters] crossing_tau_min is inf; expected a number of minutes in 10..2880",
        "[parameters] seaport_tau_min is -inf; expected a number of minutes in 10..2880",
        "[parameters] labor_radius_km is 1000000000.0; expected a number of km in 1..500",
    ]


def test_V11_security_year_without_full_data_is_refused():
    from siting.layers.security import latest_full_year

    last = latest_full_year()
    _refused(
        {"parameters": {"security_year": last + 1}},
        rf"security_year is {last + 1}; expected a year in 2015\.\.{last} \(the full years",
    )
    _refused({"parameters": {"security_year": True}}, r"security_year is true \(true/false")


def test_V12_integer_keys_refuse_fractions():
    _refused({"parameters": {"min_trucks": 100000.5}}, r"min_trucks is 100000\.5; expected a whole")
    _refused({"sensitivity": {"draws": 100.0}}, r"draws is 100\.0; expected a whole number")


def test_V13_network_numbers_out_of_range_or_not_finite():
    err = _refused(
        {
            "network": {
                "access_speed_kph": 0,
                "max_snap_km": math.nan,
                "speeds": {"toll": 500, "federal": True, "state": math.inf},
            }
        },
        "access_speed_kph",
    )
    assert err.problems == [
        "[network] access_speed_kph is 0; expected a number of km/h in 1..120",
        "[network] max_snap_km is nan; expected a number of km in 5..500 (smaller values can "
        "leave crossings and ports off the network)",
        "[network] speeds.toll is 500; expected a number of km/h in 1..200",
        "[network] speeds.federal is true (true/false is not a number); "
        "expected a number of km/h in 1..200",
        "[network] speeds.state is inf; expected a number of km/h in 1..200",
    ]


def test_V14_min_establishments_out_of_range():
    _refused(
        {"candidates": {"min_establishments": 0}},
        r"\[candidates\] min_establishments is 0; expected a whole number of reporting plants "
        r"in 1\.\.50",
    )
    _refused({"candidates": {"min_establishments": 51}}, r"min_establishments is 51; expected")


def test_V15_min_establishments_bound_is_the_largest_bundled_park():
    from siting.layers import sites

    largest = int(sites.industrial_parks(min_establishments=1)["establishments"].max())
    assert bounds()["[candidates] min_establishments"].hi == largest


def test_V16_draws_zero_is_refused():
    _refused(
        {"sensitivity": {"draws": 0}},
        r"\[sensitivity\] draws is 0; expected a whole number of draws in 1\.\.100000",
    )


def test_V17_draws_huge_is_refused():
    _refused({"sensitivity": {"draws": 10**9}}, r"draws is 1000000000; expected .* 1\.\.100000")


def test_V18_seed_negative_is_refused():
    _refused(
        {"sensitivity": {"seed": -1}},
        r"\[sensitivity\] seed is -1; expected a whole number in 0\.\.4294967295",
    )


def test_V19_concentration_zero_or_inf_is_refused():
    err = _refused({"sensitivity": {"concentration": 0, "top_k": 0}}, "concentration")
    assert err.problems == [
        "[sensitivity] concentration is 0; expected a positive number up to 10000 "
        "(larger = draws closer to the chosen weights)",
        "[sensitivity] top_k is 0; expected a whole number of sites in 1..1000",
    ]
    _refused({"sensitivity": {"concentration": math.inf}}, r"concentration is inf; expected")


def test_V20_aggregation_floor_out_of_range():
    for floor, shown in ((0, "0"), (1, "1"), (math.nan, "nan"), (True, "true")):
        _refused(
            {"aggregation": {"method": "weighted_product", "floor": floor}},
            rf"\[aggregation\] floor is {shown}.*; expected a positive number up to 0\.5 "
            r"\(the value the weighted product gives the worst site",
        )


def test_V21_constraint_thresholds_must_be_finite_and_in_range():
    err = _refused(
        {
            "constraints": [
                {"criterion": "crossing_drive_min", "max": math.inf},
                {"criterion": "labor_force", "min": math.nan},
                {"criterion": "labor_force", "min": 1e300},
            ]
        },
        "constraints",
    )
    expected = "a finite number in -1e12..1e12 (in the criterion's raw unit)"
    assert err.problems == [
        f"[[constraints]] #1 max is inf; expected {expected}",
        f"[[constraints]] #2 min is nan; expected {expected}",
        f"[[constraints]] #3 min is 1e+300; expected {expected}",
    ]


def test_V22_crossing_waits_minutes_out_of_range():
    err = _refused(
        {
            "crossing_waits": {
                "Laredo": math.inf,
                "Hidalgo": -3,
                "Ysleta": 2000,
                "Otay Mesa": {"standard": math.nan, "fast": 20},
            }
        },
        "crossing_waits",
    )
    form = "minutes in 0..1440 (a typical truck wait, standard or fast lane)"
    assert err.problems == [
        f"[crossing_waits] Laredo is inf; expected {form}",
        f"[crossing_waits] Hidalgo is -3; expected {form}",
        f"[crossing_waits] Ysleta is 2000; expected {form}",
        f"[crossing_waits] Otay Mesa.standard is nan; expected {form}",
    ]


def test_V23_value_function_parameters_out_of_range():
    err = _refused(
        {
            "value_functions": {
                "crossing_drive_min": {"type": "threshold", "full": math.nan, "zero": 600},
                "labor_force": {"type": "logistic", "midpoint": 5e5, "steepness": math.inf},
                "route_risk": {"type": "target", "target": 0, "width": 0},
                "seaport_drive_min": {"type": "log", "offset": -1},
                "advisory_level": {"type": "categorical", "map": {"1": 1.5, "2": 0.5}},
            }
        },
        "value_functions",
    )
    assert err.problems == [
        "[value_functions.crossing_drive_min] full is nan; expected a finite number in -1e12..1e12",
        "[value_functions.labor_force] steepness is inf; expected a positive number up to 1000000",
        "[value_functions.route_risk] width is 0; expected a positive number up to 1e12",
        "[value_functions.seaport_drive_min] offset is -1; expected a positive number up to 1e12",
        "[value_functions.advisory_level] map['1'] is 1.5; expected a value in 0..1",
    ]


def test_V24_ahp_entries_outside_saaty_scale_are_refused():
    crits = ["crossing_drive_min", "labor_force"]
    with pytest.raises(ScenarioError) as err:
        parse_scenario(
            {
                "weights": {"method": "ahp"},
                "ahp": {"criteria": crits, "matrix": [[1, 10], ["1/0", "inf"]]},
            }
        )
    form = 'a number or "a/b" fraction in 1/9..9 (Saaty\'s scale)'
    assert err.value.problems == [
        f"[ahp] matrix entry (1,2) is 10; expected {form}",
        f"[ahp] matrix entry (2,1) is '1/0'; expected {form}",
        f"[ahp] matrix entry (2,2) is 'inf'; expected {form}",
    ]


def test_V25_every_bad_number_is_reported_in_one_error(tmp_path):
    path = _write(
        tmp_path,
        "[weights]\nlabor_force = inf\ncrossing_drive_min = 1\n"
        "[parameters]\ncommute_min = 100000\nmin_trucks = 99999999\n"
        "[network]\naccess_speed_kph = nan\n"
        "[sensitivity]\ndraws = 0\nseed = -1\nconcentration = 0\n"
        "[aggregation]\nfloor = 2\n",
    )
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    keys = [p.split(" is ")[0] for p in err.value.problems]
    assert keys == [
        "[weights] labor_force",
        "[aggregation] floor",
        "[sensitivity] draws",
        "[sensitivity] seed",
        "[sensitivity] concentration",
        "[parameters] commute_min",
        "[parameters] min_trucks",
        "[network] access_speed_kph",
    ]
    assert str(err.value).startswith(f"scenario {str(path)!r} has 8 problems:")


def test_V26_scenario_path_that_is_a_directory(tmp_path):
    with pytest.raises(ScenarioError, match=r"is a directory; pass a \.toml file") as err:
        load_scenario(tmp_path)
    assert err.value.problems == ["is a directory; pass a .toml file"]


def test_V27_unreadable_scenario_file(tmp_path, monkeypatch):
    path = _write(tmp_path, "[weights]\nlabor_force = 1\n")

    def denied(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", denied)  # chmod does not stop root
    with pytest.raises(
        ScenarioError, match=r"cannot be read \(Permission denied\); check that the file is"
    ):
        load_scenario(path)


def test_V28_not_utf8_names_the_line_and_column(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes('[scenario]\nname = "Mérida"\n'.encode("latin-1"))
    with pytest.raises(
        ScenarioError,
        match=r"is not valid TOML: not UTF-8 text \(byte 0xe9 at line 2, column 10\); "
        r"save the file as UTF-8",
    ):
        load_scenario(path)


def test_V29_invalid_toml_names_the_line(tmp_path):
    path = _write(tmp_path, "[weights]\nlabor_force = 1\ncrossing_drive_min = \n")
    with pytest.raises(ScenarioError, match=r"is not valid TOML: .*\(at line 3, column 22\)"):
        load_scenario(path)


def test_V30_utf8_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf[weights]\nlabor_force = 1\n")
    assert load_scenario(path).weights == {"labor_force": 1.0}


def test_V31_docs_show_the_table_of_bounds():
    doc = (ROOT / "docs" / "scenario.md").read_text(encoding="utf-8")
    assert bounds_markdown() in doc, "regenerate the table: siting.scenario.bounds_markdown()"


def test_V32_every_numeric_key_has_a_bound():
    import dataclasses

    from siting.criteria import CriteriaParams
    from siting.scenario import SensitivitySettings

    params = {
        f.name
        for f in dataclasses.fields(CriteriaParams)
        if f.name not in ("route_risk_indicator", "us_gateways")
        and not f.name.startswith("crossing_")
    } | {"crossing_tau_min"}
    sens = {f.name for f in dataclasses.fields(SensitivitySettings)}
    table = bounds()
    for name in params:
        assert f"[parameters] {name}" in table, name
    for name in sens:
        assert f"[sensitivity] {name}" in table, name


def test_V33_cli_prints_one_error_line_without_traceback(tmp_path, capsys):
    from siting.cli import main

    path = _write(tmp_path, "[weights]\nlabor_force = inf\n")
    code = main(["run", str(path), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("siting: error: scenario ") and "labor_force is inf" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


# -- N: doubts, accepted with a note ----------------------------------------------------------


def test_N01_default_scenario_has_no_doubts():
    sc = load_scenario()
    assert sc.doubts == ()
    assert "doubts" not in sc.resolved()  # notes reach run.json through the result


def test_N02_weights_not_summing_to_one_are_rescaled_with_a_note():
    sc = parse_scenario({"weights": {"crossing_drive_min": 6, "labor_force": 4}})
    assert sc.weights == {"crossing_drive_min": 0.6, "labor_force": 0.4}
    assert sc.doubts == (
        "[weights] add up to 10, not 1; they were rescaled to sum to 1 (each divided by 10)",
    )


def test_N03_weights_summing_to_one_up_to_rounding_give_no_note():
    sc = parse_scenario(
        {"weights": {"crossing_drive_min": 0.7, "labor_force": 0.2, "route_risk": 0.1}}
    )
    assert sc.doubts == ()


def test_N04_threshold_inverted_for_a_cost_criterion():
    sc = parse_scenario(
        {
            "weights": W,
            "value_functions": {
                "crossing_drive_min": {"type": "threshold", "full": 900, "zero": 120}
            },
        }
    )
    assert sc.doubts == (
        "[value_functions.crossing_drive_min] full = 900 is above zero = 120, so larger values "
        "score higher, but crossing_drive_min is a cost criterion (less is better); the ranking "
        "will favour sites with larger crossing_drive_min: swap full and zero if that is not "
        "meant",
    )


def test_N05_threshold_inverted_for_a_benefit_criterion_and_not_when_right():
    inverted = {"type": "threshold", "full": 0, "zero": 1_000_000}
    sc = parse_scenario({"weights": W, "value_functions": {"labor_force": inverted}})
    assert len(sc.doubts) == 1
    assert sc.doubts[0].startswith("[value_functions.labor_force] full = 0 is below zero = 1e+06")
    assert "labor_force is a benefit criterion (more is better)" in sc.doubts[0]
    right = {"type": "threshold", "full": 1_000_000, "zero": 0}
    assert parse_scenario({"weights": W, "value_functions": {"labor_force": right}}).doubts == ()


def test_N06_direction_key_reversing_the_criterion_is_noted():
    fn = {"type": "logistic", "midpoint": 300, "steepness": 0.02, "direction": "benefit"}
    sc = parse_scenario({"weights": W, "value_functions": {"crossing_drive_min": fn}})
    assert sc.doubts == (
        '[value_functions.crossing_drive_min] direction = "benefit" reverses the registry '
        "direction: crossing_drive_min is a cost criterion (less is better), but larger values "
        "will score higher; remove direction if that is not meant",
    )


def test_N07_categorical_map_rising_for_a_cost_criterion():
    weights = {"crossing_drive_min": 0.4, "labor_force": 0.4, "advisory_level": 0.2}
    rising = {"type": "categorical", "map": {"1": 0.0, "2": 0.4, "3": 0.8, "4": 1.0}}
    sc = parse_scenario({"weights": weights, "value_functions": {"advisory_level": rising}})
    assert len(sc.doubts) == 1
    assert sc.doubts[0].startswith(
        "[value_functions.advisory_level] map gives higher values to larger advisory_level"
    )
    falling = {"type": "categorical", "map": {"1": 1.0, "2": 0.8, "3": 0.4, "4": 0.0}}
    sc = parse_scenario({"weights": weights, "value_functions": {"advisory_level": falling}})
    assert sc.doubts == ()


def test_N08_value_function_on_an_unweighted_criterion_has_no_effect():
    fn = {"type": "threshold", "full": 60, "zero": 600}
    sc = parse_scenario({"weights": W, "value_functions": {"seaport_drive_min": fn}})
    assert sc.doubts == (
        "[value_functions.seaport_drive_min] has no effect on the score: seaport_drive_min is not "
        "weighted (it is still measured and reported); weight it or remove the table",
    )
    zero = {**W, "seaport_drive_min": 0}
    sc = parse_scenario({"weights": zero, "value_functions": {"seaport_drive_min": fn}})
    assert "seaport_drive_min has weight 0" in sc.doubts[-1]


def test_N09_declared_candidate_column_that_is_not_used():
    from siting.criterion import unregister_criterion

    declared = {"robust_rent": {"direction": "cost"}}
    try:
        sc = parse_scenario({"weights": W, "candidate_criteria": declared})
        assert sc.doubts == (
            "[candidate_criteria.robust_rent] is neither weighted nor constrained: it is "
            "reported in ranking.csv but does not change the ranking",
        )
        used = {"weights": {**W, "robust_rent": 1}, "candidate_criteria": declared}
        assert parse_scenario(used).doubts == (
            "[weights] add up to 2, not 1; they were rescaled to sum to 1 (each divided by 2)",
        )
    finally:
        unregister_criterion("robust_rent")


def test_N10_too_few_draws_are_noted():
    sc = parse_scenario({"weights": W, "sensitivity": {"draws": 5}})
    assert sc.sensitivity.draws == 5
    assert sc.doubts == (
        "[sensitivity] draws = 5 is too few for stable rank ranges; use at least 100 "
        "(default 1000)",
    )
    assert parse_scenario({"weights": W, "sensitivity": {"draws": 100}}).doubts == ()


def test_N11_few_draws_note_helper_for_the_command_line():
    assert few_draws_note(99) == (
        "draws = 99 is too few for stable rank ranges; use at least 100 (default 1000)"
    )
    assert few_draws_note(100) is None
    assert few_draws_note(1000) is None


def test_N12_floor_without_weighted_product_is_noted():
    sc = parse_scenario({"weights": W, "aggregation": {"method": "topsis", "floor": 0.05}})
    assert sc.doubts == (
        '[aggregation] floor is only used with method = "weighted_product"; it is ignored with '
        'method = "topsis"',
    )
    sc = parse_scenario(
        {"weights": W, "aggregation": {"method": "weighted_product", "floor": 0.05}}
    )
    assert sc.doubts == ()


def test_N13_with_overrides_recomputes_the_doubts():
    base = load_scenario()
    assert base.doubts == ()
    few = with_overrides(base, sensitivity={"draws": 10})
    assert few.doubts == (few_draws_note(10) and f"[sensitivity] {few_draws_note(10)}",)
    assert with_overrides(few, sensitivity={"draws": 1000}).doubts == ()
    rescaled = with_overrides(base, weights={"crossing_drive_min": 3, "labor_force": 1})
    assert rescaled.doubts[0].startswith("[weights] add up to 4, not 1")
    assert with_overrides(rescaled, weights={"labor_force": 1}).doubts == ()


def test_N14_doubts_come_in_section_order():
    sc = parse_scenario(
        {
            "weights": {"crossing_drive_min": 2, "labor_force": 2},
            "value_functions": {"route_risk": {"type": "linear"}},
            "aggregation": {"floor": 0.1},
            "sensitivity": {"draws": 10},
        }
    )
    firsts = [re.match(r"\[[^\]]+\]", d).group(0) for d in sc.doubts]
    assert firsts == [
        "[weights]",
        "[value_functions.route_risk]",
        "[aggregation]",
        "[sensitivity]",
    ]


# -- M: compare names -------------------------------------------------------------------------

NAMES = pd.DataFrame(
    {
        "name": [
            "Monterrey, NL (seat)",
            "Parque Industrial Finsa Monterey (Apodaca)",
            "Querétaro, QRO (seat)",
            "Matamoros, COAH (seat)",
            "Matamoros, TAM (seat)",
            "Monterrey  Technology Park (General Zuazua)",
            "Tijuana, BC (seat)",
            "Ciudad Juárez (Juárez)",
        ]
    }
)["name"]


def test_M01_lowercase_place_name_finds_the_unique_seat():
    assert match_names(["monterrey"], NAMES) == ["Monterrey, NL (seat)"]


def test_M02_name_without_accent_matches():
    assert match_names(["queretaro"], NAMES) == ["Querétaro, QRO (seat)"]
    assert match_names(["QUERÉTARO, qro (SEAT)"], NAMES) == ["Querétaro, QRO (seat)"]


def test_M03_exact_name_wins_over_looser_matches():
    names = ["Monterrey", "monterrey", "Monterrey, NL (seat)"]
    assert match_names(["monterrey"], names) == ["monterrey"]
    assert match_names(["Monterrey"], names) == ["Monterrey"]
    with pytest.raises(
        InputError, match="'MONTERREY' matches 2 candidates: 'Monterrey', 'monterrey'"
    ):
        match_names(["MONTERREY"], names)


def test_M04_ambiguous_name_lists_the_candidates():
    with pytest.raises(
        InputError,
        match=r"^'matamoros' matches 2 candidates: 'Matamoros, COAH \(seat\)', "
        r"'Matamoros, TAM \(seat\)'; give the full name$",
    ):
        match_names(["matamoros"], NAMES)


def test_M05_ambiguous_name_lists_at_most_eight():
    names = [f"Parque Industrial {i} (Saltillo)" for i in range(12)]
    with pytest.raises(InputError) as err:
        match_names(["saltillo"], names)
    text = str(err.value)
    assert text.startswith("'saltillo' matches 12 candidates: 'Parque Industrial 0 (Saltillo)'")
    assert text.count("'Parque Industrial") == 8 and "and 4 more; give the full name" in text


def test_M06_unknown_name_suggests_close_names():
    with pytest.raises(
        InputError, match=r"no candidate named 'Tijuanna'; close matches: 'Tijuana, BC \(seat\)'"
    ):
        match_names(["Tijuanna"], NAMES)


def test_M07_unknown_name_without_close_names():
    with pytest.raises(InputError, match="no candidate named 'Xyzzy' and no close match; names"):
        match_names(["Xyzzy"], NAMES)


def test_M08_repeated_spaces_and_whole_words():
    assert match_names(["monterrey technology park"], NAMES) == [
        "Monterrey  Technology Park (General Zuazua)"
    ]
    assert match_names(["juarez"], NAMES) == ["Ciudad Juárez (Juárez)"]
    with pytest.raises(InputError, match="no candidate named 'Tiju'; close matches: 'Tijuana'"):
        match_names(["Tiju"], ["Tijuana", "Mérida"])  # part of a word is not a match


def test_M09_every_bad_name_is_reported_together():
    with pytest.raises(InputError) as err:
        match_names(["matamoros", "Tijuana, BC (seat)", "Xyzzy", "  "], NAMES)
    text = str(err.value)
    assert "'matamoros' matches 2 candidates" in text
    assert "no candidate named 'Xyzzy'" in text
    assert "candidate name '  ' is empty" in text

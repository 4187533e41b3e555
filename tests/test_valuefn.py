"""Value functions: each type's shape, and their validation messages."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from siting.valuefn import LINEAR, ValueFunction, parse_value_function


def _apply(fn, values, direction="cost", **kw):
    return fn.apply(pd.Series(values, dtype=float, name="x"), direction, **kw).round(6).tolist()


def test_linear_default_is_minmax_with_registry_direction():
    assert _apply(LINEAR, [0, 50, 100], "cost") == [1.0, 0.5, 0.0]
    assert _apply(LINEAR, [0, 50, 100], "benefit") == [0.0, 0.5, 1.0]
    # the direction key overrides the registry
    assert _apply(ValueFunction("linear", {"direction": "benefit"}), [0, 100], "cost") == [0.0, 1.0]


def test_linear_range_comes_from_the_reference_rows_and_clips():
    ref = pd.Series([True, True, False])
    assert _apply(LINEAR, [100, 200, 900], "cost", reference=ref) == [1.0, 0.0, 0.0]
    assert _apply(LINEAR, [100, 200, 50], "cost", reference=ref) == [1.0, 0.0, 1.0]


def test_threshold_full_and_zero_in_either_direction():
    cost = ValueFunction("threshold", {"full": 200, "zero": 800})  # <= 200 km full, >= 800 km none
    assert _apply(cost, [100, 200, 500, 800, 1000]) == [1.0, 1.0, 0.5, 0.0, 0.0]
    benefit = ValueFunction("threshold", {"full": 1e6, "zero": 1e5})
    assert _apply(benefit, [5e4, 1e5, 5.5e5, 2e6], "benefit") == [0.0, 0.0, 0.5, 1.0]


def test_target_is_a_gaussian_bump():
    fn = ValueFunction("target", {"target": 300, "width": 100})
    out = _apply(fn, [300, 400, 200, 600])
    assert out[0] == 1.0
    assert out[1] == out[2] == pytest.approx(np.exp(-0.5), abs=1e-6)
    assert out[3] < 0.02


def test_logistic_follows_the_direction():
    fn = ValueFunction("logistic", {"midpoint": 500, "steepness": 0.01})
    cost = _apply(fn, [0, 500, 1000], "cost")
    assert cost[1] == 0.5 and cost[0] > 0.99 and cost[2] < 0.01
    assert _apply(fn, [0, 500, 1000], "benefit") == pytest.approx(cost[::-1])


def test_categorical_maps_levels_and_refuses_unmapped_values():
    fn = parse_value_function(
        "advisory_level",
        {"type": "categorical", "map": {"1": 1.0, "2": 0.8, "3": 0.4, "4": 0.0}},
        [],
    )
    assert _apply(fn, [1, 2, 3, 4, 2]) == [1.0, 0.8, 0.4, 0.0, 0.8]
    partial = ValueFunction("categorical", {"map": {"1": 1.0}})
    with pytest.raises(
        ValueError, match=r"no value for 2, 3; add them to \[value_functions.x\] map"
    ):
        _apply(partial, [1, 2, 3])


def test_absolute_functions_do_not_depend_on_other_candidates():
    fn = ValueFunction("threshold", {"full": 0, "zero": 10})
    assert _apply(fn, [5, 0])[0] == _apply(fn, [5, 100, 7])[0] == 0.5


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"type": "sigmoid"}, "type is 'sigmoid'; expected one of"),
        ({"type": "threshold", "full": 1}, "type 'threshold' needs key 'zero'"),
        ({"type": "threshold", "full": 5, "zero": 5}, "full and zero are both 5"),
        ({"type": "target", "target": 1, "width": 0}, "width is 0; expected a positive number"),
        ({"type": "logistic", "midpoint": 1, "steepness": -2}, "steepness is -2"),
        (
            {"type": "logistic", "midpoint": "a", "steepness": 1},
            "midpoint is 'a'; expected a finite number",
        ),
        ({"type": "linear", "direction": "up"}, "direction is 'up'"),
        ({"type": "linear", "full": 3}, "unknown key 'full' for type 'linear'"),
        ({"type": "categorical", "map": {"one": 1.0}}, "map key 'one' is not a number"),
        (
            {"type": "categorical", "map": {"1": 1.5}},
            r"map\['1'\] is 1.5; expected a value in 0\.\.1",
        ),
        ("linear", "must be a table"),
    ],
)
def test_bad_parameters_are_named(table, message):
    problems: list[str] = []
    fn = parse_value_function("crossing_km", table, problems)
    assert fn == LINEAR
    assert any(re.search(message, p) for p in problems), problems
    assert all(p.startswith("[value_functions.crossing_km]") for p in problems)

"""Hard constraints: rules that exclude a candidate whatever its score.

A scenario lists them as an array of tables::

    [[constraints]]
    criterion = "crossing_km"
    max = 600                 # at most 600 km from a commercial crossing

    [[constraints]]
    criterion = "labor_pool"
    min = 100000              # at least 100,000 people within the labour radius

A rule may give ``min``, ``max`` or both (inclusive bounds, in the criterion's raw unit). An
excluded candidate stays in the outputs with ``excluded = true``, ``excluded_by`` = the text of
every rule it breaks (joined by ``"; "``), no rank, and a score computed for reference against the
eligible candidates' scale. A missing value breaks the rule (it cannot be shown to satisfy it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Constraint:
    """``min <= criterion <= max`` (either bound may be None)."""

    criterion: str
    min: float | None = None
    max: float | None = None

    @property
    def text(self) -> str:
        """The rule as written in ``excluded_by``, e.g. ``"crossing_km <= 600"``."""
        if self.min is not None and self.max is not None:
            return f"{_fmt(self.min)} <= {self.criterion} <= {_fmt(self.max)}"
        if self.min is not None:
            return f"{self.criterion} >= {_fmt(self.min)}"
        return f"{self.criterion} <= {_fmt(self.max)}"

    def satisfied(self, values: pd.Series) -> pd.Series:
        """Return a boolean Series: True where ``values`` meet the rule (NaN never does)."""
        x = values.astype(float)
        ok = pd.Series(np.isfinite(x.to_numpy()), index=x.index)
        if self.min is not None:
            ok &= x >= self.min
        if self.max is not None:
            ok &= x <= self.max
        return ok

    def describe(self) -> dict[str, Any]:
        """Return the rule as plain data (for the run record)."""
        out: dict[str, Any] = {"criterion": self.criterion}
        if self.min is not None:
            out["min"] = self.min
        if self.max is not None:
            out["max"] = self.max
        return out


def _fmt(v: float | None) -> str:
    if v is None:
        return ""
    return f"{int(v):d}" if float(v).is_integer() else f"{v:g}"


def apply_constraints(raw: pd.DataFrame, constraints: Sequence[Constraint]) -> pd.DataFrame:
    """Return ``excluded`` (bool) and ``excluded_by`` (str, ``""`` if eligible) for every row.

    Examples
    --------
    >>> raw = pd.DataFrame({"crossing_km": [100.0, 900.0]})
    >>> apply_constraints(raw, [Constraint("crossing_km", max=600)])["excluded_by"].tolist()
    ['', 'crossing_km <= 600']
    """
    broken = pd.DataFrame(
        {c.text: ~c.satisfied(raw[c.criterion]) for c in constraints}, index=raw.index
    )
    texts = (
        [
            "; ".join(col for col, hit in zip(broken.columns, row, strict=True) if hit)
            for row in broken.itertuples(index=False)
        ]
        if len(broken.columns)
        else [""] * len(raw)
    )
    return pd.DataFrame(
        {"excluded": [bool(t) for t in texts], "excluded_by": texts}, index=raw.index
    )


def parse_constraints(value: Any, known: Sequence[str], problems: list[str]) -> list[Constraint]:
    """Validate the scenario's ``[[constraints]]`` array; append problems, return the rules.

    ``min`` and ``max`` must lie in the range of :func:`siting.scenario.bounds`.
    """
    from siting.scenario import bounds as scenario_bounds  # one table; it imports this module

    bound = scenario_bounds()["[[constraints]] min, max"]
    if value is None:
        return []
    form = '[[constraints]] tables such as {criterion = "crossing_km", max = 600}'
    if not isinstance(value, list):
        problems.append(f"constraints must be an array of {form}; got {type(value).__name__}")
        return []
    out = []
    for k, item in enumerate(value, start=1):
        where = f"[[constraints]] #{k}"
        if not isinstance(item, dict):
            problems.append(
                f'{where} must be a table such as {{criterion = "crossing_km", max = 600}}'
            )
            continue
        n_before = len(problems)
        for key in sorted(set(item) - {"criterion", "min", "max"}):
            problems.append(
                f"{where} unknown key {key!r}; expected 'criterion', 'min' and/or 'max'"
            )
        crit = item.get("criterion")
        if crit not in known:
            problems.append(f"{where} criterion is {crit!r}; expected one of {sorted(known)}")
        bounds = {}
        for key in ("min", "max"):
            if key in item:
                number = bound.check(f"{where} {key}", item[key], problems)
                if number is not None:
                    bounds[key] = number
        if "min" not in item and "max" not in item:
            problems.append(
                f"{where} needs 'min', 'max' or both (inclusive bounds in the raw unit)"
            )
        if "min" in bounds and "max" in bounds and bounds["min"] > bounds["max"]:
            problems.append(f"{where} min {bounds['min']:g} is greater than max {bounds['max']:g}")
        if len(problems) == n_before:
            out.append(Constraint(str(crit), bounds.get("min"), bounds.get("max")))
    return out

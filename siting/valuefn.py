"""Value functions: how a raw criterion value becomes a 0–1 value, where 1 is best.

A scenario may give any criterion a value function in a ``[value_functions.<criterion>]`` table;
criteria without one use :class:`Linear` (min-max over the eligible candidates, direction from
:data:`siting.criteria.CRITERIA`), which is what siting has always done.

=============== ====================================== ===========================================
``type``        keys                                   value
=============== ====================================== ===========================================
``linear``      ``direction`` (optional)               min-max over the eligible candidates
``log``         ``direction``, ``offset`` (optional)   min-max of ``log10(x + offset)`` (offset 1)
                                                       over the eligible candidates: for heavy
                                                       tails such as populations, where doubling
                                                       counts the same at every size
``threshold``   ``full``, ``zero``                     1 at or better than ``full``, 0 at or past
                                                       ``zero``, linear in between (``full < zero``
                                                       means less is better)
``target``      ``target``, ``width``                  ``exp(-((x - target) / width)² / 2)``
``logistic``    ``midpoint``, ``steepness``,           ``1 / (1 + exp(-steepness (x - midpoint)))``
                ``direction`` (optional)               for a benefit; mirrored for a cost
``categorical`` ``map`` (``{"1" = 1.0, "2" = 0.8}``)   looked up; every value met must be mapped
=============== ====================================== ===========================================

Only ``linear`` and ``log`` depend on the candidate set; the others are absolute, so a site's value
does not change when other candidates are added or excluded.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from siting._errors import InputError

if TYPE_CHECKING:
    from siting.scenario import Bound

#: The ``type`` names a scenario may use, with the keys each accepts (required, optional).
TYPES: dict[str, tuple[set[str], set[str]]] = {
    "linear": (set(), {"direction"}),
    "log": (set(), {"direction", "offset"}),
    "threshold": ({"full", "zero"}, set()),
    "target": ({"target", "width"}, set()),
    "gaussian": ({"target", "width"}, set()),
    "logistic": ({"midpoint", "steepness"}, {"direction"}),
    "categorical": ({"map"}, set()),
}


def minmax(
    values: pd.Series, direction: str, *, lo: float | None = None, hi: float | None = None
) -> pd.Series:
    """Min-max normalize ``values`` to 0–1 with 1 the best value.

    ``direction`` is ``"benefit"`` (the largest value scores 1) or ``"cost"`` (the smallest scores
    1). A criterion on which all candidates are equal does not discriminate: every candidate gets 1.
    ``lo`` and ``hi`` fix the range (default: the range of ``values``); values outside it are
    clipped to 0–1.

    Examples
    --------
    >>> minmax(pd.Series([10.0, 20.0, 30.0]), "cost").tolist()
    [1.0, 0.5, 0.0]
    >>> minmax(pd.Series([0.0, 20.0, 40.0]), "benefit", lo=10.0, hi=30.0).tolist()
    [0.0, 0.5, 1.0]
    """
    if direction not in ("benefit", "cost"):
        msg = f"`direction` was {direction!r} but is expected to be 'benefit' or 'cost'"
        raise ValueError(msg)
    x = values.astype(float)
    if not np.isfinite(x.to_numpy()).all():
        msg = f"criterion {values.name!r} has missing or infinite values; exclude those sites first"
        raise ValueError(msg)
    lo = float(x.min()) if lo is None else lo
    hi = float(x.max()) if hi is None else hi
    if hi == lo:
        return pd.Series(1.0, index=values.index, name=values.name)
    scaled = ((x - lo) / (hi - lo)).clip(0.0, 1.0)
    return scaled if direction == "benefit" else 1.0 - scaled


@dataclass(frozen=True)
class ValueFunction:
    """A value function: ``kind`` (a key of :data:`TYPES`) and its parameters.

    Parameters
    ----------
    kind
        ``"linear"``, ``"threshold"``, ``"target"`` (alias ``"gaussian"``), ``"logistic"`` or
        ``"categorical"``.
    params
        The keys of the scenario table other than ``type`` (see the module docstring).
    """

    kind: str = "linear"
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def is_relative(self) -> bool:
        """Whether the value depends on the other candidates (``linear`` and ``log`` do)."""
        return self.kind in ("linear", "log")

    def describe(self) -> dict[str, Any]:
        """Return the function as plain data (for the run record)."""
        return {"type": self.kind, **self.params}

    def rewards(self) -> str | None:
        """Return which raw values this function scores higher, whatever the criterion says.

        ``"benefit"`` (larger values) or ``"cost"`` (smaller values) for a ``threshold``
        (``full`` above or below ``zero``), a ``linear``/``log``/``logistic`` with its own
        ``direction``, and a ``categorical`` map that rises or falls with the value; None when
        the function follows the criterion's direction, peaks at a ``target``, or its map is
        neither rising nor falling.

        Examples
        --------
        >>> ValueFunction("threshold", {"full": 900, "zero": 150}).rewards()
        'benefit'
        >>> ValueFunction("categorical", {"map": {"1": 1.0, "4": 0.0}}).rewards()
        'cost'
        """
        if self.kind == "threshold":
            return "benefit" if self.params["full"] > self.params["zero"] else "cost"
        if self.kind in ("linear", "log", "logistic"):
            direction = self.params.get("direction")
            return str(direction) if direction is not None else None
        if self.kind == "categorical":
            points = sorted((float(k), float(v)) for k, v in self.params["map"].items())
            steps = [b[1] - a[1] for a, b in itertools.pairwise(points)]
            if any(steps) and all(d >= 0 for d in steps):
                return "benefit"
            if any(steps) and all(d <= 0 for d in steps):
                return "cost"
        return None

    def apply(
        self,
        values: pd.Series,
        direction: str,
        *,
        reference: pd.Series | None = None,
    ) -> pd.Series:
        """Return the 0–1 values of ``values``.

        Parameters
        ----------
        values
            Raw criterion values.
        direction
            ``"benefit"`` or ``"cost"``: the registry direction, used by ``linear`` and
            ``logistic`` unless the function sets its own ``direction``.
        reference
            Boolean mask of the rows that define the min-max range of ``linear`` (the eligible
            candidates); all rows if None. Rows outside the range are clipped to 0–1.

        Raises
        ------
        InputError
            If a categorical value is not mapped, or a ``log`` offset leaves values at or below
            zero (the scenario's fault; a ``ValueError``, reported without a traceback).
        ValueError
            If values are missing or infinite.
        """
        direction = self.params.get("direction", direction)
        x = values.astype(float)
        if not np.isfinite(x.to_numpy()).all():
            msg = (
                f"criterion {values.name!r} has missing or infinite values; "
                "exclude those sites first"
            )
            raise ValueError(msg)
        if self.kind == "log":
            offset = float(self.params.get("offset", 1.0))
            if (x + offset <= 0).any():
                msg = (
                    f"criterion {values.name!r}: log value function needs values above "
                    f"-offset ({-offset:g}); raise [value_functions.{values.name}] offset"
                )
                raise InputError(msg)
            x = np.log10(x + offset)
        if self.kind in ("linear", "log"):
            ref = x if reference is None else x[reference.to_numpy(dtype=bool)]
            return (
                minmax(x, direction, lo=float(ref.min()), hi=float(ref.max()))
                if len(ref)
                else (pd.Series(1.0, index=x.index, name=x.name))
            )
        if self.kind == "threshold":
            full, zero = float(self.params["full"]), float(self.params["zero"])
            out = ((x - zero) / (full - zero)).clip(0.0, 1.0)
        elif self.kind in ("target", "gaussian"):
            target, width = float(self.params["target"]), float(self.params["width"])
            out = np.exp(-0.5 * ((x - target) / width) ** 2)
        elif self.kind == "logistic":
            mid, k = float(self.params["midpoint"]), float(self.params["steepness"])
            sign = 1.0 if direction == "benefit" else -1.0
            out = 1.0 / (1.0 + np.exp(np.clip(-sign * k * (x - mid), -700.0, 700.0)))
        elif self.kind == "categorical":
            table = {float(k): float(v) for k, v in self.params["map"].items()}
            out = x.map(table)
            missing = sorted(set(x[out.isna()].tolist()))
            if missing:
                shown = ", ".join(_fmt(v) for v in missing[:10])
                msg = (
                    f"criterion {values.name!r}: categorical value function has no value for "
                    f"{shown}; add them to [value_functions.{values.name}] map"
                )
                raise InputError(msg)
        else:  # pragma: no cover - parse_value_function rejects unknown kinds
            msg = f"`kind` was {self.kind!r} but is expected to be one of {sorted(TYPES)}"
            raise ValueError(msg)
        return pd.Series(np.asarray(out, dtype=float), index=x.index, name=x.name)


LINEAR = ValueFunction()


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(v)


def parse_value_function(criterion: str, table: Any, problems: list[str]) -> ValueFunction:
    """Validate one ``[value_functions.<criterion>]`` table; append problems, return the function.

    Every problem names the key and the expected form, with the range of
    :func:`siting.scenario.bounds`. On a problem the min-max default is returned so that
    validation can carry on and report everything at once.
    """
    from siting.scenario import bounds  # the one table of ranges; siting.scenario imports us

    where = f"[value_functions.{criterion}]"
    if not isinstance(table, dict):
        problems.append(f'{where} must be a table such as {{type = "linear"}}, got {table!r}')
        return LINEAR
    kind = table.get("type", "linear")
    if not isinstance(kind, str) or kind not in TYPES:
        problems.append(f"{where} type is {kind!r}; expected one of {sorted(TYPES)}")
        return LINEAR
    required, optional = TYPES[kind]
    params = {k: v for k, v in table.items() if k != "type"}
    n_before = len(problems)
    for key in sorted(required - set(params)):
        problems.append(f"{where} type {kind!r} needs key {key!r}")
    for key in sorted(set(params) - required - optional):
        allowed = sorted(required | optional | {"type"})
        problems.append(f"{where} unknown key {key!r} for type {kind!r}; expected {allowed}")
    if "direction" in params and params["direction"] not in ("benefit", "cost"):
        problems.append(
            f'{where} direction is {params["direction"]!r}; expected "benefit" or "cost"'
        )
    for key in sorted((required | optional) - {"map", "direction"}):
        if key in params:
            bounds()[f"[value_functions.*] {key}"].check(f"{where} {key}", params[key], problems)
    if len(problems) == n_before:
        if kind == "threshold" and params["full"] == params["zero"]:
            problems.append(
                f"{where} full and zero are both {params['full']}; expected two different numbers "
                "(full < zero when less is better)"
            )
        if kind == "categorical":
            _check_map(where, params["map"], problems, bounds()["[value_functions.*] map values"])
    if len(problems) > n_before:
        return LINEAR
    if kind == "categorical":
        params = {"map": {_fmt(float(k)): float(v) for k, v in params["map"].items()}}
    return ValueFunction(kind, params)


def _check_map(where: str, mapping: Any, problems: list[str], bound: Bound) -> None:
    form = '{"1" = 1.0, "2" = 0.8, "3" = 0.4, "4" = 0.0}'
    if not isinstance(mapping, dict) or not mapping:
        problems.append(f"{where} map must be a non-empty table such as {form}")
        return
    for key, value in mapping.items():
        try:
            number = float(key)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            problems.append(f"{where} map key {key!r} is not a number; expected keys like {form}")
        bound.check(f"{where} map[{key!r}]", value, problems)

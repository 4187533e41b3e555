"""Normalization of raw criterion values onto 0–1, where 1 is best.

:func:`minmax` is the default linear value function; :func:`normalize` applies each criterion's
value function (see :mod:`siting.valuefn`) to a table of raw values.

The min-max range comes from the **eligible** candidates only (those no hard constraint excludes):
an excluded outlier must not stretch the scale of the sites that are actually ranked. Excluded
sites are still normalized against that range, clipped to 0–1, so that their score can be shown
for reference.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from siting.valuefn import LINEAR, ValueFunction, minmax

__all__ = ["minmax", "normalize"]


def normalize(
    raw: pd.DataFrame,
    criteria: Sequence[str],
    *,
    directions: Mapping[str, str],
    value_functions: Mapping[str, ValueFunction] | None = None,
    reference: pd.Series | None = None,
) -> pd.DataFrame:
    """Return the 0–1 value of each of ``criteria`` for every row of ``raw``.

    Parameters
    ----------
    raw
        Raw criterion values, one column per criterion.
    criteria
        Columns to normalize, in output order.
    directions
        ``"benefit"`` or ``"cost"`` per criterion (the registry direction).
    value_functions
        Value function per criterion; criteria not listed use min-max
        (:data:`~siting.valuefn.LINEAR`).
    reference
        Boolean mask of the rows (the eligible candidates) that set the min-max range; all rows if
        None.

    Examples
    --------
    >>> raw = pd.DataFrame({"a": [0.0, 5.0, 10.0]})
    >>> normalize(raw, ["a"], directions={"a": "cost"})["a"].tolist()
    [1.0, 0.5, 0.0]
    """
    fns = value_functions or {}
    return pd.DataFrame(
        {
            name: fns.get(name, LINEAR).apply(raw[name], directions[name], reference=reference)
            for name in criteria
        },
        index=raw.index,
    )

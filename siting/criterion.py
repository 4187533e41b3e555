"""What a criterion is, and the registry of every criterion siting knows.

A :class:`Criterion` declares everything about one measurable property of a site in one place:
its key (the column of ``ranking.csv`` and the key in scenario files), its direction, unit,
labels and description in English and Spanish, its default value function, and the functions
that measure it — by straight-line distance, on the road network, or both. Each function takes
a :class:`siting.measure.SiteContext` (the candidates plus lazily loaded, shared layers and
road-network searches) and returns one value per candidate.

:data:`CRITERIA` holds the registered criteria, in registration order (the order of the
ranking's columns); :mod:`siting.criteria` registers the built-in ones. Add your own with
:func:`register_criterion`; a scenario can then weigh, constrain and value-map it by its key.

Examples
--------
>>> import numpy as np
>>> from siting.criterion import Criterion, register_criterion, unregister_criterion
>>> site_index = Criterion(
...     key="site_index",
...     direction="benefit",
...     unit="index",
...     label={"en": "Site index", "es": "Índice del sitio"},
...     description={"en": "Position in the candidate list.", "es": "Posición en la lista."},
...     straight=lambda ctx: np.arange(len(ctx.sites), dtype=float),
... )
>>> register_criterion(site_index).label_in("es")
'Índice del sitio'
>>> unregister_criterion("site_index").key
'site_index'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from siting._errors import InputError
from siting.valuefn import ValueFunction

if TYPE_CHECKING:  # pragma: no cover - types only
    from siting.measure import SiteContext

__all__ = [
    "CRITERIA",
    "LANGUAGES",
    "MODES",
    "Criterion",
    "Direction",
    "Measure",
    "candidate_column",
    "default_set",
    "register_criterion",
    "unregister_criterion",
]

Direction = Literal["benefit", "cost"]
#: A criterion's measuring function: one value per candidate of the context.
Measure = Callable[["SiteContext"], Any]
#: Languages every user-facing criterion text is given in.
LANGUAGES = ("en", "es")
#: How distances are measured: on a road network, or by straight line.
MODES = ("network", "straight-line")


@dataclass(frozen=True)
class Criterion:
    """One criterion: identity, meaning, texts in both languages and how to measure it.

    Parameters
    ----------
    key
        Stable name: the column in ``ranking.csv`` and the key in scenario files.
    direction
        ``"benefit"`` (more is better) or ``"cost"`` (less is better).
    unit
        Unit of the raw values, e.g. ``"km"``, ``"min"``, ``"per 100k"``.
    label, description
        User-facing name and one-sentence description, by language (``"en"``, ``"es"``).
    straight
        Measures the criterion without a road network (straight-line distances, areas); also
        used with a network when ``network`` is None.
    network
        Measures it on the road network (``ctx.routed``); None if it needs none.
    value_function
        Default value function (None: linear min-max over the eligible candidates); a scenario's
        ``[value_functions.<key>]`` replaces it.
    default_in
        The default criteria sets (:data:`MODES`) this criterion belongs to: what objective weight
        methods use when a scenario lists no criteria.
    alternative
        For a network-only criterion, the criterion to suggest when the scenario has no network.
    candidate_column
        For a criterion read from a column of the candidates (the user's own data, e.g. rent per
        m²; see :func:`candidate_column`), that column. It is measured only for candidates that
        have the column.
    """

    key: str
    direction: Direction
    unit: str
    label: Mapping[str, str]
    description: Mapping[str, str]
    straight: Measure | None = field(default=None, repr=False, compare=False)
    network: Measure | None = field(default=None, repr=False, compare=False)
    value_function: ValueFunction | None = None
    default_in: tuple[str, ...] = ()
    alternative: str | None = None
    candidate_column: str | None = None

    def __post_init__(self) -> None:
        problems = []
        if not self.key.isidentifier():
            problems.append(f"`key` was {self.key!r} but is expected to be a snake_case name")
        if self.direction not in ("benefit", "cost"):
            problems.append(
                f"`direction` was {self.direction!r} but is expected to be 'benefit' or 'cost'"
            )
        for name in ("label", "description"):
            missing = [lang for lang in LANGUAGES if not getattr(self, name).get(lang)]
            if missing:
                problems.append(f"`{name}` lacks the language(s) {missing}")
        if self.straight is None and self.network is None:
            problems.append("give `straight`, `network` or both: how is the criterion measured?")
        unknown = sorted(set(self.default_in) - set(MODES))
        if unknown:
            problems.append(f"`default_in` has {unknown}; expected a subset of {list(MODES)}")
        if problems:
            msg = f"criterion {self.key!r}: " + "; ".join(problems)
            raise ValueError(msg)

    @property
    def needs_network(self) -> bool:
        """True if the criterion can only be measured on a road network."""
        return self.straight is None

    def label_in(self, lang: str = "en") -> str:
        """Return the user-facing name in ``lang``."""
        return self.label[lang]

    def description_in(self, lang: str = "en") -> str:
        """Return the one-sentence description in ``lang``."""
        return self.description[lang]

    def measure(self, ctx: SiteContext) -> Any:
        """Measure the criterion for every candidate of ``ctx`` (network if there is one)."""
        if self.network is not None and ctx.routed is not None:
            return self.network(ctx)
        if self.straight is None:
            msg = f"criterion {self.key!r} needs a road network; the run has none"
            raise ValueError(msg)
        return self.straight(ctx)


def candidate_column(column: str) -> Measure:
    """Return a measure that reads the numeric column ``column`` of the candidates.

    Empty cells, text that is not a number and infinite values are refused with an
    :class:`siting.InputError` naming the column, the first offending candidate and its value.
    """

    def measure(ctx: SiteContext) -> Any:
        if column not in ctx.sites.columns:
            msg = (
                f"the scenario uses the candidates column {column!r}, but the candidates have no "
                f"such column (found {[c for c in ctx.sites.columns if c != 'geometry']}); add it "
                "to the candidates file or remove it from [candidate_criteria]"
            )
            raise InputError(msg)
        raw = ctx.sites[column]
        values = pd.to_numeric(
            raw.astype(str).str.strip().str.replace(",", "", regex=False), errors="coerce"
        )
        values = values.where(raw.notna())
        bad = ~np.isfinite(values.to_numpy(dtype=float))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            shown = "" if pd.isna(raw.iloc[i]) else str(raw.iloc[i])
            msg = (
                f"candidates column {column!r}: candidate {ctx.sites['name'].iloc[i]!r} "
                f"(row {i + 2} of a CSV file, feature {i + 1} of a GeoJSON) has {shown!r}; "
                "expected a number in every row "
                f"({int(bad.sum())} row(s) affected)"
            )
            raise InputError(msg)
        return values.to_numpy(dtype=float)

    measure.__name__ = f"_column_{column}"
    return measure


#: Every registered criterion by key, in registration order.
CRITERIA: dict[str, Criterion] = {}


def register_criterion(criterion: Criterion, *, replace: bool = False) -> Criterion:
    """Add ``criterion`` to :data:`CRITERIA` and return it.

    Raises
    ------
    ValueError
        If a criterion with the same key is registered and ``replace`` is False.
    """
    if criterion.key in CRITERIA and not replace:
        msg = (
            f"a criterion {criterion.key!r} is already registered; pass replace=True to "
            "replace it or choose another key"
        )
        raise ValueError(msg)
    CRITERIA[criterion.key] = criterion
    return criterion


def unregister_criterion(key: str) -> Criterion:
    """Remove the criterion ``key`` from :data:`CRITERIA` and return it."""
    try:
        return CRITERIA.pop(key)
    except KeyError:
        msg = f"no criterion {key!r} is registered; registered: {sorted(CRITERIA)}"
        raise KeyError(msg) from None


def default_set(mode: str) -> tuple[str, ...]:
    """Return the keys of the default criteria of ``mode`` (``"network"``, ``"straight-line"``)."""
    if mode not in MODES:
        msg = f"`mode` was {mode!r} but is expected to be one of {list(MODES)}"
        raise ValueError(msg)
    return tuple(k for k, c in CRITERIA.items() if mode in c.default_in)

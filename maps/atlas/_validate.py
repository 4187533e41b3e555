"""Validation of the atlas functions' arguments: every problem found, in one ValueError."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np

from siting.maps.atlas.context import AtlasContext, context_problems
from siting.maps.static.page import page_problems


def _common(
    lang: Any, page: Any, orientation: Any, title: Any, author: Any, run_id: Any, day: Any
) -> list[str]:
    problems = page_problems(page, orientation, lang)
    for name, value in (("title", title), ("author", author), ("run_id", run_id)):
        if value is not None and not isinstance(value, str):
            problems.append(f"`{name}` must be a str or None, received {type(value).__name__}")
    if day is not None and not isinstance(day, dt.date):
        problems.append(f"`day` must be a datetime.date or None, received {type(day).__name__}")
    return problems


def _context(result: Any, surface: Any, context: Any) -> tuple[list[str], AtlasContext | None]:
    """Problems of ``result``/``surface``/``context``, and the context to use if none."""
    if context is not None:
        if not isinstance(context, AtlasContext):
            return [
                "`context` must be an AtlasContext (siting.maps.atlas.atlas_context) or None, "
                f"received {type(context).__name__}"
            ], None
        problems = []
        if context.result is not result:
            problems.append("`context` was built from another run than `result`")
        if surface is not None and surface is not context.surface:
            problems.append("`context` was built from another surface than `surface`")
        return problems, (None if problems else context)
    if surface is None:
        return [
            "`surface` is required (the municipal surface: "
            "siting.municipal.municipal_surface(result)) unless `context` is given"
        ], None
    problems = context_problems(result, surface)
    return problems, None


def _raise(func: str, problems: list[str]) -> None:
    if problems:
        listed = "\n".join(f"  - {p}" for p in problems)
        msg = f"{func} received {len(problems)} invalid input(s):\n{listed}"
        raise ValueError(msg)


def state_codes(result: Any) -> list[str]:
    """CVE_ENT codes of the run's states (empty if it has none)."""
    try:
        return sorted(str(c) for c in result.layers["states"]["CVE_ENT"])
    except (AttributeError, KeyError, TypeError):
        return []


def check_state_map(
    result: Any,
    state: Any,
    surface: Any,
    context: Any,
    lang: Any,
    page: Any,
    orientation: Any,
    title: Any,
    author: Any,
    run_id: Any,
    day: Any,
    top_n: Any,
) -> AtlasContext | None:
    """Raise one ValueError listing every problem of :func:`state_map`'s arguments."""
    problems, ctx = _context(result, surface, context)
    codes = state_codes(result)
    if codes and state not in codes:
        problems.append(
            f"`state` was {state!r} but is expected to be a state code (CVE_ENT) in {codes}"
        )
    problems += _common(lang, page, orientation, title, author, run_id, day)
    if isinstance(top_n, bool) or not isinstance(top_n, int | np.integer) or top_n < 0:
        problems.append(f"`top_n` must be a non-negative integer, received {top_n!r}")
    _raise("state_map", problems)
    return ctx


def check_cover_map(
    result: Any,
    states: Any,
    surface: Any,
    context: Any,
    lang: Any,
    page: Any,
    orientation: Any,
    title: Any,
    author: Any,
    run_id: Any,
    day: Any,
) -> AtlasContext | None:
    """Raise one ValueError listing every problem of :func:`cover_map`'s arguments."""
    problems, ctx = _context(result, surface, context)
    codes = state_codes(result)
    if states is not None:
        if isinstance(states, str) or not isinstance(states, Sequence):
            problems.append(
                f"`states` must be a list of state codes or None, received {type(states).__name__}"
            )
        else:
            unknown = [s for s in states if s not in codes]
            if unknown and codes:
                problems.append(
                    f"`states` has unknown state code(s) {unknown}; expected codes in {codes}"
                )
            repeated = sorted({s for s in states if list(states).count(s) > 1}, key=str)
            if repeated:
                problems.append(f"`states` repeats {repeated}")
    problems += _common(lang, page, orientation, title, author, run_id, day)
    _raise("cover_map", problems)
    return ctx

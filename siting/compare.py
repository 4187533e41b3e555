"""Side-by-side comparison of named candidates: why one ranks above another.

:func:`compare` returns one row per quantity and one column per site: rank and score, the rank
range over weight draws (from :mod:`siting.sensitivity`), then for every criterion its raw value,
its 0–1 value and the points it contributes. The rows of ``compare.csv`` use the column names of
``ranking.csv`` / ``sensitivity.csv`` (``field``) next to a readable ``label``.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from siting._errors import InputError
from siting.text import COMPARE

if TYPE_CHECKING:
    from siting.result import RunResult
    from siting.sensitivity import SensitivityResult


def _fold(text: str) -> str:
    """Casefold and strip accents: ``"Mérida"`` → ``"merida"``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def match_names(requested: Sequence[str], available: Sequence[str]) -> list[str]:
    """Return the candidate names matching ``requested`` (exact, else case-insensitive).

    Unknown names are reported with close matches: similar spellings (:mod:`difflib`, ignoring
    case and accents) and names that contain the one asked for.

    Raises
    ------
    InputError
        Naming every name not found with up to five close matches (:mod:`difflib`).

    Examples
    --------
    >>> match_names(["tijuana"], ["Tijuana", "Mérida"])
    ['Tijuana']
    """
    avail = list(dict.fromkeys(str(a) for a in available))
    folded: dict[str, list[str]] = {}
    for a in avail:
        folded.setdefault(a.casefold(), []).append(a)
    found, problems = [], []
    for name in requested:
        if name in avail:
            found.append(name)
        elif len(folded.get(name.casefold(), [])) == 1:
            found.append(folded[name.casefold()][0])
        else:
            lower = {_fold(a): a for a in avail}
            key = _fold(name)
            close = difflib.get_close_matches(key, list(lower), n=5, cutoff=0.6)
            close += [f for f in lower if key in f]
            matches = list(dict.fromkeys(lower[c] for c in close))[:5]
            if matches:
                problems.append(
                    COMPARE["unknown"].format(name=name, matches=", ".join(map(repr, matches)))
                )
            else:
                examples = ", ".join(repr(a) for a in avail[:3])
                problems.append(COMPARE["unknown_none"].format(name=name, examples=examples))
    if problems:
        raise InputError("; ".join(problems))
    return list(dict.fromkeys(found))


def compare(
    result: RunResult,
    names: Sequence[str],
    *,
    sensitivity: SensitivityResult | None = None,
) -> pd.DataFrame:
    """Return the side-by-side table of the named sites.

    Parameters
    ----------
    result
        A ranked run.
    names
        Candidate names (matched with :func:`match_names`).
    sensitivity
        If given, adds the best, median and worst rank over the weight draws and the share of
        draws in the top k.

    Returns
    -------
    pandas.DataFrame
        Columns ``field``, ``label`` and one per site (in the order asked); rows: ``rank``,
        ``score``, (``excluded_by``), (``rank_best``, ``rank_median``, ``rank_worst``,
        ``top_k_share``), then per criterion ``<name>``, ``norm_<name>``, ``contrib_<name>``.
    """
    ranking = pd.DataFrame(result.ranking.drop(columns="geometry", errors="ignore"))
    sites = match_names(names, ranking["name"].astype(str).tolist())
    by_name = ranking.set_index(ranking["name"].astype(str))
    rows: list[tuple[str, str, list[object]]] = []

    def add(field: str, label: str, values: list[object]) -> None:
        rows.append((field, label, values))

    add("rank", COMPARE["rank"], [_int_or_none(by_name.at[s, "rank"]) for s in sites])
    add("score", COMPARE["score"], [float(by_name.at[s, "score"]) for s in sites])
    if "excluded_by" in by_name.columns:
        add(
            "excluded_by",
            COMPARE["excluded_by"],
            [str(by_name.at[s, "excluded_by"]) for s in sites],
        )
    if sensitivity is not None:
        sens = sensitivity.table.set_index(sensitivity.table["name"].astype(str))
        k = sensitivity.settings.top_k
        for col in ("rank_best", "rank_median", "rank_worst", "top_k_share"):
            label = COMPARE[col].format(k=k)
            add(col, label, [sens.at[s, col] if s in sens.index else None for s in sites])
    for crit in result.criteria:
        n = crit.name
        add(
            n,
            COMPARE["raw"].format(label=crit.label, unit=crit.unit),
            [float(by_name.at[s, n]) for s in sites],
        )
        add(f"norm_{n}", COMPARE["norm"], [float(by_name.at[s, f"norm_{n}"]) for s in sites])
        add(
            f"contrib_{n}",
            COMPARE["contrib"].format(weight=crit.weight),
            [float(by_name.at[s, f"contrib_{n}"]) for s in sites],
        )
    table = pd.DataFrame(
        [[f, lab, *vals] for f, lab, vals in rows], columns=["field", "label", *sites]
    )
    return table


def _int_or_none(v: object) -> int | None:
    return None if pd.isna(v) else int(v)  # type: ignore[call-overload]


def format_table(table: pd.DataFrame, *, width: int = 28) -> str:
    """Return the comparison as plain text for the terminal (names cut to ``width`` characters)."""
    sites = [c for c in table.columns if c not in ("field", "label")]
    width_label = int(table["label"].str.len().max())
    shown = pd.DataFrame({"": table["label"].str.ljust(width_label)})
    for s in sites:
        col = []
        for field, v in zip(table["field"], table[s], strict=True):
            col.append(_fmt(field, v))
        shown[s if len(s) <= width else s[: width - 1] + "…"] = col
    return shown.to_string(index=False, justify="left")


def _fmt(field: str, v: object) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return "-"
    if isinstance(v, str):
        return v or "-"
    x = float(v)  # type: ignore[arg-type]
    if field in ("rank", "rank_best", "rank_worst"):
        return f"{x:.0f}"
    if field == "rank_median":
        return f"{x:g}"
    if field == "top_k_share":
        return f"{x:.0%}"
    if field.startswith("norm_"):
        return f"{x:.3f}"
    if field.startswith("contrib_") or field == "score":
        return f"{x:.1f}"
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.4g}"


def write_csv(table: pd.DataFrame, path: str) -> None:
    """Write ``compare.csv``."""
    table.to_csv(path, index=False, float_format="%.10g", lineterminator="\n")

"""Side-by-side comparison of named candidates: why one ranks above another.

:func:`compare` returns one row per quantity and one column per site: rank and score, the rank
range over weight draws (from :mod:`siting.sensitivity`), then for every criterion its raw value,
its 0–1 value and the points it contributes. The rows of ``compare.csv`` use the column names of
``ranking.csv`` / ``sensitivity.csv`` (``field``) next to a readable ``label``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd
from rapidfuzz import fuzz, process

from siting._csv import escape_formulas
from siting._errors import InputError
from siting.text import COMPARE

if TYPE_CHECKING:
    from siting.result import RunResult
    from siting.sensitivity import SensitivityResult


#: Most names listed for an ambiguous name.
MAX_LISTED = 8

#: Lowest :func:`rapidfuzz.fuzz.WRatio` score (0–100) of a suggested close name.
SUGGEST_CUTOFF = 70

_AMBIGUOUS = "{name!r} matches {n} candidates: {matches}; give the full name"


def _fold(text: str) -> str:
    """Strip accents, casefold and collapse spaces: ``" Mérida,  YUC "`` → ``"merida, yuc"``."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def _head(folded: str) -> str:
    """Return the place part of a folded name: ``"monterrey, nl (seat)"`` → ``"monterrey"``."""
    return re.split(r",| \(", folded, maxsplit=1)[0].strip()


def match_names(requested: Sequence[str], available: Sequence[str]) -> list[str]:
    """Return the candidate names matching ``requested``, ignoring case, accents and spacing.

    Each name is looked up in turn, the first step with any match deciding:

    1. the exact name;
    2. the same name ignoring case, accents and repeated spaces (``"queretaro"`` finds
       ``"Querétaro"``);
    3. the place part of a name, before its first ``,`` or `` (`` (``"monterrey"`` finds
       ``"Monterrey, NL (seat)"``);
    4. whole words within a name (``"juarez"`` finds ``"Ciudad Juárez"``).

    A step that finds several candidates makes the name ambiguous: it is reported with the
    candidates it matches (up to :data:`MAX_LISTED`). A name that nothing matches is reported with
    close spellings (:func:`rapidfuzz.fuzz.WRatio`, accents and case ignored).

    Raises
    ------
    InputError
        Naming every ambiguous or unknown name (all of them, in one message).

    Examples
    --------
    >>> match_names(["tijuana", "merida"], ["Tijuana", "Mérida, YUC (seat)"])
    ['Tijuana', 'Mérida, YUC (seat)']
    """
    avail = list(dict.fromkeys(str(a) for a in available))
    folded = [_fold(a) for a in avail]
    heads = [_head(f) for f in folded]
    found, problems = [], []
    for raw in requested:
        name = str(raw)
        if name in avail:
            found.append(name)
            continue
        key = _fold(name)
        if not key:
            problems.append(f"candidate name {name!r} is empty; give a name such as {avail[0]!r}")
            continue
        words = re.compile(rf"(?<!\w){re.escape(key)}(?!\w)")
        steps = (
            [a for a, f in zip(avail, folded, strict=True) if f == key],
            [a for a, h in zip(avail, heads, strict=True) if h == key],
            [a for a, f in zip(avail, folded, strict=True) if words.search(f)],
        )
        hits = next((step for step in steps if step), [])
        if len(hits) == 1:
            found.append(hits[0])
        elif hits:
            listed = ", ".join(repr(h) for h in hits[:MAX_LISTED])
            more = f" and {len(hits) - MAX_LISTED} more" if len(hits) > MAX_LISTED else ""
            problems.append(_AMBIGUOUS.format(name=name, n=len(hits), matches=listed + more))
        else:
            problems.append(_unknown(name, key, avail, folded, heads))
    if problems:
        raise InputError("; ".join(problems))
    return list(dict.fromkeys(found))


def _unknown(name: str, key: str, avail: list[str], folded: list[str], heads: list[str]) -> str:
    """Return the message for a name that matches nothing, with up to five close spellings.

    Names whose place part is spelled most like ``key`` come first, then shorter names.
    """
    close = process.extract(
        key, folded, scorer=fuzz.WRatio, limit=None, score_cutoff=SUGGEST_CUTOFF
    )
    close.sort(key=lambda c: (-max(c[1], fuzz.ratio(key, heads[c[2]])), len(avail[c[2]])))
    matches = list(dict.fromkeys(avail[i] for _, _, i in close))[:5]
    if matches:
        return COMPARE["unknown"].format(name=name, matches=", ".join(map(repr, matches)))
    examples = ", ".join(repr(a) for a in avail[:3])
    return COMPARE["unknown_none"].format(name=name, examples=examples)


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
    # site names are column headers here: escape those a spreadsheet would run as formulas
    escape_formulas(table).to_csv(path, index=False, float_format="%.10g", lineterminator="\n")

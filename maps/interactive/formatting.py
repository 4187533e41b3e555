"""Text for the page: HTML and ``<script>`` escaping, numbers and ranks formatted for people.

Every string that reaches HTML goes through :func:`escape` (candidate names are user input);
data for the page's scripts goes through :func:`script_json`. The number helpers are shared by
the popups, the tooltips of the context layers and the comparison panel, so a value reads the
same everywhere.
"""

from __future__ import annotations

import html
import json
import math
import re
from typing import Any

import pandas as pd

from siting.maps.text import TEXT


def escape(value: Any) -> str:
    r"""Return ``value`` as text safe inside HTML and inside a JavaScript template literal.

    folium embeds popup and tooltip HTML in backtick strings, where a backslash, a backtick or
    ``${`` would be interpreted; they become character references, which HTML shows literally.

    Examples
    --------
    >>> escape('<b>"A&B"</b> `${x}` \\')
    '&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt; &#96;&#36;{x}&#96; &#92;'
    """
    text = html.escape(str(value), quote=True)
    return text.replace("\\", "&#92;").replace("`", "&#96;").replace("$", "&#36;")


#: A ``{`` that would open a Jinja expression (``{{``); ``{%`` and ``{#`` cannot survive
#: :func:`script_json`, which escapes ``%`` and ``#``.
_JINJA_OPEN = re.compile(r"\{(?=\{)")


def script_json(value: Any) -> str:
    r"""Return ``value`` as compact JSON that is safe inside an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\u`` escapes, so no string can close the element
    (``</script>``) or open a comment; U+2028 and U+2029 are escaped too, and so are the
    backtick and ``$``, should the JSON ever land in a template literal. ``%``, ``#`` and a
    ``{`` before another ``{`` are escaped as well: folium (branca) renders a map's scripts
    through Jinja a second time, where ``{{``, ``{%`` and ``{#`` in a site's name would be
    template code. Outside strings JSON never has these characters (``{{`` cannot start an
    object), so only strings change. NaN is not JSON: pass ``None`` instead (a NaN raises
    ``ValueError``).

    Examples
    --------
    >>> script_json({"name": "</script><b>&"})
    '{"name":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026"}'
    >>> script_json(["{{ 7*7 }} {% x %} {# y #}"])
    '["\\u007b{ 7*7 }} {\\u0025 x \\u0025} {\\u0023 y \\u0023}"]'
    """
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    for char in "<>&`$%#\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return _JINJA_OPEN.sub(r"\\u007b", text)


def _number(value: Any, unit: str = "") -> str:
    """Format a number for people as plain text: thousands separators, ~3 significant digits.

    Examples
    --------
    >>> _number(12345.6, "min"), _number(12.34), _number(0.4567), _number(float("nan"))
    ('12,346 min', '12.3', '0.46', '—')
    """
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(v):
        return "—"
    if math.isinf(v):  # a drive time to nowhere: the site cannot be routed
        return TEXT["unreachable"]
    a = abs(v)
    text = f"{v:,.0f}" if a >= 100 else f"{v:.1f}" if a >= 10 else f"{v:.2f}"
    return f"{text} {unit}" if unit else text


def _fmt(value: Any, unit: str = "") -> str:
    """Format a number for people, escaped for HTML (see :func:`_number`)."""
    return escape(_number(value, unit))


def _percent(weight: Any) -> str:
    """Format a weight (a share of 1) as a percentage with 3 significant digits.

    Examples
    --------
    >>> _percent(0.125), _percent(1 / 3)
    ('12.5%', '33.3%')
    """
    return f"{float(weight) * 100:.3g}%"


def _text(value: Any) -> str:
    """Return ``value`` as text, empty for a missing value."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _whole(value: Any) -> str:
    """Format a rank: a whole number, ``—`` if missing."""
    return "—" if pd.isna(value) else f"{float(value):.0f}"


def json_texts(values: Any, *, keep_blank: bool = False) -> list[str | None]:
    """Return values as texts for the page's JSON, None where missing.

    Blank texts are None too, unless ``keep_blank`` (the sites' columns keep them: the scoring
    treats an empty metro name as a metro, as Python does).

    Examples
    --------
    >>> json_texts(["Tijuana", float("nan"), None, "  ", 12])
    ['Tijuana', None, None, None, '12']
    >>> json_texts(["", pd.NA], keep_blank=True)
    ['', None]
    """
    out: list[str | None] = []
    if isinstance(values, pd.Series | pd.Index):
        values = values.tolist()  # the same items; iterating arrow-backed text is 50 x slower
    for v in values:
        if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
            out.append(None)
        else:
            text = str(v)
            out.append(text if keep_blank or text.strip() else None)
    return out

"""Text for the page: HTML and ``<script>`` escaping, and texts made ready for its JSON.

Every string that reaches HTML goes through :func:`escape` (a title given by the user); data
for the page's scripts goes through :func:`script_json`, its text columns through
:func:`json_texts`. Numbers are formatted for people by the page itself (``assets/app.js``,
``formatNumber``), in the language it shows.
"""

from __future__ import annotations

import html
import json
import math
import re
from typing import Any

import pandas as pd


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

"""Numbers and dates in the reader's language (Babel, CLDR locales).

Mexico writes numbers as the United States does: a comma groups thousands and a point marks
decimals ("1,234.5"), so both languages of :data:`siting.text.LANGUAGES` share that format; the
languages differ in dates ("1 de diciembre de 2026", "December 1, 2026"). The locales are
Mexican Spanish (``es_MX``) and United States English (``en_US``).

Examples
--------
>>> import datetime
>>> format_number(1234.5, lang="es"), format_number(0.25, 2, lang="en")
('1,234.5', '0.25')
>>> format_date(datetime.date(2026, 12, 1), lang="es")
'1 de diciembre de 2026'
>>> format_date(datetime.date(2026, 12, 1), lang="en")
'December 1, 2026'
"""

from __future__ import annotations

import datetime as dt
import math

from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal

from siting.text import check_lang

#: CLDR locale of each language.
LOCALES: dict[str, str] = {"en": "en_US", "es": "es_MX"}


def format_number(value: float, decimals: int = 1, *, lang: str = "es") -> str:
    """Return ``value`` with thousands grouped and exactly ``decimals`` decimals.

    A missing or infinite value is ``"–"``.

    Examples
    --------
    >>> format_number(1234567, 0), format_number(float("nan")), format_number(-0.04)
    ('1,234,567', '–', '0.0')
    """
    locale = LOCALES[check_lang(lang)]
    if value is None or not math.isfinite(float(value)):
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    rounded = round(float(value), decimals) + 0.0  # never "-0.0"
    return format_decimal(rounded, format=pattern, locale=locale)


def format_date(day: dt.date, *, lang: str = "es") -> str:
    """Return ``day`` written out in ``lang`` (month by name)."""
    return _babel_date(day, format="long", locale=LOCALES[check_lang(lang)])


def format_minutes(minutes: float, *, lang: str = "es") -> str:
    """Return a drive time as ``h:mm`` (``"–"`` when missing or infinite).

    Examples
    --------
    >>> format_minutes(169.3), format_minutes(45), format_minutes(float("inf"))
    ('2:49', '0:45', '–')
    """
    check_lang(lang)
    if minutes is None or not math.isfinite(float(minutes)):
        return "–"
    m = round(float(minutes))
    return f"{m // 60}:{m % 60:02d}"

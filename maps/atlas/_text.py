"""Text of the atlas pages in one language, and the compact list of sources.

Every user-facing string of a sheet comes from :data:`siting.maps.text.ATLAS_TEXT_BY_LANG`
(plus, for the aggregation methods, the neighbouring countries and the seas, the browser map's
:data:`siting.maps.text.PAGE_TEXT`, and :data:`siting.maps.text.ATLAS_TEXT_SAME`); numbers and
dates come from :mod:`siting.localize`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from siting.localize import format_date
from siting.maps.text import ATLAS_TEXT_BY_LANG, ATLAS_TEXT_SAME, PAGE_TEXT
from siting.text import check_lang

#: Keys of :data:`~siting.maps.text.PAGE_TEXT` the atlas uses (countries, seas, methods).
PAGE_KEYS: tuple[str, ...] = (
    "usa",
    "guatemala",
    "belize",
    "gulf_of_mexico",
    "pacific_ocean",
    "caribbean",
    "gulf_of_california",
    "method_weighted_sum",
    "method_weighted_product",
    "method_topsis",
)
#: Prefix of a credit that the "Sources:" heading makes redundant.
_CREDIT_PREFIX = re.compile(r"^(fuentes?|sources?)\s*:\s*", re.IGNORECASE)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


def texts(lang: str) -> dict[str, str]:
    """Return the atlas text in ``lang`` (a checked language code)."""
    page = PAGE_TEXT[lang]
    return {**ATLAS_TEXT_SAME, **{k: page[k] for k in PAGE_KEYS}, **ATLAS_TEXT_BY_LANG[lang]}


def atlas_text(lang: str = "es") -> dict[str, str]:
    """Return every text of the atlas pages in ``lang``, by key (a fresh dict).

    :data:`siting.maps.text.ATLAS_TEXT_BY_LANG` with the atlas's keys of
    :data:`siting.maps.text.PAGE_TEXT` (countries, seas, aggregation methods) and
    :data:`siting.maps.text.ATLAS_TEXT_SAME`.

    Raises
    ------
    ValueError
        If ``lang`` is not one of :data:`siting.text.LANGUAGES`.

    Examples
    --------
    >>> atlas_text("es")["legend_header"], atlas_text("en")["usa"]
    ('Simbología', 'United States')
    """
    return texts(check_lang(lang))


def method_name(method: str, lang: str) -> str:
    """Return the name of an aggregation method in ``lang`` (its code if unknown)."""
    return PAGE_TEXT[lang].get(f"method_{method}", method)


def credit_of(source: Mapping[str, Any]) -> str:
    """Return the short credit of a source (``credit``, else ``publisher``, else ``title``)."""
    for key in ("credit", "publisher", "title"):
        value = source.get(key)
        if isinstance(value, str) and value.strip():
            return _CREDIT_PREFIX.sub("", value.strip())
    return ""


def _licence(text: str, t: Mapping[str, str]) -> str:
    low = text.lower()
    if "public domain" in low or "dominio público" in low:
        return t["licence_public_domain"]
    if "libre uso mx" in low or "open data" in low or "datos abiertos" in low:
        return t["licence_open_mx"]
    if "inegi" in low and "libre uso" in low:
        return t["licence_inegi"]
    if low.startswith("facts"):
        return t["licence_facts"]
    return re.split(r"\s[(;]|;", text.strip(), maxsplit=1)[0]


def _date(text: str, lang: str) -> str:
    iso = _ISO_DATE.match(text)
    if iso:
        return format_date(dt.date(*(int(g) for g in iso.groups())), lang=lang)
    years = sorted({int(y) for y in _YEAR.findall(text)})
    if not years:
        return ""
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def source_items(sources: Mapping[str, Mapping[str, Any]], lang: str) -> list[str]:
    """Return one compact item per credit: ``"INEGI, Censo 2020 (2020; INEGI free-use terms)"``.

    Sources with the same credit are merged (their dates and licences joined).

    Examples
    --------
    >>> src = {"a": {"credit": "Fuente: INEGI, Censo", "date": "2020",
    ...              "licence": "INEGI Términos de libre uso de la información"},
    ...        "b": {"publisher": "U.S. DOT BTS", "date": "2024-05-01",
    ...              "licence": "US federal government work, public domain"}}
    >>> source_items(src, "es")
    ['INEGI, Censo (2020; términos de libre uso del INEGI)', 'U.S. DOT BTS (1 de mayo de 2024; dominio público)']
    """  # noqa: E501
    t = texts(lang)
    merged: dict[str, tuple[list[str], list[str]]] = {}
    for source in sources.values():
        if not isinstance(source, Mapping):
            continue
        credit = credit_of(source)
        if not credit:
            continue
        dates, licences = merged.setdefault(credit, ([], []))
        date = _date(str(source.get("date") or ""), lang)
        licence = _licence(str(source.get("licence") or ""), t) if source.get("licence") else ""
        if date and date not in dates:
            dates.append(date)
        if licence and licence not in licences:
            licences.append(licence)
    items = []
    for credit, (dates, licences) in merged.items():
        details = "; ".join([", ".join(dates), ", ".join(licences)] if dates else licences)
        details = details.strip("; ")
        items.append(
            t["source_item"].format(credit=credit, details=details)
            if details
            else t["source_item_plain"].format(credit=credit)
        )
    return items

"""Make a rendered folium page self-contained: inline Leaflet and jQuery, drop unused CDN assets.

folium links its JavaScript and CSS from CDNs (``folium.folium._default_js`` and
``_default_css``). Offline, :func:`inline_assets` replaces those links with the files shipped by
the PyPI packages ``xstatic-leaflet`` and ``xstatic-jquery`` (Leaflet's CSS images become
``data:`` URIs; ``images/layers.png`` is the layer-control icon).

folium also loads assets that :mod:`siting.maps.interactive` does not use; they are dropped,
not inlined:

* Bootstrap 5 JS/CSS and the Bootstrap 3 glyphicons: folium loads them for plugins with
  Bootstrap widgets; our popups, legend and layer control are plain Leaflet + our own CSS.
  (``xstatic-bootstrap`` cannot even be built here: its sdist needs ``pkg_resources``.)
* Leaflet.awesome-markers (JS, CSS and folium's rotate CSS) and Font Awesome: used only by
  ``folium.Icon`` markers; our map draws every symbol as a ``CircleMarker``, so it needs no icon
  font. Leaflet.awesome-markers has no XStatic package.

A page that does use awesome markers, or links any other external script or stylesheet, cannot
be made self-contained this way: :func:`inline_assets` raises rather than write a page that
silently breaks. The basemap tile URL template stays: offline its tiles fail to load and the
page works without them.
"""

from __future__ import annotations

import base64
import logging
import re
from functools import cache
from pathlib import Path

import folium.folium
import xstatic.pkg.jquery
import xstatic.pkg.leaflet

logger = logging.getLogger(__name__)

#: folium default assets (by folium's name for them) that are inlined from XStatic packages.
INLINED = ("leaflet", "jquery", "leaflet_css")
#: folium default assets dropped offline, with the reason (see module docstring).
DROPPED: dict[str, str] = {
    "bootstrap": "Bootstrap widgets are not used",
    "bootstrap_css": "Bootstrap widgets are not used",
    "glyphicons_css": "no glyphicon is used",
    "awesome_markers": "no folium.Icon marker is used",
    "awesome_markers_css": "no folium.Icon marker is used",
    "awesome_markers_font_css": "no Font Awesome icon is used",
    "awesome_rotate_css": "no folium.Icon marker is used",
}

# the tags folium writes for its JavaScript and CSS links
_ASSET_TAG = re.compile(
    r"<script\s+src=\"(?P<js>[^\"]+)\"\s*>\s*</script>"
    r"|<link\s+rel=\"stylesheet\"\s+href=\"(?P<css>[^\"]+)\"\s*/?>"
)
_CSS_IMAGE = re.compile(r"url\((?P<q>['\"]?)images/(?P<file>[\w.-]+\.png)(?P=q)\)")
# resource references that make a browser fetch something: script/img/iframe src, link href,
# CSS url() and @import, with an absolute or protocol-relative URL
_EXTERNAL = re.compile(
    r"<(?:script|img|iframe|source|audio|video|embed)\b[^>]*?\ssrc\s*=\s*[\"']?"
    r"(?P<src>(?:https?:)?//[^\"'\s>]+)"
    r"|<link\b[^>]*?\shref\s*=\s*[\"']?(?P<href>(?:https?:)?//[^\"'\s>]+)"
    r"|url\(\s*[\"']?(?P<url>(?:https?:)?//[^\"')\s]+)"
    r"|@import\s+[\"'](?P<imp>(?:https?:)?//[^\"']+)",
    re.IGNORECASE,
)


def _read(package_dir: str, name: str) -> str:
    return (Path(package_dir) / name).read_text(encoding="utf-8")


def _script(js: str) -> str:
    # a literal "</script" inside the code would end the element early
    return "<script>\n" + re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE) + "\n</script>"


def _style(css: str) -> str:
    return "<style>\n" + re.sub(r"</(style)", r"<\\/\1", css, flags=re.IGNORECASE) + "\n</style>"


@cache
def leaflet_css() -> str:
    """Return Leaflet's CSS with its images (layer-control icon, marker icon) as data URIs."""
    base = Path(xstatic.pkg.leaflet.BASE_DIR)
    css = (base / "leaflet.css").read_text(encoding="utf-8")

    def data_uri(match: re.Match[str]) -> str:
        png = (base / "images" / match["file"]).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(png).decode('ascii')})"

    return _CSS_IMAGE.sub(data_uri, css)


@cache
def _assets() -> dict[str, str]:
    return {
        "leaflet": _script(_read(xstatic.pkg.leaflet.BASE_DIR, "leaflet.js")),
        "leaflet_css": _style(leaflet_css()),
        "jquery": _script(_read(xstatic.pkg.jquery.BASE_DIR, "jquery.min.js")),
    }


def _folium_names() -> dict[str, str]:
    """Map each folium default asset URL to folium's name for it."""
    pairs = [*folium.folium._default_js, *folium.folium._default_css]
    return {url: name for name, url in pairs}


def external_references(html: str) -> list[str]:
    """Return the URLs that ``html`` makes a browser fetch (scripts, stylesheets, images, CSS).

    Only markup and CSS references count; URLs inside JavaScript strings (such as a tile URL
    template or a link in the attribution text) are not fetched by loading the page.

    Examples
    --------
    >>> external_references('<script src="https://x.org/a.js"></script><a href="https://y">')
    ['https://x.org/a.js']
    """
    return [next(g for g in m.groups() if g) for m in _EXTERNAL.finditer(html)]


def inline_assets(html: str) -> str:
    """Return ``html`` (a rendered folium page) with no external script or stylesheet.

    Leaflet and jQuery are inlined from ``xstatic-leaflet`` and ``xstatic-jquery``; the folium
    defaults listed in :data:`DROPPED` are removed.

    Raises
    ------
    ValueError
        If the page uses Leaflet.awesome-markers, or links an external script or stylesheet that
        is neither inlined nor dropped.
    """
    if "L.AwesomeMarkers" in html:
        msg = (
            "the map uses folium.Icon (Leaflet.awesome-markers), which cannot be bundled offline; "
            "use CircleMarker or save with offline=False"
        )
        raise ValueError(msg)
    names = _folium_names()
    assets = _assets()
    unknown: list[str] = []

    def replace(match: re.Match[str]) -> str:
        url = match["js"] or match["css"]
        name = names.get(url)
        if name in INLINED:
            if name == "leaflet" and f"leaflet@{xstatic.pkg.leaflet.VERSION}/" not in url:
                logger.warning(
                    "folium expects Leaflet from %r; inlining xstatic-leaflet %s instead",
                    url,
                    xstatic.pkg.leaflet.VERSION,
                )
            return assets[name]
        if name in DROPPED:
            logger.debug("offline map: dropping %r (%s)", url, DROPPED[name])
            return ""
        if url.startswith(("http:", "https:", "//")):
            unknown.append(url)
        return match[0]

    # scan and replace only the folium page, before the inlined libraries are in it
    out = _ASSET_TAG.sub(replace, html)
    leftover = [u for u in external_references(html) if names.get(u) not in (*INLINED, *DROPPED)]
    unknown.extend(u for u in leftover if u not in unknown)
    if unknown:
        msg = (
            f"cannot make the map self-contained: it loads {unknown}; only folium's default "
            "assets can be inlined or dropped. Save with offline=False or remove the plugins that "
            "need them"
        )
        raise ValueError(msg)
    return out

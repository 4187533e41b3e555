/*
 * Context layers of the siting interactive map (map.html), drawn from the page's data without
 * any tile: the land (states), the neighbouring countries and the land border, trunk roads,
 * labels (states, cities, countries, seas), the two municipal choropleths (labour, security),
 * border crossings and container ports.
 *
 * The data come from siting.maps.interactive.context.context_data; lines and rings are Encoded
 * Polyline strings decoded by sitingCodec (codec.js, loaded before this file). The page's app
 * calls sitingContext.install(map, data, ui) once, with
 *   ui.t(key)          the text of a key in the current language,
 *   ui.num(x, digits)  a number formatted for the current language,
 *   ui.lang()          "es" or "en",
 * and gets back {base, overlays, relabel}:
 *   base      the offline basemap (land, neighbours, roads, labels) for the base-layer control;
 *   overlays  [{key, layer, legend}] for the layer control: key is the text key of the layer's
 *             name, legend() builds its legend section (an element) in the current language;
 *   relabel() re-renders the label texts after a language switch.
 * Tooltips and popups are built when they open, so they are always in the current language.
 * Every element is built with createElement and textContent: place names are data, never
 * markup.
 *
 * The functions before install() are pure; Node runs their unit tests
 * (tests/js/context.test.js loads this file with require()).
 */
var sitingContext = (function () {
    "use strict";

    /* Panes the layers are drawn in: [name, z-index, receives pointer events]. */
    var PANES = [
        ["sitingBase", 250, false],
        ["sitingAreas", 350, true],
        ["sitingLabels", 450, false]
    ];
    /* Shown for a missing value. */
    var MISSING = "—";

    /* Whether a label of `minzoom` shows at `zoom`. */
    function labelVisible(minzoom, zoom) {
        return typeof zoom === "number" && zoom >= (minzoom || 0);
    }

    /* Indices of the labels of `minzooms` (an array) that show at `zoom`. */
    function visibleAt(minzooms, zoom) {
        var out = [];
        for (var i = 0; i < minzooms.length; i += 1) {
            if (labelVisible(minzooms[i], zoom)) { out.push(i); }
        }
        return out;
    }

    /*
     * Class index of `value` for lower class bounds `bins` (as siting.maps.style.classify):
     * class i holds bins[i] <= value < bins[i + 1], the last class is open, values below
     * bins[0] fall in class 0, and a missing value is -1.
     */
    function classOf(value, bins) {
        if (value === null || value === undefined || value !== value) { return -1; }
        var k = 0;
        while (k + 1 < bins.length && value >= bins[k + 1]) { k += 1; }
        return k;
    }

    /* Fill colour of municipality i in choropleth `layer` (its class, or the no-data colour). */
    function classColor(layer, i) {
        var k = layer.classes[i];
        return k >= 0 && k < layer.colors.length ? layer.colors[k] : layer.nodata;
    }

    /* Legend label of class i of lower bounds `bins`: "lo – hi", the last one "≥ lo". */
    function classLabel(bins, i, fmt) {
        var lo = fmt(bins[i]);
        return i === bins.length - 1 ? "≥ " + lo : lo + " – " + fmt(bins[i + 1]);
    }

    /* Whether some municipality of `layer` has no data (the legend then shows that swatch). */
    function hasNoData(layer) {
        return layer.classes.some(function (k) { return k < 0; });
    }

    /* A number for people, or "—" when missing. */
    function valueText(x, ui, digits) {
        return x === null || x === undefined || x !== x ? MISSING : ui.num(x, digits);
    }

    /* ui.t(key), or `fallback` when the text table has no such key. */
    function textOr(ui, key, fallback) {
        var text = ui.t(key);
        return text && text !== key ? text : fallback;
    }

    /* Column `name` of a column table at row i, null when absent. */
    function cell(table, name, i) {
        var col = table[name];
        return col && col[i] !== undefined ? col[i] : null;
    }

    /*
     * Tooltip of municipality i in choropleth `layerId` ("labor" or "security"):
     * {title, rows: [[label, value], ...]}. Rows of columns the data lack are left out.
     */
    function municipalTip(mun, layerId, i, ui) {
        var name = cell(mun, "municipality", i), state = cell(mun, "state", i);
        var title = [name, state].filter(function (s) { return s; }).join(", ");
        var rows = [];
        function row(key, column) {
            if (mun[column]) { rows.push([ui.t(key), valueText(cell(mun, column, i), ui)]); }
        }
        if (layerId === "labor") {
            row("population", "population");
            row("density", "density_km2");
        } else {
            row("homicide_rate", "homicide_rate");
            row("homicide_rate_state", "homicide_rate_state");
            row("cargo_theft_rate", "cargo_theft_rate");
            if (mun.advisory_level || mun.advisory_label) {
                var level = cell(mun, "advisory_level", i);
                var label = level === null ? cell(mun, "advisory_label", i)
                    : textOr(ui, "advisory_" + level, cell(mun, "advisory_label", i));
                var text = [level === null ? null : String(level), label]
                    .filter(function (s) { return s; }).join(" ");
                rows.push([ui.t("advisory"), text || MISSING]);
            }
        }
        return { title: title || MISSING, rows: rows };
    }

    /* Popup of border crossing i: {title, rows} and its tooltip text. */
    function crossingTip(c, i, ui) {
        var name = cell(c, "name", i) || MISSING, twin = cell(c, "twin", i);
        return {
            title: ui.t("port") + ": " + name + (twin ? " (" + twin + ")" : ""),
            rows: [[ui.t("trucks"), valueText(cell(c, "trucks", i), ui)]],
            tooltip: name
        };
    }

    /* Popup of container port i: {title, lines, rows} and its tooltip text. */
    function seaportTip(s, i, ui) {
        var name = cell(s, "name", i) || MISSING, code = cell(s, "unlocode", i);
        var coast = cell(s, "coast", i);
        var where = [cell(s, "state", i),
            coast ? textOr(ui, "coast_" + String(coast).toLowerCase(), coast) : null]
            .filter(function (x) { return x; });
        var teu = cell(s, "teu_per_year", i), rows = [];
        if (teu !== null) { rows.push([ui.t("teu_per_year"), valueText(teu, ui)]); }
        var jan = cell(s, "teu_jan_apr_2024", i);
        if (jan !== null) { rows.push([ui.t("teu_jan_apr"), valueText(jan, ui)]); }
        var tip = name;
        if (teu !== null) { tip += " · " + ui.t("teu_short").split("{teu}").join(ui.num(teu)); }
        return {
            title: ui.t("seaport") + ": " + name + (code ? " (" + code + ")" : ""),
            lines: where.length ? [where.join(", ")] : [],
            rows: rows,
            tooltip: tip
        };
    }

    /* ---- DOM (browser only) ------------------------------------------------------------- */

    function el(tag, className, text, parent) {
        var node = document.createElement(tag);
        if (className) { node.className = className; }
        if (text !== null && text !== undefined) { node.textContent = text; }
        if (parent) { parent.appendChild(node); }
        return node;
    }

    /* A tooltip or popup box from {title, lines, rows}. */
    function infoBox(info) {
        var box = el("div", "siting-context-info");
        el("b", "siting-context-title", info.title, box);
        (info.lines || []).forEach(function (line) { el("div", null, line, box); });
        info.rows.forEach(function (r) {
            var row = el("div", "siting-context-row", null, box);
            el("span", "siting-context-label", r[0] + ": ", row);
            el("span", "siting-context-value", r[1], row);
        });
        return box;
    }

    function swatchRow(parent, color, text) {
        var row = el("div", "siting-row", null, parent);
        var swatch = el("i", null, null, row);
        swatch.style.background = color;
        el("span", null, text, row);
        return row;
    }

    /*
     * A legend symbol: an SVG circle of `radius` px (stroke `weight` px, dashed with `dash` if
     * given). The page's own legend (app.js) draws its symbols with it too.
     */
    function svgCircle(radius, fill, stroke, opacity, weight, dash) {
        var ns = "http://www.w3.org/2000/svg", size = 2 * radius + 4;
        var svg = document.createElementNS(ns, "svg");
        svg.setAttribute("width", size);
        svg.setAttribute("height", size);
        var c = document.createElementNS(ns, "circle");
        c.setAttribute("cx", size / 2);
        c.setAttribute("cy", size / 2);
        c.setAttribute("r", radius);
        c.setAttribute("fill", fill);
        c.setAttribute("fill-opacity", opacity);
        c.setAttribute("stroke", stroke);
        c.setAttribute("stroke-width", weight);
        if (dash) { c.setAttribute("stroke-dasharray", dash); }
        svg.appendChild(c);
        return svg;
    }

    function circleRow(parent, radius, fill, stroke, opacity, weight, text) {
        var row = el("div", "siting-row", null, parent);
        row.appendChild(svgCircle(radius, fill, stroke, opacity, weight));
        el("span", null, text, row);
        return row;
    }

    /* A label marker: a div icon whose text is set with textContent. */
    function labelMarker(lat, lon, kind, angle) {
        var span = document.createElement("span");
        span.className = "siting-label-text";
        span.style.position = "absolute";
        span.style.whiteSpace = "nowrap";
        span.style.left = "0";
        span.style.top = "0";
        var shift = kind === "city" ? "translate(6px, -50%)" : "translate(-50%, -50%)";
        span.style.transform = shift + (angle ? " rotate(" + angle + "deg)" : "");
        var holder = document.createElement("div");
        if (kind === "city") {
            var dot = el("span", "siting-label-dot", null, holder);
            dot.style.position = "absolute";
            dot.style.left = "-2px";
            dot.style.top = "-2px";
            dot.style.width = "4px";
            dot.style.height = "4px";
            dot.style.borderRadius = "50%";
            dot.style.background = "currentColor";
        }
        holder.appendChild(span);
        var marker = L.marker([lat, lon], {
            icon: L.divIcon({ className: "siting-label siting-label-" + kind, html: holder, iconSize: null }),
            interactive: false,
            keyboard: false,
            pane: "sitingLabels"
        });
        return { marker: marker, text: span };
    }

    function install(map, data, ui) {
        PANES.forEach(function (p) {
            var pane = map.getPane(p[0]) || map.createPane(p[0]);
            pane.style.zIndex = String(p[1]);
            if (!p[2]) { pane.style.pointerEvents = "none"; }
        });
        var colors = data.colors || {};
        var baseRenderer = L.canvas({ pane: "sitingBase", padding: 0.5 });
        var areaRenderer = L.canvas({ pane: "sitingAreas", padding: 0.5 });
        var base = L.layerGroup();
        var plain = { renderer: baseRenderer, pane: "sitingBase", interactive: false };
        function options(extra) {
            var o = {};
            Object.keys(plain).forEach(function (k) { o[k] = plain[k]; });
            Object.keys(extra).forEach(function (k) { o[k] = extra[k]; });
            return o;
        }
        function allPolygons(block) {
            var out = [];
            (block.shapes || []).forEach(function (shape) {
                out = out.concat(sitingCodec.polygons(shape, block.precision));
            });
            return out;
        }

        /* ---- offline basemap: neighbours, land, roads, border ---- */
        var abroad = data.abroad;
        if (abroad && abroad.shapes && abroad.shapes.length) {
            L.polygon(sitingCodec.polygons(abroad.shapes, abroad.precision), options({
                stroke: false, fillColor: colors.abroad, fillOpacity: 1
            })).addTo(base);
        }
        if (data.land && data.land.shapes.length) {
            L.polygon(allPolygons(data.land), options({
                color: colors.land_edge, weight: 0.8, fillColor: colors.land, fillOpacity: 1
            })).addTo(base);
        }
        if (data.roads && data.roads.lines.length) {
            L.polyline(sitingCodec.lines(data.roads.lines, data.roads.precision), options({
                color: colors.road, weight: 1.2, opacity: 0.9
            })).addTo(base);
        }
        if (abroad && abroad.border && abroad.border.length) {
            L.polyline(sitingCodec.lines(abroad.border, abroad.precision), options({
                color: colors.border, weight: 1.6
            })).addTo(base);
        }

        /* ---- labels: states, cities, countries and seas, each from its minimum zoom ---- */
        var labelGroup = L.layerGroup().addTo(base);
        var labels = [];
        function addLabel(lat, lon, kind, minzoom, text, key, angle) {
            if (lat === null || lon === null || (!text && !key)) { return; }
            var made = labelMarker(lat, lon, kind, angle);
            made.minzoom = minzoom;
            made.key = key || null;
            made.text.textContent = key ? ui.t(key) : text;
            labels.push(made);
        }
        if (data.land) {
            data.land.name.forEach(function (name, i) {
                addLabel(data.land.lat[i], data.land.lon[i], "state", data.land.minzoom[i], name);
            });
        }
        if (abroad && abroad.labels) {
            var al = abroad.labels;
            al.key.forEach(function (key, i) {
                addLabel(al.lat[i], al.lon[i], al.kind[i], al.minzoom[i], null, key, al.angle[i]);
            });
        }
        if (data.cities) {
            var c = data.cities;
            c.name.forEach(function (name, i) {
                addLabel(c.lat[i], c.lon[i], "city", c.minzoom[i], name);
            });
        }
        function showLabels() {
            var zoom = map.getZoom();
            labels.forEach(function (label) {
                var show = labelVisible(label.minzoom, zoom);
                if (show && !labelGroup.hasLayer(label.marker)) { labelGroup.addLayer(label.marker); }
                if (!show && labelGroup.hasLayer(label.marker)) { labelGroup.removeLayer(label.marker); }
            });
        }
        map.on("zoomend", showLabels);
        map.whenReady(showLabels);

        /* ---- overlays ---- */
        var overlays = [];
        var mun = data.municipal;
        var decoded = null;
        function municipalShapes() {
            if (!decoded) {
                decoded = mun.shapes.map(function (shape) {
                    return sitingCodec.polygons(shape, mun.precision);
                });
            }
            return decoded;
        }
        (mun ? mun.layers : []).forEach(function (layer) {
            var group = L.featureGroup();
            var built = false;
            group.on("add", function () {
                if (built) { return; }
                built = true;
                municipalShapes().forEach(function (latlngs, i) {
                    if (!latlngs.length) { return; }
                    var polygon = L.polygon(latlngs, {
                        renderer: areaRenderer, pane: "sitingAreas",
                        fillColor: classColor(layer, i), fillOpacity: 0.65,
                        color: "#ffffff", weight: 0.4
                    });
                    polygon.sitingIndex = i;
                    group.addLayer(polygon);
                });
            });
            group.bindTooltip(function (target) {
                return infoBox(municipalTip(mun, layer.id, target.sitingIndex, ui));
            }, { sticky: true });
            group.on("mouseover", function (e) {
                if (e.layer && e.layer.setStyle) { e.layer.setStyle({ color: "#222222", weight: 1.5 }); }
            });
            group.on("mouseout", function (e) {
                if (e.layer && e.layer.setStyle) { e.layer.setStyle({ color: "#ffffff", weight: 0.4 }); }
            });
            overlays.push({
                key: layer.key,
                layer: group,
                legend: function () {
                    var box = el("div", "siting-context-legend");
                    el("div", "siting-subtitle", ui.t(layer.legend), box);
                    layer.bins.forEach(function (_, i) {
                        swatchRow(box, layer.colors[i], classLabel(layer.bins, i, function (x) {
                            return ui.num(x);
                        }));
                    });
                    if (hasNoData(layer)) { swatchRow(box, layer.nodata, ui.t("no_data")); }
                    return box;
                }
            });
        });

        function points(table, kind, style, tip, legendKey, legendRadius) {
            var group = L.featureGroup();
            table.name.forEach(function (_, i) {
                if (table.lat[i] === null || table.lon[i] === null) { return; }
                var marker = L.circleMarker([table.lat[i], table.lon[i]], {
                    radius: table.radius[i], color: style.color, weight: style.weight,
                    fillColor: style.fill, fillOpacity: style.opacity, className: "siting-" + kind
                });
                marker.bindPopup(function () { return infoBox(tip(table, i, ui)); }, { maxWidth: 300 });
                marker.bindTooltip(function () { return el("span", null, tip(table, i, ui).tooltip); });
                group.addLayer(marker);
            });
            group.addTo(map);
            overlays.push({
                key: "layer_" + kind + "s",
                layer: group,
                legend: function () {
                    var box = el("div", "siting-context-legend");
                    circleRow(box, legendRadius, style.fill, style.color, style.opacity,
                        style.weight, ui.t(legendKey));
                    return box;
                }
            });
        }
        if (data.crossings && data.crossings.name.length) {
            points(data.crossings, "crossing", {
                color: colors.crossing, weight: 1, fill: colors.crossing, opacity: 0.35
            }, crossingTip, "legend_crossing", 8);
        }
        if (data.seaports && data.seaports.name.length) {
            points(data.seaports, "seaport", {
                color: colors.seaport, weight: 2, fill: "#ffffff", opacity: 0.9
            }, seaportTip, "legend_seaport", 7);
        }

        function relabel() {
            labels.forEach(function (label) {
                if (label.key) { label.text.textContent = ui.t(label.key); }
            });
        }

        return { base: base, overlays: overlays, relabel: relabel };
    }

    return {
        labelVisible: labelVisible,
        visibleAt: visibleAt,
        classOf: classOf,
        classColor: classColor,
        classLabel: classLabel,
        hasNoData: hasNoData,
        valueText: valueText,
        textOr: textOr,
        municipalTip: municipalTip,
        crossingTip: crossingTip,
        seaportTip: seaportTip,
        svgCircle: svgCircle,
        install: install
    };
})();

if (typeof module === "object" && module.exports) {
    module.exports = sitingContext;
}

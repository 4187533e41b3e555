/*
 * The siting interactive map (map.html): live weights, ranking table, filters, shortlist,
 * exports, shareable link and the Spanish/English switch, drawn from one data object.
 *
 * Inlined into the page by siting.maps.interactive.page, which then calls
 * sitingApp.install(map, data) with the folium map and the page data
 * (siting.maps.interactive.data.page_data). Scores come from sitingScoring (scoring.js), the
 * context layers from sitingContext (context.js), polylines from sitingCodec (codec.js).
 *
 * Site names, aliases, rules and notes are data: every element is built with createElement and
 * textContent, never innerHTML of data. A site's id is its position in the run's ranking.
 *
 * The functions before install() are pure; Node runs their unit tests (tests/js/app.test.js).
 */
var sitingApp = (function () {
    "use strict";

    /* Locale of each page language: Mexican conventions in Spanish (1,234.5). */
    var LOCALES = { es: "es-MX", en: "en-US" };
    /* Rows of the ranking table drawn at first, and added by "show more". */
    var PAGE_ROWS = 50;
    /* First characters that make a spreadsheet cell a formula (OWASP CSV injection). */
    var FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"];

    /*
     * A number for people in `lang`: thousands separators and about 3 significant digits
     * (≥ 100: no decimals, ≥ 10: one, else two), like the Python maps; "—" when missing and
     * `infinite` (e.g. "not reachable by road") when infinite.
     */
    function formatNumber(value, lang, unit, infinite) {
        if (value === null || value === undefined || value === "") { return "—"; }
        var v = Number(value);
        if (isNaN(v)) { return "—"; }
        if (!isFinite(v)) { return infinite || "—"; }
        var a = Math.abs(v), digits = a >= 100 ? 0 : a >= 10 ? 1 : 2;
        var text = new Intl.NumberFormat(LOCALES[lang] || "en-US", {
            minimumFractionDigits: digits,
            maximumFractionDigits: digits
        }).format(v);
        return unit ? text + " " + unit : text;
    }

    /* A weight (a share of 1) as a percentage with 3 significant digits: "12.5%". */
    function formatPercent(weight, lang) {
        var p = Number((Number(weight) * 100).toPrecision(3));
        return new Intl.NumberFormat(LOCALES[lang] || "en-US", { maximumFractionDigits: 2 })
            .format(p) + "%";
    }

    /* A whole number (a rank), "—" when missing. */
    function formatWhole(value, lang) {
        if (value === null || value === undefined || isNaN(value)) { return "—"; }
        return new Intl.NumberFormat(LOCALES[lang] || "en-US", { maximumFractionDigits: 0 })
            .format(Math.round(value));
    }

    /* `template` with each {name} replaced by params[name]. */
    function fill(template, params) {
        return String(template).replace(/\{(\w+)\}/g, function (all, key) {
            return Object.prototype.hasOwnProperty.call(params, key) ? String(params[key]) : all;
        });
    }

    /*
     * One CSV cell: numbers in full precision (the shortest text that reads back as the same
     * number), text made inert for spreadsheets (a leading apostrophe before = + - @ tab CR) and
     * quoted when it holds a comma, quote or line break; missing values empty.
     */
    function csvCell(value) {
        if (value === null || value === undefined) { return ""; }
        if (typeof value === "number") { return isFinite(value) ? String(value) : isNaN(value) ? "" : String(value > 0 ? "inf" : "-inf"); }
        if (typeof value === "boolean") { return value ? "True" : "False"; }
        var text = String(value);
        if (FORMULA_STARTS.indexOf(text.charAt(0)) >= 0) { text = "'" + text; }
        if (/[",\n\r]/.test(text)) { text = "\"" + text.replace(/"/g, "\"\"") + "\""; }
        return text;
    }

    /* A CSV file: a byte-order mark (so Excel reads UTF-8), the header, one line per row. */
    function csvText(header, rows) {
        var lines = [header.map(csvCell).join(",")];
        rows.forEach(function (row) { lines.push(row.map(csvCell).join(",")); });
        return "\ufeff" + lines.join("\n") + "\n";
    }

    /* A TOML basic string. */
    function tomlString(text) {
        return JSON.stringify(String(text)).replace(/[\u007f-\u009f\u2028\u2029]/g, function (c) {
            return "\\u" + ("0000" + c.charCodeAt(0).toString(16)).slice(-4);
        });
    }

    /* A TOML number that reads back as exactly `x` (JavaScript's shortest round-trip text). */
    function tomlNumber(x) {
        var text = String(x);
        return /[.eE]/.test(text) ? text : text + ".0";
    }

    /*
     * The scenario of the page's current weights, method and directions, as a TOML file that
     * `siting run` accepts: the run's other sections (toml.base), then [weights],
     * [aggregation] and the [value_functions] the run had or the page changed.
     * criteria: [{name, direction, vf, flippable}], state: {weights, directions, method},
     * header: comment lines (already text).
     */
    function tomlSnippet(toml, criteria, state, header) {
        var out = header.map(function (line) { return "# " + line; });
        // the run's other sections first: their top-level keys must precede every table
        var base = toml.base.replace(/\n+$/, "");
        if (base) { out.push("", base); }
        out.push("");
        out.push("[weights]");
        criteria.forEach(function (c, j) {
            out.push(c.name + " = " + tomlNumber(state.weights[j]));
        });
        out.push("");
        out.push("[aggregation]");
        out.push("method = " + tomlString(state.method));
        if (toml.floor !== null && toml.floor !== undefined) {
            out.push("floor = " + tomlNumber(toml.floor));
        }
        criteria.forEach(function (c, j) {
            var spec = toml.value_functions[c.name];
            if (!spec) { return; }
            var initial = (c.vf && c.vf.direction) || c.direction;
            var changed = c.flippable && state.directions[j] !== initial;
            if (!spec.in_scenario && !changed) { return; }
            var body = c.flippable ? spec.tables[state.directions[j]] : spec.tables.fixed;
            out.push("");
            out.push("[value_functions." + c.name + "]");
            out.push(body.replace(/\n+$/, ""));
        });
        return out.join("\n") + "\n";
    }

    /*
     * The URL fragment of a view: weights (w), directions (d: b/c per criterion), method (m),
     * filters (q, st, mt, min, max), shortlist (s), sort, language and the open site.
     */
    function fragmentOf(view) {
        var p = new URLSearchParams();
        p.set("w", view.weights.map(function (w) { return String(w); }).join(","));
        p.set("d", view.directions.map(function (d) { return d === "cost" ? "c" : "b"; }).join(""));
        p.set("m", view.method);
        if (view.query) { p.set("q", view.query); }
        if (view.state) { p.set("st", view.state); }
        if (view.metro) { p.set("mt", view.metro); }
        if (view.min !== null && view.min !== undefined) { p.set("min", String(view.min)); }
        if (view.max !== null && view.max !== undefined) { p.set("max", String(view.max)); }
        if (view.shortlist.length) { p.set("s", view.shortlist.join(",")); }
        if (view.sort) { p.set("sort", view.sort.key + (view.sort.desc ? "-" : "+")); }
        p.set("lang", view.lang);
        if (view.site !== null && view.site !== undefined) { p.set("site", String(view.site)); }
        return p.toString();
    }

    /*
     * The view a fragment describes, checked against the page: only valid parts are returned
     * (a bad link never breaks the page). nCriteria, nSites, methods, langs bound the values.
     */
    function parseFragment(hash, nCriteria, nSites, methods, langs) {
        var p = new URLSearchParams(String(hash || "").replace(/^#/, ""));
        var out = {};
        var weights = (p.get("w") || "").split(",").map(Number);
        if (weights.length === nCriteria && weights.every(function (w) { return isFinite(w) && w >= 0; })
            && weights.some(function (w) { return w > 0; })) {
            out.weights = weights;
        }
        var d = p.get("d") || "";
        if (d.length === nCriteria && /^[bc]*$/.test(d)) {
            out.directions = d.split("").map(function (x) { return x === "c" ? "cost" : "benefit"; });
        }
        if (methods.indexOf(p.get("m")) >= 0) { out.method = p.get("m"); }
        if (p.get("q") !== null) { out.query = p.get("q"); }
        if (p.get("st") !== null) { out.state = p.get("st"); }
        if (p.get("mt") !== null) { out.metro = p.get("mt"); }
        ["min", "max"].forEach(function (key) {
            var x = p.get(key);
            if (x !== null && x !== "" && isFinite(Number(x))) { out[key] = Number(x); }
        });
        if (p.get("s")) {
            var seen = {};
            out.shortlist = p.get("s").split(",").filter(function (id) {
                var ok = /^\d+$/.test(id) && Number(id) < nSites && !seen[id];
                seen[id] = true;
                return ok;
            });
        }
        var sort = /^(\w+)([+-])$/.exec(p.get("sort") || "");
        if (sort) { out.sort = { key: sort[1], desc: sort[2] === "-" }; }
        if (langs.indexOf(p.get("lang")) >= 0) { out.lang = p.get("lang"); }
        var site = p.get("site");
        if (site !== null && /^\d+$/.test(site) && Number(site) < nSites) { out.site = Number(site); }
        return out;
    }

    /* Text for search: lower case, no accents ("Querétaro" matches "queretaro"). */
    function fold(text) {
        return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    }

    /*
     * Ids of the sites (in `order`) that pass the filters: name or alias contains the query
     * (accents and case ignored), state and metro equal, score within [min, max] (sites with
     * no score pass only when neither bound is set).
     */
    function filterSites(order, sites, score, filters) {
        var q = fold(filters.query || "").trim();
        return order.filter(function (i) {
            if (q && fold(sites.name[i]).indexOf(q) < 0 && fold(sites.aliases[i]).indexOf(q) < 0) {
                return false;
            }
            if (filters.state && sites.state[i] !== filters.state) { return false; }
            if (filters.metro && sites.metro[i] !== filters.metro) { return false; }
            var s = score[i], bounded = filters.min !== null && filters.min !== undefined
                || filters.max !== null && filters.max !== undefined;
            if (bounded && (s === null || isNaN(s))) { return false; }
            if (filters.min !== null && filters.min !== undefined && s < filters.min) { return false; }
            if (filters.max !== null && filters.max !== undefined && s > filters.max) { return false; }
            return true;
        });
    }

    /*
     * `ids` sorted by column `key` (a function id -> value; numbers or texts), missing values
     * last whatever the direction; ties keep the given order.
     */
    function sortIds(ids, value, desc) {
        var pos = {};
        ids.forEach(function (id, k) { pos[id] = k; });
        return ids.slice().sort(function (a, b) {
            var x = value(a), y = value(b);
            var mx = x === null || x === undefined || (typeof x === "number" && isNaN(x));
            var my = y === null || y === undefined || (typeof y === "number" && isNaN(y));
            if (mx || my) { return mx === my ? pos[a] - pos[b] : mx ? 1 : -1; }
            var c = typeof x === "string" ? fold(x).localeCompare(fold(y)) : x - y;
            return (desc ? -c : c) || pos[a] - pos[b];
        });
    }

    /* Whether two weight vectors give the same scores (same shares of their totals). */
    function sameWeights(a, b) {
        var sa = 0, sb = 0, j;
        for (j = 0; j < a.length; j += 1) { sa += a[j]; sb += b[j]; }
        for (j = 0; j < a.length; j += 1) {
            if (Math.abs(a[j] / sa - b[j] / sb) > 1e-12) { return false; }
        }
        return true;
    }

    /* ------------------------------------------------------------------------------------ */

    function install(map, data) {
        var S = sitingScoring;
        var sites = data.sites, crit = data.criteria, run = data.run, colors = data.colors;
        var n = sites.n;
        var model = {
            criteria: crit, raw: sites.raw, eligible: sites.eligible, scored: sites.scored,
            floor: run.floor
        };
        var initial = {
            weights: crit.map(function (c) { return c.weight; }),
            directions: crit.map(function (c) { return (c.vf && c.vf.direction) || c.direction; }),
            method: run.method
        };
        var view = {
            weights: initial.weights.slice(),
            directions: initial.directions.slice(),
            method: initial.method,
            query: "", state: "", metro: "", min: null, max: null,
            shortlist: [], sort: { key: "rank", desc: false }, lang: data.lang, site: null
        };
        var cur = null, shown = PAGE_ROWS, message = "";
        var reduceMotion = window.matchMedia
            && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
        if (reduceMotion) {
            // no pan or zoom animation at all (popups pan the map into view with panBy)
            var panBy = map.panBy;
            map.panBy = function (offset, options) {
                return panBy.call(this, offset, L.extend({}, options, { animate: false }));
            };
            map.options.zoomAnimation = false;
            map.options.fadeAnimation = false;
            L.DomUtil.removeClass(map.getContainer(), "leaflet-fade-anim");
            L.DomUtil.removeClass(map.getContainer(), "leaflet-zoom-anim");
        }

        function t(key) {
            var table = data.text[view.lang] || data.text.en;
            return key in table ? table[key] : data.text.en[key] !== undefined ? data.text.en[key] : key;
        }
        function num(x, unit) { return formatNumber(x, view.lang, unit, t("unreachable")); }
        function el(tag, cls, text, parent) {
            var e = document.createElement(tag);
            if (cls) { e.className = cls; }
            if (text !== undefined && text !== null) { e.textContent = text; }
            if (parent) { parent.appendChild(e); }
            return e;
        }
        function button(text, cls, onclick, parent) {
            var b = el("button", cls, text, parent);
            b.type = "button";
            b.addEventListener("click", function (event) {
                // stopped: a popup's button is replaced while its click is handled, and Leaflet
                // would take a click from a detached element for a click on the map
                event.preventDefault();
                event.stopPropagation();
                onclick(event);
            });
            return b;
        }
        function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
        function label(c) { return c.label[view.lang] || c.label.en; }
        function place(i) {
            return [sites.municipality[i], sites.state[i]].filter(Boolean).join(", ");
        }
        function status(i) {
            if (sites.outside[i]) { return "outside"; }
            if (!sites.reachable[i]) { return "unreachable"; }
            if (!sites.eligible[i]) { return "excluded"; }
            return "ranked";
        }

        /* ---- layout: the side panel beside the map (below it on a phone) ---------------- */
        document.body.classList.add("siting-page");
        var side = el("aside", "siting-side", null, document.body);
        side.setAttribute("aria-label", "siting");
        var head = el("header", "siting-side-head", null, side);
        var titleEl = el("h1", "siting-h1", null, head);
        var subEl = el("div", "siting-sub", null, head);
        var langBox = el("div", "siting-lang", null, head);
        var langButtons = {};
        Object.keys(data.text).forEach(function (lang) {
            langButtons[lang] = button(lang.toUpperCase(), "siting-lang-" + lang, function () {
                setLang(lang);
            }, langBox);
        });
        var tabs = el("nav", "siting-tabs", null, side);
        tabs.setAttribute("role", "tablist");
        var panels = {}, tabButtons = {};
        ["ranking", "weights", "shortlist", "notes"].forEach(function (key) {
            tabButtons[key] = button("", "siting-tab", function () { showTab(key); }, tabs);
            tabButtons[key].setAttribute("role", "tab");
            tabButtons[key].setAttribute("data-tab", key);
            panels[key] = el("section", "siting-panel siting-panel-" + key, null, side);
            panels[key].setAttribute("role", "tabpanel");
        });
        var activeTab = "ranking";
        function showTab(key) {
            activeTab = key;
            Object.keys(panels).forEach(function (k) {
                panels[k].hidden = k !== key;
                tabButtons[k].setAttribute("aria-selected", k === key ? "true" : "false");
            });
        }
        map.invalidateSize({ pan: false });
        // the whole run in view beside the panel, at once (no animation)
        if (data.bounds) {
            map.fitBounds(data.bounds, { padding: [30, 30], maxZoom: 9, animate: false });
        }

        /* ---- candidates: canvas circles, one shared popup ------------------------------- */
        var renderer = L.canvas({ padding: 0.2 });
        var markers = new Array(n), drawnStyle = new Array(n);
        var group = L.featureGroup();
        var byPriority = S.rankingOrder(sites.run_rank.map(function (r) {
            return r === null ? NaN : r;
        }), sites.run_score.map(function (s) { return s === null ? NaN : s; }), sites.name);
        byPriority.slice().reverse().forEach(function (i) {
            if (sites.lat[i] === null || sites.lon[i] === null) { return; }
            var m = L.circleMarker([sites.lat[i], sites.lon[i]], {
                renderer: renderer, radius: 6, weight: 0.8, color: "#222222",
                fillOpacity: 0.9, fillColor: colors.excluded, bubblingMouseEvents: false
            });
            m.sitingId = i;
            m.bindTooltip(function () { return tooltipOf(i); }, { direction: "top", offset: [0, -4] });
            m.on("click", function () { select(i, false); });
            markers[i] = m;
            group.addLayer(m);
        });
        group.addTo(map);

        function tooltipOf(i) {
            var div = el("div", "siting-tip");
            var r = cur ? cur.rank[i] : NaN;
            el("b", null, (isNaN(r) ? "" : "#" + formatWhole(r, view.lang) + " ") + sites.name[i], div);
            var st = status(i);
            if (st !== "ranked") {
                el("span", null, " (" + t("status_" + st) + ")", div);
            } else if (cur && cur.topAt[i] !== undefined && run.by_metro) {
                var tp = cur.top[cur.topAt[i]];
                el("span", null, " · " + fill(t("top_metro_tip"), {
                    metro: tp.metro, rank: formatWhole(tp.place, view.lang)
                }), div);
            }
            return div;
        }

        function styleOf(i) {
            var st = status(i), top = cur && cur.topAt[i] !== undefined;
            var picked = view.shortlist.indexOf(String(i)) >= 0;
            var style;
            if (st === "outside") {
                style = { fillColor: "#ffffff", fillOpacity: 0, color: colors.excluded, dashArray: "2 3", radius: 6, weight: 1.5 };
            } else if (st === "unreachable") {
                style = { fillColor: "#ffffff", fillOpacity: 0.9, color: colors.excluded, dashArray: null, radius: 6, weight: 1.5 };
            } else if (st === "excluded") {
                style = { fillColor: colors.excluded, fillOpacity: 0.5, color: "#222222", dashArray: null, radius: 6, weight: 0.8 };
            } else {
                var s = cur ? cur.score[i] : NaN;
                var k = isNaN(s) ? 0 : Math.max(0, Math.min(100, Math.round(s)));
                style = {
                    fillColor: colors.score[k], fillOpacity: 0.9, color: "#222222", dashArray: null,
                    radius: top ? 9 : 6, weight: top ? 1.5 : 0.8
                };
            }
            if (picked) {
                style.color = colors.selected;
                style.weight = 3.5;
            }
            return style;
        }

        /* Restyle the markers of `ids` (default: every site) whose style changed. */
        function restyle(ids) {
            var count = ids ? ids.length : n;
            for (var k = 0; k < count; k += 1) {
                var i = ids ? ids[k] : k, m = markers[i];
                if (!m) { continue; }
                var style = styleOf(i), key = JSON.stringify(style);
                if (drawnStyle[i] === key) { continue; }
                drawnStyle[i] = key;
                if (m.options.radius !== style.radius) { m.setRadius(style.radius); }
                m.setStyle(style);
            }
            // the singled-out places on top, the best last; then the shortlist
            if (cur && !ids) {
                cur.top.slice().reverse().forEach(function (tp) {
                    if (markers[tp.site] && group.hasLayer(markers[tp.site])) { markers[tp.site].bringToFront(); }
                });
            }
            view.shortlist.forEach(function (id) {
                var m = markers[Number(id)];
                if (m && group.hasLayer(m)) { m.bringToFront(); }
            });
        }

        /* ---- why here: route to the crossing and commute area of the selected site ------- */
        var whyLayer = L.featureGroup();
        whyLayer.addTo(map);
        function drawWhy(i) {
            whyLayer.clearLayers();
            var w = data.why && data.why.sites && data.why.sites[String(i)];
            if (!w || typeof sitingCodec === "undefined") { return false; }
            var p = data.why.precision || 4;
            if (w.catchment) {
                L.polygon(sitingCodec.polygons(w.catchment, p), {
                    color: "#2b6a99", weight: 1, fillColor: "#6baed6", fillOpacity: 0.18,
                    interactive: false, className: "siting-catchment"
                }).addTo(whyLayer);
            }
            if (w.route) {
                L.polyline(sitingCodec.lines(w.route, p), {
                    color: "#08306b", weight: 3.5, opacity: 0.85, dashArray: "8 5",
                    interactive: false, className: "siting-route"
                }).addTo(whyLayer);
            }
            return true;
        }

        /* ---- popup ---------------------------------------------------------------------- */
        var popup = L.popup({ autoPanPadding: [12, 12], className: "siting-popup-wrap" });
        popup.on("remove", function () {
            if (view.site !== null && popup.sitingFor === view.site) {
                view.site = null;
                whyLayer.clearLayers();
                writeHash();
                highlightRow();
            }
        });
        function popupContent(i) {
            var box = el("div", "siting-popup");
            box.setAttribute("data-site", String(i));
            var st = status(i), r = cur ? cur.rank[i] : NaN;
            el("div", "siting-popup-title", (isNaN(r) ? "" : "#" + formatWhole(r, view.lang) + " · ") + sites.name[i], box);
            el("div", "siting-popup-sub", place(i), box);
            if (sites.metro[i]) {
                var mr = cur ? cur.metroRank[i] : NaN;
                el("div", "siting-popup-metro", t("metro") + ": " + (isNaN(mr) ? sites.metro[i]
                    : fill(t("metro_ranked"), { metro: sites.metro[i], rank: formatWhole(mr, view.lang) })), box);
            }
            if (sites.aliases[i]) {
                el("div", "siting-popup-aliases", t("aliases") + ": " + sites.aliases[i], box);
            }
            if (st === "outside") {
                el("div", "siting-popup-excluded", t("status_outside_long"), box);
            } else if (st === "unreachable") {
                var km = sites.snap_km ? sites.snap_km[i] : null;
                el("div", "siting-popup-excluded", km === null ? t("status_unreachable_long")
                    : fill(t("status_unreachable_km"), { km: num(km) }), box);
            } else if (st === "excluded") {
                el("div", "siting-popup-excluded", t("excluded_by") + ": " + sites.rule[i], box);
            }
            if (st !== "outside" && cur && !isNaN(cur.score[i])) {
                var sc = el("div", "siting-popup-score", (st === "ranked" ? t("score") : t("score_reference")) + " ", box);
                el("b", null, num(cur.score[i]), sc);
                sc.appendChild(document.createTextNode(" / 100"));
            }
            var actions = el("div", "siting-popup-actions", null, box);
            var on = view.shortlist.indexOf(String(i)) >= 0;
            var toggle = button(on ? t("shortlist_remove") : t("shortlist_add"), "siting-shortlist-toggle", function () {
                toggleShortlist(String(i));
            }, actions);
            toggle.setAttribute("aria-pressed", on ? "true" : "false");
            if (st !== "outside" && cur) {
                var wrap = el("div", "siting-breakdown-wrap", null, box);
                var table = el("table", "siting-breakdown", null, wrap);
                var tr = el("tr", null, null, el("thead", null, null, table));
                ["criterion", "value", "normalized", "weight", "points"].forEach(function (k) {
                    el("th", null, t(k), tr);
                });
                var body = el("tbody", null, null, table);
                crit.forEach(function (c, j) {
                    var row = el("tr", null, null, body);
                    el("td", null, label(c), row);
                    el("td", null, num(sites.raw[c.name][i] === null ? (sites.reachable[i] ? null : Infinity) : sites.raw[c.name][i], c.unit), row);
                    el("td", null, num(cur.norm[i][j]), row);
                    el("td", null, formatPercent(cur.weights[j], view.lang), row);
                    el("td", null, num(cur.contrib[i][j]), row);
                });
                var foot = el("tr", null, null, el("tfoot", null, null, table));
                var total = el("td", null, t("total"), foot);
                total.colSpan = 4;
                el("td", null, num(cur.score[i]), foot);
            }
            var context = [];
            if (sites.nearest_crossing[i]) { context.push(t("nearest_crossing") + ": " + sites.nearest_crossing[i]); }
            if (sites.nearest_seaport[i]) { context.push(t("nearest_seaport") + ": " + sites.nearest_seaport[i]); }
            var method = typeof sites.distance_method === "string" || sites.distance_method === null
                ? sites.distance_method : sites.distance_method[i];
            if (method) { context.push(t("distance_method") + ": " + method); }
            if (context.length) { el("div", "siting-popup-note", context.join(" · "), box); }
            var w = data.why && data.why.sites && data.why.sites[String(i)];
            if (w) {
                el("div", "siting-popup-why", fill(t("why_line"), {
                    crossing: w.crossing || sites.nearest_crossing[i] || "",
                    minutes: num(w.minutes), commute: formatWhole(run.commute_min, view.lang)
                }), box);
            } else if (st === "ranked" && data.why && data.why.sites) {
                el("div", "siting-popup-note", fill(t("why_missing"), { n: formatWhole(data.why.count || 0, view.lang) }), box);
            }
            var range = rangeText(i);
            if (range) { el("div", "siting-popup-range", range, box); }
            return box;
        }
        function rangeText(i) {
            var rg = sites.range;
            if (!rg || sites.outside[i] || !sites.eligible[i] || rg.rank_best[i] === null) { return ""; }
            var parts = [fill(t("popup_range"), {
                best: formatWhole(rg.rank_best[i], view.lang),
                worst: formatWhole(rg.rank_worst[i], view.lang),
                median: new Intl.NumberFormat(LOCALES[view.lang] || "en-US", {
                    maximumFractionDigits: 1
                }).format(rg.rank_median[i])
            })];
            if (rg.rank_p05 && rg.rank_p05[i] !== null) {
                parts.push(fill(t("popup_p90"), {
                    lo: formatWhole(rg.rank_p05[i], view.lang), hi: formatWhole(rg.rank_p95[i], view.lang)
                }));
            }
            if (rg.top_k_share && rg.top_k_share[i] !== null) {
                parts.push(fill(run.top_k ? t("popup_top_k") : t("popup_top_any"), {
                    k: run.top_k, share: formatWhole(rg.top_k_share[i] * 100, view.lang) + "%"
                }));
            }
            var text = parts.join("; ");
            return sameWeights(view.weights, initial.weights) && view.method === initial.method
                ? text + " " + t("range_run")
                : text + " " + t("range_run_changed");
        }
        function openPopup(i) {
            var size = map.getSize();
            // the whole popup on the map, clear of the controls in its upper corners
            popup.options.maxWidth = Math.max(200, Math.min(460, size.x - 40));
            popup.options.minWidth = Math.min(280, size.x - 60);
            popup.options.maxHeight = Math.max(120, size.y - 170);
            popup.options.autoPanPaddingTopLeft = [10, 64];
            popup.options.autoPanPaddingBottomRight = [10, 10];
            popup.sitingFor = i;
            popup.setLatLng([sites.lat[i], sites.lon[i]]).setContent(popupContent(i));
            popup.options.offset = [0, -6];
            if (!map.hasLayer(popup)) { popup.openOn(map); } else { popup.update(); }
        }
        function select(i, fly) {
            if (sites.lat[i] === null) { return; }
            view.site = i;
            drawWhy(i);
            if (fly) {
                var zoom = Math.max(map.getZoom(), 8);
                map.setView([sites.lat[i], sites.lon[i]], zoom, { animate: !reduceMotion });
            }
            openPopup(i);
            writeHash();
            highlightRow();
        }

        /* ---- map furniture: layer control, legend, attribution ------------------------- */
        var context = null;
        if (typeof sitingContext !== "undefined" && data.context && Object.keys(data.context).length) {
            context = sitingContext.install(map, data.context, {
                t: t, num: function (x, digits) { return formatNumber(x, view.lang); }, lang: function () { return view.lang; }
            });
        }
        var tiles = L.tileLayer(data.tiles.url, {
            attribution: data.tiles.attribution, subdomains: "abcd", maxZoom: 19
        });
        var offline = context && context.base ? context.base : L.layerGroup();
        if (!map.hasLayer(offline)) { offline.addTo(map); }
        var layerControl = null;
        function buildLayerControl() {
            var wasOpen = false;
            if (layerControl) {
                wasOpen = L.DomUtil.hasClass(layerControl.getContainer(), "leaflet-control-layers-expanded");
                map.removeControl(layerControl);
            }
            var bases = {}, overlays = {};
            bases[t("base_offline")] = offline;
            bases[t("base_tiles")] = tiles;
            overlays[t("layer_candidates")] = group;
            overlays[t("layer_why")] = whyLayer;
            (context ? context.overlays : []).forEach(function (o) { overlays[t(o.key)] = o.layer; });
            layerControl = L.control.layers(bases, overlays, { collapsed: true, position: "topright" }).addTo(map);
            if (wasOpen) { layerControl.expand(); }
        }
        map.on("overlayadd overlayremove", function () { renderLegend(); });

        var legendBox = null;
        var Legend = L.Control.extend({
            options: { position: "bottomleft" },
            onAdd: function () {
                var div = L.DomUtil.create("div", "siting-box siting-legend");
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                legendBox = div;
                return div;
            }
        });
        new Legend().addTo(map);
        var legendOpen = !window.matchMedia || !window.matchMedia("(max-width: 700px)").matches;
        function svgCircle(radius, fill, stroke, opacity, dash) {
            return sitingContext.svgCircle(radius, fill, stroke, opacity, 1, dash);
        }
        function legendRow(parent, symbol, text) {
            var row = el("div", "siting-row", null, parent);
            row.appendChild(symbol);
            el("span", null, text, row);
        }
        // which kinds of unranked site the run has (fixed: they do not depend on the weights)
        var statuses = { excluded: false, unreachable: false, outside: false };
        for (var k = 0; k < n; k += 1) {
            if (status(k) !== "ranked") { statuses[status(k)] = true; }
        }
        function renderLegend() {
            if (!legendBox) { return; }
            clear(legendBox);
            var headRow = el("div", "siting-legend-head", null, legendBox);
            el("span", "siting-title2", t("legend"), headRow);
            var tg = button(legendOpen ? "−" : "+", "siting-legend-toggle", function () {
                legendOpen = !legendOpen;
                renderLegend();
            }, headRow);
            tg.setAttribute("aria-expanded", legendOpen ? "true" : "false");
            tg.setAttribute("aria-label", t("legend"));
            if (!legendOpen) { return; }
            el("div", "siting-subtitle", t("legend_score"), legendBox);
            var grad = el("div", "siting-gradient", null, legendBox);
            var stops = [0, 25, 50, 75, 100].map(function (s) { return colors.score[s] + " " + s + "%"; });
            grad.style.background = "linear-gradient(to right, " + stops.join(", ") + ")";
            var labels = el("div", "siting-gradient-labels", null, legendBox);
            ["0", "50", "100"].forEach(function (x) { el("span", null, x, labels); });
            legendRow(legendBox, svgCircle(9, colors.score[50], "#222", 0.9),
                run.by_metro ? fill(t("legend_top_metros"), { n: run.top_n }) : fill(t("legend_top"), { n: run.top_n }));
            var any = statuses;
            if (any.excluded) { legendRow(legendBox, svgCircle(6, colors.excluded, "#222", 0.5), t("legend_excluded")); }
            if (any.unreachable) { legendRow(legendBox, svgCircle(6, "#ffffff", colors.excluded, 0.9), t("legend_unreachable")); }
            if (any.outside) { legendRow(legendBox, svgCircle(6, "#ffffff", colors.excluded, 0, "2 3"), t("legend_outside")); }
            legendRow(legendBox, svgCircle(6, "#ffffff", colors.selected, 0.9), t("legend_shortlisted"));
            if (map.hasLayer(whyLayer) && view.site !== null) {
                var lr = el("div", "siting-row", null, legendBox);
                el("i", "siting-legend-route", null, lr);
                el("span", null, fill(t("legend_why"), { commute: formatWhole(run.commute_min, view.lang) }), lr);
            }
            (context ? context.overlays : []).forEach(function (o) {
                if (map.hasLayer(o.layer) && o.legend) {
                    var sec = el("div", "siting-legend-section", null, legendBox);
                    sec.appendChild(o.legend());
                }
            });
        }
        map.attributionControl.setPrefix("");

        /* ---- ranking panel: filters and table ------------------------------------------ */
        var rankingPanel = panels.ranking;
        var filterBox = el("div", "siting-filters", null, rankingPanel);
        var search = el("input", "siting-search", null, filterBox);
        search.type = "search";
        var stateSelect = el("select", "siting-filter-state", null, filterBox);
        var metroSelect = el("select", "siting-filter-metro", null, filterBox);
        var rangeBox = el("div", "siting-filter-score", null, filterBox);
        var minLabel = el("label", null, null, rangeBox);
        var minSpan = el("span", null, null, minLabel);
        var minInput = el("input", "siting-filter-min", null, minLabel);
        var maxLabel = el("label", null, null, rangeBox);
        var maxSpan = el("span", null, null, maxLabel);
        var maxInput = el("input", "siting-filter-max", null, maxLabel);
        [minInput, maxInput].forEach(function (input) {
            input.type = "number";
            input.min = "0";
            input.max = "100";
            input.step = "any";
        });
        var resetFilters = button("", "siting-filter-reset", function () {
            view.query = ""; view.state = ""; view.metro = ""; view.min = null; view.max = null;
            syncFilterInputs();
            refilter();
        }, filterBox);
        var countEl = el("div", "siting-count", null, rankingPanel);
        var tableWrap = el("div", "siting-table-wrap", null, rankingPanel);
        var table = el("table", "siting-table", null, tableWrap);
        var thead = el("thead", null, null, table), tbody = el("tbody", null, null, table);
        var more = button("", "siting-more", function () {
            shown += PAGE_ROWS;
            renderTable();
        }, rankingPanel);
        var COLUMNS = [
            { key: "rank", label: "rank", value: function (i) { return cur.rank[i]; } },
            { key: "name", label: "site", value: function (i) { return sites.name[i]; } },
            { key: "metro", label: "metro", value: function (i) { return sites.metro[i]; } },
            { key: "state", label: "state", value: function (i) { return sites.state[i]; } },
            { key: "score", label: "score", value: function (i) { return cur.score[i]; } },
            { key: "change", label: "change", value: function (i) {
                var r = sites.run_rank[i];
                return r === null || isNaN(cur.rank[i]) ? NaN : r - cur.rank[i];
            } }
        ];
        function fillSelect(select, values, allText, current) {
            clear(select);
            var all = el("option", null, allText, select);
            all.value = "";
            values.forEach(function (v) {
                var o = el("option", null, v, select);
                o.value = v;
            });
            select.value = current || "";
        }
        function distinct(values) {
            var seen = {}, out = [];
            values.forEach(function (v) { if (v && !seen[v]) { seen[v] = true; out.push(v); } });
            return out.sort(function (a, b) { return fold(a).localeCompare(fold(b)); });
        }
        var states = distinct(sites.state), metros = distinct(sites.metro);
        function syncFilterInputs() {
            search.value = view.query;
            fillSelect(stateSelect, states, t("all_states"), view.state);
            fillSelect(metroSelect, metros, t("all_metros"), view.metro);
            minInput.value = view.min === null ? "" : String(view.min);
            maxInput.value = view.max === null ? "" : String(view.max);
        }
        search.addEventListener("input", function () { view.query = search.value; refilter(); });
        stateSelect.addEventListener("change", function () { view.state = stateSelect.value; refilter(); });
        metroSelect.addEventListener("change", function () { view.metro = metroSelect.value; refilter(); });
        [[minInput, "min"], [maxInput, "max"]].forEach(function (pair) {
            pair[0].addEventListener("input", function () {
                var x = pair[0].value === "" ? null : Number(pair[0].value);
                view[pair[1]] = x === null || isFinite(x) ? x : null;
                refilter();
            });
        });
        var visible = null;
        function refilter() {
            shown = PAGE_ROWS;
            renderTable();
            writeHash();
        }
        function tableIds() {
            var ids = filterSites(cur.order, sites, cur.score, view);
            var col = COLUMNS.filter(function (c) { return c.key === view.sort.key; })[0] || COLUMNS[0];
            if (col.key !== "rank" || view.sort.desc) { ids = sortIds(ids, col.value, view.sort.desc); }
            return ids;
        }
        /* The table, and the map's markers that pass the filters; `restyled` lists the only
         * markers whose style may have changed (default: all). */
        function renderTable(restyled) {
            var ids = tableIds();
            // the map shows the sites that pass the filters
            var pass = new Uint8Array(n);
            ids.forEach(function (i) { pass[i] = 1; });
            for (var i = 0; i < n; i += 1) {
                var m = markers[i];
                if (!m) { continue; }
                var on = group.hasLayer(m);
                if (pass[i] && !on) { group.addLayer(m); drawnStyle[i] = null; }
                if (!pass[i] && on) { group.removeLayer(m); }
            }
            visible = pass;
            countEl.textContent = fill(t("count"), {
                shown: formatWhole(Math.min(shown, ids.length), view.lang),
                n: formatWhole(ids.length, view.lang), total: formatWhole(n, view.lang)
            });
            clear(thead);
            var hr = el("tr", null, null, thead);
            COLUMNS.forEach(function (c) {
                var th = el("th", "siting-col-" + c.key, null, hr);
                th.setAttribute("scope", "col");
                var active = view.sort.key === c.key;
                th.setAttribute("aria-sort", active ? (view.sort.desc ? "descending" : "ascending") : "none");
                var b = button(t("col_" + c.label) + (active ? (view.sort.desc ? " ▼" : " ▲") : ""), "siting-sort", function () {
                    var desc = c.key === "score" || c.key === "change";
                    view.sort = { key: c.key, desc: active ? !view.sort.desc : desc };
                    renderTable();
                    writeHash();
                }, th);
                b.setAttribute("data-sort", c.key);
                b.title = t("col_" + c.label + "_tip");
            });
            clear(tbody);
            ids.slice(0, shown).forEach(function (i) {
                var tr = el("tr", null, null, tbody);
                tr.setAttribute("data-site", String(i));
                var st = status(i);
                if (cur.topAt[i] !== undefined) { tr.classList.add("siting-top"); }
                if (st !== "ranked") { tr.classList.add("siting-row-" + st); }
                if (view.shortlist.indexOf(String(i)) >= 0) { tr.classList.add("siting-picked"); }
                if (view.site === i) { tr.classList.add("siting-current"); }
                el("td", "siting-col-rank", isNaN(cur.rank[i]) ? "—" : formatWhole(cur.rank[i], view.lang), tr);
                var nameCell = el("td", "siting-col-name", null, tr);
                var nb = button(sites.name[i], "siting-site", function () { select(i, true); }, nameCell);
                nb.title = place(i);
                if (cur.topAt[i] !== undefined) {
                    var tp = cur.top[cur.topAt[i]];
                    var badge = el("span", "siting-badge", run.by_metro ? fill(t("badge_metro"), {
                        rank: formatWhole(tp.place, view.lang)
                    }) : fill(t("badge_site"), { rank: formatWhole(tp.place, view.lang) }), nameCell);
                    badge.title = run.by_metro ? fill(t("top_metro_tip"), { metro: tp.metro, rank: formatWhole(tp.place, view.lang) }) : "";
                }
                if (st !== "ranked") { el("span", "siting-status", t("status_" + st), nameCell); }
                el("td", "siting-col-metro", sites.metro[i] || "", tr);
                el("td", "siting-col-state", sites.state[i] || "", tr);
                var scoreCell = el("td", "siting-col-score", num(cur.score[i]), tr);
                if (!isNaN(cur.score[i])) {
                    scoreCell.style.setProperty("--siting-bar", Math.max(0, Math.min(100, cur.score[i])) + "%");
                }
                var change = COLUMNS[5].value(i);
                var ch = el("td", "siting-col-change", isNaN(change) || change === 0 ? "" : (change > 0 ? "▲" : "▼") + formatWhole(Math.abs(change), view.lang), tr);
                if (!isNaN(change) && change !== 0) { ch.classList.add(change > 0 ? "siting-up" : "siting-down"); }
            });
            more.hidden = ids.length <= shown;
            more.textContent = fill(t("show_more"), { n: formatWhole(Math.min(PAGE_ROWS, ids.length - shown), view.lang) });
            restyle(restyled);
        }
        function highlightRow() {
            tbody.querySelectorAll("tr.siting-current").forEach(function (tr) { tr.classList.remove("siting-current"); });
            if (view.site !== null) {
                var tr = tbody.querySelector('tr[data-site="' + view.site + '"]');
                if (tr) { tr.classList.add("siting-current"); }
            }
        }

        /* ---- weights panel -------------------------------------------------------------- */
        var weightsPanel = panels.weights;
        var methodLabel = el("label", "siting-method", null, weightsPanel);
        var methodSpan = el("span", null, null, methodLabel);
        var methodSelect = el("select", "siting-method-select", null, methodLabel);
        methodSelect.addEventListener("change", function () {
            view.method = methodSelect.value;
            rescore();
        });
        var weightMessage = el("div", "siting-weight-message", null, weightsPanel);
        weightMessage.setAttribute("role", "status");
        var weightRows = el("div", "siting-weights", null, weightsPanel);
        var inputs = crit.map(function (c, j) {
            var row = el("div", "siting-weight", null, weightRows);
            row.setAttribute("data-criterion", c.name);
            var name = el("div", "siting-weight-name", null, row);
            var slider = el("input", "siting-weight-slider", null, row);
            slider.type = "range";
            slider.min = "0";
            slider.max = "100";
            slider.step = "any";
            var number = el("input", "siting-weight-input", null, row);
            number.type = "number";
            number.min = "0";
            number.max = "1000";
            number.step = "any";
            var share = el("span", "siting-weight-share", null, row);
            var dir = null;
            if (c.flippable) {
                dir = el("select", "siting-weight-direction", null, row);
                dir.addEventListener("change", function () {
                    view.directions[j] = dir.value;
                    rescore();
                });
            } else {
                el("span", "siting-weight-fixed", null, row);
            }
            function set(value) {
                var x = Number(value);
                if (value === "" || !isFinite(x) || x < 0) { return; }
                view.weights[j] = x / 100;
                rescore(j);
            }
            slider.addEventListener("input", function () { number.value = slider.value; set(slider.value); });
            number.addEventListener("input", function () {
                slider.value = String(Math.min(100, Number(number.value) || 0));
                set(number.value);
            });
            return { name: name, slider: slider, number: number, share: share, dir: dir };
        });
        var weightButtons = el("div", "siting-weight-buttons", null, weightsPanel);
        var resetWeights = button("", "siting-weights-reset", function () {
            view.weights = initial.weights.slice();
            view.directions = initial.directions.slice();
            view.method = initial.method;
            syncWeightInputs();
            rescore();
        }, weightButtons);
        var rangeNote = el("p", "siting-range-note", null, weightsPanel);
        function percentText(x) {
            return String(Number((x * 100).toFixed(4)));
        }
        function syncWeightInputs(except) {
            clear(methodSelect);
            data.methods.forEach(function (m) {
                var o = el("option", null, t("method_" + m), methodSelect);
                o.value = m;
            });
            methodSelect.value = view.method;
            inputs.forEach(function (inp, j) {
                var c = crit[j];
                inp.name.textContent = label(c);
                inp.name.title = c.description[view.lang] || "";
                inp.slider.setAttribute("aria-label", label(c));
                inp.number.setAttribute("aria-label", label(c) + " (%)");
                if (j !== except) {
                    inp.number.value = percentText(view.weights[j]);
                    inp.slider.value = String(Math.min(100, view.weights[j] * 100));
                }
                if (inp.dir) {
                    clear(inp.dir);
                    ["benefit", "cost"].forEach(function (d) {
                        var o = el("option", null, t(d), inp.dir);
                        o.value = d;
                    });
                    inp.dir.value = view.directions[j];
                    inp.dir.setAttribute("aria-label", label(c) + ": " + t("direction"));
                } else {
                    inp.name.parentNode.querySelector(".siting-weight-fixed").textContent =
                        t(((c.vf && c.vf.type) || "linear") === "target" ? "target" : (initial.directions[j]));
                }
            });
        }
        function showShares() {
            var w = cur ? cur.weights : null;
            inputs.forEach(function (inp, j) {
                inp.share.textContent = w ? formatPercent(w[j], view.lang) : "—";
            });
        }

        /* ---- shortlist panel ------------------------------------------------------------ */
        var shortPanel = panels.shortlist;
        var shortHead = el("div", "siting-short-head", null, shortPanel);
        var shortMessage = el("div", "siting-short-message", null, shortPanel);
        var shortBody = el("div", "siting-short-body", null, shortPanel);
        var exports = el("div", "siting-exports", null, shortPanel);
        var exportShort = button("", "siting-export-shortlist", function () { download("shortlist"); }, exports);
        var exportRanking = button("", "siting-export-ranking", function () { download("ranking"); }, exports);
        var exportToml = button("", "siting-export-toml", function () { download("toml"); }, exports);
        var linkBox = el("div", "siting-link", null, shortPanel);
        var linkLabel = el("label", null, null, linkBox);
        var linkSpan = el("span", null, null, linkLabel);
        var linkInput = el("input", "siting-link-input", null, linkLabel);
        linkInput.readOnly = true;
        linkInput.addEventListener("focus", function () { linkInput.select(); });
        var clearShort = button("", "siting-short-clear", function () {
            toggledSite = null;
            view.shortlist = [];
            message = "";
            changedShortlist();
        }, shortHead);
        var MAX_SHORTLIST = data.shortlist_max || 12;
        function toggleShortlist(id) {
            toggledSite = Number(id);
            var at = view.shortlist.indexOf(id);
            if (at >= 0) {
                view.shortlist.splice(at, 1);
                message = "";
            } else if (view.shortlist.length >= MAX_SHORTLIST) {
                message = fill(t("shortlist_full"), { max: MAX_SHORTLIST });
            } else {
                view.shortlist.push(id);
                message = "";
            }
            changedShortlist();
        }
        var toggledSite = null;
        function changedShortlist() {
            renderShortlist();
            // one click restyles one marker (or all after "clear"), not every site
            renderTable(toggledSite === null ? undefined : [toggledSite]);
            toggledSite = null;
            if (view.site !== null && map.hasLayer(popup)) { openPopup(view.site); }
            writeHash();
        }
        function renderShortlist() {
            tabButtons.shortlist.textContent = t("tab_shortlist") + (view.shortlist.length ? " (" + view.shortlist.length + ")" : "");
            shortMessage.textContent = message;
            clear(shortBody);
            clearShort.hidden = !view.shortlist.length;
            exportShort.disabled = !view.shortlist.length;
            if (!view.shortlist.length) {
                el("p", "siting-empty", t("shortlist_empty"), shortBody);
                return;
            }
            var wrap = el("div", "siting-compare-wrap", null, shortBody);
            var table = el("table", "siting-compare-table", null, wrap);
            var hr = el("tr", null, null, el("thead", null, null, table));
            el("th", null, null, hr);
            view.shortlist.forEach(function (id) {
                var i = Number(id), th = el("th", null, null, hr);
                th.setAttribute("scope", "col");
                th.setAttribute("data-site", id);
                button(sites.name[i], "siting-compare-name", function () { select(i, true); }, th);
                el("div", "siting-compare-place", place(i), th);
                var drop = button("×", "siting-compare-drop", function () { toggleShortlist(id); }, th);
                drop.title = t("shortlist_remove");
                drop.setAttribute("aria-label", t("shortlist_remove") + ": " + sites.name[i]);
            });
            var body = el("tbody", null, null, table);
            function row(field, text, cell, cls) {
                var tr = el("tr", cls, null, body);
                if (field) { tr.setAttribute("data-field", field); }
                el("th", null, text, tr).setAttribute("scope", "row");
                view.shortlist.forEach(function (id) {
                    var c = cell(Number(id));
                    el("td", c.cls || null, c.text, tr);
                });
            }
            row("rank", t("col_rank"), function (i) {
                var st = status(i);
                if (st === "excluded") { return { text: t("status_excluded") + ": " + sites.rule[i], cls: "siting-compare-excluded" }; }
                if (st !== "ranked") { return { text: t("status_" + st), cls: "siting-compare-excluded" }; }
                return { text: formatWhole(cur.rank[i], view.lang) };
            });
            row("score", t("score"), function (i) { return { text: num(cur.score[i]) }; });
            if (sites.range) {
                row("rank_range", t("rank_range"), function (i) {
                    var rg = sites.range;
                    return { text: rg.rank_best[i] === null ? "—" : formatWhole(rg.rank_best[i], view.lang) + "–" + formatWhole(rg.rank_worst[i], view.lang) };
                });
            }
            crit.forEach(function (c, j) {
                var tr = el("tr", "siting-compare-group", null, body);
                var th = el("th", null, label(c) + " · " + formatPercent(cur.weights[j], view.lang), tr);
                th.colSpan = view.shortlist.length + 1;
                row(c.name, t("value"), function (i) {
                    var v = sites.raw[c.name][i];
                    return { text: num(v === null ? (sites.reachable[i] ? null : Infinity) : v, c.unit) };
                });
                row("norm_" + c.name, t("normalized"), function (i) { return { text: num(cur.norm[i][j]) }; });
                row("contrib_" + c.name, t("points"), function (i) { return { text: num(cur.contrib[i][j]) }; });
            });
        }

        /* ---- exports -------------------------------------------------------------------- */
        function rankingRows(ids) {
            var header = ["rank", "name", "score", "state", "municipality", "metro", "metro_rank", "lon", "lat"];
            crit.forEach(function (c) { header.push(c.name); });
            crit.forEach(function (c) { header.push("norm_" + c.name); });
            crit.forEach(function (c) { header.push("contrib_" + c.name); });
            header.push("nearest_crossing", "nearest_seaport", "excluded", "excluded_by");
            var rows = ids.map(function (i) {
                var st = status(i);
                var row = [cur.rank[i], sites.name[i], cur.score[i], sites.state[i], sites.municipality[i],
                    sites.metro[i], cur.metroRank[i], sites.lon[i], sites.lat[i]];
                crit.forEach(function (c) {
                    var v = sites.raw[c.name][i];
                    row.push(v === null && !sites.reachable[i] && !sites.outside[i] ? Infinity : v);
                });
                crit.forEach(function (c, j) { row.push(cur.norm[i][j]); });
                crit.forEach(function (c, j) { row.push(cur.contrib[i][j]); });
                row.push(sites.nearest_crossing[i], sites.nearest_seaport[i], st !== "ranked",
                    st === "excluded" ? sites.rule[i] : st === "ranked" ? "" : t("status_" + st));
                return row;
            });
            return { header: header, rows: rows };
        }
        function exportText(kind) {
            if (kind === "toml") {
                var header = [
                    fill(t("toml_head"), { scenario: data.toml.scenario_name, version: run.version, date: run.created }),
                    t("toml_run")
                ];
                if (data.toml.candidates_given) { header.push(t("toml_candidates")); }
                return { text: tomlSnippet(data.toml, crit, view, header), name: "map-scenario.toml", type: "application/toml" };
            }
            var ids = kind === "shortlist" ? view.shortlist.map(Number) : cur.order;
            var table = rankingRows(ids);
            return {
                text: csvText(table.header, table.rows),
                name: kind === "shortlist" ? "map-shortlist.csv" : "map-ranking.csv",
                type: "text/csv"
            };
        }
        function download(kind) {
            var out = exportText(kind);
            var blob = new Blob([out.text], { type: out.type + ";charset=utf-8" });
            var a = document.createElement("a");
            a.href = URL.createObjectURL(blob);
            a.download = out.name;
            document.body.appendChild(a);
            a.click();
            document.body.removeChild(a);
            setTimeout(function () { URL.revokeObjectURL(a.href); }, 0);
        }

        /* ---- notes panel ---------------------------------------------------------------- */
        function renderNotes() {
            var box = panels.notes;
            clear(box);
            el("h2", null, t("notes"), box);
            var ul = el("ul", "siting-notes-list", null, box);
            (data.notes[view.lang] || data.notes.en || []).forEach(function (note) { el("li", null, note, ul); });
            el("h2", null, t("credits"), box);
            var cl = el("ul", "siting-credits", null, box);
            data.credits.forEach(function (c) { el("li", null, c, cl); });
            el("p", "siting-run-info", fill(t("run_info"), {
                scenario: run.scenario, version: run.version, date: run.created,
                method: t("method_" + run.method)
            }), box);
        }

        /* ---- state: scores, hash, language ---------------------------------------------- */
        function rescore(editing) {
            var res = S.scoreAll(model, view);
            if (res === null) {
                weightMessage.textContent = t("weights_zero");
                return;
            }
            weightMessage.textContent = "";
            res.metroRank = S.metroRanks(sites.metro, res.score, res.rank);
            res.top = S.topPlaces(sites.metro, res.rank, sites.name, run.top_n, res.metroRank);
            res.topAt = {};
            res.top.forEach(function (tp, k) { res.topAt[tp.site] = k; });
            res.order = S.rankingOrder(res.rank, res.score, sites.name);
            cur = res;
            subEl.textContent = fill(t("subtitle"), {
                scenario: run.scenario, method: t("method_" + view.method), n: formatWhole(n, view.lang)
            });
            syncWeightInputs(editing);
            showShares();
            rangeNote.textContent = sites.range ? (sameWeights(view.weights, initial.weights) && view.method === initial.method
                ? fill(t("range_note"), { draws: run.draws, seed: run.seed })
                : fill(t("range_note_changed"), { draws: run.draws, seed: run.seed })) : "";
            renderTable();
            renderShortlist();
            if (view.site !== null && map.hasLayer(popup)) { openPopup(view.site); }
            writeHash();
        }
        var hashWritten = "";
        function writeHash() {
            var text = fragmentOf(view);
            linkInput.value = location.href.replace(/#.*$/, "") + "#" + text;
            if (text === hashWritten) { return; }
            hashWritten = text;
            if (history.replaceState) {
                try { history.replaceState(null, "", "#" + text); } catch (e) { /* file: URLs in some browsers */ }
            }
        }
        function applyFragment(hash) {
            var f = parseFragment(hash, crit.length, n, data.methods, Object.keys(data.text));
            Object.keys(f).forEach(function (key) { view[key] = f[key]; });
            if (f.shortlist) { view.shortlist = f.shortlist; }
        }
        function relabel() {
            var lang = view.lang;
            document.documentElement.lang = lang;
            var title = data.title || t("title");
            document.title = title;
            titleEl.textContent = title;
            subEl.textContent = fill(t("subtitle"), {
                scenario: run.scenario, method: t("method_" + view.method), n: formatWhole(n, lang)
            });
            Object.keys(langButtons).forEach(function (l) {
                langButtons[l].setAttribute("aria-pressed", l === lang ? "true" : "false");
                langButtons[l].title = t("lang_" + l);
            });
            ["ranking", "weights", "shortlist", "notes"].forEach(function (k) { tabButtons[k].textContent = t("tab_" + k); });
            search.placeholder = t("search");
            search.setAttribute("aria-label", t("search"));
            stateSelect.setAttribute("aria-label", t("state"));
            metroSelect.setAttribute("aria-label", t("metro"));
            minSpan.textContent = t("score_min");
            maxSpan.textContent = t("score_max");
            resetFilters.textContent = t("filters_reset");
            methodSpan.textContent = t("method");
            resetWeights.textContent = t("weights_reset");
            exportShort.textContent = t("export_shortlist");
            exportRanking.textContent = t("export_ranking");
            exportToml.textContent = t("export_toml");
            clearShort.textContent = t("shortlist_clear");
            linkSpan.textContent = t("link");
            syncFilterInputs();
            buildLayerControl();
            if (context && context.relabel) { context.relabel(); }
            map.attributionControl.removeAttribution(relabel.attribution || "");
            relabel.attribution = t("attribution");
            map.attributionControl.addAttribution(relabel.attribution);
        }
        function setLang(lang) {
            view.lang = lang;
            relabel();
            rescore();
            renderLegend();
            renderNotes();
        }

        applyFragment(location.hash);
        relabel();
        showTab("ranking");
        rescore();
        renderLegend();
        renderNotes();
        if (view.site !== null) { select(view.site, true); }
        window.addEventListener("hashchange", function () {
            if (location.hash.replace(/^#/, "") === hashWritten) { return; }
            applyFragment(location.hash);
            syncFilterInputs();
            setLang(view.lang);
            if (view.site !== null) { select(view.site, true); }
        });
        // printing changes the map's size: fit it before the page is laid out for paper
        window.addEventListener("beforeprint", function () { map.invalidateSize({ pan: false }); });
        map.on("resize", function () {
            if (view.site !== null && map.hasLayer(popup)) { openPopup(view.site); }
        });

        var api = {
            view: function () { return JSON.parse(JSON.stringify(view)); },
            scores: function () {
                return { score: cur.score.slice(), rank: cur.rank.slice(), contrib: cur.contrib, norm: cur.norm };
            },
            top: function () { return cur.top.slice(); },
            exportText: function (kind) { return exportText(kind).text; },
            select: function (i) { select(i, true); },
            setLang: setLang,
            showTab: showTab,
            visible: function () { return Array.prototype.slice.call(visible || []); },
            markers: markers,
            map: map
        };
        window.sitingView = api;
        return api;
    }

    return {
        formatNumber: formatNumber,
        formatPercent: formatPercent,
        formatWhole: formatWhole,
        fill: fill,
        csvCell: csvCell,
        csvText: csvText,
        tomlString: tomlString,
        tomlNumber: tomlNumber,
        tomlSnippet: tomlSnippet,
        fragmentOf: fragmentOf,
        parseFragment: parseFragment,
        fold: fold,
        filterSites: filterSites,
        sortIds: sortIds,
        sameWeights: sameWeights,
        install: install
    };
})();

if (typeof module === "object" && module.exports) {
    module.exports = sitingApp;
}

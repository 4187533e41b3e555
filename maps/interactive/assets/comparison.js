/*
 * Comparison panel of the siting interactive map (map.html): the sites a person picks in the
 * browser, side by side, as `siting compare` shows them.
 *
 * Inlined into the page by siting.maps.interactive.comparison, which then calls
 * sitingComparison.install(map, group, data, options): `group` holds the candidate markers,
 * whose popups have the add/remove button; `data` is the panel's rows and each site's formatted
 * cells (see _compare_data). Every element is built with createElement and textContent, so site
 * names and rules are data, never markup.
 *
 * The functions before install() are pure; Node runs their unit tests
 * (tests/js/comparison.test.js loads this file with require()).
 */
var sitingComparison = (function () {
    "use strict";

    /*
     * The selection after a person toggles site `id`: it is removed if selected, else added at
     * the end, unless `max` sites are selected already; then the selection is unchanged and the
     * message is `full`. The message is "" otherwise. `selected` itself is not modified.
     */
    function toggled(selected, id, max, full) {
        var at = selected.indexOf(id);
        if (at >= 0) {
            return { selected: selected.slice(0, at).concat(selected.slice(at + 1)), message: "" };
        }
        if (selected.length >= max) {
            return { selected: selected.slice(), message: full };
        }
        return { selected: selected.concat([id]), message: "" };
    }

    /*
     * Largest height (px) of the panel: it ends 20 px above the boxes in the lower right corner
     * of the map (notes, credits), but is never less than 160 px.
     */
    function maxHeight(mapHeight, panelTop, belowHeight) {
        return Math.max(mapHeight - panelTop - 20 - belowHeight, 160);
    }

    /*
     * Popups' autoPan padding at the bottom right, [x, y] px: while the panel shows sites, a
     * popup pans clear of it (the panel is on the right side of the map).
     */
    function popupPadding(count, panelWidth) {
        return [count ? panelWidth + 20 : 5, 5];
    }

    /* CSS class of a site's cell in the row of `field`: the rank of an excluded site is marked. */
    function cellClass(field, site) {
        return field === "rank" && site.excluded ? "siting-compare-excluded" : "";
    }

    /*
     * Add the panel to `map` and wire the buttons of the popups of `group`'s markers.
     * options: buttonClass (class of the popups' buttons), panelClass (class of the panel) and
     * selectedColor (outline of a selected site's marker). Returns the panel's controls:
     * toggle(id), clear() and selected() (the ids shown, in column order).
     */
    function install(map, group, data, options) {
        var T = data.text, selected = [], buttons = {}, markers = {}, outline = {};
        var message = "";
        group.eachLayer(function (layer) {
            var popup = layer.getPopup(), content = popup && popup.getContent();
            var button = content && content.querySelector
                && content.querySelector("." + options.buttonClass);
            if (!button) { return; }
            var id = button.getAttribute("data-siting-id");
            buttons[id] = button;
            markers[id] = layer;
            outline[id] = { color: layer.options.color, weight: layer.options.weight };
            button.addEventListener("click", function (event) {
                L.DomEvent.stop(event);
                toggle(id);
            });
        });
        var Panel = L.Control.extend({
            options: { position: "topright" },
            onAdd: function () {
                var div = L.DomUtil.create("div", "siting-box " + options.panelClass);
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            }
        });
        var box = new Panel().addTo(map).getContainer();
        function add(parent, tag, cls, text) {
            var el = document.createElement(tag);
            if (cls) { el.className = cls; }
            if (text !== undefined) { el.textContent = text; }
            parent.appendChild(el);
            return el;
        }
        function button(parent, text, onclick) {
            var b = add(parent, "button", "", text);
            b.type = "button";
            b.addEventListener("click", function (event) {
                L.DomEvent.stop(event);
                onclick();
            });
            return b;
        }
        function toggle(id) {
            var next = toggled(selected, id, data.max, T.full);
            selected = next.selected;
            message = next.message;
            render();
        }
        function clear() {
            selected = [];
            message = "";
            render();
        }
        function render() {
            Object.keys(buttons).forEach(function (id) {
                var on = selected.indexOf(id) >= 0;
                buttons[id].textContent = on ? T.remove : T.add;
                buttons[id].setAttribute("aria-pressed", on ? "true" : "false");
                markers[id].setStyle(on
                    ? { color: options.selectedColor, weight: 3.5 }
                    : outline[id]);
            });
            while (box.firstChild) { box.removeChild(box.firstChild); }
            box.style.display = selected.length ? "" : "none";
            if (!selected.length) { return keepPopupsClear(); }
            var head = add(box, "div", "siting-compare-head");
            add(head, "div", "siting-title2", T.title);
            button(head, T.clear, clear).className = "siting-compare-clear";
            if (message) { add(box, "div", "siting-compare-message", message); }
            var table = add(box, "table", "siting-compare-table");
            var tr = add(add(table, "thead"), "tr");
            add(tr, "th");
            selected.forEach(function (id) {
                var site = data.sites[id];
                var th = add(tr, "th");
                th.setAttribute("scope", "col");
                th.setAttribute("data-siting-id", id);
                add(th, "div", "siting-compare-name", site.name);
                add(th, "div", "siting-compare-place", site.place);
                var drop = button(th, T.drop, function () { toggle(id); });
                drop.className = "siting-compare-drop";
                drop.title = T.remove;
                drop.setAttribute("aria-label", T.remove + ": " + site.name);
            });
            var body = add(table, "tbody");
            data.rows.forEach(function (row) {
                var tr = add(body, "tr");
                if (row.field === null) {
                    tr.className = "siting-compare-group";
                    var th = add(tr, "th", "", row.label);
                    th.colSpan = selected.length + 1;
                    return;
                }
                tr.setAttribute("data-field", row.field);
                add(tr, "th", "", row.label).setAttribute("scope", "row");
                selected.forEach(function (id) {
                    var site = data.sites[id];
                    add(tr, "td", cellClass(row.field, site), site.cells[row.field]);
                });
            });
            fit();
            keepPopupsClear();
        }
        // the panel ends above the boxes in the lower right corner (notes, credits)
        function fit() {
            var below = map.getContainer().querySelector(".leaflet-bottom.leaflet-right");
            var room = maxHeight(map.getSize().y, box.offsetTop, below ? below.offsetHeight : 0);
            box.style.maxHeight = room + "px";
        }
        map.on("resize", function () {
            if (selected.length) { fit(); keepPopupsClear(); }
        });
        // popups pan clear of the panel (right side); an open one moves if now covered
        function keepPopupsClear() {
            var pad = popupPadding(selected.length, box.offsetWidth);
            Object.keys(markers).forEach(function (id) {
                var popup = markers[id].getPopup();
                popup.options.autoPanPaddingBottomRight = pad;
                if (markers[id].isPopupOpen()) { popup.update(); }
            });
        }
        render();
        return {
            toggle: toggle,
            clear: clear,
            selected: function () { return selected.slice(); }
        };
    }

    return {
        toggled: toggled,
        maxHeight: maxHeight,
        popupPadding: popupPadding,
        cellClass: cellClass,
        install: install
    };
})();

if (typeof module === "object" && module.exports) {
    module.exports = sitingComparison;
}

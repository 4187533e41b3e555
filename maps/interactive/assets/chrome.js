/*
 * The boxes around the siting interactive map (map.html): title, zoom buttons, legend and the
 * notes and credits.
 *
 * Inlined into the page by siting.maps.interactive.page, which then calls
 * sitingChrome.install(map, title, legend, notes, sections). title, legend and notes are HTML
 * made by the page's Python code, every value in them escaped; sections are the legend sections
 * of the choropleths, [name of the layer's variable, HTML] pairs in the order of the layer
 * control: a section shows only while its layer is on the map.
 */
var sitingChrome = (function () {
    "use strict";

    /* Whether the legend section of `layer` shows: the layer exists and is on `map`. */
    function sectionShown(map, layer) {
        return Boolean(layer) && map.hasLayer(layer);
    }

    function box(map, position, cls, content) {
        var Control = L.Control.extend({
            options: { position: position },
            onAdd: function () {
                var div = L.DomUtil.create("div", "siting-box " + cls);
                div.innerHTML = content;
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            }
        });
        return new Control().addTo(map);
    }

    function install(map, title, legendHtml, notesHtml, sections) {
        box(map, "topleft", "siting-title", title);
        L.control.zoom({ position: "topleft" }).addTo(map);
        var legend = box(map, "bottomleft", "siting-legend", legendHtml);
        box(map, "bottomright", "siting-notes", notesHtml);
        var container = legend.getContainer();
        sections.forEach(function (section) {
            var div = L.DomUtil.create("div", "siting-legend-section", container);
            div.setAttribute("data-layer", section[0]);
            div.innerHTML = section[1];
        });
        function refresh() {
            container.querySelectorAll(".siting-legend-section").forEach(function (div) {
                var layer = window[div.getAttribute("data-layer")];
                div.style.display = sectionShown(map, layer) ? "" : "none";
            });
        }
        map.on("overlayadd overlayremove", refresh);
        refresh();
    }

    return { sectionShown: sectionShown, install: install };
})();

if (typeof module === "object" && module.exports) {
    module.exports = sitingChrome;
}

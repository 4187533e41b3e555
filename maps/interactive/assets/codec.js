/*
 * Decoder of the compact coordinates of the siting interactive map (map.html).
 *
 * Every line and ring in the page's data is a Google Encoded Polyline string
 * (https://developers.google.com/maps/documentation/utilities/polylinealgorithm), written by
 * siting.maps.interactive.codec with a given precision (decimals): latitude then longitude of
 * each vertex as differences from the previous one, zig-zag signed, in 5-bit chunks offset by 63.
 * Polygon rings carry no closing vertex (Leaflet closes them).
 *
 * Pure functions, no DOM: Node runs their tests (tests/js/codec.test.js loads this file with
 * require(); tests/test_map_context.py decodes what Python encoded).
 */
var sitingCodec = (function () {
    "use strict";

    /*
     * The [[lat, lon], ...] vertices of one encoded string of `precision` decimals (default 4).
     * Throws on a character outside the format ("?" to "~") or a string that ends mid-number.
     */
    function decode(text, precision) {
        var factor = Math.pow(10, precision === undefined ? 4 : precision);
        var points = [], index = 0, lat = 0, lon = 0, n = text.length;
        function next() {
            var result = 0, shift = 0, byte;
            do {
                if (index >= n) {
                    throw new Error("encoded polyline ends mid-number at character " + index);
                }
                byte = text.charCodeAt(index++) - 63;
                if (byte < 0 || byte > 63) {
                    throw new Error("invalid character in encoded polyline at " + (index - 1));
                }
                // multiplication, not <<: a value may need more than 32 bits at high precision
                result += (byte & 31) * Math.pow(2, shift);
                shift += 5;
            } while (byte >= 32);
            // zig-zag: odd values are negative
            return result % 2 ? -(result + 1) / 2 : result / 2;
        }
        while (index < n) {
            lat += next();
            if (index >= n) {
                throw new Error("encoded polyline has a latitude without its longitude");
            }
            lon += next();
            points.push([lat / factor, lon / factor]);
        }
        return points;
    }

    /* Leaflet polyline latlngs of a list of encoded lines: [[[lat, lon], ...], ...]. */
    function lines(list, precision) {
        return (list || []).map(function (text) { return decode(text, precision); });
    }

    /*
     * Leaflet polygon latlngs of a list of polygons, each a list of encoded rings (exterior
     * first): [[[[lat, lon], ...], ...], ...], what L.polygon draws as a multi-polygon.
     */
    function polygons(list, precision) {
        return (list || []).map(function (rings) { return lines(rings, precision); });
    }

    return { decode: decode, lines: lines, polygons: polygons };
})();

if (typeof module === "object" && module.exports) {
    module.exports = sitingCodec;
}

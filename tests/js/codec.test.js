// Unit tests of maps/interactive/assets/codec.js (sitingCodec), the decoder of the Encoded
// Polyline strings written by siting.maps.interactive.codec. Run by tests/test_map_js.py
// (`node --test`, SITING_ASSETS = the installed package's assets folder); by hand:
// node --test tests/js/
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");

const ASSETS = process.env.SITING_ASSETS
    || path.join(__dirname, "..", "..", "maps", "interactive", "assets");
const codec = require(path.join(ASSETS, "codec.js"));

function close(actual, expected, tol) {
    assert.equal(actual.length, expected.length, "number of vertices");
    actual.forEach((p, i) => {
        assert.ok(Math.abs(p[0] - expected[i][0]) <= tol && Math.abs(p[1] - expected[i][1]) <= tol,
            `vertex ${i}: ${p} != ${expected[i]}`);
    });
}

test("decode reads Google's example at precision 5, latitude first", () => {
    close(codec.decode("_p~iF~ps|U_ulLnnqC_mqNvxq`@", 5),
        [[38.5, -120.2], [40.7, -120.95], [43.252, -126.453]], 1e-9);
});

test("decode defaults to precision 4, the Python encoder's default", () => {
    // siting.maps.interactive.codec.encode([(-99.1332, 19.4326)])
    close(codec.decode("kpzJfeo{@"), [[19.4326, -99.1332]], 1e-9);
    close(codec.decode("kpzJfeo{@", 4), [[19.4326, -99.1332]], 1e-9);
});

test("decode handles zero and negative steps", () => {
    // encode([(0, 0), (0.0001, -0.0001), (0, 0)], 4)
    close(codec.decode("??@AA@", 4), [[0, 0], [-0.0001, 0.0001], [0, 0]], 1e-12);
});

test("decode keeps values beyond 32 bits exact (precision 9)", () => {
    // encode([(-179.123456789, 89.987654321), (179.5, -89.25)], 9)
    close(codec.decode("ajpytrfDhpd{qslI`rfukzlIi`v}r~zS", 9),
        [[89.987654321, -179.123456789], [-89.25, 179.5]], 1e-12);
});

test("an empty string is a line without vertices", () => {
    assert.deepEqual(codec.decode("", 3), []);
});

test("decode rejects characters outside the format and truncated strings", () => {
    assert.throws(() => codec.decode("_p~iF ps|U", 5), /invalid character/);
    assert.throws(() => codec.decode("_p~iF~ps|", 5), /ends mid-number/);
    assert.throws(() => codec.decode("_p~iF", 5), /latitude without its longitude/);
});

test("lines and polygons nest decoded vertices for Leaflet", () => {
    const line = "_p~iF~ps|U_ulLnnqC";
    const lines = codec.lines([line, line], 5);
    assert.equal(lines.length, 2);
    close(lines[1], [[38.5, -120.2], [40.7, -120.95]], 1e-9);
    // encode_geometry(shapely.box(-99.0, 19.0, -98.0, 20.0), 0): one polygon, one ring
    const polygons = codec.polygons([["e@bEA??@@?"]], 0);
    assert.equal(polygons.length, 1);
    assert.equal(polygons[0].length, 1);
    close(polygons[0][0], [[19, -98], [20, -98], [20, -99], [19, -99]], 0);
    assert.deepEqual(codec.lines(undefined, 3), []);
    assert.deepEqual(codec.polygons([], 3), []);
});

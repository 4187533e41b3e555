// Unit tests of the pure functions of maps/interactive/assets/comparison.js and chrome.js.
// Run by tests/test_map_js.py (`node --test`), which sets SITING_ASSETS to the installed
// package's assets folder; by hand: node --test tests/js/
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const ASSETS = process.env.SITING_ASSETS
    || path.join(__dirname, "..", "..", "maps", "interactive", "assets");
const comparison = require(path.join(ASSETS, "comparison.js"));
const chrome = require(path.join(ASSETS, "chrome.js"));

const FULL = "At most 3 sites";

test("toggled adds a site at the end", () => {
    assert.deepEqual(comparison.toggled([], "4", 3, FULL), { selected: ["4"], message: "" });
    assert.deepEqual(comparison.toggled(["4"], "0", 3, FULL), {
        selected: ["4", "0"],
        message: "",
    });
});

test("toggled removes a selected site and keeps the others' order", () => {
    assert.deepEqual(comparison.toggled(["4", "0", "7"], "0", 3, FULL), {
        selected: ["4", "7"],
        message: "",
    });
});

test("toggled refuses a site beyond the maximum, with the message", () => {
    const full = ["1", "2", "3"];
    assert.deepEqual(comparison.toggled(full, "9", 3, FULL), {
        selected: ["1", "2", "3"],
        message: FULL,
    });
    // a selected site can still be removed, and then another one added
    const after = comparison.toggled(full, "2", 3, FULL);
    assert.deepEqual(after, { selected: ["1", "3"], message: "" });
    assert.deepEqual(comparison.toggled(after.selected, "9", 3, FULL).selected, ["1", "3", "9"]);
});

test("toggled never modifies the selection it is given", () => {
    const selected = ["1", "2"];
    comparison.toggled(selected, "3", 3, FULL);
    comparison.toggled(selected, "1", 3, FULL);
    comparison.toggled(selected, "5", 2, FULL);
    assert.deepEqual(selected, ["1", "2"]);
    assert.notEqual(comparison.toggled(selected, "5", 2, FULL).selected, selected);
});

test("ids are compared as the strings the buttons carry", () => {
    assert.deepEqual(comparison.toggled(["1"], 1, 3, FULL).selected, ["1", 1]);
});

test("maxHeight leaves 20 px above the lower right boxes, at least 160 px", () => {
    assert.equal(comparison.maxHeight(800, 70, 200), 510);
    assert.equal(comparison.maxHeight(800, 70, 0), 710);
    assert.equal(comparison.maxHeight(400, 70, 200), 160);
});

test("popupPadding keeps popups clear of the panel only while it shows sites", () => {
    assert.deepEqual(comparison.popupPadding(0, 480), [5, 5]);
    assert.deepEqual(comparison.popupPadding(2, 480), [500, 5]);
});

test("cellClass marks the rank of an excluded site only", () => {
    assert.equal(comparison.cellClass("rank", { excluded: true }), "siting-compare-excluded");
    assert.equal(comparison.cellClass("rank", { excluded: false }), "");
    assert.equal(comparison.cellClass("score", { excluded: true }), "");
});

test("chrome: a legend section shows while its layer is on the map", () => {
    const on = {}, off = {};
    const map = { hasLayer: (layer) => layer === on };
    assert.equal(chrome.sectionShown(map, on), true);
    assert.equal(chrome.sectionShown(map, off), false);
    assert.equal(chrome.sectionShown(map, undefined), false);
});

test("in a page the assets define globals and touch nothing else", () => {
    for (const [file, name] of [["comparison.js", "sitingComparison"], ["chrome.js", "sitingChrome"]]) {
        const context = {};
        vm.runInNewContext(fs.readFileSync(path.join(ASSETS, file), "utf8"), context);
        assert.deepEqual(Object.keys(context), [name], file);
        assert.equal(typeof context[name].install, "function", file);
    }
});

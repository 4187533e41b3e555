// Unit tests of the pure functions of maps/interactive/assets/app.js (formatting, CSV, TOML,
// URL fragment, filters, sorting). The page's wiring is tested in Chromium (tests/test_browser.py).
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const ASSETS = process.env.SITING_ASSETS
    || path.join(__dirname, "..", "..", "maps", "interactive", "assets");
const app = require(path.join(ASSETS, "app.js"));

test("numbers: ~3 significant digits, Mexican and US conventions, missing and infinite", () => {
    assert.equal(app.formatNumber(12345.6, "en", "min"), "12,346 min");
    assert.equal(app.formatNumber(12345.6, "es", "min"), "12,346 min");
    assert.equal(app.formatNumber(12.34, "es"), "12.3");
    assert.equal(app.formatNumber(0.4567, "en"), "0.46");
    assert.equal(app.formatNumber(null, "en"), "—");
    assert.equal(app.formatNumber(NaN, "en"), "—");
    assert.equal(app.formatNumber(Infinity, "es", "min", "sin acceso"), "sin acceso");
    assert.equal(app.formatPercent(0.125, "en"), "12.5%");
    assert.equal(app.formatPercent(1 / 3, "es"), "33.3%");
    assert.equal(app.formatWhole(1234, "es"), "1,234");
    assert.equal(app.formatWhole(NaN, "es"), "—");
});

test("fill replaces known placeholders and leaves the others", () => {
    assert.equal(app.fill("{a} of {b} {c}", { a: 1, b: "x" }), "1 of x {c}");
});

test("CSV cells: formulas made inert, quoting, numbers in full precision", () => {
    assert.equal(app.csvCell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
    assert.equal(app.csvCell("+cmd|x"), "'+cmd|x");
    assert.equal(app.csvCell("@SUM(A1)"), "'@SUM(A1)");
    assert.equal(app.csvCell("a,b"), "\"a,b\"");
    assert.equal(app.csvCell("line\nbreak"), "\"line\nbreak\"");
    assert.equal(app.csvCell(-3.5), "-3.5");  // a number, not a formula
    assert.equal(app.csvCell(0.1 + 0.2), "0.30000000000000004");
    assert.equal(app.csvCell(NaN), "");
    assert.equal(app.csvCell(Infinity), "inf");
    assert.equal(app.csvCell(null), "");
    assert.equal(app.csvCell(true), "True");
    const text = app.csvText(["name", "score"], [["Querétaro", 1.5], ["-x", null]]);
    assert.equal(text, "\ufeffname,score\nQuerétaro,1.5\n'-x,\n");
});

test("TOML numbers and strings read back exactly", () => {
    assert.equal(app.tomlNumber(20), "20.0");
    assert.equal(app.tomlNumber(0.1), "0.1");
    assert.equal(app.tomlNumber(1e-7), "1e-7");
    assert.equal(app.tomlString('a "b" \\ \u0085'), '"a \\"b\\" \\\\ \\u0085"');
});

test("the TOML snippet: weights, method, changed or scenario value functions, base", () => {
    const toml = {
        base: "[scenario]\nname = \"x\"\n",
        floor: null,
        value_functions: {
            a: { in_scenario: false, tables: { benefit: "type = \"linear\"\ndirection = \"benefit\"\n", cost: "type = \"linear\"\ndirection = \"cost\"\n" } },
            b: { in_scenario: true, tables: { fixed: "type = \"threshold\"\nfull = 1\nzero = 0\n" } },
            c: { in_scenario: false, tables: { benefit: "B", cost: "C" } },
        },
    };
    const criteria = [
        { name: "a", direction: "cost", vf: null, flippable: true },
        { name: "b", direction: "benefit", vf: { type: "threshold", full: 1, zero: 0 }, flippable: false },
        { name: "c", direction: "cost", vf: null, flippable: true },
    ];
    const out = app.tomlSnippet(toml, criteria,
        { weights: [0.5, 0.25, 20], directions: ["benefit", "benefit", "cost"], method: "topsis" },
        ["made by a test"]);
    assert.equal(out, [
        "# made by a test", "",
        "[scenario]", "name = \"x\"", "",
        "[weights]", "a = 0.5", "b = 0.25", "c = 20.0", "",
        "[aggregation]", "method = \"topsis\"", "",
        "[value_functions.a]", "type = \"linear\"", "direction = \"benefit\"", "",
        "[value_functions.b]", "type = \"threshold\"", "full = 1", "zero = 0", "",
    ].join("\n"));
});

test("the URL fragment round-trips a view", () => {
    const view = {
        weights: [0.2, 0.3, 0.5], directions: ["cost", "benefit", "cost"], method: "topsis",
        query: "Querétaro & co", state: "Nuevo León", metro: "", min: 40, max: null,
        shortlist: ["3", "0"], sort: { key: "score", desc: true }, lang: "es", site: 3,
    };
    const back = app.parseFragment("#" + app.fragmentOf(view), 3, 5, ["weighted_sum", "topsis"], ["en", "es"]);
    assert.deepEqual(back, {
        weights: [0.2, 0.3, 0.5], directions: ["cost", "benefit", "cost"], method: "topsis",
        query: "Querétaro & co", state: "Nuevo León", min: 40, shortlist: ["3", "0"],
        sort: { key: "score", desc: true }, lang: "es", site: 3,
    });
});

test("a damaged fragment gives only its valid parts", () => {
    const methods = ["weighted_sum"], langs = ["en", "es"];
    assert.deepEqual(app.parseFragment("#w=1,x,2&d=bq&m=nope&s=9,1,1,abc&lang=fr&site=7&min=abc", 3, 5, methods, langs),
        { shortlist: ["1"] });
    assert.deepEqual(app.parseFragment("#w=0,0,0", 3, 5, methods, langs), {});
    assert.deepEqual(app.parseFragment("#w=-1,2,3", 3, 5, methods, langs), {});
    assert.deepEqual(app.parseFragment("", 3, 5, methods, langs), {});
});

test("filters: accent- and case-blind search in names and aliases, state, metro, score", () => {
    const sites = {
        name: ["Parque Querétaro", "Nave Monterrey", "Other"],
        aliases: [null, "QRO norte", null],
        state: ["Querétaro", "Nuevo León", "Nuevo León"],
        metro: ["Querétaro", "Monterrey", null],
    };
    const order = [0, 1, 2], score = [60, 70, NaN];
    assert.deepEqual(app.filterSites(order, sites, score, { query: "queretaro" }), [0]);
    assert.deepEqual(app.filterSites(order, sites, score, { query: "qro" }), [1]);
    assert.deepEqual(app.filterSites(order, sites, score, { state: "Nuevo León" }), [1, 2]);
    assert.deepEqual(app.filterSites(order, sites, score, { metro: "Monterrey" }), [1]);
    assert.deepEqual(app.filterSites(order, sites, score, { min: 65 }), [1]);
    assert.deepEqual(app.filterSites(order, sites, score, { max: 65 }), [0]);
    assert.deepEqual(app.filterSites(order, sites, score, {}), [0, 1, 2]);
});

test("sorting: either direction, missing values last, ties keep their order", () => {
    const v = { 0: 5, 1: NaN, 2: 9, 3: 5 };
    assert.deepEqual(app.sortIds([0, 1, 2, 3], (i) => v[i], false), [0, 3, 2, 1]);
    assert.deepEqual(app.sortIds([0, 1, 2, 3], (i) => v[i], true), [2, 0, 3, 1]);
    const names = { 0: "Óscar", 1: "oso", 2: "Ana" };
    assert.deepEqual(app.sortIds([0, 1, 2], (i) => names[i], false), [2, 0, 1]);
});

test("weights are the same when their shares are", () => {
    assert.equal(app.sameWeights([0.2, 0.8], [1, 4]), true);
    assert.equal(app.sameWeights([0.2, 0.8], [0.3, 0.7]), false);
});

test("in a page each asset defines its global and touches nothing else", () => {
    for (const [file, name] of [["app.js", "sitingApp"], ["scoring.js", "sitingScoring"]]) {
        const context = {};
        vm.runInNewContext(fs.readFileSync(path.join(ASSETS, file), "utf8"), context);
        assert.deepEqual(Object.keys(context), [name], file);
    }
});

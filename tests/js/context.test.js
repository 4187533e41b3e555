// Unit tests of the pure functions of maps/interactive/assets/context.js (sitingContext): label
// visibility, choropleth classes and legends, and the text of tooltips and popups. Run by
// tests/test_map_js.py (`node --test`, SITING_ASSETS = the installed package's assets folder);
// the Leaflet wiring of install() is exercised in Chromium. By hand: node --test tests/js/
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");

const ASSETS = process.env.SITING_ASSETS
    || path.join(__dirname, "..", "..", "maps", "interactive", "assets");
const context = require(path.join(ASSETS, "context.js"));

const TEXT = {
    population: "Population 2020",
    density: "Inhabitants per km²",
    homicide_rate: "Homicides per 100,000",
    homicide_rate_state: "Homicide victims per 100,000 (state)",
    cargo_theft_rate: "Cargo thefts per 100,000 (state)",
    advisory: "US travel advisory (state)",
    advisory_4: "Do not travel",
    port: "Land port",
    trucks: "Inbound trucks 2024",
    seaport: "Container port",
    teu_per_year: "Containers per year",
    teu_jan_apr: "Containers Jan–Apr 2024",
    teu_short: "{teu} TEU/year",
    coast_gulf: "Gulf of Mexico",
};
// a page's ui: a missing key comes back as the key itself
const ui = {
    t: (key) => (key in TEXT ? TEXT[key] : key),
    num: (x) => Number(x).toLocaleString("en-US"),
    lang: () => "en",
};
const HOSTILE = "<script>alert(1)</script> & \"Ñandú's\" `${x}`";

test("labels show from their minimum zoom on", () => {
    assert.equal(context.labelVisible(6, 5), false);
    assert.equal(context.labelVisible(6, 6), true);
    assert.equal(context.labelVisible(6, 11), true);
    assert.equal(context.labelVisible(5, undefined), false, "no zoom yet: nothing shows");
    assert.deepEqual(context.visibleAt([5, 8, 6, 5, 7], 6), [0, 2, 3]);
    assert.deepEqual(context.visibleAt([5, 8, 6], 4), []);
});

test("classOf matches siting.maps.style.classify", () => {
    // classify([5.0, 10.0, 1e6, nan], [0.0, 10.0, 100.0]) == [0, 1, 2, -1]
    const bins = [0, 10, 100];
    assert.deepEqual([5, 10, 1e6, NaN].map((v) => context.classOf(v, bins)), [0, 1, 2, -1]);
    assert.equal(context.classOf(-3, bins), 0, "below the first bound: class 0");
    assert.equal(context.classOf(null, bins), -1);
    assert.equal(context.classOf(99.999, bins), 1);
});

test("classColor uses the class colour, or the no-data colour", () => {
    const layer = { classes: [0, 2, -1], colors: ["#a", "#b", "#c"], nodata: "#d9d9d9" };
    assert.deepEqual([0, 1, 2].map((i) => context.classColor(layer, i)), ["#a", "#c", "#d9d9d9"]);
    assert.equal(context.hasNoData(layer), true);
    assert.equal(context.hasNoData({ classes: [0, 1] }), false);
});

test("classLabel writes closed classes as ranges and the last one as open", () => {
    const fmt = (x) => Number(x).toLocaleString("en-US");
    const bins = [0, 10, 1000];
    assert.equal(context.classLabel(bins, 0, fmt), "0 – 10");
    assert.equal(context.classLabel(bins, 1, fmt), "10 – 1,000");
    assert.equal(context.classLabel(bins, 2, fmt), "≥ 1,000");
});

test("valueText shows a dash for missing values and formats the others", () => {
    assert.equal(context.valueText(null, ui), "—");
    assert.equal(context.valueText(undefined, ui), "—");
    assert.equal(context.valueText(NaN, ui), "—");
    assert.equal(context.valueText(12345, ui), "12,345");
    assert.equal(context.valueText(0, ui), "0");
});

test("textOr falls back when the text table lacks the key", () => {
    assert.equal(context.textOr(ui, "advisory_4", "x"), "Do not travel");
    assert.equal(context.textOr(ui, "advisory_9", "Level nine"), "Level nine");
});

const MUN = {
    municipality: [HOSTILE, "Tijuana"],
    state: ["Oaxaca", "Baja California"],
    population: [1200, null],
    density_km2: [3.4, 1234],
    homicide_rate: [12.3, 71.2],
    homicide_rate_state: [20.1, 60.5],
    advisory_level: [4, 3],
    advisory_label: ["Do not travel", "Reconsider travel"],
};

test("municipal tooltips: labour rows, names kept as text", () => {
    const tip = context.municipalTip(MUN, "labor", 0, ui);
    assert.equal(tip.title, HOSTILE + ", Oaxaca");
    assert.deepEqual(tip.rows, [["Population 2020", "1,200"], ["Inhabitants per km²", "3.4"]]);
    assert.deepEqual(context.municipalTip(MUN, "labor", 1, ui).rows[0], ["Population 2020", "—"]);
});

test("municipal tooltips: security rows only for the columns the data have", () => {
    const tip = context.municipalTip(MUN, "security", 1, ui);
    assert.equal(tip.title, "Tijuana, Baja California");
    assert.deepEqual(tip.rows, [
        ["Homicides per 100,000", "71.2"],
        ["Homicide victims per 100,000 (state)", "60.5"],
        // no advisory_3 in the text table: the data's (English) label
        ["US travel advisory (state)", "3 Reconsider travel"],
    ]);
    // level 4 has a text key: the page's language wins over the data's label
    assert.deepEqual(context.municipalTip(MUN, "security", 0, ui).rows[2],
        ["US travel advisory (state)", "4 Do not travel"]);
    const bare = context.municipalTip({ municipality: ["X"], homicide_rate: [1] }, "security", 0, ui);
    assert.deepEqual(bare, { title: "X", rows: [["Homicides per 100,000", "1"]] });
});

test("crossing popups name the port and its Mexican twin city", () => {
    const c = { name: [HOSTILE, "Laredo"], twin: [null, "Nuevo Laredo"], trucks: [null, 3026632] };
    const laredo = context.crossingTip(c, 1, ui);
    assert.equal(laredo.title, "Land port: Laredo (Nuevo Laredo)");
    assert.deepEqual(laredo.rows, [["Inbound trucks 2024", "3,026,632"]]);
    assert.equal(laredo.tooltip, "Laredo");
    const hostile = context.crossingTip(c, 0, ui);
    assert.equal(hostile.title, "Land port: " + HOSTILE);
    assert.equal(hostile.tooltip, HOSTILE);
    assert.deepEqual(hostile.rows, [["Inbound trucks 2024", "—"]]);
});

test("seaport popups: code, where, containers; tooltip with TEU per year", () => {
    const s = {
        name: ["Veracruz", HOSTILE], unlocode: ["MXVER", null], state: ["Veracruz", null],
        coast: ["Gulf", "Atlantis"], teu_per_year: [1274847, null], teu_jan_apr_2024: [424949, null],
    };
    const ver = context.seaportTip(s, 0, ui);
    assert.equal(ver.title, "Container port: Veracruz (MXVER)");
    assert.deepEqual(ver.lines, ["Veracruz, Gulf of Mexico"]);
    assert.deepEqual(ver.rows, [
        ["Containers per year", "1,274,847"],
        ["Containers Jan–Apr 2024", "424,949"],
    ]);
    assert.equal(ver.tooltip, "Veracruz · 1,274,847 TEU/year");
    const other = context.seaportTip(s, 1, ui);
    assert.equal(other.title, "Container port: " + HOSTILE);
    assert.deepEqual(other.lines, ["Atlantis"], "an unknown coast is shown as the data say");
    assert.deepEqual(other.rows, []);
    assert.equal(other.tooltip, HOSTILE);
});

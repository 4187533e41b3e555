// Unit tests of maps/interactive/assets/scoring.js: the page's scoring, which must give the same
// numbers as siting's Python scoring. The examples are the docstring examples of
// siting/aggregate.py and siting/valuefn.py; tests/test_map_scoring.py compares whole real runs.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");

const ASSETS = process.env.SITING_ASSETS
    || path.join(__dirname, "..", "..", "maps", "interactive", "assets");
const S = require(path.join(ASSETS, "scoring.js"));

const ALL = [true, true, true];

function close(actual, expected, tol = 1e-12) {
    assert.equal(actual.length, expected.length);
    actual.forEach((x, i) => {
        if (Number.isNaN(expected[i])) {
            assert.ok(Number.isNaN(x), `item ${i}: ${x} is not NaN`);
        } else {
            assert.ok(Math.abs(x - expected[i]) <= tol, `item ${i}: ${x} != ${expected[i]}`);
        }
    });
}

test("linear min-max: cost reverses, the range comes from the eligible rows", () => {
    close(S.normalize([0, 5, 10], null, "cost", ALL), [1, 0.5, 0]);
    close(S.normalize([0, 5, 10], null, "benefit", ALL), [0, 0.5, 1]);
    // the excluded outlier (100) does not stretch the scale and is clipped
    close(S.normalize([0, 5, 10, 100], null, "benefit", [1, 1, 1, 0]), [0, 0.5, 1, 1]);
    // a criterion on which all eligible rows are equal does not discriminate
    close(S.normalize([3, 3, 7], null, "cost", [1, 1, 0]), [1, 1, 1]);
});

test("a value function's own direction wins over the criterion's", () => {
    close(S.normalize([0, 5, 10], { type: "linear", direction: "benefit" }, "cost", ALL), [0, 0.5, 1]);
});

test("log, threshold, target, logistic and categorical value functions", () => {
    close(S.normalize([0, 9, 99], { type: "log" }, "benefit", ALL), [0, 0.5, 1]);
    close(S.normalize([0, 500000, 2000000], { type: "threshold", full: 1000000, zero: 0 }, "benefit", ALL),
        [0, 0.5, 1]);
    close(S.normalize([10, 20], { type: "threshold", full: 10, zero: 30 }, "cost", [1, 1]), [1, 0.5]);
    close(S.normalize([5, 7], { type: "target", target: 5, width: 2 }, "cost", [1, 1]),
        [1, Math.exp(-0.5)]);
    close(S.normalize([3], { type: "logistic", midpoint: 3, steepness: 2 }, "benefit", [1]), [0.5]);
    const low = S.normalize([2], { type: "logistic", midpoint: 3, steepness: 2 }, "cost", [1])[0];
    const high = S.normalize([2], { type: "logistic", midpoint: 3, steepness: 2 }, "benefit", [1])[0];
    assert.ok(low > 0.5 && high < 0.5 && Math.abs(low + high - 1) < 1e-12);
    close(S.normalize([1, 4, 2], { type: "categorical", map: { "1": 1.0, "2": 0.8, "4": 0 } }, "cost", ALL),
        [1, 0, 0.8]);
});

test("excluded rows with no value take the worst eligible value", () => {
    assert.deepEqual(S.fillExcluded([5, 9, null, Infinity], [1, 1, 0, 0], "cost"), [5, 9, 9, 9]);
    assert.deepEqual(S.fillExcluded([5, 9, null], [1, 1, 0], "benefit"), [5, 9, 5]);
    // eligible rows are never changed
    assert.deepEqual(S.fillExcluded([5, null], [1, 1], "cost"), [5, null]);
});

test("weighted sum, weighted product and TOPSIS match siting.aggregate's examples", () => {
    close(S.weightedSum([[1, 0.5], [0, 1]], [0.5, 0.5]).score, [75, 50]);
    close(S.weightedProduct([[1, 1], [0.25, 1]], [0.5, 0.5], 0).score, [100, 50]);
    close(S.topsis([[1, 1], [0, 0], [0.5, 0.5]], [0.5, 0.5], ALL).score, [100, 0, 50]);
});

test("contributions add up to the score for every method", () => {
    const v = [[0.9, 0.1, 0.5], [0.2, 0.8, 0.3], [0.5, 0.5, 0.5], [0, 0, 0]];
    const w = [0.5, 0.3, 0.2];
    for (const parts of [S.weightedSum(v, w), S.weightedProduct(v, w, 0.01), S.topsis(v, w, [1, 1, 1, 1])]) {
        parts.score.forEach((s, i) => {
            const total = parts.contrib[i].reduce((a, b) => a + b, 0);
            assert.ok(Math.abs(total - s) < 1e-9, `${total} != ${s}`);
        });
    }
    // worst on everything: the product's floor score is shared by weight
    const worst = S.weightedProduct(v, w, 0.01).contrib[3];
    close(worst, [0.5, 0.3, 0.2]);
});

test("ranks: 1 is best, ties share the best rank, ineligible rows get none", () => {
    close(S.rankMin([50, 70, 70, 10, 99], [1, 1, 1, 1, 0]), [3, 1, 1, 4, NaN]);
});

test("scoreAll rescales the weights and blanks the rows without a reference score", () => {
    const model = {
        criteria: [{ name: "a", direction: "benefit", vf: null }, { name: "b", direction: "cost", vf: null }],
        raw: { a: [0, 10, 5], b: [1, 3, null] },
        eligible: [1, 1, 0],
        scored: [1, 1, 0],
        floor: 0.01,
    };
    const out = S.scoreAll(model, { weights: [2, 2], directions: ["benefit", "cost"], method: "weighted_sum" });
    close(out.weights, [0.5, 0.5]);
    close(out.score, [50, 50, NaN]);
    close(out.rank, [1, 1, NaN]);
    const flipped = S.scoreAll(model, { weights: [1, 3], directions: ["benefit", "benefit"], method: "weighted_sum" });
    close(flipped.score, [0, 100, NaN]);
    assert.equal(S.scoreAll(model, { weights: [0, 0], directions: ["benefit", "cost"], method: "topsis" }), null);
    assert.throws(() => S.scoreAll(model, { weights: [1, 1], directions: ["benefit", "cost"], method: "median" }));
});

test("metro ranks and the singled-out places follow the scores", () => {
    const metro = ["A", "A", "B", null, "C"];
    const score = [50, 70, 60, 90, 10];
    const rank = [4, 2, 3, 1, NaN];
    const mr = S.metroRanks(metro, score, rank);
    close(mr, [1, 1, 2, NaN, NaN]);
    const names = ["a", "b", "c", "d", "e"];
    assert.deepEqual(S.topPlaces(metro, rank, names, 5, mr), [
        { site: 1, place: 1, metro: "A" },
        { site: 2, place: 2, metro: "B" },
    ]);
    // no metro at all: the best sites
    assert.deepEqual(S.topPlaces([null, null, null], [2, 1, NaN], names, 1, [NaN, NaN, NaN]),
        [{ site: 1, place: 1, metro: null }]);
});

test("ranking order: rank, then score, then name; unranked last", () => {
    assert.deepEqual(S.rankingOrder([2, NaN, 1, 2], [80, 99, 90, 80], ["b", "x", "c", "a"]), [2, 3, 0, 1]);
});

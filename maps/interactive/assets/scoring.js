/*
 * Scoring of the siting interactive map (map.html): the same numbers as the Python scoring.
 *
 * The page re-scores every site when a person moves a weight, flips a direction or picks another
 * aggregation method. Each function here mirrors one Python function, operation for operation,
 * so that the page's scores equal `siting run`'s to 1e-9 (tests/test_browser.py and
 * tests/js/scoring.test.js check it against real runs):
 *
 *   fillExcluded     siting.pipeline._fill_excluded
 *   normalize        siting.valuefn.ValueFunction.apply (and minmax)
 *   weightedSum      siting.aggregate.weighted_sum
 *   weightedProduct  siting.aggregate.weighted_product
 *   topsis           siting.aggregate.topsis
 *   rankMin          pandas Series.rank(ascending=False, method="min") over the eligible sites
 *   metroRanks       siting.metros.metro_ranks
 *   topPlaces        siting.maps._places.top_places
 *
 * Every function is pure (arrays in, new arrays out) and needs no browser: Node runs the unit
 * tests (tests/js/scoring.test.js loads this file with require()). Missing values are null in
 * the data and NaN in results.
 */
var sitingScoring = (function () {
    "use strict";

    var METHODS = ["weighted_sum", "weighted_product", "topsis"];

    /*
     * Copy of `values` whose missing or infinite entries in excluded rows take the worst value of
     * the eligible rows (the largest for a "cost" criterion): normalization needs numbers; those
     * rows' scores are for reference only.
     */
    function fillExcluded(values, eligible, direction) {
        var worst = null, i, v;
        for (i = 0; i < values.length; i += 1) {
            v = values[i];
            if (eligible[i] && v !== null && isFinite(v)) {
                if (worst === null || (direction === "cost" ? v > worst : v < worst)) {
                    worst = v;
                }
            }
        }
        var out = new Array(values.length);
        for (i = 0; i < values.length; i += 1) {
            v = values[i];
            out[i] = (v === null || !isFinite(v)) && !eligible[i] && worst !== null ? worst : v;
        }
        return out;
    }

    function clip01(x) {
        return x < 0 ? 0 : x > 1 ? 1 : x;
    }

    /*
     * 0–1 values (1 = best) of raw `values` under value function `vf` ({type, ...parameters} as
     * the scenario's [value_functions.<criterion>] table). `direction` ("benefit" or "cost") is
     * used by linear, log and logistic unless `vf.direction` is set; `eligible` marks the rows
     * that set the min-max range of linear and log.
     */
    function normalize(values, vf, direction, eligible) {
        var kind = (vf && vf.type) || "linear";
        var dir = (vf && vf.direction) || direction;
        var n = values.length, out = new Array(n), x = new Array(n), i;
        for (i = 0; i < n; i += 1) {
            x[i] = values[i] === null ? NaN : Number(values[i]);
        }
        if (kind === "log") {
            var offset = vf.offset === undefined ? 1.0 : Number(vf.offset);
            for (i = 0; i < n; i += 1) { x[i] = Math.log10(x[i] + offset); }
        }
        if (kind === "linear" || kind === "log") {
            var lo = Infinity, hi = -Infinity, any = false;
            for (i = 0; i < n; i += 1) {
                if (eligible[i]) {
                    any = true;
                    if (x[i] < lo) { lo = x[i]; }
                    if (x[i] > hi) { hi = x[i]; }
                }
            }
            for (i = 0; i < n; i += 1) {
                if (!any || hi === lo) {
                    out[i] = 1.0;
                } else {
                    var scaled = clip01((x[i] - lo) / (hi - lo));
                    out[i] = dir === "benefit" ? scaled : 1.0 - scaled;
                }
            }
            return out;
        }
        if (kind === "threshold") {
            var full = Number(vf.full), zero = Number(vf.zero);
            for (i = 0; i < n; i += 1) { out[i] = clip01((x[i] - zero) / (full - zero)); }
        } else if (kind === "target" || kind === "gaussian") {
            var target = Number(vf.target), width = Number(vf.width);
            for (i = 0; i < n; i += 1) {
                var d = (x[i] - target) / width;
                out[i] = Math.exp(-0.5 * (d * d));
            }
        } else if (kind === "logistic") {
            var mid = Number(vf.midpoint), k = Number(vf.steepness);
            var sign = dir === "benefit" ? 1.0 : -1.0;
            for (i = 0; i < n; i += 1) {
                var z = -sign * k * (x[i] - mid);
                z = z < -700 ? -700 : z > 700 ? 700 : z;
                out[i] = 1.0 / (1.0 + Math.exp(z));
            }
        } else if (kind === "categorical") {
            var table = {};
            Object.keys(vf.map).forEach(function (key) { table[Number(key)] = Number(vf.map[key]); });
            for (i = 0; i < n; i += 1) {
                out[i] = Object.prototype.hasOwnProperty.call(table, x[i]) ? table[x[i]] : NaN;
            }
        } else {
            throw new Error("unknown value function type " + JSON.stringify(kind));
        }
        return out;
    }

    /* Whether a value function follows the criterion's direction (so the page may flip it). */
    function flippable(vf) {
        var kind = (vf && vf.type) || "linear";
        return kind === "linear" || kind === "log" || kind === "logistic";
    }

    function sum(values) {
        var total = 0, j;
        for (j = 0; j < values.length; j += 1) { total += values[j]; }
        return total;
    }

    /*
     * Weights rescaled to sum to 1 (a scenario's [weights] are rescaled the same way), or null
     * when they do not add up to a positive number.
     */
    function rescale(weights) {
        var total = sum(weights);
        if (!(total > 0) || !isFinite(total)) { return null; }
        return weights.map(function (w) { return w / total; });
    }

    /* Column j of the row-major table `v` (rows of criteria values). */
    function column(v, j) {
        return v.map(function (row) { return row[j]; });
    }

    /*
     * Weighted sum: contrib[i][j] = 100 w_j v_ij, score = Σ contrib. `v` is sites × criteria
     * (0–1 values), `w` the weights (summing to 1). Returns {score, contrib}.
     */
    function weightedSum(v, w) {
        var m = w.length;
        var contrib = v.map(function (row) {
            var out = new Array(m);
            for (var j = 0; j < m; j += 1) { out[j] = 100.0 * w[j] * row[j]; }
            return out;
        });
        return { score: contrib.map(sum), contrib: contrib };
    }

    /*
     * Weighted product 100 Π u^w with u = floor + (1 − floor) v, and its log-decomposition into
     * contributions (see siting.aggregate).
     */
    function weightedProduct(v, w, floor) {
        var m = w.length, n = v.length, i, j;
        var u = v.map(function (row) {
            return row.map(function (x) { return floor + (1.0 - floor) * x; });
        });
        var base = new Array(m);
        for (j = 0; j < m; j += 1) {
            if (floor > 0) {
                base[j] = floor;
            } else {
                base[j] = Infinity;
                for (i = 0; i < n; i += 1) { if (u[i][j] < base[j]) { base[j] = u[i][j]; } }
            }
        }
        var wsum = sum(w), score = new Array(n), contrib = new Array(n);
        for (i = 0; i < n; i += 1) {
            var logsum = 0, terms = new Array(m);
            for (j = 0; j < m; j += 1) {
                logsum += Math.log(u[i][j]) * w[j];
                terms[j] = w[j] * Math.log(u[i][j] / base[j]);
            }
            score[i] = 100.0 * Math.exp(logsum);
            var total = sum(terms);
            contrib[i] = new Array(m);
            for (j = 0; j < m; j += 1) {
                var share = total > 0 ? terms[j] / total : w[j] / wsum;
                contrib[i][j] = share * score[i];
            }
        }
        return { score: score, contrib: contrib };
    }

    /*
     * TOPSIS closeness × 100 with the ideal and anti-ideal over the `reference` rows (the
     * eligible sites), and each criterion's share of the squared separation from the anti-ideal.
     */
    function topsis(v, w, reference) {
        var m = w.length, n = v.length, i, j;
        var weighted = v.map(function (row) {
            return row.map(function (x, k) { return x * w[k]; });
        });
        var pis = new Array(m), nis = new Array(m);
        for (j = 0; j < m; j += 1) {
            pis[j] = -Infinity;
            nis[j] = Infinity;
            for (i = 0; i < n; i += 1) {
                if (reference[i]) {
                    if (weighted[i][j] > pis[j]) { pis[j] = weighted[i][j]; }
                    if (weighted[i][j] < nis[j]) { nis[j] = weighted[i][j]; }
                }
            }
        }
        var wsum = sum(w), score = new Array(n), contrib = new Array(n);
        for (i = 0; i < n; i += 1) {
            var plus = 0, minusSq = new Array(m);
            for (j = 0; j < m; j += 1) {
                var dp = weighted[i][j] - pis[j], dm = weighted[i][j] - nis[j];
                plus += dp * dp;
                minusSq[j] = dm * dm;
            }
            var dPlus = Math.sqrt(plus), dMinus = Math.sqrt(sum(minusSq));
            var total = dPlus + dMinus;
            score[i] = 100.0 * (total > 0 ? dMinus / total : 1.0);
            contrib[i] = new Array(m);
            for (j = 0; j < m; j += 1) {
                var share = dMinus > 0 ? minusSq[j] / (dMinus * dMinus) : 0.0;
                if (dMinus === 0 && score[i] > 0) { share = w[j] / wsum; }
                contrib[i][j] = share * score[i];
            }
        }
        return { score: score, contrib: contrib };
    }

    /*
     * Rank of each eligible site by score, 1 = best, ties sharing the best rank among them
     * (pandas method="min"); NaN for the others.
     */
    function rankMin(score, eligible) {
        var idx = [], i;
        for (i = 0; i < score.length; i += 1) { if (eligible[i]) { idx.push(i); } }
        idx.sort(function (a, b) { return score[b] - score[a]; });
        var rank = new Array(score.length).fill(NaN);
        for (var k = 0; k < idx.length; k += 1) {
            var s = score[idx[k]];
            rank[idx[k]] = k > 0 && s === score[idx[k - 1]] ? rank[idx[k - 1]] : k + 1;
        }
        return rank;
    }

    /*
     * Score, contributions, 0–1 values and rank of every site.
     *
     * model: {criteria: [{name, direction, vf}], raw: {name: [value|null]}, eligible: [bool],
     *         scored: [bool] (false: no reference score, e.g. unreachable), floor}
     * state: {weights: [number] (any positive scale), directions: [string], method}
     * Returns {score, rank, norm (sites × criteria), contrib (sites × criteria), weights (the
     * rescaled weights)}, or null when the weights do not add up to a positive number.
     */
    function scoreAll(model, state) {
        var w = rescale(state.weights);
        if (w === null) { return null; }
        var crit = model.criteria, eligible = model.eligible, n = eligible.length;
        var columns = crit.map(function (c, j) {
            var vf = c.vf ? Object.assign({}, c.vf) : null;
            var dir = state.directions[j];
            if (vf && flippable(vf)) { vf.direction = dir; }
            var raw = fillExcluded(model.raw[c.name], eligible, c.direction);
            return normalize(raw, vf, dir, eligible);
        });
        var v = new Array(n);
        for (var i = 0; i < n; i += 1) { v[i] = column(columns, i); }
        var parts;
        if (state.method === "weighted_product") {
            parts = weightedProduct(v, w, model.floor);
        } else if (state.method === "topsis") {
            parts = topsis(v, w, eligible);
        } else if (state.method === "weighted_sum") {
            parts = weightedSum(v, w);
        } else {
            throw new Error("unknown aggregation method " + JSON.stringify(state.method));
        }
        var nanRow = crit.map(function () { return NaN; });
        for (i = 0; i < n; i += 1) {
            if (!model.scored[i]) {
                parts.score[i] = NaN;
                parts.contrib[i] = nanRow.slice();
                v[i] = nanRow.slice();
            }
        }
        return {
            score: parts.score,
            contrib: parts.contrib,
            norm: v,
            rank: rankMin(parts.score, eligible),
            weights: w
        };
    }

    /* Rank of each site's metro among the metros by their best score (NaN outside a metro). */
    function metroRanks(metro, score, rank) {
        var best = {}, i;
        for (i = 0; i < metro.length; i += 1) {
            if (metro[i] !== null && !isNaN(rank[i])) {
                if (!(metro[i] in best) || score[i] > best[metro[i]]) { best[metro[i]] = score[i]; }
            }
        }
        var names = Object.keys(best);
        var order = names.map(function (name) { return best[name]; });
        var ranks = rankMin(order, names.map(function () { return true; }));
        var byName = {};
        names.forEach(function (name, k) { byName[name] = ranks[k]; });
        return metro.map(function (name) {
            return name !== null && name in byName ? byName[name] : NaN;
        });
    }

    function byNameThenIndex(names) {
        return function (a, b) {
            return names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : a - b;
        };
    }

    /*
     * The sites the map singles out, best first: the best site of each of the `n` best metros
     * ({site, place, metro}), or the `n` best sites when no ranked site has a metro.
     */
    function topPlaces(metro, rank, names, n, metroRank) {
        var ranked = [], i;
        for (i = 0; i < rank.length; i += 1) { if (!isNaN(rank[i])) { ranked.push(i); } }
        var anyMetro = ranked.some(function (k) { return metro[k] !== null; });
        if (!anyMetro) {
            ranked.sort(function (a, b) { return rank[a] - rank[b] || a - b; });
            return ranked.slice(0, n).map(function (k) {
                return { site: k, place: rank[k], metro: null };
            });
        }
        var byName = byNameThenIndex(names);
        var withMetro = ranked.filter(function (k) { return metro[k] !== null; });
        withMetro.sort(function (a, b) { return rank[a] - rank[b] || byName(a, b); });
        var seen = {}, leaders = [];
        withMetro.forEach(function (k) {
            if (!(metro[k] in seen)) {
                seen[metro[k]] = true;
                leaders.push(k);
            }
        });
        var place = leaders.map(function (k) { return metroRank[k]; });
        var order = leaders.map(function (k, pos) { return pos; });
        order.sort(function (a, b) {
            return place[a] - place[b] || rank[leaders[a]] - rank[leaders[b]] || a - b;
        });
        return order.slice(0, n).map(function (pos) {
            return { site: leaders[pos], place: place[pos], metro: metro[leaders[pos]] };
        });
    }

    /*
     * Order of the sites as ranking.csv lists them: by rank, then higher score, then name;
     * unranked sites last, in their given order.
     */
    function rankingOrder(rank, score, names) {
        var idx = rank.map(function (r, i) { return i; });
        idx.sort(function (a, b) {
            var ra = isNaN(rank[a]), rb = isNaN(rank[b]);
            if (ra !== rb) { return ra ? 1 : -1; }
            if (ra) { return a - b; }
            return rank[a] - rank[b] || score[b] - score[a] || byNameThenIndex(names)(a, b);
        });
        return idx;
    }

    return {
        METHODS: METHODS,
        fillExcluded: fillExcluded,
        normalize: normalize,
        flippable: flippable,
        rescale: rescale,
        weightedSum: weightedSum,
        weightedProduct: weightedProduct,
        topsis: topsis,
        rankMin: rankMin,
        scoreAll: scoreAll,
        metroRanks: metroRanks,
        topPlaces: topPlaces,
        rankingOrder: rankingOrder
    };
})();

if (typeof module === "object" && module.exports) {
    module.exports = sitingScoring;
}

// Detection probability of attribute sampling without replacement, as `tally inspect power`
// computes it (src/tally/inspect/detection.h): N items, k of them defective (overloaded,
// undeclared), n drawn uniformly without replacement. The cheat goes unseen with probability
//   P_miss = C(N-k, n) / C(N, n) = prod_{i<s} (N-m-i)/(N-i),  s = min(k, n), m = max(k, n)
// and is caught with 1 - P_miss. Summed in log space (log1p terms, compensated summation), so
// nothing overflows for N up to 100,000 and beyond where C(N, n) itself would.

export const MAX_ITEMS = 100000;

// The case as integers, or an error naming the quantity (as the C++ Validate does).
export function validate(items, cheats, sample) {
  for (const [name, v] of [["items", items], ["cheats", cheats], ["sample", sample]]) {
    if (!Number.isInteger(v) || v < 0) return `${name}: expected a whole number ≥ 0, got ${v}`;
  }
  if (items < 1) return "items: expected at least 1, got 0";
  if (items > MAX_ITEMS) return `items: expected at most ${MAX_ITEMS.toLocaleString("en-US")}, got ${items}`;
  if (cheats > items) return `cheats: expected at most items (${items}), got ${cheats}`;
  if (sample > items) return `sample: expected at most items (${items}), got ${sample}`;
  return null;
}

// Neumaier's compensated sum: the log of a product of up to 100,000 factors stays exact to a few
// ulps, as the C++ long double sum does.
function sumLog1p(terms) {
  let sum = 0, c = 0;
  for (const x of terms) {
    const t = sum + x;
    c += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  return sum + c;
}

export function logMissProbability(items, cheats, sample) {
  const err = validate(items, cheats, sample);
  if (err) throw new RangeError(err);
  const s = Math.min(cheats, sample), m = Math.max(cheats, sample);
  if (s === 0) return 0;
  if (cheats + sample > items) return -Infinity; // every sample holds a defective item
  function* terms() {
    for (let i = 0; i < s; i++) yield Math.log1p(-m / (items - i));
  }
  return sumLog1p(terms());
}

export const missProbability = (items, cheats, sample) => Math.exp(logMissProbability(items, cheats, sample));
// 1 - P_miss without cancellation when P_miss is near 1.
export const detectionProbability = (items, cheats, sample) => 0 - Math.expm1(logMissProbability(items, cheats, sample));

// The curve over sample sizes 0..N for one cheat size, in one pass (P_miss(n + 1) = P_miss(n) x
// (N-k-n)/(N-n)): every n when N <= `points`, else about `points` sample sizes evenly spaced, plus
// `include` (the chosen n) exactly. Also the smallest n reaching each of `targets`.
// `upTo` ends the curve's points there (the scan goes on until every target is reached).
export function detectionCurve(items, cheats, { points = 1000, include = [], targets = [0.5, 0.9, 0.95, 0.99], upTo = items } = {}) {
  const err = validate(items, cheats, 0);
  if (err) throw new RangeError(err);
  const last = Math.min(items, Math.max(0, Math.floor(upTo)));
  const step = Math.max(1, Math.ceil(last / points));
  const wanted = new Set(include.filter((n) => Number.isInteger(n) && n >= 0 && n <= items));
  const curve = [];
  const reached = targets.map(() => null);
  let next = 0; // the first target not reached yet (targets ascending)
  const order = targets.map((t, i) => [t, i]).sort((a, b) => a[0] - b[0]);
  let sum = 0, c = 0;
  for (let n = 0; n <= items; n++) {
    // log P_miss(n), compensated as sumLog1p.
    const logMiss = n + cheats > items ? -Infinity : sum + c;
    const p = cheats === 0 ? 0 : 0 - Math.expm1(logMiss);
    while (next < order.length && cheats > 0 && p >= order[next][0]) reached[order[next++][1]] = n;
    if (n <= last && (n % step === 0 || n === last || wanted.has(n))) curve.push({ sample: n, p });
    else if (n > last && next === order.length) break;
    if (n + cheats < items) {
      const x = Math.log1p(-cheats / (items - n));
      const t = sum + x;
      c += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
      sum = t;
    }
  }
  const reach = Object.fromEntries(targets.map((t, i) => [t, reached[i]]));
  return { curve, reach };
}

// The cheat sizes the chart compares: half, the chosen, double (distinct, 1..N).
export function cheatSizes(items, cheats) {
  const out = [Math.max(1, Math.round(cheats / 2)), cheats, Math.min(items, 2 * cheats)];
  return [...new Set(out)].filter((k) => k >= 1 && k <= items).sort((a, b) => a - b);
}

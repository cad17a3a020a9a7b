import { describe, expect, test } from "vitest";
import { cheatSizes, detectionCurve, detectionProbability, logMissProbability, missProbability, validate } from "../src/lib/detection.js";

// Reference values printed by the C++ (src/tally/inspect/detection.cc), build/release/apps/tally:
//   tally inspect power -N <items> -r <cheats> -n <sample> --json   → p_detect, p_miss
const CPP = [
  // items, cheats, sample, p_detect, p_miss
  [100, 5, 10, 0.41624763307384804, 0.583752366926152],
  [1000, 10, 50, 0.4026887070933456, 0.5973112929066544],
  [1000, 10, 120, 0.7232143530945734, 0.2767856469054267],
  [1000, 11, 120, 0.7567641284770493, 0.2432358715229507],
  [627, 3, 10, 0.04716193038506811, 0.9528380696149319],
  [100000, 37, 2500, 0.6081709795828486, 0.3918290204171514],
  [100000, 1, 50000, 0.5, 0.5],
  [100000, 500, 100, 0.3943803266145942, 0.6056196733854058],
  [100000, 2000, 3000, 1.0, 1.8675676891249708e-27],
];

const rel = (a, b) => Math.abs(a - b) / Math.max(Math.abs(b), Number.MIN_VALUE);

describe("detection probability, as `tally inspect power` computes it", () => {
  test.each(CPP)("N=%i k=%i n=%i", (N, k, n, pDetect, pMiss) => {
    expect(Math.abs(detectionProbability(N, k, n) - pDetect)).toBeLessThan(1e-13);
    // In log space: even a miss probability of 1e-27 agrees to 1e-11 relative.
    expect(rel(missProbability(N, k, n), pMiss)).toBeLessThan(1e-11);
  });
  test("exact fractions (src/tally/inspect/inspect_test.cc): 110983/190120 either way round, 520659/1195040", () => {
    expect(rel(missProbability(100, 5, 10), 110983 / 190120)).toBeLessThan(1e-15);
    expect(rel(missProbability(100, 10, 5), 110983 / 190120)).toBeLessThan(1e-15);
    expect(rel(missProbability(100, 5, 15), 520659 / 1195040)).toBeLessThan(1e-15);
  });
  test("edges: nothing to find, nothing drawn, more drawn than clean items", () => {
    expect(detectionProbability(100, 0, 50)).toBe(0);
    expect(detectionProbability(100, 5, 0)).toBe(0);
    expect(detectionProbability(100, 5, 96)).toBe(1);
    expect(logMissProbability(100, 5, 96)).toBe(-Infinity);
    // Where C(N, n) overflows any float: finite, in (0, 1).
    const p = detectionProbability(100000, 3, 40000);
    expect(p).toBeGreaterThan(0.7);
    expect(p).toBeLessThan(1);
  });
  test("bad cases are refused, naming the quantity", () => {
    expect(validate(0, 0, 0)).toMatch(/^items/);
    expect(validate(10, 11, 1)).toMatch(/^cheats: expected at most items \(10\)/);
    expect(validate(10, 1, 11)).toMatch(/^sample/);
    expect(validate(100001, 1, 1)).toMatch(/^items: expected at most 100,000/);
    expect(validate(10, 1.5, 1)).toMatch(/^cheats/);
    expect(() => detectionProbability(10, 1, 11)).toThrow(RangeError);
  });
  test("the curve in one pass equals the point formula, and the sample sizes reaching each target", () => {
    for (const [N, k] of [[1000, 10], [100000, 37], [100000, 2000]]) {
      const { curve, reach } = detectionCurve(N, k, { include: [777] });
      expect(curve.some((d) => d.sample === 777)).toBe(true);
      expect(curve.at(-1).sample).toBe(N);
      for (const d of curve.filter((_, i) => i % 97 === 0 || _.sample === 777)) {
        expect(Math.abs(d.p - detectionProbability(N, k, d.sample))).toBeLessThan(1e-12);
      }
      for (const t of [0.5, 0.9, 0.95, 0.99]) {
        const n = reach[t];
        expect(detectionProbability(N, k, n)).toBeGreaterThanOrEqual(t);
        expect(detectionProbability(N, k, n - 1)).toBeLessThan(t);
      }
    }
    // Points up to upTo only, the targets still found beyond it.
    const short = detectionCurve(100000, 37, { upTo: 5000 });
    expect(short.curve.at(-1).sample).toBe(5000);
    expect(short.reach[0.99]).toBe(detectionCurve(100000, 37).reach[0.99]);
    // N=1000, k=10: 258 inspected reach 95 % (tally inspect plan -N 1000 -r 10 --target 0.95).
    expect(detectionCurve(1000, 10).reach[0.95]).toBe(258);
  });
  test("the cheat sizes compared: half, chosen, double, distinct and within N", () => {
    expect(cheatSizes(1000, 10)).toEqual([5, 10, 20]);
    expect(cheatSizes(1000, 1)).toEqual([1, 2]);
    expect(cheatSizes(15, 10)).toEqual([5, 10, 15]);
  });
});

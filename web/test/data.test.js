import { describe, expect, test } from "vitest";
import { otherPoints, replayRows, seriesPoints, sourceLine } from "../src/lib/data.js";

const doc = {
  datasets: [
    { ref: "fas-history@0", title: "History", publisher: "FAS" },
    { ref: "article@0", title: "Article", publisher: "News" },
  ],
  points: [
    { dataset: "fas-history@0", state: "RU", category: "military_stockpile", year: 1950, value: 5 },
    { dataset: "fas-history@0", state: "US", category: "military_stockpile", year: 1946, value: 9 },
    { dataset: "fas-history@0", state: "US", category: "military_stockpile", year: 1945, value: 2 },
    { dataset: "fas-history@0", state: "US", category: "total_inventory", year: 1945, value: 2 },
    { dataset: "article@0", state: "US", category: "military_stockpile", year: 2026, value: 5000, low: 4500, high: 5500 },
    { dataset: "article@0", state: "US", category: "military_stockpile", year: 2019, value: 1 },
  ],
};

describe("shaping the API documents", () => {
  test("the series of one dataset and category, by state then year", () => {
    const s = seriesPoints(doc, { dataset: "fas-history@0", category: "military_stockpile", states: ["US", "RU"] });
    expect(s.map((p) => [p.state, p.year])).toEqual([["US", 1945], ["US", 1946], ["RU", 1950]]);
  });
  test("other datasets' figures from a year on", () => {
    const o = otherPoints(doc, { dataset: "fas-history@0", category: "military_stockpile", states: ["US"], from: 2022 });
    expect(o).toHaveLength(1);
    expect(o[0].value).toBe(5000);
  });
  test("a source line names every dataset shown", () => {
    expect(sourceLine(doc, doc.points)).toBe("History (FAS; fas-history@0); Article (News; article@0)");
  });
  test("replay rows skip exchanges without the limit's count", () => {
    const ns = {
      limits: [{ id: "l", name: "L", max: 10 }],
      exchanges: [
        { party: "US", as_of: "2011-02-05", verdict: "v", counted: { l: 12 }, margin: { l: -2 } },
        { party: "RU", as_of: "2023-03-01", verdict: "no_data", counted: { l: null }, margin: { l: null } },
      ],
    };
    const rows = replayRows(ns, "l");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ party: "US", counted: 12, max: 10, margin: -2 });
    expect(rows[0].date.toISOString()).toBe("2011-02-05T00:00:00.000Z");
  });
});

import { bandRows } from "../src/pages/confidence.js";

describe("estimate bands", () => {
  test("long rows in the API's CSV column order", () => {
    const doc = { bands: [{ state: "US", category: "c", points: [{ year: 2020, median: 1, p05: 0, p25: 1, p75: 2, p95: 3 }] }] };
    expect(bandRows(doc)).toEqual([{ state: "US", category: "c", year: 2020, median: 1, p05: 0, p25: 1, p75: 2, p95: 3 }]);
  });
});

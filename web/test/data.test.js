import { describe, expect, test } from "vitest";
import { REPLAY_MAX_GAP_DAYS, limitParam, otherPoints, withSegments, pickLimit, replayRows, seriesPoints, sourceLine } from "../src/lib/data.js";

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

describe("replays of several treaties", () => {
  const startI = {
    id: "start-i",
    limits: [{ id: "delivery-vehicles", max: 1600 }, { id: "accountable-warheads", max: 6000 }, { id: "throw-weight", max: 3600 }],
    exchanges: [
      { party: "US", as_of: "1990-09-01", verdict: "not_in_force", counted: { "delivery-vehicles": 2246, "throw-weight": null }, margin: { "delivery-vehicles": -646, "throw-weight": null } },
      { party: "RU", as_of: "2001-12-05", verdict: "no_data", counted: { "delivery-vehicles": 1136 }, margin: { "delivery-vehicles": 464 } },
    ],
  };
  test("New START keeps its old URL key, every other treaty has its own", () => {
    expect(limitParam("new-start")).toBe("limit");
    expect(limitParam("start-i")).toBe("start-i-limit");
    expect(limitParam("start-i")).not.toBe(limitParam("new-start"));
  });
  test("the URL's limit, else the second, else the first", () => {
    expect(pickLimit(startI, "throw-weight").id).toBe("throw-weight");
    expect(pickLimit(startI, "no-such").id).toBe("accountable-warheads");
    expect(pickLimit(startI, undefined).id).toBe("accountable-warheads");
    expect(pickLimit({ limits: [{ id: "only" }] }, "x").id).toBe("only");
  });
  test("a gap longer than the limit starts a new line segment, per party", () => {
    const d = (s) => new Date(s + "T00:00:00Z");
    const rows = [
      { party: "US", date: d("2011-02-05") }, { party: "RU", date: d("2011-02-05") },
      { party: "US", date: d("2011-09-01") }, { party: "RU", date: d("2013-03-01") },
      { party: "US", date: d("2012-12-01") },
    ];
    expect(withSegments(rows).map((r) => r.segment)).toEqual(["US#0", "RU#0", "US#0", "RU#1", "US#1"]);
    expect(withSegments(rows, 10000).every((r) => r.segment.endsWith("#0"))).toBe(true);
    expect(REPLAY_MAX_GAP_DAYS).toBeGreaterThan(184);
  });
  test("a dot per exchange with a count: null and absent counts are left out", () => {
    expect(replayRows(startI, "delivery-vehicles").map((r) => r.margin)).toEqual([-646, 464]);
    expect(replayRows(startI, "throw-weight")).toEqual([]);
    expect(replayRows(startI, "accountable-warheads")).toEqual([]);
  });
});

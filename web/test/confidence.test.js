import { describe, expect, test } from "vitest";
import { limitSegments, projectionCsv, projectionRows, uploadCsv } from "../src/lib/confidence.js";

const upload = {
  uploads: [
    { state: "US", case: "fas-2025", limits: [], systems: [
      { system: "Minuteman III (LGM-30G)", leg: "ICBM", launchers: 400, warheads_loaded: 400, capacity: 1200, headroom: 800, added: 400, limited_by: "icbm-reserve", months_to_full: 10 },
      { system: "Bombers, with \"quotes\", commas", leg: "heavy bomber", launchers: null, warheads_loaded: 300, capacity: 1240, headroom: 940, added: 940, limited_by: "capacity", months_to_full: 2 },
    ] },
  ],
};

const projections = {
  scenarios: [{
    id: "s", dates: ["2026-01-01", "2026-02-01", "2026-03-01"],
    series: [{ id: "US", state: "US", quantity: "deployed_warheads", central: [1, 2, 3], p05: [0, 1, 2], p25: [1, 1, 2], p50: [1, 2, 3], p75: [1, 2, 4], p95: [2, 3, 5] }],
    limits: [
      { id: "a/x", name: "A", series: "US", max: 1550, from: "2018-02-05", until: "2026-02-05" },
      { id: "a/x", name: "A", series: "RU", max: 1550, from: "2018-02-05", until: "2026-02-05" },
      { id: "b/y", name: "B", series: "US", max: 1000, from: "2030-01-01", until: null },
      { id: "c/z", name: "C", series: "US", max: 700, from: null, until: "2025-01-01" },
    ],
  }],
};

describe("the Confidence page's documents as the API's CSV", () => {
  test("upload: one row per system, the C++ columns and quoting, null as an empty cell", () => {
    expect(uploadCsv(upload)).toBe(
      "state,case,system,leg,launchers,warheads_loaded,capacity,headroom,added,limited_by,months_to_full\n" +
      "US,fas-2025,Minuteman III (LGM-30G),ICBM,400,400,1200,800,400,icbm-reserve,10\n" +
      'US,fas-2025,"Bombers, with ""quotes"", commas",heavy bomber,,300,1240,940,940,capacity,2\n');
  });
  test("projections: one row per scenario, series and date", () => {
    expect(projectionRows(projections)).toHaveLength(3);
    expect(projectionCsv(projections).split("\n")[2]).toBe("s,US,US,deployed_warheads,2026-02-01,2,1,1,2,2,3");
  });
  test("limits: clipped to the scenario's dates, one rule for the same ceiling on two parties, none outside", () => {
    expect(limitSegments(projections.scenarios[0])).toEqual([
      { max: 1550, from: "2026-01-01", until: "2026-02-05", name: "A", series: ["US", "RU"], ids: ["a/x", "a/x"] },
    ]);
  });
});

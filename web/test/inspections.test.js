// Shaping inspection::OverviewJson for the Inspections page.
import { describe, expect, test } from "vitest";
import { quotaRows, stepRows, treatyYears, verdictCounts } from "../src/lib/inspections.js";

const doc = {
  treaty: "new-start", at: 0,
  quotas: [
    { party: "RU", type: "type-one", treaty_year: 10, begins: "2020-02-05", used: 10, quota: 10, remaining: 0 },
    { party: "RU", type: "type-one", treaty_year: 11, begins: "2021-02-05", used: 2, quota: 10, remaining: 8 },
    { party: "US", type: "type-two", treaty_year: 11, begins: "2021-02-05", used: 1, quota: 8, remaining: 7 },
  ],
  inspections: [
    { inspection: "RU-1", verdict: "consistent", record: { steps: [{ step: "request", log: "RU", index: 4, time: 1612569600 }, { step: "site opening", log: "US", index: 9, time: 1612573200 }] } },
    { inspection: "RU-2", verdict: "inconsistent", record: { steps: [{ step: "request", log: "RU", index: 5, time: 1612569600 }] } },
    { inspection: "?", error: "refused: quota" },
  ],
};

describe("inspections", () => {
  test("treaty years, and the rows of one (the latest by default)", () => {
    expect(treatyYears(doc)).toEqual([10, 11]);
    expect(quotaRows(doc, "10").rows.length).toBe(1);
    expect(quotaRows(doc, undefined)).toMatchObject({ year: 11 });
    expect(quotaRows(doc, "12").rows.map((q) => q.party)).toEqual(["RU", "US"]);
  });
  test("steps as long rows; refused requests have none", () => {
    expect(stepRows(doc)).toEqual([
      { inspection: "RU-1", step: "request", log: "RU", index: 4, time: "2021-02-06T00:00:00.000Z" },
      { inspection: "RU-1", step: "site opening", log: "US", index: 9, time: "2021-02-06T01:00:00.000Z" },
      { inspection: "RU-2", step: "request", log: "RU", index: 5, time: "2021-02-06T00:00:00.000Z" },
    ]);
  });
  test("verdicts counted", () => {
    expect(verdictCounts(doc)).toEqual({ consistent: 1, inconsistent: 1, "not replayed": 1 });
  });
});

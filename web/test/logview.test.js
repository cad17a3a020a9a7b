// The Log page's shaping: periods, counts by kind, and the checkpoints one party's entries cite
// of the other's log.
import { describe, expect, test } from "vitest";
import { citedCheckpoints, entriesByKind, periodEnd, periodStart } from "../src/lib/logview.js";

const t = (s) => Date.parse(s) / 1000;
const typed = (kind, time, payload = "") => ({ typed: true, kind, time: t(time), party: "US", text: payload });

describe("periods", () => {
  test("months, ISO weeks (from Monday) and days, in UTC", () => {
    expect(periodStart(t("2021-03-31T23:59:59Z"), "month").toISOString()).toBe("2021-03-01T00:00:00.000Z");
    expect(periodEnd(new Date("2021-12-01T00:00:00Z"), "month").toISOString()).toBe("2022-01-01T00:00:00.000Z");
    expect(periodStart(t("2021-03-07T12:00:00Z"), "week").toISOString()).toBe("2021-03-01T00:00:00.000Z"); // a Sunday
    expect(periodStart(t("2021-03-08T00:00:00Z"), "week").toISOString()).toBe("2021-03-08T00:00:00.000Z"); // a Monday
    expect(periodStart(t("2021-03-08T18:00:00Z"), "day").toISOString()).toBe("2021-03-08T00:00:00.000Z");
  });
});

describe("entries by kind", () => {
  test("one row per kind and non-empty period, raw entries counted apart", () => {
    const entries = [typed(3, "2021-03-02T00:00:00Z"), typed(2, "2021-03-01T00:00:00Z"), typed(3, "2021-03-20T00:00:00Z"),
      typed(3, "2021-05-01T00:00:00Z"), { typed: false }];
    const { rows, untyped } = entriesByKind(entries, "month");
    expect(untyped).toBe(1);
    expect(rows.map((r) => [r.kind_name, r.period, r.count])).toEqual([
      ["declaration", "2021-03", 1], ["notification", "2021-03", 2], ["notification", "2021-05", 1]]);
    expect(entriesByKind(entries, "day").rows.length).toBe(4);
  });
});

describe("cited checkpoints", () => {
  const root = "ab".repeat(32);
  const json = (o) => JSON.stringify(o);
  // RU inspects US (RU-1); US inspects RU (US-1). On RU's log: its request and reveal for RU-1
  // cite US's log, its opening for US-1 cites US's log too. A statement and bad payloads do not.
  const ru = [
    typed(1, "2021-01-01T00:00:00Z", "hello"),
    typed(4, "2021-01-02T00:00:00Z", json({ inspection: "RU-1", inspected: "US", seen: { size: 3, root } })),
    typed(7, "2021-01-03T00:00:00Z", json({ inspection: "US-1", seen: { size: 5, root } })),
    typed(6, "2021-01-04T00:00:00Z", json({ inspection: "RU-1", seen: { size: 7, root: "AB".repeat(32) } })),
    typed(5, "2021-01-05T00:00:00Z", "{not json"),
  ];
  test("the other party of each inspection, with the citing entry", () => {
    const c = citedCheckpoints("US", [{ party: "RU", entries: ru }]);
    expect(c.map((x) => [x.size, x.by.party, x.by.index, x.by.kind])).toEqual([[3, "RU", 1, "inspection-request"], [5, "RU", 2, "opening"]]);
    expect(citedCheckpoints("CN", [{ party: "RU", entries: ru }])).toEqual([]);
  });
  test("an inspection of a third party cites that party's log, not ours", () => {
    const entries = [typed(4, "2021-01-02T00:00:00Z", json({ inspection: "RU-2", inspected: "CN", seen: { size: 3, root } }))];
    expect(citedCheckpoints("US", [{ party: "RU", entries }])).toEqual([]);
    expect(citedCheckpoints("CN", [{ party: "RU", entries }]).length).toBe(1);
  });
});

import { describe, expect, test } from "vitest";
import { csvField, newStartCsv, toCsv } from "../src/lib/csv.js";

describe("CSV as the C++ API writes it", () => {
  test("quotes only fields that need it; null is empty", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "x"')).toBe('"say ""x"""');
    expect(csvField(null)).toBe("");
    expect(csvField(0)).toBe("0");
  });
  test("rows in column order", () => {
    expect(toCsv([{ a: 1, b: "x,y" }, { a: null, b: "z" }], ["a", "b"])).toBe('a,b\n1,"x,y"\n,z\n');
  });
  test("the New START replay in wide form", () => {
    const doc = {
      limits: [{ id: "deployed-warheads", name: "w", max: 1550 }],
      exchanges: [
        { party: "US", as_of: "2011-02-05", verdict: "limits_not_yet_effective", counted: { "deployed-warheads": 1800 }, margin: { "deployed-warheads": -250 } },
        { party: "RU", as_of: "2023-03-01", verdict: "no_data", counted: { "deployed-warheads": null }, margin: { "deployed-warheads": null } },
      ],
    };
    expect(newStartCsv(doc)).toBe(
      "party,as_of,verdict,deployed-warheads,deployed-warheads_margin\n" +
        "US,2011-02-05,limits_not_yet_effective,1800,-250\nRU,2023-03-01,no_data,,\n",
    );
  });
});

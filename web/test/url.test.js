import { describe, expect, test } from "vitest";
import { formatHash, listParam, parseHash } from "../src/lib/url.js";

describe("URL state", () => {
  test("parses page and params", () => {
    expect(parseHash("#/forces?scale=log&states=US%2CRU")).toEqual({ page: "forces", params: { scale: "log", states: "US,RU" } });
    expect(parseHash("")).toEqual({ page: "forces", params: {} });
    expect(parseHash("#/treaties")).toEqual({ page: "treaties", params: {} });
  });
  test("formats sorted, without empty values, and round-trips", () => {
    const h = formatHash("forces", { states: ["CN", "IN"], scale: "log", category: "" });
    expect(h).toBe("#/forces?scale=log&states=CN%2CIN");
    expect(parseHash(h).params).toEqual({ scale: "log", states: "CN,IN" });
    expect(formatHash("treaties", {})).toBe("#/treaties");
  });
  test("list params fall back when absent", () => {
    expect(listParam(undefined, ["US"])).toEqual(["US"]);
    expect(listParam("CN,IN", [])).toEqual(["CN", "IN"]);
  });
});

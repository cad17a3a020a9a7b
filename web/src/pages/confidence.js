// Confidence: arsenal estimates with 50 % and 90 % bands, widening after the last declared
// (verified) figure and after New START's expiry on 2026-02-05. URL state: band (one chart) or all.
import * as Plot from "@observablehq/plot";
import { toCsv } from "../lib/csv.js";
import { STATE_COLOR, STATE_NAME } from "../lib/data.js";
import { chartFrame, el, fmt, table } from "../lib/ui.js";

export const BAND_COLUMNS = ["state", "category", "year", "median", "p05", "p25", "p75", "p95"];
export const bandId = (b) => `${b.state}-${b.category}`;

export function bandRows(doc) {
  return doc.bands.flatMap((b) => b.points.map((p) => ({ state: b.state, category: b.category, ...p })));
}

export function renderConfidence(root, { bands }, params, setParams) {
  const shown = bands.bands.filter((b) => !params.band || bandId(b) === params.band);
  const select = el("select", { id: "band", on: { change: (e) => setParams({ ...params, band: e.target.value }) } },
    el("option", { value: "", selected: !params.band }, "all"),
    bands.bands.map((b) => el("option", { value: bandId(b), selected: params.band === bandId(b) }, `${STATE_NAME[b.state]} ${b.category.replace(/_/g, " ")}`)));
  const frames = shown.map((b) => {
    const color = STATE_COLOR[b.state] || "#333";
    const rules = [new Date("2026-02-05T00:00:00Z")];
    if (b.last_declared) rules.push(new Date(b.last_declared + "T00:00:00Z"));
    const pts = b.points.map((p) => ({ ...p, date: new Date(Date.UTC(p.year, 0, 1)) }));
    const chart = Plot.plot({
      width: 900, height: 300, marginLeft: 60,
      x: { type: "utc", label: null },
      y: { label: b.category.replace(/_/g, " "), grid: true, zero: true },
      marks: [
        Plot.areaY(pts, { x: "date", y1: "p05", y2: "p95", fill: color, fillOpacity: 0.18, title: () => "90 % interval" }),
        Plot.areaY(pts, { x: "date", y1: "p25", y2: "p75", fill: color, fillOpacity: 0.35, title: () => "50 % interval" }),
        Plot.lineY(pts, { x: "date", y: "median", stroke: color, strokeWidth: 2 }),
        Plot.ruleX(rules, { stroke: "#333", strokeDasharray: "2 3" }),
        Plot.text(rules.slice(0, 1), { x: (d) => d, text: () => "New START expires", frameAnchor: "top", dy: 4, dx: 4, textAnchor: "start" }),
        Plot.text(rules.slice(1), { x: (d) => d, text: () => "last declared", frameAnchor: "top", dy: 4, dx: -4, textAnchor: "end" }),
        Plot.tip(pts, Plot.pointerX({ x: "date", y: "median", title: (p) => `${p.year}: median ${fmt(p.median)}\n50 %: ${fmt(p.p25)}–${fmt(p.p75)}\n90 %: ${fmt(p.p05)}–${fmt(p.p95)}` })),
      ],
    });
    chart.setAttribute("role", "img");
    chart.setAttribute("aria-label", `${STATE_NAME[b.state]} ${b.category}: estimate with 50 and 90 percent bands`);
    const rows = pts.map((p) => ({ state: b.state, category: b.category, ...p }));
    return chartFrame({
      id: `band-${bandId(b)}`, title: `${STATE_NAME[b.state]}: ${b.category.replace(/_/g, " ")}, median with 50 % and 90 % bands`, chart,
      source: `${b.sources_used} observations (New START exchanges, FAS/SIPRI estimates, evidence files), ${b.method} smoother; last declared ${b.last_declared || "never"}`,
      csvName: "bands.csv", csv: () => toCsv(bandRows(bands), BAND_COLUMNS),
      metadata: () => ({ title: "Arsenal estimates", columns: BAND_COLUMNS, method: b.method }),
      tableView: table(rows, [{ key: "year", label: "year" }, ...["p05", "p25", "median", "p75", "p95"].map((k) => ({ key: k, label: k, format: (r) => fmt(r[k]) }))]),
    });
  });
  root.replaceChildren(
    el("h1", {}, "Confidence"),
    el("p", {}, "Estimates from all the evidence, with honest uncertainty: the bands widen after the last declared figure — without verification there are no good numbers."),
    el("label", {}, "Estimate ", select),
    ...frames,
  );
}

// Forces: warheads 1945-2026 by state, linear or log, with every other dataset's figure beside
// the series (ranges as bars), the source of each figure on hover and a source line under it.
// URL state: states, scale, category.
import * as Plot from "@observablehq/plot";
import { FORCES_COLUMNS, toCsv } from "../lib/csv.js";
import { STATES, STATE_COLOR, STATE_NAME, otherPoints, seriesPoints, sourceLine } from "../lib/data.js";
import { listParam } from "../lib/url.js";
import { chartFrame, el, fmt, table } from "../lib/ui.js";

const SERIES = "fas-history@0";

export function renderForces(root, { forces }, params, setParams) {
  const states = listParam(params.states, STATES.map(([c]) => c));
  const scale = params.scale === "log" ? "log" : "linear";
  const category = params.category === "total_inventory" ? "total_inventory" : "military_stockpile";
  const series = seriesPoints(forces, { dataset: SERIES, category, states });
  const others = otherPoints(forces, { dataset: SERIES, category, states, from: 2022 });
  const shown = [...series, ...others];

  const controls = el("fieldset", { class: "controls" },
    el("legend", {}, "Filters"),
    el("label", {}, "Scale ",
      el("select", { id: "scale", on: { change: (e) => setParams({ ...params, scale: e.target.value }) } },
        el("option", { value: "linear", selected: scale === "linear" }, "linear"),
        el("option", { value: "log", selected: scale === "log" }, "log"))),
    el("label", {}, " Category ",
      el("select", { id: "category", on: { change: (e) => setParams({ ...params, category: e.target.value }) } },
        el("option", { value: "military_stockpile", selected: category === "military_stockpile" }, "military stockpile"),
        el("option", { value: "total_inventory", selected: category === "total_inventory" }, "total inventory"))),
    el("span", { class: "states" }, " States: ",
      STATES.map(([code, name]) => el("label", {},
        el("input", { type: "checkbox", value: code, checked: states.includes(code), on: { change: (e) => {
          const next = e.target.checked ? [...states, code] : states.filter((s) => s !== code);
          const ordered = STATES.map(([c]) => c).filter((c) => next.includes(c));
          setParams({ ...params, states: ordered.length === STATES.length ? "" : ordered.join(",") || "none" });
        } } }), name, " "))));

  const title = (p) => `${STATE_NAME[p.state]} ${p.year}: ${fmt(p.value)}` +
    (p.low !== null || p.high !== null ? ` (${fmt(p.low ?? p.value)}–${fmt(p.high ?? p.value)})` : "") +
    `\n${p.dataset}, ${p.confidence}${p.source ? "\n" + p.source : ""}`;
  const chart = Plot.plot({
    width: 900, height: 440, marginLeft: 60, marginRight: 70,
    x: { label: null, tickFormat: "d", domain: [1945, 2026] },
    y: { type: scale, label: "warheads", grid: true, ...(scale === "log" ? { domain: [1, 50000] } : { zero: true }) },
    color: { domain: STATES.map(([c]) => c), range: STATES.map(([c]) => STATE_COLOR[c]) },
    marks: [
      Plot.lineY(series, { x: "year", y: (p) => Math.max(p.value, scale === "log" ? 1 : 0), z: "state", stroke: "state", tip: false,
        title: (p) => STATE_NAME[p.state] }),
      Plot.ruleX(others.filter((p) => p.low !== null || p.high !== null), { x: "year", y1: (p) => p.low ?? p.value, y2: (p) => p.high ?? p.value, stroke: "state", strokeWidth: 3, strokeOpacity: 0.5 }),
      Plot.dot(others, { x: "year", y: "value", stroke: "state", fill: "white", symbol: (p) => p.dataset, r: 3.5, title }),
      Plot.text(series, Plot.selectLast({ x: "year", y: "value", z: "state", text: (p) => STATE_NAME[p.state], fill: "state", dx: 6, textAnchor: "start" })),
      Plot.tip(series, Plot.pointerX({ x: "year", y: "value", title })),
    ],
  });
  chart.setAttribute("role", "img");
  chart.setAttribute("aria-label", `Nuclear warheads (${category.replace("_", " ")}) by state, 1945-2026, ${scale} scale`);

  const tableView = table(shown, [
    { key: "state", label: "state", format: (r) => STATE_NAME[r.state] },
    { key: "year", label: "year" }, { key: "value", label: "warheads", format: (r) => fmt(r.value) },
    { key: "low", label: "low", format: (r) => fmt(r.low) }, { key: "high", label: "high", format: (r) => fmt(r.high) },
    { key: "dataset", label: "dataset" }, { key: "confidence", label: "confidence" },
  ]);
  root.replaceChildren(
    el("h1", {}, "Nuclear forces, 1945–2026"),
    el("p", {}, "Lines: the FAS series by year. Marks: every later figure of the other datasets (FAS/SIPRI snapshots, the 2026 article) — where sources disagree, both are shown; bars are stated ranges."),
    controls,
    chartFrame({
      id: "forces", title: `Warheads by state (${category.replace("_", " ")})`, chart,
      source: sourceLine(forces, shown), csvName: "forces.csv",
      csv: () => toCsv(forces.points, FORCES_COLUMNS),
      metadata: () => ({ title: "Nuclear warheads by state", columns: FORCES_COLUMNS, datasets: forces.datasets }),
      tableView,
    }),
  );
}

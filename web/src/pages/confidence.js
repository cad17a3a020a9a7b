// Confidence: how sure anyone can be. Detection probability against sample size and cheat size
// (computed here, as `tally inspect power` does); arsenal estimates with 50 % and 90 % bands,
// widening after the last declared (verified) figure and after New START's expiry on 2026-02-05;
// upload capacity per system (`tally upload`); the shipped scenarios projected against their
// limits (`tally project --ensemble`). URL state: items, cheats, sample (the detection case),
// band (one estimate chart) or all, scenario (one projection).
import * as Plot from "@observablehq/plot";
import { toCsv } from "../lib/csv.js";
import { DETECTION_COLUMNS, PROJECTION_COLUMNS, UPLOAD_COLUMNS, limitSegments, projectionCsv, uploadCsv } from "../lib/confidence.js";
import { STATE_COLOR, STATE_NAME } from "../lib/data.js";
import { MAX_ITEMS, cheatSizes, detectionCurve, detectionProbability, validate } from "../lib/detection.js";
import { formatHash } from "../lib/url.js";
import { chartFrame, el, fmt, table } from "../lib/ui.js";

// The detection case when the URL names none: 1,000 items, 10 defective, 50 inspected.
export const DETECTION_DEFAULT = { items: 1000, cheats: 10, sample: 50 };

export function detectionCase(params) {
  const num = (k) => (params[k] === undefined || params[k] === "" ? DETECTION_DEFAULT[k] : Number(params[k]));
  return { items: num("items"), cheats: num("cheats"), sample: num("sample") };
}

const pct = (p) => (p >= 0.9995 && p < 1 ? ">99.9" : (100 * p).toFixed(1)) + " %";
const DASH = ["4 3", null, "1 3"]; // half, chosen, double: told apart without colour

function detectionFigure({ items, cheats, sample }) {
  const sizes = cheatSizes(items, cheats);
  // The x axis up to where the smallest cheat is found 99 % of the time (or past the chosen n), so
  // that the curves' rise is visible at any N.
  const slowest = detectionCurve(items, sizes[0], { points: 1 }).reach[0.99] ?? items;
  const upTo = Math.min(items, Math.max(Math.ceil(1.3 * sample), slowest, 10));
  const curves = sizes.map((k) => ({ k, ...detectionCurve(items, k, { include: [sample], upTo }) }));
  const chosen = curves.find((c) => c.k === cheats);
  const p = detectionProbability(items, cheats, sample);
  const lines = curves.flatMap((c) => c.curve.map((d) => ({ ...d, cheats: c.k })));
  // Direct labels at different heights: the smallest cheat (rightmost curve) high, the largest low.
  const heights = sizes.length === 3 ? [0.8, 0.5, 0.2] : sizes.length === 2 ? [0.7, 0.3] : [0.5];
  const labels = curves.map((c, i) => ({ k: c.k, ...(c.curve.find((d) => d.p >= heights[i]) ?? c.curve.at(-1)) }));
  const chart = Plot.plot({
    width: 900, height: 320, marginLeft: 50, marginRight: 90,
    x: { label: "items inspected (sample size n)", domain: [0, upTo] },
    y: { label: "P(at least one found)", domain: [0, 1], grid: true, tickFormat: "%" },
    marks: [
      Plot.ruleY([0.95], { stroke: "#999", strokeDasharray: "2 3" }),
      sizes.map((k) => Plot.lineY(lines.filter((d) => d.cheats === k), {
        x: "sample", y: "p", stroke: k === cheats ? "#1d1d1d" : "#5b5b5b", strokeWidth: k === cheats ? 2.5 : 1.5,
        strokeDasharray: DASH[k < cheats ? 0 : k === cheats ? 1 : 2] })),
      Plot.text(labels, { x: "sample", y: "p", text: (d) => `k = ${fmt(d.k)}`, dx: 8, textAnchor: "start", fill: "#1d1d1d", stroke: "white", strokeWidth: 3, paintOrder: "stroke" }),
      Plot.dot([{ sample, p }], { x: "sample", y: "p", r: 5, fill: "#1d1d1d" }),
      Plot.text([{ sample, p }], { x: "sample", y: "p", text: (d) => `n = ${fmt(d.sample)}: ${pct(d.p)}`, dx: 10, dy: 14, textAnchor: "start", fontWeight: "bold", stroke: "white", strokeWidth: 3, paintOrder: "stroke" }),
      Plot.tip(lines, Plot.pointer({ x: "sample", y: "p", title: (d) => `k = ${fmt(d.cheats)}, n = ${fmt(d.sample)}: ${pct(d.p)}` })),
    ],
  });
  chart.setAttribute("role", "img");
  chart.setAttribute("aria-label", `Detection probability against sample size for ${fmt(items)} items with ${sizes.map(fmt).join(", ")} defective`);
  const reach = chosen ? chosen.reach : { 0.95: null }; // k = 0: nothing to find
  const rows = curves.flatMap((c) => c.curve.map((d) => ({ items, cheats: c.k, sample: d.sample, p_detect: d.p })));
  // The x axis ends at upTo; the CSV and table hold the same points as the chart.
  return {
    p,
    reach,
    frame: chartFrame({
      id: "detection", title: `Detection probability: ${fmt(items)} items, ${sizes.map(fmt).join(" / ")} defective (k), n inspected at random`, chart,
      source: "hypergeometric P(X ≥ 1) = 1 − C(N−k, n) / C(N, n), computed in this page in log space as `tally inspect power` computes it (src/tally/inspect/detection.h); the dashed rule is 95 %",
      csvName: "detection.csv", csv: () => toCsv(rows, DETECTION_COLUMNS),
      metadata: () => ({ title: "Detection probability of random inspections (sampling without replacement)", columns: DETECTION_COLUMNS, method: "1 - C(N-k, n)/C(N, n), log1p sums", reproduce: `tally inspect power -N ${items} -r ${cheats} -n ${sample}` }),
      tableView: table(rows.filter((r) => r.cheats === cheats), [
        { key: "sample", label: "items inspected", format: (r) => fmt(r.sample) },
        { key: "p_detect", label: "P(at least one found)", format: (r) => r.p_detect.toFixed(6) },
      ]),
    }),
  };
}

// The detection widget: number inputs and sliders for N, k, n; every change redraws the curve
// in place and writes the case into the URL (replaceState: no reload, no lost focus).
function detectionSection(params) {
  const state = detectionCase(params);
  const out = el("div", { id: "detection-out" });
  const message = el("p", { id: "detection-result", role: "status", "aria-live": "polite" });
  const inputs = {};
  const draw = () => {
    const err = validate(state.items, state.cheats, state.sample);
    if (err) {
      message.textContent = `✗ ${err}`;
      message.dataset.p = "";
      out.replaceChildren();
      return;
    }
    const { p, reach, frame } = detectionFigure(state);
    message.dataset.p = String(p);
    message.textContent = state.cheats === 0
      ? `With no defective item there is nothing to find (k = 0).`
      : `With ${fmt(state.sample)} of ${fmt(state.items)} items inspected, at least one of the ${fmt(state.cheats)} defective is found with probability ${pct(p)}` +
        (reach[0.95] !== null ? `; 95 % needs ${fmt(reach[0.95])} inspected.` : ".");
    out.replaceChildren(frame);
    for (const k of ["cheats", "sample"]) inputs[k].forEach((i) => { i.max = String(state.items); });
  };
  // A slider sends many events a frame: one redraw a frame, the URL written with it.
  let pending = false;
  const set = (key, value, from) => {
    state[key] = Number(value);
    for (const i of inputs[key]) if (i !== from) i.value = String(value);
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      draw();
      currentParams = { ...currentParams, ...state };
      history.replaceState(null, "", formatHash("confidence", currentParams));
    });
  };
  const field = (key, label, max) => {
    const number = el("input", { type: "number", id: `det-${key}`, min: key === "items" ? 1 : 0, max, step: 1, value: state[key], "aria-describedby": "detection-result" });
    const range = el("input", { type: "range", id: `det-${key}-range`, min: key === "items" ? 1 : 0, max, step: 1, value: state[key], "aria-label": `${label} (slider)` });
    number.addEventListener("change", () => set(key, number.value, number));
    range.addEventListener("input", () => set(key, range.value, range));
    inputs[key] = [number, range];
    return el("label", { class: "det" }, `${label} `, number, range);
  };
  const controls = el("fieldset", { class: "controls" }, el("legend", {}, "Case"),
    field("items", "Items N", MAX_ITEMS), field("cheats", "Defective k", state.items), field("sample", "Inspected n", state.items));
  draw();
  return [el("h2", { id: "detection-h" }, "Detection probability"),
    el("p", {}, "Of N accountable items (launchers, warheads, sites), k are not as declared; an inspection draws n of them at random (by joint randomness, so neither party chooses). The chance of finding at least one:"),
    controls, message, out];
}
let currentParams = {};

function uploadFigure(doc, u) {
  // Short labels (the parenthesis dropped) unless two systems would then share one.
  const short = u.systems.map((s) => s.system.replace(/ \(.*\)$/, ""));
  const unique = new Set(short).size === short.length;
  const systems = u.systems.map((s, i) => ({ ...s, label: unique ? short[i] : s.system }));
  const chart = Plot.plot({
    width: 900, height: 60 + 34 * systems.length, marginLeft: 260, marginRight: 120,
    x: { label: "warheads", grid: true, zero: true },
    y: { label: null, domain: systems.map((s) => s.label) },
    marks: [
      // Capacity as an outline, loaded as a solid bar inside it: told apart without colour.
      Plot.barX(systems, { x: "capacity", y: "label", fill: "white", stroke: "#1d1d1d", ariaDescription: "capacity", title: (s) => `${s.system}: capacity ${fmt(s.capacity)}` }),
      Plot.barX(systems, { x: "warheads_loaded", y: "label", fill: STATE_COLOR[u.state] || "#555", inset: 4, ariaDescription: "loaded", title: (s) => `${s.system}: ${fmt(s.warheads_loaded)} loaded` }),
      Plot.text(systems, { x: "capacity", y: "label", text: (s) => `${fmt(s.warheads_loaded)} of ${fmt(s.capacity)}${s.added < s.headroom ? ` (+${fmt(s.added)}: ${s.limited_by})` : ""}`, dx: 6, textAnchor: "start" }),
      Plot.ruleX([0]),
    ],
  });
  chart.setAttribute("role", "img");
  chart.setAttribute("aria-label", `${STATE_NAME[u.state]}, case ${u.case}: deployed warheads against capacity per system`);
  const limits = u.limits.filter((l) => l.max > 0).map((l) => `${l.name} ${fmt(l.max)} (${l.after_upload_margin >= 0 ? "under" : "above"} by ${fmt(Math.abs(l.after_upload_margin))} after upload)`);
  const id = `upload-${u.state}-${u.case}`;
  return chartFrame({
    id, title: `${STATE_NAME[u.state]} (${u.case}): ${fmt(u.baseline)} deployed strategic warheads, ${fmt(u.total)} after upload (+${fmt(u.added)} in ${u.months_to_full} months) — solid: loaded, outline: capacity`, chart,
    source: `${[...new Set(u.systems.map((s) => s.source))].join("; ")}. data/structure/ (docs/upload.md), as \`tally upload --state ${u.state} --case ${u.case}\` computes it. Limits on deployed warheads (FAS counting, not the treaty's): ${limits.join("; ") || "none"}`,
    csvName: "upload.csv", csv: () => uploadCsv(doc),
    metadata: () => ({ title: "Upload capacity per system", columns: UPLOAD_COLUMNS, method: "docs/upload.md", limits: u.limits, sources: u.systems.map((s) => ({ system: s.system, source: s.source, confidence: s.confidence, where: s.where })) }),
    tableView: table(systems, [
      { key: "system", label: "system" }, { key: "leg", label: "leg" },
      { key: "launchers", label: "launchers", format: (r) => fmt(r.launchers) },
      { key: "warheads_loaded", label: "loaded", format: (r) => fmt(r.warheads_loaded) },
      { key: "capacity", label: "capacity", format: (r) => fmt(r.capacity) + (r.capacity_given ? "*" : "") },
      { key: "added", label: "added", format: (r) => "+" + fmt(r.added) },
      { key: "limited_by", label: "limited by" }, { key: "months_to_full", label: "months" },
    ]),
  });
}

function projectionFigure(doc, sc) {
  const dates = sc.dates.map((d) => new Date(d + "T00:00:00Z"));
  const pts = sc.series.flatMap((x) => dates.map((date, t) => ({ series: x.id, state: x.state, date, p05: x.p05[t], p50: x.p50[t], p95: x.p95[t], central: x.central[t] })));
  const segs = limitSegments(sc).map((s) => ({ ...s, x1: new Date(s.from + "T00:00:00Z"), x2: new Date(s.until + "T00:00:00Z") }));
  const color = (x) => STATE_COLOR[x.state] || "#555";
  const chart = Plot.plot({
    width: 900, height: 380, marginLeft: 60, marginRight: 110,
    x: { type: "utc", label: null },
    y: { label: sc.series.map((x) => x.quantity.replace(/_/g, " ")).filter((q, i, a) => a.indexOf(q) === i).join(", "), grid: true, zero: true },
    marks: [
      sc.series.map((x) => Plot.areaY(pts.filter((p) => p.series === x.id), { x: "date", y1: "p05", y2: "p95", fill: color(x), fillOpacity: 0.2, title: () => `${x.id}: 90 % band` })),
      sc.series.map((x) => Plot.lineY(pts.filter((p) => p.series === x.id), { x: "date", y: "p50", stroke: color(x), strokeWidth: 2 })),
      Plot.ruleY(segs, { y: "max", x1: "x1", x2: "x2", stroke: "#1d1d1d", strokeDasharray: "6 3" }),
      Plot.text(segs, { x: "x1", y: "max", text: (s) => `${s.name} (${s.series.join(", ")}): ${fmt(s.max)}`, dy: -6, dx: 2, textAnchor: "start", fontSize: 10 }),
      Plot.text(pts, Plot.selectLast({ x: "date", y: "p50", z: "series", text: (p) => `${p.series} median`, dx: 6, textAnchor: "start" })),
      Plot.tip(pts, Plot.pointerX({ x: "date", y: "p50", z: "series", title: (p) => `${p.series} ${p.date.toISOString().slice(0, 10)}: median ${fmt(p.p50)}\n90 %: ${fmt(p.p05)}–${fmt(p.p95)}` })),
    ],
  });
  chart.setAttribute("role", "img");
  chart.setAttribute("aria-label", `${sc.name}: median and 90 percent band per party, with the limits as dashed rules`);
  const every = sc.step === "month" ? 12 : 1;
  const rows = pts.filter((_, i) => (i % dates.length) % every === 0 || i % dates.length === dates.length - 1);
  const over = sc.limits.filter((l) => l.median_first_over).map((l) => `${l.series} over ${l.name} from ${l.median_first_over} (median)`);
  return chartFrame({
    id: "projection", title: `${sc.name}: median and 90 % band per party, limits dashed`, chart,
    source: `scenarios/${sc.id}.toml (sha256 ${sc.sha256.slice(0, 16)}…), ${fmt(sc.members)} members, seed ${sc.seed}: \`tally project ${sc.id} --ensemble --members ${sc.members}\`. ${sc.series.map((x) => `${x.id}: ${x.source}`).join("; ")}${over.length ? ". " + over.join("; ") : ""}`,
    csvName: "projections.csv", csv: () => projectionCsv(doc),
    metadata: () => ({ title: "Scenario projections against limits", columns: PROJECTION_COLUMNS, scenario: { id: sc.id, name: sc.name, file: sc.file, sha256: sc.sha256, members: sc.members, seed: sc.seed, treaties: sc.treaties }, limits: sc.limits, sources: sc.series.map((x) => ({ series: x.id, source: x.source })) }),
    tableView: table(rows, [
      { key: "series", label: "party" }, { key: "date", label: "date", format: (r) => r.date.toISOString().slice(0, 10) },
      { key: "p05", label: "p05", format: (r) => fmt(r.p05) }, { key: "p50", label: "median", format: (r) => fmt(r.p50) },
      { key: "p95", label: "p95", format: (r) => fmt(r.p95) }, { key: "central", label: "central path", format: (r) => fmt(r.central) },
    ]),
  });
}

export const BAND_COLUMNS = ["state", "category", "year", "median", "p05", "p25", "p75", "p95"];
export const bandId = (b) => `${b.state}-${b.category}`;

export function bandRows(doc) {
  return doc.bands.flatMap((b) => b.points.map((p) => ({ state: b.state, category: b.category, ...p })));
}

export function renderConfidence(root, { bands, upload, projections }, params, setParams) {
  currentParams = params;
  const shown = bands.bands.filter((b) => !params.band || bandId(b) === params.band);
  const select = el("select", { id: "band", on: { change: (e) => setParams({ ...currentParams, band: e.target.value }) } },
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
    el("p", {}, "How sure anyone can be: what random inspections catch, what the estimates allow, how far forces could grow back, and where scenarios take them against the limits."),
    ...detectionSection(params),
    el("h2", { id: "bands-h" }, "Arsenal estimates"),
    el("p", {}, "Estimates from all the evidence, with honest uncertainty: the bands widen after the last declared figure — without verification there are no good numbers."),
    el("label", {}, "Estimate ", select),
    ...frames,
    el("h2", { id: "upload-h" }, "Upload capacity per system"),
    el("p", {}, "How many warheads each state could put back on its deployed launchers from its reserve: per system, the warheads loaded against what the launchers can carry, and what the reserve pools let it add."),
    ...upload.uploads.map((u) => uploadFigure(upload, u)),
    el("h2", { id: "projections-h" }, "Projections against limits"),
    projectionSection(projections, params, setParams),
  );
}

function projectionSection(doc, params, setParams) {
  if (!doc.scenarios.length) return el("p", {}, "No projections on this server.");
  const sc = doc.scenarios.find((x) => x.id === params.scenario) ?? doc.scenarios[0];
  const select = el("select", { id: "scenario", on: { change: (e) => setParams({ ...currentParams, scenario: e.target.value }) } },
    doc.scenarios.map((x) => el("option", { value: x.id, selected: x.id === sc.id }, x.name)));
  return el("div", {},
    el("p", {}, `The scenarios shipped in data/scenarios/, each a Monte Carlo ensemble of at most ${fmt(Math.max(...doc.scenarios.map((x) => x.members)))} members here (\`tally project NAME --ensemble\` runs the scenario's own count).`),
    el("label", {}, "Scenario ", select),
    el("p", { class: "source" }, sc.description),
    projectionFigure(doc, sc));
}

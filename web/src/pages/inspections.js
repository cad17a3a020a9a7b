// Inspections: quota use per inspecting party and type in a treaty year, every inspection on the
// logs with its stage and verdict, and one inspection in full — its steps with the log entries
// that are the steps (each linked to the Log page, where its inclusion is verified), the joint
// random seed and designation, what was declared and observed, findings and verdict. Everything
// comes from the replay the library makes (inspection::OverviewJson), which shows only what the
// parties opened. URL state: year, id.
import * as Plot from "@observablehq/plot";
import { download, toCsv } from "../lib/csv.js";
import { QUOTA_COLUMNS, STEP_COLUMNS, quotaRows, stepRows, treatyYears, verdictCounts } from "../lib/inspections.js";
import { NO_REGIME, chartFrame, el, fmt, table } from "../lib/ui.js";

const iso = (s) => new Date(s * 1000).toISOString().replace(".000Z", "Z");
const logLink = (log, index) => el("a", { href: `#/log?entry=${index}&log=${encodeURIComponent(log)}` }, `${log} log entry ${index}`);

function list(items, empty = "none") {
  return items.length ? el("ul", {}, items.map((x) => el("li", {}, x))) : el("p", {}, empty);
}

function detail(i, setId) {
  const r = i.record;
  if (!r) return el("section", { id: "inspection" }, el("h2", {}, i.inspection), el("p", { role: "alert" }, `Not replayed: ${i.error}`));
  const steps = r.steps.map((s) => ({ ...s, date: new Date(s.time * 1000) }));
  const logs = [r.inspecting, r.inspected];
  const chart = Plot.plot({
    width: 900, height: 150, marginLeft: 60, marginRight: 30,
    x: { type: "utc", label: null },
    y: { label: null, domain: logs },
    symbol: { domain: ["request", "site opening", "commitment", "reveal", "designated opening", "findings"], legend: true },
    marks: [
      Plot.ruleY(logs, { stroke: "#ccc" }),
      Plot.dot(steps, { x: "date", y: "log", symbol: "step", r: 5, stroke: "#1d1d1d", fill: "white",
        title: (s) => `${s.step}: ${s.log} log entry ${s.index}\n${iso(s.time)}` }),
    ],
  });
  chart.setAttribute("role", "img");
  chart.setAttribute("aria-label", `The ${steps.length} steps of inspection ${r.inspection} on the two parties' logs over time`);
  const stepsFrame = chartFrame({
    id: "steps", title: `Inspection ${r.inspection}: each step on the log of the party that took it`, chart,
    source: `the replay of ${r.inspecting}'s and ${r.inspected}'s logs (inspection::Replay); each step is the first entry that checks`,
    csvName: `inspection-${r.inspection}-steps.csv`,
    csv: () => toCsv(steps.map((s) => ({ ...s, inspection: r.inspection, time: iso(s.time) })), STEP_COLUMNS),
    metadata: () => ({ title: `Steps of inspection ${r.inspection}`, columns: STEP_COLUMNS, verdict: r.verdict }),
    tableView: table(steps, [{ key: "step", label: "step" }, { key: "log", label: "entry", format: (s) => logLink(s.log, s.index) }, { key: "time", label: "time", format: (s) => iso(s.time) }]),
  });
  const observed = Object.fromEntries(r.observed.map((o) => [o.uid, o]));
  return el("section", { id: "inspection", "aria-labelledby": "inspection-h" },
    el("h2", { id: "inspection-h" }, `Inspection ${r.inspection}`),
    el("p", {}, `${r.inspecting} inspects ${r.inspected} at ${r.site} (${r.type}, ${r.treaty} treaty year ${r.treaty_year.number}); requested ${iso(r.requested_at)}.`),
    el("p", { id: "verdict", "data-verdict": r.verdict, class: `verdict ${r.verdict}` }, "Verdict: ", el("strong", {}, r.verdict),
      r.stage !== "recorded" ? ` (stage ${r.stage}${r.awaiting ? `, awaiting ${r.awaiting}` : ""})` : ""),
    stepsFrame,
    el("h3", {}, "Joint randomness and designation"),
    el("dl", { class: "facts" },
      el("dt", {}, "committed"), el("dd", {}, r.committed.join(", ") || "none"),
      el("dt", {}, "revealed"), el("dd", {}, r.revealed.join(", ") || "none"),
      el("dt", {}, "seed"), el("dd", { id: "seed" }, r.whole_site ? "none: the site is inspected whole" : r.seed ? el("code", {}, r.seed) : "not yet drawn",
        r.fallback ? ` (the inspecting party's secret alone: ${r.refused.join(", ")} did not reveal)` : ""),
      el("dt", {}, "site"), el("dd", {}, `${fmt(r.site_items)} items opened, ${fmt(r.population)} eligible`),
      el("dt", {}, "designated"), el("dd", { id: "designated" }, r.designated.join(", ") || "none")),
    el("h3", {}, "Declared and observed"),
    r.declared.length ? table(r.declared, [
      { key: "uid", label: "uid" }, { key: "kind", label: "kind" }, { key: "system", label: "system" }, { key: "status", label: "declared status" },
      { key: "warheads", label: "declared warheads" },
      { key: "observed", label: "observed", format: (d) => (observed[d.uid] ? `${observed[d.uid].status}, ${observed[d.uid].warheads} warheads` : "not observed") },
    ]) : el("p", {}, "Nothing opened for the designated items yet."),
    el("h3", {}, "Findings"),
    list([
      ...r.discrepancies.map((d) => `discrepancy (${d.kind}): ${d.what}`),
      ...r.restriction_violations.map((v) => `restriction violated (${v.entry}): ${v.what}`),
      ...r.procedural_violations.map((v) => `procedure (${v.kind}, ${v.party}): ${v.what}`),
      ...r.rejected_entries.map((x) => el("span", {}, "rejected: ", logLink(x.log, x.index), `: ${x.reason}`)),
    ], "No discrepancy, violation or rejected entry."),
    el("p", {}, el("a", { href: "#/inspections", on: { click: (e) => { e.preventDefault(); setId(""); } } }, "Back to every inspection")),
  );
}

export function renderInspections(root, { inspections: doc }, params, setParams) {
  if (!doc.treaty) {
    root.replaceChildren(el("h1", {}, "Inspections"), el("p", { role: "note" }, doc.note || NO_REGIME));
    return;
  }
  const years = treatyYears(doc);
  const { year, rows } = quotaRows(doc, params.year);
  const yearSelect = el("label", {}, "Treaty year ",
    el("select", { id: "year", on: { change: (e) => setParams({ ...params, year: e.target.value }) } },
      years.map((y) => el("option", { value: y, selected: y === year }, String(y)))));
  const label = (q) => (q.quota ? `${q.used} of ${q.quota}` : `${q.used} (no quota)`);
  const chart = rows.length ? Plot.plot({
    width: 900, height: 70 + 40 * rows.length, marginLeft: 110, marginRight: 90,
    x: { label: "inspections", grid: true, domain: [0, Math.max(1, ...rows.map((q) => Math.max(q.used, q.quota)))] },
    y: { label: null },
    fy: { label: null },
    marks: [
      Plot.barX(rows, { x: "used", y: "type", fy: "party", fill: "#4e79a7", title: (q) => `${q.party} ${q.type}: ${label(q)}` }),
      Plot.tickX(rows.filter((q) => q.quota), { x: "quota", y: "type", fy: "party", stroke: "#b00", strokeWidth: 2, strokeDasharray: "3 2" }),
      Plot.text(rows, { x: (q) => Math.max(q.used, q.quota), y: "type", fy: "party", text: label, dx: 6, textAnchor: "start" }),
    ],
  }) : el("p", {}, "No inspection quota in this treaty year.");
  if (rows.length) {
    chart.setAttribute("role", "img");
    chart.setAttribute("aria-label", `Inspections used against the quota, per inspecting party and type, treaty year ${year}`);
  }
  const quotaFrame = chartFrame({
    id: "quotas", title: `Quota use per inspecting party and type, treaty year ${year ?? "–"} (bar: used; dashed tick: the quota)`, chart,
    source: `the admitted inspection requests on the parties' logs, counted against ${doc.treaty}'s quotas (inspection::BuildLedger)`,
    csvName: "quotas.csv", csv: () => toCsv(doc.quotas, QUOTA_COLUMNS),
    metadata: () => ({ title: "Inspection quota use", treaty: doc.treaty, columns: QUOTA_COLUMNS, refused_requests: doc.refused_requests }),
    tableView: table(rows, [{ key: "party", label: "inspecting party" }, { key: "type", label: "type" }, { key: "used", label: "used" }, { key: "quota", label: "quota" }, { key: "remaining", label: "remaining" }]),
  });
  const counts = verdictCounts(doc);
  const setId = (id) => setParams({ ...params, id });
  const chosen = doc.inspections.find((i) => i.inspection === params.id);
  const allSteps = stepRows(doc);
  root.replaceChildren(
    el("h1", {}, "Inspections"),
    el("p", {}, `${doc.inspections.length} inspections on the logs under ${doc.treaty}, replayed as of ${iso(doc.at)}: `,
      Object.entries(counts).map(([v, n]) => `${n} ${v}`).join(", "), "."),
    doc.note ? el("p", { role: "note" }, doc.note) : null,
    doc.unread?.length ? el("p", { role: "note" }, "Not read (did not verify): ", doc.unread.map((u) => `${u.origin} (${u.reason})`).join(", ")) : null,
    yearSelect, quotaFrame,
    chosen ? detail(chosen, setId) : el("section", { "aria-labelledby": "all-h" },
      el("h2", { id: "all-h" }, "Every inspection"),
      table(doc.inspections, [
        { key: "inspection", label: "inspection", format: (i) => el("a", { href: `#/inspections?${new URLSearchParams({ ...params, id: i.inspection })}` }, i.inspection) },
        { key: "inspecting", label: "inspecting" }, { key: "inspected", label: "inspected" }, { key: "type", label: "type" }, { key: "site", label: "site" },
        { key: "stage", label: "stage", format: (i) => i.stage ?? "–" }, { key: "verdict", label: "verdict", format: (i) => i.verdict ?? i.error },
        { key: "entry", label: "request", format: (i) => logLink(i.log, i.index) },
      ]),
      el("p", {}, el("button", { type: "button", "data-action": "steps-csv", on: { click: () => download("inspection-steps.csv", toCsv(allSteps, STEP_COLUMNS)) } }, "Download every step (CSV)"))),
  );
}

// Treaties: each treaty's timeline, and the replay of every published exchange (New START, then
// START I: api/replays.json) against the chosen limit with its margin. URL state: the limit of each
// replay (lib/data.js limitParam: "limit" for New START, "<treaty>-limit" for the others).
import * as Plot from "@observablehq/plot";
import { newStartCsv, toCsv } from "../lib/csv.js";
import { STATE_COLOR, STATE_NAME, limitParam, pickLimit, replayRows, withSegments } from "../lib/data.js";
import { chartFrame, el, fmt, table } from "../lib/ui.js";

const day = (s) => (s ? new Date(s + "T00:00:00Z") : null);

// One replayed treaty: its status, the limit chooser and a chart of every exchange against that
// limit (a dot per exchange with a count, the limit as a rule, the margin in the tooltip and table).
// New START keeps the ids it always had (figure#replay, select#limit); the others are suffixed.
function replaySection(doc, params, setParams, now) {
  const suffix = doc.id === "new-start" ? "" : `-${doc.id}`;
  const key = limitParam(doc.id);
  const limit = pickLimit(doc, params[key]);
  const rows = withSegments(replayRows(doc, limit.id));
  const chart = Plot.plot({
    width: 900, height: 360, marginLeft: 60, marginRight: 70,
    x: { type: "utc", label: null },
    y: { label: limit.name, grid: true, zero: true },
    color: { domain: ["US", "RU"], range: [STATE_COLOR.US, STATE_COLOR.RU] },
    marks: [
      Plot.ruleY([limit.max], { stroke: "#b00", strokeDasharray: "6 3" }),
      Plot.text([limit.max], { x: rows.length ? rows[rows.length - 1].date : now, y: (d) => d, text: () => `limit ${fmt(limit.max)}`, dy: -8, fill: "#b00", textAnchor: "end" }),
      Plot.lineY(rows, { x: "date", y: "counted", stroke: "party", z: "segment" }),
      Plot.dot(rows, { x: "date", y: "counted", fill: "party", r: 3.5,
        title: (r) => `${STATE_NAME[r.party] || r.party} ${r.as_of}: ${fmt(r.counted)} (limit ${fmt(r.max)}, margin ${fmt(r.margin)})\n${r.verdict}` }),
      Plot.text(rows, Plot.selectLast({ x: "date", y: "counted", z: "party", text: (r) => STATE_NAME[r.party] || r.party, fill: "party", dx: 6, textAnchor: "start" })),
    ],
  });
  chart.setAttribute("role", "img");
  chart.setAttribute("aria-label", `${doc.treaty} ${limit.name}: every exchange against the limit of ${limit.max}`);
  const effective = doc.limits_effective ? ` The limits apply from ${doc.limits_effective}.` : "";
  return [
    el("h2", { id: `treaty-${doc.id}` }, `${doc.treaty}: every exchange against its limits`),
    el("p", {}, `Status: ${doc.status} (${doc.status_reason}).${effective}`),
    el("label", {}, "Limit ",
      el("select", { id: `limit${suffix}`, on: { change: (e) => setParams({ ...params, [key]: e.target.value }) } },
        doc.limits.map((l) => el("option", { value: l.id, selected: l.id === limit.id }, `${l.name} (≤ ${fmt(l.max)})`)))),
    ...(rows.length ? [] : [el("p", { class: "note" }, "No published row gives this count.")]),
    chartFrame({
      id: `replay${suffix}`, title: `${limit.name} against the limit of ${fmt(limit.max)}`, chart,
      source: `${doc.source} (${doc.file}); each row checked at its own date`,
      csvName: `${doc.id}.csv`, csv: () => newStartCsv(doc),
      metadata: () => ({ title: `${doc.treaty} exchanges against the limits`, treaty: doc.id, file: doc.file, source: doc.source, limits: doc.limits }),
      tableView: table(rows, [
        { key: "party", label: "party" }, { key: "as_of", label: "as of" },
        { key: "counted", label: "counted", format: (r) => fmt(r.counted) }, { key: "max", label: "limit", format: (r) => fmt(r.max) },
        { key: "margin", label: "margin", format: (r) => fmt(r.margin) }, { key: "verdict", label: "verdict" },
      ]),
    }),
  ];
}

export function renderTreaties(root, { treaties, replays }, params, setParams) {
  const now = day(treaties.date);
  const spans = [];
  for (const t of treaties.treaties) {
    const eif = day(t.entry_into_force), end = day(t.ended) || now;
    spans.push({ treaty: t.name, from: day(t.signed), to: eif || end, phase: eif ? "signed" : "never in force", t });
    if (eif) spans.push({ treaty: t.name, from: eif, to: end, phase: t.hypothetical ? "hypothetical" : "in force", t });
  }
  const timeline = Plot.plot({
    width: 900, height: 40 + 26 * treaties.treaties.length, marginLeft: 230,
    x: { type: "utc", label: null, domain: [new Date("1970-01-01"), new Date("2031-01-01")], grid: true },
    y: { label: null, domain: treaties.treaties.map((t) => t.name) },
    color: { domain: ["signed", "never in force", "in force", "hypothetical"], range: ["#c9c9c9", "#e0e0e0", "#4e79a7", "#a0cbe8"], legend: true },
    marks: [
      Plot.barX(spans, { x1: "from", x2: "to", y: "treaty", fill: "phase", insetTop: 4, insetBottom: 4,
        title: (s) => `${s.treaty}: ${s.phase} ${s.from.toISOString().slice(0, 10)} – ${s.t.ended || "today"}\nstatus: ${s.t.status}` }),
      Plot.ruleX([now], { stroke: "#b00", strokeDasharray: "3 3" }),
    ],
  });
  timeline.setAttribute("role", "img");
  timeline.setAttribute("aria-label", "Treaty timelines from signature to end");

  const treatyColumns = [
    { key: "name", label: "treaty" }, { key: "parties", label: "parties", format: (t) => t.parties.join(", ") },
    { key: "signed", label: "signed" }, { key: "entry_into_force", label: "in force" }, { key: "ended", label: "ended" },
    { key: "status", label: "status" }, { key: "reason", label: "why" },
  ];
  root.replaceChildren(
    el("h1", {}, "Treaties"),
    chartFrame({
      id: "timeline", title: "Each treaty from signature to its end", chart: timeline,
      source: "the treaty files of tally (data/treaties/*.toml), each with its citations",
      csvName: "treaties.csv", csv: () => toCsv(treaties.treaties.map((t) => ({ ...t, parties: t.parties.join(" ") })), ["id", "name", "parties", "signed", "entry_into_force", "ended", "status"]),
      metadata: () => ({ title: "Treaty timelines", date: treaties.date }),
      tableView: table(treaties.treaties, treatyColumns),
    }),
    ...replays.replays.flatMap((doc) => replaySection(doc, params, setParams, now)),
  );
}

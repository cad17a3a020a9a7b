// Treaties: each treaty's timeline, and the New START replay of every exchange against the
// chosen limit with its margin. URL state: limit.
import * as Plot from "@observablehq/plot";
import { newStartCsv, toCsv } from "../lib/csv.js";
import { STATE_COLOR, STATE_NAME, replayRows } from "../lib/data.js";
import { chartFrame, el, fmt, table } from "../lib/ui.js";

const day = (s) => (s ? new Date(s + "T00:00:00Z") : null);

export function renderTreaties(root, { treaties, newStart }, params, setParams) {
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

  const limit = newStart.limits.find((l) => l.id === params.limit) || newStart.limits[1] || newStart.limits[0];
  const rows = replayRows(newStart, limit.id);
  const replay = Plot.plot({
    width: 900, height: 360, marginLeft: 60, marginRight: 70,
    x: { type: "utc", label: null },
    y: { label: limit.name, grid: true, zero: true },
    color: { domain: ["US", "RU"], range: [STATE_COLOR.US, STATE_COLOR.RU] },
    marks: [
      Plot.ruleY([limit.max], { stroke: "#b00", strokeDasharray: "6 3" }),
      Plot.text([limit.max], { x: rows.length ? rows[rows.length - 1].date : now, y: (d) => d, text: () => `limit ${fmt(limit.max)}`, dy: -8, fill: "#b00", textAnchor: "end" }),
      Plot.lineY(rows, { x: "date", y: "counted", stroke: "party", z: "party" }),
      Plot.dot(rows, { x: "date", y: "counted", fill: "party", r: 3.5,
        title: (r) => `${STATE_NAME[r.party] || r.party} ${r.as_of}: ${fmt(r.counted)} (limit ${fmt(r.max)}, margin ${fmt(r.margin)})\n${r.verdict}` }),
      Plot.text(rows, Plot.selectLast({ x: "date", y: "counted", z: "party", text: (r) => STATE_NAME[r.party] || r.party, fill: "party", dx: 6, textAnchor: "start" })),
    ],
  });
  replay.setAttribute("role", "img");
  replay.setAttribute("aria-label", `New START ${limit.name}: every exchange against the limit of ${limit.max}`);

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
    el("h2", {}, `${newStart.treaty}: every exchange against its limits`),
    el("p", {}, `Status: ${newStart.status} (${newStart.status_reason}).`),
    el("label", {}, "Limit ",
      el("select", { id: "limit", on: { change: (e) => setParams({ ...params, limit: e.target.value }) } },
        newStart.limits.map((l) => el("option", { value: l.id, selected: l.id === limit.id }, `${l.name} (≤ ${fmt(l.max)})`)))),
    chartFrame({
      id: "replay", title: `${limit.name} against the limit of ${fmt(limit.max)}`, chart: replay,
      source: "US State Department fact sheets of the biannual New START exchanges (data/new_start/aggregates.csv); each row checked at its own date",
      csvName: "new-start.csv", csv: () => newStartCsv(newStart),
      metadata: () => ({ title: "New START exchanges against the limits", limits: newStart.limits }),
      tableView: table(rows, [
        { key: "party", label: "party" }, { key: "as_of", label: "as of" },
        { key: "counted", label: "counted", format: (r) => fmt(r.counted) }, { key: "max", label: "limit", format: (r) => fmt(r.max) },
        { key: "margin", label: "margin", format: (r) => fmt(r.margin) }, { key: "verdict", label: "verdict" },
      ]),
    }),
  );
}

// Shaping the API documents for charts and tables. Pure functions, unit-tested with Vitest.

export const STATES = [
  ["US", "US"], ["RU", "Russia"], ["CN", "China"], ["FR", "France"], ["GB", "UK"],
  ["IN", "India"], ["PK", "Pakistan"], ["IL", "Israel"], ["KP", "N. Korea"],
];
export const STATE_NAME = Object.fromEntries(STATES);
export const STATE_COLOR = Object.fromEntries(
  STATES.map(([c], i) => [c, ["#4e79a7", "#f28e2c", "#e15759", "#76b7b2", "#59a14f", "#edc949",
    "#af7aa1", "#ff9da7", "#9c755f"][i]]),
);

// The yearly series of one dataset and category for the chosen states, ordered by state, year.
export function seriesPoints(doc, { dataset, category, states }) {
  const want = new Set(states);
  return doc.points
    .filter((p) => p.dataset === dataset && p.category === category && want.has(p.state))
    .sort((a, b) => states.indexOf(a.state) - states.indexOf(b.state) || a.year - b.year);
}

// Figures of the other datasets (snapshots, the 2026 article), shown beside the series.
export function otherPoints(doc, { dataset, category, states, from }) {
  const want = new Set(states);
  return doc.points.filter(
    (p) => p.dataset !== dataset && p.category === category && want.has(p.state) && p.year >= from,
  );
}

export function datasetsOf(doc, category) {
  const refs = new Set(doc.points.filter((p) => p.category === category).map((p) => p.dataset));
  return doc.datasets.filter((d) => refs.has(d.ref));
}

// One line per distinct source of the shown points: "Source: FAS ... ; article ...".
export function sourceLine(doc, points) {
  const refs = [...new Set(points.map((p) => p.dataset))];
  return refs
    .map((r) => {
      const d = doc.datasets.find((x) => x.ref === r);
      return d ? `${d.title} (${d.publisher}; ${r})` : r;
    })
    .join("; ");
}

// The New START replay as long rows for one limit: {party, date, counted, max, margin}.
// The URL parameter that holds a replay's chosen limit: New START's is "limit" (as it always was),
// another treaty's "<treaty>-limit", so that each section keeps its own choice in the link.
export function limitParam(treatyId) {
  return treatyId === "new-start" ? "limit" : `${treatyId}-limit`;
}

// The limit a replay shows: the one the URL names, else its second (New START: deployed
// warheads; START I: accountable warheads), else its first.
export function pickLimit(doc, limitId) {
  return doc.limits.find((l) => l.id === limitId) || doc.limits[1] || doc.limits[0];
}

// Exchanges are six months apart; two of a party's exchanges farther apart than this are not
// joined by the line (START I's 1990 MOU and its 2001 figure: 30 exchanges missing between).
export const REPLAY_MAX_GAP_DAYS = 400;

// Each row with `segment`: its party, and a new segment after every gap longer than maxGapDays
// (rows in date order per party, as replayRows gives them); the line is drawn per segment.
export function withSegments(rows, maxGapDays = REPLAY_MAX_GAP_DAYS) {
  const last = new Map();
  const counter = new Map();
  return rows.map((r) => {
    const prev = last.get(r.party);
    let n = counter.get(r.party) || 0;
    if (prev && (r.date - prev) / 86400000 > maxGapDays) n += 1;
    counter.set(r.party, n);
    last.set(r.party, r.date);
    return { ...r, segment: `${r.party}#${n}` };
  });
}

export function replayRows(doc, limitId) {
  const limit = doc.limits.find((l) => l.id === limitId) || doc.limits[0];
  return doc.exchanges
    .filter((e) => e.counted[limit.id] !== null && e.counted[limit.id] !== undefined)
    .map((e) => ({
      party: e.party,
      as_of: e.as_of,
      date: new Date(e.as_of + "T00:00:00Z"),
      counted: e.counted[limit.id],
      max: limit.max,
      margin: e.margin[limit.id],
      verdict: e.verdict,
    }));
}

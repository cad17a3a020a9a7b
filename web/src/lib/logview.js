// Shaping a log's entries for the Log page: counts by kind and period (the chart and its CSV),
// and the checkpoints of one log that the other parties cited in their entries (the `seen` of
// docs/formats/inspection.md), which the page proves the current checkpoint consistent with.
// Pure functions, unit-tested with Vitest.
import { kindName } from "./tiles.js";

export const BINS = ["month", "week", "day"];

// The first instant (UTC) of the period holding `seconds`: a calendar month, an ISO week
// (Monday) or a day.
export function periodStart(seconds, bin) {
  const d = new Date(seconds * 1000);
  if (bin === "month") return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  if (bin === "day") return new Date(day);
  return new Date(day - ((d.getUTCDay() + 6) % 7) * 86400000);
}

export function periodEnd(start, bin) {
  if (bin === "month") return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  return new Date(start.getTime() + (bin === "week" ? 7 : 1) * 86400000);
}

export const KIND_COLUMNS = ["kind", "kind_name", "period", "count"];

// One row per kind and period with at least one typed entry, ordered by kind, then period.
// Raw (untyped) entries have no time and are counted apart (`untyped`).
export function entriesByKind(entries, bin) {
  const rows = new Map();
  let untyped = 0;
  for (const e of entries) {
    if (!e.typed) { untyped++; continue; }
    const start = periodStart(e.time, bin);
    const key = `${e.kind}|${start.getTime()}`;
    if (!rows.has(key)) rows.set(key, { kind: e.kind, kind_name: kindName(e.kind), start, end: periodEnd(start, bin), period: start.toISOString().slice(0, bin === "month" ? 7 : 10), count: 0 });
    rows.get(key).count++;
  }
  return { rows: [...rows.values()].sort((a, b) => a.kind - b.kind || a.start - b.start), untyped };
}

const inspector = (id) => (typeof id === "string" && id.includes("-") ? id.slice(0, id.indexOf("-")) : null);

// The checkpoints of `party`'s log cited by entries of `others` ({party, entries: [decoded]}):
// [{size, root (hex), by: {party, index, kind}}], ascending by size. An entry on Y's log speaks of
// the other party of its inspection: the inspected party when Y inspects (its request on Y's log
// names it), else the inspecting party (the id's prefix).
export function citedCheckpoints(party, others) {
  const out = [];
  for (const { party: y, entries } of others) {
    const inspected = {};
    const parsed = entries.map((e) => {
      if (!e.typed || e.kind < 4 || e.kind > 8) return null;
      try { return JSON.parse(e.text); } catch { return null; }
    });
    parsed.forEach((p, i) => { if (p && entries[i].kind === 4 && typeof p.inspected === "string") inspected[p.inspection] = p.inspected; });
    parsed.forEach((p, i) => {
      if (!p || !p.seen || !Number.isSafeInteger(p.seen.size) || !/^[0-9a-f]{64}$/.test(p.seen.root ?? "")) return;
      const r = inspector(p.inspection);
      const other = r === y ? inspected[p.inspection] : r;
      if (other !== party) return;
      out.push({ size: p.seen.size, root: p.seen.root, by: { party: y, index: i, kind: kindName(entries[i].kind), inspection: p.inspection } });
    });
  }
  return out.sort((a, b) => a.size - b.size || a.by.party.localeCompare(b.by.party) || a.by.index - b.by.index);
}

// The Confidence page's data shaping: upload capacity and projections as the API's CSV rows
// (dashboard/data_api.cc), and the limits a projection chart draws.
import { toCsv } from "./csv.js";

export const UPLOAD_COLUMNS = ["state", "case", "system", "leg", "launchers", "warheads_loaded", "capacity", "headroom", "added", "limited_by", "months_to_full"];
export const PROJECTION_COLUMNS = ["scenario", "series", "state", "quantity", "date", "central", "p05", "p25", "p50", "p75", "p95"];
export const DETECTION_COLUMNS = ["items", "cheats", "sample", "p_detect"];

export function uploadRows(doc) {
  return doc.uploads.flatMap((u) => u.systems.map((s) => ({ state: u.state, case: u.case, ...s })));
}
export const uploadCsv = (doc) => toCsv(uploadRows(doc), UPLOAD_COLUMNS);

// One row per scenario, series and date (the series' arrays run parallel to `dates`).
export function projectionRows(doc) {
  return doc.scenarios.flatMap((sc) => sc.series.flatMap((x) => sc.dates.map((date, t) => ({
    scenario: sc.id, series: x.id, state: x.state, quantity: x.quantity, date,
    central: x.central[t], p05: x.p05[t], p25: x.p25[t], p50: x.p50[t], p75: x.p75[t], p95: x.p95[t],
  }))));
}
export const projectionCsv = (doc) => toCsv(projectionRows(doc), PROJECTION_COLUMNS);

// The limits as horizontal segments inside the scenario's dates: one per ceiling, period and
// series set (the same ceiling on two parties is one rule, labelled with both), outside the
// scenario's range dropped.
export function limitSegments(sc) {
  const start = sc.dates[0], end = sc.dates[sc.dates.length - 1];
  const byKey = new Map();
  for (const l of sc.limits) {
    const from = l.from && l.from > start ? l.from : start;
    const until = l.until && l.until < end ? l.until : end;
    if (from >= until) continue;
    const key = `${l.max}|${from}|${until}|${l.name}`;
    const seg = byKey.get(key) ?? { max: l.max, from, until, name: l.name, series: [], ids: [] };
    seg.series.push(l.series);
    seg.ids.push(l.id);
    byKey.set(key, seg);
  }
  return [...byKey.values()];
}

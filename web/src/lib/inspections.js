// Shaping /api/inspections.json (inspection::OverviewJson) for the Inspections page. Pure
// functions, unit-tested with Vitest.

export const QUOTA_COLUMNS = ["party", "type", "treaty_year", "begins", "used", "quota", "remaining"];
export const STEP_COLUMNS = ["inspection", "step", "log", "index", "time"];

export function treatyYears(doc) {
  return [...new Set(doc.quotas.map((q) => q.treaty_year))].sort((a, b) => a - b);
}

// The quota rows of one treaty year (the latest when `year` is not one of them).
export function quotaRows(doc, year) {
  const years = treatyYears(doc);
  const y = years.includes(Number(year)) ? Number(year) : years[years.length - 1];
  return { year: y, rows: doc.quotas.filter((q) => q.treaty_year === y) };
}

// The steps of every replayed inspection, as long rows with an ISO time.
export function stepRows(doc) {
  return doc.inspections.flatMap((i) => (i.record ? i.record.steps.map((s) => ({
    inspection: i.inspection, step: s.step, log: s.log, index: s.index, time: new Date(s.time * 1000).toISOString(),
  })) : []));
}

// Inspections by verdict, for the page's summary line: {consistent: n, inconsistent: n, ...}.
export function verdictCounts(doc) {
  const out = {};
  for (const i of doc.inspections) {
    const v = i.verdict ?? "not replayed";
    out[v] = (out[v] ?? 0) + 1;
  }
  return out;
}

// CSV as the C++ API writes it (dashboard/data_api.cc): a header line, then one row per record;
// a field is quoted when it holds a comma, quote or line break; null is an empty cell.

export function csvField(v) {
  if (v === null || v === undefined) return "";
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows, columns) {
  let out = columns.join(",") + "\n";
  for (const r of rows) out += columns.map((c) => csvField(r[c])).join(",") + "\n";
  return out;
}

export const FORCES_COLUMNS = [
  "dataset", "state", "category", "year", "as_of", "value", "low", "high", "confidence", "source",
];

// The New START replay in the API's wide form: party, as_of, verdict, then per limit its count
// and margin.
export function newStartCsv(doc) {
  const cols = ["party", "as_of", "verdict"];
  for (const l of doc.limits) cols.push(l.id, `${l.id}_margin`);
  const rows = doc.exchanges.map((e) => {
    const r = { party: e.party, as_of: e.as_of, verdict: e.verdict };
    for (const l of doc.limits) {
      r[l.id] = e.counted[l.id];
      r[`${l.id}_margin`] = e.margin[l.id];
    }
    return r;
  });
  return toCsv(rows, cols);
}

export function download(name, text, type = "text/csv") {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

// The log: one party's log read as tlog-tiles and verified here, in the browser — its checkpoint's
// Ed25519 signature under the key the network file pins, the witnesses' cosignatures, every entry
// against the signed root, one entry's inclusion proof and the consistency proof from a checkpoint
// the other party cited (or this browser saw before) to today's. Entries by kind over time as a
// chart. URL state: log, bin, entry, from.
import * as Plot from "@observablehq/plot";
import { toCsv } from "../lib/csv.js";
import { BINS, KIND_COLUMNS, citedCheckpoints, entriesByKind } from "../lib/logview.js";
import { decodeEntry, kindName, rootFromLeafHashes, TileLog } from "../lib/tiles.js";
import { equalBytes, fromHex, leafHash, parseCheckpoint, signatureLines, toHex, verifyConsistency, verifyCosignatures, verifyInclusion, verifyNote } from "../lib/tlog.js";
import { NO_REGIME, chartFrame, el, fmt, table } from "../lib/ui.js";

const MAX_ENTRIES = 65536; // 256 entry bundles: what a page reads before it stops and says so

async function fetchBytes(url) {
  const r = await fetch(url, { cache: "no-store" });
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

// One log, read and checked: its note, checkpoint, entries, and whether each check passed.
async function readLog(log) {
  const r = await fetch(log.base + "checkpoint", { cache: "no-store" });
  if (!r.ok) throw new Error(`${log.base}checkpoint: HTTP ${r.status}`);
  const note = await r.text();
  const signed = await verifyNote(note, log.key);
  const cp = signed.ok ? parseCheckpoint(signed.text) : parseCheckpoint(note.slice(0, note.indexOf("\n\n") + 1));
  const out = { log, note, signed, cp, entries: [], tiles: null, allVerified: false, truncated: false };
  if (!cp.ok) return out;
  out.origin_ok = cp.origin === log.origin;
  out.tiles = new TileLog((p) => fetchBytes(log.base + p), cp.size);
  const n = Math.min(Number(cp.size), MAX_ENTRIES);
  out.truncated = n < Number(cp.size);
  const raw = await out.tiles.entries(0, n);
  out.entries = raw.map((bytes, index) => ({ index, bytes, ...decodeEntry(bytes) }));
  if (!out.truncated) {
    const root = await rootFromLeafHashes(await Promise.all(raw.map((b) => leafHash(b))));
    out.allVerified = signed.ok && out.origin_ok && equalBytes(root, cp.root);
  }
  return out;
}

const iso = (s) => new Date(s * 1000).toISOString().replace(".000Z", "Z");
const verdict = (id, ok, good, bad) =>
  el("p", { id, class: ok ? "verified" : "failed", "data-verified": String(ok), role: "status" },
    el("strong", {}, ok ? "✓ Verified" : "✗ FAILED"), ": ", ok ? good : bad);
const hashList = (hashes) => el("ol", { class: "hashes", start: "0" }, hashes.map((h) => el("li", {}, el("code", {}, toHex(h)))));

function payloadText(e) {
  if (!e.typed) return `(raw entry, ${e.bytes.length} bytes)`;
  try { return JSON.stringify(JSON.parse(e.text), null, 1); } catch { return e.text.length > 2000 ? e.text.slice(0, 2000) + "…" : e.text; }
}

function remembered(origin) {
  try { return JSON.parse(localStorage.getItem(`tally:checkpoint:${origin}`) || "null"); } catch { return null; }
}
function remember(origin, size, root) {
  try { localStorage.setItem(`tally:checkpoint:${origin}`, JSON.stringify({ size: Number(size), root: toHex(root) })); } catch { /* private mode */ }
}

export async function renderLog(root, { regime }, params, setParams) {
  if (!regime.logs.length) {
    root.replaceChildren(el("h1", {}, "The log"), el("p", { role: "note" }, NO_REGIME));
    return;
  }
  const log = regime.logs.find((l) => l.party === params.log) || regime.logs[0];
  const bin = BINS.includes(params.bin) ? params.bin : "month";
  const all = await Promise.all(regime.logs.map((l) => readLog(l).catch((e) => ({ log: l, error: e }))));
  const me = all.find((x) => x.log === log);
  const header = [
    el("h1", {}, "The log"),
    el("p", {}, `Each party of “${regime.network}” keeps its own log; every check on this page runs in your browser (WebCrypto SHA-256 and Ed25519), against the keys of the network file — nothing the server says is taken on trust.`),
    el("label", {}, "Log ",
      el("select", { id: "log", on: { change: (e) => setParams({ log: e.target.value, bin: params.bin }) } },
        regime.logs.map((l) => el("option", { value: l.party, selected: l === log }, `${l.party} (${l.origin})`)))),
  ];
  if (me.error) {
    root.replaceChildren(...header, el("p", { role: "alert" }, `Could not read ${log.party}'s log: ${me.error.message}`));
    return;
  }
  const { cp, signed } = me;
  const sizeOk = cp.ok;

  // Checkpoint and cosignatures.
  const cos = sizeOk ? await verifyCosignatures(me.note, log.witnesses.map((w) => w.key)) : [];
  const good = cos.filter((c) => c.ok).length;
  const known = new Set(log.witnesses.map((w) => w.name).concat([log.origin]));
  const strangers = signatureLines(me.note).filter((l) => !known.has(l.name));
  const cpSection = el("section", { "aria-labelledby": "cp-h" },
    el("h2", { id: "cp-h" }, "Checkpoint"),
    sizeOk ? el("dl", { class: "facts" },
      el("dt", {}, "origin"), el("dd", {}, cp.origin),
      el("dt", {}, "size"), el("dd", { id: "cp-size" }, fmt(Number(cp.size)), " entries"),
      el("dt", {}, "root"), el("dd", {}, el("code", {}, toHex(cp.root)))) : el("p", { role: "alert" }, cp.error),
    verdict("signature-result", signed.ok && me.origin_ok,
      `signed by ${log.origin} (key ${log.key.split("+")[1]}, pinned by the network file)`,
      signed.ok ? `the checkpoint names ${cp.origin}, not ${log.origin}` : signed.error),
    el("h3", {}, "Cosignatures"),
    el("p", {}, `The network asks for ${regime.cosignatures} cosignature${regime.cosignatures === 1 ? "" : "s"} by the log's ${log.witnesses.length} witness${log.witnesses.length === 1 ? "" : "es"}: `,
      el("strong", { id: "cosignature-policy" }, good >= regime.cosignatures ? `met (${good} valid)` : `not met (${good} valid)`), "."),
    cos.length || strangers.length
      ? table([...cos.map((c) => ({ name: c.name, time: c.time ? iso(c.time) : "", status: c.ok ? "✓ valid" : `✗ ${c.error}` })),
        ...strangers.map((l) => ({ name: l.name, time: "", status: "not counted: no key in the network file" }))],
      [{ key: "name", label: "witness" }, { key: "time", label: "as of" }, { key: "status", label: "status" }])
      : el("p", {}, "No cosignature on this checkpoint."),
    me.truncated ? el("p", { role: "note" }, `Showing the first ${fmt(MAX_ENTRIES)} entries only; the whole-log check is skipped.`)
      : verdict("entries-result", me.allVerified, `all ${fmt(me.entries.length)} entries hash to the signed root`, "the entries do not hash to the signed root (a tile or bundle was altered, or the signature failed)"),
  );
  // What this browser saw before this visit, read before today's checkpoint replaces it.
  const prev = remembered(log.origin);
  if (signed.ok && me.origin_ok && me.allVerified && (!prev || prev.size <= Number(cp.size))) remember(log.origin, cp.size, cp.root);

  // Entries by kind over time.
  const { rows, untyped } = entriesByKind(me.entries, bin);
  const kinds = [...new Set(rows.map((r) => r.kind_name))];
  // One dot per kind and period, its area the count, the count written beside it for months:
  // kinds differ by a hundredfold, which one shared bar scale would flatten.
  const chart = rows.length ? Plot.plot({
    width: 900, height: 70 + 34 * kinds.length, marginLeft: 130, marginRight: 30,
    x: { type: "utc", label: null, grid: true },
    y: { label: null, domain: kinds },
    r: { range: [2, bin === "day" ? 7 : 14] },
    marks: [
      Plot.dot(rows, { x: (r) => new Date((r.start.getTime() + r.end.getTime()) / 2), y: "kind_name", r: "count", fill: "#4e79a7", fillOpacity: 0.6, stroke: "#1d1d1d", strokeWidth: 0.5,
        title: (r) => `${r.kind_name}, ${r.period}: ${fmt(r.count)} entr${r.count === 1 ? "y" : "ies"}` }),
      bin === "month" ? Plot.text(rows, { x: (r) => new Date((r.start.getTime() + r.end.getTime()) / 2), y: "kind_name", text: (r) => String(r.count), dy: -15, fontSize: 9 }) : null,
    ],
  }) : el("p", {}, "No typed entries.");
  if (rows.length) {
    chart.setAttribute("role", "img");
    chart.setAttribute("aria-label", `Entries of ${log.party}'s log by kind and ${bin}: ${kinds.join(", ")}`);
  }
  const binSelect = el("label", {}, "Period ",
    el("select", { id: "bin", on: { change: (e) => setParams({ ...params, bin: e.target.value }) } },
      BINS.map((b) => el("option", { value: b, selected: b === bin }, b))));
  const entryCsvName = `log-${log.party}-by-kind.csv`;
  const kindsFrame = chartFrame({
    id: "kinds", title: `${log.party}'s log: entries by kind, per ${bin}`, chart,
    source: `${log.base}tile/entries/… (c2sp.org/tlog-tiles), decoded here (docs/formats/log-entry.md)${untyped ? `; ${untyped} raw entries have no time and are not shown` : ""}`,
    csvName: entryCsvName, csv: () => toCsv(rows, KIND_COLUMNS),
    metadata: () => ({ title: "Log entries by kind and period", log: { party: log.party, origin: log.origin, size: Number(cp.size), root: sizeOk ? toHex(cp.root) : null }, bin, columns: KIND_COLUMNS, verified: me.allVerified }),
    tableView: table(rows, [{ key: "kind_name", label: "kind" }, { key: "period", label: bin }, { key: "count", label: "entries", format: (r) => fmt(r.count) }]),
  });

  // One entry and its inclusion proof.
  const size = sizeOk ? Number(cp.size) : 0;
  const idx = Number.isSafeInteger(Number(params.entry)) && Number(params.entry) >= 0 && Number(params.entry) < size ? Number(params.entry) : Math.max(0, size - 1);
  const entrySection = el("section", { "aria-labelledby": "entry-h" }, el("h2", { id: "entry-h" }, "An entry and its inclusion proof"));
  if (size) {
    const input = el("input", { id: "entry", type: "number", min: 0, max: size - 1, value: idx, "aria-describedby": "entry-help" });
    const form = el("form", { on: { submit: (e) => { e.preventDefault(); setParams({ ...params, entry: input.value }); } } },
      el("label", {}, "Entry index ", input), " ", el("button", { type: "submit" }, "Verify"),
      el("span", { id: "entry-help", class: "source" }, ` 0–${fmt(size - 1)}`));
    const e = me.entries[idx] ?? { index: idx, ...decodeEntry(await me.tiles.entry(idx)), bytes: await me.tiles.entry(idx) };
    const leaf = await leafHash(e.bytes);
    let proof = [], ok = false, why = "";
    try {
      proof = await me.tiles.inclusionProof(idx);
      ok = signed.ok && me.origin_ok && (await verifyInclusion(leaf, idx, cp.size, proof, cp.root));
      why = !signed.ok ? "the checkpoint's signature does not verify" : "the proof does not hash to the signed root";
    } catch (err) { why = err.message; }
    entrySection.append(form,
      el("dl", { class: "facts" },
        el("dt", {}, "index"), el("dd", {}, String(idx)),
        el("dt", {}, "kind"), el("dd", {}, e.typed ? `${e.kind} ${kindName(e.kind)}` : "raw"),
        el("dt", {}, "party"), el("dd", {}, e.typed ? e.party : ""),
        el("dt", {}, "time"), el("dd", {}, e.typed ? iso(e.time) : ""),
        el("dt", {}, "leaf hash"), el("dd", {}, el("code", {}, toHex(leaf)))),
      el("pre", { class: "payload" }, payloadText(e)),
      verdict("inclusion-result", ok, `entry ${idx} is in the tree of size ${fmt(size)} whose root ${log.origin} signed (RFC 9162 §2.1.3.2)`, why),
      el("p", {}, `Inclusion proof (${proof.length} hashes, leaf to root):`), hashList(proof));
  }

  // Consistency with an earlier checkpoint.
  const others = all.filter((x) => x !== me && !x.error && x.allVerified).map((x) => ({ party: x.log.party, entries: x.entries }));
  const cited = citedCheckpoints(log.party, others).filter((c) => c.size <= size);
  const choices = [...new Map(cited.map((c) => [`${c.size}`, { ...c, label: `size ${fmt(c.size)}, cited by ${c.by.party} log entry ${c.by.index} (${c.by.kind})` }])).values()];
  if (prev && prev.size <= size && !choices.some((c) => c.size === prev.size && c.root === prev.root)) {
    choices.push({ size: prev.size, root: prev.root, label: `size ${fmt(prev.size)}, seen by this browser before` });
  }
  const consSection = el("section", { "aria-labelledby": "cons-h" }, el("h2", { id: "cons-h" }, "Consistency with an earlier checkpoint"),
    el("p", {}, "An earlier checkpoint of this log — cited by another party in its own log, or seen by this browser — and the proof that today's tree extends it: no entry was changed or removed since."));
  if (choices.length && size) {
    choices.sort((a, b) => a.size - b.size);
    // By default the latest earlier tree: a checkpoint of today's size proves nothing new.
    const from = choices.find((c) => String(c.size) === params.from) || choices.filter((c) => c.size < size).pop() || choices[choices.length - 1];
    const select = el("select", { id: "from", on: { change: (e) => setParams({ ...params, from: e.target.value }) } },
      choices.map((c) => el("option", { value: c.size, selected: c === from }, c.label)));
    let proof = [], ok = false, why = "the proof does not lead from the earlier root to the signed root";
    const oldRoot = fromHex(from.root);
    try {
      proof = from.size > 0 ? await me.tiles.consistencyProof(from.size) : [];
      ok = signed.ok && me.origin_ok && from.size > 0 && (await verifyConsistency(from.size, cp.size, proof, oldRoot, cp.root));
      if (!signed.ok) why = "the checkpoint's signature does not verify";
    } catch (err) { why = err.message; }
    consSection.append(el("label", {}, "Earlier checkpoint ", select),
      el("p", {}, "Earlier root: ", el("code", {}, from.root)),
      verdict("consistency-result", ok, `the tree of size ${fmt(size)} extends the tree of size ${fmt(from.size)} (RFC 9162 §2.1.4.2)`, why),
      el("p", {}, `Consistency proof (${proof.length} hashes):`), hashList(proof),
      el("details", {}, el("summary", {}, `Every earlier checkpoint known (${choices.length})`),
        table(choices, [
          { key: "size", label: "size", format: (c) => el("a", { href: `#/log?${new URLSearchParams({ ...params, log: log.party, from: c.size })}` }, fmt(c.size)) },
          { key: "root", label: "root", format: (c) => el("code", {}, c.root.slice(0, 16) + "…") },
          { key: "label", label: "known from", format: (c) => c.label.replace(/^size [0-9,]+, /, "") },
        ])));
  } else {
    consSection.append(el("p", {}, "No earlier checkpoint of this log is known yet: no other party's log cites one, and this browser has not seen one before."));
  }

  // Every entry, linked to its proof: the page's text index.
  const list = el("details", {}, el("summary", {}, `All ${fmt(me.entries.length)} entries`),
    table(me.entries, [
      { key: "index", label: "index", format: (r) => el("a", { href: `#/log?${new URLSearchParams({ ...params, log: log.party, entry: r.index })}` }, String(r.index)) },
      { key: "time", label: "time", format: (r) => (r.typed ? iso(r.time) : "") },
      { key: "kind", label: "kind", format: (r) => (r.typed ? kindName(r.kind) : "raw") },
      { key: "party", label: "party", format: (r) => (r.typed ? r.party : "") },
      { key: "bytes", label: "bytes", format: (r) => String(r.bytes.length) },
    ]));

  root.replaceChildren(...header, cpSection, el("h2", {}, "Entries by kind over time"), binSelect, kindsFrame, entrySection, consSection, list);
}

// Verifying the log in the browser (and in Node) with WebCrypto only: RFC 9162 Merkle tree
// hashes, inclusion and consistency proofs (docs: shared tlog reference §1.3), and C2SP signed
// notes with Ed25519 (checkpoints). The groundwork of the Log page: a proof shown as verified is
// checked here, against a checkpoint whose signature is checked here, with the key from the
// network file. All functions are async (crypto.subtle) and never throw on bad input: they
// return false or an {ok: false, error} value.

const subtle = globalThis.crypto.subtle;
const enc = new TextEncoder();

export async function sha256(bytes) {
  return new Uint8Array(await subtle.digest("SHA-256", bytes));
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

export const leafHash = (data) => sha256(concat(Uint8Array.of(0), data));
export const nodeHash = (l, r) => sha256(concat(Uint8Array.of(1), l, r));

export function equalBytes(a, b) {
  if (!a || !b || a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

const is32 = (h) => h instanceof Uint8Array && h.length === 32;

// RFC 9162 §2.1.3.2. Sizes and indices as BigInt or Number (converted to BigInt).
export async function verifyInclusion(leaf, index, treeSize, proof, root) {
  let fn = BigInt(index), sn = BigInt(treeSize) - 1n;
  if (fn > sn || !is32(leaf) || !is32(root) || !proof.every(is32)) return false;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      r = await nodeHash(p, r);
      if ((fn & 1n) === 0n) while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
    } else {
      r = await nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && equalBytes(r, root);
}

// RFC 9162 §2.1.4.2, 0 < first < second (first === second: empty proof, equal roots).
export async function verifyConsistency(first, second, proof, firstRoot, secondRoot) {
  const m = BigInt(first), n = BigInt(second);
  if (!is32(firstRoot) || !is32(secondRoot) || !proof.every(is32)) return false;
  if (m === n) return proof.length === 0 && equalBytes(firstRoot, secondRoot);
  if (m === 0n || m > n || proof.length === 0) return false;
  const path = (m & (m - 1n)) === 0n ? [firstRoot, ...proof] : proof;
  let fn = m - 1n, sn = n - 1n;
  while ((fn & 1n) === 1n) { fn >>= 1n; sn >>= 1n; }
  let fr = path[0], sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      if ((fn & 1n) === 0n) while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
    } else {
      sr = await nodeHash(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return equalBytes(fr, firstRoot) && equalBytes(sr, secondRoot) && sn === 0n;
}

export function fromBase64(s) {
  const bin = atob(s);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

// "<name>+<8 hex key ID>+<base64(type || 32-byte key)>": split on the first two '+' only. Type
// 0x01 is a log's Ed25519 key, 0x04 a witness's tlog-cosignature/v1 key.
export async function parseVkey(vkey, type = 1) {
  const a = vkey.indexOf("+"), b = vkey.indexOf("+", a + 1);
  if (a <= 0 || b < 0) return { ok: false, error: "vkey: expected name+keyid+key" };
  const name = vkey.slice(0, a), idHex = vkey.slice(a + 1, b);
  let raw;
  try { raw = fromBase64(vkey.slice(b + 1)); } catch { return { ok: false, error: "vkey: bad base64" }; }
  if (raw.length !== 33 || raw[0] !== type) {
    return { ok: false, error: type === 1 ? "vkey: not an Ed25519 key" : "vkey: not a cosignature/v1 key" };
  }
  const id = (await sha256(concat(enc.encode(name + "\n"), raw))).slice(0, 4);
  const hex = [...id].map((x) => x.toString(16).padStart(2, "0")).join("");
  if (hex !== idHex) return { ok: false, error: "vkey: key ID does not match the key" };
  return { ok: true, name, keyId: id, publicKey: raw.slice(1) };
}

// The signature lines of a note: "— <name> <base64>" each, with the key ID (hex) and the
// signature bytes after it; lines that are not of that form are left out.
export function signatureLines(note) {
  const split = note.lastIndexOf("\n\n");
  if (split < 0) return [];
  const out = [];
  for (const line of note.slice(split + 2).split("\n")) {
    const m = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!m) continue;
    let raw;
    try { raw = fromBase64(m[2]); } catch { continue; }
    if (raw.length < 5) continue;
    out.push({ name: m[1], keyId: toHex(raw.slice(0, 4)), sig: raw.slice(4) });
  }
  return out;
}

export const toHex = (b) => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");

// Every cosignature (tlog-cosignature/v1) on a checkpoint note, checked against the witness keys
// the network lists for its log: [{name, ok, time, error}], one per signature line that names
// one of those witnesses. A line by an unknown key is not counted: only the network's keys speak
// for a witness.
export async function verifyCosignatures(note, witnessVkeys) {
  const split = note.lastIndexOf("\n\n");
  if (split < 0) return [];
  const text = note.slice(0, split + 1);
  const lines = signatureLines(note);
  const out = [];
  for (const vkey of witnessVkeys) {
    const key = await parseVkey(vkey, 4);
    if (!key.ok) { out.push({ name: vkey.split("+")[0], ok: false, error: key.error }); continue; }
    const line = lines.find((l) => l.name === key.name && l.keyId === toHex(key.keyId));
    if (!line) continue;
    if (line.sig.length !== 72) { out.push({ name: key.name, ok: false, error: "cosignature: not 72 bytes" }); continue; }
    const time = new DataView(line.sig.buffer, line.sig.byteOffset, 8).getBigUint64(0);
    const msg = enc.encode(`cosignature/v1\ntime ${time}\n${text}`);
    let good = false;
    try {
      const pub = await subtle.importKey("raw", key.publicKey, { name: "Ed25519" }, false, ["verify"]);
      good = await subtle.verify("Ed25519", pub, line.sig.slice(8), msg);
    } catch (e) {
      out.push({ name: key.name, ok: false, error: `this browser has no Ed25519 in WebCrypto (${e.message})` });
      continue;
    }
    out.push({ name: key.name, ok: good, time: Number(time), error: good ? undefined : `cosignature by ${key.name} does not verify` });
  }
  return out;
}

export const fromHex = (s) => (/^([0-9a-f]{2})*$/.test(s) ? Uint8Array.from(s.match(/../g) || [], (x) => parseInt(x, 16)) : null);

// A signed note verified against one known key: the text's signature by that key must be
// present and valid. Returns {ok, text} or {ok: false, error}.
export async function verifyNote(note, vkey) {
  const key = await parseVkey(vkey);
  if (!key.ok) return key;
  const split = note.lastIndexOf("\n\n");
  if (split < 0 || !note.endsWith("\n")) return { ok: false, error: "note: no signature block" };
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split("\n");
  let pub;
  try {
    pub = await subtle.importKey("raw", key.publicKey, { name: "Ed25519" }, false, ["verify"]);
  } catch (e) {
    return { ok: false, error: `this browser has no Ed25519 in WebCrypto (${e.message})` };
  }
  for (const line of lines) {
    const m = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!m || m[1] !== key.name) continue;
    let sig;
    try { sig = fromBase64(m[2]); } catch { continue; }
    if (sig.length !== 68 || !equalBytes(sig.slice(0, 4), key.keyId)) continue;
    const good = await subtle.verify("Ed25519", pub, sig.slice(4), enc.encode(text));
    return good ? { ok: true, text } : { ok: false, error: `note: signature by ${key.name} does not verify` };
  }
  return { ok: false, error: `note: no signature by ${key.name}` };
}

// The checkpoint body: origin, tree size, base64 root hash, then extension lines.
export function parseCheckpoint(text) {
  const lines = text.split("\n");
  if (lines.length < 4 || !/^(0|[1-9][0-9]*)$/.test(lines[1])) return { ok: false, error: "checkpoint: bad size line" };
  let root;
  try { root = fromBase64(lines[2]); } catch { return { ok: false, error: "checkpoint: bad root" }; }
  if (root.length !== 32) return { ok: false, error: "checkpoint: root is not 32 bytes" };
  return { ok: true, origin: lines[0], size: BigInt(lines[1]), root };
}

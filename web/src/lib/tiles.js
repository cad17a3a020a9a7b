// Reading a log served as C2SP tlog-tiles (docs/formats/log-storage.md) in the browser: tile
// paths, hash tiles, entry bundles, the typed entries of docs/formats/log-entry.md, and RFC 9162
// inclusion and consistency proofs assembled from the tiles. Nothing read here is trusted: a
// proof built from the tiles is worth something only once tlog.js verifies it against a root
// whose signature it has checked, so that a tampered tile shows as a failed proof.
import { leafHash, nodeHash, sha256 } from "./tlog.js";

// 1234067 -> "x001/x234/067": 3-digit groups, all but the last prefixed "x".
export function tileIndexPath(n) {
  let s = String(n);
  s = s.padStart(Math.ceil(s.length / 3) * 3, "0");
  const groups = s.match(/.../g);
  return groups.map((g, i) => (i < groups.length - 1 ? "x" + g : g)).join("/");
}

// "tile/<L>/<N>" or "tile/<L>/<N>.p/<W>"; level "entries" for entry bundles.
export function tilePath(level, index, width, full = 256) {
  return `tile/${level}/${tileIndexPath(index)}${width < full ? `.p/${width}` : ""}`;
}

export const KIND_NAMES = {
  1: "statement", 2: "declaration", 3: "notification", 4: "inspection-request",
  5: "randomness-commit", 6: "randomness-reveal", 7: "opening", 8: "finding", 9: "checkpoint-seen",
};
export const kindName = (k) => KIND_NAMES[k] ?? `kind ${k}`;

const dec = new TextDecoder("utf-8", { fatal: false });

// A typed entry (magic "tly" 01, kind, party, time, payload), or {typed: false} for raw bytes:
// a log may hold any bytes, and an older reader still shows them.
export function decodeEntry(bytes) {
  const b = bytes;
  if (b.length < 17 || b[0] !== 0x74 || b[1] !== 0x6c || b[2] !== 0x79 || b[3] !== 0x01) return { typed: false };
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const kind = v.getUint16(4), p = b[6];
  if (kind === 0 || p < 1 || p > 32 || b.length < 17 + p) return { typed: false };
  const party = String.fromCharCode(...b.subarray(7, 7 + p));
  if (!/^[A-Za-z0-9._-]+$/.test(party)) return { typed: false };
  const time = Number(v.getBigInt64(7 + p));
  const len = v.getUint16(15 + p);
  if (17 + p + len !== b.length) return { typed: false };
  const payload = b.subarray(17 + p);
  return { typed: true, kind, party, time, payload, text: dec.decode(payload) };
}

// An entry bundle: per entry a uint16 big-endian length, then its bytes. Exactly `count`
// entries and nothing after them, or an error.
export function parseBundle(bytes, count) {
  const out = [];
  let o = 0;
  while (o < bytes.length) {
    if (o + 2 > bytes.length) throw new Error("entry bundle: truncated length");
    const n = (bytes[o] << 8) | bytes[o + 1];
    if (o + 2 + n > bytes.length) throw new Error("entry bundle: truncated entry");
    out.push(bytes.subarray(o + 2, o + 2 + n));
    o += 2 + n;
  }
  if (out.length !== count) throw new Error(`entry bundle: ${out.length} entries, expected ${count}`);
  return out;
}

const isPow2 = (n) => n > 0 && (n & (n - 1)) === 0;
// RFC 9162's k: the largest power of two smaller than n (n > 1).
export function splitPoint(n) {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

// The Merkle tree hash of leaf hashes, without recursion (a stack of perfect subtrees), so that
// a whole log's entries can be checked against its root.
export async function rootFromLeafHashes(hashes) {
  if (hashes.length === 0) return sha256(new Uint8Array(0));
  const stack = []; // [hash, size] of perfect subtrees, sizes decreasing
  for (const h of hashes) {
    let cur = [h, 1];
    while (stack.length && stack[stack.length - 1][1] === cur[1]) {
      const [l] = stack.pop();
      cur = [await nodeHash(l, cur[0]), cur[1] * 2];
    }
    stack.push(cur);
  }
  let [r] = stack.pop();
  while (stack.length) r = await nodeHash(stack.pop()[0], r);
  return r;
}

// One log of `size` entries as tiles of height `height` (8 in C2SP; smaller in tests, so that a
// few dozen leaves span several levels). `get(path)` returns the bytes at that path (a fetch
// relative to the log's base URL). Tiles are fetched once each.
export class TileLog {
  constructor(get, size, height = 8) {
    this.get = get;
    this.size = Number(size);
    this.h = height;
    this.width = 2 ** height;
    this.cache = new Map();
  }

  // The width the tree of `size` has for tile `index` at `level` ("entries" counts as 0).
  tileWidth(level, index) {
    const l = level === "entries" ? 0 : level;
    const below = Math.floor(this.size / this.width ** l);
    const full = Math.floor(below / this.width);
    if (index < full) return this.width;
    if (index === full && below % this.width) return below % this.width;
    throw new Error(`tile ${level}/${index} is beyond the tree of size ${this.size}`);
  }

  async tile(level, index) {
    const width = this.tileWidth(level, index);
    const path = tilePath(level, index, width, this.width);
    if (!this.cache.has(path)) {
      this.cache.set(path, (async () => {
        const bytes = await this.get(path);
        if (level === "entries") return parseBundle(bytes, width);
        if (bytes.length !== 32 * width) throw new Error(`${path}: ${bytes.length} bytes, expected ${32 * width}`);
        return bytes;
      })());
    }
    return this.cache.get(path);
  }

  async entry(i) {
    if (!(i >= 0 && i < this.size)) throw new Error(`no entry ${i} in a log of size ${this.size}`);
    return (await this.tile("entries", Math.floor(i / this.width)))[i % this.width];
  }

  async entries(from = 0, to = this.size) {
    const out = [];
    for (let t = Math.floor(from / this.width); t * this.width < to; t++) {
      const bundle = await this.tile("entries", t);
      for (let j = 0; j < bundle.length; j++) {
        const i = t * this.width + j;
        if (i >= from && i < to) out.push(bundle[j]);
      }
    }
    return out;
  }

  // The hash of the perfect subtree of 2^k leaves starting at leaf j * 2^k, from the tile of
  // level floor(k / height) (hashed up k mod height times within it).
  async perfect(k, j) {
    const level = Math.floor(k / this.h), r = k % this.h;
    const n = 2 ** r, first = j * n;
    const tile = await this.tile(level, Math.floor(first / this.width));
    const off = first % this.width;
    let row = [];
    for (let i = 0; i < n; i++) row.push(tile.subarray(32 * (off + i), 32 * (off + i + 1)));
    while (row.length > 1) {
      const next = [];
      for (let i = 0; i < row.length; i += 2) next.push(await nodeHash(row[i], row[i + 1]));
      row = next;
    }
    return row[0];
  }

  // MTH(D[a:b]) for the ranges RFC 9162's recursion visits (a aligned to the split).
  async mth(a, b) {
    const n = b - a;
    if (n === 0) return sha256(new Uint8Array(0));
    if (isPow2(n) && a % n === 0) return this.perfect(Math.log2(n), a / n);
    const k = splitPoint(n);
    return nodeHash(await this.mth(a, a + k), await this.mth(a + k, b));
  }

  // PATH(m, D[0:n]) of RFC 9162 §2.1.3.1, leaf to root.
  async inclusionProof(m, n = this.size) {
    if (!(m >= 0 && m < n && n <= this.size)) throw new Error(`no inclusion proof of ${m} in a tree of size ${n}`);
    const path = async (m, a, b) => {
      if (b - a === 1) return [];
      const k = splitPoint(b - a);
      return m - a < k
        ? [...(await path(m, a, a + k)), await this.mth(a + k, b)]
        : [...(await path(m, a + k, b)), await this.mth(a, a + k)];
    };
    return path(m, 0, n);
  }

  // PROOF(m, D[0:n]) of RFC 9162 §2.1.4.1, 0 < m <= n.
  async consistencyProof(m, n = this.size) {
    if (!(m > 0 && m <= n && n <= this.size)) throw new Error(`no consistency proof from ${m} to ${n}`);
    const sub = async (m, a, b, whole) => {
      const n = b - a;
      if (m === n) return whole ? [] : [await this.mth(a, b)];
      const k = splitPoint(n);
      return m <= k
        ? [...(await sub(m, a, a + k, whole)), await this.mth(a + k, b)]
        : [...(await sub(m - k, a + k, b, false)), await this.mth(a, a + k)];
    };
    return sub(m, 0, n, true);
  }

  async leafHashes() {
    return Promise.all((await this.entries()).map((e) => leafHash(e)));
  }
}

// Tiles written here the way the C++ log writes them (docs/formats/log-storage.md), read back by
// lib/tiles.js: the proofs it assembles equal RFC 9162's recursive definitions, verify with
// lib/tlog.js, and fail once a tile is tampered with. Height 2 (4 hashes a tile) makes a few
// dozen leaves span three tile levels; height 8 checks the real layout.
import { describe, expect, test } from "vitest";
import { decodeEntry, parseBundle, rootFromLeafHashes, splitPoint, TileLog, tileIndexPath, tilePath } from "../src/lib/tiles.js";
import { leafHash, nodeHash, sha256, signatureLines, toHex, verifyConsistency, verifyCosignatures, verifyInclusion } from "../src/lib/tlog.js";

const enc = new TextEncoder();
const hex = toHex;

async function mth(hashes) {
  if (hashes.length === 1) return hashes[0];
  const k = splitPoint(hashes.length);
  return nodeHash(await mth(hashes.slice(0, k)), await mth(hashes.slice(k)));
}
async function path(m, h) {
  if (h.length === 1) return [];
  const k = splitPoint(h.length);
  return m < k ? [...(await path(m, h.slice(0, k))), await mth(h.slice(k))]
    : [...(await path(m - k, h.slice(k))), await mth(h.slice(0, k))];
}
async function subproof(m, h, b) {
  if (m === h.length) return b ? [] : [await mth(h)];
  const k = splitPoint(h.length);
  return m <= k ? [...(await subproof(m, h.slice(0, k), b)), await mth(h.slice(k))]
    : [...(await subproof(m - k, h.slice(k), false)), await mth(h.slice(0, k))];
}

// The files of a log of `entries` with tiles of `height`: path -> bytes.
async function writeTiles(entries, height) {
  const W = 2 ** height, files = new Map();
  let level = await Promise.all(entries.map((e) => leafHash(e)));
  const leaves = level;
  for (let L = 0; level.length > 0; L++) {
    for (let t = 0; t * W < level.length; t++) {
      const row = level.slice(t * W, (t + 1) * W);
      const bytes = new Uint8Array(32 * row.length);
      row.forEach((h, i) => bytes.set(h, 32 * i));
      files.set(tilePath(L, t, row.length, W), bytes);
      if (L === 0) {
        const parts = entries.slice(t * W, (t + 1) * W).flatMap((e) => [Uint8Array.of(e.length >> 8, e.length & 255), e]);
        const bundle = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
        let o = 0;
        for (const p of parts) { bundle.set(p, o); o += p.length; }
        files.set(tilePath("entries", t, row.length, W), bundle);
      }
    }
    // The next tile level: the roots of the full tiles of this one.
    const next = [];
    for (let t = 0; (t + 1) * W <= level.length; t++) next.push(await mth(level.slice(t * W, (t + 1) * W)));
    level = next;
  }
  return { files, leaves };
}
const getter = (files) => async (p) => {
  if (!files.has(p)) throw new Error(`404 ${p}`);
  return files.get(p);
};
const entriesOf = (n) => Array.from({ length: n }, (_, i) => enc.encode(`entry ${i}`));

describe("tile paths", () => {
  test("the format's examples", () => {
    expect(tileIndexPath(1234067)).toBe("x001/x234/067");
    expect(tileIndexPath(5)).toBe("005");
    expect(tilePath(0, 273, 112)).toBe("tile/0/273.p/112");
    expect(tilePath(1, 0, 256)).toBe("tile/1/000");
    expect(tilePath("entries", 1000, 3)).toBe("tile/entries/x001/000.p/3");
  });
  test("widths of a tree of 70,000 (docs/formats/log-storage.md)", () => {
    const log = new TileLog(null, 70000);
    expect(log.tileWidth(0, 272)).toBe(256);
    expect(log.tileWidth(0, 273)).toBe(112);
    expect(log.tileWidth(1, 1)).toBe(17);
    expect(log.tileWidth(2, 0)).toBe(1);
    expect(() => log.tileWidth(0, 274)).toThrow(/beyond/);
  });
});

describe("proofs from tiles", () => {
  test("every inclusion and consistency proof of trees up to 37 leaves, height 2", async () => {
    const entries = entriesOf(37);
    const { files, leaves } = await writeTiles(entries, 2);
    for (const n of [1, 2, 3, 4, 5, 16, 17, 31, 37]) {
      // A log of size n reads only what a tree of n has: the right-edge tiles of size n.
      const { files: f } = await writeTiles(entries.slice(0, n), 2);
      const log = new TileLog(getter(f), n, 2);
      const root = await mth(leaves.slice(0, n));
      for (let m = 0; m < n; m++) {
        const p = await log.inclusionProof(m);
        expect(p.map(hex)).toEqual((await path(m, leaves.slice(0, n))).map(hex));
        expect(await verifyInclusion(await leafHash(await log.entry(m)), m, n, p, root)).toBe(true);
      }
      for (let m = 1; m <= n; m++) {
        const p = await log.consistencyProof(m);
        expect(p.map(hex)).toEqual((await subproof(m, leaves.slice(0, n), true)).map(hex));
        expect(await verifyConsistency(m, n, p, await mth(leaves.slice(0, m)), root)).toBe(true);
      }
      expect(hex(await rootFromLeafHashes(await log.leafHashes()))).toBe(hex(root));
    }
    expect(files.size).toBeGreaterThan(10);
  });

  test("height 8: 300 entries, two level-0 tiles and a level-1 tile", async () => {
    const entries = entriesOf(300);
    const { files, leaves } = await writeTiles(entries, 8);
    expect([...files.keys()].sort()).toEqual(["tile/0/000", "tile/0/001.p/44", "tile/1/000.p/1", "tile/entries/000", "tile/entries/001.p/44"]);
    const log = new TileLog(getter(files), 300);
    const root = await mth(leaves);
    for (const m of [0, 1, 255, 256, 299]) {
      expect(await verifyInclusion(leaves[m], m, 300, await log.inclusionProof(m), root)).toBe(true);
    }
    for (const m of [1, 7, 256, 257, 299]) {
      expect(await verifyConsistency(m, 300, await log.consistencyProof(m), await mth(leaves.slice(0, m)), root)).toBe(true);
    }
    expect((await log.entries(254, 258)).map((e) => new TextDecoder().decode(e))).toEqual(["entry 254", "entry 255", "entry 256", "entry 257"]);
  });

  test("a tampered tile fails the proof; a short tile or bundle is refused", async () => {
    const entries = entriesOf(300);
    const { files, leaves } = await writeTiles(entries, 8);
    const root = await mth(leaves);
    const bad = new Map(files);
    const t = new Uint8Array(files.get("tile/0/000"));
    t[32 * 200] ^= 1; // leaf 200's hash: a sibling in the proof of leaf 201
    bad.set("tile/0/000", t);
    const log = new TileLog(getter(bad), 300);
    expect(await verifyInclusion(leaves[201], 201, 300, await log.inclusionProof(201), root)).toBe(false);
    expect(await verifyConsistency(201, 300, await log.consistencyProof(201), await mth(leaves.slice(0, 201)), root)).toBe(false);
    expect(hex(await rootFromLeafHashes(await new TileLog(getter(bad), 300).leafHashes()))).toBe(hex(root));
    const shortTile = new Map(files);
    shortTile.set("tile/0/001.p/44", files.get("tile/0/001.p/44").slice(0, 32 * 43));
    await expect(new TileLog(getter(shortTile), 300).inclusionProof(299)).rejects.toThrow(/expected 1408/);
    expect(() => parseBundle(files.get("tile/entries/001.p/44"), 45)).toThrow(/44 entries, expected 45/);
    expect(() => parseBundle(files.get("tile/entries/001.p/44").slice(0, -1), 44)).toThrow(/truncated/);
  });

  test("the root of no leaves is SHA-256 of nothing", async () => {
    expect(hex(await rootFromLeafHashes([]))).toBe(hex(await sha256(new Uint8Array())));
  });
});

describe("typed entries", () => {
  test("the example of docs/formats/log-entry.md", () => {
    const b = Uint8Array.from("746C7901000302555300000000 6983DD8000056D6F766564".replace(/ /g, "").match(/../g), (x) => parseInt(x, 16));
    expect(decodeEntry(b)).toMatchObject({ typed: true, kind: 3, party: "US", time: Date.UTC(2026, 1, 5) / 1000, text: "moved" });
    expect(decodeEntry(b.slice(0, -1)).typed).toBe(false); // length no longer matches
    const raw = enc.encode("raw line");
    expect(decodeEntry(raw).typed).toBe(false);
  });
});

describe("cosignatures (tlog-cosignature/v1)", () => {
  test("a witness's cosignature verifies under its key only, and not on another checkpoint", async () => {
    const s = globalThis.crypto.subtle;
    const k = await s.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]);
    const pub = new Uint8Array(await s.exportKey("raw", k.publicKey));
    const name = "tally.example/witness";
    const typed = Uint8Array.of(4, ...pub);
    const id = (await sha256(new Uint8Array([...enc.encode(name + "\n"), ...typed]))).slice(0, 4);
    const vkey = `${name}+${hex(id)}+${btoa(String.fromCharCode(...typed))}`;
    const text = `tally.example/us\n3\n${btoa(String.fromCharCode(...new Uint8Array(32)))}\n`;
    const ts = 1796169600n;
    const sig = new Uint8Array(await s.sign("Ed25519", k.privateKey, enc.encode(`cosignature/v1\ntime ${ts}\n${text}`)));
    const tsBytes = new Uint8Array(8);
    new DataView(tsBytes.buffer).setBigUint64(0, ts);
    const line = `\u2014 ${name} ${btoa(String.fromCharCode(...id, ...tsBytes, ...sig))}`;
    const note = `${text}\n\u2014 tally.example/us AAAAAAAA\n${line}\n`;
    expect(signatureLines(note).map((l) => l.name)).toEqual(["tally.example/us", name]);
    expect(await verifyCosignatures(note, [vkey])).toEqual([{ name, ok: true, time: Number(ts), error: undefined }]);
    const other = note.replace("\n3\n", "\n4\n");
    expect((await verifyCosignatures(other, [vkey]))[0].ok).toBe(false);
    // A log key (type 0x01) is no witness key.
    expect((await verifyCosignatures(note, [vkey.replace(/\+[^+]*$/, "+" + btoa(String.fromCharCode(1, ...pub)))]))[0].ok).toBe(false);
  });
});

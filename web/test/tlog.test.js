// RFC 6962's test leaves and roots, proofs made by the RFC's own recursive definitions, and a
// note signed here with WebCrypto's Ed25519.
import { describe, expect, test } from "vitest";
import { leafHash, nodeHash, parseCheckpoint, sha256, verifyConsistency, verifyInclusion, verifyNote } from "../src/lib/tlog.js";

const hex = (b) => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
const b64 = (b) => btoa(String.fromCharCode(...b));
const LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
  .map((h) => Uint8Array.from(h.match(/../g) || [], (x) => parseInt(x, 16)));

const split = (n) => { let k = 1; while (k * 2 < n) k *= 2; return k; };
async function mth(leaves) {
  if (leaves.length === 1) return leafHash(leaves[0]);
  const k = split(leaves.length);
  return nodeHash(await mth(leaves.slice(0, k)), await mth(leaves.slice(k)));
}
async function path(m, leaves) {
  if (leaves.length === 1) return [];
  const k = split(leaves.length);
  return m < k ? [...(await path(m, leaves.slice(0, k))), await mth(leaves.slice(k))]
    : [...(await path(m - k, leaves.slice(k))), await mth(leaves.slice(0, k))];
}
async function subproof(m, leaves, b) {
  const n = leaves.length;
  if (m === n) return b ? [] : [await mth(leaves)];
  const k = split(n);
  return m <= k ? [...(await subproof(m, leaves.slice(0, k), b)), await mth(leaves.slice(k))]
    : [...(await subproof(m - k, leaves.slice(k), false)), await mth(leaves.slice(0, k))];
}

describe("RFC 9162 trees and proofs", () => {
  test("the RFC 6962 reference roots", async () => {
    expect(hex(await sha256(new Uint8Array()))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(hex(await mth(LEAVES.slice(0, 1)))).toBe("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
    expect(hex(await mth(LEAVES))).toBe("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
  });
  test("every inclusion proof verifies, and fails when tampered or moved", async () => {
    for (let n = 1; n <= 8; n++) {
      const root = await mth(LEAVES.slice(0, n));
      for (let i = 0; i < n; i++) {
        const leaf = await leafHash(LEAVES[i]);
        const proof = await path(i, LEAVES.slice(0, n));
        expect(await verifyInclusion(leaf, i, n, proof, root)).toBe(true);
        if (proof.length) {
          const bad = proof.map((p) => p.slice());
          bad[0][0] ^= 1;
          expect(await verifyInclusion(leaf, i, n, bad, root)).toBe(false);
          expect(await verifyInclusion(leaf, i, n, proof.slice(1), root)).toBe(false);
        }
        expect(await verifyInclusion(leaf, n, n, proof, root)).toBe(false);
      }
    }
  });
  test("every consistency proof verifies, and fails against another root", async () => {
    for (let n = 2; n <= 8; n++) {
      const second = await mth(LEAVES.slice(0, n));
      for (let m = 1; m < n; m++) {
        const first = await mth(LEAVES.slice(0, m));
        const proof = await subproof(m, LEAVES.slice(0, n), true);
        expect(await verifyConsistency(m, n, proof, first, second)).toBe(true);
        expect(await verifyConsistency(m, n, proof, second, second)).toBe(false);
        expect(await verifyConsistency(m, n, [...proof, first], first, second)).toBe(false);
      }
    }
  });
});

describe("signed notes and checkpoints", () => {
  test("a checkpoint signed with Ed25519 verifies against its vkey, and not once altered", async () => {
    const s = globalThis.crypto.subtle;
    const k = await s.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]);
    const pub = new Uint8Array(await s.exportKey("raw", k.publicKey));
    const name = "tally.example/us";
    const typed = Uint8Array.of(1, ...pub);
    const id = (await sha256(new Uint8Array([...new TextEncoder().encode(name + "\n"), ...typed]))).slice(0, 4);
    const vkey = `${name}+${hex(id)}+${b64(typed)}`;
    const root = await mth(LEAVES);
    const text = `${name}\n8\n${b64(root)}\n`;
    const sig = new Uint8Array(await s.sign("Ed25519", k.privateKey, new TextEncoder().encode(text)));
    const note = `${text}\n\u2014 ${name} ${b64(new Uint8Array([...id, ...sig]))}\n`;
    const v = await verifyNote(note, vkey);
    expect(v).toEqual({ ok: true, text });
    const cp = parseCheckpoint(v.text);
    expect(cp.ok && cp.size).toBe(8n);
    expect(hex(cp.root)).toBe(hex(root));
    expect((await verifyNote(note.replace("\n8\n", "\n9\n"), vkey)).ok).toBe(false);
    expect((await verifyNote(note, vkey.replace(name, "other.example/log"))).ok).toBe(false);
  });
});

#!/usr/bin/env python3
"""Independent reference implementation of tally's joint-randomness seed and sampler
(docs/formats/joint-randomness.md), used to produce and check the test vectors in
src/tally/inspect/joint_randomness_test.cc. Standard library only.

Usage: sampler_reference.py            prints the vectors
"""
import hashlib
import struct


def commitment(round_id: str, party: str, secret: bytes) -> bytes:
    r, p = round_id.encode(), party.encode()
    return hashlib.sha256(b"tally/randomness/commit/v1" + struct.pack(">H", len(r)) + r
                          + bytes([len(p)]) + p + secret).digest()


def seed(round_id: str, secrets: dict, beacon: bytes = None) -> bytes:
    r = round_id.encode()
    tag = b"tally/randomness/seed/v1" if beacon is None else b"tally/randomness/fallback/v1"
    data = tag + struct.pack(">H", len(r)) + r + (beacon or b"")
    for party in sorted(secrets, key=lambda s: s.encode()):
        p = party.encode()
        data += bytes([len(p)]) + p + secrets[party]
    return hashlib.sha256(data).digest()


class Sampler:
    def __init__(self, seed_bytes: bytes, label: str):
        self.seed, self.label, self.block, self.words = seed_bytes, label.encode(), 0, []

    def next(self) -> int:
        if not self.words:
            d = hashlib.sha256(b"tally/sample/v1" + self.seed + struct.pack(">H", len(self.label))
                               + self.label + struct.pack(">Q", self.block)).digest()
            self.words = list(struct.unpack(">4Q", d))
            self.block += 1
        return self.words.pop(0)

    def below(self, n: int) -> int:
        limit = (1 << 64) - ((1 << 64) % n)
        while True:
            x = self.next()
            if x < limit:
                return x % n


def select(seed_bytes: bytes, label: str, n: int, k: int):
    s, a, out = Sampler(seed_bytes, label), {}, []
    for i in range(k):
        j = i + s.below(n - i)
        vi, vj = a.get(i, i), a.get(j, j)
        a[i], a[j] = vj, vi
        out.append(vj)
    return out


def main():
    secrets = {"US": bytes(range(32)), "RU": bytes(range(32, 64)), "CN": bytes([7] * 32)}
    for party, sec in sorted(secrets.items()):
        print("commit", party, commitment("2026/type-one/1", party, sec).hex())
    s = seed("2026/type-one/1", secrets)
    print("seed", s.hex())
    print("fallback", seed("2026/type-one/1", {"US": secrets["US"]}, beacon=bytes([0xAB] * 32)).hex())
    print("sites", select(s, "sites", 12, 3))
    print("items", select(s, "items/Minot", 150, 5))
    print("big", select(s, "items", 10_000_000, 4))
    print("all", select(bytes(32), "x", 5, 5))


if __name__ == "__main__":
    main()

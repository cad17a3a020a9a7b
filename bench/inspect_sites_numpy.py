#!/usr/bin/env python3
"""NumPy peer of tally's two-stage site regime (src/tally/inspect/monte_carlo.cc), same model:
each trial visits `visits` distinct sites chosen by successive draws weighted by site size (without
replacement), designates one item per visit, and detects when any designated item is defective.
Vectorised across the trials of a batch, as a NumPy user writes it: per visit, a cumulative sum of
the weights left, one uniform per trial to pick a site, one uniform per trial against the site's
miss probability (1 - cheats/items: exact for one item per visit), and the visited site's weight
set to zero. Batches of 8192 trials keep the working arrays in cache (200 000-trial batches, 19 MB
of weights and sums, ran about 35 % slower). Prints trials per second (single core) on stdout.
Usage: inspect_sites_numpy.py TRIALS"""
import sys
import time

import numpy as np

ITEMS = np.array([150, 150, 150, 120, 160, 20, 46, 60, 90, 30, 40, 80], dtype=np.float64)
CHEATS = np.array([8, 0, 0, 7, 0, 0, 0, 5, 0, 0, 0, 0], dtype=np.float64)
VISITS = 10


def simulate(trials, rng, batch=8192):
    detections = 0
    miss = 1.0 - CHEATS / ITEMS  # one item per visit: P(the item is clean)
    done = 0
    while done < trials:
        b = min(batch, trials - done)
        w = np.tile(ITEMS, (b, 1))
        caught = np.zeros(b, dtype=bool)
        rows = np.arange(b)
        for _ in range(VISITS):
            cum = np.cumsum(w, axis=1)
            u = rng.random(b) * cum[:, -1]
            j = (cum < u[:, None]).sum(axis=1)
            j = np.minimum(j, len(ITEMS) - 1)
            caught |= rng.random(b) >= miss[j]
            w[rows, j] = 0.0
        detections += int(caught.sum())
        done += b
    return detections


def main():
    trials = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    rng = np.random.default_rng(1)
    t0 = time.perf_counter()
    simulate(trials, rng)
    elapsed = time.perf_counter() - t0
    print(f"{trials / elapsed:.1f}")


if __name__ == "__main__":
    main()

"""NumPy peer of scenario_bench: a 10,000-member ensemble of a monthly 10-year 3-party
Richardson projection (the arms-race-3party scenario's dynamics), vectorised across members,
then the 5/25/50/75/95 % bands. Prints the best of 3 runs in ms."""
import sys
import time

import numpy as np

M, T, S = 10000, 120, 3


def run():
    rng = np.random.default_rng(20260205)
    x = np.array([3700.0, 4309.0, 600.0]) * np.ones((M, S))
    g = np.stack([rng.normal(0, 20, M), rng.normal(0, 20, M), rng.uniform(60, 140, M)], 1)
    a = np.stack([rng.uniform(0.02, 0.05, M), rng.uniform(0.02, 0.05, M), np.zeros(M)], 1)
    k_us_ru, k_us_cn = rng.uniform(0.015, 0.04, M), rng.uniform(0, 0.1, M)
    k_ru_us, k_cn_us = rng.uniform(0.015, 0.04, M), rng.uniform(0, 0.02, M)
    max_rate = np.array([500.0, 500.0, 300.0])
    out = np.empty((T, M, S))
    out[0] = x
    dt = 1 / 12
    for t in range(1, T):
        r = g - a * x
        r[:, 0] += k_us_ru * x[:, 1] + k_us_cn * x[:, 2]
        r[:, 1] += k_ru_us * x[:, 0]
        r[:, 2] += k_cn_us * x[:, 0]
        x = np.maximum(x + np.clip(r, -max_rate, max_rate) * dt, 0)
        out[t] = x
    return np.percentile(out, [5, 25, 50, 75, 95], axis=1)


best = float("inf")
for _ in range(int(sys.argv[1]) if len(sys.argv) > 1 else 3):
    t0 = time.perf_counter()
    run()
    best = min(best, time.perf_counter() - t0)
print(f"{best * 1000:.1f}")

"""NumPy peer of estimate_bench: Kalman filter + RTS smoother of a local linear trend for
9 series x 36,500 daily steps, an observation at every step. Vectorised across the 9 series,
a Python loop over time (the recursion is sequential). Prints the best of 3 runs in ms."""
import sys
import time

import numpy as np

S, T = 9, 36500
dt = 1.0 / 365.2425
F = np.array([[1.0, dt], [0.0, 1.0]])
q_level, q_rate = 50.0, 20.0
Q = np.array([[q_level**2 * dt + q_rate**2 * dt**3 / 3, q_rate**2 * dt**2 / 2],
              [q_rate**2 * dt**2 / 2, q_rate**2 * dt]])
R = 25.0**2
rng = np.random.default_rng(1)
y = 1000 + np.cumsum(rng.normal(0, 3, size=(T, S)), axis=0)


def run():
    m = np.zeros((S, 2)); m[:, 0] = y[0]
    P = np.tile(np.diag([1e6, 1e4]), (S, 1, 1))
    mf = np.empty((T, S, 2)); Pf = np.empty((T, S, 2, 2))
    mp = np.empty((T, S, 2)); Pp = np.empty((T, S, 2, 2))
    for t in range(T):
        if t:
            m = m @ F.T
            P = F @ P @ F.T + Q
        mp[t], Pp[t] = m, P
        s = P[:, 0, 0] + R
        k = P[:, :, 0] / s[:, None]
        m = m + k * (y[t] - m[:, 0])[:, None]
        P = P - k[:, :, None] * P[:, 0, :][:, None, :]
        mf[t], Pf[t] = m, P
    ms, Ps = mf.copy(), Pf.copy()
    for t in range(T - 1, 0, -1):
        C = Pf[t - 1] @ F.T @ np.linalg.inv(Pp[t])
        ms[t - 1] = mf[t - 1] + np.einsum("sij,sj->si", C, ms[t] - mp[t])
        Ps[t - 1] = Pf[t - 1] + C @ (Ps[t] - Pp[t]) @ np.transpose(C, (0, 2, 1))
    return ms


best = float("inf")
for _ in range(int(sys.argv[1]) if len(sys.argv) > 1 else 3):
    t0 = time.perf_counter()
    run()
    best = min(best, time.perf_counter() - t0)
print(f"{best * 1000:.1f}")

"""tally: open, verifiable accounting of nuclear arsenals under arms-control treaties.

The same library as the `tally` command line, seen from Python: datasets, estimates, upload
capacity, projections and treaty checks, returned as pandas DataFrames and NumPy arrays.

    import tally
    tally.figures()                                   # every sourced figure (DataFrame)
    tally.estimate("RU", "new_start_warheads", step="month", start="2011-02", end="2028-01")
    tally.upload("US")                                # per-system upload breakdown
    tally.project("china-buildup", members=1000)      # bands per series, limits, sha256
    tally.check("new-start", "US", "2023-03-01", {"deployed_warheads": 1419})
"""
from __future__ import annotations

import os
from typing import Any, Iterable, Mapping

import numpy as np
import pandas as pd

from . import _core

__all__ = ["figures", "estimate", "calibrate", "upload", "project", "check"]


def figures() -> pd.DataFrame:
    """Every figure of the embedded datasets (FAS, SIPRI, history, the 2026 article)."""
    df = pd.DataFrame(_core.figures())
    df["as_of"] = pd.to_datetime(df["as_of"])
    return df


def estimate(state: str, category: str = "military_stockpile", start: str = "2000-01-01",
             end: str = "2030-01-01", step: str = "year", method: str = "auto", seed: int = 1,
             particles: int = 1000, evidence_files: Iterable[str] = (),
             defaults: bool = True) -> pd.DataFrame:
    """Median, 50 % and 90 % intervals per date as a DataFrame indexed by date.

    The DataFrame's attrs hold the method, the last declared date and the sources used and
    rejected (attrs["sources"], a DataFrame with a reason for every rejection).
    """
    r = _core.estimate(state, category, start, end, step, method, seed, particles,
                       list(evidence_files), defaults)
    df = pd.DataFrame({k: r[k] for k in ("median", "p05", "p25", "p75", "p95", "mean", "sd")},
                      index=pd.to_datetime(r["date"]))
    df.index.name = "date"
    df.attrs.update(state=r["state"], category=r["category"], method=r["method"],
                    last_declared=r["last_declared"], sources=pd.DataFrame(r["sources"]))
    return df


def calibrate(k: int = 6) -> pd.DataFrame:
    """The calibration table on the New START exchanges (withhold the last k)."""
    df = pd.DataFrame(_core.calibrate(k))
    df["share50"] = df["in50"] / df["withheld"]
    df["share90"] = df["in90"] / df["withheld"]
    return df


def upload(state: str = "", case: str = "") -> pd.DataFrame:
    """Per-system upload breakdown for US/RU (all cases unless `case` is given)."""
    return pd.DataFrame(_core.upload(state, case))


def project(scenario: str, ensemble: bool = True, members: int = 0, seed: int = -1,
            threads: int = 2) -> dict[str, Any]:
    """Run a scenario (a file path, TOML text, or a shipped scenario's name).

    Returns a dict: name, sha256, members, seed, series (one DataFrame of central and band
    columns per series, indexed by date) and limits (a DataFrame).
    """
    if os.path.exists(scenario):
        with open(scenario, encoding="utf-8") as f:
            text, name = f.read(), scenario
    elif "\n" in scenario:
        text, name = scenario, "<text>"
    else:
        name = "scenarios/" + scenario + ".toml"
        text = _core.shipped_scenario(name)
    r = _core.project(text, name, ensemble, members, seed, threads)
    index = pd.to_datetime(r["date"])
    series = {k: pd.DataFrame(v, index=index) for k, v in r["series"].items()}
    return {"name": r["name"], "sha256": r["sha256"], "members": r["members"], "seed": r["seed"],
            "series": series, "limits": pd.DataFrame(r["limits"])}


def check(treaty: str, party: str, date: str, counts: Mapping[str, int]) -> dict[str, Any]:
    """A posture (counts by quantity id) checked against a treaty at a date."""
    r = _core.check(treaty, party, date, {k: int(v) for k, v in counts.items()})
    r["limits"] = pd.DataFrame(r["limits"])
    return r

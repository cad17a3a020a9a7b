"""pytest suite for `import tally` (run by scripts/test-python against a build)."""
import numpy as np
import pandas as pd
import pytest

import tally


def test_figures_are_a_dataframe_with_sources():
    df = tally.figures()
    assert isinstance(df, pd.DataFrame)
    assert {"dataset", "state", "category", "as_of", "value", "source"} <= set(df.columns)
    ru = df[(df.state == "RU") & (df.category == "military_stockpile") & (df.as_of.dt.year == 2025)]
    assert 4309 in set(ru.value)


def test_estimate_widens_after_last_exchange():
    df = tally.estimate("RU", "new_start_warheads", start="2011-02-01", end="2028-09-01",
                        step="month")
    assert df.attrs["method"] == "kalman"
    assert df.attrs["last_declared"] == "2022-09-01"
    width = df["p95"] - df["p05"]
    assert width.loc["2026-09-01"] > width.loc["2023-09-01"] > width.loc["2022-09-01"]
    assert (df["p05"] <= df["median"]).all() and (df["median"] <= df["p95"]).all()
    sources = df.attrs["sources"]
    # every exchange 2011-2022 and the 2026 article's "fewer than 1,550" (a New START bound)
    assert len(sources) == 25 and sources.used.all()


def test_estimate_lists_rejections_and_raises_on_bad_input(tmp_path):
    ev = tmp_path / "ev.csv"
    ev.write_text("state,category,date,kind,relation,value,low,high,sd,source,note\n"
                  "FR,military_stockpile,2024,independent,=,290,,,,A,\n"
                  "FR,military_stockpile,2024,independent,=,290,,,,B,\n"
                  "FR,military_stockpile,1990,independent,=,505,,,,C,\n")
    df = tally.estimate("FR", start="2020", end="2026", evidence_files=[str(ev)], defaults=False)
    rejected = df.attrs["sources"][~df.attrs["sources"].used]
    # one posterior: the 1990 figure is used although the window starts in 2020; the reprint
    # of A is counted once
    assert len(rejected) == 1 and "repeats A" in rejected.reason.iloc[0]
    ev.write_text("state,category,date,kind,relation,value,low,high,sd,source,note\n"
                  "FR,military_stockpile,2024,independent,=,-290,,,,A,\n")
    with pytest.raises(ValueError, match=r"ev.csv:2: field 'value'"):
        tally.estimate("FR", evidence_files=[str(ev)], defaults=False)


def test_calibration_table():
    df = tally.calibrate(4)
    assert list(df.k) == [1, 2, 3, 4]
    assert df.in90.sum() >= 0.8 * df.withheld.sum()


def test_upload_reproduces_published_orders():
    df = tally.upload()
    totals = df.groupby(["state", "case"]).apply(lambda g: (g.warheads_loaded + g.added).sum())
    assert abs(totals[("US", "fas-2025")] - 3500) < 50
    assert 2500 <= totals[("RU", "fas-2022")] <= 2850
    assert 2500 <= totals[("RU", "fas-2025")] <= 2850


def test_project_bands_are_numpy_and_reproducible():
    a = tally.project("china-buildup", members=500, seed=3)
    b = tally.project("china-buildup", members=500, seed=3, threads=1)
    cn = a["series"]["CN"]
    assert isinstance(cn["p50"].to_numpy(), np.ndarray)
    assert len(a["sha256"]) == 64
    pd.testing.assert_frame_equal(cn, b["series"]["CN"])
    assert (cn["p05"] <= cn["p95"]).all()
    assert not a["limits"].empty


def test_project_bad_scenario_raises_with_line():
    with pytest.raises(ValueError, match=r"<text>:3: field 'scenario.colour'"):
        tally.project("[scenario]\nname = \"x\"\ncolour = 1\n")


def test_check_new_start():
    r = tally.check("new-start", "US", "2023-03-01", {"deployed_warheads": 1419,
                                                      "deployed_delivery_vehicles": 662,
                                                      "launchers": 800})
    assert r["verdict"] == "compliant"
    r = tally.check("new-start", "US", "2023-03-01", {"deployed_warheads": 1600,
                                                      "deployed_delivery_vehicles": 662,
                                                      "launchers": 800})
    assert r["verdict"] == "violation"

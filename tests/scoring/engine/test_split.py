from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from qingzhai.scoring.engine.data import prepare
from qingzhai.scoring.engine.spec import ScoringError, TrainSpec
from qingzhai.scoring.engine.split import inner_split, split


def frame(n: int = 100, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    y = ((x + rng.normal(size=n)) > 0.5).astype(int)
    dates = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.permutation(n), unit="D")
    return pd.DataFrame({"x": x, "y": y, "date": dates.strftime("%Y-%m-%d")})


def test_time_split_is_out_of_time() -> None:
    df = frame()
    p = prepare(df, TrainSpec(target="y", time_col="date"))
    s = split(p, TrainSpec(target="y", time_col="date", test_size=0.2))
    assert s.method == "time"
    assert len(s.test_idx) == 20 and len(s.train_idx) == 80
    assert p.time is not None
    assert p.time.iloc[s.train_idx].max() < p.time.iloc[s.test_idx].min()
    assert s.cutoff == p.time.iloc[s.test_idx].min().date().isoformat() == "2023-03-22"
    assert sorted(np.r_[s.train_idx, s.test_idx].tolist()) == list(range(100))


def test_time_split_ties_at_cutoff_go_to_test() -> None:
    df = frame(40)
    df["date"] = ["2023-01-01"] * 20 + ["2023-02-01"] * 20
    df["y"] = [0, 1] * 20
    p = prepare(df, TrainSpec(target="y", time_col="date"))
    s = split(p, TrainSpec(target="y", time_col="date", test_size=0.1))
    assert s.test_idx.tolist() == list(range(20, 40))
    assert s.cutoff == "2023-02-01"


def test_stratified_split_seeded_with_both_classes() -> None:
    p = prepare(frame(200), TrainSpec(target="y"))
    a = split(p, TrainSpec(target="y", seed=7))
    b = split(p, TrainSpec(target="y", seed=7))
    c = split(p, TrainSpec(target="y", seed=8))
    assert a.method == "stratified" and a.cutoff is None
    assert np.array_equal(a.train_idx, b.train_idx) and np.array_equal(a.test_idx, b.test_idx)
    assert not np.array_equal(a.test_idx, c.test_idx)
    assert len(a.test_idx) == 40
    assert set(p.y[a.train_idx]) == {0, 1} and set(p.y[a.test_idx]) == {0, 1}
    assert abs(p.y[a.test_idx].mean() - p.y.mean()) < 0.03


def test_split_refuses_a_missing_class() -> None:
    df = frame(40)
    df["date"] = pd.date_range("2023-01-01", periods=40).strftime("%Y-%m-%d")
    df["y"] = [0, 1] * 16 + [0] * 8  # the latest 20 % are all 0
    p = prepare(df, TrainSpec(target="y", time_col="date"))
    with pytest.raises(ScoringError) as e:
        split(p, TrainSpec(target="y", time_col="date"))
    assert e.value.field == "target"


def test_inner_split_time_and_stratified() -> None:
    y = np.array([0, 1] * 25)
    time = pd.Series(pd.date_range("2023-01-01", periods=50)[::-1])
    fit, valid = inner_split(y, time, seed=1, size=0.2)
    assert valid.tolist() == list(range(10))  # the latest dates are the first rows here
    assert fit.tolist() == list(range(10, 50))
    f1, v1 = inner_split(y, None, seed=3)
    f2, v2 = inner_split(y, None, seed=3)
    assert np.array_equal(f1, f2)
    assert np.array_equal(v1, v2) and len(v1) == 10 and set(y[v1]) == {0, 1}
    assert sorted(np.r_[f1, v1].tolist()) == list(range(50))

"""The scorecard: monotone bins, exact contributions, a table that predicts without optbinning."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from qingzhai.scoring.engine.scorecard import ScorecardModel
from qingzhai.scoring.engine.spec import FeatureInfo

FEATURES = [
    FeatureInfo("income", "numeric", name_zh="收入", name_en="Income", direction=-1),
    FeatureInfo("age", "numeric"),
    FeatureInfo("region", "categorical"),
    FeatureInfo("noise", "numeric"),
]


def make(n: int = 1500, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    income = rng.gamma(2.0, 2000.0, n)
    age = rng.integers(18, 70, n).astype("float64")
    region = rng.choice(["north", "south", "east", "west"], n)
    logit = -0.5 - income / 3000.0 + 0.03 * (age - 40) + np.where(region == "south", 1.0, 0.0) + 1.0
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.int64)
    income[:60] = np.nan  # a missing bin
    X = pd.DataFrame(
        {
            "income": income,
            "age": age,
            "region": pd.Categorical(region),
            "noise": rng.normal(size=n),
        }
    )
    return X, y


@pytest.fixture(scope="module")
def fitted() -> tuple[ScorecardModel, pd.DataFrame, np.ndarray]:
    X, y = make()
    return ScorecardModel.fit(X, y, FEATURES, seed=7, monotone={"age": 1}), X, y


def test_predicts_p_of_one_and_beats_chance(fitted):
    from sklearn.metrics import roc_auc_score

    model, X, y = fitted
    p = model.predict_proba(X)
    assert p.shape == (len(X),)
    assert ((p > 0) & (p < 1)).all()
    assert roc_auc_score(y, p) > 0.7
    assert abs(p.mean() - y.mean()) < 0.02


def test_contributions_sum_exactly_to_logit(fitted):
    model, X, _ = fitted
    p = model.predict_proba(X)
    c = model.contributions(X)
    assert c.shape == (len(X), len(FEATURES))
    np.testing.assert_allclose(np.log(p / (1 - p)), model.mean_logit + c.sum(axis=1), rtol=0, atol=1e-10)
    np.testing.assert_allclose(c.mean(axis=0), 0.0, atol=1e-10)


def test_directions_and_selection(fitted):
    model, X, _ = fitted
    assert "noise" not in model.selected  # IV below 0.02
    assert model.contributions(X)[:, 3].tolist() == [0.0] * len(X)
    income_bins = model.bins["income"]
    regular = income_bins.event_rates[:-1]
    assert regular == sorted(regular, reverse=True)  # forced descending
    age = model.bins["age"].event_rates[:-1]
    assert age == sorted(age)  # forced ascending by `monotone`
    # Higher income lowers P(y == 1): its points fall along the bins.
    points = [
        r["points_logodds"] for r in model.table() if r["feature"] == "income" and r["bin"] != "Missing"
    ]
    assert points == sorted(points, reverse=True)
    assert points[0] > 0 > points[-1]


def test_bins_match_optbinning_split_convention(fitted):
    from optbinning import OptimalBinning

    model, X, y = fitted
    splits = model.bins["age"].splits
    assert len(splits) >= 2
    ob = OptimalBinning("age", dtype="numerical", user_splits=splits, user_splits_fixed=[True] * len(splits))
    ob.fit(X["age"].to_numpy(), y)
    assert list(ob.splits) == splits
    # Values equal to a split point, just around it, and outside the range.
    sample = np.array([*splits, *(s - 1e-9 for s in splits), splits[0] - 100, splits[-1] + 100])
    theirs = ob.transform(sample, metric="indices")
    ours = model.bins["age"].index(pd.Series(sample))
    assert ours.tolist() == list(theirs)
    assert ours[: len(splits)].tolist() == list(range(1, len(splits) + 1))  # equal to a split: the right bin


def test_missing_and_unseen_levels(fitted):
    model, X, _ = fitted
    row = X.iloc[:1].copy()
    row["income"] = np.nan
    b = model.bins["income"]
    assert model.contributions(row)[0, 0] == pytest.approx(
        model.coef["income"] * b.woe[-1] - model.means["income"]
    )
    row["region"] = pd.Categorical(["atlantis"])
    r = model.bins["region"]
    assert r.index(row["region"]).tolist() == [r.n_regular + 1]
    assert np.isfinite(model.predict_proba(row)).all()


def test_round_trip_through_json_without_optbinning(fitted, monkeypatch):
    import sys

    model, X, _ = fitted
    d = json.loads(json.dumps(model.to_dict()))
    monkeypatch.setitem(sys.modules, "optbinning", None)  # importing it would now fail
    again = ScorecardModel.from_dict(d)
    np.testing.assert_array_equal(again.predict_proba(X), model.predict_proba(X))
    np.testing.assert_array_equal(again.contributions(X), model.contributions(X))
    assert again.kind == "scorecard"
    assert [f.name for f in again.features] == [f.name for f in FEATURES]


def test_importance_table_and_determinism(fitted):
    model, X, y = fitted
    imp = model.importance()
    assert set(imp) == {f.name for f in FEATURES}
    assert sum(imp.values()) == pytest.approx(1.0)
    assert imp["noise"] == 0.0
    assert max(imp, key=lambda k: imp[k]) == "income"
    rows = model.table()
    assert {"feature", "bin", "count", "event_rate", "woe", "iv", "points_logodds"} <= set(rows[0])
    assert sum(r["count"] for r in rows if r["feature"] == "income") == len(X)
    again = ScorecardModel.fit(X, y, FEATURES, seed=7, monotone={"age": 1})
    assert again.to_dict() == model.to_dict()


def test_keeps_one_feature_when_all_are_weak():
    rng = np.random.default_rng(3)
    X = pd.DataFrame({"a": rng.normal(size=400), "b": rng.normal(size=400)})
    y = rng.integers(0, 2, 400)
    feats = [FeatureInfo("a", "numeric"), FeatureInfo("b", "numeric")]
    model = ScorecardModel.fit(X, y, feats, seed=1, monotone={})
    assert len(model.selected) == 1
    assert model.predict_proba(X).shape == (400,)

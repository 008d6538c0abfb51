"""The GBM: monotone constraints hold, calibrated contributions add up, same seed same model."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from qingzhai.scoring.engine.gbm import GbmModel
from qingzhai.scoring.engine.spec import FeatureInfo

FEATURES = [
    FeatureInfo("x", "numeric", direction=1),
    FeatureInfo("z", "numeric"),
    FeatureInfo("grade", "categorical"),
]


def make(n: int = 1200, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 10, n)
    z = rng.normal(size=n)
    grade = rng.choice(["A", "B", "C"], n)
    # A hump in x: the unconstrained model learns that P(y == 1) falls again above x = 5.
    logit = 2.0 - 0.6 * np.abs(x - 5.0) * 2 + 0.8 * z + np.where(grade == "C", 1.0, 0.0)
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.int64)
    z[:50] = np.nan
    return pd.DataFrame({"x": x, "z": z, "grade": pd.Categorical(grade)}), y


@pytest.fixture(scope="module")
def data() -> tuple[pd.DataFrame, np.ndarray]:
    return make()


@pytest.fixture(scope="module")
def fitted(data) -> GbmModel:
    X, y = data
    return GbmModel.fit(X, y, FEATURES, seed=11, monotone={})


def _grid_predictions(model: GbmModel, X: pd.DataFrame) -> np.ndarray:
    """(rows, grid) predictions with x swept over a grid and the other features held."""
    grid = np.linspace(0, 10, 41)
    base = X.iloc[:40]
    out = []
    for _, row in base.iterrows():
        frame = pd.DataFrame(
            {
                "x": grid,
                "z": row["z"],
                "grade": pd.Categorical([row["grade"]] * len(grid), categories=X["grade"].cat.categories),
            }
        )
        out.append(model.predict_proba(frame))
    return np.asarray(out)


def test_monotone_constraint_holds_where_unconstrained_would_not(data, fitted):
    X, y = data
    free = GbmModel.fit(X, y, [FeatureInfo("x", "numeric"), *FEATURES[1:]], seed=11, monotone={})
    assert (np.diff(_grid_predictions(free, X), axis=1) < -1e-6).any()  # the hump is learned
    assert (np.diff(_grid_predictions(fitted, X), axis=1) >= -1e-12).all()
    down = GbmModel.fit(X, y, FEATURES, seed=11, monotone={"x": -1})  # `monotone` overrides direction
    assert (np.diff(_grid_predictions(down, X), axis=1) <= 1e-12).all()
    assert down.params["monotone_constraints"] == [-1, 0, 0]


def test_contributions_add_up_to_calibrated_logit(data, fitted):
    X, _ = data
    p = fitted.predict_proba(X)
    c = fitted.contributions(X)
    assert c.shape == (len(X), 3)
    np.testing.assert_allclose(np.log(p / (1 - p)), fitted.mean_logit + c.sum(axis=1), atol=1e-8)
    np.testing.assert_allclose(c.mean(axis=0), 0.0, atol=1e-8)
    assert fitted.a > 0


def test_quality_and_importance(fitted):
    from sklearn.metrics import roc_auc_score

    Xt, yt = make(600, seed=1)
    assert roc_auc_score(yt, fitted.predict_proba(Xt)) > 0.7
    imp = fitted.importance()
    assert sum(imp.values()) == pytest.approx(1.0)
    assert set(imp) == {"x", "z", "grade"}
    assert [r["feature"] for r in fitted.table()] == ["x", "z", "grade"]


def test_same_seed_same_model_and_json_round_trip(data, fitted):
    X, y = data
    again = GbmModel.fit(X, y, FEATURES, seed=11, monotone={})
    assert again.to_dict() == fitted.to_dict()
    np.testing.assert_array_equal(again.predict_proba(X), fitted.predict_proba(X))
    d = json.loads(json.dumps(fitted.to_dict()))
    loaded = GbmModel.from_dict(d)
    assert loaded.kind == "gbm"
    np.testing.assert_array_equal(loaded.predict_proba(X), fitted.predict_proba(X))
    np.testing.assert_allclose(loaded.contributions(X), fitted.contributions(X), atol=1e-12)


def test_given_validation_set_and_unseen_levels(data):
    X, y = data
    model = GbmModel.fit(
        X.iloc[:900], y[:900], FEATURES, seed=3, monotone={}, X_valid=X.iloc[900:], y_valid=y[900:]
    )
    row = X.iloc[:2].copy()
    row["grade"] = pd.Categorical(["Z", None])  # an unseen level and a missing one
    p = model.predict_proba(row)
    assert np.isfinite(p).all() and ((p > 0) & (p < 1)).all()
    # Levels are matched by name, not by the order of the frame's categories.
    shuffled = X.iloc[:50].copy()
    shuffled["grade"] = pd.Categorical(shuffled["grade"].astype(str), categories=["C", "B", "A"])
    np.testing.assert_array_equal(model.predict_proba(shuffled), model.predict_proba(X.iloc[:50]))

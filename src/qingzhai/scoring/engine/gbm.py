"""Gradient boosting (LightGBM) with monotone constraints, early stopping and Platt calibration.

Pure (no Django). Deterministic for a given seed (one thread, row-wise histograms, deterministic mode).
Categorical features are passed to LightGBM as integer codes over the training levels (a missing or
unseen level is NaN), so scoring needs only the stored level lists and the booster text.

Calibration: p = sigmoid(a * margin + b), fitted on the validation rows. Contributions are LightGBM's
`pred_contrib` (raw margin) times a, centred on their training means, so that
logit(p) = mean_logit + contributions.sum(axis=1) up to float rounding.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from .spec import FeatureInfo

KIND = "gbm"
CV_FOLDS = 5
MAX_ROUNDS = 2000
EARLY_STOP = 100
PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.03,
    # Small trees on a random half of the columns each: credit data is small and noisy. Chosen over
    # 7 leaves / 0.8 on the public benchmark (docs/model-benchmark.md), where it did as well or better on all four.
    "num_leaves": 4,
    "max_depth": -1,
    "min_data_in_leaf": 20,
    "min_sum_hessian_in_leaf": 1e-3,
    "feature_fraction": 0.5,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "cat_smooth": 10.0,
    "cat_l2": 10.0,
    "min_data_per_group": 20,
    "max_cat_to_onehot": 32,
    "monotone_constraints_method": "advanced",
    "metric": "auc",
    "deterministic": True,
    "force_row_wise": True,
    "num_threads": 1,
    "verbosity": -1,
}


def _matrix(X: pd.DataFrame, features: list[FeatureInfo], categories: dict[str, list[str]]) -> np.ndarray:
    cols = []
    for f in features:
        col = X[f.name]
        if f.dtype == "categorical":
            lookup = {level: float(k) for k, level in enumerate(categories[f.name])}
            codes = col.astype(object).astype(str).where(col.notna()).map(lookup)  # missing, unseen: NaN
            cols.append(codes.to_numpy(dtype="float64", na_value=np.nan))
        else:
            cols.append(pd.to_numeric(col, errors="coerce").to_numpy(dtype="float64", na_value=np.nan))
    return np.column_stack(cols) if cols else np.empty((len(X), 0))


def _levels(col: pd.Series) -> list[str]:
    if isinstance(col.dtype, pd.CategoricalDtype):
        return [str(v) for v in col.cat.categories]
    return sorted({str(v) for v in col.dropna()})


def _platt(margin: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    if len(np.unique(y)) < 2:
        return 1.0, 0.0
    lr = LogisticRegression(C=1e4, max_iter=1000).fit(margin.reshape(-1, 1), y)
    a, b = float(lr.coef_[0, 0]), float(lr.intercept_[0])
    if not a > 0:  # a useless or inverted margin: keep the booster's own probability
        return 1.0, 0.0
    return a, b


class GbmModel:
    kind = KIND

    def __init__(
        self,
        features: list[FeatureInfo],
        categories: dict[str, list[str]],
        model_str: str,
        a: float,
        b: float,
        means: list[float],
        params: dict[str, Any],
        best_iteration: int,
    ) -> None:
        import lightgbm as lgb

        self.features = features
        self.categories = categories
        self.model_str = model_str
        self.booster = lgb.Booster(model_str=model_str)
        self.a = a
        self.b = b
        self.means = means  # training mean of each feature's calibrated contribution
        self.params = params
        self.best_iteration = best_iteration  # the number of trees
        self._mean_logit: float | None = None

    @classmethod
    def fit(
        cls,
        X: pd.DataFrame,
        y: np.ndarray,
        features: list[FeatureInfo],
        *,
        seed: int,
        monotone: dict[str, int] | None = None,
        X_valid: pd.DataFrame | None = None,
        y_valid: np.ndarray | None = None,
    ) -> GbmModel:
        import lightgbm as lgb

        monotone = dict(monotone or {})
        y = np.asarray(y, dtype=np.int64)
        X = X.reset_index(drop=True)
        has_valid = X_valid is not None and y_valid is not None and len(X_valid) > 0
        X_all = pd.concat([X, X_valid], ignore_index=True) if has_valid else X
        categories = {f.name: _levels(X_all[f.name]) for f in features if f.dtype == "categorical"}
        constraints = [
            0 if f.dtype == "categorical" else int(np.sign(monotone.get(f.name, f.direction) or 0))
            for f in features
        ]
        params = {**PARAMS, "seed": seed, "monotone_constraints": constraints}
        cat_idx = [j for j, f in enumerate(features) if f.dtype == "categorical"]
        names = [f"f{j}" for j in range(len(features))]  # LightGBM dislikes some characters in names

        def dataset(M: np.ndarray, labels: np.ndarray, reference: Any = None) -> Any:
            return lgb.Dataset(
                M,
                label=labels,
                feature_name=names,
                categorical_feature=cat_idx,
                params={"verbosity": -1},
                free_raw_data=False,
                reference=reference,
            )

        stop: list[Callable[..., Any]] = [lgb.early_stopping(EARLY_STOP, verbose=False)]
        M = _matrix(X, features, categories)
        if has_valid:
            # A given validation set (time-aware upstream): rounds and calibration come from it.
            assert X_valid is not None and y_valid is not None
            yv = np.asarray(y_valid, dtype=np.int64)
            Mv = _matrix(X_valid, features, categories)
            train_set = dataset(M, y)
            booster = lgb.train(
                params, train_set, MAX_ROUNDS, valid_sets=[dataset(Mv, yv, train_set)], callbacks=stop
            )
            best = int(booster.best_iteration or booster.current_iteration())
            a, b = _platt(np.asarray(booster.predict(Mv, num_iteration=best, raw_score=True)), yv)
            M_all, y_all = np.vstack([M, Mv]), np.concatenate([y, yv])
            rounds = max(1, round(best * len(y_all) / len(y)))
        else:
            # Stratified k-fold: rounds from the mean validation curve, calibration from out-of-fold margins.
            from sklearn.model_selection import StratifiedKFold

            k = max(2, min(CV_FOLDS, int(min(np.bincount(y, minlength=2)))))
            folds = list(StratifiedKFold(n_splits=k, shuffle=True, random_state=seed).split(M, y))
            res = lgb.cv(
                params, dataset(M, y), MAX_ROUNDS, folds=folds, callbacks=stop, return_cvbooster=True
            )
            cvb: Any = res["cvbooster"]
            history: Any = res[f"valid {params['metric']}-mean"]
            best = int(cvb.best_iteration or len(history))
            oof = np.zeros(len(y))
            for fold_booster, (_, te) in zip(cvb.boosters, folds, strict=True):
                oof[te] = fold_booster.predict(M[te], num_iteration=best, raw_score=True)
            a, b = _platt(oof, y)
            M_all, y_all = M, y
            rounds = max(1, round(best * k / (k - 1)))
        booster = lgb.train(params, dataset(M_all, y_all), rounds)
        model_str = booster.model_to_string()
        contrib = np.asarray(booster.predict(M_all, pred_contrib=True))[:, :-1] * a
        means = [float(v) for v in contrib.mean(axis=0)]
        return cls(features, categories, model_str, a, b, means, params, rounds)

    # ---------------------------------------------------------------- scoring
    def _m(self, X: pd.DataFrame) -> np.ndarray:
        return _matrix(X, self.features, self.categories)

    def decision_function(self, X: pd.DataFrame) -> np.ndarray:
        margin = np.asarray(self.booster.predict(self._m(X), raw_score=True))
        return self.a * margin + self.b

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        return np.asarray(1.0 / (1.0 + np.exp(-self.decision_function(X))))

    def _contrib(self, X: pd.DataFrame) -> np.ndarray:
        return np.asarray(self.booster.predict(self._m(X), pred_contrib=True)) * self.a

    def contributions(self, X: pd.DataFrame) -> np.ndarray:
        """Calibrated log-odds of y == 1 per feature relative to the training mean."""
        return self._contrib(X)[:, :-1] - np.asarray(self.means)

    @property
    def mean_logit(self) -> float:
        """The calibrated logit of a row whose contributions are all at their training mean."""
        if self._mean_logit is None:
            expected = float(self._contrib(pd.DataFrame({f.name: [np.nan] for f in self.features}))[0, -1])
            self._mean_logit = expected + self.b + float(sum(self.means))
        return self._mean_logit

    # ---------------------------------------------------------------- reporting
    def importance(self) -> dict[str, float]:
        gain = np.asarray(self.booster.feature_importance(importance_type="gain"), dtype="float64")
        total = float(gain.sum())
        if total <= 0:
            return {f.name: 1.0 / len(self.features) for f in self.features}
        return {f.name: float(g / total) for f, g in zip(self.features, gain, strict=True)}

    def table(self) -> list[dict[str, Any]]:
        imp = self.importance()
        return [
            {
                "feature": f.name,
                "dtype": f.dtype,
                "monotone": int(c),
                "gain_share": imp[f.name],
                "mean_contribution": self.means[j],
            }
            for j, (f, c) in enumerate(zip(self.features, self.params["monotone_constraints"], strict=True))
        ]

    # ---------------------------------------------------------------- storage
    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": KIND,
            "version": 1,
            "features": [f.as_dict() for f in self.features],
            "categories": {k: list(v) for k, v in self.categories.items()},
            "booster": self.model_str,
            "a": self.a,
            "b": self.b,
            "means": list(self.means),
            "params": dict(self.params),
            "best_iteration": self.best_iteration,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> GbmModel:
        return cls(
            features=[FeatureInfo.from_dict(f) for f in d["features"]],
            categories={k: list(v) for k, v in d["categories"].items()},
            model_str=d["booster"],
            a=float(d["a"]),
            b=float(d["b"]),
            means=[float(v) for v in d["means"]],
            params=dict(d["params"]),
            best_iteration=int(d["best_iteration"]),
        )

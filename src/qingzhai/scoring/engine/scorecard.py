"""Interpretable scorecard: monotonic optimal binning (optbinning), WOE, IV selection, L2 logistic regression.

Pure (no Django). optbinning is used only to *fit* the bins; the fitted model is a plain table (split
points, category groups, a missing bin, log-odds per bin) and predicts with numpy, so a stored model
needs neither pickles nor optbinning. Bin convention (optbinning's): numeric bins are [s_k, s_k+1), a
value equal to a split point falls in the bin on its right.

Sign convention: optbinning's WOE is ln(share of non-events / share of events), so a high WOE means a
low event rate; the regression learns a (usually negative) coefficient on it, and each bin's
contribution in log-odds of y == 1 is simply coef * WOE.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .spec import FeatureInfo

KIND = "scorecard"
IV_MIN = 0.02
C_GRID = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
CV_FOLDS = 5
MISSING = "Missing"
TREND_UNKNOWN = "auto_asc_desc"
SIGN_CHECK = True
MIN_BIN = (0.02, 0.05, 50.0)  # min_bin_size = clip(rows / n, lo, hi)
PREBIN_RATIO = 0.5


@dataclass
class _Bins:
    """One feature's bins: numeric splits or categorical groups, then a missing bin and an unseen bin."""

    name: str
    dtype: str
    splits: list[float]  # numeric: split points (len = n_bins - 1)
    groups: list[list[str]]  # categorical: the levels of each bin
    labels: list[str]  # one per regular bin, then "Missing"
    counts: list[int]
    event_rates: list[float]
    woe: list[float]  # per regular bin, then the missing bin
    iv: list[float]
    unseen_woe: float  # categorical levels not seen in training
    iv_total: float

    @property
    def n_regular(self) -> int:
        return len(self.labels) - 1

    def index(self, col: pd.Series) -> np.ndarray:
        """Bin index per value: 0..n_regular-1 regular, n_regular missing, n_regular + 1 unseen level."""
        n = self.n_regular
        if self.dtype == "numeric":
            x = pd.to_numeric(col, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
            idx = np.searchsorted(np.asarray(self.splits, dtype="float64"), x, side="right")
            idx[np.isnan(x)] = n
            return idx.astype(np.int64)
        lookup = {level: float(k) for k, group in enumerate(self.groups) for level in group}
        known = col.astype(object).astype(str).where(col.notna()).map(lookup)
        codes = known.to_numpy(dtype="float64", na_value=np.nan, copy=True)
        codes[np.isnan(codes)] = n + 1  # an unseen level
        codes[col.isna().to_numpy()] = n  # missing
        return codes.astype(np.int64)

    def woe_of(self, col: pd.Series) -> np.ndarray:
        return np.asarray([*self.woe, self.unseen_woe], dtype="float64")[self.index(col)]

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "dtype": self.dtype,
            "splits": self.splits,
            "groups": self.groups,
            "labels": self.labels,
            "counts": self.counts,
            "event_rates": self.event_rates,
            "woe": self.woe,
            "iv": self.iv,
            "unseen_woe": self.unseen_woe,
            "iv_total": self.iv_total,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> _Bins:
        return cls(**d)


def _trend(info: FeatureInfo, monotone: dict[str, int]) -> str | None:
    if info.dtype == "categorical":
        return None  # optbinning orders the levels by event rate
    direction = int(monotone.get(info.name, info.direction) or 0)
    if direction > 0:
        return "ascending"
    if direction < 0:
        return "descending"
    return TREND_UNKNOWN


def _fit_bins(info: FeatureInfo, col: pd.Series, y: np.ndarray, monotone: dict[str, int]) -> _Bins:
    from optbinning import OptimalBinning

    n = len(y)
    lo, hi, rows = MIN_BIN
    min_bin = float(min(hi, max(lo, rows / max(n, 1))))
    if info.dtype == "numeric":
        x: np.ndarray = col.to_numpy(dtype="float64", na_value=np.nan)
        dtype = "numerical"
    else:
        x = np.asarray([np.nan if pd.isna(v) else str(v) for v in col.astype(object)], dtype=object)
        dtype = "categorical"
    ob = OptimalBinning(
        name=info.name,
        dtype=dtype,
        monotonic_trend=_trend(info, monotone),
        max_n_prebins=20,
        min_prebin_size=min_bin * PREBIN_RATIO,
        min_bin_size=min_bin,
        time_limit=30,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ob.fit(x, y)
        bt = ob.binning_table.build(show_digits=6)
    rows = bt.iloc[:-1]  # without "Totals"
    regular = rows[~rows["Bin"].astype(str).isin(["Special", MISSING])]
    missing = rows[rows["Bin"].astype(str) == MISSING].iloc[0]

    def num(v: Any) -> float:
        f = float(v)
        return 0.0 if not math.isfinite(f) else f

    if info.dtype == "numeric":
        splits = [float(s) for s in ob.splits]
        groups: list[list[str]] = []
        edges = [-math.inf, *splits, math.inf]
        labels = [f"{'(' if k == 0 else '['}{edges[k]:g}, {edges[k + 1]:g})" for k in range(len(edges) - 1)]
    else:
        splits = []
        groups = [[str(v) for v in g] for g in ob.splits]
        labels = [", ".join(g) for g in groups]
    woe = [num(v) for v in regular["WoE"]] + [num(missing["WoE"])]
    return _Bins(
        name=info.name,
        dtype=info.dtype,
        splits=splits,
        groups=groups,
        labels=[*labels, MISSING],
        counts=[int(v) for v in regular["Count"]] + [int(missing["Count"])],
        event_rates=[num(v) for v in regular["Event rate"]] + [num(missing["Event rate"])],
        woe=woe,
        iv=[num(v) for v in regular["IV"]] + [num(missing["IV"])],
        unseen_woe=woe[-1] if int(missing["Count"]) > 0 else 0.0,
        iv_total=num(bt.iloc[-1]["IV"]),
    )


def _choose_c(W: np.ndarray, y: np.ndarray, seed: int) -> float:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold

    folds = min(CV_FOLDS, int(min(np.bincount(y, minlength=2))))
    if folds < 2:
        return 1.0
    skf = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    splits = list(skf.split(W, y))
    best_c, best_auc = 1.0, -1.0
    for c in C_GRID:
        aucs = []
        for tr, te in splits:
            lr = LogisticRegression(C=c, max_iter=1000).fit(W[tr], y[tr])
            aucs.append(roc_auc_score(y[te], lr.decision_function(W[te])))
        auc = float(np.mean(aucs))
        if auc > best_auc + 1e-9:
            best_c, best_auc = c, auc
    return best_c


class ScorecardModel:
    kind = KIND

    def __init__(
        self,
        features: list[FeatureInfo],
        bins: dict[str, _Bins],
        selected: list[str],
        coef: dict[str, float],
        intercept: float,
        means: dict[str, float],
        stds: dict[str, float],
        c: float,
    ) -> None:
        self.features = features
        self.bins = bins
        self.selected = selected
        self.coef = coef
        self.intercept = intercept
        self.means = means  # training mean of each feature's log-odds contribution
        self.stds = stds  # training standard deviation of each selected feature's WOE
        self.c = c

    # ---------------------------------------------------------------- fitting
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
    ) -> ScorecardModel:
        """Fit on X (X_valid/y_valid, when given, are added to the training rows: the scorecard tunes
        its regularisation by inner cross-validation and needs no separate validation set)."""
        from sklearn.linear_model import LogisticRegression

        monotone = dict(monotone or {})
        y = np.asarray(y, dtype=np.int64)
        if X_valid is not None and y_valid is not None and len(X_valid):
            X = pd.concat([X, X_valid], ignore_index=True)
            y = np.concatenate([y, np.asarray(y_valid, dtype=np.int64)])
        X = X.reset_index(drop=True)
        bins = {f.name: _fit_bins(f, X[f.name], y, monotone) for f in features}
        ranked = sorted(features, key=lambda f: -bins[f.name].iv_total)
        selected = [f.name for f in features if bins[f.name].iv_total >= IV_MIN] or [ranked[0].name]
        woe = {name: bins[name].woe_of(X[name]) for name in selected}
        while True:
            W = np.column_stack([woe[name] for name in selected])
            c = _choose_c(W, y, seed)
            lr = LogisticRegression(C=c, max_iter=1000).fit(W, y)
            coefs = lr.coef_[0]
            # WOE falls as the event rate rises, so every coefficient should be negative; a positive
            # one is collinearity noise that would reverse the bins' meaning: drop the worst and refit.
            if not SIGN_CHECK or len(selected) == 1 or coefs.max() <= 0:
                break
            selected.pop(int(np.argmax(coefs)))
        coef = {name: float(v) for name, v in zip(selected, coefs, strict=True)}
        means = {f.name: 0.0 for f in features}
        stds = {}
        for name in selected:
            means[name] = float(np.mean(coef[name] * woe[name]))
            stds[name] = float(np.std(woe[name]))
        return cls(features, bins, selected, coef, float(lr.intercept_[0]), means, stds, c)

    # ---------------------------------------------------------------- scoring
    def _points(self, X: pd.DataFrame) -> np.ndarray:
        """(n, n_features) log-odds of y == 1 per feature (absolute, not centred)."""
        out = np.zeros((len(X), len(self.features)), dtype="float64")
        for j, f in enumerate(self.features):
            if f.name in self.coef:
                out[:, j] = self.coef[f.name] * self.bins[f.name].woe_of(X[f.name])
        return out

    def contributions(self, X: pd.DataFrame) -> np.ndarray:
        """Log-odds of y == 1 per feature relative to its training mean: logit(p) = mean_logit + sum."""
        means = np.asarray([self.means[f.name] for f in self.features])
        return self._points(X) - means

    @property
    def mean_logit(self) -> float:
        return self.intercept + float(sum(self.means.values()))

    def decision_function(self, X: pd.DataFrame) -> np.ndarray:
        return np.asarray(self.intercept + self._points(X).sum(axis=1))

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        return np.asarray(1.0 / (1.0 + np.exp(-self.decision_function(X))))

    # ---------------------------------------------------------------- reporting
    def importance(self) -> dict[str, float]:
        raw = {f.name: abs(self.coef.get(f.name, 0.0)) * self.stds.get(f.name, 0.0) for f in self.features}
        total = sum(raw.values())
        if total <= 0:
            share = 1.0 / len(self.selected)
            return {f.name: (share if f.name in self.selected else 0.0) for f in self.features}
        return {k: v / total for k, v in raw.items()}

    def iv(self) -> dict[str, float]:
        return {f.name: self.bins[f.name].iv_total for f in self.features}

    def table(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for name in self.selected:
            b = self.bins[name]
            for k, label in enumerate(b.labels):
                rows.append(
                    {
                        "feature": name,
                        "bin": label,
                        "count": b.counts[k],
                        "event_rate": b.event_rates[k],
                        "woe": b.woe[k],
                        "iv": b.iv[k],
                        "points_logodds": self.coef[name] * b.woe[k],
                    }
                )
        return rows

    # ---------------------------------------------------------------- storage
    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": KIND,
            "version": 1,
            "features": [f.as_dict() for f in self.features],
            "bins": {name: b.as_dict() for name, b in self.bins.items()},
            "selected": list(self.selected),
            "coef": dict(self.coef),
            "intercept": self.intercept,
            "means": dict(self.means),
            "stds": dict(self.stds),
            "c": self.c,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ScorecardModel:
        return cls(
            features=[FeatureInfo.from_dict(f) for f in d["features"]],
            bins={name: _Bins.from_dict(b) for name, b in d["bins"].items()},
            selected=list(d["selected"]),
            coef={k: float(v) for k, v in d["coef"].items()},
            intercept=float(d["intercept"]),
            means={k: float(v) for k, v in d["means"].items()},
            stds={k: float(v) for k, v in d["stds"].items()},
            c=float(d["c"]),
        )

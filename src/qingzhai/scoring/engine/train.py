"""Training: prepare → split → choose and fit the model family → measure on held-out data → card."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from qingzhai.scoring.engine import data as data_mod
from qingzhai.scoring.engine import fairness, metrics, split
from qingzhai.scoring.engine.model import TrainedModel, bands_for, points_from_prob
from qingzhai.scoring.engine.spec import Kind, ScoringError, TrainSpec

Progress = Callable[[str], None]


def _estimator_class(kind: Kind) -> Any:
    if kind == "scorecard":
        from qingzhai.scoring.engine.scorecard import ScorecardModel

        return ScorecardModel
    from qingzhai.scoring.engine.gbm import GbmModel

    return GbmModel


def _kinds(spec: TrainSpec) -> list[Kind]:
    if spec.kind == "auto":
        return ["scorecard", "gbm"]
    if spec.kind in ("scorecard", "gbm"):
        return [spec.kind]
    raise ScoringError(
        f"未知的模型类型「{spec.kind}」（可选 scorecard、gbm、auto）",
        f"Unknown model kind '{spec.kind}' (choose scorecard, gbm or auto)",
        field="kind",
    )


def _monotone(prepared: data_mod.Prepared, spec: TrainSpec) -> dict[str, int]:
    out = {f.name: f.direction for f in prepared.features if f.direction}
    out.update({k: v for k, v in spec.monotone.items() if k in prepared.X.columns})
    return out


def _choose(
    prepared: data_mod.Prepared, idx: np.ndarray, spec: TrainSpec, progress: Progress
) -> tuple[Kind, float, dict[str, Any]]:
    """Fit each candidate family on the inner fit set, compare AUC on the inner validation set."""
    X, y = prepared.X.iloc[idx], prepared.y[idx]
    time = prepared.time.iloc[idx] if prepared.time is not None else None
    fit_idx, valid_idx = split.inner_split(y, time, seed=spec.seed, size=0.2)
    Xf, yf, Xv, yv = X.iloc[fit_idx], y[fit_idx], X.iloc[valid_idx], y[valid_idx]
    mono = _monotone(prepared, spec)
    results: dict[str, Any] = {}
    probs: dict[str, np.ndarray] = {}
    for kind in _kinds(spec):
        progress(f"validate:{kind}")
        # No X_valid here: both families may fold validation rows into their own fitting, and this
        # comparison must be on rows neither has seen.
        est = _estimator_class(kind).fit(Xf, yf, prepared.features, seed=spec.seed, monotone=mono)
        p = np.asarray(est.predict_proba(Xv), dtype=float)
        probs[kind] = p
        results[kind] = {"auc": round(metrics.auc(yv, p), 6), "ks": round(metrics.ks(yv, p), 6)}
    if spec.kind == "auto":
        sc, gb = results["scorecard"]["auc"], results["gbm"]["auc"]
        chosen: Kind = "scorecard" if sc >= gb - spec.auto_margin else "gbm"
        why = "scorecard_within_margin" if chosen == "scorecard" else "gbm_better"
    else:
        chosen, why = spec.kind, "requested"  # type: ignore[assignment]
    threshold = metrics.choose_threshold(yv, probs[chosen])
    validation = {
        **results,
        "chosen": chosen,
        "why": why,
        "margin": spec.auto_margin,
        "n_fit": len(fit_idx),
        "n_valid": len(valid_idx),
    }
    return chosen, float(threshold), validation


def _baseline(model: TrainedModel, X: pd.DataFrame, p: np.ndarray) -> dict[str, Any]:
    """The training distribution PSI is measured against: score deciles and each feature's shares."""
    points = points_from_prob(p, model.scaling).astype(float)
    edges = metrics.quantile_edges(points, bins=10)
    table = metrics.psi_table(points, points, edges=edges)
    band_edges = [float(np.quantile(points, q)) for q in (0.2, 0.4, 0.6, 0.8)]
    feats: dict[str, Any] = {}
    for f in model.features:
        col = X[f.name]
        if f.dtype == "numeric":
            vals = col.to_numpy(dtype=float)
            fe = metrics.quantile_edges(vals[~np.isnan(vals)], bins=10) if (~np.isnan(vals)).any() else []
            feats[f.name] = {"type": "numeric", "edges": fe, "sample": _sample(vals, model.seed)}
        else:
            shares = col.astype(object).where(col.notna(), None).value_counts(normalize=True, dropna=False)
            feats[f.name] = {"type": "categorical", "shares": {str(k): float(v) for k, v in shares.items()}}
    return {
        "score_edges": edges,
        "score_shares": [row["expected_share"] for row in table],
        "score_sample": _sample(points, model.seed),
        "band_edges": band_edges,
        "features": feats,
    }


def _sample(values: np.ndarray, seed: int, n: int = 2000) -> list[float | None]:
    """A fixed random sample of training values (PSI against new data re-bins both with the same edges)."""
    rng = np.random.default_rng(seed)
    v = np.asarray(values, dtype=float)
    if len(v) > n:
        v = v[np.sort(rng.choice(len(v), size=n, replace=False))]
    return [None if np.isnan(x) else round(float(x), 6) for x in v]


def _fit(
    prepared: data_mod.Prepared, idx: np.ndarray, spec: TrainSpec, progress: Progress
) -> tuple[TrainedModel, np.ndarray]:
    if len(idx) < 20 or len(np.unique(prepared.y[idx])) < 2:
        raise ScoringError(
            "训练数据太少：至少需要 20 行且两类结果都要出现",
            "Too little training data: at least 20 rows with both outcomes are needed",
            field=spec.target,
        )
    chosen, threshold, validation = _choose(prepared, idx, spec, progress)
    progress(f"fit:{chosen}")
    X, y = prepared.X.iloc[idx], prepared.y[idx]
    est = _estimator_class(chosen).fit(
        X, y, prepared.features, seed=spec.seed, monotone=_monotone(prepared, spec)
    )
    model = TrainedModel(
        kind=chosen,
        estimator=est,
        label=prepared.label,
        features=list(est.features),
        categories={k: v for k, v in prepared.categories.items() if k in {f.name for f in est.features}},
        scaling=spec.scaling,
        threshold=threshold,
        seed=spec.seed,
        trained_at=datetime.now(UTC).isoformat(timespec="seconds"),
        id_col=spec.id_col,
        validation=validation,
        dropped=list(prepared.dropped),
    )
    p_train = np.asarray(est.predict_proba(X), dtype=float)
    model.baseline = _baseline(model, X, p_train)
    model.data = {
        "target": spec.target,
        "time_col": spec.time_col,
        "n_rows": len(prepared.y),
        "n_train": len(idx),
        "positives_train": int(y.sum()),
        "features_offered": int(prepared.X.shape[1]),
        "features_used": len(model.features),
        "rows_dropped_no_target": int(getattr(prepared, "rows_dropped_no_target", 0)),
    }
    return model, p_train


def fit(df: pd.DataFrame, spec: TrainSpec, progress: Progress | None = None) -> TrainedModel:
    """Fit on every row given (model choice and threshold from an inner validation split)."""
    prepared = data_mod.prepare(df, spec)
    model, _ = _fit(prepared, np.arange(len(prepared.y)), spec, progress or (lambda _s: None))
    return model


def train(
    df: pd.DataFrame, spec: TrainSpec, progress: Progress | None = None, treatment_col: str | None = None
) -> TrainedModel:
    """Split (out-of-time when spec.time_col is set, else stratified), fit on the training part,
    measure on the held-out part, check fairness across protected attributes."""
    say = progress or (lambda _s: None)
    treatment = None
    if treatment_col:
        if treatment_col not in df.columns:
            raise ScoringError(
                f"找不到处置列「{treatment_col}」",
                f"Treatment column '{treatment_col}' not found",
                field=treatment_col,
            )
        treatment = df[treatment_col].astype(str)
        df = df.drop(columns=[treatment_col])
    say("prepare")
    prepared = data_mod.prepare(df, spec)
    sp = split.split(prepared, spec)
    model, p_train = _fit(prepared, np.asarray(sp.train_idx), spec, say)
    say("evaluate")
    test = np.asarray(sp.test_idx)
    y_test = prepared.y[test]
    p_test = np.asarray(model.estimator.predict_proba(prepared.X.iloc[test]), dtype=float)
    model.metrics = {k: _round(v) for k, v in metrics.evaluate(y_test, p_test, model.threshold).items()}
    model.calibration = metrics.calibration_table(y_test, p_test, bins=10)
    model.metrics["psi_train_test"] = round(
        metrics.psi(points_from_prob(p_train, model.scaling), points_from_prob(p_test, model.scaling)), 6
    )
    model.data.update(
        {
            "n_test": len(test),
            "positives_test": int(y_test.sum()),
            "split_method": sp.method,
            "cutoff": sp.cutoff,
        }
    )
    protected_test = prepared.protected.iloc[test] if len(prepared.protected.columns) else prepared.protected
    treat_test = None
    if treatment is not None:
        treat_test = treatment.iloc[prepared.positions[test]].reset_index(drop=True)
        treat_test.index = protected_test.index
    model.fairness = fairness.report(protected_test, p_test, model.threshold, y=y_test, treatment=treat_test)
    model.baseline["test_bands"] = _band_shares(
        bands_for(points_from_prob(p_test, model.scaling), model.baseline["band_edges"])
    )
    return model


def _band_shares(bands: list[str]) -> dict[str, float]:
    n = len(bands) or 1
    return {b: round(bands.count(b) / n, 6) for b in ("A", "B", "C", "D", "E")}


def _round(v: Any) -> Any:
    if isinstance(v, float | np.floating):
        return round(float(v), 6)
    if isinstance(v, np.integer):
        return int(v)
    return v

"""Model quality and stability measures: AUC, KS, Gini, threshold metrics, calibration, PSI.

Pure. Undefined values (AUC with a single class) are NaN from the scalar functions and None in the
dicts, so every dict here is JSON-safe.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score, roc_curve

PSI_EPSILON = 1e-4  # floor for a bin's share, so that empty bins do not explode
MISSING = "__missing__"


def _arrays(y: Any, p: Any) -> tuple[np.ndarray, np.ndarray]:
    yy = np.asarray(y, dtype=float).astype(int)
    pp = np.asarray(p, dtype=float)
    if yy.shape != pp.shape:
        raise ValueError("y and p differ in shape")
    return yy, pp


def _both(y: np.ndarray) -> bool:
    return len(np.unique(y)) == 2


def auc(y: Any, p: Any) -> float:
    yy, pp = _arrays(y, p)
    return float(roc_auc_score(yy, pp)) if _both(yy) else math.nan


def ks(y: Any, p: Any) -> float:
    """Kolmogorov–Smirnov statistic: max |TPR − FPR| over thresholds."""
    yy, pp = _arrays(y, p)
    if not _both(yy):
        return math.nan
    fpr, tpr, _ = roc_curve(yy, pp)
    return float(np.max(np.abs(tpr - fpr)))


def gini(y: Any, p: Any) -> float:
    return 2.0 * auc(y, p) - 1.0


def choose_threshold(y: Any, p: Any) -> float:
    """The probability threshold (predict 1 when p ≥ t) with the highest F1; ties go to the higher one."""
    yy, pp = _arrays(y, p)
    positives = int(yy.sum())
    if len(pp) == 0 or positives == 0:
        return 0.5
    order = np.argsort(-pp, kind="stable")
    ps, ys = pp[order], yy[order]
    tp, fp = np.cumsum(ys), np.cumsum(1 - ys)
    last = np.r_[ps[1:] != ps[:-1], True]  # end of each run of equal probabilities: all ≥ t predicted 1
    t, tp, fp = ps[last], tp[last], fp[last]
    f1 = 2 * tp / (tp + fp + positives)
    best = np.flatnonzero(f1 == f1.max())
    return float(t[best].max())


def _none(x: float) -> float | None:
    return None if x is None or math.isnan(x) else float(x)


def evaluate(y: Any, p: Any, threshold: float) -> dict[str, Any]:
    yy, pp = _arrays(y, p)
    pred = (pp >= threshold).astype(int)
    tp = int(((pred == 1) & (yy == 1)).sum())
    fp = int(((pred == 1) & (yy == 0)).sum())
    fn = int(((pred == 0) & (yy == 1)).sum())
    n = len(yy)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    return {
        "auc": _none(auc(yy, pp)),
        "ks": _none(ks(yy, pp)),
        "gini": _none(gini(yy, pp)),
        "accuracy": float((pred == yy).mean()) if n else None,
        "f1": float(f1),
        "precision": float(precision),
        "recall": float(recall),
        "brier": float(np.mean((pp - yy) ** 2)) if n else None,
        "threshold": float(threshold),
        "n": n,
        "positives": int(yy.sum()),
    }


def calibration_table(y: Any, p: Any, bins: int = 10) -> list[dict[str, Any]]:
    """Quantile bins of p (empty ones dropped): rows with mean predicted vs observed rate."""
    yy, pp = _arrays(y, p)
    if len(pp) == 0:
        return []
    edges = quantile_edges(pp, bins)
    idx = np.searchsorted(np.asarray(edges, dtype=float), pp, side="left")
    rows: list[dict[str, Any]] = []
    for b in range(len(edges) + 1):
        mask = idx == b
        if not mask.any():
            continue
        rows.append(
            {
                "bin": len(rows) + 1,
                "n": int(mask.sum()),
                "mean_predicted": float(pp[mask].mean()),
                "observed_rate": float(yy[mask].mean()),
                "lower": float(pp[mask].min()),
                "upper": float(pp[mask].max()),
            }
        )
    return rows


def _numbers(values: Any) -> np.ndarray:
    if isinstance(values, (np.ndarray, pd.Series)) and pd.api.types.is_numeric_dtype(values.dtype):
        return np.asarray(values, dtype=float)
    series = pd.Series(values if isinstance(values, np.ndarray) else list(values), dtype=object)
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)


def quantile_edges(values: Any, bins: int = 10) -> list[float]:
    """Interior cut points from the quantiles of the non-missing values (deduplicated, ascending).

    Bins are right-closed: (−inf, e0], (e0, e1], …, (e_last, +inf); missing values get their own bin.
    The list holds only finite numbers, so it can be stored as JSON.
    """
    v = _numbers(values)
    v = v[np.isfinite(v)]
    if len(v) == 0 or bins < 2:
        return []
    q = np.quantile(v, np.arange(1, bins) / bins)
    return [float(x) for x in np.unique(q)]


def _shares(values: Any, edges: list[float]) -> np.ndarray:
    """Share per bin (len(edges) + 1 bins, then the missing bin)."""
    v = _numbers(values)
    n = len(v)
    if n == 0:
        return np.zeros(len(edges) + 2)
    miss = np.isnan(v)
    idx = np.searchsorted(np.asarray(edges, dtype=float), v[~miss], side="left")
    counts = np.bincount(idx, minlength=len(edges) + 1).astype(float)
    return np.r_[counts, miss.sum()] / n


def _psi_terms(e: np.ndarray, a: np.ndarray) -> np.ndarray:
    ef, af = np.maximum(e, PSI_EPSILON), np.maximum(a, PSI_EPSILON)
    return (af - ef) * np.log(af / ef)


def psi(expected: Any, actual: Any, edges: list[float] | None = None, bins: int = 10) -> float:
    """Population stability index Σ (a − e)·ln(a / e) over the bins of `expected`."""
    return float(sum(row["psi"] for row in psi_table(expected, actual, edges, bins)))


def psi_table(
    expected: Any, actual: Any, edges: list[float] | None = None, bins: int = 10
) -> list[dict[str, Any]]:
    cuts = list(edges) if edges is not None else quantile_edges(expected, bins)
    e, a = _shares(expected, cuts), _shares(actual, cuts)
    terms = _psi_terms(e, a)
    bounds = [-math.inf, *cuts, math.inf]
    rows: list[dict[str, Any]] = []
    for i in range(len(cuts) + 1):
        rows.append(
            {
                "bin": f"({_fmt(bounds[i])}, {_fmt(bounds[i + 1])}]",
                "expected_share": float(e[i]),
                "actual_share": float(a[i]),
                "psi": float(terms[i]),
            }
        )
    if e[-1] > 0 or a[-1] > 0:
        rows.append(
            {
                "bin": "missing",
                "expected_share": float(e[-1]),
                "actual_share": float(a[-1]),
                "psi": float(terms[-1]),
            }
        )
    return rows


def _fmt(x: float) -> str:
    if math.isinf(x):
        return "-inf" if x < 0 else "inf"
    return f"{x:.6g}"


def psi_categorical(expected: Sequence[str | None], actual: Sequence[str | None]) -> float:
    """PSI over the levels of a categorical value (missing is a level of its own)."""

    def counts(values: Sequence[str | None]) -> pd.Series:
        s = pd.Series(list(values), dtype=object)
        s = s.where(s.notna(), MISSING).map(str)
        return s.value_counts(normalize=True) if len(s) else pd.Series(dtype=float)

    e, a = counts(expected), counts(actual)
    levels = sorted(set(e.index) | set(a.index))
    ev = np.array([float(e.get(k, 0.0)) for k in levels])
    av = np.array([float(a.get(k, 0.0)) for k in levels])
    return float(_psi_terms(ev, av).sum())

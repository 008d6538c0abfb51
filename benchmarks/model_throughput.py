"""Batch scoring throughput: our TrainedModel on 1,000,000 rows against a bare LightGBM `predict`.

Data: a synthetic portfolio feature matrix (default 1,000,000 rows): 30 numeric features of the kinds a
repayment model sees (amounts, counts, shares, days; log-normal, Poisson, beta; 2-25 % missing in some)
and 2 categoricals (province, 31 levels; channel, 5 levels); the label is drawn from a logistic model
with some non-linear terms (about 14 % positives). A GBM and a scorecard are fitted through the engine
(`qingzhai.scoring.engine.train.fit`, kind "gbm" / "scorecard") on a 20,000-row sample drawn separately.

Measured, in chunks of 50,000 rows as a batch-scoring task would (`--chunk`), over the whole matrix:
  ours  predict_proba   TrainedModel.predict_proba(chunk): typing the columns, the model matrix, predict
  ours  score(top=3)    TrainedModel.score(chunk, top=3): probabilities, points, bands and, per row, the
                        top-3 reasons as Chinese and English sentences (GBM: LightGBM pred_contrib)
  peer  booster.predict LightGBM `Booster.predict` with the same booster (the one inside our GBM, loaded
                        from its text) on the same rows already as a float matrix (building it is not
                        timed), same chunks; also once in a single call on the whole matrix.
The calls of a phase run in turn on each chunk, so that a busy shared machine slows them alike. We check
that our GBM probabilities equal the calibrated bare predictions, print rows/s and the time ratio to the
bare booster, and each phase's peak resident memory (VmHWM, reset before the phase where the kernel
allows it; the input frame and the float matrix are already resident).

    .venv/bin/python benchmarks/model_throughput.py [--rows 1000000] [--chunk 50000] [--train-rows 20000]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from qingzhai.scoring.engine.spec import TrainSpec  # noqa: E402
from qingzhai.scoring.engine.train import fit  # noqa: E402

TARGET = "recovered"
PROVINCES = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新"
CHANNELS = ("consumer_loan", "credit_card", "microloan", "car_loan", "mortgage")
# name: (generator, missing share, weight in the true logit of "recovered")
NUMERIC: dict[str, tuple[str, float, float]] = {
    "principal_fen": ("lognormal:11.5:1.0", 0.0, -0.35),
    "overdue_fen": ("lognormal:10.5:1.2", 0.0, -0.30),
    "days_past_due": ("gamma:2:90", 0.0, -0.55),
    "age": ("uniform:20:70", 0.02, 0.10),
    "monthly_income_fen": ("lognormal:12.6:0.6", 0.25, 0.45),
    "income_months_12m": ("poisson:7", 0.20, 0.30),
    "payments_12m": ("poisson:3", 0.0, 0.50),
    "paid_share": ("beta:1.2:4", 0.0, 0.65),
    "promises_12m": ("poisson:1.5", 0.0, 0.10),
    "promises_kept_share": ("beta:2:2", 0.15, 0.40),
    "contacts_reached_30d": ("poisson:2", 0.0, 0.25),
    "calls_90d": ("poisson:12", 0.0, -0.05),
    "disputes": ("poisson:0.2", 0.0, -0.20),
    "court_records": ("poisson:0.3", 0.0, -0.35),
    "dishonest_flag": ("binary:0.05", 0.0, -0.40),
    "property_count": ("poisson:0.4", 0.10, 0.25),
    "vehicle_count": ("poisson:0.3", 0.10, 0.15),
    "employer_years": ("gamma:1.5:3", 0.20, 0.20),
    "spend_12m_fen": ("lognormal:12:1", 0.25, 0.10),
    "luxury_share": ("beta:0.5:8", 0.25, -0.10),
    "credit_funded_share": ("beta:1:5", 0.25, -0.25),
    "night_txn_share": ("beta:1:10", 0.25, -0.05),
    "balance_fen": ("lognormal:9:2", 0.25, 0.20),
    "loans_open": ("poisson:2", 0.05, -0.20),
    "credit_util": ("beta:2:3", 0.05, -0.30),
    "inquiries_6m": ("poisson:1.5", 0.05, -0.15),
    "dependants": ("poisson:1", 0.10, -0.05),
    "addresses_24m": ("poisson:0.8", 0.0, -0.10),
    "months_on_book": ("gamma:3:12", 0.0, 0.10),
    "installment_ratio": ("beta:2:6", 0.02, -0.20),
}


def column(rng: np.random.Generator, spec: str, n: int) -> np.ndarray:
    kind, *a = spec.split(":")
    p = [float(x) for x in a]
    if kind == "lognormal":
        return np.round(rng.lognormal(p[0], p[1], n))
    if kind == "gamma":
        return np.round(rng.gamma(p[0], p[1], n), 1)
    if kind == "uniform":
        return np.floor(rng.uniform(p[0], p[1], n))
    if kind == "poisson":
        return rng.poisson(p[0], n).astype(float)
    if kind == "beta":
        return np.round(rng.beta(p[0], p[1], n), 4)
    return (rng.random(n) < p[0]).astype(float)  # binary


def synthesise(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    cols: dict[str, np.ndarray | pd.Categorical] = {}
    logit = np.full(n, -2.4)
    for name, (gen, missing, weight) in NUMERIC.items():
        v = column(rng, gen, n)
        z = np.log1p(v) if gen.startswith(("lognormal", "gamma", "poisson")) else v
        z = (z - z.mean()) / (z.std() or 1.0)
        logit += weight * z
        if missing:
            v[rng.random(n) < missing] = np.nan
        cols[name] = v
    age = cols["age"]
    logit += 0.25 * np.nan_to_num(-(((age - 45) / 12) ** 2) + 1)  # non-linear: middle age repays best
    logit += 0.3 * np.tanh(np.nan_to_num(cols["paid_share"] * cols["payments_12m"], nan=0.0) - 1)
    province = rng.integers(0, len(PROVINCES), n)
    logit += np.linspace(-0.4, 0.4, len(PROVINCES))[province]
    channel = rng.choice(len(CHANNELS), n, p=[0.35, 0.3, 0.2, 0.1, 0.05])
    logit += np.array([0.0, -0.1, -0.4, 0.3, 0.5])[channel]
    cols["province"] = pd.Categorical.from_codes(province, list(PROVINCES))
    cols["channel"] = pd.Categorical.from_codes(channel, list(CHANNELS))
    cols[TARGET] = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.int8)
    df = pd.DataFrame(cols)
    for c in ("province", "channel"):  # as read from a CSV: text, not pandas categoricals
        df[c] = df[c].astype(str)
    return df


def reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def mem_mib(key: str = "VmHWM:") -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def race(n: int, chunk: int, calls: dict[str, Callable[[int, int], object]]) -> dict[str, float]:
    """Run every call on each chunk in turn (interleaved, so a busy shared machine slows all alike);
    print seconds and rows/s per call and the phase's peak resident memory."""
    before = mem_mib("VmRSS:")
    exact = reset_peak()
    secs = dict.fromkeys(calls, 0.0)
    for lo in range(0, n, chunk):
        for label, call in calls.items():
            t0 = time.perf_counter()
            call(lo, min(n, lo + chunk))
            secs[label] += time.perf_counter() - t0
    peak = mem_mib()
    note = f"peak RSS {peak:,.0f} MiB (+{peak - before:,.0f})" if exact else f"max RSS so far {peak:,.0f} MiB"
    for label, seconds in secs.items():
        print(f"  {label:<46} {seconds:7.2f} s  {n / seconds:>10,.0f} rows/s", flush=True)
    print(f"  {'':<46} {note}", flush=True)
    return secs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=50_000)
    parser.add_argument("--train-rows", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    import lightgbm as lgb

    from qingzhai.scoring.engine import gbm as gbm_mod

    t0 = time.perf_counter()
    sample = synthesise(args.train_rows, args.seed + 1)
    data = synthesise(args.rows, args.seed)
    X = data.drop(columns=[TARGET])
    y = data[TARGET].to_numpy()
    synth_s = time.perf_counter() - t0
    print(
        f"matrix: {args.rows:,} rows x {X.shape[1]} columns ({len(NUMERIC)} numeric, 2 categorical), "
        f"{int(X.isna().sum().sum()):,} missing cells, {y.mean():.1%} positives; synthesised in {synth_s:.1f} s; "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, pandas {pd.__version__}, "
        f"lightgbm {lgb.__version__}; chunks of {args.chunk:,}"
    )
    models = {}
    for kind in ("gbm", "scorecard"):
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            models[kind] = fit(sample, TrainSpec(target=TARGET, kind=kind, seed=0))  # type: ignore[arg-type]
        est = models[kind].estimator
        size = f"{est.best_iteration} trees" if kind == "gbm" else f"{len(est.features)} features"  # type: ignore[attr-defined]
        print(f"  fit {kind} on {args.train_rows:,} rows: {time.perf_counter() - t0:.1f} s ({size})")

    n, chunk = args.rows, args.chunk
    gbm, card = models["gbm"], models["scorecard"]
    booster = lgb.Booster(model_str=gbm.estimator.model_str)  # type: ignore[attr-defined]
    M = gbm_mod._matrix(X, gbm.estimator.features, gbm.estimator.categories)  # type: ignore[attr-defined]
    p_gbm, p_card, margin = np.empty(n), np.empty(n), np.empty(n)

    def ours_gbm(lo: int, hi: int) -> None:
        p_gbm[lo:hi] = gbm.predict_proba(X.iloc[lo:hi])

    def ours_card(lo: int, hi: int) -> None:
        p_card[lo:hi] = card.predict_proba(X.iloc[lo:hi])

    def bare(lo: int, hi: int) -> None:
        margin[lo:hi] = booster.predict(M[lo:hi], raw_score=True)

    def reasons(model: Any) -> Callable[[int, int], None]:
        def call(lo: int, hi: int) -> None:
            res = model.score(X.iloc[lo:hi], top=3)
            assert len(res.reasons) == hi - lo

        return call

    print("probabilities only:")
    secs = race(
        n,
        chunk,
        {
            "ours  gbm predict_proba": ours_gbm,
            "peer  LightGBM booster.predict, same booster": bare,
            "ours  scorecard predict_proba": ours_card,
        },
    )
    one = race(n, n, {"peer  LightGBM booster.predict, one call": lambda lo, hi: booster.predict(M)})
    print("with the top-3 reasons (Chinese and English sentences):")
    secs.update(
        race(
            n,
            chunk,
            {"ours  gbm score(top=3)": reasons(gbm), "ours  scorecard score(top=3)": reasons(card)},
        )
    )
    calibrated = 1 / (1 + np.exp(-(gbm.estimator.a * margin + gbm.estimator.b)))  # type: ignore[attr-defined]
    diff = float(np.max(np.abs(calibrated - p_gbm)))
    from sklearn.metrics import roc_auc_score

    print(
        f"  same probabilities as the bare booster: {diff < 1e-9} (max |diff| {diff:.1e}); "
        f"AUC on the {n:,} rows: gbm {roc_auc_score(y, p_gbm):.4f}, scorecard {roc_auc_score(y, p_card):.4f}"
    )
    bare_s = secs["peer  LightGBM booster.predict, same booster"]
    print(
        f"  time ratio ours / bare booster.predict (chunks; one call: "
        f"{one['peer  LightGBM booster.predict, one call'] / bare_s:.2f}x): "
        f"gbm predict_proba {secs['ours  gbm predict_proba'] / bare_s:.2f}x, "
        f"gbm score(top=3) {secs['ours  gbm score(top=3)'] / bare_s:.1f}x, "
        f"scorecard predict_proba {secs['ours  scorecard predict_proba'] / bare_s:.2f}x, "
        f"scorecard score(top=3) {secs['ours  scorecard score(top=3)'] / bare_s:.2f}x"
    )
    if diff >= 1e-9:
        raise SystemExit("our GBM and the bare booster disagree")


if __name__ == "__main__":
    main()

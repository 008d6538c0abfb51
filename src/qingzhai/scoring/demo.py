"""Scoring demo on top of the portfolio demo: a champion repayment model and a score with reasons on
every demo case, so the case page shows them from the first `make run`.

The model is learnt from the demo cases' own outcomes (label recovered_50_180) when enough of them are
observable. The demo history is short and its outcomes are drawn at random by the portfolio generator,
so such a model is weak: when there are too few labelled cases, or the model's held-out AUC is below
MIN_DEMO_AUC (it stays in the registry as a candidate), the champion is trained on a *synthetic outcome
history*, clearly named so in the model's note. Its rows are the demo cases' own
indicator values resampled with noise, for a small set of indicators known at placement or from the
work on the case, and its outcomes come from a fixed, documented logistic rule (SYNTHETIC_RULE): more
payments, reachable debtors and kept promises raise the chance of recovery; long arrears, large balances
and refusals lower it. The model is registered, promoted and then scores every demo case in one run.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from qingzhai.core.errors import DomainError

NAME = "repayment"
LABEL = "recovered_50_180"
SYNTHETIC_ROWS = 3000
SEED = 20260615
MIN_DEMO_AUC = 0.6
# indicator code -> weight on its standardised value (log1p first for money and counts)
SYNTHETIC_RULE: dict[str, float] = {
    "cr_payments_12m": 0.9,
    "cr_promise_kept_rate_12m": 0.6,
    "ct_rpc_rate_12m": 0.5,
    "ct_phones_valid": 0.3,
    "id_has_employer": 0.25,
    "liab_max_dpd": -0.7,
    "liab_outstanding_total": -0.5,
    "wil_refusals_12m": -0.5,
    "liab_debts_open": -0.2,
    "id_age_years": 0.1,
}
LOG_SCALED = ("liab_outstanding_total", "cr_payments_12m", "wil_refusals_12m", "liab_max_dpd")
NOTE_SYNTHETIC = (
    "演示模型：在合成的回收历史上训练（演示案件自身指标重抽样加噪声，结果按固定规则生成），不代表真实回收结果。"
    " / Demo model trained on a synthetic outcome history (the demo cases' own indicators resampled "
    "with noise, outcomes from a fixed rule); it does not reflect real recoveries."
)


def synthetic_history(cases: pd.DataFrame, *, rows: int = SYNTHETIC_ROWS, seed: int = SEED) -> pd.DataFrame:
    """A labelled table (SYNTHETIC_RULE's columns + "label") drawn from the cases' indicator values."""
    rng = np.random.default_rng(seed)
    codes = [c for c in SYNTHETIC_RULE if c in cases.columns]
    base = cases[codes].astype(float).reset_index(drop=True)
    if base.empty:
        base = pd.DataFrame({c: [0.0] for c in codes})
    picked = base.iloc[rng.integers(0, len(base), size=rows)].reset_index(drop=True)
    noise = rng.lognormal(mean=0.0, sigma=0.25, size=picked.shape)
    sample = picked * noise
    for code in codes:
        if code.startswith(("id_has_", "ct_has_")):
            sample[code] = picked[code]  # yes/no stays yes/no
        elif not code.endswith(("_rate_12m", "_share")):
            sample[code] = sample[code].round()
    z = np.zeros(rows)
    for code in codes:
        col = sample[code].to_numpy(dtype=float)
        if code in LOG_SCALED:
            col = np.log1p(np.clip(col, 0, None))
        known = col[~np.isnan(col)]
        filled = np.where(np.isnan(col), float(np.median(known)) if len(known) else 0.0, col)
        sd = filled.std() or 1.0
        z += SYNTHETIC_RULE[code] * (filled - filled.mean()) / sd
    z += rng.normal(0.0, 0.8, size=rows) - 0.4
    sample["label"] = (rng.random(rows) < 1 / (1 + np.exp(-z))).astype(int)
    return sample


def _train_synthetic(case_ids: list[int]) -> Any:
    from qingzhai.core.clock import business_today
    from qingzhai.scoring import services
    from qingzhai.scoring.engine import train as train_mod
    from qingzhai.scoring.engine.spec import TrainSpec
    from qingzhai.scoring.features import case_features, indicator_features
    from qingzhai.scoring.labels import LABELS

    frame, _ = case_features(case_ids, as_of_by_case=business_today())
    history = synthetic_history(frame)
    infos = indicator_features([c for c in SYNTHETIC_RULE if c in history.columns])
    spec = TrainSpec(target="label", kind="scorecard", seed=42, label=LABELS[LABEL], features=tuple(infos))
    trained = train_mod.train(history, spec)
    return services.model_register(
        actor="demo", name=NAME, trained=trained, feature_source="indicators", note=NOTE_SYNTHETIC
    )


def scoring_demo_load(*, reset: bool = False) -> dict[str, Any]:
    """Train (from the cases, else on synthetic history), promote and score every demo case. With a
    champion already there (and no reset) only the scoring run is made."""
    from qingzhai.portfolio.models import Case
    from qingzhai.scoring import services
    from qingzhai.scoring.models import ScoringModel, ScoringRun

    case_ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    if not case_ids:
        return {"models": 0, "scored": 0}
    model = ScoringModel.objects.filter(name=NAME, status=ScoringModel.Status.CHAMPION).first()
    source = "existing"
    if model is None or reset:
        try:
            model = services.model_train_from_cases(
                actor="demo",
                name=NAME,
                label_code=LABEL,
                kind="scorecard",
                note="演示案件结果 / demo case outcomes",
            )
            source = "cases"
        except DomainError as exc:
            if exc.code not in ("scoring_too_few_labels", "label_leakage", "scoring_error"):
                raise
            model = None
        auc = model.metrics.get("auc") if model is not None else None
        if model is None or not isinstance(auc, float) or auc < MIN_DEMO_AUC:
            model = _train_synthetic(case_ids)
            source = "synthetic"
        services.model_promote(actor="demo", model_id=model.pk, reason="演示冠军模型 / demo champion")
    run = services.scoring_run_start(actor="demo", model_id=model.pk)
    run = ScoringRun.objects.get(pk=run.pk)
    auc = model.metrics.get("auc")
    return {
        "model_version": model.version,
        "trained_on": source,
        "auc": round(auc, 4) if isinstance(auc, float) and math.isfinite(auc) else None,
        "scored": run.scored,
    }

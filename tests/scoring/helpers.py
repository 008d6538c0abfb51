"""A small model over a few profile indicators, trained once per test session (pure engine, no database),
and cases whose indicators differ enough for every score to have three reasons."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from qingzhai.portfolio.services import case_refresh_totals
from qingzhai.scoring.engine import train as train_mod
from qingzhai.scoring.engine.model import TrainedModel
from qingzhai.scoring.engine.spec import TrainSpec
from qingzhai.scoring.features import indicator_features
from qingzhai.scoring.labels import LABELS
from tests.factories import CaseFactory, ContactPointFactory, DebtFactory

CODES = ("liab_outstanding_total", "liab_max_dpd", "ct_phones_valid", "liab_debts_open")


def training_frame(rows: int = 600, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "liab_outstanding_total": rng.integers(50_000, 5_000_000, rows).astype(float),
            "liab_max_dpd": rng.integers(0, 720, rows).astype(float),
            "ct_phones_valid": rng.integers(0, 4, rows).astype(float),
            "liab_debts_open": rng.integers(1, 4, rows).astype(float),
        }
    )
    z = (
        -1.2 * (np.log(df["liab_outstanding_total"]) - 13.5)
        - 0.004 * (df["liab_max_dpd"] - 360)
        + 0.9 * (df["ct_phones_valid"] - 1.5)
        - 0.5 * (df["liab_debts_open"] - 2)
    )
    df["label"] = (rng.random(rows) < 1 / (1 + np.exp(-z))).astype(int)
    return df


@functools.cache
def trained_model() -> TrainedModel:
    spec = TrainSpec(
        target="label",
        kind="scorecard",
        seed=42,
        label=LABELS["recovered_50_180"],
        features=tuple(indicator_features(CODES)),
    )
    return train_mod.train(training_frame(), spec)


def varied_case(n: int, **case_kwargs):
    """A case whose balance, arrears and phones depend on n (0..5): low n pays, high n does not."""
    case = CaseFactory(**case_kwargs)
    for _ in range(1 + n % 3):
        DebtFactory(case=case, principal_fen=100_000 * (1 + n) ** 2, dpd=60 * (1 + 2 * n))
    for _ in range(3 - min(n, 3)):
        ContactPointFactory(debtor=case.debtor)
    return case_refresh_totals(case=case)

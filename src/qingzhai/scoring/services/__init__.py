"""Every write of scoring: the model registry, batch and single scoring, the drift monitor.

registry.py  model_register, model_train_from_cases, model_promote, model_retire
runs.py      scoring_run_start, scoring_run_chunk, case_score_now
drift.py     drift_check_month, drift_check_all, drift_acknowledge
"""

from __future__ import annotations

from qingzhai.scoring.services.drift import drift_acknowledge, drift_check_all, drift_check_month
from qingzhai.scoring.services.registry import (
    MIN_LABELLED,
    model_promote,
    model_register,
    model_retire,
    model_train_from_cases,
)
from qingzhai.scoring.services.runs import CHUNK_SIZE, case_score_now, scoring_run_chunk, scoring_run_start

__all__ = [
    "CHUNK_SIZE",
    "MIN_LABELLED",
    "case_score_now",
    "drift_acknowledge",
    "drift_check_all",
    "drift_check_month",
    "model_promote",
    "model_register",
    "model_retire",
    "model_train_from_cases",
    "scoring_run_chunk",
    "scoring_run_start",
]

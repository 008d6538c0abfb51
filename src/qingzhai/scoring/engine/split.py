"""Train/test splits: out-of-time when a time column exists, stratified otherwise, always seeded."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from .spec import ScoringError, TrainSpec

if TYPE_CHECKING:
    from .data import Prepared


@dataclass(frozen=True)
class Split:
    train_idx: np.ndarray  # positions into Prepared.X / y, ascending
    test_idx: np.ndarray
    method: str  # "time" | "stratified"
    cutoff: str | None  # ISO date of the first test row (time split)


def split(prepared: Prepared, spec: TrainSpec) -> Split:
    """Hold out the latest `spec.test_size` share (ties at the cutoff go to test), or a stratified share."""
    y = np.asarray(prepared.y).astype(int)
    if prepared.time is not None:
        train, test, cutoff = _time_split(y, prepared.time, spec.test_size)
        method = "time"
    else:
        train, test = _stratified(y, spec.test_size, spec.seed)
        method, cutoff = "stratified", None
    _both_classes(y, train, test, what="训练集/测试集", what_en="training and test sets")
    return Split(train_idx=train, test_idx=test, method=method, cutoff=cutoff)


def inner_split(y: Any, time: Any, *, seed: int, size: float = 0.2) -> tuple[np.ndarray, np.ndarray]:
    """(fit positions, validation positions) inside a training set: the latest `size` share when `time`
    is given (falling back to stratified when that leaves a class out of either side), else stratified."""
    yy = np.asarray(y).astype(int)
    if time is not None:
        fit, valid, _ = _time_split(yy, time, size)
        if _has_both(yy[fit]) and _has_both(yy[valid]):
            return fit, valid
    fit, valid = _stratified(yy, size, seed)
    _both_classes(yy, fit, valid, what="拟合集/验证集", what_en="fitting and validation sets")
    return fit, valid


def _time_split(y: np.ndarray, time: Any, size: float) -> tuple[np.ndarray, np.ndarray, str]:
    t = pd.to_datetime(pd.Series(np.asarray(time)))
    n = len(y)
    if len(t) != n:
        raise ValueError("time and y differ in length")
    if t.isna().any():
        raise ScoringError(
            "时间列有缺失值，无法按时间切分。", "The time column has missing values.", field="time_col"
        )
    n_test = min(max(1, math.ceil(size * n)), n - 1) if n > 1 else 1
    order = np.argsort(t.to_numpy(), kind="stable")
    cut = t.iloc[order[n - n_test]]
    is_test = (t >= cut).to_numpy()
    train, test = np.flatnonzero(~is_test), np.flatnonzero(is_test)
    if len(train) == 0:
        raise ScoringError(
            "所有记录的日期相同，无法按时间切分。",
            "Every row has the same date at the cutoff; a time split is impossible.",
            field="time_col",
        )
    return train, test, pd.Timestamp(cut).date().isoformat()


def _stratified(y: np.ndarray, size: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    positions = np.arange(len(y))
    try:
        a, b = train_test_split(positions, test_size=size, stratify=y, random_state=seed)
    except ValueError as exc:
        raise ScoringError(
            f"样本太少，无法分层切分（每个类别至少需要 2 行）：{exc}",
            f"Too few rows for a stratified split (each class needs at least 2 rows): {exc}",
            field="target",
        ) from exc
    return np.sort(a), np.sort(b)


def _has_both(y: np.ndarray) -> bool:
    return len(np.unique(y)) == 2


def _both_classes(y: np.ndarray, a: np.ndarray, b: np.ndarray, *, what: str, what_en: str) -> None:
    if not (_has_both(y[a]) and _has_both(y[b])):
        raise ScoringError(
            f"{what}必须同时包含两个类别；请提供更多数据或更换切分方式。",
            f"The {what_en} must both contain both classes; provide more data or another split.",
            field="target",
        )

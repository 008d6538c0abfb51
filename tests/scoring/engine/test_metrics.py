from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.metrics import brier_score_loss, f1_score, roc_auc_score

from qingzhai.scoring.engine.metrics import (
    auc,
    calibration_table,
    choose_threshold,
    evaluate,
    gini,
    ks,
    psi,
    psi_categorical,
    psi_table,
    quantile_edges,
)

Y = np.array([0, 0, 1, 1, 0, 1, 0, 1, 1, 0])
P = np.array([0.1, 0.4, 0.35, 0.8, 0.2, 0.7, 0.6, 0.9, 0.3, 0.05])


def test_against_sklearn() -> None:
    assert auc(Y, P) == pytest.approx(roc_auc_score(Y, P))
    assert gini(Y, P) == pytest.approx(2 * roc_auc_score(Y, P) - 1)
    m = evaluate(Y, P, 0.5)
    assert m["brier"] == pytest.approx(brier_score_loss(Y, P))
    assert m["f1"] == pytest.approx(f1_score(Y, P >= 0.5))
    # p >= 0.5: 0.9, 0.8, 0.7 (y=1) and 0.6 (y=0); missed: 0.35, 0.3 (y=1) -> 3 wrong of 10
    assert m["accuracy"] == pytest.approx(0.7)
    assert (m["precision"], m["recall"]) == (0.75, 0.6)
    assert (m["n"], m["positives"], m["threshold"]) == (10, 5, 0.5)


def test_ks_hand_example() -> None:
    # y sorted by p descending: 1 (0.9), 1 (0.8), 1 (0.7), 0 (0.6), 0 (0.4), 1 (0.35), 1 (0.3), 0 (0.2), 0 (0.1), 0 (0.05)
    # after the top 3: TPR = 3/5, FPR = 0 -> KS = 0.6; no later cut does better (e.g. top 7: 5/5 - 2/5 = 0.6)
    assert ks(Y, P) == pytest.approx(0.6)
    assert math.isnan(ks([1, 1], [0.2, 0.3]))
    assert math.isnan(auc([0, 0], [0.2, 0.3]))


def test_choose_threshold_max_f1_ties_higher() -> None:
    # t=0.7: tp 3 fp 0 fn 2 -> F1 6/8 = 0.75; t=0.3: tp 5 fp 2 -> 10/12 = 0.833 (best)
    assert choose_threshold(Y, P) == 0.3
    # tie: t=0.9 gives F1 2/3, t=0.5 gives 2*2/(4+2+0) = 2/3 -> the higher threshold wins
    y = np.array([1, 0, 0, 1])
    p = np.array([0.9, 0.8, 0.7, 0.5])
    assert choose_threshold(y, p) == 0.9


def test_calibration_table() -> None:
    p = np.repeat([0.1, 0.5, 0.9], 4)
    y = np.array([0, 0, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1])
    rows = calibration_table(y, p, bins=3)
    assert [(r["bin"], r["n"], r["mean_predicted"], r["observed_rate"]) for r in rows] == [
        (1, 4, 0.1, 0.25),
        (2, 4, 0.5, 0.5),
        (3, 4, 0.9, 1.0),
    ]


def test_psi_hand_example() -> None:
    # expected shares 0.25/0.25/0.25/0.25, actual 0.10/0.20/0.30/0.40:
    #   (0.10-0.25)·ln(0.10/0.25) = -0.15 · -0.916291 = 0.137444
    #   (0.20-0.25)·ln(0.20/0.25) = -0.05 · -0.223144 = 0.011157
    #   (0.30-0.25)·ln(0.30/0.25) =  0.05 ·  0.182322 = 0.009116
    #   (0.40-0.25)·ln(0.40/0.25) =  0.15 ·  0.470004 = 0.070501
    #   sum = 0.228217 (0.2282174096)
    expected = np.repeat([1.0, 2.0, 3.0, 4.0], 25)
    actual = np.repeat([1.0, 2.0, 3.0, 4.0], [10, 20, 30, 40])
    assert psi(expected, actual, edges=[1.5, 2.5, 3.5]) == pytest.approx(0.2282174, abs=1e-7)
    assert quantile_edges(expected, bins=4) == [1.75, 2.5, 3.25]
    assert psi(expected, actual, bins=4) == pytest.approx(0.2282174, abs=1e-7)
    table = psi_table(expected, actual, bins=4)
    assert [r["bin"] for r in table] == ["(-inf, 1.75]", "(1.75, 2.5]", "(2.5, 3.25]", "(3.25, inf]"]
    assert [r["actual_share"] for r in table] == [0.1, 0.2, 0.3, 0.4]
    assert table[0]["psi"] == pytest.approx(0.137444, abs=1e-6)
    assert psi(expected, expected, bins=4) == 0.0


def test_psi_empty_bin_and_missing() -> None:
    expected = [1.0, 2.0, None, 4.0]
    actual = [1.0, 1.0, 1.0, 1.0]
    # bins (-inf,1.5], (1.5,3], (3,inf], missing: e = 1/4 each; a = 1, 0, 0, 0 (floored to 1e-4)
    want = (1 - 0.25) * math.log(1 / 0.25) + 3 * (1e-4 - 0.25) * math.log(1e-4 / 0.25)
    assert psi(expected, actual, edges=[1.5, 3.0]) == pytest.approx(want)
    assert psi_table(expected, actual, edges=[1.5, 3.0])[-1]["bin"] == "missing"
    assert math.isfinite(psi([1.0] * 10, [5.0] * 10))


def test_psi_categorical() -> None:
    expected = ["a"] * 50 + ["b"] * 50
    actual = ["a"] * 20 + ["b"] * 60 + [None] * 20
    want = (
        (0.2 - 0.5) * math.log(0.2 / 0.5)
        + (0.6 - 0.5) * math.log(0.6 / 0.5)
        + (0.2 - 1e-4) * math.log(0.2 / 1e-4)
    )
    assert psi_categorical(expected, actual) == pytest.approx(want)
    assert psi_categorical(expected, expected) == 0.0

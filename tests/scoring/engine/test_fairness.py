from __future__ import annotations

import numpy as np
import pandas as pd

from qingzhai.scoring.engine.fairness import report


def test_report_rates_auc_and_four_fifths_flag() -> None:
    # 40 men: 20 scored >= 0.5 -> rate 0.5; 40 women: 12 >= 0.5 -> 0.3; ratio 0.6 < 0.8 -> flagged
    # 10 "未知": too small to count in the ratio
    sex = ["男"] * 40 + ["女"] * 40 + ["未知"] * 10
    prob = np.r_[np.repeat([0.7, 0.2], 20), np.repeat([0.6, 0.1], [12, 28]), np.full(10, 0.9)]
    y = np.r_[
        np.repeat([1, 0], 20), np.r_[np.repeat([1, 0], [6, 6]), np.repeat([1, 0], [2, 26])], np.ones(10)
    ]
    treatment = pd.Series(["call"] * 30 + ["court"] * 10 + ["call"] * 40 + ["sms"] * 10)
    protected = pd.DataFrame({"性别": sex, "region": ["n"] * 90})
    out = report(protected, prob, 0.5, y=y, treatment=treatment)
    sex_report = out["attributes"][0]
    assert sex_report["attribute"] == "性别"
    groups = {g["group"]: g for g in sex_report["groups"]}
    assert [g["group"] for g in sex_report["groups"]] == ["女", "未知", "男"]
    assert (groups["男"]["n"], groups["男"]["positive_rate"], groups["男"]["auc"]) == (40, 0.5, 1.0)
    assert groups["男"]["mean_probability"] == 0.45
    assert groups["女"]["positive_rate"] == 0.3
    assert groups["女"]["observed_rate"] == 0.2
    # women: 8 positives, 32 negatives. Positives at 0.6 beat the 26 negatives at 0.1 (6·26) and tie the 6
    # at 0.6 (6·6·½); positives at 0.1 tie the 26 negatives at 0.1 (2·26·½): (156 + 18 + 26) / 256
    assert groups["女"]["auc"] == 200 / 256
    assert groups["未知"]["auc"] is None  # one class only
    assert sex_report["positive_rate_ratio"] == 0.3 / 0.5
    assert sex_report["flag"] is True
    assert sex_report["treatment"]["男"] == {"call": 0.75, "court": 0.25}
    assert sex_report["treatment"]["未知"] == {"sms": 1.0}
    region = out["attributes"][1]
    assert region["positive_rate_ratio"] is None and region["flag"] is False  # a single group
    assert "性别" in out["note_zh"] and "性别" in out["note_en"]


def test_report_without_y_and_without_protected() -> None:
    protected = pd.DataFrame({"g": ["a"] * 30 + ["b"] * 30})
    prob = np.r_[np.full(30, 0.6), np.r_[np.full(27, 0.6), np.full(3, 0.1)]]
    out = report(protected, prob, 0.5)
    attr = out["attributes"][0]
    assert attr["positive_rate_ratio"] == 0.9 and attr["flag"] is False
    assert attr["groups"][0]["auc"] is None and attr["groups"][0]["observed_rate"] is None
    assert attr["treatment"] is None
    empty = report(pd.DataFrame(index=range(3)), np.array([0.1, 0.2, 0.3]), 0.5)
    assert empty["attributes"] == []
    assert "没有受保护属性" in empty["note_zh"] and "No protected attribute" in empty["note_en"]

"""Reasons: ordered by effect, bilingual sentences, values formatted for people."""

from __future__ import annotations

import numpy as np
import pytest

from qingzhai.scoring.engine.explain import format_value, reasons
from qingzhai.scoring.engine.spec import FeatureInfo

FEATURES = [
    FeatureInfo("income6", "numeric", name_zh="近6个月收入", name_en="Income, last 6 months"),
    FeatureInfo("debt", "numeric", name_zh="欠款", name_en="Debt", unit="fen"),
    FeatureInfo("util", "numeric", name_zh="额度使用率", name_en="Utilisation", unit="ratio"),
    FeatureInfo("region", "categorical", name_zh="地区", name_en="Region"),
    FeatureInfo("tiny", "numeric"),
]


def test_most_influential_first_with_sentences():
    values = {"income6": 3200.0, "debt": 1234550, "util": 0.375, "region": "华东", "tiny": 1.0}
    points = {"income6": -25.2, "debt": 4.4, "util": 31.0, "region": -0.2, "tiny": 0.49}
    out = reasons(FEATURES, values, points)
    assert [r.feature for r in out] == ["util", "income6", "debt"]
    util, income, debt = out
    assert income.text_zh == "「近6个月收入」为 3,200，使评分降低 25 分"
    assert income.text_en == "Income, last 6 months is 3,200, which lowers the score by 25 points"
    assert util.text_zh == "「额度使用率」为 37.5%，使评分提高 31 分"
    assert util.text_en == "Utilisation is 37.5%, which raises the score by 31 points"
    assert debt.text_en == "Debt is ¥12,345.50, which raises the score by 4 points"
    assert income.points == -25.2
    assert income.value == "3,200"
    assert income.as_dict()["points"] == -25.2


def test_missing_small_effects_and_top():
    values = {"income6": float("nan"), "region": None}
    points = {"income6": 1.2, "region": -0.6, "tiny": -0.3, "debt": 0.0}
    out = reasons(FEATURES, values, points, top=5)
    assert [r.feature for r in out] == ["income6", "region"]
    assert out[0].text_zh == "「近6个月收入」为 缺失，使评分提高 1 分"
    assert out[0].text_en == "Income, last 6 months is missing, which raises the score by 1 point"
    assert out[0].value is None
    assert out[1].text_en == "Region is missing, which lowers the score by 1 point"
    assert len(reasons(FEATURES, values, points, top=1)) == 1
    assert reasons(FEATURES, values, {"tiny": 0.49}) == []


def test_feature_without_labels_uses_its_name():
    out = reasons([FeatureInfo("x_1", "numeric")], {"x_1": 2}, {"x_1": -3.0})
    assert out[0].text_en == "x_1 is 2, which lowers the score by 3 points"
    assert out[0].text_zh == "「x_1」为 2，使评分降低 3 分"


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (3200, "", "3,200"),
        (1234567.891, "", "1,234,567.89"),
        (0.5, "", "0.5"),
        (-1500.0, "", "-1,500"),
        (np.float64(2.25), "", "2.25"),
        (np.int64(7), "days", "7 days"),
        (320000, "fen", "¥3,200"),
        (-5, "fen", "-¥0.05"),
        (12.5, "%", "12.5%"),
        (0.125, "share", "12.5%"),
        ("本科", "", "本科"),
        (None, "", None),
        (np.nan, "fen", None),
    ],
)
def test_format_value(value, unit, shown):
    assert format_value(value, unit) == shown


def test_yes_no_features_read_as_words() -> None:
    from qingzhai.scoring.engine.explain import reasons as _reasons
    from qingzhai.scoring.engine.spec import FeatureInfo as _F

    f = _F("emp_known", "numeric", "工作单位已知", "Employer known", unit="bool")
    (no,) = _reasons([f], {"emp_known": 0.0}, {"emp_known": -16.2})
    assert no.text_zh == "「工作单位已知」为 否，使评分降低 16 分"
    assert no.text_en == "Employer known is no, which lowers the score by 16 points"
    (yes,) = _reasons([f], {"emp_known": 1.0}, {"emp_known": 3.0})
    assert yes.text_zh == "「工作单位已知」为 是，使评分提高 3 分"

"""The training pipeline end to end on synthetic data (fast, no database)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from qingzhai.scoring.engine import train as train_mod
from qingzhai.scoring.engine.model import TrainedModel, bands_for, points_from_prob
from qingzhai.scoring.engine.spec import LabelDefinition, LeakageError, Scaling, ScoringError, TrainSpec


def synthetic(n: int = 800, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    income = rng.gamma(2.0, 3000.0, n)
    overdue = rng.integers(0, 400, n).astype(float)
    city = rng.choice(["北京", "上海", "成都", "西安"], n)
    noise = rng.normal(size=n)
    noise[rng.random(n) < 0.1] = np.nan
    logit = -0.5 + 0.0002 * (income - 6000) - 0.006 * (overdue - 200) + np.where(city == "北京", 0.4, 0.0)
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return pd.DataFrame(
        {
            "客户编号": [f"C{100000 + i}" for i in range(n)],
            "申请日期": pd.date_range("2024-01-01", periods=n, freq="D").strftime("%Y-%m-%d"),
            "月收入": income.round(2),
            "逾期天数": overdue,
            "城市": city,
            "噪声": noise,
            "性别": rng.choice(["男", "女"], n),
            "还款": y,
        }
    )


LABEL = LabelDefinition(
    code="recovered_50_180",
    name_zh="180天内回收≥50%",
    name_en="≥ 50 % recovered within 180 days",
    description_zh="观察日后180天内还款累计达到余额的一半",
    description_en="Payments within 180 days of the observation date reach half the balance",
)


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return synthetic()


@pytest.fixture(scope="module")
def auto_model(frame: pd.DataFrame) -> TrainedModel:
    return train_mod.train(frame, TrainSpec(target="还款", kind="auto", label=LABEL, seed=3))


def test_label_definition_is_stored_with_the_model(auto_model: TrainedModel, tmp_path) -> None:
    auto_model.save(tmp_path / "m")
    loaded = TrainedModel.load(tmp_path / "m")
    assert loaded.label == LABEL
    assert loaded.to_payload()["label"]["name_zh"] == "180天内回收≥50%"


def test_identifier_protected_and_date_columns_are_not_features(auto_model: TrainedModel) -> None:
    used = {f.name for f in auto_model.features}
    assert "客户编号" not in used and "性别" not in used and "申请日期" not in used
    reasons = {d.column: d.reason for d in auto_model.dropped}
    assert reasons["客户编号"] == "identifier"
    assert reasons["性别"] == "protected"
    assert "月收入" in used and "逾期天数" in used


def test_held_out_metrics_and_fairness_report(auto_model: TrainedModel) -> None:
    m = auto_model.metrics
    assert m["n"] == auto_model.data["n_test"] == 160
    assert auto_model.data["n_train"] == 640
    assert 0.65 < m["auc"] <= 1.0
    assert m["gini"] == pytest.approx(2 * m["auc"] - 1, abs=1e-5)
    assert 0 <= m["brier"] < 0.25
    assert auto_model.validation["chosen"] == auto_model.kind
    attrs = {a["attribute"] for a in auto_model.fairness["attributes"]}
    assert attrs == {"性别"}
    assert sum(row["n"] for row in auto_model.calibration) == 160


def test_auto_prefers_the_scorecard_within_the_margin(frame: pd.DataFrame) -> None:
    wide = train_mod.train(frame, TrainSpec(target="还款", kind="auto", auto_margin=1.0, seed=3))
    assert wide.kind == "scorecard"
    assert wide.validation["why"] == "scorecard_within_margin"
    narrow = train_mod.train(frame, TrainSpec(target="还款", kind="auto", auto_margin=-1.0, seed=3))
    assert narrow.kind == "gbm"


def test_time_column_gives_an_out_of_time_split(frame: pd.DataFrame) -> None:
    model = train_mod.train(frame, TrainSpec(target="还款", kind="scorecard", time_col="申请日期", seed=1))
    assert model.data["split_method"] == "time"
    # the last 20 % of 800 consecutive days starts on day 640
    assert model.data["cutoff"] == "2025-10-02"


@pytest.mark.parametrize("kind", ["scorecard", "gbm"])
def test_same_seed_gives_the_same_model(frame: pd.DataFrame, kind: str) -> None:
    a = train_mod.train(frame, TrainSpec(target="还款", kind=kind, seed=11))  # type: ignore[arg-type]
    b = train_mod.train(frame, TrainSpec(target="还款", kind=kind, seed=11))  # type: ignore[arg-type]
    assert a.estimator.to_dict() == b.estimator.to_dict()
    assert a.metrics == b.metrics
    np.testing.assert_array_equal(a.predict_proba(frame), b.predict_proba(frame))


def test_leakage_is_refused_through_training(frame: pd.DataFrame) -> None:
    leaky = frame.assign(结清标志=frame["还款"].map({1: "已结清", 0: "未结清"}))
    with pytest.raises(LeakageError) as err:
        train_mod.train(leaky, TrainSpec(target="还款"))
    assert err.value.field == "结清标志"
    assert "结清标志" in err.value.message_zh


def test_scores_reasons_and_round_trip(auto_model: TrainedModel, frame: pd.DataFrame, tmp_path) -> None:
    head = frame.head(5)
    res = auto_model.score(head, top=3)
    assert len(res.probability) == 5 and all(0 < p < 1 for p in res.probability)
    assert list(res.points) == list(points_from_prob(res.probability, auto_model.scaling))
    assert all(b in "ABCDE" for b in res.band)
    assert all(1 <= len(r) <= 3 for r in res.reasons)
    first = res.reasons[0][0]
    assert first.text_zh and first.text_en and first.feature in {f.name for f in auto_model.features}
    auto_model.save(tmp_path / "m")
    again = TrainedModel.load(tmp_path / "m").score(head, top=3)
    np.testing.assert_allclose(again.probability, res.probability)
    assert [[r.text_zh for r in rs] for rs in again.reasons] == [
        [r.text_zh for r in rs] for rs in res.reasons
    ]


def test_missing_feature_column_at_scoring_is_a_clear_error(
    auto_model: TrainedModel, frame: pd.DataFrame
) -> None:
    with pytest.raises(ScoringError) as err:
        auto_model.score(frame.drop(columns=["月收入"]).head(3))
    assert "月收入" in err.value.message_zh


def test_points_scale_and_bands() -> None:
    s = Scaling(base_points=600, base_odds=1.0, pdo=40)
    assert list(points_from_prob(np.array([0.5, 2 / 3, 0.8]), s)) == [600, 640, 680]
    assert bands_for(np.array([100, 500, 650, 900]), [400.0, 550.0, 600.0, 700.0]) == ["E", "D", "B", "A"]


def test_too_little_data_is_refused() -> None:
    tiny = synthetic(n=15)
    with pytest.raises(ScoringError):
        train_mod.train(tiny, TrainSpec(target="还款"))


def test_fairness_reports_treatment_by_protected_group(frame: pd.DataFrame) -> None:
    df = frame.copy()
    df.loc[df.index[:30], "还款"] = np.nan  # rows without an outcome are dropped, treatment stays aligned
    df["处置"] = np.where(df["性别"] == "男", "诉讼", "短信")
    model = train_mod.train(df, TrainSpec(target="还款", kind="scorecard", seed=2), treatment_col="处置")
    assert "处置" not in {f.name for f in model.features}
    (gender,) = model.fairness["attributes"]
    assert gender["treatment"] == {"女": {"短信": 1.0}, "男": {"诉讼": 1.0}}

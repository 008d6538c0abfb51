from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from qingzhai.scoring.engine.data import check_leakage, prepare, prepare_for_scoring, read_table
from qingzhai.scoring.engine.spec import FeatureInfo, LabelDefinition, LeakageError, ScoringError, TrainSpec


def frame(n: int = 200, seed: int = 0) -> pd.DataFrame:
    """A noisy, legitimate credit-like table: no column determines the label."""
    rng = np.random.default_rng(seed)
    income = rng.normal(5000, 1500, n).round(0)
    debt = rng.uniform(0, 1, n).round(3)
    city = rng.choice(["北京", "上海", "广州"], n)
    logit = -1 + 1.5 * debt - 0.0003 * (income - 5000) + rng.normal(0, 1, n)
    y = (logit > np.quantile(logit, 0.7)).astype(int)
    return pd.DataFrame({"收入": income, "负债率": debt, "城市": city, "违约": y})


def test_target_variants_are_parsed() -> None:
    base = frame(40)
    cases = {
        "numeric": (base["违约"], None),
        "bool": (base["违约"].astype(bool), None),
        "yes_no": (base["违约"].map({1: "Yes", 0: "no"}), None),
        "zh": (base["违约"].map({1: "是", 0: "否"}), None),
        "good_bad": (base["违约"].map({1: "bad", 0: "good"}), None),
        "zh_good_bad": (base["违约"].map({1: "坏", 0: "好"}), None),
        "default_only_known": (base["违约"].map({1: "违约", 0: "已还清"}), None),
        "positive": (base["违约"].map({1: "recovered", 0: "lost"}), ("recovered",)),
    }
    for name, (target, positive) in cases.items():
        df = base.assign(违约=target)
        label = None
        if positive:
            label = LabelDefinition("rec", "回款", "recovered", "回款", "recovered", positive=positive)
        p = prepare(df, TrainSpec(target="违约", label=label))
        assert p.y.dtype == np.int8, name
        assert p.y.tolist() == base["违约"].tolist(), name
    p = prepare(base.assign(违约=base["违约"].map({1: "bad", 0: "good"})), TrainSpec(target="违约"))
    assert p.label.code == "违约"
    assert p.label.positive == ("bad",)
    assert p.label.name_zh == "目标列「违约」"


def test_target_errors_name_the_column_and_values() -> None:
    base = frame(40)
    with pytest.raises(ScoringError) as e:
        prepare(base, TrainSpec(target="absent"))
    assert e.value.field == "target"
    with pytest.raises(ScoringError) as e:
        prepare(base.assign(违约=1), TrainSpec(target="违约"))
    assert "违约" in e.value.message_zh
    assert "single class" in e.value.message_en
    with pytest.raises(ScoringError) as e:
        prepare(base.assign(违约=np.resize(["A", "B", "C"], 40)), TrainSpec(target="违约"))
    assert "A, B, C" in e.value.message_en
    assert e.value.field == "target"


def test_rows_with_missing_target_are_dropped_and_counted() -> None:
    df = frame(50)
    df["违约"] = df["违约"].astype(object)
    df.loc[[3, 7], "违约"] = None
    p = prepare(df, TrainSpec(target="违约"))
    assert p.rows_input == 50
    assert p.rows_dropped_no_target == 2
    assert len(p.X) == len(p.y) == 48


def test_chinese_columns_kept_and_typed_with_missing_values() -> None:
    df = frame(100)
    df.loc[[0, 5], "收入"] = np.nan
    df.loc[[1, 6], "城市"] = None
    df["金额"] = [f"¥{v:,.0f}" for v in np.arange(100) * 1000 + 37]
    df.loc[2, "金额"] = None
    p = prepare(df, TrainSpec(target="违约"))
    assert list(p.X.columns) == ["收入", "负债率", "城市", "金额"]
    assert [f.dtype for f in p.features] == ["numeric", "numeric", "categorical", "numeric"]
    assert p.X["收入"].dtype == np.float64
    assert p.X["收入"].isna().sum() == 2
    assert p.X["城市"].isna().sum() == 2
    assert p.categories["城市"] == ["上海", "北京", "广州"]
    assert p.X["金额"].iloc[1] == 1037.0
    assert np.isnan(p.X["金额"].iloc[2])


def test_identifiers_dates_and_constants_are_dropped() -> None:
    df = frame(120)
    n = len(df)
    df.insert(0, "rownames", np.arange(1, n + 1))
    df["customer_id"] = np.random.default_rng(1).permutation(n) + 1000
    df["身份证号"] = [f"11010119900101{i:04d}" for i in range(n)]
    df["counter"] = np.random.default_rng(2).permutation(n)  # a shuffled row counter, neutral name
    df["合同"] = [f"HT-{i:05d}-X" for i in range(n)]  # unique strings
    df["申请日期"] = pd.date_range("2023-01-01", periods=n).strftime("%Y-%m-%d")
    df["渠道"] = "app"
    df["空列"] = np.nan
    df["telephone"] = np.resize(["yes", "none"], n)  # a 2-level "telephone" flag is a feature
    p = prepare(df, TrainSpec(target="违约", exclude=("负债率",)))
    reasons = {d.column: d.reason for d in p.dropped}
    assert reasons == {
        "违约": "target",
        "rownames": "identifier",
        "customer_id": "identifier",
        "身份证号": "identifier",
        "counter": "identifier",
        "合同": "identifier",
        "申请日期": "date",
        "渠道": "constant",
        "空列": "empty",
        "负债率": "excluded",
    }
    assert list(p.X.columns) == ["收入", "城市", "telephone"]


def test_too_many_levels_and_numeric_strings() -> None:
    df = frame(300)
    df["邮编"] = [f"Z{i % 60}" for i in range(300)]
    df["利率"] = [f"{5 + i % 70 / 10:.1f}%" for i in range(300)]
    p = prepare(df, TrainSpec(target="违约"))
    assert {d.column: d.reason for d in p.dropped}["邮编"] == "too_many_levels"
    assert p.X["利率"].iloc[:3].tolist() == [5.0, 5.1, 5.2]


def test_protected_columns_never_features_and_reported() -> None:
    df = frame(60)
    df["申请人性别"] = np.resize(["男", "女", None], 60)
    df["Ethnicity"] = "汉"
    df["gender_code"] = np.resize([1, 2], 60)
    df["户籍"] = np.resize(["本地", "外地"], 60)
    df["grace_days"] = np.resize([0, 5, 10], 60)  # "race" inside a word is not protected
    spec = TrainSpec(
        target="违约",
        protected_extra=("户籍",),
        features=(FeatureInfo("gender_code", "numeric", direction=1),),
        monotone={"申请人性别": 1},
    )
    p = prepare(df, spec)
    assert list(p.protected.columns) == ["申请人性别", "Ethnicity", "gender_code", "户籍"]
    assert p.protected["申请人性别"].tolist()[:3] == ["男", "女", "未知"]
    assert p.protected["gender_code"].tolist()[:2] == ["1", "2"]
    assert [f.name for f in p.features] == ["收入", "负债率", "城市", "grace_days"]
    assert all(d.reason == "protected" for d in p.dropped if d.column in p.protected.columns)


def test_feature_metadata_and_monotone_override() -> None:
    spec = TrainSpec(
        target="违约",
        features=(
            FeatureInfo("收入", "numeric", name_zh="月收入", name_en="income", direction=-1, unit="元"),
        ),
        monotone={"负债率": 1},
    )
    p = prepare(frame(), spec)
    by = {f.name: f for f in p.features}
    assert (by["收入"].name_en, by["收入"].direction, by["收入"].unit) == ("income", -1, "元")
    assert by["负债率"].direction == 1
    assert by["城市"].direction == 0


def test_time_and_id_columns() -> None:
    df = frame(30)
    df["放款日"] = pd.date_range("2022-01-01", periods=30, freq="7D").strftime("%Y年%m月%d日")
    df["case"] = [f"C{i}" for i in range(30)]
    p = prepare(df, TrainSpec(target="违约", time_col="放款日", id_col="case"))
    assert p.time is not None and str(p.time.iloc[1].date()) == "2022-01-08"
    assert p.ids is not None and p.ids.tolist()[:2] == ["C0", "C1"]
    assert "放款日" not in p.X.columns and "case" not in p.X.columns
    df.loc[[4, 9], "放款日"] = "不详"
    with pytest.raises(ScoringError) as e:
        prepare(df, TrainSpec(target="违约", time_col="放款日"))
    assert e.value.field == "time_col"
    assert "6, 11" in e.value.message_en  # file lines: data rows 4 and 9 after the header


def test_leakage_label_copy_and_mapping_refused() -> None:
    df = frame(100)
    df["copy"] = df["违约"]
    df["grade"] = df["违约"].map({0: "A", 1: "B"})
    with pytest.raises(LeakageError) as e:
        prepare(df, TrainSpec(target="违约"))
    assert e.value.field == "copy"
    assert "copy equals the label" in e.value.message_en
    assert "grade is a deterministic function of the label" in e.value.message_en
    assert "「grade」" in e.value.message_zh


def test_leakage_small_mapped_copy_refused() -> None:
    df = pd.DataFrame({"y": ["bad", "good"] * 4, "x": [1.0, 2.0, 3.0, 4.0] * 2, "flag": ["B", "A"] * 4})
    with pytest.raises(LeakageError) as e:
        prepare(df, TrainSpec(target="y"))
    assert e.value.field == "flag"


def test_leakage_perfect_separation_refused_noisy_accepted() -> None:
    df = frame(200)
    rng = np.random.default_rng(5)
    df["recovered_amount"] = np.where(df["违约"] == 1, rng.uniform(0, 10, 200), rng.uniform(20, 30, 200))
    with pytest.raises(LeakageError) as e:
        prepare(df, TrainSpec(target="违约"))
    assert "recovered_amount separates the classes perfectly" in e.value.message_en
    # the same feature with a single overlap is legitimate
    df.loc[df.index[df["违约"] == 1][0], "recovered_amount"] = 25.0
    p = prepare(df, TrainSpec(target="违约"))
    assert "recovered_amount" in p.X.columns


def test_leakage_small_data_not_refused_for_separation() -> None:
    # 12 rows: a feature that happens to separate the classes is not refused by the separation rule
    X = pd.DataFrame({"x": np.arange(12, dtype=float)})
    y = np.array([0] * 6 + [1] * 6, dtype=np.int8)
    check_leakage(X, y, [FeatureInfo("x", "numeric")])
    with pytest.raises(LeakageError):
        check_leakage(
            pd.DataFrame({"x": np.arange(40, dtype=float)}),
            np.repeat([0, 1], 20),
            [FeatureInfo("x", "numeric")],
        )


def test_leakage_missingness_and_pure_levels() -> None:
    y = np.repeat([0, 1], 30)
    X = pd.DataFrame({"paid_at": np.where(y == 1, 5.0, np.nan)})
    with pytest.raises(LeakageError):
        check_leakage(
            X.assign(paid_at=np.where(y == 1, np.arange(60.0), np.nan)),
            y,
            [FeatureInfo("paid_at", "numeric")],
        )
    levels = pd.Categorical(np.where(y == 1, np.resize(["a", "b"], 60), np.resize(["c", "d"], 60)))
    with pytest.raises(LeakageError):
        check_leakage(pd.DataFrame({"g": levels}), y, [FeatureInfo("g", "categorical")])
    mixed = pd.Categorical(np.resize(["a", "b", "c"], 60))
    check_leakage(pd.DataFrame({"g": mixed}), y, [FeatureInfo("g", "categorical")])


def test_prepare_for_scoring_matches_training() -> None:
    train = frame(100)
    p = prepare(train, TrainSpec(target="违约"))
    new = pd.DataFrame(
        {"城市": ["上海", "深圳", None], "负债率": ["0.5", "1,000", "x"], "收入": [1, 2, np.inf], "extra": 1}
    )
    X = prepare_for_scoring(new, p.features, p.categories)
    assert list(X.columns) == ["收入", "负债率", "城市"]
    assert X["收入"].tolist()[:2] == [1.0, 2.0] and np.isnan(X["收入"].iloc[2])
    assert X["负债率"].iloc[:2].tolist() == [0.5, 1000.0] and np.isnan(X["负债率"].iloc[2])
    assert X["城市"].tolist()[0] == "上海"
    assert X["城市"].isna().tolist() == [False, True, True]
    assert list(X["城市"].cat.categories) == p.categories["城市"]
    with pytest.raises(ScoringError) as e:
        prepare_for_scoring(new.drop(columns=["收入", "城市"]), p.features, p.categories)
    assert "收入, 城市" in e.value.message_en


def test_read_table_encodings_delimiters_and_excel(tmp_path) -> None:
    df = pd.DataFrame({"客户编号": ["A1", "A2"], "收入": [1000, 2000], "城市": ["北京", "上海"]})
    (tmp_path / "bom.csv").write_bytes(df.to_csv(index=False).encode("utf-8-sig"))
    (tmp_path / "gbk.csv").write_bytes(df.to_csv(index=False, sep=";").encode("gb18030"))
    (tmp_path / "tab.csv").write_text(df.to_csv(index=False, sep="\t"), encoding="utf-8")
    df.to_excel(tmp_path / "x.xlsx", index=False)
    for name in ("bom.csv", "gbk.csv", "tab.csv", "x.xlsx"):
        got = read_table(tmp_path / name)
        assert list(got.columns) == ["客户编号", "收入", "城市"], name
        assert got["城市"].tolist() == ["北京", "上海"], name
        assert got["收入"].tolist() == [1000, 2000], name
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(ScoringError) as e:
        read_table(tmp_path / "empty.csv")
    assert "empty.csv" in e.value.message_zh and "empty.csv" in e.value.message_en
    (tmp_path / "header.csv").write_text("a,b\n", encoding="utf-8")
    with pytest.raises(ScoringError):
        read_table(tmp_path / "header.csv")
    with pytest.raises(ScoringError):
        read_table(tmp_path / "missing.csv")


def test_named_categorical_override_and_scoring_levels() -> None:
    df = frame(90).assign(等级=np.resize([1, 2, 3], 90))
    spec = TrainSpec(target="违约", features=(FeatureInfo("等级", "categorical"),))
    p = prepare(df, spec)
    assert p.categories["等级"] == ["1", "2", "3"]
    X = prepare_for_scoring(
        pd.DataFrame({"收入": [1.0], "负债率": [0.1], "城市": ["北京"], "等级": [2.0]}),
        p.features,
        p.categories,
    )
    assert X["等级"].tolist() == ["2"]

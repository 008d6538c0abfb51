"""`qingzhai model ...` on a small CSV with Chinese column names, missing values, a category and an id."""

from __future__ import annotations

import csv
import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from qingzhai.cli import app
from qingzhai.cli import scoring as _scoring_commands  # noqa: F401  (registers the commands)
from qingzhai.cli import scoring_registry as _registry_commands  # noqa: F401
from qingzhai.scoring.models import ScoringModel

runner = CliRunner()
KEYS = ["kind", "auc", "ks", "gini", "accuracy", "brier", "n_train", "n_test"]


def make_csv(path, rows=400, seed=3):
    rng = np.random.default_rng(seed)
    income = rng.normal(8000, 2500, rows).round()
    income[rng.random(rows) < 0.1] = np.nan
    dpd = rng.integers(0, 400, rows)
    city = rng.choice(["北京", "上海", "成都", "西安"], rows)
    z = 0.0004 * (np.nan_to_num(income, nan=8000) - 8000) - 0.006 * (dpd - 200) + (city == "上海") * 0.5
    df = pd.DataFrame(
        {
            "客户编号": [f"C{i:05d}" for i in range(rows)],
            "月收入": income,
            "逾期天数": dpd,
            "城市": city,
            "性别": rng.choice(["男", "女"], rows),
            "是否还款": (rng.random(rows) < 1 / (1 + np.exp(-z))).astype(int),
        }
    )
    df.to_csv(path, index=False, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def trained_dir(tmp_path_factory):
    base = tmp_path_factory.mktemp("model")
    data = make_csv(base / "训练.csv")
    result = runner.invoke(
        app,
        [
            "model",
            "train",
            "--csv",
            str(data),
            "--target",
            "是否还款",
            "--kind",
            "scorecard",
            "--out",
            str(base / "m"),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    return base, json.loads(result.output)


def test_train_prints_held_out_metrics_and_writes_the_model(trained_dir):
    base, out = trained_dir
    assert list(out) == KEYS
    assert out["kind"] == "scorecard" and out["n_train"] + out["n_test"] == 400
    assert 0.6 < out["auc"] <= 1 and out["auc"] == round(out["auc"], 4)
    model = json.loads((base / "m" / "model.json").read_text(encoding="utf-8"))
    used = {f["name"] for f in model["features"]}
    assert "客户编号" not in used and "性别" not in used and "是否还款" not in used
    assert {"逾期天数", "城市"} <= used


def test_train_with_rich_output_shows_a_table(tmp_path):
    data = make_csv(tmp_path / "d.csv", rows=200)
    result = runner.invoke(
        app,
        [
            "model",
            "train",
            "--csv",
            str(data),
            "--target",
            "是否还款",
            "--kind",
            "scorecard",
            "--out",
            str(tmp_path / "m"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "auc" in result.output and "n_test" in result.output


def test_score_writes_one_row_per_input_with_chinese_reasons(trained_dir, tmp_path):
    base, _ = trained_dir
    data = make_csv(tmp_path / "新数据.csv", rows=30, seed=9)
    out = tmp_path / "scores.csv"
    result = runner.invoke(
        app, ["model", "score", "--model", str(base / "m"), "--csv", str(data), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["客户编号", "probability", "points", "band", "reason_1", "reason_2", "reason_3"]
    assert [r["客户编号"] for r in rows] == [f"C{i:05d}" for i in range(30)]
    assert all(0 < float(r["probability"]) < 1 and r["band"] in "ABCDE" for r in rows)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in r["reason_1"]) for r in rows)


def test_card_prints_a_summary_and_writes_html(trained_dir, tmp_path):
    base, _ = trained_dir
    html = tmp_path / "card.html"
    result = runner.invoke(app, ["model", "card", "--model", str(base / "m"), "--html", str(html)])
    assert result.exit_code == 0, result.output
    assert "AUC".lower() in result.output.lower() and "逾期天数" in result.output
    assert html.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    english = runner.invoke(app, ["model", "card", "--model", str(base / "m"), "--lang", "en"])
    assert english.exit_code == 0 and "Held-out metrics" in english.output


@pytest.mark.parametrize(
    "args, code",
    [
        (["--target", "没有这列"], None),
        (["--target", "是否还款", "--kind", "forest"], "invalid_choice"),
    ],
)
def test_bad_input_exits_2_with_a_bilingual_message(tmp_path, args, code):
    data = make_csv(tmp_path / "d.csv", rows=100)
    result = runner.invoke(
        app, ["model", "train", "--csv", str(data), "--out", str(tmp_path / "m"), "--json", *args]
    )
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    payload = json.loads(result.output)
    assert (
        payload["message_zh"]
        and payload["message_en"]
        and payload["message"] == f"{payload['message_zh']} / {payload['message_en']}"
    )
    if code:
        assert payload["code"] == code
    missing = runner.invoke(
        app, ["model", "score", "--model", str(tmp_path / "none"), "--csv", str(data), "--out", "x.csv"]
    )
    assert missing.exit_code == 2 and "Traceback" not in missing.output


def test_registry_commands(db, trained_dir):
    base, _ = trained_dir
    reg = runner.invoke(app, ["model", "register", "--model", str(base / "m"), "--name", "信用卡", "--json"])
    assert reg.exit_code == 0, reg.output
    row = json.loads(reg.output)
    assert (row["name"], row["version"], row["status"]) == ("信用卡", 1, "candidate")
    assert ScoringModel.objects.get(pk=row["id"]).feature_source == "csv"
    listed = json.loads(runner.invoke(app, ["model", "list", "--json"]).output)
    assert [m["id"] for m in listed] == [row["id"]]
    no_reason = runner.invoke(app, ["model", "promote", str(row["id"]), "--reason", " ", "--json"])
    assert no_reason.exit_code == 2 and json.loads(no_reason.output)["code"] == "reason_required"
    promoted = runner.invoke(app, ["model", "promote", str(row["id"]), "--reason", "上线", "--json"])
    assert json.loads(promoted.output)["status"] == "champion"
    run = runner.invoke(app, ["model", "run", "--model", str(row["id"]), "--json"])
    assert run.exit_code == 2 and json.loads(run.output)["code"] == "scoring_model_not_for_cases"
    no_champion = runner.invoke(app, ["model", "run"])
    assert no_champion.exit_code == 2 and "冠军" in no_champion.output and "champion" in no_champion.output
    drift = runner.invoke(app, ["model", "drift", "--month", "2026-03", "--json"])
    assert drift.exit_code == 0, drift.output
    assert json.loads(drift.output) == [
        {
            "model": "信用卡 v1",
            "month": "2026-03",
            "n": 0,
            "score_psi": None,
            "level": "ok",
            "feature_psi": {},
        }
    ]
    bad_month = runner.invoke(app, ["model", "drift", "--month", "March"])
    assert bad_month.exit_code == 2
    few = runner.invoke(app, ["model", "train-cases", "--label", "paid_any_90", "--json"])
    assert few.exit_code == 2 and json.loads(few.output)["code"] == "scoring_too_few_labels"

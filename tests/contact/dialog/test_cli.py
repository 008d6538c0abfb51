"""`qingzhai bot simulate | compare`: JSON shapes and bilingual exit-2 errors."""

import json

from typer.testing import CliRunner

from qingzhai.cli import app
from qingzhai.cli import bot as _bot  # noqa: F401  (registers the commands)

runner = CliRunner()


def _json(*args):
    result = runner.invoke(app, ["bot", *args, "--json"])
    return result.exit_code, json.loads(result.stdout)


def test_simulate_json():
    code, out = _json(
        "simulate",
        "--persona",
        "wrong_number",
        "--script",
        "standard_v1",
        "--seed",
        "2",
        "--date",
        "2026-05-13",
    )
    assert code == 0
    assert (out["persona"], out["script"], out["business_date"]) == (
        "wrong_number",
        "standard_v1",
        "2026-05-13",
    )
    assert out["outcome"]["kind"] == "wrong_number" and out["outcome"]["mark_number"] is True
    first, second = out["turns"][0], out["turns"][1]
    assert first["speaker"] == "bot" and first["compliance"] in ("pass", "fallback")
    assert second["intent"]["name"] == "wrong_number" and second["emotion"]["label"]
    assert out["violations"] == 0


def test_simulate_text():
    result = runner.invoke(
        app, ["bot", "simulate", "--persona", "third_party", "--seed", "1", "--date", "2026-05-13"]
    )
    assert result.exit_code == 0
    assert (
        "third_party" in result.stdout
        and "机器人 / bot" in result.stdout
        and "结果 / outcome" in result.stdout
    )


def test_compare_json():
    code, out = _json(
        "compare",
        "--script",
        "standard_v1",
        "--script",
        "standard_v2",
        "--calls",
        "14",
        "--date",
        "2026-05-13",
    )
    assert code == 0
    assert (out["a"]["script"], out["b"]["script"], out["calls"]) == ("standard_v1", "standard_v2", 14)
    assert out["a"]["violations"] == out["b"]["violations"] == 0


def test_errors_are_bilingual():
    cases = [
        (("simulate", "--persona", "pirate"), "unknown_persona"),
        (("simulate", "--persona", "angry", "--script", "nope"), "script_not_found"),
        (("simulate", "--persona", "angry", "--date", "13/05/2026"), "invalid_date"),
        (("compare", "--script", "standard_v1"), "two_scripts"),
        (("compare", "--script", "standard_v1", "--script", "standard_v2", "--calls", "0"), "invalid_calls"),
    ]
    for args, code in cases:
        exit_code, out = _json(*args)
        assert exit_code == 2 and out["code"] == code
        assert out["message_zh"] and out["message_en"] and " / " in out["message"]


def test_invalid_script_file(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("script: bad\nversion: 1\nnodes: {}\n", encoding="utf-8")
    exit_code, out = _json("simulate", "--persona", "angry", "--script", str(path))
    assert exit_code == 2 and out["code"] == "line_missing_zh"
    assert {p["code"] for p in out["fields"]["script"]} >= {"script_no_nodes", "script_bad_start"}

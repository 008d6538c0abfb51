"""`qingzhai emotion [FILE|-] [--json]`."""

import json
from pathlib import Path

from typer.testing import CliRunner

from qingzhai.cli import app
from qingzhai.cli import emotion as _emotion_command  # noqa: F401  (registers the command)

runner = CliRunner()
GOOD = '{"id": "a1", "text": "别再打了！"}\n{"id": 7, "text": "好的，我明天就还"}\n'


def test_json_lines_in_json_lines_out(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(GOOD, encoding="utf-8")
    result = runner.invoke(app, ["emotion", str(src), "--json"])
    assert result.exit_code == 0, result.output
    assert [json.loads(line) for line in result.output.splitlines()] == [
        {"id": "a1", "emotion": "angry", "score": 0.7353},
        {"id": 7, "emotion": "cooperative", "score": 0.85},
    ]


def test_stdin_with_detail_and_plain_text():
    result = runner.invoke(
        app, ["emotion", "-", "--json", "--detail"], input='{"id": 1, "text": "我不担心"}\n'
    )
    assert json.loads(result.output) == {
        "id": 1,
        "emotion": "calm",
        "score": 0.8182,
        "scores": {"anxious": 0.0455, "angry": 0.0455, "sad": 0.0455, "calm": 0.8182, "cooperative": 0.0455},
        "cues": ["¬担心"],
    }
    result = runner.invoke(app, ["emotion"], input=GOOD)
    assert (result.exit_code, result.output) == (0, "a1\tangry\t0.7353\n7\tcooperative\t0.8500\n")


def test_bad_lines_give_a_bilingual_error_line_and_the_rest_go_on():
    lines = [
        '{"id": 1, "text": "滚！"}',
        "not json",
        "[1, 2]",
        '{"text": "no id"}',
        '{"id": "x", "text": 5}',
        "",
        '{"id": 2, "text": "我失业了"}',
    ]
    result = runner.invoke(app, ["emotion", "--json"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0
    out = [json.loads(line) for line in result.output.splitlines()]
    assert [(o.get("line"), o.get("code"), o.get("id"), o.get("field")) for o in out] == [
        (None, None, 1, None),
        (2, "invalid_json", None, "line"),
        (3, "invalid_line", None, "line"),
        (4, "missing_id", None, "id"),
        (5, "missing_text", "x", "text"),
        (None, None, 2, None),
    ]
    assert out[1]["message_zh"].startswith("第 2 行：不是有效的 JSON")
    assert out[1]["message_en"].startswith("Line 2: not valid JSON")
    assert (out[0]["emotion"], out[5]["emotion"]) == ("angry", "sad")


def test_undecodable_line_is_reported_not_fatal():
    result = runner.invoke(
        app, ["emotion", "--json"], input=b'\xff\xfe{"id"\n{"id": 3, "text": "\xe5\x97\xaf"}\n'
    )
    out = [json.loads(line) for line in result.output.splitlines()]
    assert result.exit_code == 0
    assert (out[0]["code"], out[1]) == ("invalid_encoding", {"id": 3, "emotion": "calm", "score": 0.7778})


def test_unusable_input_exits_2(tmp_path):
    result = runner.invoke(app, ["emotion", str(tmp_path / "absent.jsonl"), "--json"])
    assert result.exit_code == 2
    assert json.loads(result.output)["code"] == "input_unreadable"
    assert runner.invoke(app, ["emotion", str(tmp_path)]).exit_code == 2  # a folder


def test_registered_on_the_main_command():
    source = Path(__file__).resolve().parents[3] / "src" / "qingzhai" / "cli" / "__init__.py"
    assert "        emotion,\n" in source.read_text(encoding="utf-8")

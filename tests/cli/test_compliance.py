"""`qingzhai compliance simulate | screen | dishonest-import`."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from qingzhai.cli import app
from qingzhai.cli import compliance as _compliance_command  # noqa: F401  (registers the commands)
from qingzhai.compliance.models import DishonestEntry
from qingzhai.core import pii

runner = CliRunner()
SCENARIOS = Path(__file__).resolve().parents[1] / "data" / "compliance" / "scenarios"


def test_simulate_json_gives_one_decision_per_contact():
    result = runner.invoke(
        app, ["compliance", "simulate", str(SCENARIOS / "cn_connected_calls.json"), "--json"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    expected = json.loads((SCENARIOS / "cn_connected_calls.json").read_text(encoding="utf-8"))["expect"]
    assert [(d["id"], d["allowed"]) for d in out["decisions"]] == [(e["id"], e["allowed"]) for e in expected]
    assert out["summary"]["denied"] == sum(1 for e in expected if not e["allowed"])


def test_simulate_refuses_bad_input_with_exit_codes(tmp_path):
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("{not json", encoding="utf-8")
    result = runner.invoke(app, ["compliance", "simulate", str(bad_json), "--json"])
    assert (result.exit_code, json.loads(result.output)["code"]) == (2, "invalid_json")
    bad_contact = tmp_path / "contact.json"
    bad_contact.write_text(
        json.dumps(
            {"pack": "cn", "debtor": {}, "contacts": [{"id": "a", "at": "yesterday", "channel": "call"}]}
        ),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["compliance", "simulate", str(bad_contact), "--json"])
    assert result.exit_code == 1
    assert "contacts" in json.dumps(json.loads(result.output)["fields"])


def test_screen_reads_and_writes_json_lines(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps(
            {"id": "a", "text": "再不还钱就去你孩子学校找你", "speaker": "collector", "lang": "zh-Hans"}
        )
        + "\n"
        + json.dumps({"id": "b", "text": "我们不会联系您的家人"})
        + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["compliance", "screen", str(source)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in result.output.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"]
    (violation,) = lines[0]["violations"]
    assert violation["rule"].startswith("third_party_contact.")
    assert {k: violation[k] for k in ("category", "severity")} == {
        "category": "third_party_contact",
        "severity": "high",
    }
    start, end = violation["span"]
    assert "学校" in "再不还钱就去你孩子学校找你"[start:end]
    assert lines[1] == {"id": "b", "violations": []}


def test_dishonest_import_from_the_command_line(db, tmp_path, case):
    path = tmp_path / "list.csv"
    path.write_text(
        "被执行人姓名/名称,身份证号码/组织机构代码,案号,执行法院,发布时间\n"
        f"{case.debtor.name},{pii.get_value(case.debtor, 'id_number')},(2025)沪1号,上海市第一中级人民法院,2025-06-01\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["compliance", "dishonest-import", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) | {"import_id": None} == {
        "rows": 1,
        "added": 1,
        "unchanged": 0,
        "matched": 1,
        "errors": [],
        "import_id": None,
    }
    assert DishonestEntry.objects.get().first_import.uploaded_by is None

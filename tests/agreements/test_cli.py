"""`qingzhai agreement simulate FILE.json --json`."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from qingzhai.cli import agreement as _agreement_command  # noqa: F401  (registers the command)
from qingzhai.cli import app
from tests.agreements.test_engine import BASE

runner = CliRunner()


def test_simulate_prints_the_timeline(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"terms": BASE, "events": [{"date": "2026-02-01", "payment_fen": 300_000}]}))
    result = runner.invoke(app, ["agreement", "simulate", str(path), "--until", "2026-06-30", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["state"] == "accelerated" and out["legal_step"]["kind"] == "payment_order"
    assert [r["event"] for r in out["timeline"]][:2] == ["signed", "reminder"]
    table = runner.invoke(app, ["agreement", "simulate", str(path)])
    assert table.exit_code == 0 and "accelerated" in table.output


def test_bad_files_exit_2_with_a_bilingual_message(tmp_path):
    missing = runner.invoke(app, ["agreement", "simulate", str(tmp_path / "none.json"), "--json"])
    assert missing.exit_code == 2 and json.loads(missing.output)["code"] == "unreadable_file"
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert (
        json.loads(runner.invoke(app, ["agreement", "simulate", str(bad), "--json"]).output)["code"]
        == "bad_json"
    )
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"terms": {**BASE, "grace_days": 400}, "events": []}))
    out = runner.invoke(app, ["agreement", "simulate", str(wrong), "--json"])
    assert out.exit_code == 2 and json.loads(out.output)["fields"] == {
        "grace_days": ["grace_days must be a whole number from 0 to 90"]
    }

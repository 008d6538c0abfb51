"""`qingzhai legal deadlines`: open deadlines with their alert, `--scan` sets the alert levels first."""

from __future__ import annotations

import json
from datetime import timedelta

from django.utils import timezone
from typer.testing import CliRunner

from qingzhai.cli import app
from qingzhai.cli import legal_deadlines as _deadlines_command  # noqa: F401  (registers the command)
from qingzhai.legal.services.proceedings import proceeding_open, proceeding_transition
from tests.factories import case_with_debt

runner = CliRunner()


def test_lists_open_deadlines_and_scans(users):
    today = timezone.localdate()
    case = case_with_debt()
    proc = proceeding_open(actor=users["legal"], case_id=case.pk, kind="demand", on=today - timedelta(days=3))
    proceeding_transition(
        actor=users["legal"], proceeding_id=proc.pk, event="sent", on=today - timedelta(days=3)
    )
    proceeding_transition(
        actor=users["legal"],
        proceeding_id=proc.pk,
        event="delivered",
        on=today - timedelta(days=2),
        facts={"reply_days": 3},
    )
    out = json.loads(runner.invoke(app, ["legal", "deadlines", "--scan", "--json"]).output)
    assert out["as_of"] == today.isoformat()
    assert out["scan"]["changed"] == 1
    [row] = out["deadlines"]
    assert (row["case"], row["kind"], row["code"], row["days_left"], row["party"]) == (
        case.pk,
        "demand",
        "reply_due",
        1,
        "creditor",
    )
    assert row["alert"] == "soon"
    text = runner.invoke(app, ["legal", "deadlines", "--days", "0"], env={"COLUMNS": "160"}).output
    assert "没有未完成的期限" in text and "no open deadline within 0 days" in text


def test_bad_days_exit_2_with_a_bilingual_message(db):
    result = runner.invoke(app, ["legal", "deadlines", "--days", "400", "--json"])
    assert result.exit_code == 2
    assert json.loads(result.output)["code"] == "invalid_value"

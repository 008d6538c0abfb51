import json

import pytest
from typer.testing import CliRunner

from qingzhai.accounts.models import User
from qingzhai.cli import app
from qingzhai.cli import demo as _demo_command  # noqa: F401  (registers the command)
from qingzhai.core.clock import business_today
from qingzhai.core.models import AuditEvent
from qingzhai.portfolio import demo
from qingzhai.portfolio.models import Creditor, Debt, Debtor

runner = CliRunner()
USERNAMES = [name for name, _, _ in demo.DEMO_USERS]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run(*args):
    result = runner.invoke(app, ["demo", *args])
    assert result.exit_code == 0, result.output
    return result


def test_json_first_run_prints_every_password_once(db):
    out = json.loads(run("--size", "small", "--json").output)
    assert out["already_loaded"] is False and out["reset"] is False
    assert out["seed"] == demo.DEFAULT_SEED and out["size"] == "small"
    assert out["business_date"] == business_today().isoformat()
    assert [u["username"] for u in out["users"]] == USERNAMES
    assert {u["role"] for u in out["users"]} == {r.value for _, r, _ in demo.DEMO_USERS}
    for row in out["users"]:
        assert row["created"] is True
        assert User.objects.get(username=row["username"]).check_password(row["password"])
    assert out["created"]["debtors"] == Debtor.objects.count() == 150
    assert out["created"]["debts"] == Debt.objects.count() == 240
    from qingzhai.evidence import verify
    from qingzhai.evidence.models import Entry, Witness

    assert out["evidence"]["log_size"] == Entry.objects.count() > 0
    assert Witness.objects.filter(cosignatures__isnull=False).exists()
    assert verify.run().ok
    # the profile demo: a showcase debtor (bills and registry records) and one with the sample layouts
    from qingzhai.profiling import profile
    from qingzhai.profiling.models import SourceFile, Transaction

    assert out["profile"]["debtors"] == 2 and out["profile"]["sources"] == 8
    assert out["profile"]["transactions"] == Transaction.objects.count() > 300
    assert not SourceFile.objects.exclude(status="done").exists()
    showcase = SourceFile.objects.filter(source="alipay").get().debtor_id
    flags = {f["flag"] for f in profile.build(showcase).flags}
    assert {"income_consumption_gap", "divorce_asset_transfer", "restriction_breach"} <= flags
    event = AuditEvent.objects.get(action="demo.load")
    assert (event.actor_label, event.source) == ("cli", "cli")


def test_second_run_changes_nothing_and_hides_passwords(db):
    first = json.loads(run("--size", "small", "--json").output)
    audit_count = AuditEvent.objects.count()
    second = json.loads(run("--size", "small", "--json").output)
    assert second["already_loaded"] is True and second["created"] == {}
    assert [(u["username"], u["password"], u["created"]) for u in second["users"]] == [
        (name, None, False) for name in USERNAMES
    ]
    assert AuditEvent.objects.count() == audit_count
    assert Creditor.objects.count() == 3
    text = run("--size", "small").output
    assert "already loaded" in text and "已加载" in text
    assert "printed at the first run" in text and "qingzhai createuser" in text
    for row in first["users"]:
        assert row["password"] not in text


def test_rich_output_shows_the_users_table_and_counts(db):
    text = run("--size", "small").output
    for name in USERNAMES:
        assert name in text
    assert "shown only this once" in text and "只显示这一次" in text
    assert "债务人 debtors" in text and "150" in text and "240" in text
    users = User.objects.filter(username__in=USERNAMES)
    assert users.count() == 9


def test_reset_rebuilds_without_new_passwords(db):
    run("--size", "small", "--seed", "1")
    digest = demo.demo_digest()
    out = json.loads(run("--size", "small", "--seed", "2", "--reset", "--json").output)
    assert out["reset"] is True and out["seed"] == 2
    assert all(u["password"] is None for u in out["users"])
    assert Creditor.objects.count() == 3 and Debt.objects.count() == 240
    assert demo.demo_digest() != digest
    run("--size", "small", "--seed", "1", "--reset")
    assert demo.demo_digest() == digest


def test_unknown_size_exits_2_and_loads_nothing(db):
    result = runner.invoke(app, ["demo", "--size", "huge", "--json"])
    assert result.exit_code == 2
    error = json.loads(result.output)
    assert error["code"] == "invalid_choice" and error["fields"] == {"size": ["huge"]}
    assert Creditor.objects.count() == 0 and User.objects.count() == 0


def test_help_is_bilingual():
    result = runner.invoke(app, ["demo", "--help"])
    assert result.exit_code == 0
    assert "演示数据" in result.output and "demo data" in result.output
    assert "--reset" in result.output and "--seed" in result.output and "--json" in result.output

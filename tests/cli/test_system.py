import json

import pytest
from cryptography.fernet import Fernet
from typer.testing import CliRunner

from qingzhai.accounts.models import User
from qingzhai.cli import app
from qingzhai.cli import system as _system_commands  # noqa: F401  (registers the commands)
from qingzhai.core import pii
from qingzhai.core.models import AuditEvent
from qingzhai.portfolio.models import CreditorViewerGrant, Debtor
from tests.factories import CreditorFactory

runner = CliRunner()


def test_createuser_generates_a_password_once(db):
    result = runner.invoke(app, ["createuser", "li.si", "--role", "collector", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["username"] == "li.si" and out["role"] == "collector"
    user = User.objects.get(username="li.si")
    assert user.check_password(out["password"])
    assert AuditEvent.objects.filter(action="user.create", entity_id=str(user.pk)).exists()


def test_createuser_creditor_viewer_with_grant(db):
    creditor = CreditorFactory(code="ICBC")
    result = runner.invoke(
        app, ["createuser", "client1", "--role", "creditor_viewer", "--creditor", "ICBC", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert CreditorViewerGrant.objects.filter(user__username="client1", creditor=creditor).exists()


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["createuser", "x1", "--role", "wizard", "--json"], "role_invalid"),
        (["createuser", "x2", "--role", "collector", "--password", "123", "--json"], "password_weak"),
        (
            ["createuser", "x3", "--role", "creditor_viewer", "--creditor", "NOPE", "--json"],
            "creditor_unknown",
        ),
    ],
)
def test_createuser_errors_exit_1_and_leave_nothing(db, args, code):
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert json.loads(result.output)["code"] == code
    assert not User.objects.filter(username=args[1]).exists()


def test_createuser_duplicate(db):
    assert runner.invoke(app, ["createuser", "dup", "--json"]).exit_code == 0
    result = runner.invoke(app, ["createuser", "dup", "--json"])
    assert result.exit_code == 1 and json.loads(result.output)["code"] == "user_exists"


def test_rotate_keys_command(settings, case):
    plain = pii.get_value(Debtor.objects.get(pk=case.debtor_id), "id_number")
    new_key = Fernet.generate_key().decode()
    settings.QINGZHAI_PII_KEYS = [new_key, *settings.QINGZHAI_PII_KEYS]
    result = runner.invoke(app, ["rotate-keys", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["rotated"]["portfolio.debtor"] == 1
    settings.QINGZHAI_PII_KEYS = [new_key]
    assert pii.get_value(Debtor.objects.get(pk=case.debtor_id), "id_number") == plain


def test_help_is_bilingual():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "命令行" in result.output and "command line" in result.output

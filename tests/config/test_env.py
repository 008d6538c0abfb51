import json
import os
import stat

import pytest
from django.core.exceptions import ImproperlyConfigured

from qingzhai.config.env import env_bool, env_int, env_list, local_secrets

NAMES = (
    "QINGZHAI_SECRET_KEY",
    "QINGZHAI_PII_KEYS",
    "QINGZHAI_BLIND_INDEX_KEY",
    "QINGZHAI_EVIDENCE_SIGNING_KEY",
)


@pytest.fixture
def clean_env(monkeypatch):
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_generated_secrets_persist_with_private_mode(tmp_path, clean_env):
    first = local_secrets(tmp_path, allow_generate=True)
    second = local_secrets(tmp_path, allow_generate=True)
    assert first == second
    assert set(first) == set(NAMES)
    mode = stat.S_IMODE(os.stat(tmp_path / "secrets.json").st_mode)
    assert mode == 0o600
    assert (
        json.loads((tmp_path / "secrets.json").read_text())["QINGZHAI_PII_KEYS"] == first["QINGZHAI_PII_KEYS"]
    )


def test_missing_secrets_fail_loudly_when_generation_is_off(tmp_path, clean_env):
    with pytest.raises(ImproperlyConfigured, match="QINGZHAI_PII_KEYS"):
        local_secrets(tmp_path, allow_generate=False)


def test_environment_wins(tmp_path, clean_env):
    for name in NAMES:
        clean_env.setenv(name, f"value-of-{name}")
    assert local_secrets(tmp_path, allow_generate=False)["QINGZHAI_PII_KEYS"] == "value-of-QINGZHAI_PII_KEYS"
    assert not (tmp_path / "secrets.json").exists()


def test_env_parsers(monkeypatch):
    monkeypatch.setenv("QZ_B", "yes")
    monkeypatch.setenv("QZ_I", "42")
    monkeypatch.setenv("QZ_L", "a, b,,c")
    assert env_bool("QZ_B", False) is True
    assert env_int("QZ_I", 0) == 42
    assert env_list("QZ_L", []) == ["a", "b", "c"]
    monkeypatch.setenv("QZ_B", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("QZ_B", False)
    monkeypatch.setenv("QZ_I", "x")
    with pytest.raises(ImproperlyConfigured):
        env_int("QZ_I", 0)


def test_the_generated_evidence_key_is_named_after_the_log_origin(tmp_path, clean_env):
    from qingzhai.evidence.note import Signer

    clean_env.setenv("QINGZHAI_EVIDENCE_ORIGIN", "example.org/ledger")
    skey = local_secrets(tmp_path, allow_generate=True)["QINGZHAI_EVIDENCE_SIGNING_KEY"]
    assert Signer.from_skey(skey).name == "example.org/ledger"

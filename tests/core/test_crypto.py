import pytest
from cryptography.fernet import Fernet

from qingzhai.core import crypto, pii


def test_encrypt_round_trip_and_no_plaintext():
    token = crypto.encrypt("110105194912310021")
    assert "110105" not in token
    assert crypto.decrypt(token) == "110105194912310021"
    assert crypto.encrypt("") == "" and crypto.decrypt("") == ""


def test_blind_index_is_deterministic_and_keyed(settings):
    a = crypto.blind_index("phone", "13812345678")
    assert a == crypto.blind_index("phone", "13812345678")
    assert a != crypto.blind_index("id_number", "13812345678")
    settings.QINGZHAI_BLIND_INDEX_KEY = "another-key"
    assert crypto.blind_index("phone", "13812345678") != a


def test_lookup_index_normalises_like_writes():
    assert pii.lookup_index("phone", "+86 138 1234 5678") == pii.lookup_index("phone", "13812345678")
    assert pii.lookup_index("id_number", "11010519491231002x") == pii.lookup_index(
        "id_number", "11010519491231002X"
    )


def test_rotation_keeps_old_tokens_readable(settings):
    old_token = crypto.encrypt("秘密")
    new_key = Fernet.generate_key().decode()
    settings.QINGZHAI_PII_KEYS = [new_key, *settings.QINGZHAI_PII_KEYS]
    assert crypto.decrypt(old_token) == "秘密"
    rotated = crypto.rotate(old_token)
    settings.QINGZHAI_PII_KEYS = [new_key]
    assert crypto.decrypt(rotated) == "秘密"
    with pytest.raises(ValueError):
        crypto.decrypt(old_token)

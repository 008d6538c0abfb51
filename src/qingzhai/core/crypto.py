"""PII encryption at rest (Fernet, rotatable) and a keyed blind index for exact lookup."""

from __future__ import annotations

import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k.encode()) for k in keys])


def cipher() -> MultiFernet:
    return _fernet(tuple(settings.QINGZHAI_PII_KEYS))


def encrypt(plaintext: str) -> str:
    if plaintext == "":
        return ""
    return cipher().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    if token == "":
        return ""
    try:
        return cipher().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ValueError("PII token cannot be decrypted with the configured keys") from exc


def rotate(token: str) -> str:
    """Re-encrypt under the newest key (the first of QINGZHAI_PII_KEYS)."""
    if token == "":
        return ""
    return cipher().rotate(token.encode("ascii")).decode("ascii")


@lru_cache(maxsize=4)
def _index_key(key: str) -> bytes:
    return key.encode("utf-8")


def blind_index(kind: str, normalised: str) -> str:
    """HMAC-SHA256 of kind + value; equal inputs give equal indexes, nothing else is revealed."""
    if normalised == "":
        return ""
    key = _index_key(settings.QINGZHAI_BLIND_INDEX_KEY)
    return hmac.digest(key, f"{kind}:{normalised}".encode(), "sha256").hex()[:40]

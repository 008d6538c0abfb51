"""Reading settings from the environment, failing loudly on nonsense."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def _evidence_key() -> str:
    """A new Ed25519 signing key (C2SP note format) named after the log's origin."""
    from qingzhai.evidence.note import Signer

    origin = os.environ.get("QINGZHAI_EVIDENCE_ORIGIN", "qingzhai.local/evidence").strip()
    return Signer.generate(origin).skey()


def local_secrets(data_dir: Path, allow_generate: bool) -> dict[str, str]:
    """Secrets for a single-machine install, generated once into DATA_DIR/secrets.json (mode 0600).

    Values in the environment always win. Production sets QINGZHAI_SECRET_KEY, QINGZHAI_PII_KEYS,
    QINGZHAI_BLIND_INDEX_KEY and QINGZHAI_EVIDENCE_SIGNING_KEY and leaves QINGZHAI_ALLOW_GENERATED_SECRETS off.
    """
    from cryptography.fernet import Fernet

    wanted = {
        "QINGZHAI_SECRET_KEY": lambda: secrets.token_urlsafe(50),
        "QINGZHAI_PII_KEYS": lambda: Fernet.generate_key().decode(),
        "QINGZHAI_BLIND_INDEX_KEY": lambda: secrets.token_urlsafe(32),
        "QINGZHAI_EVIDENCE_SIGNING_KEY": _evidence_key,
    }
    result = {name: os.environ[name] for name in wanted if os.environ.get(name)}
    missing = [name for name in wanted if name not in result]
    if not missing:
        return result
    if not allow_generate:
        raise ImproperlyConfigured(
            "Missing secrets: " + ", ".join(missing) + ". Set them in the environment, or set "
            "QINGZHAI_ALLOW_GENERATED_SECRETS=1 to keep generated ones under QINGZHAI_DATA_DIR."
        )
    path = data_dir / "secrets.json"
    stored: dict[str, str] = {}
    if path.exists():
        stored = json.loads(path.read_text(encoding="utf-8"))
    changed = False
    for name in missing:
        if name not in stored:
            stored[name] = wanted[name]()
            changed = True
        result[name] = stored[name]
    if changed:
        data_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(stored, fh, indent=2)
        os.replace(tmp, path)
    return result

"""The log's identity: its origin line and the Ed25519 key that signs its checkpoints."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from qingzhai.evidence import note
from qingzhai.evidence.checkpoint import Checkpoint, format_checkpoint


@lru_cache(maxsize=4)
def _signer(skey: str, origin: str) -> note.Signer:
    try:
        signer = note.Signer.from_skey(skey)
    except (ValueError, note.NoteError) as exc:
        raise ImproperlyConfigured(
            f"QINGZHAI_EVIDENCE_SIGNING_KEY is not a valid signing key: {exc}"
        ) from exc
    if signer.name != origin:
        raise ImproperlyConfigured(
            f"QINGZHAI_EVIDENCE_SIGNING_KEY is named {signer.name!r} but the log's origin is {origin!r}; "
            "a checkpoint's key name must equal its origin"
        )
    return signer


def origin() -> str:
    return str(settings.QINGZHAI_EVIDENCE_ORIGIN)


def signer() -> note.Signer:
    return _signer(settings.QINGZHAI_EVIDENCE_SIGNING_KEY, origin())


def verifier() -> note.Verifier:
    return signer().verifier()


def vkey() -> str:
    return verifier().vkey()


def sign_checkpoint(size: int, root: bytes) -> str:
    text = format_checkpoint(Checkpoint(origin=origin(), size=size, root=root))
    return note.sign_note(text, signer())

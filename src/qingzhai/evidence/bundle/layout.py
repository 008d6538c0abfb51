"""The court bundle's data contract and file layout. Pure: no Django import.

A bundle is a zip a lawyer hands to a court: the log's signed checkpoint, the leaves it covers with their
inclusion proofs, the artifacts those leaves name by SHA-256, an index in Chinese and a verifier that needs
only Python and `cryptography`. This module holds the input types, the path of every file and the small
parsers the writer and the index share.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from qingzhai.evidence import checkpoint, note

FORMAT = "qingzhai-evidence-bundle/1"

MANIFEST = "manifest.json"
CHECKPOINT = "checkpoint.txt"
VERIFIER_KEY = "verifier-key.txt"
WITNESS_KEYS = "witness-keys.txt"
TIMESTAMP = "checkpoint.tsr"
TSA_CHAIN = "tsa-chain.pem"
INDEX_PDF = "index.pdf"
README = "README.txt"
VERIFY_SCRIPT = "verify.py"

# Media type -> file extension. A fixed table, not `mimetypes`, so that every machine names files alike.
EXTENSIONS: dict[str, str] = {
    "application/json": "json",
    "application/pdf": "pdf",
    "application/xml": "xml",
    "application/zip": "zip",
    "application/octet-stream": "bin",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/msword": "doc",
    "audio/amr": "amr",
    "audio/mpeg": "mp3",
    "audio/mp4": "m4a",
    "audio/ogg": "ogg",
    "audio/wav": "wav",
    "audio/x-wav": "wav",
    "image/gif": "gif",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "message/rfc822": "eml",
    "text/csv": "csv",
    "text/html": "html",
    "text/markdown": "md",
    "text/plain": "txt",
    "video/mp4": "mp4",
}

# China Standard Time. Asia/Shanghai has kept UTC+8 without daylight saving since 1991; a fixed offset
# needs no tz database, so the same input renders the same bytes everywhere.
CHINA_TZ = timezone(timedelta(hours=8), "UTC+8")


class BundleError(ValueError):
    """Input that cannot make a bundle that verifies."""


@dataclass(frozen=True)
class BundleEntry:
    index: int  # 0-based leaf index in the log
    leaf: bytes  # the exact leaf data (canonical JSON, UTF-8) whose RFC 6962 leaf hash is in the log
    proof: str  # c2sp.org/tlog-proof@v1 text for this leaf (contains the signed checkpoint)
    record: dict[str, Any]  # json.loads(leaf)
    artifact: bytes | None  # the artifact bytes (None if the record has no artifact)
    title_zh: str  # one-line Chinese description for the index


@dataclass(frozen=True)
class BundleInput:
    case_label: str  # case number, no personal data
    creditor_label: str
    origin: str  # log origin = key name
    checkpoint: str  # the signed checkpoint note (with any witness cosignatures)
    verifier_key: str  # the log's vkey line (name+hexid+base64)
    witness_keys: list[str]  # cosigners' vkeys (may be empty)
    generated_at: datetime  # aware
    generated_by: str
    entries: list[BundleEntry]
    timestamp_token: bytes | None  # RFC 3161 TimeStampResp DER over the checkpoint text bytes
    tsa_chain_pem: str | None


@dataclass(frozen=True)
class CheckpointBody:
    """The first three lines of a checkpoint note: what its signatures cover."""

    origin: str
    size: int
    root: bytes
    text: str  # the signed text, through its final newline


def entry_path(index: int) -> str:
    return f"entries/{index:012d}.json"


def proof_path(index: int) -> str:
    return f"proofs/{index:012d}.tlog-proof"


def extension(media_type: str | None) -> str:
    base = (media_type or "").split(";", 1)[0].strip().lower()
    return EXTENSIONS.get(base, "bin")


def artifact_path(sha256_hex: str, media_type: str | None) -> str:
    return f"artifacts/{sha256_hex}.{extension(media_type)}"


def parse_checkpoint(signed: str) -> CheckpointBody:
    """Origin, size and root hash of a signed checkpoint note (not verified here)."""
    try:
        text = note.parse(signed).text
        body = checkpoint.parse_checkpoint(text)
    except (note.NoteError, checkpoint.CheckpointError) as exc:
        raise BundleError(f"the checkpoint is malformed: {exc}") from exc
    return CheckpointBody(origin=body.origin, size=body.size, root=body.root, text=text)


def china_time(moment: datetime) -> datetime:
    return moment.astimezone(CHINA_TZ)


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_record_time(value: Any) -> datetime | None:
    """The record's `time` as an aware datetime, or None where it is missing or malformed."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None

"""Content-addressed artifact storage: files kept under the SHA-256 of their bytes.

The default store is the file system under QINGZHAI_DATA_DIR/evidence/artifacts; an S3-compatible
object store is used when QINGZHAI_EVIDENCE_STORE=s3 (bucket, endpoint and prefix from the settings,
credentials from the usual AWS environment variables). Writes are idempotent: the same bytes always
land at the same address, and an address is never overwritten with other bytes.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from qingzhai.core.clock import now


class ArtifactMissing(LookupError):
    pass


@dataclass(frozen=True)
class ArtifactRef:
    sha256: str
    size: int
    media_type: str

    def as_record(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "size": self.size, "media_type": self.media_type}


class Store(Protocol):
    def put(self, sha256: str, data: bytes) -> None: ...
    def get(self, sha256: str) -> bytes: ...
    def exists(self, sha256: str) -> bool: ...


class FileStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, sha256: str, data: bytes) -> None:
        target = self.path(sha256)
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o440)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, sha256: str) -> bytes:
        try:
            return self.path(sha256).read_bytes()
        except FileNotFoundError as exc:
            raise ArtifactMissing(sha256) from exc

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).exists()


class S3Store:
    """Objects at s3://bucket/prefix/ab/cd/<sha256> in any S3-compatible store (MinIO, OSS, COS, S3)."""

    def __init__(self, bucket: str, prefix: str = "", endpoint_url: str | None = None, client: Any = None):
        if client is None:
            import boto3

            client = boto3.client("s3", endpoint_url=endpoint_url or None)
        self.client, self.bucket, self.prefix = client, bucket, prefix.strip("/")

    def key(self, sha256: str) -> str:
        name = f"{sha256[:2]}/{sha256[2:4]}/{sha256}"
        return f"{self.prefix}/{name}" if self.prefix else name

    def put(self, sha256: str, data: bytes) -> None:
        if self.exists(sha256):
            return
        digest = hashlib.sha256(data).digest()
        import base64

        self.client.put_object(
            Bucket=self.bucket,
            Key=self.key(sha256),
            Body=data,
            ChecksumSHA256=base64.b64encode(digest).decode(),
        )

    def get(self, sha256: str) -> bytes:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self.key(sha256))
        except Exception as exc:
            if _is_not_found(exc):
                raise ArtifactMissing(sha256) from exc
            raise
        return bytes(response["Body"].read())

    def exists(self, sha256: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self.key(sha256))
        except Exception as exc:
            if _is_not_found(exc):
                return False
            raise
        return True


def _is_not_found(exc: Exception) -> bool:
    response = getattr(exc, "response", None) or {}
    code = str(response.get("Error", {}).get("Code", ""))
    return code in {"404", "NoSuchKey", "NotFound"}


@lru_cache(maxsize=4)
def _store_for(kind: str, root: str, bucket: str, prefix: str, endpoint: str) -> Store:
    if kind == "file":
        return FileStore(Path(root))
    if kind == "s3":
        if not bucket:
            raise ImproperlyConfigured("QINGZHAI_EVIDENCE_STORE=s3 needs QINGZHAI_EVIDENCE_S3_BUCKET")
        return S3Store(bucket, prefix, endpoint or None)
    raise ImproperlyConfigured(f"QINGZHAI_EVIDENCE_STORE={kind!r}: use 'file' or 's3'")


def store() -> Store:
    return _store_for(
        settings.QINGZHAI_EVIDENCE_STORE,
        str(settings.QINGZHAI_EVIDENCE_ARTIFACT_DIR),
        settings.QINGZHAI_EVIDENCE_S3_BUCKET,
        settings.QINGZHAI_EVIDENCE_S3_PREFIX,
        settings.QINGZHAI_EVIDENCE_S3_ENDPOINT_URL,
    )


def put(data: bytes, media_type: str) -> ArtifactRef:
    """Store bytes (idempotent) and register them; call inside the transaction of the act."""
    from qingzhai.evidence.models import Artifact

    sha = hashlib.sha256(data).hexdigest()
    store().put(sha, data)
    Artifact.objects.bulk_create(
        [Artifact(sha256=sha, size=len(data), media_type=media_type, stored_at=now())], ignore_conflicts=True
    )
    return ArtifactRef(sha256=sha, size=len(data), media_type=media_type)


def get(sha256: str) -> bytes:
    return store().get(sha256)


def check(sha256: str) -> str | None:
    """None when the stored bytes still hash to their address, else what is wrong."""
    try:
        data = get(sha256)
    except ArtifactMissing:
        return "missing"
    if hashlib.sha256(data).hexdigest() != sha256:
        return "changed"
    return None

"""RFC 3161 trusted timestamps for ledger checkpoints. Pure: no Django import.

A checkpoint may carry a timestamp from a configured Time-Stamp Authority (TSA). ``request_token`` asks the
TSA for one; ``verify_token`` checks it offline with the ``rfc3161-client`` verifier.

The stored token is the whole DER ``TimeStampResp`` (status + ``TimeStampToken``) exactly as the TSA sent
it, not the bare ``TimeStampToken`` ContentInfo: that is the structure ``rfc3161-client`` parses, and the
status stays on record next to the signature.

Trust comes only from ``chain_pem``, the TSA certificate chain in any order: self-signed certificates are
the roots, other CA certificates are intermediates, and a single end-entity certificate with the
id-kp-timeStamping extended key usage is pinned as the TSA certificate (so tokens that do not embed it also
verify, and tokens signed by any other certificate fail). Certificates are checked at the token's
``genTime``, not at the time of verification: a token stays verifiable after the TSA certificate expires,
as long-term evidence must; ``rfc3161-client`` does exactly this. Revocation is not checked (offline).
"""

from __future__ import annotations

import hashlib
import secrets
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from rfc3161_client import (
    PKIStatus,
    TimeStampResponse,
    VerificationError,
    VerifierBuilder,
    decode_timestamp_response,
)

CONTENT_TYPE_QUERY = "application/timestamp-query"
MAX_RESPONSE_BYTES = 1 << 20

HASH_OIDS = {
    "sha256": "2.16.840.1.101.3.4.2.1",
    "sha384": "2.16.840.1.101.3.4.2.2",
    "sha512": "2.16.840.1.101.3.4.2.3",
}
_HASH_NAMES = {oid: name for name, oid in HASH_OIDS.items()}


class TimestampError(RuntimeError):
    """A timestamp that could not be obtained or does not verify."""


@dataclass(frozen=True)
class TsaConfig:
    url: str
    chain_pem: str
    timeout_s: float = 10.0
    hash_name: str = "sha256"
    policy_oid: str | None = None


@dataclass(frozen=True)
class TimestampInfo:
    gen_time: datetime
    serial: int
    policy_oid: str
    tsa_name: str
    hash_name: str


def request_token(data: bytes, config: TsaConfig) -> bytes:
    """Timestamp ``data`` at the TSA; return the DER TimeStampResp, already verified against the chain.

    The request carries the ``config.hash_name`` imprint of ``data``, a random 64-bit nonce, certReq TRUE
    and ``config.policy_oid`` as reqPolicy when set. Only status ``granted`` is accepted.
    """
    url = config.url
    digest = _digest(config.hash_name, data)
    nonce = secrets.randbits(64)
    query = _encode_request(HASH_OIDS[config.hash_name], digest, nonce, config.policy_oid)
    body = _post(url, query, config.timeout_s)
    resp = _decode(body)
    if resp.status != PKIStatus.GRANTED:
        detail = "; ".join(resp.status_string)
        raise TimestampError(
            f"时间戳服务拒绝了请求 / TSA {url} did not grant the request: status {resp.status}"
            + (f" ({detail})" if detail else "")
        )
    try:
        tst = resp.tst_info
        got_nonce = tst.nonce
        got_oid = tst.message_imprint.hash_algorithm.dotted_string
        got_digest = tst.message_imprint.message
        got_policy = tst.policy.dotted_string
    except BaseException as exc:
        if not _is_library_failure(exc):
            raise
        raise TimestampError(f"时间戳响应无法解析 / TSA {url} sent an unreadable token: {exc}") from exc
    if got_nonce != nonce:
        raise TimestampError(f"时间戳响应的随机数不符 / TSA {url} answered with the wrong nonce")
    if got_oid != HASH_OIDS[config.hash_name] or got_digest != digest:
        raise TimestampError(f"时间戳响应的消息摘要不符 / TSA {url} answered for a different message imprint")
    if config.policy_oid is not None and got_policy != config.policy_oid:
        raise TimestampError(
            f"时间戳策略不符 / TSA {url} used policy {got_policy}, expected {config.policy_oid}"
        )
    try:
        verify_token(body, data, config.chain_pem)
    except TimestampError as exc:
        raise TimestampError(f"时间戳服务返回的令牌无效 / TSA {url} sent a token that fails: {exc}") from exc
    return body


def verify_token(token_der: bytes, data: bytes, chain_pem: str) -> TimestampInfo:
    """Verify a DER TimeStampResp over ``data`` offline against ``chain_pem``; TimestampError if it fails."""
    roots, intermediates, tsa_cert = _load_chain(chain_pem)
    resp = _decode(token_der)
    if resp.status != PKIStatus.GRANTED:
        raise TimestampError(f"时间戳响应未获批准 / TimeStampResp status is {resp.status}, not granted")
    builder = VerifierBuilder()
    for root in roots:
        builder = builder.add_root_certificate(root)
    for cert in intermediates:
        builder = builder.add_intermediate_certificate(cert)
    if tsa_cert is not None:
        builder = builder.tsa_certificate(tsa_cert)
    try:
        builder.build().verify_message(resp, data)
        tst = resp.tst_info
        hash_oid = tst.message_imprint.hash_algorithm.dotted_string
        return TimestampInfo(
            gen_time=_utc(tst.gen_time),
            serial=int(tst.serial_number),
            policy_oid=tst.policy.dotted_string,
            tsa_name=_tsa_name(resp, tsa_cert),
            hash_name=_HASH_NAMES.get(hash_oid, hash_oid),
        )
    except BaseException as exc:
        if not _is_library_failure(exc):
            raise
        raise TimestampError(f"时间戳令牌验证失败 / timestamp token does not verify: {exc}") from exc


def _is_library_failure(exc: BaseException) -> bool:
    """Errors from parsing or verifying untrusted bytes; a Rust panic surfaces as a BaseException."""
    if isinstance(exc, VerificationError | ValueError):
        return True
    return type(exc).__name__ == "PanicException"


def _digest(hash_name: str, data: bytes) -> bytes:
    if hash_name not in HASH_OIDS:
        raise TimestampError(f"不支持的摘要算法 / unsupported hash algorithm {hash_name!r}")
    return hashlib.new(hash_name, data).digest()


def _decode(token_der: bytes) -> TimeStampResponse:
    try:
        return decode_timestamp_response(bytes(token_der))
    except BaseException as exc:
        if not _is_library_failure(exc):
            raise
        raise TimestampError(f"时间戳响应格式错误 / malformed TimeStampResp: {exc}") from exc


def _load_chain(
    chain_pem: str,
) -> tuple[list[x509.Certificate], list[x509.Certificate], x509.Certificate | None]:
    """Split the chain into (roots, intermediates, pinned TSA certificate or None)."""
    seen: set[bytes] = set()
    roots: list[x509.Certificate] = []
    others: list[x509.Certificate] = []
    tsa_certs: list[x509.Certificate] = []
    try:
        for cert in x509.load_pem_x509_certificates(chain_pem.encode("utf-8")):
            der = cert.public_bytes(Encoding.DER)
            if der in seen:
                continue
            seen.add(der)
            if cert.subject == cert.issuer:
                roots.append(cert)
            elif _is_timestamping_leaf(cert):
                tsa_certs.append(cert)
            else:
                others.append(cert)
    except ValueError as exc:
        raise TimestampError(f"时间戳证书链无法读取 / TSA certificate chain is not valid PEM: {exc}") from exc
    if not roots:
        raise TimestampError("时间戳证书链缺少根证书 / TSA certificate chain has no self-signed root")
    if len(tsa_certs) == 1:
        return roots, others, tsa_certs[0]
    return roots, others + tsa_certs, None


def _is_timestamping_leaf(cert: x509.Certificate) -> bool:
    try:
        if cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca:
            return False
    except x509.ExtensionNotFound:
        pass
    try:
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return False
    return x509.ExtendedKeyUsageOID.TIME_STAMPING in eku


def _tsa_name(resp: TimeStampResponse, tsa_cert: x509.Certificate | None) -> str:
    """The TSTInfo ``tsa`` name, else the subject of the signing certificate."""
    try:
        name = resp.tst_info.name
    except ValueError:
        name = None
    if isinstance(name, x509.DirectoryName):
        return name.value.rfc4514_string()
    if name is not None:
        return str(name.value)
    if tsa_cert is not None:
        return tsa_cert.subject.rfc4514_string()
    signer = next(iter(resp.signed_data.signer_infos))
    for der in resp.signed_data.certificates:
        cert = x509.load_der_x509_certificate(der)
        if cert.issuer == signer.issuer and cert.serial_number == signer.serial_number:
            return cert.subject.rfc4514_string()
    return ""


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _post(url: str, query: bytes, timeout_s: float) -> bytes:
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme not in ("http", "https"):
        raise TimestampError(f"时间戳服务地址无效 / TSA URL must be http(s): {url}")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=query,
        method="POST",
        headers={"Content-Type": CONTENT_TYPE_QUERY, "Accept": "application/timestamp-reply"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:  # noqa: S310
            body: bytes = response.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise TimestampError(f"时间戳服务返回错误 / TSA {url} answered HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise TimestampError(f"无法连接时间戳服务 / cannot reach TSA {url}: {exc}") from exc
    if len(body) > MAX_RESPONSE_BYTES:
        raise TimestampError(f"时间戳响应过大 / TSA {url} response exceeds {MAX_RESPONSE_BYTES} bytes")
    return body


# Minimal DER for TimeStampReq (RFC 3161 §2.4.1); rfc3161-client's builder cannot set reqPolicy.


def _der(tag: int, body: bytes) -> bytes:
    size = len(body)
    if size < 0x80:
        return bytes([tag, size]) + body
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(length)]) + length + body


def _der_uint(value: int) -> bytes:
    return _der(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big"))


def _der_oid(dotted: str) -> bytes:
    try:
        x509.ObjectIdentifier(dotted)
        arcs = [int(arc) for arc in dotted.split(".")]
    except ValueError as exc:
        raise TimestampError(f"对象标识符无效 / invalid OID {dotted!r}") from exc
    body = bytearray()
    for arc in [arcs[0] * 40 + arcs[1], *arcs[2:]]:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        body.extend(reversed(chunk))
    return _der(0x06, bytes(body))


def _encode_request(hash_oid: str, digest: bytes, nonce: int, policy_oid: str | None) -> bytes:
    algorithm = _der(0x30, _der_oid(hash_oid) + b"\x05\x00")
    imprint = _der(0x30, algorithm + _der(0x04, digest))
    policy = _der_oid(policy_oid) if policy_oid is not None else b""
    cert_req = b"\x01\x01\xff"
    return _der(0x30, _der_uint(1) + imprint + policy + _der_uint(nonce) + cert_req)

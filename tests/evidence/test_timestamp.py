from __future__ import annotations

import base64
import hashlib
import json
import socket
from datetime import UTC, datetime
from pathlib import Path

import pytest
from asn1crypto import tsp
from cryptography.hazmat.primitives.serialization import Encoding
from rfc3161_client import HashAlgorithm, TimestampRequestBuilder, decode_timestamp_response

from qingzhai.evidence.timestamp import (
    HASH_OIDS,
    TimestampError,
    TimestampInfo,
    TsaConfig,
    _encode_request,
    request_token,
    verify_token,
)
from tests.evidence.tsa_server import DEFAULT_POLICY, LocalTsa, make_pki, sibling_pki

REPO = Path(__file__).resolve().parents[2]
SHARED_VECTORS = REPO / ".." / "shared" / "vectors" / "rfc3161-timestamp.json"
LOCAL_VECTORS = REPO / "tests" / "data" / "evidence" / "rfc3161.json"
SIGSTAGE_TSA = "CN=sigstore-tsa,O=sigstore.dev"


def _pem(*certs) -> str:
    return "".join(c.public_bytes(Encoding.PEM).decode("ascii") for c in certs)


def _cases(path: Path) -> list:
    if not path.exists():
        return [pytest.param(None, None, marks=pytest.mark.skip(reason=f"shared vectors absent: {path}"))]
    doc = json.loads(path.read_text(encoding="utf-8"))
    return [pytest.param(doc, r, id=r["file"]) for r in doc["responses"]]


def _check_vector(doc: dict, response: dict) -> None:
    token = base64.b64decode(response["der_b64"])
    assert response["expect"], "vector without expectations"
    for message, valid in response["expect"].items():
        if not valid:
            with pytest.raises(TimestampError, match="does not verify"):
                verify_token(token, message.encode(), doc["ts_chain_pem"])
            continue
        info = verify_token(token, message.encode(), doc["ts_chain_pem"])
        assert info.hash_name == response["hash_algorithm"]
        assert info.gen_time == datetime.fromisoformat(response["gen_time"].replace("Z", "+00:00"))
        assert info.gen_time.tzinfo is UTC
        assert info.policy_oid == response.get("policy_oid", "1.3.6.1.4.1.57264.2")
        assert info.tsa_name == SIGSTAGE_TSA


# -- (a) interoperability vectors -------------------------------------------------------------------------


@pytest.mark.parametrize(("doc", "response"), _cases(SHARED_VECTORS))
def test_shared_vectors(doc, response):
    _check_vector(doc, response)


@pytest.mark.parametrize(("doc", "response"), _cases(LOCAL_VECTORS))
def test_local_vectors(doc, response):
    _check_vector(doc, response)


def _local_doc() -> dict:
    return json.loads(LOCAL_VECTORS.read_text(encoding="utf-8"))


def test_local_vector_exact_fields_and_expectations():
    doc = _local_doc()
    assert [(r["file"], r["expect"]) for r in doc["responses"]] == [
        ("response-sha256.tsr", {"hello": True, "hellO": False}),
        ("response-invalid-signature.tsr", {"hello": False, "hellO": False}),
    ]
    token = base64.b64decode(doc["responses"][0]["der_b64"])
    assert verify_token(token, b"hello", doc["ts_chain_pem"]) == TimestampInfo(
        gen_time=datetime(2025, 5, 9, 11, 58, 55, tzinfo=UTC),
        serial=686758101025552741671190982006166081499178774174,
        policy_oid="1.3.6.1.4.1.57264.2",
        tsa_name=SIGSTAGE_TSA,
        hash_name="sha256",
    )


def test_vector_chain_in_any_order_and_wrong_chain():
    doc = _local_doc()
    token = base64.b64decode(doc["responses"][0]["der_b64"])
    blocks = doc["ts_chain_pem"].split("-----END CERTIFICATE-----\n")
    reversed_pem = "".join(b + "-----END CERTIFICATE-----\n" for b in reversed(blocks) if b.strip())
    assert (
        verify_token(token, b"hello", reversed_pem).serial == 686758101025552741671190982006166081499178774174
    )
    with pytest.raises(TimestampError, match="does not verify"):
        verify_token(token, b"hello", make_pki().chain_pem)


# -- request encoding ---------------------------------------------------------------------------------------


def test_request_encoding_matches_rfc3161_client_builder():
    reference = TimestampRequestBuilder().data(b"abc").hash_algorithm(HashAlgorithm.SHA256).build()
    assert reference.nonce is not None
    ours = _encode_request(HASH_OIDS["sha256"], hashlib.sha256(b"abc").digest(), reference.nonce, None)
    assert ours == reference.as_bytes()


def test_request_encoding_with_policy_and_long_imprint():
    der = _encode_request(
        HASH_OIDS["sha512"], hashlib.sha512(b"abc").digest(), 2**64 - 1, "1.2.840.113549.1.9"
    )
    parsed = tsp.TimeStampReq.load(der)
    assert parsed.dump(force=True) == der
    assert parsed.native == {
        "version": "v1",
        "message_imprint": {
            "hash_algorithm": {"algorithm": "sha512", "parameters": None},
            "hashed_message": hashlib.sha512(b"abc").digest(),
        },
        "req_policy": "1.2.840.113549.1.9",
        "nonce": 2**64 - 1,
        "cert_req": True,
        "extensions": None,
    }


# -- (b) end to end against the local TSA ----------------------------------------------------------------


def _config(tsa: LocalTsa, **kwargs) -> TsaConfig:
    return TsaConfig(url=tsa.url, chain_pem=tsa.chain_pem, timeout_s=5.0, **kwargs)


def test_round_trip(tsa):
    before = datetime.now(UTC).replace(microsecond=0)
    token = request_token(b"checkpoint", _config(tsa))
    after = datetime.now(UTC)
    assert tsa.requests == 1
    assert decode_timestamp_response(token).status == 0
    info = verify_token(token, b"checkpoint", tsa.chain_pem)
    assert (info.serial, info.policy_oid, info.hash_name) == (1, DEFAULT_POLICY, "sha256")
    assert info.tsa_name == "CN=Test TSA,O=Qingzhai Test"
    assert before <= info.gen_time <= after
    assert info.gen_time.tzinfo is UTC

    request = tsa.last_request
    assert request is not None
    assert request["message_imprint"]["hash_algorithm"]["algorithm"].native == "sha256"
    assert request["message_imprint"]["hashed_message"].native == hashlib.sha256(b"checkpoint").digest()
    assert request["cert_req"].native is True
    assert request["req_policy"].native is None
    assert 0 <= request["nonce"].native < 2**64


def test_each_request_has_a_fresh_nonce(tsa):
    nonces = set()
    for _ in range(3):
        request_token(b"x", _config(tsa))
        nonces.add(tsa.last_request["nonce"].native)
    assert len(nonces) == 3
    assert tsa.requests == 3


@pytest.mark.parametrize("hash_name", ["sha384", "sha512"])
def test_other_hashes(tsa, hash_name):
    token = request_token(b"checkpoint", _config(tsa, hash_name=hash_name))
    assert tsa.last_request["message_imprint"]["hash_algorithm"]["algorithm"].native == hash_name
    assert verify_token(token, b"checkpoint", tsa.chain_pem).hash_name == hash_name


def test_unsupported_hash_sends_nothing(tsa):
    with pytest.raises(TimestampError, match="unsupported hash algorithm 'md5'"):
        request_token(b"x", _config(tsa, hash_name="md5"))
    assert tsa.requests == 0


def test_requested_policy(tsa):
    token = request_token(b"x", _config(tsa, policy_oid="1.2.3.4.5.6.7"))
    assert tsa.last_request["req_policy"].native == "1.2.3.4.5.6.7"
    assert verify_token(token, b"x", tsa.chain_pem).policy_oid == "1.2.3.4.5.6.7"


def test_policy_not_honoured(tsa):
    tsa.mode = "ignore_policy"
    with pytest.raises(TimestampError, match=f"used policy {DEFAULT_POLICY}, expected 1.2.3.4"):
        request_token(b"x", _config(tsa, policy_oid="1.2.3.4"))


def test_tampered_data_fails(tsa):
    token = request_token(b"checkpoint", _config(tsa))
    with pytest.raises(TimestampError, match="Mismatch between messages"):
        verify_token(token, b"checkpoinT", tsa.chain_pem)


def test_tampered_token_fails(tsa):
    token = request_token(b"checkpoint", _config(tsa))
    at = token.index(b"\x18\x0f") + 2  # genTime GeneralizedTime "YYYYMMDDHHMMSSZ"
    forged = token[:at] + b"1999" + token[at + 4 :]
    assert decode_timestamp_response(forged).tst_info.gen_time.year == 1999
    with pytest.raises(TimestampError, match="does not verify"):
        verify_token(forged, b"checkpoint", tsa.chain_pem)


def test_wrong_chain_fails(tsa):
    token = request_token(b"checkpoint", _config(tsa))
    with pytest.raises(TimestampError, match="does not verify"):
        verify_token(token, b"checkpoint", make_pki("Other").chain_pem)
    # Same names, other keys: only the signatures can tell, and they do.
    with pytest.raises(TimestampError, match="does not verify"):
        verify_token(token, b"checkpoint", make_pki().chain_pem)
    with pytest.raises(TimestampError, match=f"TSA {tsa.url} sent a token that fails"):
        request_token(b"checkpoint", TsaConfig(url=tsa.url, chain_pem=make_pki().chain_pem))


def test_configured_tsa_certificate_is_pinned(tsa):
    other = LocalTsa(sibling_pki(tsa.pki, "Test TSA 2"))
    token = other.issue(b"checkpoint")
    with pytest.raises(TimestampError, match="Embedded certificate does not match"):
        verify_token(token, b"checkpoint", tsa.chain_pem)
    root_only = _pem(tsa.pki.root_cert, tsa.pki.intermediate_cert)
    assert verify_token(token, b"checkpoint", root_only).tsa_name == "CN=Test TSA 2,O=Qingzhai Test"


def test_token_without_embedded_certificates_uses_the_chain(tsa):
    tsa.mode = "no_certs"
    token = request_token(b"checkpoint", _config(tsa))
    assert decode_timestamp_response(token).signed_data.certificates == set()
    assert verify_token(token, b"checkpoint", tsa.chain_pem).serial == 1


def test_chain_errors(tsa):
    token = tsa.issue(b"checkpoint")
    with pytest.raises(TimestampError, match="has no self-signed root"):
        verify_token(token, b"checkpoint", _pem(tsa.pki.tsa_cert, tsa.pki.intermediate_cert))
    with pytest.raises(TimestampError, match="not valid PEM"):
        verify_token(token, b"checkpoint", "not a certificate")


def test_certificates_are_checked_at_gen_time():
    old = LocalTsa(
        make_pki(not_before=datetime(2020, 1, 1, tzinfo=UTC), not_after=datetime(2021, 1, 1, tzinfo=UTC))
    )
    old.gen_time = datetime(2020, 6, 1, tzinfo=UTC)
    info = verify_token(old.issue(b"checkpoint"), b"checkpoint", old.chain_pem)
    assert info.gen_time == datetime(2020, 6, 1, tzinfo=UTC)  # certificate expired long before today
    for outside in (datetime(2019, 12, 31, tzinfo=UTC), datetime(2021, 1, 2, tzinfo=UTC)):
        old.gen_time = outside
        with pytest.raises(TimestampError, match="does not verify"):
            verify_token(old.issue(b"checkpoint"), b"checkpoint", old.chain_pem)


def test_bad_signature(tsa):
    tsa.mode = "bad_signature"
    with pytest.raises(TimestampError, match=f"TSA {tsa.url} sent a token that fails"):
        request_token(b"checkpoint", _config(tsa))
    with pytest.raises(TimestampError, match="does not verify"):
        verify_token(tsa.issue(b"checkpoint"), b"checkpoint", tsa.chain_pem)


def test_rejection_status(tsa):
    tsa.mode = "reject"
    with pytest.raises(
        TimestampError, match=rf"TSA {tsa.url} did not grant the request: status 2 \(policy not accepted\)"
    ):
        request_token(b"checkpoint", _config(tsa))
    with pytest.raises(TimestampError, match="status is 2, not granted"):
        verify_token(tsa.issue(b"checkpoint"), b"checkpoint", tsa.chain_pem)


def test_http_500(tsa):
    tsa.mode = "http_error"
    with pytest.raises(TimestampError, match=f"TSA {tsa.url} answered HTTP 500"):
        request_token(b"checkpoint", _config(tsa))
    assert tsa.requests == 1


def test_garbage_response(tsa):
    tsa.mode = "garbage"
    with pytest.raises(TimestampError, match="malformed TimeStampResp"):
        request_token(b"checkpoint", _config(tsa))
    with pytest.raises(TimestampError, match="malformed TimeStampResp"):
        verify_token(b"\x30\x03\x02\x01\x00", b"checkpoint", tsa.chain_pem)


def test_nonce_mismatch(tsa):
    tsa.mode = "wrong_nonce"
    with pytest.raises(TimestampError, match=f"TSA {tsa.url} answered with the wrong nonce"):
        request_token(b"checkpoint", _config(tsa))


def test_imprint_mismatch(tsa):
    tsa.mode = "wrong_imprint"
    with pytest.raises(TimestampError, match="different message imprint"):
        request_token(b"checkpoint", _config(tsa))


def test_unreachable_url():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/tsa"
    with pytest.raises(TimestampError, match=f"cannot reach TSA {url}"):
        request_token(b"checkpoint", TsaConfig(url=url, chain_pem=make_pki().chain_pem, timeout_s=2.0))


def test_timeout(tsa):
    tsa.mode = "slow"
    with pytest.raises(TimestampError, match=f"cannot reach TSA {tsa.url}"):
        request_token(b"checkpoint", TsaConfig(url=tsa.url, chain_pem=tsa.chain_pem, timeout_s=0.3))


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/tsa", "127.0.0.1:1/tsa"])
def test_only_http_urls(url):
    with pytest.raises(TimestampError, match="TSA URL must be http"):
        request_token(b"checkpoint", TsaConfig(url=url, chain_pem=make_pki().chain_pem))

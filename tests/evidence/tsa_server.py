"""A local RFC 3161 Time-Stamp Authority for tests: real signed responses, no internet.

A throwaway PKI (root CA -> intermediate CA -> TSA certificate with the critical id-kp-timeStamping EKU,
ECDSA P-256) is made with ``cryptography``; TSTInfo, SignedData and TimeStampResp are built with
``asn1crypto``. The SignerInfo carries the signed attributes RFC 3161 / RFC 5816 verifiers expect:
content-type (id-ct-TSTInfo), message-digest, signing-time and signing-certificate-v2 (ESSCertIDv2).

``LocalTsa.mode`` makes the server misbehave for negative tests; see ``MODES``.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import algos, cms, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DEFAULT_POLICY = "1.3.6.1.4.1.99999.3161.1"
MODES = (
    "ok",  # a correct, signed, granted response
    "reject",  # PKIStatus rejection (unaccepted_policy), no token
    "http_error",  # HTTP 500
    "garbage",  # HTTP 200 with bytes that are not DER
    "wrong_nonce",  # signed, but the nonce is not the request's
    "wrong_imprint",  # signed, but over another message imprint
    "bad_signature",  # one bit of the CMS signature flipped
    "no_certs",  # no certificates embedded, whatever certReq says
    "ignore_policy",  # always answers with DEFAULT_POLICY, ignoring reqPolicy
    "slow",  # answers after SLOW_S seconds
)
SLOW_S = 1.5


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Qingzhai Test"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


@dataclass
class Pki:
    root_cert: x509.Certificate
    intermediate_cert: x509.Certificate
    intermediate_key: ec.EllipticCurvePrivateKey
    tsa_cert: x509.Certificate
    tsa_key: ec.EllipticCurvePrivateKey

    @property
    def chain_pem(self) -> str:
        """Leaf first, then intermediate, then root."""
        certs = (self.tsa_cert, self.intermediate_cert, self.root_cert)
        return "".join(c.public_bytes(Encoding.PEM).decode("ascii") for c in certs)


def _build_cert(
    subject: x509.Name,
    issuer: x509.Name,
    public_key: ec.EllipticCurvePublicKey,
    signing_key: ec.EllipticCurvePrivateKey,
    validity: tuple[datetime, datetime],
    path_length: int | None = None,
    ca: bool = False,
) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(validity[0])
        .not_valid_after(validity[1])
        .add_extension(x509.BasicConstraints(ca=ca, path_length=path_length), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    if not ca:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    if subject != issuer:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signing_key.public_key()), critical=False
        )
    return builder.sign(signing_key, hashes.SHA256())


def _validity(not_before: datetime | None, not_after: datetime | None) -> tuple[datetime, datetime]:
    now = datetime.now(UTC)
    return not_before or now - timedelta(days=1), not_after or now + timedelta(days=365)


def make_pki(
    label: str = "Test", not_before: datetime | None = None, not_after: datetime | None = None
) -> Pki:
    """A fresh root -> intermediate -> TSA chain; every certificate valid from not_before to not_after."""
    validity = _validity(not_before, not_after)
    root_key = ec.generate_private_key(ec.SECP256R1())
    inter_key = ec.generate_private_key(ec.SECP256R1())
    root_name = _name(f"{label} Root CA")
    inter_name = _name(f"{label} Intermediate CA")
    root = _build_cert(root_name, root_name, root_key.public_key(), root_key, validity, 1, ca=True)
    inter = _build_cert(inter_name, root_name, inter_key.public_key(), root_key, validity, 0, ca=True)
    return sibling_pki(
        Pki(
            root_cert=root,
            intermediate_cert=inter,
            intermediate_key=inter_key,
            tsa_cert=inter,
            tsa_key=inter_key,
        ),
        f"{label} TSA",
        *validity,
    )


def sibling_pki(
    pki: Pki, common_name: str, not_before: datetime | None = None, not_after: datetime | None = None
) -> Pki:
    """Same root and intermediate, a new TSA key and certificate."""
    tsa_key = ec.generate_private_key(ec.SECP256R1())
    tsa = _build_cert(
        _name(common_name),
        pki.intermediate_cert.subject,
        tsa_key.public_key(),
        pki.intermediate_key,
        _validity(not_before, not_after),
    )
    return Pki(pki.root_cert, pki.intermediate_cert, pki.intermediate_key, tsa, tsa_key)


def _asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))


def make_request(data: bytes, nonce: int | None = 12345, policy_oid: str | None = None) -> tsp.TimeStampReq:
    fields: dict[str, object] = {
        "version": 1,
        "message_imprint": {
            "hash_algorithm": {"algorithm": "sha256"},
            "hashed_message": hashlib.sha256(data).digest(),
        },
        "cert_req": True,
    }
    if nonce is not None:
        fields["nonce"] = nonce
    if policy_oid is not None:
        fields["req_policy"] = policy_oid
    return tsp.TimeStampReq(fields)


def rejection(reason: str = "policy not accepted") -> bytes:
    status = tsp.PKIStatusInfo(
        {"status": "rejection", "status_string": [reason], "fail_info": {"unaccepted_policy"}}
    )
    body = status.dump()
    return b"\x30" + bytes([len(body)]) + body


class LocalTsa:
    """Signs RFC 3161 requests with a test PKI; serves them over HTTP on 127.0.0.1 once started."""

    def __init__(self, pki: Pki | None = None) -> None:
        self.pki = pki or make_pki()
        self.mode = "ok"
        self.requests = 0
        self.last_request: tsp.TimeStampReq | None = None
        self.gen_time: datetime | None = None  # fixed genTime; None means now
        self._serial = 0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def chain_pem(self) -> str:
        return self.pki.chain_pem

    @property
    def url(self) -> str:
        assert self._server is not None, "server not started"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/tsa"

    # -- signing -----------------------------------------------------------------------------------------

    def sign(self, request: tsp.TimeStampReq, mode: str | None = None) -> bytes:
        """A DER TimeStampResp for ``request`` (as the server would answer in ``mode``)."""
        mode = mode or self.mode
        if mode == "reject":
            return rejection()
        self._serial += 1
        imprint = request["message_imprint"]
        if mode == "wrong_imprint":
            imprint = tsp.MessageImprint(
                {"hash_algorithm": {"algorithm": "sha256"}, "hashed_message": hashlib.sha256(b"x").digest()}
            )
        policy = request["req_policy"].native if request["req_policy"].native else DEFAULT_POLICY
        if mode == "ignore_policy":
            policy = DEFAULT_POLICY
        gen_time = (self.gen_time or datetime.now(UTC)).replace(microsecond=0)
        tst_fields: dict[str, object] = {
            "version": "v1",
            "policy": policy,
            "message_imprint": imprint,
            "serial_number": self._serial,
            "gen_time": gen_time,
            "accuracy": {"seconds": 1},
            "tsa": asn1_x509.GeneralName(name="directory_name", value=_asn1_cert(self.pki.tsa_cert).subject),
        }
        nonce = request["nonce"].native
        if nonce is not None:
            tst_fields["nonce"] = nonce + 1 if mode == "wrong_nonce" else nonce
        tst_info = tsp.TSTInfo(tst_fields)
        tst_der = tst_info.dump()

        tsa_cert = _asn1_cert(self.pki.tsa_cert)
        ess_cert_id = tsp.ESSCertIDv2(
            {
                "cert_hash": hashlib.sha256(tsa_cert.dump()).digest(),
                "issuer_serial": {
                    "issuer": [asn1_x509.GeneralName(name="directory_name", value=tsa_cert.issuer)],
                    "serial_number": tsa_cert.serial_number,
                },
            }
        )
        signed_attrs = cms.CMSAttributes(
            [
                cms.CMSAttribute({"type": "content_type", "values": ["tst_info"]}),
                cms.CMSAttribute(
                    {"type": "signing_time", "values": [cms.Time(name="utc_time", value=gen_time)]}
                ),
                cms.CMSAttribute({"type": "message_digest", "values": [hashlib.sha256(tst_der).digest()]}),
                cms.CMSAttribute(
                    {
                        "type": "signing_certificate_v2",
                        "values": [tsp.SigningCertificateV2({"certs": [ess_cert_id]})],
                    }
                ),
            ]
        )
        signature = self.pki.tsa_key.sign(signed_attrs.dump(), ec.ECDSA(hashes.SHA256()))
        if mode == "bad_signature":
            signature = signature[:-1] + bytes([signature[-1] ^ 0x01])
        signer_info = cms.SignerInfo(
            {
                "version": "v1",
                "sid": cms.SignerIdentifier(
                    name="issuer_and_serial_number",
                    value={"issuer": tsa_cert.issuer, "serial_number": tsa_cert.serial_number},
                ),
                "digest_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
                "signed_attrs": signed_attrs,
                "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": "sha256_ecdsa"}),
                "signature": signature,
            }
        )
        signed_fields: dict[str, object] = {
            "version": "v3",
            "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha256"})],
            "encap_content_info": {"content_type": "tst_info", "content": tst_info},
            "signer_infos": [signer_info],
        }
        if request["cert_req"].native and mode != "no_certs":
            signed_fields["certificates"] = [tsa_cert, _asn1_cert(self.pki.intermediate_cert)]
        token = cms.ContentInfo({"content_type": "signed_data", "content": cms.SignedData(signed_fields)})
        return tsp.TimeStampResp({"status": {"status": "granted"}, "time_stamp_token": token}).dump()

    def issue(self, data: bytes, mode: str | None = None) -> bytes:
        """Timestamp ``data`` directly, without HTTP."""
        return self.sign(make_request(data), mode)

    # -- HTTP ----------------------------------------------------------------------------------------------

    def answer(self, body: bytes) -> tuple[int, bytes]:
        self.requests += 1
        if self.mode == "http_error":
            return 500, b"internal error"
        if self.mode == "garbage":
            return 200, b"this is not a time-stamp response"
        if self.mode == "slow":
            time.sleep(SLOW_S)
        request = tsp.TimeStampReq.load(body)
        request.native  # parse fully: a malformed request fails here
        self.last_request = request
        return 200, self.sign(request, "ok" if self.mode == "slow" else self.mode)

    def start(self) -> LocalTsa:
        tsa = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                try:
                    status, payload = tsa.answer(body)
                except Exception:
                    status, payload = 400, b"bad request"
                self.send_response(status)
                ctype = "application/timestamp-reply" if status == 200 else "text/plain"
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

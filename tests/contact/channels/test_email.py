from __future__ import annotations

import ssl
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from ipaddress import IPv4Address
from pathlib import Path
from typing import Any

import pytest

aiosmtpd = pytest.importorskip("aiosmtpd", reason="aiosmtpd is not installed (pip install aiosmtpd)")
from aiosmtpd.controller import Controller  # noqa: E402
from aiosmtpd.smtp import AuthResult, LoginPassword  # noqa: E402

from qingzhai.contact.channels import Attachment, ChannelError, Message, channel_for  # noqa: E402
from qingzhai.contact.channels.email import EmailChannel, message_id  # noqa: E402

PDF = b"%PDF-1.4\n% test attachment\n"


class Collect:
    def __init__(self) -> None:
        self.envelopes: list[Any] = []
        self.reject: dict[str, str] = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        if address in self.reject:
            return self.reject[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


class FreePortController(Controller):
    """aiosmtpd on 127.0.0.1 port 0: reads back the port the system chose."""

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@pytest.fixture
def smtp() -> Iterator[tuple[FreePortController, Collect]]:
    handler = Collect()
    controller = FreePortController(handler, hostname="127.0.0.1", port=0)
    controller.start()
    yield controller, handler
    controller.stop()


def _message(**changes: Any) -> Message:
    values: dict[str, Any] = {
        "idempotency_key": "case-7:email:1",
        "channel": "email",
        "to": "debtor@example.cn",
        "subject": "还款提醒：账户 7 已逾期",
        "body": "张先生您好：\n您的借款已逾期 30 天，欠款人民币 1,234.56 元。",
        "attachments": (Attachment("催款函.pdf", "application/pdf", PDF),),
    }
    values.update(changes)
    return Message(**values)


def test_message_is_delivered_with_headers_utf8_body_and_attachment(smtp) -> None:  # type: ignore[no-untyped-def]
    controller, handler = smtp
    channel = EmailChannel("127.0.0.1", controller.port, from_addr="清债 <notice@qingzhai.cn>", timeout=5)
    result = channel.send(_message())
    expected_id = message_id("case-7:email:1", "qingzhai.cn")
    assert (result.status, result.provider_id) == ("accepted", expected_id)
    assert expected_id.endswith("@qingzhai.cn>") and len(expected_id) == 2 + 32 + len("@qingzhai.cn")
    (envelope,) = handler.envelopes
    assert (envelope.mail_from, envelope.rcpt_tos) == ("notice@qingzhai.cn", ["debtor@example.cn"])
    mail = message_from_bytes(envelope.original_content, policy=policy.default)
    assert mail["Message-ID"] == expected_id
    assert mail["Subject"] == "还款提醒：账户 7 已逾期"
    assert mail["From"].addresses[0].display_name == "清债"
    assert abs(mail["Date"].datetime - datetime.now(UTC)) < timedelta(minutes=1)
    assert (
        mail.get_body(("plain",)).get_content().replace("\r\n", "\n")
        == "张先生您好：\n您的借款已逾期 30 天，欠款人民币 1,234.56 元。\n"
    )
    assert mail.get_body(("plain",)).get_content_charset() == "utf-8"
    (attachment,) = list(mail.iter_attachments())
    assert (attachment.get_filename(), attachment.get_content_type()) == ("催款函.pdf", "application/pdf")
    assert attachment.get_content() == PDF


def test_resend_keeps_the_message_id(smtp) -> None:  # type: ignore[no-untyped-def]
    controller, handler = smtp
    channel = EmailChannel("127.0.0.1", controller.port, from_addr="notice@qingzhai.cn")
    assert channel.send(_message()).provider_id == channel.send(_message()).provider_id
    ids = [message_from_bytes(e.original_content)["Message-ID"] for e in handler.envelopes]
    assert len(ids) == 2 and ids[0] == ids[1]


def test_html_alternative(smtp) -> None:  # type: ignore[no-untyped-def]
    controller, handler = smtp
    channel = EmailChannel("127.0.0.1", controller.port, from_addr="notice@qingzhai.cn")
    channel.send(_message(meta={"html": "<p>张先生您好</p>"}, attachments=()))
    mail = message_from_bytes(handler.envelopes[0].original_content, policy=policy.default)
    assert mail.get_body(("html",)).get_content().strip() == "<p>张先生您好</p>"


def test_refusals_map_to_permanent_and_retryable(smtp) -> None:  # type: ignore[no-untyped-def]
    controller, handler = smtp
    handler.reject = {"gone@example.cn": "550 No such user", "full@example.cn": "452 Mailbox full"}
    channel = EmailChannel("127.0.0.1", controller.port, from_addr="notice@qingzhai.cn")
    gone = channel.send(_message(to="gone@example.cn"))
    full = channel.send(_message(to="full@example.cn"))
    assert (gone.status, gone.error_code, gone.detail["smtp_code"]) == (
        "failed_permanent",
        "email_rejected",
        550,
    )
    assert (full.status, full.error_code, full.detail["smtp_code"]) == (
        "failed_retryable",
        "email_deferred",
        452,
    )
    assert handler.envelopes == []


def test_bad_address_and_unreachable_server() -> None:
    channel = EmailChannel("127.0.0.1", 9, from_addr="notice@qingzhai.cn", timeout=1)
    bad = channel.send(_message(to="not-an-address"))
    assert (bad.status, bad.error_code) == ("failed_permanent", "email_address_invalid")
    injected = channel.send(_message(subject="x\r\nBcc: all@example.cn"))
    assert (injected.status, injected.error_code) == ("failed_permanent", "email_subject_invalid")
    down = channel.send(_message())
    assert (down.status, down.error_code) == ("failed_retryable", "email_unreachable")


def _certificate(tmp_path: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(IPv4Address("127.0.0.1"))]), critical=False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


def _login(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"qz", b"secret")
    return AuthResult(success=ok, handled=False)


@pytest.mark.parametrize("mode", ["starttls", "ssl"])
def test_tls_modes_with_login(tmp_path: Path, mode: str) -> None:
    cert, key = _certificate(tmp_path)
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(cert, key)
    client_ctx = ssl.create_default_context(cafile=str(cert))
    handler = Collect()
    options: dict[str, Any] = {"authenticator": _login}
    if mode == "starttls":
        options.update(tls_context=server_ctx, require_starttls=True, auth_require_tls=True)
    else:  # aiosmtpd does not count implicit TLS as TLS for auth_require_tls
        options.update(ssl_context=server_ctx, auth_require_tls=False)
    controller = FreePortController(handler, hostname="127.0.0.1", port=0, **options)
    controller.start()
    try:
        common: dict[str, Any] = {
            "from_addr": "notice@qingzhai.cn",
            "username": "qz",
            "ssl_context": client_ctx,
        }
        tls = {"use_tls": True} if mode == "starttls" else {"use_ssl": True}
        result = EmailChannel("127.0.0.1", controller.port, password="secret", **common, **tls).send(
            _message()
        )
        assert result.status == "accepted", result.error_en
        assert len(handler.envelopes) == 1
        refused = EmailChannel("127.0.0.1", controller.port, password="wrong", **common, **tls).send(
            _message()
        )
        assert (refused.status, refused.error_code) == ("failed_permanent", "email_auth"), refused.error_en
        if mode == "starttls":  # login without STARTTLS: the server offers no AUTH
            bare = EmailChannel("127.0.0.1", controller.port, from_addr="notice@qingzhai.cn", username="qz")
            unsupported = bare.send(_message())
            assert (unsupported.status, unsupported.error_code) == (
                "failed_permanent",
                "email_server_unsupported",
            )
    finally:
        controller.stop()


def test_settings_use_django_names_and_refuse_two_tls_modes() -> None:
    channel = channel_for(
        "email",
        {
            "EMAIL_HOST": "smtp.example.cn",
            "EMAIL_PORT": "465",
            "EMAIL_USE_SSL": True,
            "DEFAULT_FROM_EMAIL": "a@qingzhai.cn",
        },
    )
    assert (channel.host, channel.port, channel.use_ssl, channel.domain) == (
        "smtp.example.cn",
        465,
        True,
        "qingzhai.cn",
    )  # type: ignore[attr-defined]
    with pytest.raises(ChannelError) as caught:
        channel_for(
            "email", {"EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1", "DEFAULT_FROM_EMAIL": "a@qingzhai.cn"}
        )
    assert caught.value.code == "email_tls_conflict"


def test_webhook_receipt_dsn_and_reply() -> None:
    channel = EmailChannel(from_addr="notice@qingzhai.cn")
    hook = channel.parse_receipt(
        {"message_id": "<abc@qingzhai.cn>", "status": "delivered", "at": "2025-05-06T01:02:03Z"}
    )
    assert (hook.provider_id, hook.status, hook.at) == (
        "<abc@qingzhai.cn>",
        "delivered",
        datetime(2025, 5, 6, 1, 2, 3, tzinfo=UTC),
    )
    dsn = (
        "From: MAILER-DAEMON@example.cn\r\nTo: notice@qingzhai.cn\r\nDate: Tue, 06 May 2025 09:00:00 +0800\r\n"
        "MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=XX\r\n\r\n"
        "--XX\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n"
        "--XX\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.cn\r\n\r\n"
        "Final-Recipient: rfc822; gone@example.cn\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
        "--XX\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <abc@qingzhai.cn>\r\nSubject: x\r\n\r\n--XX--\r\n"
    )
    bounce = channel.parse_receipt({"dsn": dsn})
    assert (bounce.provider_id, bounce.status, bounce.raw) == (
        "<abc@qingzhai.cn>",
        "failed",
        {"action": "failed", "status": "5.1.1"},
    )
    assert bounce.at == datetime(2025, 5, 6, 1, 0, tzinfo=UTC)
    reply = channel.parse_reply(
        {
            "raw": "From: 张三 <debtor@example.cn>\r\nTo: notice@qingzhai.cn\r\nIn-Reply-To: <abc@qingzhai.cn>\r\n"
            "Date: Tue, 06 May 2025 10:00:00 +0800\r\nSubject: =?utf-8?b?5Zue5aSN?=\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            "5oiR5LiL5ZGo5LiA6L+Y5qy+\r\n"
        }
    )
    assert (reply.from_, reply.text, reply.provider_id) == (
        "debtor@example.cn",
        "我下周一还款",
        "<abc@qingzhai.cn>",
    )
    assert reply.at == datetime(2025, 5, 6, 2, 0, tzinfo=UTC)
    with pytest.raises(ChannelError) as caught:
        channel.parse_receipt({"dsn": "Subject: hello\r\n\r\nnothing"})
    assert caught.value.code == "email_dsn_unreadable"

"""E-mail over SMTP (smtplib; pure: no Django).

Plain SMTP, STARTTLS (`use_tls`) or SMTP over TLS (`use_ssl`), optional login. The Message-ID is derived
from the idempotency key (`<sha256(key)[:32]@domain>`), so a resent message carries the same id and the
recipient's server, threads and our reply matching see one message. Subject and body are UTF-8;
attachments keep their names (RFC 2231 for Chinese file names); `meta["html"]` adds an HTML alternative.

SMTP answers map to results: 2xx accepted (provider id: the Message-ID); 4xx replies, dropped
connections and timeouts retryable; 5xx replies and refused logins permanent.

Receipts: a provider webhook {"message_id", "status", "at"} or a delivery status notification
(RFC 3464) as {"dsn": raw message}. Replies: {"raw": raw message}, matched by In-Reply-To.
"""

from __future__ import annotations

import email.utils
import hashlib
import re
import smtplib
import ssl
from collections.abc import Mapping
from datetime import UTC, datetime
from email import message_from_bytes, message_from_string, policy
from email.message import EmailMessage
from typing import Any

from qingzhai.contact.channels.base import (
    PERMANENT,
    RETRYABLE,
    ChannelError,
    Message,
    Receipt,
    Reply,
    SendResult,
    accepted,
    failed,
    flag,
    json_receipt,
    parse_time,
    receipt_status,
    require,
    setting,
)

_ADDRESS = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$")


def message_id(idempotency_key: str, domain: str) -> str:
    return f"<{hashlib.sha256(idempotency_key.encode('utf-8')).hexdigest()[:32]}@{domain}>"


class EmailChannel:
    name = "email"

    def __init__(
        self,
        host: str = "localhost",
        port: int = 25,
        *,
        from_addr: str,
        username: str = "",
        password: str = "",
        use_tls: bool = False,
        use_ssl: bool = False,
        timeout: float = 10.0,
        domain: str = "",
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        if use_tls and use_ssl:
            raise ChannelError(
                "email_tls_conflict",
                "STARTTLS 与 SSL 只能选择其一",
                "Choose either STARTTLS or SSL, not both",
                field="EMAIL_USE_TLS",
            )
        if not _ADDRESS.match(email.utils.parseaddr(from_addr)[1]):
            raise ChannelError(
                "email_from_invalid",
                f"发件地址无效：{from_addr!r}",
                f"Invalid sender address: {from_addr!r}",
                field="DEFAULT_FROM_EMAIL",
            )
        self.host, self.port = host, port
        self.from_addr = from_addr
        self.username, self.password = username, password
        self.use_tls, self.use_ssl = use_tls, use_ssl
        self.timeout = timeout
        self.domain = domain or email.utils.parseaddr(from_addr)[1].rsplit("@", 1)[1]
        self.ssl_context = ssl_context

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> EmailChannel:
        """Django's own e-mail setting names, so the values can be passed through unchanged."""
        return cls(
            setting(settings, "EMAIL_HOST", "localhost"),
            int(setting(settings, "EMAIL_PORT", 25)),
            from_addr=setting(settings, "DEFAULT_FROM_EMAIL", required=True),
            username=setting(settings, "EMAIL_HOST_USER", ""),
            password=setting(settings, "EMAIL_HOST_PASSWORD", ""),
            use_tls=flag(setting(settings, "EMAIL_USE_TLS", False)),
            use_ssl=flag(setting(settings, "EMAIL_USE_SSL", False)),
            timeout=float(setting(settings, "EMAIL_TIMEOUT", 10.0)),
            domain=setting(settings, "QINGZHAI_EMAIL_DOMAIN", ""),
        )

    def build(self, message: Message) -> EmailMessage:
        mail = EmailMessage(policy=policy.SMTP)
        mail["From"] = self.from_addr
        mail["To"] = message.to
        mail["Subject"] = message.subject
        mail["Date"] = email.utils.format_datetime(datetime.now(UTC))
        mail["Message-ID"] = message_id(message.idempotency_key, self.domain)
        mail.set_content(message.body, charset="utf-8")
        html = message.meta.get("html")
        if html:
            mail.add_alternative(str(html), subtype="html", charset="utf-8")
        for item in message.attachments:
            maintype, _, subtype = (item.content_type or "application/octet-stream").partition("/")
            mail.add_attachment(
                item.data, maintype=maintype, subtype=subtype or "octet-stream", filename=item.filename
            )
        return mail

    def send(self, message: Message) -> SendResult:
        if not _ADDRESS.match(message.to) or any(c in message.subject for c in "\r\n"):
            return failed(
                PERMANENT,
                "email_address_invalid" if not _ADDRESS.match(message.to) else "email_subject_invalid",
                f"收件地址或主题无效：{message.to}",
                f"Invalid recipient address or subject: {message.to}",
            )
        mail = self.build(message)
        mid = str(mail["Message-ID"])
        try:
            with self._connect() as smtp:
                if self.use_tls:
                    smtp.starttls(context=self.ssl_context or ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self.password)
                refused = smtp.send_message(mail)
        except smtplib.SMTPAuthenticationError as exc:
            return failed(
                PERMANENT,
                "email_auth",
                f"邮件服务器拒绝登录（{exc.smtp_code}）",
                f"The mail server refused the login ({exc.smtp_code})",
            )
        except smtplib.SMTPNotSupportedError as exc:
            return failed(
                PERMANENT,
                "email_server_unsupported",
                f"邮件服务器不支持所需功能（STARTTLS 或登录）：{exc}",
                f"The mail server lacks a needed feature (STARTTLS or login): {exc}",
            )
        except smtplib.SMTPRecipientsRefused as exc:
            code = min((c for c, _ in exc.recipients.values()), default=550)
            return self._refused(code, message.to)
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            return self._refused(exc.smtp_code, message.to)
        except smtplib.SMTPResponseException as exc:
            return self._refused(exc.smtp_code, message.to)
        except TimeoutError:
            return failed(
                RETRYABLE,
                "email_timeout",
                f"邮件服务器在 {self.timeout:g} 秒内未响应",
                f"The mail server did not answer within {self.timeout:g} s",
            )
        except (OSError, smtplib.SMTPException) as exc:
            return failed(
                RETRYABLE,
                "email_unreachable",
                f"无法连接邮件服务器：{exc}",
                f"Cannot reach the mail server: {exc}",
            )
        if refused:
            code = min(c for c, _ in refused.values())
            return self._refused(code, message.to)
        return accepted(mid, message_id=mid)

    def _connect(self) -> smtplib.SMTP:
        if self.use_ssl:
            return smtplib.SMTP_SSL(
                self.host,
                self.port,
                timeout=self.timeout,
                context=self.ssl_context or ssl.create_default_context(),
            )
        return smtplib.SMTP(self.host, self.port, timeout=self.timeout)

    @staticmethod
    def _refused(code: int, to: str) -> SendResult:
        status = RETRYABLE if 400 <= code < 500 else PERMANENT
        return failed(
            status,
            "email_deferred" if status == RETRYABLE else "email_rejected",
            f"邮件服务器{'暂缓' if status == RETRYABLE else '拒绝'}投递至 {to}（{code}）",
            f"The mail server {'deferred' if status == RETRYABLE else 'refused'} delivery to {to} ({code})",
            smtp_code=code,
        )

    # --- receipts and replies ----------------------------------------------------------------------

    def parse_receipt(self, payload: Mapping[str, Any]) -> Receipt:
        if "dsn" in payload:
            return _dsn_receipt(payload["dsn"])
        return json_receipt(payload, "message_id", "provider_id", "id")

    def parse_reply(self, payload: Mapping[str, Any]) -> Reply:
        mail = _read(require(payload, "raw"))
        sender = email.utils.parseaddr(str(mail.get("From", "")))[1]
        part = mail.get_body(preferencelist=("plain",)) if isinstance(mail, EmailMessage) else None
        text = part.get_content() if part is not None else ""
        date = mail.get("Date")
        at = email.utils.parsedate_to_datetime(str(date)) if date else datetime.now(UTC)
        answered = str(mail.get("In-Reply-To") or "").strip()
        return Reply(from_=sender, text=str(text).strip(), at=parse_time(at), provider_id=answered)


def _read(raw: object) -> Any:
    if isinstance(raw, bytes):
        return message_from_bytes(raw, policy=policy.default)
    return message_from_string(str(raw), policy=policy.default)


def _dsn_receipt(raw: object) -> Receipt:
    """A multipart/report delivery status notification: the first recipient's Action and Status, and
    the Message-ID of the returned message (message/rfc822 or text/rfc822-headers part)."""
    mail = _read(raw)
    original, action, status = "", "", ""
    for part in mail.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            for block in part.get_payload():
                action = action or str(block.get("Action", "") or "").strip().lower()
                status = status or str(block.get("Status", "") or "").strip()
        elif kind == "message/rfc822" and not original:
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) else inner
            original = str(inner.get("Message-ID", "") or "")
        elif kind == "text/rfc822-headers" and not original:
            original = str(message_from_string(part.get_content()).get("Message-ID", "") or "")
    original = original or str(mail.get("Original-Message-ID", "") or "")
    if not original or not action:
        raise ChannelError(
            "email_dsn_unreadable",
            "退信通知中缺少原邮件编号或投递结果",
            "The delivery status notification lacks the original Message-ID or the action",
            field="dsn",
        )
    word = "delivered" if action in ("delivered", "relayed", "expanded") else "failed"
    date = mail.get("Date")
    at = email.utils.parsedate_to_datetime(str(date)) if date else datetime.now(UTC)
    return Receipt(
        provider_id=original.strip(),
        status=receipt_status(word),
        at=parse_time(at),
        raw={"action": action, "status": status},
    )

"""SMS through an HTTP gateway (pure: no Django).

The adapter POSTs one JSON message per request (contract in docs/contact-channels.md) with the API key
in `X-Api-Key` and the message's idempotency key in `Idempotency-Key`, over a kept-alive connection per
thread. HTTP 2xx is accepted (the gateway's `id` is the provider id); 408, 425 and 429 and every 5xx,
timeouts and refused connections are retryable (the gateway de-duplicates on the key, so a retry never
sends twice); the other 4xx are permanent.

Numbers are checked as mainland mobiles (qingzhai.core.validators) and sent normalised (11 digits).
Length follows the domestic carriers: up to 70 characters in one SMS, 67 per part of a longer one (the
signature counts; characters outside the BMP count twice, as in UCS-2).
"""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

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
    json_receipt,
    parse_time,
    require,
    setting,
)
from qingzhai.core.validators import is_valid_mobile, normalise_mobile

SINGLE = 70
PART = 67
DEFAULT_MAX_SEGMENTS = 6
RETRYABLE_4XX = frozenset({408, 425, 429})


def sms_length(text: str) -> int:
    """Characters as the carriers count them (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def sms_segments(text: str) -> int:
    """Parts the text is billed and delivered as: 0 for empty, 1 up to 70, else ceil(length / 67)."""
    length = sms_length(text)
    if length == 0:
        return 0
    if length <= SINGLE:
        return 1
    return -(-length // PART)


class SmsChannel:
    name = "sms"

    def __init__(
        self,
        gateway_url: str,
        api_key: str = "",
        *,
        sender: str = "",
        signature: str = "",
        callback_url: str = "",
        timeout: float = 5.0,
        max_segments: int = DEFAULT_MAX_SEGMENTS,
    ) -> None:
        parts = urlsplit(gateway_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ChannelError(
                "sms_gateway_url_invalid",
                f"短信网关地址无效：{gateway_url!r}",
                f"Invalid SMS gateway URL: {gateway_url!r}",
                field="QINGZHAI_SMS_GATEWAY_URL",
            )
        self.gateway_url = gateway_url
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port or (443 if self._https else 80)
        self._path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self.api_key = api_key
        self.sender = sender
        self.signature = signature
        self.callback_url = callback_url
        self.timeout = timeout
        self.max_segments = max_segments
        self._local = threading.local()

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> SmsChannel:
        return cls(
            setting(settings, "QINGZHAI_SMS_GATEWAY_URL", required=True),
            setting(settings, "QINGZHAI_SMS_API_KEY", ""),
            sender=setting(settings, "QINGZHAI_SMS_SENDER", ""),
            signature=setting(settings, "QINGZHAI_SMS_SIGNATURE", ""),
            callback_url=setting(settings, "QINGZHAI_SMS_CALLBACK_URL", ""),
            timeout=float(setting(settings, "QINGZHAI_SMS_TIMEOUT", 5.0)),
            max_segments=int(setting(settings, "QINGZHAI_SMS_MAX_SEGMENTS", DEFAULT_MAX_SEGMENTS)),
        )

    # --- sending -----------------------------------------------------------------------------------

    def text_of(self, message: Message) -> str:
        body = message.body.strip()
        if self.signature and not body.startswith(self.signature):
            body = self.signature + body
        return body

    def check(self, message: Message) -> SendResult | None:
        """A permanent failure when the message cannot be sent as it is, else None."""
        if not is_valid_mobile(message.to):
            return failed(
                PERMANENT,
                "sms_mobile_invalid",
                f"手机号码无效：{message.to}",
                f"Not a valid mainland mobile number: {message.to}",
            )
        text = self.text_of(message)
        if not message.body.strip():
            return failed(PERMANENT, "sms_empty", "短信内容为空", "The SMS text is empty")
        segments = sms_segments(text)
        if segments > self.max_segments:
            return failed(
                PERMANENT,
                "sms_too_long",
                f"短信过长：{sms_length(text)} 字，需 {segments} 条，上限 {self.max_segments} 条",
                f"SMS too long: {sms_length(text)} characters in {segments} parts, at most {self.max_segments}",
                segments=segments,
            )
        return None

    def payload(self, message: Message) -> dict[str, Any]:
        text = self.text_of(message)
        body: dict[str, Any] = {
            "to": normalise_mobile(message.to),
            "text": text,
            "segments": sms_segments(text),
            "idempotency_key": message.idempotency_key,
        }
        if self.sender:
            body["sender"] = self.sender
        callback = message.meta.get("callback_url") or self.callback_url
        if callback:
            body["callback_url"] = callback
        return body

    def send(self, message: Message) -> SendResult:
        problem = self.check(message)
        if problem is not None:
            return problem
        data = json.dumps(self.payload(message), ensure_ascii=False).encode("utf-8")
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            "Idempotency-Key": message.idempotency_key,
        }
        if self.api_key:
            headers["X-Api-Key"] = self.api_key
        try:
            status, raw = self._post(data, headers)
        except TimeoutError:
            self._drop()
            return failed(
                RETRYABLE,
                "sms_gateway_timeout",
                f"短信网关在 {self.timeout:g} 秒内未响应",
                f"The SMS gateway did not answer within {self.timeout:g} s",
            )
        except (OSError, http.client.HTTPException) as exc:
            self._drop()
            return failed(
                RETRYABLE,
                "sms_gateway_unreachable",
                f"无法连接短信网关：{exc}",
                f"Cannot reach the SMS gateway: {exc}",
            )
        return self._result(status, raw)

    def _result(self, status: int, raw: bytes) -> SendResult:
        try:
            answer = json.loads(raw or b"{}")
        except ValueError:
            answer = {}
        if not isinstance(answer, dict):
            answer = {}
        error = answer.get("error")
        gateway_error: dict[str, Any] = error if isinstance(error, dict) else {}
        gateway = {"http_status": status, "gateway_code": gateway_error.get("code", "")}
        if 200 <= status < 300:
            provider_id = str(answer.get("id") or "")
            if not provider_id:
                return failed(
                    RETRYABLE,
                    "sms_gateway_bad_answer",
                    "短信网关的应答缺少消息编号",
                    "The SMS gateway's answer lacks a message id",
                    **gateway,
                )
            return accepted(
                provider_id, segments=answer.get("segments"), duplicate=bool(answer.get("duplicate"))
            )
        if status in (401, 403):
            return failed(
                PERMANENT,
                "sms_gateway_auth",
                f"短信网关拒绝了接口密钥（HTTP {status}）",
                f"The SMS gateway refused the API key (HTTP {status})",
                **gateway,
            )
        if status in RETRYABLE_4XX or status >= 500:
            return failed(
                RETRYABLE,
                "sms_gateway_busy" if status < 500 else "sms_gateway_error",
                f"短信网关暂时无法处理（HTTP {status}）",
                f"The SMS gateway cannot take the message now (HTTP {status})",
                **gateway,
            )
        return failed(
            PERMANENT,
            "sms_rejected",
            f"短信网关拒收（HTTP {status}）：{gateway_error.get('message', '')}",
            f"The SMS gateway rejected the message (HTTP {status}): {gateway_error.get('message', '')}",
            **gateway,
        )

    # --- connection (one kept-alive connection per thread) -----------------------------------------

    def _connection(self) -> http.client.HTTPConnection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            kind = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
            conn = kind(self._host, self._port, timeout=self.timeout)
            self._local.conn = conn
        return conn

    def _drop(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def _post(self, data: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        for attempt in (1, 2):
            conn = self._connection()
            reused = conn.sock is not None
            try:
                conn.request("POST", self._path, body=data, headers=headers)
                response = conn.getresponse()
                raw = response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # The gateway closed an idle kept-alive connection: open a new one once (the
                # idempotency key makes the second request safe).
                self._drop()
                if reused and attempt == 1:
                    continue
                raise
            if response.will_close:
                self._drop()
            return response.status, raw
        raise AssertionError("unreachable")

    def close(self) -> None:
        self._drop()

    # --- receipts and replies ----------------------------------------------------------------------

    def parse_receipt(self, payload: Mapping[str, Any]) -> Receipt:
        """A gateway delivery report: {"id", "status" (delivered/failed/DELIVRD/UNDELIV...), "at"}."""
        return json_receipt(
            payload, "id", "provider_id", "message_id", time_keys=("at", "delivered_at", "time")
        )

    def parse_reply(self, payload: Mapping[str, Any]) -> Reply:
        """An inbound SMS: {"from", "text", "at", "id"}."""
        sender = str(require(payload, "from", "from_", "mobile"))
        return Reply(
            from_=normalise_mobile(sender) if is_valid_mobile(sender) else sender,
            text=str(payload.get("text") or ""),
            at=parse_time(require(payload, "at", "time")),
            provider_id=str(payload.get("id") or ""),
        )


__all__ = ["PART", "SINGLE", "SmsChannel", "sms_length", "sms_segments"]

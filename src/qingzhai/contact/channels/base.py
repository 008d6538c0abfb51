"""The one interface every contact channel speaks (pure: no Django).

A channel takes a `Message` and answers a `SendResult`: accepted (with the provider's id, which a later
`Receipt` names), failed but worth another try (`failed_retryable`: timeouts, 5xx, busy lines) or failed
for good (`failed_permanent`: a bad number, a rejected message). Adapters do not raise for delivery
problems; they raise `ChannelError` only for configuration mistakes and unreadable receipts.

`RetryPolicy` says how often and how long apart a caller tries again: exponential backoff with jitter
drawn from a random generator seeded by the policy's seed, the message's idempotency key and the
attempt, so the same message always waits the same (reproducible) times and threads share no state.
Every channel sends the idempotency key to its provider, so a retry never delivers twice.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, Protocol, runtime_checkable
from zoneinfo import ZoneInfo

SendStatus = Literal["accepted", "failed_retryable", "failed_permanent"]
ReceiptStatus = Literal["delivered", "failed", "read"]
ACCEPTED: SendStatus = "accepted"
RETRYABLE: SendStatus = "failed_retryable"
PERMANENT: SendStatus = "failed_permanent"
SHANGHAI = ZoneInfo("Asia/Shanghai")


class ChannelError(ValueError):
    """A bilingual error of the channel layer: a stable code, Chinese and English, the field concerned."""

    def __init__(self, code: str, zh: str, en: str, *, field: str = "channel") -> None:
        self.code = code
        self.zh = zh
        self.en = en
        self.field = field
        super().__init__(f"{code}: {en}")

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": f"{self.zh} / {self.en}", "fields": {self.field: [self.en]}}


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # "application/pdf"
    data: bytes


@dataclass(frozen=True)
class Message:
    idempotency_key: str
    channel: str
    to: str
    subject: str = ""
    body: str = ""
    attachments: tuple[Attachment, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SendResult:
    status: SendStatus
    provider_id: str = ""
    error_code: str = ""
    error_zh: str = ""
    error_en: str = ""
    data: bytes = b""  # what the channel produced for hand-off (the letter's PDF, the call's audio)
    detail: dict[str, Any] = field(default_factory=dict)  # segments, audio sha256, gateway message...

    @property
    def ok(self) -> bool:
        return self.status == ACCEPTED

    @property
    def retryable(self) -> bool:
        return self.status == RETRYABLE


def accepted(provider_id: str, *, data: bytes = b"", **detail: Any) -> SendResult:
    return SendResult(ACCEPTED, provider_id=provider_id, data=data, detail=detail)


def failed(status: SendStatus, code: str, zh: str, en: str, **detail: Any) -> SendResult:
    return SendResult(status, error_code=code, error_zh=zh, error_en=en, detail=detail)


@dataclass(frozen=True)
class Receipt:
    provider_id: str
    status: ReceiptStatus
    at: datetime  # aware, UTC
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Reply:
    from_: str
    text: str
    at: datetime  # aware, UTC
    provider_id: str = ""  # the provider's id of the reply, or of the message it answers when known


@runtime_checkable
class Channel(Protocol):
    name: str

    def send(self, message: Message) -> SendResult: ...

    def parse_receipt(self, payload: Mapping[str, Any]) -> Receipt: ...

    def parse_reply(self, payload: Mapping[str, Any]) -> Reply: ...


# --- receipts: shared readers --------------------------------------------------------------------------

_RECEIPT_WORDS: dict[str, ReceiptStatus] = {
    "delivered": "delivered",
    "delivrd": "delivered",
    "success": "delivered",
    "answered": "delivered",
    "completed": "delivered",
    "failed": "failed",
    "undeliv": "failed",
    "undelivered": "failed",
    "expired": "failed",
    "rejectd": "failed",
    "rejected": "failed",
    "bounced": "failed",
    "returned": "failed",
    "busy": "failed",
    "no_answer": "failed",
    "read": "read",
}


def receipt_status(value: object) -> ReceiptStatus:
    word = str(value or "").strip().lower()
    if word not in _RECEIPT_WORDS:
        raise ChannelError(
            "receipt_status_unknown",
            f"回执状态无法识别：{value!r}",
            f"Unknown receipt status: {value!r}",
            field="status",
        )
    return _RECEIPT_WORDS[word]


def parse_time(value: object, *, naive_zone: ZoneInfo = SHANGHAI, field_name: str = "at") -> datetime:
    """An aware UTC datetime from ISO 8601 text, epoch seconds or a datetime; naive times are read in
    `naive_zone` (gateways in China commonly send Beijing time without an offset)."""
    try:
        if isinstance(value, datetime):
            moment = value
        elif isinstance(value, int | float) and not isinstance(value, bool):
            return datetime.fromtimestamp(value, UTC)
        else:
            text = str(value).strip()
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (TypeError, ValueError, OverflowError, OSError):
        raise ChannelError(
            "receipt_time_invalid",
            f"回执时间无法识别：{value!r}",
            f"Unreadable receipt time: {value!r}",
            field=field_name,
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=naive_zone)
    return moment.astimezone(UTC)


def require(payload: Mapping[str, Any], key: str, *alternatives: str) -> Any:
    for name in (key, *alternatives):
        if payload.get(name) not in (None, ""):
            return payload[name]
    raise ChannelError(
        "receipt_field_missing", f"回执缺少字段：{key}", f"Receipt lacks the field {key}", field=key
    )


# --- retries ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    result: SendResult
    attempts: int
    delays: tuple[float, ...]  # seconds waited before attempts 2, 3, ...


@dataclass(frozen=True)
class RetryPolicy:
    """Attempt n+1 waits base_delay * factor**(n-1), capped at max_delay, of which the `jitter` share is
    drawn at random: delay * (1 - jitter) + uniform(0, delay * jitter)."""

    max_attempts: int = 5
    base_delay: float = 2.0
    factor: float = 2.0
    max_delay: float = 300.0
    jitter: float = 0.5
    seed: int = 0
    retry_codes: frozenset[str] = frozenset()  # retried even when reported permanent (e.g. "rate_limited")
    never_retry_codes: frozenset[str] = frozenset()  # never retried even when reported retryable

    def __post_init__(self) -> None:
        if self.max_attempts < 1 or self.base_delay < 0 or self.factor < 1 or not 0 <= self.jitter <= 1:
            raise ChannelError(
                "retry_policy_invalid",
                "重试策略无效：至少尝试一次，延迟不能为负，倍数不小于 1，抖动比例在 0 到 1 之间",
                "Invalid retry policy: at least one attempt, delays not negative, factor at least 1, "
                "jitter between 0 and 1",
                field="retry",
            )

    def retryable(self, result: SendResult) -> bool:
        if result.ok or result.error_code in self.never_retry_codes:
            return False
        return result.retryable or result.error_code in self.retry_codes

    def delay(self, attempt: int, key: str = "") -> float:
        """Seconds to wait after failed attempt `attempt` (1-based) of the message with `key`."""
        if attempt < 1:
            raise ValueError("attempt is 1-based")
        full = min(self.max_delay, self.base_delay * self.factor ** (attempt - 1))
        rng = random.Random(f"{self.seed}:{key}:{attempt}")
        return full * (1 - self.jitter) + rng.uniform(0, full * self.jitter)

    def should_retry(self, result: SendResult, attempt: int) -> bool:
        return attempt < self.max_attempts and self.retryable(result)

    def run(
        self,
        send: Callable[[Message], SendResult],
        message: Message,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> Outcome:
        """Send, waiting and sending again while the result is retryable and attempts remain."""
        delays: list[float] = []
        attempt = 1
        result = send(message)
        while self.should_retry(result, attempt):
            wait = self.delay(attempt, message.idempotency_key)
            delays.append(wait)
            sleep(wait)
            attempt += 1
            result = send(message)
        return Outcome(result, attempt, tuple(delays))

    @classmethod
    def from_settings(
        cls, settings: Mapping[str, Any], prefix: str = "QINGZHAI_CONTACT_RETRY_"
    ) -> RetryPolicy:
        def get(name: str, default: Any, kind: Callable[[Any], Any]) -> Any:
            value = settings.get(prefix + name)
            return default if value in (None, "") else kind(value)

        base = cls()
        return cls(
            max_attempts=get("MAX_ATTEMPTS", base.max_attempts, int),
            base_delay=get("BASE_DELAY", base.base_delay, float),
            factor=get("FACTOR", base.factor, float),
            max_delay=get("MAX_DELAY", base.max_delay, float),
            jitter=get("JITTER", base.jitter, float),
            seed=get("SEED", base.seed, int),
        )


# --- registry --------------------------------------------------------------------------------------

Factory = Callable[[Mapping[str, Any]], Channel]
_FACTORIES: dict[str, Factory] = {}


def register(name: str, factory: Factory) -> None:
    """Make `channel_for(name, settings)` build channels with `factory(settings)` (replaces a built-in)."""
    _FACTORIES[name] = factory


def _builtin(name: str) -> Factory | None:
    # Imported on first use: the adapters import this module.
    if name == "sms":
        from qingzhai.contact.channels.sms import SmsChannel

        return SmsChannel.from_settings
    if name == "email":
        from qingzhai.contact.channels.email import EmailChannel

        return EmailChannel.from_settings
    if name == "letter":
        from qingzhai.contact.channels.letter import LetterChannel

        return LetterChannel.from_settings
    if name == "voice":
        from qingzhai.contact.channels.voice import VoiceChannel

        return VoiceChannel.from_settings
    return None


CHANNELS = ("sms", "email", "letter", "voice")


def channel_for(name: str, settings: Mapping[str, Any]) -> Channel:
    """The channel `name` configured from `settings` (a plain mapping of setting names to values)."""
    factory = _FACTORIES.get(name) or _builtin(name)
    if factory is None:
        raise ChannelError(
            "channel_unknown",
            f"未知的联系渠道：{name}",
            f"Unknown contact channel: {name}",
            field="channel",
        )
    return factory(settings)


def setting(settings: Mapping[str, Any], name: str, default: Any = None, *, required: bool = False) -> Any:
    value = settings.get(name)
    if value in (None, ""):
        if required:
            raise ChannelError(
                "channel_setting_missing",
                f"缺少渠道配置项：{name}",
                f"Missing channel setting: {name}",
                field=name,
            )
        return default
    return value


def flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def json_receipt(
    payload: Mapping[str, Any], *id_keys: str, time_keys: tuple[str, ...] = ("at", "time")
) -> Receipt:
    """A delivery report posted as JSON: the provider id under the first of `id_keys` present, a status
    word and a time."""
    return Receipt(
        provider_id=str(require(payload, *id_keys)),
        status=receipt_status(require(payload, "status")),
        at=parse_time(require(payload, *time_keys)),
        raw=dict(payload),
    )


def json_reply(payload: Mapping[str, Any], provider_key: str = "provider_id") -> Reply:
    """An answer posted as JSON: {"from", "text", "at", provider_key}."""
    return Reply(
        from_=str(require(payload, "from", "from_")),
        text=str(payload.get("text") or ""),
        at=parse_time(require(payload, "at", "time")),
        provider_id=str(payload.get(provider_key) or ""),
    )

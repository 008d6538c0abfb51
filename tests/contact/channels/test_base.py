from __future__ import annotations

from datetime import UTC, datetime

import pytest

from qingzhai.contact.channels import (
    CHANNELS,
    ChannelError,
    Message,
    RetryPolicy,
    SendResult,
    channel_for,
    register,
)
from qingzhai.contact.channels.base import _FACTORIES, parse_time, receipt_status


def _result(status: str, code: str = "") -> SendResult:
    return SendResult(status, error_code=code)  # type: ignore[arg-type]


def test_backoff_without_jitter_doubles_and_caps() -> None:
    policy = RetryPolicy(base_delay=2, factor=2, max_delay=10, jitter=0)
    assert [policy.delay(n, "k") for n in (1, 2, 3, 4, 5)] == [2.0, 4.0, 8.0, 10.0, 10.0]


def test_jitter_is_seeded_per_key_and_attempt_and_within_bounds() -> None:
    policy = RetryPolicy(base_delay=4, factor=2, jitter=0.5, seed=7)
    first = [policy.delay(n, "case-1:sms:1") for n in (1, 2, 3)]
    assert first == [policy.delay(n, "case-1:sms:1") for n in (1, 2, 3)]  # reproducible
    assert first != [policy.delay(n, "case-2:sms:1") for n in (1, 2, 3)]  # keys spread apart
    assert first != [
        RetryPolicy(base_delay=4, jitter=0.5, seed=8).delay(n, "case-1:sms:1") for n in (1, 2, 3)
    ]
    for n, value in zip((1, 2, 3), first, strict=True):
        full = 4 * 2 ** (n - 1)
        assert full / 2 <= value <= full


def test_which_results_are_retried() -> None:
    policy = RetryPolicy(
        max_attempts=3, retry_codes=frozenset({"rate"}), never_retry_codes=frozenset({"quota"})
    )
    assert policy.should_retry(_result("failed_retryable", "x"), 1)
    assert policy.should_retry(_result("failed_retryable", "x"), 2)
    assert not policy.should_retry(_result("failed_retryable", "x"), 3)  # attempts spent
    assert not policy.should_retry(_result("failed_permanent", "x"), 1)
    assert policy.should_retry(_result("failed_permanent", "rate"), 1)
    assert not policy.should_retry(_result("failed_retryable", "quota"), 1)
    assert not policy.should_retry(_result("accepted"), 1)


def test_run_retries_until_accepted_and_sleeps_the_policy_delays() -> None:
    answers = [
        _result("failed_retryable", "busy"),
        _result("failed_retryable", "busy"),
        SendResult("accepted", "p1"),
    ]
    sent: list[Message] = []
    slept: list[float] = []

    def send(message: Message) -> SendResult:
        sent.append(message)
        return answers[len(sent) - 1]

    policy = RetryPolicy(max_attempts=5, base_delay=1, jitter=0.25, seed=3)
    message = Message("k-1", "sms", "13800138000", body="x")
    outcome = policy.run(send, message, sleep=slept.append)
    assert outcome.result.provider_id == "p1"
    assert outcome.attempts == 3
    assert list(outcome.delays) == slept == [policy.delay(1, "k-1"), policy.delay(2, "k-1")]
    assert sent == [message, message, message]


def test_run_stops_at_max_attempts_and_on_permanent() -> None:
    slept: list[float] = []
    policy = RetryPolicy(max_attempts=2, base_delay=1, jitter=0)
    outcome = policy.run(
        lambda m: _result("failed_retryable", "t"), Message("k", "sms", "x"), sleep=slept.append
    )
    assert (outcome.attempts, outcome.result.error_code, slept) == (2, "t", [1.0])
    outcome = policy.run(
        lambda m: _result("failed_permanent", "bad"), Message("k", "sms", "x"), sleep=slept.append
    )
    assert (outcome.attempts, outcome.delays) == (1, ())


def test_invalid_policy_is_refused_in_both_languages() -> None:
    with pytest.raises(ChannelError) as caught:
        RetryPolicy(max_attempts=0)
    assert caught.value.code == "retry_policy_invalid"
    assert caught.value.as_dict()["fields"] == {"retry": [caught.value.en]}
    assert "重试策略无效" in caught.value.zh


def test_policy_from_settings() -> None:
    policy = RetryPolicy.from_settings(
        {
            "QINGZHAI_CONTACT_RETRY_MAX_ATTEMPTS": "3",
            "QINGZHAI_CONTACT_RETRY_BASE_DELAY": 0.5,
            "QINGZHAI_CONTACT_RETRY_SEED": 9,
        }
    )
    assert (policy.max_attempts, policy.base_delay, policy.factor, policy.seed) == (3, 0.5, 2.0, 9)


def test_receipt_words_and_times() -> None:
    assert [receipt_status(w) for w in ("DELIVRD", "UNDELIV", "read", "returned")] == [
        "delivered",
        "failed",
        "read",
        "failed",
    ]
    with pytest.raises(ChannelError) as caught:
        receipt_status("maybe")
    assert caught.value.code == "receipt_status_unknown"
    assert parse_time("2025-03-01T08:00:00Z") == datetime(2025, 3, 1, 8, tzinfo=UTC)
    assert parse_time("2025-03-01 16:00:00") == datetime(2025, 3, 1, 8, tzinfo=UTC)  # naive: Beijing time
    assert parse_time(0) == datetime(1970, 1, 1, tzinfo=UTC)
    with pytest.raises(ChannelError):
        parse_time("yesterday")


def test_registry_builds_configured_channels_and_accepts_new_ones() -> None:
    sms = channel_for(
        "sms", {"QINGZHAI_SMS_GATEWAY_URL": "http://127.0.0.1:9/messages", "QINGZHAI_SMS_TIMEOUT": "2"}
    )
    assert (sms.name, sms.timeout) == ("sms", 2.0)  # type: ignore[attr-defined]
    assert channel_for("letter", {}).name == "letter"
    assert CHANNELS == ("sms", "email", "letter", "voice")
    with pytest.raises(ChannelError) as caught:
        channel_for("sms", {})
    assert (caught.value.code, caught.value.field) == ("channel_setting_missing", "QINGZHAI_SMS_GATEWAY_URL")
    with pytest.raises(ChannelError) as caught:
        channel_for("fax", {})
    assert caught.value.code == "channel_unknown"

    class Fax:
        name = "fax"

    register("fax", lambda settings: Fax())  # type: ignore[arg-type,return-value]
    try:
        assert channel_for("fax", {}).name == "fax"
    finally:
        _FACTORIES.pop("fax")

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime

import pytest

from qingzhai.contact.channels import ChannelError, Message, RetryPolicy
from qingzhai.contact.channels.sms import SmsChannel, sms_length, sms_segments
from qingzhai.contact.channels.test_gateway import LocalGateway

MOBILE = "13800138000"


def _message(
    key: str = "case-1:sms:1", to: str = MOBILE, body: str = "您好，您的账款已逾期，请尽快联系我们。"
) -> Message:
    return Message(key, "sms", to, body=body)


def _channel(gateway: LocalGateway, **options: object) -> SmsChannel:
    return SmsChannel(gateway.url, "test-key", timeout=2.0, **options)  # type: ignore[arg-type]


def test_segments_follow_the_carriers_70_and_67() -> None:
    assert [sms_segments("字" * n) for n in (0, 1, 70, 71, 134, 135, 201, 202)] == [0, 1, 1, 2, 2, 3, 3, 4]
    assert sms_length("还款😀") == 4  # outside the BMP: two units
    assert sms_segments("a" * 70) == 1


def test_accepted_with_signature_and_normalised_number(gateway: LocalGateway) -> None:
    channel = _channel(gateway, signature="【清债】", sender="1069001")
    result = channel.send(_message(to="+86 138-0013-8000"))
    assert (result.status, result.provider_id, result.detail) == (
        "accepted",
        "gw-00000001",
        {"segments": 1, "duplicate": False},
    )
    stored = gateway.messages["gw-00000001"]
    assert stored["to"] == MOBILE
    assert stored["text"] == "【清债】您好，您的账款已逾期，请尽快联系我们。"
    assert (stored["sender"], stored["idempotency_key"], stored["segments"]) == ("1069001", "case-1:sms:1", 1)


def test_resend_with_the_same_key_is_not_sent_twice(gateway: LocalGateway) -> None:
    channel = _channel(gateway)
    first = channel.send(_message())
    again = channel.send(_message())
    other = channel.send(_message(key="case-1:sms:2"))
    assert (first.provider_id, again.provider_id, other.provider_id) == (
        "gw-00000001",
        "gw-00000001",
        "gw-00000002",
    )
    assert again.detail["duplicate"] is True
    assert len(gateway.messages) == 2
    assert gateway.requests == 3


def test_local_checks_fail_permanently_without_a_request(gateway: LocalGateway) -> None:
    channel = _channel(gateway, max_segments=2)
    bad_number = channel.send(_message(to="12345"))
    empty = channel.send(_message(body="   "))
    too_long = channel.send(_message(body="字" * 135))
    assert [r.status for r in (bad_number, empty, too_long)] == ["failed_permanent"] * 3
    assert [r.error_code for r in (bad_number, empty, too_long)] == [
        "sms_mobile_invalid",
        "sms_empty",
        "sms_too_long",
    ]
    assert too_long.error_zh == "短信过长：135 字，需 3 条，上限 2 条"
    assert gateway.requests == 0


@pytest.mark.parametrize(
    ("status", "expected", "code"),
    [
        (400, "failed_permanent", "sms_rejected"),
        (422, "failed_permanent", "sms_rejected"),
        (403, "failed_permanent", "sms_gateway_auth"),
        (429, "failed_retryable", "sms_gateway_busy"),
        (500, "failed_retryable", "sms_gateway_error"),
        (503, "failed_retryable", "sms_gateway_error"),
    ],
)
def test_http_statuses_map_to_results(gateway: LocalGateway, status: int, expected: str, code: str) -> None:
    gateway.configure(fail_next=[status])
    result = _channel(gateway).send(_message())
    assert (result.status, result.error_code, result.detail["http_status"]) == (expected, code, status)
    assert result.error_en.endswith(f"(HTTP {status})") or f"(HTTP {status})" in result.error_en
    assert gateway.messages == {}


def test_wrong_api_key_is_permanent(gateway: LocalGateway) -> None:
    result = SmsChannel(gateway.url, "wrong", timeout=2).send(_message())
    assert (result.status, result.error_code) == ("failed_permanent", "sms_gateway_auth")


def test_gateway_validation_rejection_is_permanent(gateway: LocalGateway) -> None:
    channel = _channel(gateway)
    channel.check = lambda message: None  # type: ignore[method-assign]
    result = channel.send(_message(to="+86 1380013800"))
    assert (result.status, result.error_code, result.detail["gateway_code"]) == (
        "failed_permanent",
        "sms_rejected",
        "bad_number",
    )


def test_timeout_is_retryable_and_the_next_send_succeeds(gateway: LocalGateway) -> None:
    gateway.configure(delay=0.5)
    channel = SmsChannel(gateway.url, "test-key", timeout=0.1)
    result = channel.send(_message())
    assert (result.status, result.error_code) == ("failed_retryable", "sms_gateway_timeout")
    gateway.configure(delay=0)
    deadline = time.monotonic() + 10
    while not gateway.messages and time.monotonic() < deadline:  # the slow request completes on the gateway
        time.sleep(0.02)
    retry = channel.send(_message())
    assert (retry.status, retry.provider_id, retry.detail["duplicate"]) == ("accepted", "gw-00000001", True)
    assert len(gateway.messages) == 1


def test_unreachable_gateway_is_retryable() -> None:
    with LocalGateway("127.0.0.1", 0) as closed:
        url = closed.url
    result = SmsChannel(url, timeout=1).send(_message())
    assert (result.status, result.error_code) == ("failed_retryable", "sms_gateway_unreachable")


def test_retry_policy_against_the_gateway_delivers_once(gateway: LocalGateway) -> None:
    gateway.configure(fail_next=[503, 502])
    slept: list[float] = []
    outcome = RetryPolicy(max_attempts=4, base_delay=0.01).run(
        _channel(gateway).send, _message(), sleep=slept.append
    )
    assert (outcome.result.status, outcome.attempts, len(slept)) == ("accepted", 3, 2)
    assert (gateway.requests, len(gateway.messages)) == (3, 1)


def test_seeded_failure_rate_repeats() -> None:
    def run() -> list[str]:
        with LocalGateway("127.0.0.1", 0, fail_rate=0.3, seed=11) as server:
            channel = SmsChannel(server.url, timeout=2)
            return [channel.send(_message(key=f"k{i}")).status for i in range(40)]

    first = run()
    assert first == run()
    assert 0 < first.count("failed_retryable") < 40
    assert first.count("accepted") + first.count("failed_retryable") == 40


def test_receipts_are_posted_back_and_parsed(gateway: LocalGateway, inbox) -> None:  # type: ignore[no-untyped-def]
    channel = _channel(gateway, callback_url=inbox.url)
    sent = channel.send(_message())
    gateway.undeliverable.add("13900139000")
    bounced = channel.send(_message(key="k2", to="13900139000"))
    posted = inbox.wait(2)
    receipts = sorted((channel.parse_receipt(p) for p in posted), key=lambda r: r.provider_id)
    assert [(r.provider_id, r.status) for r in receipts] == [
        (sent.provider_id, "delivered"),
        (bounced.provider_id, "failed"),
    ]
    assert all(r.at.tzinfo is UTC and abs((datetime.now(UTC) - r.at).total_seconds()) < 30 for r in receipts)
    assert receipts[0].raw["idempotency_key"] == "case-1:sms:1"


def test_receipts_and_replies_can_be_polled(gateway: LocalGateway) -> None:
    import json
    import urllib.request

    channel = _channel(gateway)
    channel.send(_message())
    gateway.add_reply("8613800138000", "我下周还款")
    with urllib.request.urlopen(gateway.base_url + "/receipts?after=0", timeout=2) as response:
        polled = json.load(response)
    with urllib.request.urlopen(gateway.base_url + "/replies?after=0", timeout=2) as response:
        replies = json.load(response)
    assert polled["next"] == 1
    assert channel.parse_receipt(polled["receipts"][0]).status == "delivered"
    reply = channel.parse_reply(replies["replies"][0])
    assert (reply.from_, reply.text, reply.provider_id) == (MOBILE, "我下周还款", "mo-00000001")


def test_receipt_without_status_is_refused(gateway: LocalGateway) -> None:
    with pytest.raises(ChannelError) as caught:
        _channel(gateway).parse_receipt({"id": "gw-1", "at": "2025-01-01T00:00:00Z"})
    assert (caught.value.code, caught.value.field) == ("receipt_field_missing", "status")


def test_gateway_runs_as_a_module() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "qingzhai.contact.channels.test_gateway", "--port", "0", "--api-key", "k"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line.startswith("SMS test gateway listening on http://127.0.0.1:")
        url = line.rsplit(" ", 1)[1]
        result = SmsChannel(url, "k", timeout=2).send(_message())
        assert (result.status, result.provider_id) == ("accepted", "gw-00000001")
    finally:
        process.terminate()
        process.wait(5)

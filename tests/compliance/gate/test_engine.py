"""Unit tests of the gate engine: every stop condition in both packs, texts with numbers, history handling."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from qingzhai.compliance.gate import (
    Channel,
    ContactRequest,
    DebtorFacts,
    Effect,
    GateError,
    Outcome,
    Party,
    PastContact,
    evaluate,
    history_lookback,
)
from qingzhai.compliance.policies import apply_overrides, load_pack

PACKS = {"cn": ("Asia/Shanghai", "cn"), "us-regf": ("America/New_York", "us")}


def local(code: str, y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=ZoneInfo(PACKS[code][0]))


def rules(decision) -> list[str]:
    return [f"{h.rule}:{h.effect.value}" for h in decision.hits]


def decide(code: str, facts: dict, request: dict, history=()):
    pack = load_pack(code, date(2026, 3, 2))
    f = DebtorFacts(timezone=PACKS[code][0], **facts)
    r = ContactRequest(
        **{"at": local(code, 2026, 3, 2, 10), "channel": Channel.CALL, "debt_id": "D1", **request}
    )
    return evaluate(pack, f, r, history)


# (facts, request, allowed, rules with "{p}" for the pack's own prefix, route)
STOP_CASES = [
    ({"dispute_open": True}, {}, False, ["stop.dispute:deny"], None),
    ({"dispute_open": True}, {"pressure": False, "channel": Channel.LETTER}, True, [], None),
    ({"bankrupt": True}, {}, False, ["stop.bankrupt:deny", "stop.bankrupt:route"], "insolvency"),
    (
        {"bankrupt": True},
        {"pressure": False, "channel": Channel.LETTER},
        False,
        ["stop.bankrupt:deny", "stop.bankrupt:route"],
        "insolvency",
    ),
    ({"dishonest_listed": True}, {}, True, ["stop.dishonest_listed:route"], "enforcement"),
    ({"deceased": True}, {}, False, ["stop.deceased:deny"], None),
    (
        {"deceased": True},
        {"party": Party.THIRD_PARTY, "contact_id": "heir", "pressure": False},
        True,
        ["{p}.party.third_party:require"],
        None,
    ),
    ({"minor": True}, {}, False, ["stop.incapacity:deny"], None),
    ({"incapacitated": True}, {"channel": Channel.SMS}, False, ["stop.incapacity:deny"], None),
    (
        {"incapacitated": True},
        {"party": Party.THIRD_PARTY, "contact_id": "guardian", "pressure": False},
        True,
        ["{p}.party.third_party:require"],
        None,
    ),
    ({"opted_out": frozenset({Channel.SMS})}, {"channel": Channel.SMS}, False, ["stop.opt_out:deny"], None),
    ({"opted_out": frozenset({Channel.SMS})}, {"channel": Channel.CALL}, True, [], None),
    ({"time_barred": True}, {}, False, ["stop.time_barred:deny"], None),
    ({"time_barred": True}, {"includes_disclosure": True}, True, ["stop.time_barred:require"], None),
    (
        {"time_barred": True},
        {"includes_disclosure": True, "threatens_suit": True},
        False,
        ["stop.time_barred:deny"],
        None,
    ),
    ({"hardship_until": date(2026, 3, 2)}, {}, False, ["stop.hardship:deny"], None),
    ({"hardship_until": date(2026, 3, 1)}, {}, True, [], None),
    ({"hardship_until": date(2026, 3, 2)}, {"pressure": False, "channel": Channel.SMS}, True, [], None),
    ({"lawyer_represented": True}, {}, False, ["stop.lawyer:deny", "stop.lawyer:route"], "lawyer"),
    (
        {"lawyer_represented": True},
        {"party": Party.LAWYER, "channel": Channel.EMAIL},
        True,
        ["stop.lawyer:info"],
        None,
    ),
]


@pytest.mark.parametrize("code", sorted(PACKS))
@pytest.mark.parametrize(("facts", "request_", "allowed", "expected", "route"), STOP_CASES)
def test_stop_conditions_in_both_packs(code, facts, request_, allowed, expected, route):
    decision = decide(code, facts, request_)
    prefix = PACKS[code][1]
    assert decision.allowed is allowed
    assert rules(decision) == [r.format(p=prefix) for r in expected]
    assert decision.route == route
    assert decision.requirements == tuple(h.rule for h in decision.hits if h.effect == Effect.REQUIRE)


@pytest.mark.parametrize("code", sorted(PACKS))
def test_dishonest_listed_caps_pressure_contacts_per_seven_local_days(code):
    yesterday = PastContact(
        at=local(code, 2026, 3, 1, 10), channel=Channel.CALL, debt_id="D1", outcome=Outcome.CONNECTED
    )
    decision = decide(code, {"dishonest_listed": True}, {"channel": Channel.LETTER}, [yesterday])
    assert rules(decision) == ["stop.dishonest_listed:deny", "stop.dishonest_listed:route"]
    assert decision.denials[0].params == {"count": 1, "limit": 1, "window_days": 7, "since": "2026-02-24"}
    assert "已催收施压1次，已达上限1次" in decision.denials[0].zh
    # a non-pressure past contact and an unanswered one do not count
    info = replace(yesterday, pressure=False)
    unanswered = replace(yesterday, outcome=Outcome.NO_ANSWER)
    assert decide(code, {"dishonest_listed": True}, {"channel": Channel.LETTER}, [info, unanswered]).allowed


def test_texts_carry_the_numbers():
    history = [
        PastContact(at=local("cn", 2026, 3, 2, h), channel=Channel.BOT_CALL, outcome=Outcome.CONNECTED)
        for h in (8, 9)
    ] + [PastContact(at=local("cn", 2026, 3, 2, 9, 30), channel=Channel.CALL, outcome=Outcome.CONNECTED)]
    decision = decide("cn", {}, {}, history)
    assert rules(decision) == ["cn.freq.connected_calls:deny"]
    hit = decision.hits[0]
    assert hit.zh == "今日已接通3次，已达每日上限3次（2026-03-02，债务人当地日期；含智能语音外呼）。"
    assert (
        hit.en
        == "3 connected calls today; the daily limit is 3 (2026-03-02, debtor-local date; automated calls included)."
    )
    assert hit.params == {"count": 3, "limit": 3, "window_days": 1, "since": "2026-03-02"}
    assert hit.basis.startswith("GB/T 45251—2025")
    assert decision.pack_version == "cn@2026-01-30"


def test_night_text_and_params():
    decision = decide("cn", {}, {"at": local("cn", 2026, 3, 2, 22, 0)})
    hit = decision.hits[0]
    assert hit.zh == "当地时间22:00处于夜间禁止时段（22:00至次日08:00）：未经债务人约定不得催收。"
    assert hit.params == {
        "local_time": "22:00",
        "allowed_from": "08:00",
        "allowed_until": "22:00",
        "timezone": "Asia/Shanghai",
    }


def test_denied_and_future_history_entries_do_not_count():
    connected = PastContact(at=local("cn", 2026, 3, 2, 8), channel=Channel.CALL, outcome=Outcome.CONNECTED)
    history = [
        connected,
        replace(connected, at=local("cn", 2026, 3, 2, 9)),
        replace(connected, outcome=Outcome.DENIED),
    ]
    assert decide("cn", {}, {}, history).allowed
    future = replace(connected, at=local("cn", 2026, 3, 2, 11))
    assert decide("cn", {}, {}, [*history, future]).allowed
    assert not decide("cn", {}, {}, [*history, replace(connected, at=local("cn", 2026, 3, 2, 9, 30))]).allowed


def test_third_party_refusal_in_history_and_on_record():
    facts = {"debtor_unreachable": True}
    req = {"party": Party.THIRD_PARTY, "contact_id": "friend", "pressure": False}
    refused = PastContact(
        at=local("cn", 2026, 3, 1, 10),
        channel=Channel.CALL,
        party=Party.THIRD_PARTY,
        contact_id="friend",
        outcome=Outcome.REFUSED,
    )
    d = decide("cn", facts, req, [refused])
    assert rules(d) == ["cn.party.refused:deny", "cn.party.third_party:require"]
    assert d.hits[0].params == {
        "contact_id": "friend",
        "source": "history",
        "refused_at": "2026-03-01T10:00:00+08:00",
    }
    d = decide("cn", {**facts, "refused_contacts": frozenset({"friend"})}, req)
    assert rules(d) == ["cn.party.refused:deny", "cn.party.third_party:require"]
    assert d.hits[0].params == {"contact_id": "friend", "source": "facts"}
    assert decide("cn", facts, {**req, "contact_id": "mother"}, [refused]).allowed


def test_third_party_with_pressure_is_denied_even_with_a_ground():
    d = decide("us-regf", {"debtor_unreachable": True}, {"party": Party.THIRD_PARTY, "contact_id": "x"})
    assert rules(d) == ["us.party.third_party:deny"]
    assert "pressure must be false" in d.hits[0].en


def test_history_lookback_per_pack_and_override():
    cn = load_pack("cn", date(2026, 3, 2))
    assert history_lookback(cn) == timedelta(days=8)
    assert history_lookback(load_pack("us-regf", date(2026, 3, 2))) == timedelta(days=8)
    longer = apply_overrides(cn, {"stop.dishonest_listed": {"window_days": 14}})
    assert history_lookback(longer) == timedelta(days=15)
    assert history_lookback(cn) == timedelta(days=8)


def test_naive_request_time_is_refused():
    pack = load_pack("cn", date(2026, 3, 2))
    with pytest.raises(GateError) as exc:
        evaluate(pack, DebtorFacts(), ContactRequest(at=datetime(2026, 3, 2, 10), channel=Channel.CALL))
    assert exc.value.code == "gate_naive_datetime"
    assert "时区" in exc.value.zh


def test_unknown_time_zone_is_refused():
    pack = load_pack("cn", date(2026, 3, 2))
    with pytest.raises(GateError) as exc:
        evaluate(
            pack,
            DebtorFacts(timezone="Mars/Olympus"),
            ContactRequest(at=local("cn", 2026, 3, 2, 10), channel=Channel.CALL),
        )
    assert exc.value.code == "gate_timezone_unknown"


def test_us_cooloff_counts_local_days_across_dst():
    # conversation on Saturday 2026-03-07 (EST); day 8 is Saturday 2026-03-14 (EDT): allowed at 08:00 local
    conv = PastContact(
        at=local("us-regf", 2026, 3, 7, 20), channel=Channel.CALL, debt_id="D1", outcome=Outcome.CONNECTED
    )
    pack = load_pack("us-regf", date(2026, 3, 14))
    facts = DebtorFacts(timezone="America/New_York")
    day7 = ContactRequest(at=local("us-regf", 2026, 3, 13, 20, 59), channel=Channel.CALL, debt_id="D1")
    day8 = ContactRequest(at=local("us-regf", 2026, 3, 14, 8), channel=Channel.CALL, debt_id="D1")
    d7 = evaluate(pack, facts, day7, [conv])
    assert rules(d7) == ["us.freq.after_conversation:deny"]
    assert d7.hits[0].params == {
        "last_conversation": "2026-03-07",
        "next_allowed": "2026-03-14",
        "window_days": 7,
    }
    assert evaluate(pack, facts, day8, [conv]).hits == ()


def test_evaluate_is_deterministic_and_cached_compilation_is_stable():
    pack = load_pack("cn", date(2026, 3, 2))
    facts = DebtorFacts(lawyer_represented=True, dispute_open=True, bankrupt=True, dishonest_listed=True)
    req = ContactRequest(at=local("cn", 2026, 3, 2, 23), channel=Channel.CALL)
    first = evaluate(pack, facts, req)
    assert first == evaluate(pack, facts, req)
    assert rules(first) == [
        "stop.bankrupt:deny",
        "stop.lawyer:deny",
        "stop.dispute:deny",
        "cn.hours.night:deny",
        "stop.bankrupt:route",
        "stop.lawyer:route",
        "stop.dishonest_listed:route",
    ]
    assert first.route == "insolvency"
    assert [h.rule for h in first.denials] == [
        "stop.bankrupt",
        "stop.lawyer",
        "stop.dispute",
        "cn.hours.night",
    ]

"""The campaign planner: capacity spread per hour, night hours moved to the morning, stops refused with
their rules, frequency caps held across steps, no slot before the end, and the gate-less baseline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from zoneinfo import ZoneInfo

from qingzhai.compliance.gate.facts import AgreedWindow, DebtorFacts
from qingzhai.compliance.policies.packs import load_pack
from qingzhai.contact.campaigns.planner import NO_SLOT, PlanCase, Slots, Step, plan

SH = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 6, 10, 10, 0, tzinfo=SH).astimezone(UTC)  # a Wednesday, 10:00 in Shanghai
PACK = load_pack("cn", START)


def _case(n: int, **facts) -> PlanCase:
    return PlanCase(case_id=n, debtor_id=n, facts=DebtorFacts(**facts), targets={"sms": (n,), "voice": (n,)})


def test_capacity_spreads_messages_evenly_and_moves_to_the_next_hour():
    cases = [_case(n) for n in range(1, 8)]
    out = list(
        plan(
            cases,
            [Step("sms", "reminder_sms_zh")],
            pack=PACK,
            start=START,
            end=START + timedelta(hours=72),
            per_hour={"sms": 3},
        )
    )
    times = [p.at for p in out]
    assert all(p.allowed for p in out)
    assert times[:3] == [START, START + timedelta(minutes=20), START + timedelta(minutes=40)]
    assert times[3] == START + timedelta(hours=1)
    assert times[6] == START + timedelta(hours=2)


def test_a_night_slot_moves_to_the_morning():
    evening = datetime(2026, 6, 10, 21, 30, tzinfo=SH).astimezone(UTC)
    out = list(
        plan([_case(1), _case(2)], [Step("sms", "reminder_sms_zh")], pack=PACK, start=evening,
             end=evening + timedelta(hours=72), per_hour={"sms": 1})
    )  # fmt: skip
    assert out[0].at == evening
    second = out[1].at.astimezone(SH)
    assert out[1].allowed and (second.hour, second.minute) == (8, 0)
    assert second.date() > evening.astimezone(SH).date()
    assert out[1].tries > 1


def test_stops_refuse_with_their_rules_and_take_no_capacity():
    out = list(
        plan([_case(1, dispute_open=True), _case(2)], [Step("sms", "reminder_sms_zh")], pack=PACK, start=START,
             end=START + timedelta(hours=1), per_hour={"sms": 1})
    )  # fmt: skip
    assert not out[0].allowed and "stop.dispute" in out[0].rules and out[0].at is None
    assert out[1].allowed and out[1].at == START


def test_no_slot_before_the_end():
    out = list(
        plan([_case(1), _case(2)], [Step("sms", "reminder_sms_zh")], pack=PACK, start=START,
             end=START + timedelta(hours=1), per_hour={"sms": 1})
    )  # fmt: skip
    assert out[1].rules == (NO_SLOT,) and not out[1].allowed


def test_the_daily_dial_cap_holds_across_steps():
    """Seven voice reminders to one number the same day: the seventh waits for the next local day."""
    steps = [Step("voice", "reminder_voice_zh", offset_hours=h) for h in range(7)]
    out = list(
        plan(
            [_case(1)],
            steps,
            pack=PACK,
            start=START,
            end=START + timedelta(hours=72),
            per_hour={"voice": 100},
        )
    )
    days = [p.at.astimezone(SH).date() for p in out]
    assert all(p.allowed for p in out)
    assert days[:6] == [START.astimezone(SH).date()] * 6
    assert days[6] > days[0]


def test_slots_carry_over_between_chunks():
    slots = Slots(start=START, per_hour={"sms": 1})
    first = list(
        plan(
            [_case(1)],
            [Step("sms", "reminder_sms_zh")],
            pack=PACK,
            start=START,
            end=START + timedelta(hours=5),
            slots=slots,
        )
    )
    second = list(
        plan(
            [_case(2)],
            [Step("sms", "reminder_sms_zh")],
            pack=PACK,
            start=START,
            end=START + timedelta(hours=5),
            slots=slots,
        )
    )
    assert first[0].at == START and second[0].at == START + timedelta(hours=1)


def test_without_the_gate_only_capacity_counts():
    evening = datetime(2026, 6, 10, 23, 0, tzinfo=SH).astimezone(UTC)
    out = list(
        plan([_case(1, dispute_open=True)], [Step("sms", "reminder_sms_zh")], pack=None, start=evening,
             end=evening + timedelta(hours=2), gate=False)
    )  # fmt: skip
    assert out[0].allowed and out[0].at == evening


def test_a_closed_night_hour_is_skipped_for_later_debtors_of_the_same_zone_only():
    evening = datetime(2026, 6, 10, 21, 30, tzinfo=SH).astimezone(UTC)
    london = _case(3, timezone="Europe/London")  # 14:30 there: open
    out = list(
        plan([_case(1), _case(2), london], [Step("sms", "reminder_sms_zh", offset_hours=1)], pack=PACK,
             start=evening, end=evening + timedelta(hours=72), per_hour={"sms": 100})
    )  # fmt: skip
    assert out[0].moved and out[0].tries > 1
    assert out[1].moved and out[1].tries == 1  # the night hours were known closed: asked once, in the morning
    assert out[1].at.astimezone(SH).hour == 8
    assert not out[2].moved and out[2].at == evening + timedelta(hours=1)


def test_a_debtor_with_an_agreed_evening_window_is_not_skipped_by_anothers_closed_hour():
    late = datetime(2026, 6, 10, 22, 10, tzinfo=SH).astimezone(UTC)
    agreed = _case(2, agreed_windows=(AgreedWindow(start=dtime(22, 0), end=dtime(23, 0)),))
    out = list(
        plan([_case(1), agreed], [Step("sms", "reminder_sms_zh")], pack=PACK, start=late,
             end=late + timedelta(hours=24), per_hour={"sms": 100})
    )  # fmt: skip
    assert out[0].moved and out[0].at.astimezone(SH).hour == 8
    assert not out[1].moved and out[1].at.astimezone(SH).hour == 22

"""Properties of the gate: more history never allows more; stricter overrides never allow more; the history
window the caller loads (`history_lookback`) is enough."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from qingzhai.compliance.gate import (
    AgreedWindow,
    Channel,
    ContactRequest,
    DebtorFacts,
    Outcome,
    Party,
    PastContact,
    evaluate,
    history_lookback,
)
from qingzhai.compliance.policies import PolicyPack, apply_overrides, load_pack, load_pack_version
from qingzhai.compliance.policies.packs import _SET_TYPES

PACKS = [
    load_pack_version("cn", "cn@2025-02-28"),
    load_pack_version("cn", "cn@2026-01-30"),
    load_pack("us-regf", date(2026, 3, 1)),
]
ZONES = ["Asia/Shanghai", "Asia/Urumqi", "America/New_York", "America/Los_Angeles"]
START = datetime(2026, 3, 1, tzinfo=UTC)

instants = st.integers(min_value=0, max_value=14 * 24 * 60).map(lambda m: START + timedelta(minutes=m))
channels = st.sampled_from(list(Channel))
parties = st.sampled_from(list(Party))
contact_ids = st.sampled_from(["n1", "n2", "friend"])
debt_ids = st.sampled_from(["D1", "D2"])


@st.composite
def facts_st(draw) -> DebtorFacts:
    flag = st.booleans()
    start = draw(st.integers(0, 23))
    return DebtorFacts(
        timezone=draw(st.sampled_from(ZONES)),
        agreed_windows=tuple(
            draw(st.lists(st.just(AgreedWindow(time(start, 0), time((start + 2) % 24, 0))), max_size=1))
        ),
        dispute_open=draw(flag),
        dishonest_listed=draw(flag),
        bankrupt=draw(flag) and draw(flag),
        deceased=draw(flag) and draw(flag),
        minor=draw(flag) and draw(flag),
        incapacitated=draw(flag) and draw(flag),
        opted_out=frozenset(draw(st.lists(channels, max_size=2))),
        time_barred=draw(flag) and draw(flag),
        hardship_until=draw(st.one_of(st.none(), st.dates(date(2026, 3, 1), date(2026, 3, 15)))),
        lawyer_represented=draw(flag) and draw(flag),
        debtor_unreachable=draw(flag),
        guarantor_contact_allowed=draw(flag),
        refused_contacts=frozenset(draw(st.lists(contact_ids, max_size=1))),
        initial_communication_at=draw(st.one_of(st.none(), instants)),
        validation_notice_sent_at=draw(st.one_of(st.none(), instants)),
    )


@st.composite
def request_st(draw) -> ContactRequest:
    return ContactRequest(
        at=draw(instants),
        channel=draw(channels),
        party=draw(parties),
        contact_id=draw(contact_ids),
        debt_id=draw(debt_ids),
        pressure=draw(st.booleans()),
        includes_disclosure=draw(st.booleans()),
        threatens_suit=draw(st.booleans()),
        debtor_agreed=draw(st.booleans()),
    )


past_st = st.builds(
    PastContact,
    at=instants,
    channel=channels,
    party=parties,
    contact_id=contact_ids,
    debt_id=debt_ids,
    outcome=st.sampled_from(list(Outcome)),
    pressure=st.booleans(),
)


@st.composite
def stricter_overrides(draw, pack: PolicyPack) -> dict:
    """Random overrides, each in the parameter's stricter direction (or equal)."""
    out: dict = {}
    for rule in pack.rules:
        for name, param in rule.params.items():
            if param.stricter == "fixed" or not draw(st.booleans()):
                continue
            v = param.value
            if param.stricter == "lower":
                new = draw(st.integers(0, v))
            elif param.stricter == "higher":
                new = draw(st.integers(v, v + 10))
            elif param.stricter == "later":
                new = (
                    datetime.combine(date(2026, 1, 1), v) + timedelta(minutes=draw(st.integers(0, 120)))
                ).strftime("%H:%M")
            elif param.stricter == "earlier":
                new = (
                    datetime.combine(date(2026, 1, 1), v) - timedelta(minutes=draw(st.integers(0, 120)))
                ).strftime("%H:%M")
            elif param.stricter == "true":
                new = True
            elif param.stricter == "false":
                new = False
            elif param.stricter == "superset":
                extra = draw(st.lists(st.sampled_from(_SET_TYPES[param.type]), max_size=3))
                new = sorted({str(x) for x in v} | set(extra))
            else:  # subset
                base = sorted(str(x) for x in v)
                new = draw(st.lists(st.sampled_from(base), unique=True)) if base else []
            out.setdefault(rule.id, {})[name] = new
    return out


def denied_rules(decision) -> set[str]:
    return {h.rule for h in decision.denials}


@settings(max_examples=300, deadline=None)
@given(
    pack=st.sampled_from(PACKS),
    facts=facts_st(),
    request=request_st(),
    history=st.lists(past_st, max_size=12),
    extra=st.lists(past_st, max_size=12),
)
def test_more_history_never_turns_a_deny_into_an_allow(pack, facts, request, history, extra):
    before = evaluate(pack, facts, request, history)
    after = evaluate(pack, facts, request, history + extra)
    if not before.allowed:
        assert not after.allowed
    assert denied_rules(before) <= denied_rules(after)


@settings(max_examples=300, deadline=None)
@given(
    data=st.data(),
    pack=st.sampled_from(PACKS),
    facts=facts_st(),
    request=request_st(),
    history=st.lists(past_st, max_size=12),
)
def test_stricter_overrides_never_allow_what_the_base_denies(data, pack, facts, request, history):
    strict = apply_overrides(pack, data.draw(stricter_overrides(pack)))
    base = evaluate(pack, facts, request, history)
    over = evaluate(strict, facts, request, history)
    if not base.allowed:
        assert not over.allowed
    assert denied_rules(base) <= denied_rules(over)


@settings(max_examples=300, deadline=None)
@given(
    pack=st.sampled_from(PACKS),
    facts=facts_st(),
    request=request_st(),
    history=st.lists(past_st, max_size=20),
)
def test_history_inside_the_lookback_window_decides_the_same(pack, facts, request, history):
    # refusals are carried in facts by the caller, as documented
    refused = frozenset(h.contact_id for h in history if h.outcome == Outcome.REFUSED and h.at <= request.at)
    facts = replace(facts, refused_contacts=facts.refused_contacts | refused)
    since = request.at - history_lookback(pack)
    full = evaluate(pack, facts, request, history)
    window = evaluate(pack, facts, request, [h for h in history if h.at >= since])
    assert full.allowed == window.allowed
    assert [(h.rule, h.effect) for h in full.hits] == [(h.rule, h.effect) for h in window.hits]

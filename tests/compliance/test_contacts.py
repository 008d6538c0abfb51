"""The contact gate as a service: decisions stored, denials refused and never logged as made."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from qingzhai.compliance import services
from qingzhai.compliance.models import ContactDecision, Dispute
from qingzhai.compliance.services import ContactDenied
from qingzhai.core.errors import AccessDenied, DomainError
from qingzhai.core.models import AuditEvent
from qingzhai.portfolio import services as portfolio_services
from qingzhai.portfolio.models import Activity, ContactPoint
from tests.factories import ContactPointFactory

SH = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SH)


def log_call(actor, case, when, outcome="connected", **kw):
    return services.contact_log(
        actor=actor,
        case_id=case.pk,
        kind="call",
        outcome=outcome,
        occurred_at=when,
        contact_point_id=kw.pop("cp", case.debtor.contact_points.first().pk),
        **kw,
    )


def rules(decision: ContactDecision) -> list[str]:
    return [h["rule"] for h in decision.hits if h["effect"] == "deny"]


def test_allowed_call_is_logged_with_its_decision(collector, case):
    activity = log_call(collector, case, at(20, 10))
    decision = ContactDecision.objects.get(activity=activity)
    assert (decision.allowed, decision.pack, decision.pack_version) == (True, "cn", "cn@2026-01-30")
    assert decision.basis["request"]["at"] == at(20, 10).isoformat()


def test_night_call_is_refused_recorded_and_not_logged(collector, case):
    with pytest.raises(ContactDenied) as caught:
        log_call(collector, case, at(20, 22, 30))
    assert caught.value.fields == {"rules": ["cn.hours.night"]}
    assert caught.value.status == 409
    assert Activity.objects.filter(case=case).count() == 0
    denial = ContactDecision.objects.get(case=case)
    assert (denial.allowed, denial.activity_id, rules(denial)) == (False, None, ["cn.hours.night"])
    assert AuditEvent.objects.filter(action="contact.denied", entity_id=str(denial.pk)).count() == 1


def test_fourth_connected_call_of_the_day_is_refused(collector, case):
    for hour in (9, 11, 14):
        log_call(collector, case, at(20, hour))
    with pytest.raises(ContactDenied) as caught:
        log_call(collector, case, at(20, 16))
    assert caught.value.fields["rules"] == ["cn.freq.connected_calls"]
    # the next local day the counter starts again
    log_call(collector, case, at(21, 9))
    assert Activity.objects.filter(case=case).count() == 4


def test_outbound_activity_without_clearance_is_refused_but_notes_are_not(collector, case):
    with pytest.raises(DomainError) as caught:
        portfolio_services.activity_log(actor=collector, case_id=case.pk, kind="sms", outcome="delivered")
    assert caught.value.code == "contact_not_cleared"
    note = services.contact_log(actor=collector, case_id=case.pk, kind="note", outcome="other", note="备注")
    assert note.kind == "note"
    assert not ContactDecision.objects.exists()


def test_a_clearance_is_used_once_and_only_for_what_it_covered(collector, case):
    cp = case.debtor.contact_points.first().pk
    decision = services.contact_clear(
        actor=collector, case_id=case.pk, kind="call", contact_point_id=cp, at=at(20, 10)
    )
    assert decision.allowed
    with pytest.raises(DomainError) as wrong:
        services.contact_log(
            actor=collector,
            case_id=case.pk,
            kind="sms",
            outcome="delivered",
            contact_point_id=cp,
            occurred_at=at(20, 10, 5),
            decision_id=decision.pk,
        )
    assert wrong.value.code == "decision_invalid"
    activity = log_call(collector, case, at(20, 10, 5), decision_id=decision.pk)
    assert ContactDecision.objects.get(pk=decision.pk).activity_id == activity.pk
    with pytest.raises(DomainError) as again:
        log_call(collector, case, at(20, 10, 6), decision_id=decision.pk)
    assert again.value.code == "decision_invalid"
    assert ContactDecision.objects.count() == 1


def test_a_denied_decision_cannot_be_used_to_log(collector, case):
    denied = services.contact_clear(
        actor=collector,
        case_id=case.pk,
        kind="call",
        contact_point_id=case.debtor.contact_points.first().pk,
        at=at(20, 23),
    )
    assert (denied.allowed, rules(denied)) == (False, ["cn.hours.night"])
    with pytest.raises(DomainError) as caught:
        log_call(collector, case, at(20, 23), decision_id=denied.pk)
    assert caught.value.code == "decision_invalid"
    assert not Activity.objects.filter(case=case).exists()


def test_a_dispute_raised_on_a_call_freezes_pressure_until_resolved(collector, supervisor, case):
    log_call(collector, case, at(20, 10), outcome="dispute", note="称已还清")
    dispute = Dispute.objects.get(case=case)
    assert dispute.resolved_at is None
    with pytest.raises(ContactDenied) as caught:
        log_call(collector, case, at(21, 10))
    assert caught.value.fields["rules"] == ["stop.dispute"]
    with pytest.raises(AccessDenied):
        services.dispute_resolve(actor=collector, dispute_id=dispute.pk, resolution="核实")
    services.dispute_resolve(actor=supervisor, dispute_id=dispute.pk, resolution="核实：仍欠款")
    log_call(collector, case, at(21, 11))


def test_collector_records_opt_out_but_not_bankruptcy(collector, supervisor, case):
    services.protection_set(actor=collector, case_id=case.pk, reason="债务人要求", opted_out=["sms"])
    with pytest.raises(AccessDenied):
        services.protection_set(actor=collector, case_id=case.pk, reason="x", bankrupt=True)
    sms = services.contact_clear(actor=collector, case_id=case.pk, kind="sms", at=at(20, 10))
    assert rules(sms) == ["stop.opt_out"]
    services.protection_set(actor=supervisor, case_id=case.pk, reason="法院裁定受理破产", bankrupt=True)
    call = services.contact_clear(
        actor=collector,
        case_id=case.pk,
        kind="call",
        contact_point_id=case.debtor.contact_points.first().pk,
        at=at(20, 10),
    )
    assert (call.allowed, call.route, "stop.bankrupt" in rules(call)) == (False, "insolvency", True)


def test_bad_protection_values_name_the_field(supervisor, case):
    with pytest.raises(DomainError) as caught:
        services.protection_set(actor=supervisor, case_id=case.pk, reason="x", opted_out=["fax"])
    assert caught.value.fields == {"opted_out": ["['fax']"]}
    with pytest.raises(DomainError) as window:
        services.protection_set(
            actor=supervisor, case_id=case.pk, reason="x", agreed_windows=[{"start": "25:00", "end": "23:00"}]
        )
    assert window.value.code == "invalid_window"


def test_agreed_night_window_allows_a_night_call(collector, case):
    services.protection_set(
        actor=collector,
        case_id=case.pk,
        reason="债务人夜班，约定晚上联系",
        agreed_windows=[{"start": "22:00", "end": "23:30"}],
    )
    activity = log_call(collector, case, at(20, 22, 30))
    decision = ContactDecision.objects.get(activity=activity)
    assert decision.allowed and "cn.hours.night" in [
        h["rule"] for h in decision.hits if h["effect"] == "info"
    ]


def test_third_party_who_refused_is_never_contacted_again(collector, case):
    services.protection_set(actor=collector, case_id=case.pk, reason="x", opted_out=[])
    from qingzhai.compliance.models import DebtorProtection

    DebtorProtection.objects.filter(debtor=case.debtor).update(unreachable=True)
    relative = ContactPointFactory(
        debtor=case.debtor, party="emergency", is_primary=False, value="13900001111"
    )
    log_call(collector, case, at(20, 10), outcome="refused", party="emergency", cp=relative.pk)
    assert ContactPoint.objects.get(pk=relative.pk).status == "refused"
    with pytest.raises(ContactDenied) as caught:
        log_call(collector, case, at(25, 10), outcome="no_answer", party="emergency", cp=relative.pk)
    assert caught.value.fields["rules"] == ["cn.party.refused"]


def test_decision_is_re_explained_with_the_pack_version_then(collector, case):
    for hour in (9, 11, 14):
        log_call(collector, case, at(20, hour))
    denied = services.contact_clear(
        actor=collector,
        case_id=case.pk,
        kind="call",
        contact_point_id=case.debtor.contact_points.first().pk,
        at=at(20, 16),
    )
    again = services.decision_explain(denied)
    assert [h.rule for h in again.hits] == [h["rule"] for h in denied.hits]
    assert (again.allowed, again.pack_version) == (False, "cn@2026-01-30")


def test_creditor_makes_the_pack_stricter_but_never_looser(users, collector, case):
    compliance = users["compliance"]
    creditor_id = case.portfolio.creditor_id
    with pytest.raises(DomainError) as looser:
        services.creditor_policy_set(
            actor=compliance,
            creditor_id=creditor_id,
            pack="cn",
            overrides={"cn.freq.connected_calls": {"max": 5}},
            reason="x",
        )
    assert looser.value.code == "policy_override_looser"
    with pytest.raises(AccessDenied):
        services.creditor_policy_set(
            actor=collector, creditor_id=creditor_id, pack="cn", overrides={}, reason="x"
        )
    services.creditor_policy_set(
        actor=compliance,
        creditor_id=creditor_id,
        pack="cn",
        overrides={"cn.freq.connected_calls": {"max": 2}},
        reason="委托方要求每日最多两次",
    )
    log_call(collector, case, at(20, 9))
    log_call(collector, case, at(20, 11))
    with pytest.raises(ContactDenied) as caught:
        log_call(collector, case, at(20, 14))
    assert caught.value.fields["rules"] == ["cn.freq.connected_calls"]
    denial = ContactDecision.objects.filter(allowed=False).get()
    assert services.decision_explain(denial).allowed is False


def test_collector_cannot_ask_the_gate_about_someone_elses_case(collector, other_case):
    from qingzhai.core.errors import NotFound

    with pytest.raises(NotFound):
        services.contact_clear(actor=collector, case_id=other_case.pk, kind="call", at=at(20, 10))


def test_a_gate_decision_costs_a_fixed_number_of_queries(collector, case, django_assert_num_queries):
    for day in range(10, 20):
        log_call(collector, case, at(day, 10))
    point = case.debtor.contact_points.first().pk
    with django_assert_num_queries(13):
        # savepoint · case (locked) · the number belongs to the debtor · policy · protection · contact
        # points · dispute · dishonest list · history window · decision insert · evidence artifact ·
        # evidence outbox · savepoint release
        services.contact_clear(
            actor=collector, case_id=case.pk, kind="call", contact_point_id=point, at=at(20, 10)
        )

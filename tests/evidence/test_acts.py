"""Every act the services perform leaves a leaf: the right type, case and actor, the artifact holding the
act's record, a link to the previous version, and never personal data in the leaf."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from qingzhai.compliance import services as compliance_services
from qingzhai.core.clock import business_today
from qingzhai.evidence import artifacts, backfill, record, sequencer
from qingzhai.evidence.models import Entry, Outbox
from qingzhai.portfolio import services

pytestmark = pytest.mark.django_db


def leaves(kind: str | None = None) -> list[dict]:
    qs = Outbox.objects.order_by("id")
    if kind:
        qs = qs.filter(kind=kind)
    return [json.loads(bytes(x)) for x in qs.values_list("leaf", flat=True)]


def content(leaf: dict) -> dict:
    return json.loads(artifacts.get(leaf["artifact"]["sha256"]))


def test_a_payment_and_its_reversal(supervisor, case):
    debt = case.debts.first()
    payment = services.payment_record(
        actor=supervisor, debt_id=debt.pk, amount_fen=12_345, paid_on=business_today()
    )
    services.payment_reverse(actor=supervisor, payment_id=payment.pk, reason="银行退票 bounced")
    paid, reversed_ = leaves("payment")[0], leaves("payment_reversal")[0]
    assert (paid["case"], paid["actor"], paid["subject"]) == (
        case.pk,
        f"user:{supervisor.pk}",
        f"portfolio.payment:{payment.pk}",
    )
    assert content(paid)["fields"]["amount_fen"] == 12_345
    assert reversed_["prev"] == paid["artifact"]["sha256"]
    assert content(reversed_)["fields"]["amount_fen"] == -12_345


def test_an_activity_a_stage_change_and_a_promise(collector, case):
    services.activity_log(actor=collector, case_id=case.pk, kind="note", outcome="connected", note="来电")
    promise = services.promise_create(
        actor=collector, case_id=case.pk, amount_fen=5_000, due_date=business_today() + timedelta(days=3)
    )
    services.promise_cancel(actor=collector, promise_id=promise.pk, reason="改为分期 instalments")
    kinds = [x["type"] for x in leaves()]
    assert kinds.count("activity") == 1 and kinds.count("stage_change") == 1
    first, change = leaves("promise")[0], leaves("promise_change")[0]
    assert change["prev"] == first["artifact"]["sha256"]
    assert (
        content(change)["fields"]["status"] == "cancelled"
        and content(change)["reason"] == "改为分期 instalments"
    )


def test_a_pii_reveal_logs_who_and_why_but_not_the_value(supervisor, case):
    value = services.pii_reveal(
        actor=supervisor, kind="debtor", object_id=case.debtor_id, attr="id_number", reason="核实身份 verify"
    )
    leaf = leaves("pii_reveal")[0]
    raw = Outbox.objects.get(kind="pii_reveal").leaf
    assert value not in bytes(raw).decode()
    assert value not in artifacts.get(leaf["artifact"]["sha256"]).decode()
    assert content(leaf)["field"] == "id_number" and content(leaf)["reason"] == "核实身份 verify"


def test_a_gate_decision_and_a_screened_utterance(collector, case):
    point = case.debtor.contact_points.first().pk
    compliance_services.contact_clear(actor=collector, case_id=case.pk, kind="call", contact_point_id=point)
    compliance_services.utterance_record(actor=collector, case_id=case.pk, text="您好，请问是本人吗？")
    decision = leaves("compliance_decision")[0]
    assert decision["case"] == case.pk
    assert "allowed" in content(decision)["fields"]
    assert content(leaves("utterance")[0])["fields"]["text"] == "您好，请问是本人吗？"


def test_leaves_never_carry_more_than_the_fixed_keys(supervisor, case):
    services.pii_reveal(
        actor=supervisor, kind="debtor", object_id=case.debtor_id, attr="home_address", reason="上门 visit"
    )
    services.activity_log(
        actor=supervisor, case_id=case.pk, kind="note", outcome="connected", note="地址 北京市"
    )
    for leaf in leaves():
        assert set(leaf) == {"v", "type", "case", "actor", "time", "subject", "artifact", "prev"}
        assert leaf["type"] in record.KINDS


def test_backfill_seals_old_rows_once(collector, case):
    from qingzhai.portfolio.models import Activity

    Activity.objects.create(
        case=case,
        kind="visit",
        outcome="connected",
        party="debtor",
        actor=collector,
        occurred_at=case.created_at,
        created_at=case.created_at,
    )
    counts = backfill.seal(case_ids=[case.pk])
    assert counts == {"activity": 1}
    assert backfill.seal(case_ids=[case.pk]) == {}
    sequencer.run()
    entry = Entry.objects.get(kind="activity")
    assert content(json.loads(bytes(entry.data)))["sealed_later"] is True

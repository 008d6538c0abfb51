from collections import defaultdict
from datetime import date, datetime, timedelta

import pytest
from django.db import transaction
from django.db.models import F, Max, Sum

from qingzhai.accounts.models import Team, User
from qingzhai.accounts.roles import Role
from qingzhai.core import audit, pii
from qingzhai.core.clock import business_today, business_tz
from qingzhai.core.models import AuditEvent
from qingzhai.core.validators import is_valid_mobile, is_valid_prc_id, is_valid_uscc
from qingzhai.portfolio import allocation, demo, stages
from qingzhai.portfolio.buckets import BUCKETS, bucket_for
from qingzhai.portfolio.models import (
    Activity,
    BankAccount,
    BucketHistory,
    Case,
    CaseStageChange,
    ContactPoint,
    Creditor,
    CreditorViewerGrant,
    Debt,
    Debtor,
    Guarantor,
    Instalment,
    Payment,
    Portfolio,
    PromiseToPay,
)

TODAY = date(2026, 6, 15)
REGION_CODES = {r[0] for r in demo.REGIONS}
PLACES = tuple((r[2] if r[1] == r[2] else r[1] + r[2]) + r[3] for r in demo.REGIONS)
TABLES = (
    Creditor,
    Portfolio,
    Debtor,
    ContactPoint,
    BankAccount,
    Case,
    Debt,
    Instalment,
    BucketHistory,
    Guarantor,
    Payment,
    PromiseToPay,
    Activity,
    CaseStageChange,
    CreditorViewerGrant,
    User,
    Team,
    AuditEvent,
)


@pytest.fixture(autouse=True)
def _fast_password_hashing(request, settings):
    """The full-size timing test keeps the real hasher; the small loads need no slow hashing."""
    if "slow" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def small(db):
    return demo.demo_load(actor="test", size="small", today=TODAY)


def table_counts():
    return {model._meta.label: model.objects.count() for model in TABLES}


def test_small_load_counts(small):
    size = demo.SIZES["small"]
    assert small.already_loaded is False and small.reset is False
    assert small.business_date == TODAY
    assert sorted(Creditor.objects.values_list("code", "kind")) == [
        ("DEMO-BANK", "bank"),
        ("DEMO-CFC", "consumer_finance"),
        ("DEMO-NET", "platform"),
    ]
    assert Portfolio.objects.count() == 12
    assert Debtor.objects.count() == size.debtors == 150
    assert Debtor.objects.filter(kind=Debtor.Kind.ENTERPRISE).count() == 150 * 5 // 100
    assert Debt.objects.count() == size.debts == 240
    assert Case.objects.count() == 150
    assert set(Debt.objects.values_list("product", flat=True)) == set(demo.PRODUCTS)
    counted = {
        "creditors": Creditor.objects.count(),
        "portfolios": Portfolio.objects.count(),
        "debtors": Debtor.objects.count(),
        "contact_points": ContactPoint.objects.count(),
        "bank_accounts": BankAccount.objects.count(),
        "cases": Case.objects.count(),
        "debts": Debt.objects.count(),
        "instalments": Instalment.objects.count(),
        "bucket_history": BucketHistory.objects.count(),
        "guarantors": Guarantor.objects.count(),
        "payments": Payment.objects.count(),
        "reversals": Payment.objects.filter(reversal_of__isnull=False).count(),
        "promises": PromiseToPay.objects.count(),
        "activities": Activity.objects.count(),
        "stage_changes": CaseStageChange.objects.count(),
        "case_tags": Case.tags.through.objects.count(),
    }
    assert {k: small.counts[k] for k in counted} == counted
    assert small.counts["enterprises"] == 7 and small.counts["users"] == 9


def test_portfolios_are_placement_batches_before_today(small):
    for portfolio in Portfolio.objects.all():
        assert portfolio.placement_date < TODAY
        assert portfolio.recall_date is not None and portfolio.recall_date > TODAY
    for creditor in Creditor.objects.all():
        assert creditor.portfolios.count() == 4
        assert creditor.debtors.count() > 0


def test_one_demo_user_per_role_with_working_passwords(small):
    users = {u.username: u for u in User.objects.filter(username__startswith="demo_")}
    assert sorted(users) == sorted(name for name, _, _ in demo.DEMO_USERS)
    assert {u.role for u in users.values()} == {r.value for r in Role}
    for row in small.users:
        assert row.created is True
        assert users[row.username].role == row.role
        assert users[row.username].check_password(row.password)
    assert len({row.password for row in small.users}) == 9
    team = Team.objects.get(name=demo.DEMO_TEAM)
    assert team.supervisor == users["demo_supervisor"]
    assert sorted(team.members.values_list("username", flat=True)) == [
        "demo_collector1",
        "demo_collector2",
        "demo_collector3",
    ]
    assert list(CreditorViewerGrant.objects.values_list("user__username", "creditor__code")) == [
        ("demo_client", "DEMO-BANK")
    ]
    assert users["demo_admin"].is_superuser and not users["demo_collector1"].is_staff


def test_one_summary_audit_event(small):
    event = AuditEvent.objects.get(action="demo.load")
    assert event.actor_label == "test"
    assert event.changes["seed"] == demo.DEFAULT_SEED
    assert event.changes["business_date"] == TODAY.isoformat()
    assert event.changes["created"] == small.counts
    assert AuditEvent.objects.filter(action="user.create").count() == 9
    # nothing else is audited row by row
    assert set(AuditEvent.objects.values_list("action", flat=True)) == {
        "demo.load",
        "user.create",
        "team.create",
        "creditor_viewer.grant",
    }


def test_identity_numbers_are_valid(small):
    for debtor in Debtor.objects.all():
        number = pii.get_value(debtor, "id_number")
        assert debtor.id_number_masked == number[:3] + "*" * 11 + number[-4:]
        if debtor.kind == Debtor.Kind.ENTERPRISE:
            assert is_valid_uscc(number), number
            assert number[:2] == "91" and number[2:8] in REGION_CODES
            assert debtor.name.endswith("有限公司")
        else:
            assert is_valid_prc_id(number), number
            assert number[:6] in REGION_CODES
            born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
            age = (TODAY - born).days // 365
            assert 21 <= age <= 63, number
    for guarantor in Guarantor.objects.all():
        assert is_valid_prc_id(pii.get_value(guarantor, "id_number"))
        assert is_valid_mobile(pii.get_value(guarantor, "phone"))
    assert Debtor.objects.values("id_number_bidx").distinct().count() == 150


def test_phones_and_bank_accounts_are_valid(small):
    phones = [pii.get_value(p, "value") for p in ContactPoint.objects.all()]
    assert all(is_valid_mobile(p) for p in phones)
    assert len(set(phones)) == len(phones)
    for point in ContactPoint.objects.all():
        value = pii.get_value(point, "value")
        assert point.value_masked == value[:3] + "****" + value[-4:]
    for debtor in Debtor.objects.all():
        points = list(debtor.contact_points.all())
        assert sum(p.is_primary for p in points) == 1
        assert points[0].is_primary and points[0].party == ContactPoint.Party.DEBTOR
    emergency = ContactPoint.objects.filter(party=ContactPoint.Party.EMERGENCY)
    assert emergency.filter(consent=True).exists() and emergency.filter(consent=False).exists()
    for account in BankAccount.objects.all():
        number = pii.get_value(account, "account")
        assert len(number) == 19 and number.startswith("62")
        digits = [int(c) for c in reversed(number)]
        total = sum(d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(digits))
        assert total % 10 == 0, number


def test_names_and_addresses_look_chinese(small):
    for debtor in Debtor.objects.filter(kind=Debtor.Kind.PERSON):
        surname = debtor.name[:2] if debtor.name[:2] in demo.SURNAMES else debtor.name[0]
        assert surname in demo.SURNAMES
        assert 2 <= len(debtor.name) <= 4
        home = pii.get_value(debtor, "home_address")
        assert home.startswith(PLACES), home
        assert "号" in home and home.endswith("室")
        assert debtor.home_address_masked.startswith(home[:6])
        if debtor.employer:
            assert pii.get_value(debtor, "work_address").startswith(PLACES)


def test_case_totals_equal_the_sum_of_their_debts(small):
    sums = {
        row["case_id"]: row
        for row in Debt.objects.values("case_id").annotate(
            p=Sum("principal_fen"),
            i=Sum("interest_fen"),
            pe=Sum("penalty_fen"),
            f=Sum("fee_fen"),
            d=Max("dpd"),
        )
    }
    for case in Case.objects.all():
        row = sums[case.pk]
        assert case.total_balance_fen == row["p"] + row["i"] + row["pe"] + row["f"]
        assert case.max_dpd == row["d"]
        assert case.bucket == bucket_for(row["d"])


def test_every_bucket_is_represented_and_dpd_is_consistent(small):
    assert set(BUCKETS[1:]) <= set(Debt.objects.values_list("bucket", flat=True))
    assert set(BUCKETS[1:]) <= set(Case.objects.values_list("bucket", flat=True))
    for debt in Debt.objects.all():
        assert debt.dpd_as_of == TODAY
        assert min(debt.principal_fen, debt.interest_fen, debt.penalty_fen, debt.fee_fen) >= 0
        if debt.status == Debt.Status.PAID:
            assert (debt.balance_fen, debt.dpd, debt.bucket) == (0, 0, "M0")
        else:
            assert debt.status == Debt.Status.OPEN and debt.balance_fen > 0
            assert debt.dpd == (TODAY - debt.overdue_since).days
            assert debt.bucket == bucket_for(debt.dpd)
            # every debt was already overdue when it was placed
            assert debt.overdue_since < debt.case.portfolio.placement_date
        history = list(debt.bucket_history.order_by("as_of", "id"))
        assert history[0].bucket == "M1" and history[-1].bucket == debt.bucket


def test_instalments_follow_the_contract(small):
    instalment_debts = Debt.objects.exclude(product=demo.CREDIT_CARD)
    assert instalment_debts.count() > 0
    for debt in instalment_debts.prefetch_related("instalments"):
        rows = list(debt.instalments.all())
        assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
        assert rows[-1].due_date == debt.due_date
        assert all(r.amount_fen > 0 for r in rows)
        unpaid = [r for r in rows if r.paid_fen == 0]
        assert unpaid[0].due_date == debt.overdue_since
        assert all(r.paid_fen == r.amount_fen for r in rows[: unpaid[0].seq - 1])
        assert debt.contract_date < debt.overdue_since
    assert not Instalment.objects.filter(debt__product=demo.CREDIT_CARD).exists()


def test_amounts_are_realistic_per_product(small):
    specs = []
    for creditor in demo.DEMO_CREDITORS:
        for spec in [p for p, _ in creditor.person_products] + [creditor.enterprise_product]:
            if spec is not None:
                specs.append((creditor.code, spec))
    prefixes = {spec.code: spec.prefix for spec in demo.DEMO_CREDITORS}
    for debt in Debt.objects.select_related("creditor"):
        fits = [
            spec
            for code, spec in specs
            if code == debt.creditor.code
            and spec.label == debt.product
            and spec.min_yuan * 100 <= debt.original_principal_fen <= spec.max_yuan * 100 + 99
            and spec.rate_bp[0] <= int(debt.annual_rate * 100) <= spec.rate_bp[1]
        ]
        assert fits, debt.contract_no
        assert debt.principal_fen <= debt.original_principal_fen
        assert debt.contract_no.startswith(prefixes[debt.creditor.code] + fits[0].code)
    business = Debt.objects.filter(product=demo.BUSINESS_LOAN, case__debtor__kind=Debtor.Kind.ENTERPRISE)
    assert business.exists()
    assert all(d.guarantors.count() == 1 for d in business)


def test_payments_are_allocated_in_contract_order(small):
    payments = list(Payment.objects.select_related("debt").order_by("recorded_at", "id"))
    assert payments
    for p in payments:
        assert p.fee_fen + p.interest_fen + p.penalty_fen + p.principal_fen + p.unapplied_fen == p.amount_fen
        assert p.paid_on < TODAY
    # Replay each debt's payments from its balance at placement; allocate() must give the same parts.
    by_debt = defaultdict(list)
    for p in payments:
        by_debt[p.debt_id].append(p)
    for rows in by_debt.values():
        debt = rows[0].debt
        balances = {
            "fee": debt.fee_fen + sum(r.fee_fen for r in rows),
            "interest": debt.interest_fen + sum(r.interest_fen for r in rows),
            "penalty": debt.penalty_fen + sum(r.penalty_fen for r in rows),
            "principal": debt.principal_fen + sum(r.principal_fen for r in rows),
        }
        order = allocation.parse_order(debt.allocation_order)
        for row in rows:
            parts = {"fee": row.fee_fen, "interest": row.interest_fen, "penalty": row.penalty_fen}
            parts["principal"] = row.principal_fen
            if row.reversal_of_id is None:
                expected = allocation.allocate(row.amount_fen, balances, order)
                assert expected.parts == parts and expected.unapplied == row.unapplied_fen == 0
            for key, value in parts.items():
                balances[key] -= value
        assert balances == {
            "fee": debt.fee_fen,
            "interest": debt.interest_fen,
            "penalty": debt.penalty_fen,
            "principal": debt.principal_fen,
        }


def test_reversals_mirror_their_payment(small):
    reversals = Payment.objects.filter(reversal_of__isnull=False).select_related("reversal_of")
    assert reversals.count() == small.counts["reversals"] >= 1
    for r in reversals:
        o = r.reversal_of
        assert (r.amount_fen, r.fee_fen, r.interest_fen, r.penalty_fen, r.principal_fen) == (
            -o.amount_fen,
            -o.fee_fen,
            -o.interest_fen,
            -o.penalty_fen,
            -o.principal_fen,
        )
        assert r.debt_id == o.debt_id and r.recorded_by.username == "demo_supervisor"


def test_promises_are_open_kept_or_broken(small):
    statuses = set(PromiseToPay.objects.values_list("status", flat=True))
    assert statuses == {"open", "kept", "broken"}
    for promise in PromiseToPay.objects.select_related("case"):
        assert promise.amount_fen > 0
        assert promise.created_at.astimezone(business_tz()).date() < TODAY
        if promise.status == PromiseToPay.Status.OPEN:
            assert promise.due_date >= TODAY and promise.paid_fen == 0 and promise.resolved_at is None
            assert promise.case.next_action_date == promise.due_date
        elif promise.status == PromiseToPay.Status.KEPT:
            assert promise.due_date < TODAY and promise.paid_fen == promise.amount_fen
            assert promise.resolved_at is not None
        else:
            assert promise.due_date < TODAY - timedelta(days=1)
            assert 0 <= promise.paid_fen < promise.amount_fen and promise.resolved_at is not None
    assert (
        PromiseToPay.objects.filter(status="open").count()
        == Case.objects.filter(promises__status="open").count()
    )


def test_activities_are_in_the_past_and_lawful(small):
    kinds = set(Activity.objects.values_list("kind", flat=True))
    assert {"call", "sms", "note"} <= kinds
    outcomes = set(Activity.objects.filter(kind="call").values_list("outcome", flat=True))
    assert {"no_answer", "connected", "promise"} <= outcomes
    start_of_today = datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=business_tz())
    demo_users = set(User.objects.filter(username__startswith="demo_").values_list("id", flat=True))
    for activity in Activity.objects.select_related("contact_point", "case__portfolio"):
        local = activity.occurred_at.astimezone(business_tz())
        assert activity.occurred_at < start_of_today
        assert local.date() > activity.case.portfolio.placement_date
        assert 9 <= local.hour <= 19
        assert activity.actor_id is None or activity.actor_id in demo_users
        if activity.party == Activity.Party.EMERGENCY:
            assert activity.contact_point.consent is True
        if activity.contact_point is not None:
            assert activity.contact_point.debtor_id == activity.case.debtor_id


def test_stage_history_follows_the_state_machine(small):
    changes = defaultdict(list)
    for change in CaseStageChange.objects.order_by("created_at", "id"):
        changes[change.case_id].append(change)
    assert {c.to_stage for rows in changes.values() for c in rows} >= {"contact", "negotiated", "closed"}
    for case in Case.objects.all():
        rows = changes.get(case.pk, [])
        current = "new"
        for row in rows:
            assert row.from_stage == current
            stages.check_transition(row.from_stage, row.to_stage)
            assert row.business_date < TODAY and row.reason
            current = row.to_stage
        assert case.stage == current
        if rows:
            assert case.stage_changed_at == rows[-1].created_at
        if case.stage == "closed":
            assert case.total_balance_fen == 0 and case.next_action_date is None


def test_cases_are_assigned_to_the_demo_team(small):
    team = Team.objects.get(name=demo.DEMO_TEAM)
    assigned = Case.objects.filter(assigned_to__role=Role.COLLECTOR)
    assert assigned.count() > Case.objects.count() // 2
    assert set(assigned.values_list("team_id", flat=True)) == {team.pk}
    assert set(assigned.values_list("assigned_to__username", flat=True)) == {
        "demo_collector1",
        "demo_collector2",
        "demo_collector3",
    }
    assert set(
        Case.objects.filter(stage__in=["legal", "enforcement"]).values_list(
            "assigned_to__username", flat=True
        )
    ) <= {"demo_legal"}
    unassigned = Case.objects.filter(assigned_to__isnull=True)
    assert unassigned.exists() and not unassigned.exclude(stage="new").exists()
    assert unassigned.filter(team__isnull=False).count() == 0


def test_same_seed_same_day_gives_the_same_data(db):
    with transaction.atomic():
        demo.demo_load(seed=7, size="small", today=TODAY)
        first = demo.demo_digest()
        transaction.set_rollback(True)
    assert Creditor.objects.count() == 0 and User.objects.count() == 0
    with transaction.atomic():
        demo.demo_load(seed=8, size="small", today=TODAY)
        other_seed = demo.demo_digest()
        transaction.set_rollback(True)
    demo.demo_load(seed=7, size="small", today=TODAY)
    assert demo.demo_digest() == first
    assert other_seed != first


def test_second_load_changes_nothing(small):
    before, digest = table_counts(), demo.demo_digest()
    again = demo.demo_load(actor="test", size="small", today=TODAY)
    assert again.already_loaded is True and again.counts == {}
    assert [(u.username, u.created, u.password) for u in again.users] == [
        (name, False, None) for name, _, _ in demo.DEMO_USERS
    ]
    assert table_counts() == before
    assert demo.demo_digest() == digest


def test_reset_rebuilds_exactly_one_copy(small):
    before, digest = table_counts(), demo.demo_digest()
    rebuilt = demo.demo_load(actor="test", size="small", today=TODAY, reset=True)
    assert rebuilt.reset is True and rebuilt.already_loaded is False
    assert not any(u.created for u in rebuilt.users)
    assert rebuilt.counts["users"] == 0
    after = table_counts()
    assert after.pop("core.AuditEvent") == before.pop("core.AuditEvent") + 2  # demo.load, viewer grant
    assert after == before
    assert demo.demo_digest() == digest
    event = AuditEvent.objects.filter(action="demo.load").order_by("-id").first()
    assert event.changes["deleted"] == {"cases": 150, "debts": 240}


def test_a_failed_load_leaves_nothing(db, monkeypatch):
    real_record = audit.record

    def failing(**kwargs):
        if kwargs["action"] == "demo.load":
            raise RuntimeError("disk full")
        return real_record(**kwargs)

    monkeypatch.setattr(audit, "record", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        demo.demo_load(size="small", today=TODAY)
    assert {k: v for k, v in table_counts().items() if v} == {}


def test_unknown_size_is_refused(db):
    with pytest.raises(ValueError, match="unknown demo size"):
        demo.demo_load(size="huge")
    assert Creditor.objects.count() == 0


def test_default_business_date_is_today(db):
    result = demo.demo_load(size="small")
    assert result.business_date == business_today()
    assert Debt.objects.filter(dpd_as_of=business_today()).count() == 240


def test_generator_helpers():
    assert demo.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert demo.add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)
    assert demo.add_months(date(2026, 3, 15), -3) == date(2025, 12, 15)
    schedule = demo.annuity_schedule(1_200_000, 1200, 12)
    assert sum(part for part, _ in schedule) == 1_200_000
    assert len({part + interest for part, interest in schedule[:-1]}) == 1
    assert schedule[0] == (94_619, 12_000)
    assert demo.luhn_digit("7992739871") == "3"
    assert demo.org_code_check("12345678") == "8"
    assert demo.org_code_check("00000001") == "9"


@pytest.mark.slow
def test_full_demo_is_complete_and_consistent(db):
    demo.demo_load(actor="test", size="full")
    assert Debtor.objects.count() == 5000 and Debt.objects.count() == 8000
    assert Debtor.objects.filter(kind=Debtor.Kind.ENTERPRISE).count() == 250
    assert set(BUCKETS[1:]) <= set(Case.objects.values_list("bucket", flat=True))
    mismatched = (
        Case.objects.annotate(
            s=Sum("debts__principal_fen")
            + Sum("debts__interest_fen")
            + Sum("debts__penalty_fen")
            + Sum("debts__fee_fen")
        )
        .exclude(total_balance_fen=F("s"))
        .count()
    )
    assert mismatched == 0

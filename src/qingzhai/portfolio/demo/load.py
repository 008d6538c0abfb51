"""Loading, resetting and fingerprinting the demo; the demo users."""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction

from qingzhai.accounts import services as account_services
from qingzhai.accounts.models import Team, User
from qingzhai.accounts.roles import Role
from qingzhai.core import audit
from qingzhai.core.clock import business_today, business_tz
from qingzhai.portfolio import services as portfolio_services
from qingzhai.portfolio.demo.generate import Generator, Staff
from qingzhai.portfolio.demo.reference import (
    DEFAULT_SEED,
    DEMO_CREDITOR_CODES,
    DEMO_TEAM,
    DEMO_USERS,
    SIZES,
    VIEWER_CREDITOR,
)
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
    ImportJob,
    Instalment,
    Payment,
    Portfolio,
    PromiseToPay,
)

# --- what a load reports ---------------------------------------------------------------------------


@dataclass
class DemoUser:
    username: str
    role: str
    password: str | None  # only when created by this run
    created: bool


@dataclass
class DemoResult:
    already_loaded: bool
    reset: bool
    seed: int
    size: str
    business_date: date
    counts: dict[str, int] = field(default_factory=dict)
    users: list[DemoUser] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def passwords_shown(self) -> bool:
        """True when this run created users and holds their passwords (shown once, never stored)."""
        return any(u.password for u in self.users)


# --- users -------------------------------------------------------------------------------------------


def _ensure_users(*, actor: Any) -> tuple[list[DemoUser], Staff]:
    """Create the demo users that do not exist yet, each with a fresh random password."""
    existing = {u.username: u for u in User.objects.filter(username__in=[u for u, _, _ in DEMO_USERS])}
    rows: list[DemoUser] = []
    team = Team.objects.filter(name=DEMO_TEAM).first()
    for username, role, display in DEMO_USERS:
        user = existing.get(username)
        if user is not None:
            rows.append(DemoUser(username, user.role, None, False))
            continue
        if role == Role.COLLECTOR and team is None:
            team = _team_create(actor=actor, supervisor=existing.get("demo_supervisor"))
        password = secrets.token_urlsafe(12)
        user = account_services.user_create(
            actor=actor,
            username=username,
            role=role.value,
            password=password,
            display_name=display,
            team=team if role == Role.COLLECTOR else None,
        )
        existing[username] = user
        rows.append(DemoUser(username, role.value, password, True))
    if team is None:
        team = _team_create(actor=actor, supervisor=existing["demo_supervisor"])
    collectors = [existing[u] for u, r, _ in DEMO_USERS if r == Role.COLLECTOR]
    return rows, Staff(collectors, existing["demo_legal"], existing["demo_supervisor"], team)


def _team_create(*, actor: Any, supervisor: User | None) -> Team:
    team = Team.objects.create(name=DEMO_TEAM, supervisor=supervisor)
    audit.record(
        actor=actor,
        action="team.create",
        entity=team,
        changes={"name": [None, DEMO_TEAM], "supervisor": [None, supervisor.pk if supervisor else None]},
    )
    return team


# --- load, reset, inspect -----------------------------------------------------------------------------


def demo_is_loaded() -> bool:
    return Creditor.objects.filter(code__in=DEMO_CREDITOR_CODES).exists()


def _delete_demo_data() -> dict[str, int]:
    """Remove everything under the demo creditors (users and their audit trail stay)."""
    creditor_ids = list(Creditor.objects.filter(code__in=DEMO_CREDITOR_CODES).values_list("id", flat=True))
    cases = Case.objects.filter(portfolio__creditor_id__in=creditor_ids)
    deleted = {"cases": cases.count(), "debts": Debt.objects.filter(creditor_id__in=creditor_ids).count()}
    Payment.objects.filter(case__in=cases, reversal_of__isnull=False).delete()
    Payment.objects.filter(case__in=cases).delete()
    Activity.objects.filter(case__in=cases).delete()
    PromiseToPay.objects.filter(case__in=cases).delete()
    CaseStageChange.objects.filter(case__in=cases).delete()
    debts = Debt.objects.filter(creditor_id__in=creditor_ids)
    Instalment.objects.filter(debt__in=debts).delete()
    BucketHistory.objects.filter(debt__in=debts).delete()
    Guarantor.objects.filter(debt__in=debts).delete()
    debts.delete()
    Case.tags.through.objects.filter(case__in=cases).delete()
    cases.delete()
    debtors = Debtor.objects.filter(creditor_id__in=creditor_ids)
    ContactPoint.objects.filter(debtor__in=debtors).delete()
    BankAccount.objects.filter(debtor__in=debtors).delete()
    debtors.delete()
    ImportJob.objects.filter(creditor_id__in=creditor_ids).delete()
    CreditorViewerGrant.objects.filter(creditor_id__in=creditor_ids).delete()
    Portfolio.objects.filter(creditor_id__in=creditor_ids).delete()
    Creditor.objects.filter(id__in=creditor_ids).delete()
    return deleted


@transaction.atomic
def demo_load(
    *,
    actor: Any = "system",
    seed: int = DEFAULT_SEED,
    size: str = "full",
    today: date | None = None,
    reset: bool = False,
) -> DemoResult:
    """Load the demo (or, with `reset`, delete and rebuild it); a loaded demo is left as it is."""
    if size not in SIZES:
        raise ValueError(f"unknown demo size {size!r}; one of {', '.join(SIZES)}")
    started = time.perf_counter()
    today = today or business_today()
    result = DemoResult(already_loaded=False, reset=False, seed=seed, size=size, business_date=today)
    loaded = demo_is_loaded()
    if loaded and not reset:
        result.already_loaded = True
        result.users, _ = _ensure_users(actor=actor)
        return result
    deleted: dict[str, int] = {}
    if loaded:
        deleted = _delete_demo_data()
        result.reset = True
    t_users = time.perf_counter()
    result.users, staff = _ensure_users(actor=actor)
    t_generate = time.perf_counter()
    generator = Generator(seed=seed, size=SIZES[size], today=today, staff=staff)
    generator.build()
    t_insert = time.perf_counter()
    counts = generator.insert()
    viewer = User.objects.get(username="demo_client")
    if viewer.role == Role.CREDITOR_VIEWER:
        portfolio_services.creditor_viewer_grant(actor=actor, user=viewer, creditor_codes=[VIEWER_CREDITOR])
    counts["users"] = sum(1 for u in result.users if u.created)
    result.counts = counts
    audit.record(
        actor=actor,
        action="demo.load",
        entity_type="portfolio.demo",
        entity_id=str(seed),
        changes={
            "seed": seed,
            "size": size,
            "business_date": today.isoformat(),
            "created": counts,
            "deleted": deleted,
        },
        reason="演示数据 demo data",
    )
    done = time.perf_counter()
    result.timings = {
        "reset": round(t_users - started, 3),
        "users": round(t_generate - t_users, 3),
        "generate": round(t_insert - t_generate, 3),
        "pii": round(generator.pii_seconds, 3),
        "insert": round(done - t_insert, 3),
        "total": round(done - started, 3),
    }
    return result


def demo_digest() -> str:
    """SHA-256 over the demo's key fields (no ids, no ciphertexts, no wall-clock stamps)."""
    creditor_filter = {"creditor__code__in": DEMO_CREDITOR_CODES}
    case_filter = {"portfolio__creditor__code__in": DEMO_CREDITOR_CODES}
    case_rows = {"case__portfolio__creditor__code__in": DEMO_CREDITOR_CODES}
    queries: list[Iterable[Sequence[Any]]] = [
        Creditor.objects.filter(code__in=DEMO_CREDITOR_CODES)
        .order_by("code")
        .values_list("code", "name", "kind"),
        Portfolio.objects.filter(**creditor_filter)
        .order_by("creditor__code", "code")
        .values_list("creditor__code", "code", "name", "placement_date", "recall_date"),
        Debtor.objects.filter(**creditor_filter)
        .order_by("id")
        .values_list("kind", "name", "id_number_masked", "home_address_masked", "employer"),
        ContactPoint.objects.filter(debtor__creditor__code__in=DEMO_CREDITOR_CODES)
        .order_by("id")
        .values_list("debtor__name", "party", "name", "relation", "value_masked", "consent", "status"),
        Case.objects.filter(**case_filter)
        .order_by("id")
        .values_list(
            "portfolio__code",
            "debtor__name",
            "assigned_to__username",
            "team__name",
            "stage",
            "next_action_date",
            "total_balance_fen",
            "max_dpd",
            "bucket",
        ),
        Debt.objects.filter(**creditor_filter)
        .order_by("creditor__code", "contract_no")
        .values_list(
            "contract_no",
            "case__debtor__name",
            "product",
            "original_principal_fen",
            "principal_fen",
            "interest_fen",
            "penalty_fen",
            "fee_fen",
            "annual_rate",
            "contract_date",
            "due_date",
            "overdue_since",
            "dpd",
            "bucket",
            "status",
            "allocation_order",
        ),
        Instalment.objects.filter(debt__creditor__code__in=DEMO_CREDITOR_CODES)
        .order_by("debt__contract_no", "seq")
        .values_list("debt__contract_no", "seq", "due_date", "amount_fen", "paid_fen"),
        Payment.objects.filter(**case_rows)
        .order_by("id")
        .values_list(
            "debt__contract_no",
            "amount_fen",
            "paid_on",
            "method",
            "reference",
            "fee_fen",
            "interest_fen",
            "penalty_fen",
            "principal_fen",
            "unapplied_fen",
        ),
        PromiseToPay.objects.filter(**case_rows)
        .order_by("id")
        .values_list("case__debtor__name", "amount_fen", "due_date", "status", "paid_fen", "created_at"),
        Activity.objects.filter(**case_rows)
        .order_by("occurred_at", "id")
        .values_list(
            "case__debtor__name", "kind", "party", "outcome", "occurred_at", "duration_seconds", "note"
        ),
        CaseStageChange.objects.filter(**case_rows)
        .order_by("id")
        .values_list("case__debtor__name", "from_stage", "to_stage", "business_date", "reason"),
    ]
    digest = hashlib.sha256()
    for rows in queries:
        for row in rows:
            digest.update(repr(tuple(_stable(v) for v in row)).encode("utf-8"))
        digest.update(b"\x1e")
    return digest.hexdigest()


def _stable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(business_tz()).isoformat()
    if isinstance(value, date | Decimal):
        return str(value)
    return value

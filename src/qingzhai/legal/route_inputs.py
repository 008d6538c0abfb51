"""Reads that assemble the route advisor's inputs for one case (the advisor itself is `legal/route.py`).

Where each input comes from:
- balance and principal: the case's open debts (principal + interest + penalty + fee);
- p_repay: the latest CaseScore's `probability` (the repayment model's chance of its positive label);
- servable / whereabouts: the debtor's home or work address on file; else a valid phone of the debtor
  (electronic service needs the debtor's consent, CPL art. 90, so only a consenting phone makes the
  debtor servable), unless the debtor's protection record marks them unreachable;
- disputed: an unresolved compliance Dispute on the case;
- limitation_days_left: the earliest expiry among the open debts (`legal.selectors.limitation_input`);
  debts whose due date cannot be told are left out;
- signals: the profile's `new_assets` flag (escrow or pre-sale funds found → escrow_funded; property, a
  vehicle or a new regular income → new_assets), computed only where a legal basis on file covers asset
  investigation; court records (covered by the litigation purpose) where the debtor is the respondent of
  an open enforcement (other creditors enforcing) or the defendant of an open suit (other creditors suing);
- procedure: "small_claims" when the balance is within the small-claims threshold of `province` for the
  year (machines.small_claims; default Shanghai), else "simple"; None (the advisor's default) when the
  data file has no figure for that province and year;
- history: every closed proceeding with an outcome, per kind, withdrawn ones left out (platform-wide); a
  success is an outcome in SUCCESS; the recovery rate is what successful ones recovered (with their
  children, e.g. the enforcement of an effective order) over their claims; mean days half up;
- open_kinds: the case's proceedings not yet closed.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from qingzhai.compliance.models import Dispute
from qingzhai.core.errors import DomainError, NotFound
from qingzhai.legal import limitation as lim
from qingzhai.legal.machines import MachineError, procedure_for
from qingzhai.legal.models import Proceeding
from qingzhai.legal.outcomes import LEFT_OUT, SUCCESS
from qingzhai.legal.route import Advice, Baselines, History, RouteError, RouteInputs, Signal, advise
from qingzhai.legal.selectors import limitation_input
from qingzhai.portfolio.models import Case, ContactPoint, Debt
from qingzhai.portfolio.selectors import case_queryset_for_user
from qingzhai.profiling.flags import evaluate
from qingzhai.profiling.flags.common import split
from qingzhai.profiling.flags.model import FlagSettings
from qingzhai.profiling.selectors import frames_for
from qingzhai.scoring.selectors import latest_score_of

ROUTE_KINDS = ("demand", "payment_order", "suit", "mediation")
DEFAULT_PROVINCE = "上海"


def case_route(
    *, case_id: int | str, user: Any, on: date | None = None, baselines: Baselines | None = None
) -> Advice:
    """The route advice for a case `user` may see (`user=None`: the operator on the server, CLI)."""
    case = case_get(case_id=case_id, user=user)
    try:
        return advise(route_inputs_for(case, on=on), baselines)
    except RouteError as exc:
        raise DomainError(exc.code, exc.zh, exc.en, fields={exc.field: [exc.en]}) from exc


def case_get(*, case_id: int | str, user: Any) -> Case:
    try:
        pk = int(case_id)
    except (TypeError, ValueError) as exc:
        raise _not_found(case_id) from exc
    qs = Case.objects.select_related("debtor", "debtor__protection")
    if user is not None:
        qs = qs.filter(pk__in=case_queryset_for_user(user).values("pk"))
    case = qs.filter(pk=pk).first()
    if case is None:
        raise _not_found(case_id)
    return case


def _not_found(case_id: object) -> NotFound:
    return NotFound(f"案件 {case_id} 不存在或无权查看", f"Case {case_id} not found, or not visible to you")


def route_inputs_for(case: Case, *, on: date | None = None, province: str = DEFAULT_PROVINCE) -> RouteInputs:
    """The advisor's inputs for `case` as of `on` (today, Shanghai time, by default)."""
    on = on or timezone.localdate()
    debts = list(Debt.objects.filter(case=case, status=Debt.Status.OPEN).order_by("id"))
    balance = sum(d.balance_fen for d in debts)
    servable, known = _reach(case)
    score = latest_score_of(case)
    return RouteInputs(
        balance_fen=balance,
        principal_fen=sum(d.principal_fen for d in debts),
        p_repay=float(score.probability) if score is not None else None,
        debtor_kind=case.debtor.kind,
        servable=servable,
        whereabouts_known=known,
        disputed=Dispute.objects.filter(case=case, resolved_at__isnull=True).exists(),
        limitation_days_left=_days_left(debts, on),
        on=on,
        procedure=_procedure(balance, province, on.year),
        signals=profile_signals(case.debtor_id, on),
        history=history(),
        open_kinds=tuple(
            sorted(
                set(
                    Proceeding.objects.filter(case=case, closed_on__isnull=True).values_list(
                        "kind", flat=True
                    )
                )
            )
        ),
    )


def _procedure(balance_fen: int, province: str, year: int) -> str | None:
    if balance_fen <= 0:
        return None
    try:
        found = procedure_for(balance_fen, province, year)
    except MachineError:
        return None
    return "small_claims" if found == "small_claims" else "simple"


def _reach(case: Case) -> tuple[bool, bool]:
    """(servable, whereabouts known) from the debtor's addresses and valid phones."""
    debtor = case.debtor
    protection = getattr(debtor, "protection", None)
    unreachable = bool(protection and protection.unreachable)
    address = bool(debtor.home_address_enc or debtor.work_address_enc)
    phones = ContactPoint.objects.filter(
        debtor=debtor, party=ContactPoint.Party.DEBTOR, status=ContactPoint.Status.VALID
    ).values_list("consent", flat=True)
    consents = list(phones)
    reachable = bool(consents) and not unreachable
    return address or (reachable and any(consents)), address or reachable


def _days_left(debts: list[Debt], on: date) -> int | None:
    found = []
    for debt in debts:
        try:
            terms, events = limitation_input(debt)
            found.append(lim.limitation(terms, events, as_of=on).days_left)
        except lim.LimitationError:
            continue
    return min(found) if found else None


def history() -> dict[str, History]:
    """Our own closed proceedings with an outcome, per route kind (platform-wide)."""
    children = (
        Proceeding.objects.filter(parent=OuterRef("pk"))
        .order_by()
        .values("parent")
        .annotate(total=Sum("recovered_fen"))
        .values("total")
    )
    rows = (
        Proceeding.objects.filter(kind__in=ROUTE_KINDS, closed_on__isnull=False)
        .exclude(outcome__in=LEFT_OUT)
        .annotate(child_fen=Coalesce(Subquery(children), 0))
        .values("kind", "outcome")
        .annotate(
            n=Count("id"),
            span=Sum(F("closed_on") - F("opened_on")),
            claim=Sum("claim_fen"),
            recovered=Sum(F("recovered_fen") + F("child_fen")),
        )
        .order_by()
    )
    acc: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])  # n, wins, days, claim, recovered
    for row in rows:
        a = acc[row["kind"]]
        a[0] += row["n"]
        a[2] += _days(row["span"])
        if row["outcome"] in SUCCESS[row["kind"]]:
            a[1] += row["n"]
            a[3] += row["claim"] or 0
            a[4] += row["recovered"] or 0
    return {
        kind: History(
            n=n,
            success_rate=round(wins / n, 4),
            mean_days=(2 * days + n) // (2 * n),  # half up
            recovery_rate=round(min(recovered / claim, 1.0), 4) if claim else 0.0,
        )
        for kind, (n, wins, days, claim, recovered) in sorted(acc.items())
    }


def _days(span: object) -> int:
    """Summed (closed_on - opened_on): a timedelta on every backend Django supports, else whole days."""
    if isinstance(span, timedelta):
        return span.days
    return span if isinstance(span, int) else 0


def profile_signals(debtor_id: int, on: date) -> tuple[Signal, ...]:
    """Act-now signals from the debtor's profile, within the purposes its legal bases cover."""
    frames = frames_for([debtor_id], as_of=on)
    out: list[Signal] = []
    flags = evaluate(frames, settings=FlagSettings(enabled=("new_assets",)), debtor_ids=[debtor_id])
    for flag in flags.get(debtor_id, []):
        items = flag.facts.get("items", [])
        escrow = [i for i in items if i["type"] == "escrow"]
        assets = [i for i in items if i["type"] != "escrow"]
        if escrow:
            out.append(
                Signal(
                    "escrow_funded",
                    "画像发现债务人的预售资金或监管账户有资金（逾期后）",
                    "The profile found escrow or pre-sale funds of the debtor (after default)",
                    "; ".join(_item(i) for i in escrow),
                    "high",
                )
            )
        if assets:
            out.append(
                Signal(
                    "new_assets",
                    "画像发现债务逾期后新增的财产线索",
                    "The profile found new assets acquired after default",
                    "; ".join(_item(i) for i in assets),
                    "high" if any(i["type"] == "property" for i in assets) else "medium",
                )
            )
    if "litigation" in frames.purposes.get(debtor_id, frozenset()):
        out.extend(_court_signals(split(frames, [debtor_id])[debtor_id].record("court")))
    return tuple(out)


def _item(item: dict[str, Any]) -> str:
    if item["type"] == "escrow" and "company" in item:
        return f"escrow: {item['company']} (business record, source {item['record']['source_id']})"
    if item["type"] == "escrow":
        return f"escrow: {item['count']} transactions, {item['total_fen']} fen"
    if item["type"] == "salary":
        return f"salary from {item['counterparty']} {item['from']}..{item['to']}"
    return f"{item['type']} {item['asset']} acquired {item['date']}"


def _court_signals(rows: list[dict[str, Any]]) -> list[Signal]:
    """Open enforcement against the debtor and open suits against it, one row per (type, case number)."""
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for r in sorted(rows, key=lambda r: (r["filed_on"] or date.min, r["source_id"] or 0, r["row"] or 0)):
        latest[(r["record_type"], r["case_no"])] = r
    open_rows = [r for r in latest.values() if r["status"] == "open"]
    enforcing = sorted(
        r["case_no"] for r in open_rows if (r["record_type"], r["role"]) == ("enforcement", "respondent")
    )
    suing = sorted(r["case_no"] for r in open_rows if (r["record_type"], r["role"]) == ("suit", "defendant"))
    out = []
    if enforcing:
        out.append(
            Signal(
                "other_creditors_enforcing",
                f"其他债权人正在对债务人强制执行（{len(enforcing)} 件）",
                f"Other creditors are enforcing against the debtor ({len(enforcing)} cases)",
                "court records: " + ", ".join(enforcing),
                "high",
            )
        )
    if suing:
        out.append(
            Signal(
                "other_creditors_suing",
                f"其他债权人正在起诉债务人（{len(suing)} 件）",
                f"Other creditors are suing the debtor ({len(suing)} cases)",
                "court records: " + ", ".join(suing),
                "low",
            )
        )
    return out

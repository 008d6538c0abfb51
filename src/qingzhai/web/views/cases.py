"""The case page and its actions (log a contact, promise, payment, stage, next action date, reveal), with
the compliance parts (the gate check before a contact, the sentence check, protections, disputes) from
`compliance.views`. A contact is logged through the compliance gate: a refused one is shown with its rules and
not logged.

Every action is a plain form POST that also works through htmx: with htmx the answer is the re-rendered
case body (or just the revealed field); without it, a redirect after success and the whole page with
the errors otherwise."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from qingzhai.accounts import roles
from qingzhai.compliance.forms import ContactLogForm
from qingzhai.compliance.models import ContactDecision
from qingzhai.compliance.services import ContactDenied, contact_log
from qingzhai.compliance.views.panel import compliance_case_context
from qingzhai.core import audit
from qingzhai.core.clock import business_today
from qingzhai.core.errors import DomainError, NotFound
from qingzhai.core.i18n import bi
from qingzhai.core.money import format_fen
from qingzhai.portfolio import services
from qingzhai.portfolio.models import Case
from qingzhai.portfolio.selectors import case_detail, case_timeline
from qingzhai.scoring.views import case_panel_context
from qingzhai.web.forms import (
    NextActionForm,
    PaymentForm,
    PromiseForm,
    RevealForm,
    StageForm,
    add_domain_error,
)
from qingzhai.web.labels import label
from qingzhai.web.templatetags.qz import stage_label
from qingzhai.web.views.common import is_htmx, no_store, page, see_other


def _pii_items(case: Case, revealed: dict[tuple[str, int, str], str]) -> dict[str, Any]:
    """The personal fields the page shows, masked unless revealed in this very answer."""
    debtor = case.debtor

    def item(kind: str, obj: Any, attr: str, masked: str, name: str) -> dict[str, Any]:
        return {
            "kind": kind,
            "object_id": obj.pk,
            "attr": attr,
            "masked": masked,
            "label": name,
            "dom_id": f"pii-{kind}-{obj.pk}-{attr}",
            "revealed": revealed.get((kind, obj.pk, attr)),
        }

    debtor_items = [
        item("debtor", debtor, attr, getattr(debtor, f"{attr}_masked"), label("pii_attr", attr))
        for attr in ("id_number", "home_address", "work_address")
        if getattr(debtor, f"{attr}_masked")
    ]
    phones = [
        {
            "cp": cp,
            "pii": item("contact_point", cp, "value", cp.value_masked, label("pii_attr", "value")),
        }
        for cp in debtor.contact_points.all()
    ]
    return {"debtor_pii": debtor_items, "phones": phones}


def case_context(
    request: HttpRequest,
    case: Case,
    *,
    bound: dict[str, forms.Form] | None = None,
    revealed: dict[tuple[str, int, str], str] | None = None,
    notice: str = "",
    denial: ContactDecision | None = None,
    compliance: dict[str, Any] | None = None,
    open_panel: str = "",
) -> dict[str, Any]:
    """Everything the case page shows. `bound` holds forms to show as submitted (with their errors),
    `compliance` the compliance parts to show (see `compliance_case_context`)."""
    user = request.user
    bound = bound or {}
    debts = list(case.debts.all())
    contact_points = list(case.debtor.contact_points.all())
    totals = {
        part: sum(getattr(d, f"{part}_fen") for d in debts)
        for part in ("principal", "interest", "penalty", "fee")
    }
    open_panel = open_panel or next(iter(bound), "activity")
    context: dict[str, Any] = {
        "case": case,
        "debtor": case.debtor,
        "debts": debts,
        "totals": totals,
        "timeline": case_timeline(case=case),
        "today": business_today(),
        "can_work": user.can(roles.WORK_CASE),  # type: ignore[union-attr]
        "can_stage": user.can(roles.CHANGE_STAGE),  # type: ignore[union-attr]
        "can_reveal": user.can(roles.REVEAL_PII),  # type: ignore[union-attr]
        "open_panel": open_panel,
        "notice": notice,
        "denial": denial,
        "activity_form": bound.get("activity") or ContactLogForm(contact_points=contact_points),
        "promise_form": bound.get("promise") or PromiseForm(),
        "payment_form": bound.get("payment") or PaymentForm(debts=debts),
        "stage_form": bound.get("stage") or StageForm(current=case.stage),
        "next_action_form": bound.get("next_action")
        or NextActionForm(
            initial={"next_action_date": case.next_action_date.isoformat() if case.next_action_date else ""}
        ),
    }
    context.update(_pii_items(case, revealed or {}))
    context.update(compliance_case_context(request, case, contact_points, **(compliance or {})))
    context.update(case_panel_context(request, case))
    return context


@page()
def case_page(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_detail(user=request.user, case_id=pk)
    return render(request, "web/case/case.html", case_context(request, case))


def _done(request: HttpRequest, pk: int, notice: str) -> HttpResponse:
    if is_htmx(request):
        case = case_detail(user=request.user, case_id=pk)
        return render(request, "web/case/_body.html", case_context(request, case, notice=notice))
    messages.success(request, notice)
    return see_other(reverse("web:case", args=[pk]))


def _failed(request: HttpRequest, case: Case, panel: str, form: forms.Form, status: int) -> HttpResponse:
    template = "web/case/_body.html" if is_htmx(request) else "web/case/case.html"
    return render(request, template, case_context(request, case, bound={panel: form}), status=status)


def _act(
    request: HttpRequest,
    pk: int,
    panel: str,
    make_form: Callable[[Case], forms.Form],
    perform: Callable[[Case, dict[str, Any]], str],
) -> HttpResponse:
    """Validate the panel's form, call the service, answer success or the form with its errors."""
    case = case_detail(user=request.user, case_id=pk)
    form = make_form(case)
    status = 400
    if form.is_valid():
        try:
            with audit.source("web"):
                notice = perform(case, form.cleaned_data)
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            add_domain_error(form, exc)
            status = exc.status
        else:
            return _done(request, case.pk, notice)
    return _failed(request, case, panel, form, status)


def _with_quick_outcome(request: HttpRequest) -> Any:
    """A one-click outcome button sends `quick`; it wins over the drop-down."""
    data = request.POST.copy()
    quick = data.get("quick")
    if quick:
        data.setlist("outcome", [str(quick)])
    return data


@require_POST
@page(roles.WORK_CASE)
def case_activity(request: HttpRequest, pk: int) -> HttpResponse:
    """Log a contact through the compliance gate: with the clearance asked for just before
    (`decision_id`), or the gate is asked now for the time it happened. A refusal is shown with its rules
    and their legal basis, and nothing is logged."""
    case = case_detail(user=request.user, case_id=pk)
    form = ContactLogForm(_with_quick_outcome(request), contact_points=case.debtor.contact_points.all())
    status = 400
    denial = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            with audit.source("web"):
                contact_log(
                    actor=request.user,
                    case_id=case.pk,
                    kind=data["kind"],
                    outcome=data["outcome"],
                    party=data["party"],
                    note=data["note"],
                    contact_point_id=data["contact_point"],
                    occurred_at=data["occurred_at"],
                    decision_id=data["decision_id"],
                )
        except ContactDenied as exc:
            denial, status = exc.decision, exc.status
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            add_domain_error(form, exc)
            status = exc.status
        else:
            notice = bi(
                "已记录：{k} · {o}",
                "Logged: {k} · {o}",
                k=label("activity_kind", data["kind"]),
                o=label("outcome", data["outcome"]),
            )
            return _done(request, case.pk, notice)
    template = "web/case/_body.html" if is_htmx(request) else "web/case/case.html"
    context = case_context(request, case, bound={"activity": form}, denial=denial)
    return render(request, template, context, status=status)


@require_POST
@page(roles.WORK_CASE)
def case_promise(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(case: Case, data: dict[str, Any]) -> str:
        promise = services.promise_create(
            actor=request.user,
            case_id=case.pk,
            amount_fen=data["amount"],
            due_date=data["due_date"],
            note=data["note"],
        )
        return bi(
            "已记录承诺还款 {a}，日期 {d}",
            "Promise recorded: {a} on {d}",
            a=format_fen(promise.amount_fen),
            d=promise.due_date.isoformat(),
        )

    return _act(request, pk, "promise", lambda case: PromiseForm(request.POST), perform)


@require_POST
@page(roles.WORK_CASE)
def case_payment(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(case: Case, data: dict[str, Any]) -> str:
        payment = services.payment_record(
            actor=request.user,
            debt_id=data["debt"],
            amount_fen=data["amount"],
            paid_on=data["paid_on"],
            method=data["method"],
            reference=data["reference"].strip(),
            note=data["note"],
        )
        return bi("已登记还款 {a}", "Payment recorded: {a}", a=format_fen(payment.amount_fen))

    return _act(
        request,
        pk,
        "payment",
        lambda case: PaymentForm(request.POST, debts=case.debts.all()),
        perform,
    )


@require_POST
@page(roles.CHANGE_STAGE)
def case_stage(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(case: Case, data: dict[str, Any]) -> str:
        changed = services.case_change_stage(
            actor=request.user, case_id=case.pk, to_stage=data["to_stage"], reason=data["reason"]
        )
        return bi("阶段已变更为「{s}」", "Stage changed to {s}", s=stage_label(changed.stage))

    return _act(request, pk, "stage", lambda case: StageForm(request.POST, current=case.stage), perform)


@require_POST
@page(roles.WORK_CASE)
def case_next_action(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(case: Case, data: dict[str, Any]) -> str:
        day = data["next_action_date"]
        services.case_set_next_action(actor=request.user, case_id=case.pk, next_action_date=day)
        if day is None:
            return bi("已清除下次行动日", "Next action date cleared")
        return bi("下次行动日：{d}", "Next action date: {d}", d=day.isoformat())

    return _act(request, pk, "next_action", lambda case: NextActionForm(request.POST), perform)


@require_POST
@page(roles.REVEAL_PII)
def case_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one masked field in plain text, once, with a stated reason; the service audits it."""
    case = case_detail(user=request.user, case_id=pk)
    form = RevealForm(request.POST)
    context = case_context(request, case)
    items = context["debtor_pii"] + [p["pii"] for p in context["phones"]]
    wanted = None
    if form.is_valid():
        key = (form.cleaned_data["kind"], form.cleaned_data["object_id"], form.cleaned_data["attr"])
        wanted = next((i for i in items if (i["kind"], i["object_id"], i["attr"]) == key), None)
        if wanted is None:
            raise NotFound()
        try:
            with audit.source("web"):
                value = services.pii_reveal(
                    actor=request.user,
                    kind=key[0],
                    object_id=key[1],
                    attr=key[2],
                    reason=form.cleaned_data["reason"],
                )
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            add_domain_error(form, exc)
        else:
            if is_htmx(request):
                return no_store(
                    render(request, "web/case/_pii.html", {"item": {**wanted, "revealed": value}})
                )
            full = case_context(request, case, revealed={key: value})
            return no_store(render(request, "web/case/case.html", full))
    if is_htmx(request) and wanted is None:
        # The form named no field of this case: try to find the one it meant to show its errors there.
        raw = (request.POST.get("kind"), request.POST.get("object_id"), request.POST.get("attr"))
        wanted = next((i for i in items if (i["kind"], str(i["object_id"]), i["attr"]) == raw), None)
    if is_htmx(request) and wanted is not None:
        return render(
            request,
            "web/case/_pii.html",
            {"item": wanted, "reveal_form": form, "can_reveal": True, "case": case},
            status=400,
        )
    context["reveal_error"] = form
    return render(request, "web/case/case.html", context, status=400)

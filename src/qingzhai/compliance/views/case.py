"""Compliance actions on the case page: ask the gate before a contact, check a sentence before saying it,
record the debtor's protections, open and resolve disputes.

With htmx each answers the part of the page it changes; without it, the whole case page (or a redirect
after a change)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from qingzhai.accounts import roles
from qingzhai.compliance.forms import (
    ClearForm,
    DisputeOpenForm,
    DisputeResolveForm,
    ProtectionForm,
    UtteranceForm,
)
from qingzhai.compliance.models import Dispute
from qingzhai.compliance.services import (
    contact_clear,
    dispute_open,
    dispute_resolve,
    protection_set,
    utterance_record,
)
from qingzhai.compliance.views.panel import activity_form_for
from qingzhai.core import audit
from qingzhai.core.errors import AccessDenied, DomainError, NotFound
from qingzhai.core.i18n import bi
from qingzhai.portfolio.models import Case
from qingzhai.portfolio.selectors import case_detail
from qingzhai.web.forms import add_domain_error
from qingzhai.web.views.cases import case_context
from qingzhai.web.views.common import is_htmx, page, see_other


def _attempt(form: forms.Form, perform: Any) -> tuple[Any, int]:
    """Run the service when the form is valid: (its result, 200), or (None, error status) with the
    refusal shown on the form. Access refusals go on to the error page."""
    if not form.is_valid():
        return None, 400
    try:
        with audit.source("web"):
            return perform(form.cleaned_data), 200
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        add_domain_error(form, exc)
        return None, exc.status


def _whole_page(request: HttpRequest, case: Case, status: int, open_panel: str, **parts: Any) -> HttpResponse:
    context = case_context(request, case, compliance=parts, open_panel=open_panel)
    return render(request, "web/case/case.html", context, status=status)


@require_POST
@page(roles.WORK_CASE)
def case_clear(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask the gate whether a contact may be made now. An allowed answer's clearance goes into the log form,
    so that the contact logged right after uses it."""
    case = case_detail(user=request.user, case_id=pk)
    points = list(case.debtor.contact_points.all())
    form = ClearForm(request.POST, contact_points=points)
    decision, status = _attempt(
        form,
        lambda data: contact_clear(
            actor=request.user,
            case_id=case.pk,
            kind=data["channel"],
            party=data["party"],
            contact_point_id=data["contact_point"],
        ),
    )
    activity_form = activity_form_for(points, decision) if decision is not None and decision.allowed else None
    if is_htmx(request):
        context = {
            "case": case,
            "clear_form": form,
            "clear_decision": decision,
            "can_view_compliance": request.user.can(roles.COMPLIANCE_VIEW),  # type: ignore[union-attr]
            "activity_form": activity_form,
            "oob_activity": activity_form is not None,
        }
        return render(request, "compliance/case/_clear.html", context, status=status)
    context = case_context(
        request,
        case,
        bound={"activity": activity_form} if activity_form is not None else None,
        compliance={"clear_form": form, "clear_decision": decision},
        open_panel="activity",
    )
    return render(request, "web/case/case.html", context, status=status)


@require_POST
@page(roles.WORK_CASE)
def case_utterance(request: HttpRequest, pk: int) -> HttpResponse:
    """Screen a sentence the collector is about to say; a violation is marked in place and raises an alert
    for supervisors."""
    case = case_detail(user=request.user, case_id=pk)
    form = UtteranceForm(request.POST)
    utterance, status = _attempt(
        form, lambda data: utterance_record(actor=request.user, case_id=case.pk, text=data["text"])
    )
    shown_form = UtteranceForm() if utterance is not None else form
    if is_htmx(request):
        context = {"case": case, "utterance_form": shown_form, "utterance": utterance}
        return render(request, "compliance/case/_utterance.html", context, status=status)
    return _whole_page(request, case, status, "utterance", utterance_form=shown_form, utterance=utterance)


def _panel_done(request: HttpRequest, case_id: int, notice: str) -> HttpResponse:
    if is_htmx(request):
        case = case_detail(user=request.user, case_id=case_id)
        context = case_context(request, case, compliance={"panel_notice": notice})
        return render(request, "compliance/case/_panel.html", context)
    messages.success(request, notice)
    return see_other(reverse("web:case", args=[case_id]))


def _panel_failed(request: HttpRequest, case: Case, status: int, **parts: Any) -> HttpResponse:
    if is_htmx(request):
        context = case_context(request, case, compliance=parts)
        return render(request, "compliance/case/_panel.html", context, status=status)
    return _whole_page(request, case, status, "compliance", **parts)


@require_POST
@page()
def case_protection(request: HttpRequest, pk: int) -> HttpResponse:
    """Record what protects the debtor. Collectors record what the debtor states (channels refused, agreed
    contact times, a lawyer); the other facts need compliance.protection."""
    user: Any = request.user
    if not user.can(roles.WORK_CASE) and not user.can(roles.PROTECTION_SET):
        raise AccessDenied()
    case = case_detail(user=user, case_id=pk)
    form = ProtectionForm(request.POST, full=user.can(roles.PROTECTION_SET))
    done, status = _attempt(
        form,
        lambda data: protection_set(actor=user, case_id=case.pk, reason=data["reason"], **form.changes()),
    )
    if done is not None:
        return _panel_done(request, case.pk, bi("已更新保护事项", "Protections updated"))
    return _panel_failed(request, case, status, protection_form=form)


@require_POST
@page(roles.WORK_CASE)
def case_dispute_open(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_detail(user=request.user, case_id=pk)
    form = DisputeOpenForm(request.POST)
    done, status = _attempt(
        form, lambda data: dispute_open(actor=request.user, case_id=case.pk, reason=data["reason"])
    )
    if done is not None:
        return _panel_done(
            request,
            case.pk,
            bi("已登记异议；异议解决前不得催收", "Dispute recorded; no collection until it is resolved"),
        )
    return _panel_failed(request, case, status, dispute_form=form)


@require_POST
@page(roles.PROTECTION_SET)
def dispute_resolve_view(request: HttpRequest, pk: int) -> HttpResponse:
    case_id = Dispute.objects.filter(pk=pk).values_list("case_id", flat=True).first()
    if case_id is None:
        raise NotFound()
    case = case_detail(user=request.user, case_id=case_id)
    form = DisputeResolveForm(request.POST)
    done, status = _attempt(
        form, lambda data: dispute_resolve(actor=request.user, dispute_id=pk, resolution=data["resolution"])
    )
    if done is not None:
        return _panel_done(request, case.pk, bi("异议已解决", "Dispute resolved"))
    return _panel_failed(request, case, status, resolve_form=form)

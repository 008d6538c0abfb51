"""One case's legal page: the route advisor, the proceedings with their history and deadlines (and the
forms to open one and record its next event), fees, interest and limitation per debt, court documents.

Seeing needs legal.view and the case visible to the user (404 otherwise); writing needs legal.manage;
downloading a document also needs pii.reveal (documents carry personal data). Forms post with htmx and
get the re-rendered page body back (errors inline, in the user's language); without htmx, a redirect
after success and the whole page with the errors otherwise."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from qingzhai.accounts import roles
from qingzhai.core.errors import AccessDenied, DomainError
from qingzhai.core.i18n import bi
from qingzhai.legal.selectors import debt_limitation
from qingzhai.legal.selectors.proceedings import case_legal, proceeding_get
from qingzhai.legal.services import documents as document_service
from qingzhai.legal.services.proceedings import proceeding_open, proceeding_transition
from qingzhai.legal.views.common import (
    LIMITATION_STATUS,
    deadline_row,
    event_text,
    pick,
    proceeding_row,
    state_text,
    web_action,
)
from qingzhai.legal.views.forms import DocumentForm, EventForm, OpenForm
from qingzhai.legal.views.route import route_context
from qingzhai.portfolio.selectors import case_get_for_user
from qingzhai.web.forms import add_domain_error
from qingzhai.web.views.common import is_htmx, no_store, page, see_other

FEES = (
    ("acceptance", ("案件受理费", "Acceptance fee")),
    (
        "acceptance_halved",
        ("减半收取的受理费（简易程序、调解、撤诉）", "Acceptance fee halved (simple, mediated, withdrawn)"),
    ),
    ("payment_order", ("支付令申请费", "Payment-order fee")),
    ("enforcement", ("执行申请费", "Enforcement fee")),
    ("preservation", ("财产保全申请费", "Preservation fee")),
)


def _event_rows(p: Any) -> list[dict[str, Any]]:
    return [
        {
            "e": e,
            "label": event_text(p.kind, e.event),
            "from": state_text(p.kind, e.from_state),
            "to": state_text(p.kind, e.to_state),
            "actor": e.actor.label if e.actor else bi("系统", "System"),
            "facts": sorted((e.facts or {}).items()),
        }
        for e in p.events.all()
    ]


def _limitations(user: Any, debts: list[Any]) -> list[dict[str, Any]]:
    out = []
    for figures in debts:
        row: dict[str, Any] = {"debt": figures.debt, "result": None, "error": ""}
        try:
            row["result"] = debt_limitation(debt_id=figures.debt.pk, user=user).result
            row["status"] = pick(LIMITATION_STATUS, row["result"].status)
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            row["error"] = exc.message
        out.append(row)
    return out


def case_context(
    request: HttpRequest, case_id: int, *, bound: dict[str, forms.Form] | None = None, notice: str = ""
) -> dict[str, Any]:
    user: Any = request.user
    bound = bound or {}
    legal = case_legal(user=user, case_id=case_id)
    today = legal.as_of
    can_manage = user.can(roles.LEGAL_MANAGE)
    proceedings = []
    for p in legal.proceedings:
        form: EventForm | None = None
        if can_manage and not p.outcome:
            form = bound.get(f"event-{p.pk}") or EventForm(proceeding=p)  # type: ignore[assignment]
            if form is not None and not form.specs:
                form = None
        proceedings.append(
            {
                **proceeding_row(p),
                "events": _event_rows(p),
                "deadlines": [deadline_row(d, today) for d in p.deadlines.all()] if today else [],
                "form": form,
            }
        )
    fees = [{"code": code, "label": bi(*pair), "fen": legal.fees.get(code)} for code, pair in FEES]
    context: dict[str, Any] = {
        "legal": legal,
        "case": legal.case,
        "today": today,
        "proceedings": proceedings,
        "fees": fees if legal.fees else [],
        "limitations": _limitations(user, legal.debts),
        "can_manage": can_manage,
        "can_download": user.can(roles.REVEAL_PII),
        "open_form": bound.get("open") or (OpenForm() if can_manage else None),
        "document_form": bound.get("document")
        or (DocumentForm(proceedings=legal.proceedings) if can_manage else None),
        "notice": notice,
        **route_context(user, legal.case.pk),
    }
    return context


@page(roles.LEGAL_VIEW)
def case_page(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "legal/case.html", case_context(request, pk))


def _done(request: HttpRequest, pk: int, notice: str) -> HttpResponse:
    if is_htmx(request):
        return render(request, "legal/case/_body.html", case_context(request, pk, notice=notice))
    messages.success(request, notice)
    return see_other(reverse("legal:case", args=[pk]))


def _failed(request: HttpRequest, pk: int, key: str, form: forms.Form, status: int) -> HttpResponse:
    template = "legal/case/_body.html" if is_htmx(request) else "legal/case.html"
    return render(request, template, case_context(request, pk, bound={key: form}), status=status)


def _refused(form: forms.Form, exc: DomainError) -> int:
    if exc.status in (403, 404):
        raise exc
    if "on" in exc.fields and "business_date" in form.fields:  # the engine names the event's date "on"
        form.add_error("business_date", exc.message)
    else:
        add_domain_error(form, exc)
    return exc.status


@require_POST
@page(roles.LEGAL_MANAGE)
def open_proceeding(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get_for_user(user=request.user, case_id=pk)
    form = OpenForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            with web_action():
                proceeding = proceeding_open(
                    actor=request.user,
                    case_id=case.pk,
                    kind=data["kind"],
                    on=data["business_date"],
                    court=data["court"],
                    court_case_no=data["court_case_no"],
                    claim_fen=data["claim"],
                    note=data["note"],
                )
        except DomainError as exc:
            status = _refused(form, exc)
        else:
            row = proceeding_row(proceeding)
            return _done(
                request, case.pk, bi("已开启：{k} #{n}", "Opened: {k} #{n}", k=row["kind"], n=proceeding.pk)
            )
    return _failed(request, case.pk, "open", form, status)


@require_POST
@page(roles.LEGAL_MANAGE)
def record_event(request: HttpRequest, pk: int) -> HttpResponse:
    proceeding = proceeding_get(user=request.user, proceeding_id=pk)
    form = EventForm(request.POST, proceeding=proceeding)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            with web_action():
                done = proceeding_transition(
                    actor=request.user,
                    proceeding_id=proceeding.pk,
                    event=data["event"],
                    on=data["business_date"],
                    facts=form.facts(),
                    note=data["note"],
                )
        except DomainError as exc:
            status = _refused(form, exc)
        else:
            notice = bi(
                "已记录：{e}，现为「{s}」",
                "Recorded: {e}; now “{s}”",
                e=event_text(done.kind, data["event"]),
                s=state_text(done.kind, done.state),
            )
            return _done(request, proceeding.case_id, notice)
    return _failed(request, proceeding.case_id, f"event-{proceeding.pk}", form, status)


@require_POST
@page(roles.LEGAL_MANAGE)
def generate_document(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get_for_user(user=request.user, case_id=pk)
    form = DocumentForm(request.POST, proceedings=list(case.proceedings.all()))
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            with web_action():
                document, _content = document_service.document_generate(
                    case_id=case.pk,
                    kind=data["kind"],
                    fmt=data["fmt"],
                    actor=request.user,
                    court=data["court"] or None,
                    proceeding_id=data["proceeding"],
                    user=request.user,
                )
        except DomainError as exc:
            status = _refused(form, exc)
        else:
            return _done(request, case.pk, bi("已生成：{t}", "Generated: {t}", t=document.title))
    return _failed(request, case.pk, "document", form, status)


@page(roles.LEGAL_VIEW)
def download_document(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.can(roles.REVEAL_PII):  # type: ignore[union-attr]
        raise AccessDenied(
            "文书含个人信息，需要查看个人信息的权限", "Documents carry personal data: pii.reveal is needed"
        )
    with web_action():
        document, content = document_service.document_bytes(document_id=pk, user=request.user)
    response = HttpResponse(content, content_type=document.media_type)
    response["Content-Disposition"] = content_disposition_header(True, document.filename) or "attachment"
    return no_store(response)

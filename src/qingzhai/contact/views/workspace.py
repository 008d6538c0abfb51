"""The collector's workspace: the next-best-case queue, and one screen per case with the profile summary, the
balances, the script's suggested line (the dialog engine in assist mode), live compliance warnings on what
the collector is about to say, one-click call outcomes and callbacks.

The script assistant is stateless: the debtor's lines typed so far travel with each request as hidden
`heard` inputs and the conversation is replayed through the engine (see
`contact.selectors.workspace.script_assist`); a reload starts the script over. Every action is a plain form
POST that also works through htmx (then the answer is the fragment it changes)."""

from __future__ import annotations

from datetime import time
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_POST

from qingzhai.accounts import roles
from qingzhai.compliance.monitor import screen as screen_text
from qingzhai.compliance.services import ContactDenied
from qingzhai.compliance.services.screening import MAX_TEXT, violation_dict
from qingzhai.contact.selectors import workspace as ws
from qingzhai.contact.services import workspace as services
from qingzhai.core import audit
from qingzhai.core.clock import business_today
from qingzhai.core.errors import DomainError
from qingzhai.core.i18n import bi
from qingzhai.core.money import format_fen
from qingzhai.portfolio.selectors import case_get_for_user
from qingzhai.web.forms import AmountField, BizDateField, add_domain_error
from qingzhai.web.labels import label
from qingzhai.web.views.common import is_htmx, page, see_other

EMOTION_LABELS = {
    "calm": ("平静", "Calm"),
    "cooperative": ("配合", "Cooperative"),
    "anxious": ("焦虑", "Anxious"),
    "angry": ("愤怒", "Angry"),
    "sad": ("低落", "Sad"),
}
BRANCH_LABELS = {
    "standard": ("标准", "Standard"),
    "soothing": ("安抚", "Soothing"),
    "deescalation": ("降温", "De-escalation"),
    "hardship": ("困难关怀", "Hardship"),
}
SCRIPT_OUTCOME = {  # the script's end → the one-click outcome it suggests
    "promise": "promise",
    "dispute": "dispute",
    "wrong_number": "wrong_number",
    "refused": "refused",
    "already_paid": "paid",
    "hardship": "connected",
    "handover": "connected",
}


def pair_label(table: dict[str, tuple[str, str]], value: str) -> str:
    pair = table.get(value)
    return bi(*pair) if pair else value


# --- forms ------------------------------------------------------------------------------------------


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(choices=[(o, o) for o in services.OUTCOMES])
    contact_point = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    note = forms.CharField(required=False, max_length=services.MAX_NOTE)
    amount = AmountField(required=False)
    due_date = BizDateField(required=False)

    def __init__(self, *args: Any, contact_points: Any = (), **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "out_%s")
        super().__init__(*args, **kwargs)
        points = list(contact_points)
        field = self.fields["contact_point"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "—")] + [(str(cp.pk), cp.value_masked) for cp in points]
        field.label = bi("拨打的号码", "Number dialled")
        self.fields["note"].label = bi("备注", "Note")
        self.fields["amount"].label = bi("承诺金额（元）", "Amount (¥)")
        self.fields["due_date"].label = bi("承诺日期", "Promised date")
        self.fields["outcome"].label = bi("结果", "Outcome")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == "promise":
            if not data.get("amount") and "amount" not in self.errors:
                self.add_error("amount", bi("承诺还款须填写金额", "A promise needs an amount"))
            if not data.get("due_date") and "due_date" not in self.errors:
                self.add_error("due_date", bi("承诺还款须填写日期", "A promise needs a date"))
        return data


class CallbackForm(forms.Form):
    on = BizDateField()
    at_time = forms.TimeField(required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    note = forms.CharField(required=False, max_length=services.MAX_NOTE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "cb_%s")
        super().__init__(*args, **kwargs)
        self.fields["on"].label = bi("回电日期", "Callback date")
        self.fields["at_time"].label = bi("时间（可选）", "Time (optional)")
        self.fields["at_time"].error_messages["invalid"] = bi("时间格式如 15:30", "A time such as 15:30")
        self.fields["note"].label = bi("约定内容", "What was agreed")


class DraftForm(forms.Form):
    text = forms.CharField(required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2}))


# --- pieces -----------------------------------------------------------------------------------------


def _heard(request: HttpRequest) -> list[str]:
    return [line for line in request.POST.getlist("heard") if line.strip()][: ws.MAX_HEARD]


def _assist_context(assist: ws.Assist) -> dict[str, Any]:
    for turn in assist.turns:
        turn.emotion_label = pair_label(EMOTION_LABELS, (turn.emotion or {}).get("label", ""))  # type: ignore[attr-defined]
    fen = assist.promise_amount_fen
    # The last line of the script is shown as the suggestion, not in the history above it.
    shown = assist.turns
    if not assist.done and shown and shown[-1].speaker == "script":
        shown = shown[:-1]
    return {
        "assist": assist,
        "history": shown,
        "promise_amount_text": f"{fen // 100}.{fen % 100:02d}" if fen else "",
        "promise_due_text": assist.promise_date.isoformat() if assist.promise_date else "",
        "emotion_label": pair_label(EMOTION_LABELS, assist.emotion) if assist.emotion else "",
        "branch_label": pair_label(BRANCH_LABELS, assist.branch),
        "suggested_outcome": SCRIPT_OUTCOME.get(assist.outcome, ""),
        "suggested_outcome_label": label("outcome", SCRIPT_OUTCOME.get(assist.outcome, ""))
        if assist.outcome in SCRIPT_OUTCOME
        else "",
    }


def _screen_context(
    request: HttpRequest,
    pk: int,
    *,
    heard: list[str] | None = None,
    outcome_form: OutcomeForm | None = None,
    callback_form: CallbackForm | None = None,
) -> dict[str, Any]:
    data = ws.screen(user=request.user, case_id=pk)
    assist = ws.script_assist(case=data.case, heard=heard or [])
    initial: dict[str, Any] = {"contact_point": str(data.dial.pk) if data.dial else ""}
    context: dict[str, Any] = {
        "s": data,
        "case": data.case,
        "today": business_today(),
        "outcome_form": outcome_form or OutcomeForm(initial=initial, contact_points=data.numbers),
        "callback_form": callback_form or CallbackForm(),
        "outcomes": [(o, label("outcome", o)) for o in services.OUTCOMES if o != "promise"],
        "can_view_profile": request.user.can(roles.PROFILE_VIEW),  # type: ignore[union-attr]
    }
    context.update(_assist_context(assist))
    return context


# --- pages ------------------------------------------------------------------------------------------


@page(roles.WORK_CASE)
def home(request: HttpRequest) -> HttpResponse:
    """The queue, best first, each row with whether the gate allows a call now."""
    entries = ws.queue(user=request.user)
    context = {
        "entries": entries,
        "total": ws.queue_size(user=request.user),
        "today": business_today(),
        "tier_labels": {k: bi(*v) for k, v in ws.TIER_LABELS.items()},
    }
    return render(request, "contact/workspace/home.html", context)


@page(roles.WORK_CASE)
def take_next(request: HttpRequest) -> HttpResponse:
    """Open the best case the gate allows a call to now; when there is none, say why."""
    pick = ws.next_case(user=request.user)
    if pick.entry is not None:
        return see_other(reverse("contact:workspace_case", args=[pick.entry.case.pk]))
    context = {"skipped": pick.skipped}
    return render(request, "contact/workspace/none.html", context)


@page(roles.WORK_CASE)
def case_screen(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "contact/workspace/case.html", _screen_context(request, pk))


@require_POST
@page(roles.WORK_CASE)
def script(request: HttpRequest, pk: int) -> HttpResponse:
    """The debtor said `reply`: replay the conversation and suggest the next line (nothing stored)."""
    case = case_get_for_user(user=request.user, case_id=pk)
    heard = _heard(request)
    reply = (request.POST.get("reply") or "").strip()[:500]
    if reply:
        heard.append(reply)
    if request.POST.get("restart"):
        heard = []
    context = {"case": case, **_assist_context(ws.script_assist(case=case, heard=heard))}
    if is_htmx(request):
        return render(request, "contact/workspace/_script.html", context)
    return render(request, "contact/workspace/case.html", _screen_context(request, pk, heard=heard))


@require_POST
@page(roles.WORK_CASE)
def draft_screen(request: HttpRequest, pk: int) -> HttpResponse:
    """Warnings on what the collector is typing, before it is said (the monitor only; nothing stored)."""
    case = case_get_for_user(user=request.user, case_id=pk)
    form = DraftForm(request.POST)
    text = (form.cleaned_data.get("text") or "").strip() if form.is_valid() else ""
    violations = [violation_dict(v) for v in screen_text(text, speaker="collector")] if text else []
    context = {"case": case, "text": text, "violations": violations, "too_long": not form.is_valid()}
    return render(request, "contact/workspace/_warnings.html", context)


@require_POST
@page(roles.WORK_CASE)
def say(request: HttpRequest, pk: int) -> HttpResponse:
    """The collector says the sentence: stored and screened (a violation alerts the supervisors)."""
    case = case_get_for_user(user=request.user, case_id=pk)
    text = (request.POST.get("text") or "").strip()
    context: dict[str, Any] = {"case": case, "text": text, "violations": [], "said": None}
    status = 200
    try:
        with audit.source("web"):
            context["said"] = services.utterance_say(actor=request.user, case_id=case.pk, text=text)
            context["violations"] = context["said"].violations
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        context["error"], status = exc.message, exc.status
    return render(request, "contact/workspace/_warnings.html", context, status=status)


def _outcome_notice(recorded: services.Recorded) -> str:
    activity = recorded.activity
    if recorded.promise is not None:
        return bi(
            "已记录承诺还款 {a}，日期 {d}",
            "Promise recorded: {a} on {d}",
            a=format_fen(recorded.promise.amount_fen),
            d=recorded.promise.due_date.isoformat(),
        )
    return bi("已记录通话：{o}", "Call logged: {o}", o=label("outcome", activity.outcome))


@require_POST
@page(roles.WORK_CASE)
def outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """One click: log the call's outcome through the gate (a refusal is shown with its rules and nothing is
    logged); a promise is recorded with its amount and date."""
    data = ws.screen(user=request.user, case_id=pk)
    form = OutcomeForm(request.POST, contact_points=data.numbers)
    status, denial, recorded = 400, None, None
    if form.is_valid():
        cleaned = form.cleaned_data
        try:
            with audit.source("web"):
                recorded = services.outcome_record(
                    actor=request.user,
                    case_id=data.case.pk,
                    outcome=cleaned["outcome"],
                    contact_point_id=cleaned["contact_point"],
                    note=cleaned["note"],
                    promise_amount_fen=cleaned["amount"],
                    promise_date=cleaned["due_date"],
                    heard=_heard(request),
                )
        except ContactDenied as exc:
            denial, status = exc.decision, exc.status
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            add_domain_error(form, exc)
            status = exc.status
    if recorded is not None:
        notice = _outcome_notice(recorded)
        if not is_htmx(request):
            messages.success(request, notice)
            return see_other(reverse("contact:workspace_case", args=[pk]))
        context = {"case": data.case, "notice": notice, "recorded": recorded}
        return render(request, "contact/workspace/_outcome.html", context)
    if is_htmx(request):
        context = {
            "case": data.case,
            "outcome_form": form,
            "denial": denial,
            "outcomes": [(o, label("outcome", o)) for o in services.OUTCOMES if o != "promise"],
        }
        return render(request, "contact/workspace/_outcome.html", context, status=status)
    context = _screen_context(request, pk, outcome_form=form)
    context["denial"] = denial
    return render(request, "contact/workspace/case.html", context, status=status)


@require_POST
@page(roles.WORK_CASE)
def callback(request: HttpRequest, pk: int) -> HttpResponse:
    """Schedule a callback: the case's next action date, and the time of day as a note."""
    case = case_get_for_user(user=request.user, case_id=pk)
    form = CallbackForm(request.POST)
    status, notice = 400, ""
    if form.is_valid():
        cleaned = form.cleaned_data
        at_time: time | None = cleaned["at_time"]
        try:
            with audit.source("web"):
                services.callback_schedule(
                    actor=request.user,
                    case_id=case.pk,
                    on=cleaned["on"],
                    at_time=at_time,
                    note=cleaned["note"],
                )
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            add_domain_error(form, exc)
            status = exc.status
        else:
            when = cleaned["on"].isoformat() + (f" {at_time:%H:%M}" if at_time else "")
            notice = bi("已约定回电：{w}", "Callback scheduled: {w}", w=when)
            status = 200
            form = CallbackForm()
    if is_htmx(request):
        context = {"case": case, "callback_form": form, "callback_notice": notice}
        return render(request, "contact/workspace/_callback.html", context, status=status)
    if status == 200:
        messages.success(request, notice)
        return see_other(reverse("contact:workspace_case", args=[pk]))
    context = _screen_context(request, pk, callback_form=form)
    return render(request, "contact/workspace/case.html", context, status=status)


urlpatterns: list[URLPattern] = [
    path("workspace/", home, name="workspace"),
    path("workspace/next/", take_next, name="workspace_next"),
    path("workspace/cases/<int:pk>/", case_screen, name="workspace_case"),
    path("workspace/cases/<int:pk>/script/", script, name="workspace_script"),
    path("workspace/cases/<int:pk>/screen/", draft_screen, name="workspace_screen"),
    path("workspace/cases/<int:pk>/say/", say, name="workspace_say"),
    path("workspace/cases/<int:pk>/outcome/", outcome, name="workspace_outcome"),
    path("workspace/cases/<int:pk>/callback/", callback, name="workspace_callback"),
]

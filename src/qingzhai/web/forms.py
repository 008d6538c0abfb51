"""Forms of the web pages: they read and check what a user typed, with errors in Chinese and English;
the services do the rest."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm

from qingzhai.core.clock import business_today
from qingzhai.core.dates import DateError, date_message, parse_date
from qingzhai.core.errors import DomainError
from qingzhai.core.i18n import bi, bi_lazy
from qingzhai.core.money import AmountError, amount_message, parse_fen
from qingzhai.portfolio.buckets import BUCKETS
from qingzhai.portfolio.selectors import SORTS, QueueFilters
from qingzhai.portfolio.stages import STAGE_LABELS, Stage, allowed_targets
from qingzhai.web.labels import QUICK_OUTCOMES, choices

REQUIRED = {"required": bi_lazy("此项必填", "This field is required")}
INVALID_CHOICE = bi_lazy("请选择列表中的选项", "Choose one of the listed options")


def _messages(**extra: Any) -> dict[str, Any]:
    return {**REQUIRED, "invalid_choice": INVALID_CHOICE, **extra}


class AmountField(forms.CharField):
    """An amount in yuan as people type it (¥1,234.56, 1234.5元); cleans to integer fen."""

    def __init__(self, *, positive: bool = True, **kwargs: Any) -> None:
        self.positive = positive
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("error_messages", _messages())
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().clean(value)
        if text in (None, ""):
            return None
        try:
            fen = parse_fen(text)
        except AmountError as exc:
            raise forms.ValidationError(bi(*amount_message(exc.code, text)), code=exc.code) from exc
        if fen > 10**15:
            raise forms.ValidationError(
                bi(*amount_message("amount_too_large", text)), code="amount_too_large"
            )
        if self.positive and fen <= 0:
            raise forms.ValidationError(
                bi(*amount_message("amount_not_positive", text)), code="amount_not_positive"
            )
        return fen


class BizDateField(forms.CharField):
    """A date as people type it (2024-03-01, 2024/3/1, 2024年3月1日)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("error_messages", _messages())
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> date | None:  # type: ignore[override]
        text = super().clean(value)
        if text in (None, ""):
            return None
        try:
            day = parse_date(text)
        except DateError as exc:
            raise forms.ValidationError(bi(*date_message(exc.code, text)), code=exc.code) from exc
        if not date(1900, 1, 1) <= day <= date(2200, 12, 31):
            raise forms.ValidationError(bi(*date_message("date_range", text)), code="date_range")
        return day


def choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Show a service's refusal on the form: on the fields it names when the form has them."""
    placed = False
    for name in exc.fields:
        target = {"amount_fen": "amount", "debt_id": "debt", "contact_point_id": "contact_point"}.get(
            name, name
        )
        if target in form.fields:
            form.add_error(target, exc.message)
            placed = True
            break
    if not placed:
        form.add_error(None, exc.message)


# --- sign-in ----------------------------------------------------------------------------------------


class LoginForm(AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.error_messages = {
            "invalid_login": bi(
                "用户名或密码不正确（连续失败 {n} 次将暂时锁定）。",
                "Wrong username or password ({n} failures in a row lock the account for a while).",
                n=settings.AXES_FAILURE_LIMIT,
            ),
            "inactive": bi("该账户已停用。", "This account is disabled."),
        }
        self.fields["username"].label = bi("用户名", "Username")
        self.fields["username"].error_messages.update(REQUIRED)
        self.fields["password"].label = bi("密码", "Password")
        self.fields["password"].error_messages.update(REQUIRED)


class OtpForm(forms.Form):
    token = forms.CharField(max_length=10, error_messages=_messages())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["token"].label = bi("6 位动态验证码", "6-digit code")
        self.fields["token"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True, "pattern": "[0-9 ]*"}
        )

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not (token.isdigit() and len(token) == 6):
            raise forms.ValidationError(bi("验证码是 6 位数字", "The code is 6 digits"), code="token_format")
        return token


# --- the queue --------------------------------------------------------------------------------------


NEXT_ACTION_CHOICES = ("", "today", "overdue", "week")


def _stage_choices(blank: str) -> list[tuple[str, str]]:
    return [("", blank)] + [(s.value, bi(*STAGE_LABELS[s])) for s in Stage]


class QueueFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100)
    stage = forms.ChoiceField(required=False, error_messages=_messages())
    bucket = forms.ChoiceField(required=False, error_messages=_messages())
    creditor = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, error_messages=_messages()
    )
    next_action = forms.ChoiceField(required=False, error_messages=_messages())
    min_amount = AmountField(required=False, positive=False)
    max_amount = AmountField(required=False, positive=False)
    sort = forms.ChoiceField(required=False, error_messages=_messages())

    SORT_LABELS = {
        "next_action": ("下次行动日 ↑", "Next action ↑"),
        "-next_action": ("下次行动日 ↓", "Next action ↓"),
        "-balance": ("欠款金额 ↓", "Balance ↓"),
        "balance": ("欠款金额 ↑", "Balance ↑"),
        "-dpd": ("逾期天数 ↓", "Days past due ↓"),
        "dpd": ("逾期天数 ↑", "Days past due ↑"),
        "name": ("姓名 ↑", "Name ↑"),
        "-name": ("姓名 ↓", "Name ↓"),
        "-updated": ("最近更新", "Recently updated"),
        "id": ("案件编号", "Case number"),
    }

    def __init__(self, *args: Any, creditors: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        any_label = bi("全部", "All")
        self.fields["q"].label = bi("搜索", "Search")
        self.fields["q"].widget.attrs.update(
            {
                "placeholder": bi(
                    "姓名、合同号，或完整证件号/手机号", "Name, contract no., or full ID / phone number"
                ),
                "type": "search",
                "autocomplete": "off",
                "data-search": True,
                "title": bi("按 / 键跳到搜索框", "Press / to jump here"),
            }
        )
        self.fields["stage"].label = bi("阶段", "Stage")
        choice_field(self, "stage").choices = _stage_choices(any_label)
        self.fields["bucket"].label = bi("账龄", "Bucket")
        choice_field(self, "bucket").choices = [("", any_label)] + [(b, b) for b in BUCKETS]
        self.fields["creditor"].label = bi("委托方", "Creditor")
        choice_field(self, "creditor").choices = [("", any_label)] + [(str(c.pk), c.name) for c in creditors]
        self.fields["next_action"].label = bi("下次行动", "Next action")
        choice_field(self, "next_action").choices = [
            ("", any_label),
            ("today", bi("今天到期及逾期", "Due today or overdue")),
            ("overdue", bi("已逾期", "Overdue")),
            ("week", bi("7 天内", "Within 7 days")),
        ]
        self.fields["min_amount"].label = bi("最低金额（元）", "Min amount (¥)")
        self.fields["max_amount"].label = bi("最高金额（元）", "Max amount (¥)")
        self.fields["sort"].label = bi("排序", "Sort")
        choice_field(self, "sort").choices = [(k, bi(*v)) for k, v in self.SORT_LABELS.items() if k in SORTS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("min_amount"), data.get("max_amount")
        if low is not None and high is not None and low > high:
            self.add_error(
                "max_amount", bi("最高金额不能小于最低金额", "The maximum cannot be below the minimum")
            )
        return data

    def filters(self, today: date | None = None) -> QueueFilters:
        data = self.cleaned_data
        today = today or business_today()
        before = {
            "today": today,
            "overdue": today - timedelta(days=1),
            "week": today + timedelta(days=7),
        }.get(data.get("next_action") or "")
        return QueueFilters(
            stage=data.get("stage") or "",
            bucket=data.get("bucket") or "",
            creditor_id=data.get("creditor"),
            next_action_before=before,
            min_balance_fen=data.get("min_amount"),
            max_balance_fen=data.get("max_amount"),
            q=(data.get("q") or "").strip(),
            sort=data.get("sort") or "next_action",
        )


class AssignFilterForm(QueueFilterForm):
    assignee = forms.CharField(required=False, max_length=20)

    def __init__(self, *args: Any, assignees: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.assignee_ids = {str(u.pk) for u in assignees}
        self.fields["assignee"].label = bi("当前处理人", "Assigned to")

    def clean_assignee(self) -> str:
        value = self.cleaned_data.get("assignee") or ""
        if value not in ("", "none") and value not in self.assignee_ids:
            raise forms.ValidationError(INVALID_CHOICE, code="invalid_choice")
        return value

    def filters(self, today: date | None = None) -> QueueFilters:
        result = super().filters(today)
        value = self.cleaned_data.get("assignee") or ""
        if value == "none":
            result.unassigned = True
        elif value:
            result.assigned_to_id = int(value)
        return result


class AssignForm(forms.Form):
    case_ids = forms.TypedMultipleChoiceField(coerce=int, error_messages=_messages())
    assignee = forms.ChoiceField(error_messages=_messages())
    reason = forms.CharField(max_length=500, error_messages=_messages())

    def __init__(self, *args: Any, assignees: Any = (), page_ids: Any = (), **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "assign_%s")
        super().__init__(*args, **kwargs)
        self.assignees = {str(u.pk): u for u in assignees}
        choice_field(self, "case_ids").choices = [(str(pk), str(pk)) for pk in page_ids]
        self.fields["case_ids"].error_messages["required"] = bi(
            "请至少勾选一个案件", "Tick at least one case"
        )
        self.fields["assignee"].label = bi("分配给", "Assign to")
        choice_field(self, "assignee").choices = [
            ("", bi("请选择", "Choose")),
            ("none", bi("取消分配", "Unassign")),
        ] + [(pk, u.label) for pk, u in self.assignees.items()]
        self.fields["reason"].label = bi("原因", "Reason")

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(REQUIRED["required"], code="required")
        return reason

    def assignee_user(self) -> Any:
        value = self.cleaned_data["assignee"]
        return None if value == "none" else self.assignees[value]


# --- the case page ----------------------------------------------------------------------------------


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(error_messages=_messages())
    outcome = forms.ChoiceField(error_messages=_messages())
    party = forms.ChoiceField(error_messages=_messages())
    contact_point = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, error_messages=_messages()
    )
    note = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, contact_points: Any = (), **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"kind": "call", "party": "debtor"})
        kwargs.setdefault("auto_id", "act_%s")
        super().__init__(*args, **kwargs)
        self.fields["kind"].label = bi("方式", "Channel")
        choice_field(self, "kind").choices = choices("activity_kind")
        self.fields["outcome"].label = bi("结果", "Outcome")
        choice_field(self, "outcome").choices = [("", bi("请选择", "Choose")), *choices("outcome")]
        self.fields["party"].label = bi("联系对象", "Party")
        choice_field(self, "party").choices = choices("party")
        self.fields["contact_point"].label = bi("号码", "Number")
        choice_field(self, "contact_point").choices = [("", "—")] + [
            (str(cp.pk), cp.value_masked) for cp in contact_points
        ]
        self.fields["note"].label = bi("备注", "Note")

    quick_outcomes = QUICK_OUTCOMES


class PromiseForm(forms.Form):
    amount = AmountField()
    due_date = BizDateField()
    note = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "promise_%s")
        super().__init__(*args, **kwargs)
        self.fields["amount"].label = bi("承诺金额（元）", "Amount (¥)")
        self.fields["due_date"].label = bi("承诺日期", "Promised date")
        self.fields["note"].label = bi("备注", "Note")


class PaymentForm(forms.Form):
    debt = forms.TypedChoiceField(coerce=int, error_messages=_messages())
    amount = AmountField()
    paid_on = BizDateField()
    method = forms.ChoiceField(error_messages=_messages())
    reference = forms.CharField(required=False, max_length=100)
    note = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args: Any, debts: Any = (), **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"paid_on": business_today().isoformat(), "method": "bank_transfer"})
        kwargs.setdefault("auto_id", "pay_%s")
        super().__init__(*args, **kwargs)
        debts = list(debts)
        if len(debts) == 1 and not self.is_bound:
            self.initial.setdefault("debt", str(debts[0].pk))
        self.fields["debt"].label = bi("债务（合同号）", "Debt (contract no.)")
        choice_field(self, "debt").choices = [("", bi("请选择", "Choose"))] + [
            (str(d.pk), d.contract_no) for d in debts
        ]
        self.fields["amount"].label = bi("还款金额（元）", "Amount (¥)")
        self.fields["paid_on"].label = bi("还款日期", "Paid on")
        self.fields["method"].label = bi("方式", "Method")
        choice_field(self, "method").choices = choices("payment_method")
        self.fields["reference"].label = bi("流水号", "Reference")
        self.fields["note"].label = bi("备注", "Note")


class StageForm(forms.Form):
    to_stage = forms.ChoiceField(error_messages=_messages())
    reason = forms.CharField(max_length=2000, error_messages=_messages())

    def __init__(self, *args: Any, current: str = Stage.NEW.value, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "stage_%s")
        super().__init__(*args, **kwargs)
        order = list(Stage)
        targets = sorted(allowed_targets(current), key=order.index)
        self.fields["to_stage"].label = bi("新阶段", "New stage")
        choice_field(self, "to_stage").choices = [("", bi("请选择", "Choose"))] + [
            (s.value, bi(*STAGE_LABELS[s])) for s in targets
        ]
        self.fields["reason"].label = bi("原因", "Reason")

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(REQUIRED["required"], code="required")
        return reason


class NextActionForm(forms.Form):
    next_action_date = BizDateField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "next_%s")
        super().__init__(*args, **kwargs)
        self.fields["next_action_date"].label = bi("下次行动日", "Next action date")


REVEAL_TARGETS = {
    "debtor": ("id_number", "home_address", "work_address"),
    "contact_point": ("value",),
}


class RevealForm(forms.Form):
    kind = forms.ChoiceField(choices=[(k, k) for k in REVEAL_TARGETS], error_messages=_messages())
    object_id = forms.IntegerField(
        min_value=1, error_messages=_messages(invalid=bi_lazy("请输入整数", "Enter a whole number"))
    )
    attr = forms.ChoiceField(
        choices=sorted({(a, a) for attrs in REVEAL_TARGETS.values() for a in attrs}),
        error_messages=_messages(),
    )
    reason = forms.CharField(max_length=500, error_messages=_messages())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = bi("查看原因", "Reason for viewing")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, attr = data.get("kind"), data.get("attr")
        if kind and attr and attr not in REVEAL_TARGETS[kind]:
            self.add_error("attr", INVALID_CHOICE)
        reason = (data.get("reason") or "").strip()
        if "reason" in data and len(reason) < 4:
            self.add_error(
                "reason",
                bi("请写明查看原因（至少 4 个字）", "Give a reason (at least 4 characters)"),
            )
        return data


# --- audit ------------------------------------------------------------------------------------------


class AuditFilterForm(forms.Form):
    action = forms.CharField(required=False, max_length=64)
    actor = forms.CharField(required=False, max_length=150)
    entity_type = forms.CharField(required=False, max_length=64)
    entity_id = forms.CharField(required=False, max_length=64)
    date_from = BizDateField(required=False)
    date_to = BizDateField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].label = bi("动作", "Action")
        self.fields["action"].widget.attrs["placeholder"] = "pii.reveal, case., payment. …"
        self.fields["actor"].label = bi("操作人", "Actor")
        self.fields["entity_type"].label = bi("对象类型", "Entity type")
        self.fields["entity_type"].widget.attrs["placeholder"] = "portfolio.debtor"
        self.fields["entity_id"].label = bi("对象编号", "Entity ID")
        self.fields["date_from"].label = bi("起始日期", "From")
        self.fields["date_to"].label = bi("截止日期", "To")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", bi("截止日期不能早于起始日期", "The end date is before the start date"))
        return data

"""Forms of the compliance pages and of the compliance parts of the case page. They read and check what a
user typed, with errors in Chinese and English; the services decide the rest."""

from __future__ import annotations

import json
import re
from datetime import datetime, time, timedelta
from typing import Any

from django import forms

from qingzhai.compliance.gate.facts import Channel
from qingzhai.compliance.labels import choices, label
from qingzhai.compliance.services.screening import ALERT_FLOW, MAX_TEXT
from qingzhai.core.clock import business_tz
from qingzhai.core.i18n import bi, bi_lazy
from qingzhai.web.forms import INVALID_CHOICE, REQUIRED, ActivityForm, BizDateField, choice_field

CHANNELS = tuple(c.value for c in Channel)
PARTIES = ("debtor", "guarantor", "emergency", "third_party", "lawyer")
OVERRIDES_MAX_CHARS = 20_000
UPLOAD_MAX_BYTES = 50 * 1024 * 1024


def _messages(**extra: Any) -> dict[str, Any]:
    return {**REQUIRED, "invalid_choice": INVALID_CHOICE, **extra}


def _required_text(value: str | None) -> str:
    text = (value or "").strip()
    if not text:
        raise forms.ValidationError(REQUIRED["required"], code="required")
    return text


_DATETIME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{2})(?::(\d{2}))?$")


class BizDateTimeField(forms.CharField):
    """A moment typed as 2026-03-01T10:30 (a datetime-local input) or 2026-03-01 10:30, in the business
    time zone; cleans to an aware datetime."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("error_messages", _messages())
        kwargs.setdefault("widget", forms.DateTimeInput(attrs={"type": "datetime-local"}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> datetime | None:  # type: ignore[override]
        text = super().clean(value)
        if text in (None, ""):
            return None
        match = _DATETIME.match(text.strip())
        message = bi(
            "时间格式无法识别：{t}（例如 2026-03-01 10:30）",
            "Not a time: {t} (for example 2026-03-01 10:30)",
            t=text,
        )
        if match is None:
            raise forms.ValidationError(message, code="datetime_format")
        y, mo, d, h, mi, s = (int(g) if g else 0 for g in match.groups())
        try:
            moment = datetime(y, mo, d, h, mi, s, tzinfo=business_tz())
        except ValueError as exc:
            raise forms.ValidationError(message, code="datetime_format") from exc
        if not 2000 <= moment.year <= 2200:
            raise forms.ValidationError(message, code="datetime_format")
        return moment


# --- the case page ----------------------------------------------------------------------------------


class ContactLogForm(ActivityForm):
    """The case page's "log a contact" form: the activity, when it happened, and the gate's clearance asked
    for just before (if any)."""

    occurred_at = BizDateTimeField(required=False)
    decision_id = forms.IntegerField(
        required=False,
        min_value=1,
        widget=forms.HiddenInput,
        error_messages=_messages(invalid=bi_lazy("无效的放行编号", "Invalid clearance number")),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"].label = bi("发生时间（留空为现在）", "When (empty: now)")


class ClearForm(forms.Form):
    """Ask the gate before dialling, sending or visiting."""

    channel = forms.ChoiceField(error_messages=_messages())
    party = forms.ChoiceField(error_messages=_messages())
    contact_point = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, error_messages=_messages()
    )

    def __init__(self, *args: Any, contact_points: Any = (), **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"channel": "call", "party": "debtor"})
        kwargs.setdefault("auto_id", "clear_%s")
        super().__init__(*args, **kwargs)
        self.fields["channel"].label = bi("方式", "Channel")
        choice_field(self, "channel").choices = choices("channel", CHANNELS)
        self.fields["party"].label = bi("联系对象", "Party")
        choice_field(self, "party").choices = choices("party", PARTIES)
        self.fields["contact_point"].label = bi("号码", "Number")
        points = list(contact_points)
        choice_field(self, "contact_point").choices = [("", "—")] + [
            (str(cp.pk), cp.value_masked) for cp in points
        ]
        primary = next((cp for cp in points if cp.is_primary), None)
        if primary is not None and not self.is_bound:
            self.initial.setdefault("contact_point", str(primary.pk))


class UtteranceForm(forms.Form):
    text = forms.CharField(
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=_messages(
            max_length=bi_lazy("内容过长（最多 4000 字）", "The text is too long (at most 4000 characters)")
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "utt_%s")
        super().__init__(*args, **kwargs)
        self.fields["text"].label = bi("我要说的话", "What I am about to say")
        self.fields["text"].widget.attrs["placeholder"] = bi(
            "输入一句话术，发出前先检查", "Type a sentence; it is checked before you say it"
        )

    def clean_text(self) -> str:
        return _required_text(self.cleaned_data.get("text"))


_WINDOW = re.compile(
    r"^(?:(\d{4}-\d{2}-\d{2})\s+)?(\d{1,2}:\d{2})\s*[-–~至到]\s*(\d{1,2}:\d{2})(?:\s*\(([0-6](?:\s*,\s*[0-6])*)\))?$"
)


def parse_windows(text: str) -> list[dict[str, Any]]:
    """Agreed contact times, one per line: "09:00-12:00" (every day), "2026-03-01 18:00-19:00" (that day) or
    "18:00-20:00 (0,2,4)" (those weekdays, 0 = Monday)."""
    windows: list[dict[str, Any]] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = _WINDOW.match(line)
        bad = bi(
            "第 {n} 行格式应为 09:00-12:00 或 2026-03-01 18:00-19:00：{line}",
            "Line {n} must look like 09:00-12:00 or 2026-03-01 18:00-19:00: {line}",
            n=number,
            line=line,
        )
        if match is None:
            raise forms.ValidationError(bad, code="window_format")
        on, start, end, days = match.groups()
        try:
            window: dict[str, Any] = {
                "start": time.fromisoformat(start.zfill(5)).strftime("%H:%M"),
                "end": time.fromisoformat(end.zfill(5)).strftime("%H:%M"),
            }
            if on:
                window["on"] = datetime.strptime(on, "%Y-%m-%d").date().isoformat()
            if days:
                window["weekdays"] = sorted({int(d) for d in days.split(",")})
        except ValueError as exc:
            raise forms.ValidationError(bad, code="window_format") from exc
        windows.append(window)
    return windows


def format_windows(windows: list[dict[str, Any]]) -> str:
    lines = []
    for w in windows or []:
        prefix = f"{w['on']} " if w.get("on") else ""
        days = f" ({','.join(str(d) for d in w['weekdays'])})" if w.get("weekdays") is not None else ""
        lines.append(f"{prefix}{w.get('start', '')}-{w.get('end', '')}{days}")
    return "\n".join(lines)


# What a collector may record from the debtor's own words, and what needs compliance.protection.
STATED_FIELDS = ("opted_out", "agreed_windows", "lawyer_represented", "lawyer_name", "lawyer_phone")
FLAG_FIELDS = (
    "bankrupt",
    "deceased",
    "minor",
    "incapacitated",
    "time_barred",
    "unreachable",
    "guarantor_contact_allowed",
)


class ProtectionForm(forms.Form):
    """The debtor's protections. With `full` every fact; otherwise only what the debtor states."""

    opted_out = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, error_messages=_messages()
    )
    agreed_windows = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    lawyer_represented = forms.BooleanField(required=False)
    lawyer_name = forms.CharField(required=False, max_length=100)
    lawyer_phone = forms.CharField(required=False, max_length=30)
    bankrupt = forms.BooleanField(required=False)
    deceased = forms.BooleanField(required=False)
    minor = forms.BooleanField(required=False)
    incapacitated = forms.BooleanField(required=False)
    time_barred = forms.BooleanField(required=False)
    unreachable = forms.BooleanField(required=False)
    guarantor_contact_allowed = forms.BooleanField(required=False)
    hardship_until = BizDateField(required=False)
    reason = forms.CharField(max_length=500, error_messages=_messages())

    def __init__(self, *args: Any, full: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "prot_%s")
        super().__init__(*args, **kwargs)
        self.full = full
        if not full:
            for name in (*FLAG_FIELDS, "hardship_until"):
                del self.fields[name]
        for name, field in self.fields.items():
            if name != "reason":
                field.label = label("protection", name)
        self.fields["reason"].label = bi("原因（将被记录）", "Reason (recorded)")
        choice_field(self, "opted_out").choices = choices("channel", CHANNELS)
        self.fields["agreed_windows"].help_text = bi(
            "每行一个：09:00-12:00（每天）、2026-03-01 18:00-19:00（当天）或 18:00-20:00 (0,2,4)（周一、三、五）",
            "One per line: 09:00-12:00 (every day), 2026-03-01 18:00-19:00 (that day) or 18:00-20:00 (0,2,4) "
            "(Mondays, Wednesdays, Fridays)",
        )
        self.fields["lawyer_phone"].help_text = bi("留空则不变", "Empty: unchanged")

    def clean_agreed_windows(self) -> list[dict[str, Any]]:
        return parse_windows(self.cleaned_data.get("agreed_windows") or "")

    def clean_reason(self) -> str:
        return _required_text(self.cleaned_data.get("reason"))

    def changes(self) -> dict[str, Any]:
        """What to hand to `protection_set` (an empty phone leaves the stored phone as it is)."""
        data = dict(self.cleaned_data)
        data.pop("reason", None)
        if not data.get("lawyer_phone"):
            data.pop("lawyer_phone", None)
        return data


class DisputeOpenForm(forms.Form):
    reason = forms.CharField(
        max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), error_messages=_messages()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "dispute_%s")
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = bi("异议内容", "What the debtor disputes")

    def clean_reason(self) -> str:
        return _required_text(self.cleaned_data.get("reason"))


class DisputeResolveForm(forms.Form):
    resolution = forms.CharField(
        max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), error_messages=_messages()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "resolve_%s")
        super().__init__(*args, **kwargs)
        self.fields["resolution"].label = bi("处理结果", "Resolution")

    def clean_resolution(self) -> str:
        return _required_text(self.cleaned_data.get("resolution"))


# --- alerts -----------------------------------------------------------------------------------------

ALERT_STATUSES = ("active", "open", "acknowledged", "coached", "escalated", "closed", "all")


class AlertFilterForm(forms.Form):
    status = forms.ChoiceField(required=False, error_messages=_messages())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].label = bi("状态", "Status")
        choice_field(self, "status").choices = choices("alert_status", ALERT_STATUSES)

    def wanted_status(self) -> str:
        value = (self.cleaned_data.get("status") if self.is_bound and self.is_valid() else "") or "active"
        return "" if value == "all" else value


class AlertActForm(forms.Form):
    action = forms.ChoiceField(error_messages=_messages())
    note = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "act_%s")
        super().__init__(*args, **kwargs)
        self.fields["action"].label = bi("操作", "Action")
        choice_field(self, "action").choices = choices("alert_action", tuple(ALERT_FLOW))
        self.fields["note"].label = bi(
            "处理说明（确认以外的操作必填）", "Note (required except to acknowledge)"
        )


# --- decisions --------------------------------------------------------------------------------------


class DecisionFilterForm(forms.Form):
    result = forms.ChoiceField(required=False, error_messages=_messages())
    channel = forms.ChoiceField(required=False, error_messages=_messages())
    date_from = BizDateField(required=False)
    date_to = BizDateField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["result"].label = bi("结果", "Result")
        choice_field(self, "result").choices = [
            ("denied", bi("仅拒绝", "Denied only")),
            ("allowed", bi("仅允许", "Allowed only")),
            ("all", bi("全部", "All")),
        ]
        self.fields["channel"].label = bi("方式", "Channel")
        choice_field(self, "channel").choices = [("", bi("全部", "All")), *choices("channel", CHANNELS)]
        self.fields["date_from"].label = bi("起始日期", "From")
        self.fields["date_to"].label = bi("截止日期", "To")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", bi("截止日期不能早于起始日期", "The end date is before the start date"))
        return data

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        tz = business_tz()
        start, end = self.cleaned_data.get("date_from"), self.cleaned_data.get("date_to")
        return (
            datetime.combine(start, time.min, tzinfo=tz) if start else None,
            datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz) if end else None,
        )


# --- dishonest list ---------------------------------------------------------------------------------


class DishonestUploadForm(forms.Form):
    file = forms.FileField(
        error_messages=_messages(empty=bi_lazy("文件是空的", "The file is empty")),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "upload_%s")
        super().__init__(*args, **kwargs)
        self.fields["file"].label = bi("名单文件（CSV 或 XLSX）", "List file (CSV or XLSX)")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > UPLOAD_MAX_BYTES:
            raise forms.ValidationError(bi("文件过大（最多 50 MB）", "The file is too large (at most 50 MB)"))
        return upload


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=500, error_messages=_messages())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = bi("原因", "Reason")

    def clean_reason(self) -> str:
        return _required_text(self.cleaned_data.get("reason"))


# --- statistics -------------------------------------------------------------------------------------

PERIODS = {"7": 7, "30": 30, "90": 90}


class StatsForm(forms.Form):
    days = forms.ChoiceField(required=False, error_messages=_messages())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["days"].label = bi("统计期间", "Period")
        choice_field(self, "days").choices = [
            ("", bi("全部", "All time")),
            ("7", bi("最近 7 天", "Last 7 days")),
            ("30", bi("最近 30 天", "Last 30 days")),
            ("90", bi("最近 90 天", "Last 90 days")),
        ]


# --- policies ---------------------------------------------------------------------------------------


class PolicyForm(forms.Form):
    pack = forms.ChoiceField(error_messages=_messages())
    overrides = forms.CharField(
        required=False,
        max_length=OVERRIDES_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 8, "class": "mono", "spellcheck": "false"}),
    )
    reason = forms.CharField(max_length=500, error_messages=_messages())

    def __init__(self, *args: Any, packs: Any = (), **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "policy_%s")
        super().__init__(*args, **kwargs)
        self.fields["pack"].label = bi("政策包", "Policy pack")
        choice_field(self, "pack").choices = [
            (p.code, f"{p.code} · {bi(p.title_zh, p.title_en)}") for p in packs
        ]
        self.fields["overrides"].label = bi("更严格的参数（JSON）", "Stricter parameters (JSON)")
        self.fields["overrides"].help_text = bi(
            '格式：{"规则编号": {"参数": 值}}，例如 {"cn.hours.window": {"allowed_until": "20:00"}}；留空为不覆盖',
            'Format: {"rule id": {"parameter": value}}, e.g. {"cn.hours.window": {"allowed_until": "20:00"}}; '
            "empty for none",
        )
        self.fields["reason"].label = bi("原因（将被记录）", "Reason (recorded)")

    def clean_overrides(self) -> dict[str, Any]:
        text = (self.cleaned_data.get("overrides") or "").strip()
        if not text:
            return {}
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                bi(
                    "不是有效的 JSON（第 {line} 行第 {col} 列）：{msg}",
                    "Not valid JSON (line {line}, column {col}): {msg}",
                    line=exc.lineno,
                    col=exc.colno,
                    msg=exc.msg,
                ),
                code="json_invalid",
            ) from exc
        if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
            raise forms.ValidationError(
                bi('格式应为 {"规则编号": {"参数": 值}}', 'The format is {"rule id": {"parameter": value}}'),
                code="json_shape",
            )
        return data

    def clean_reason(self) -> str:
        return _required_text(self.cleaned_data.get("reason"))

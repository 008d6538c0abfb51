"""Forms of the contact pages (validation of shape only; the services check the rest)."""

from __future__ import annotations

from typing import Any

from django import forms

from qingzhai.contact.campaigns.templates import catalogue
from qingzhai.core.i18n import bi
from qingzhai.portfolio.models import Creditor

STEP_ROWS = 5
STAGES = (
    ("new", ("新案", "New")),
    ("contact", ("联系中", "In contact")),
    ("negotiated", ("协商中", "Negotiated")),
)


def _template_choices() -> list[tuple[str, str]]:
    return [("", bi("（不用）", "(none)"))] + [
        (t.id, f"{bi(t.name_zh, t.name_en)} · {t.channel}") for t in catalogue().values()
    ]


class CampaignForm(forms.Form):
    name = forms.CharField(max_length=200)
    creditor = forms.ChoiceField(required=False)
    stages = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    min_dpd = forms.IntegerField(required=False, min_value=0)
    min_balance_yuan = forms.IntegerField(required=False, min_value=0)
    window_hours = forms.IntegerField(initial=72, min_value=1, max_value=744)
    sms_per_hour = forms.IntegerField(initial=20000, min_value=1, max_value=1_000_000)
    voice_per_hour = forms.IntegerField(initial=3000, min_value=1, max_value=1_000_000)
    hotline = forms.CharField(max_length=40, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].label = bi("活动名称", "Name")
        self.fields["creditor"].label = bi("委托方", "Creditor")
        creditor: Any = self.fields["creditor"]
        creditor.choices = [("", bi("全部", "All"))] + [
            (str(pk), name) for pk, name in Creditor.objects.order_by("name").values_list("pk", "name")
        ]
        self.fields["stages"].label = bi("案件阶段", "Case stages")
        stages: Any = self.fields["stages"]
        stages.choices = [(code, bi(*names)) for code, names in STAGES]
        self.fields["stages"].initial = [code for code, _ in STAGES]
        self.fields["min_dpd"].label = bi("最少逾期天数", "Minimum days past due")
        self.fields["min_balance_yuan"].label = bi("最低欠款（元）", "Minimum balance (yuan)")
        self.fields["window_hours"].label = bi("活动时长（小时）", "Window (hours)")
        self.fields["sms_per_hour"].label = bi("短信每小时容量", "SMS per hour")
        self.fields["voice_per_hour"].label = bi("语音每小时容量", "Voice calls per hour")
        self.fields["hotline"].label = bi("客服电话", "Hotline")
        choices = _template_choices()
        for n in range(1, STEP_ROWS + 1):
            template = forms.ChoiceField(
                required=n == 1, choices=choices, label=bi(f"第{n}步模板", f"Step {n} template")
            )
            offset = forms.IntegerField(
                required=False,
                min_value=0,
                initial=0,
                label=bi(f"第{n}步：开始后小时", f"Step {n}: hours after start"),
            )
            self.fields[f"step{n}_template"] = template
            self.fields[f"step{n}_offset"] = offset

    def step_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"step{n}_template"], self[f"step{n}_offset"]) for n in range(1, STEP_ROWS + 1)]

    def steps(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [
            {"template_id": data[f"step{n}_template"], "offset_hours": data.get(f"step{n}_offset") or 0}
            for n in range(1, STEP_ROWS + 1)
            if data.get(f"step{n}_template")
        ]

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        out: dict[str, Any] = {"stages": data.get("stages") or [code for code, _ in STAGES]}
        if data.get("creditor"):
            out["creditor_ids"] = [int(data["creditor"])]
        if data.get("min_dpd") is not None:
            out["min_dpd"] = data["min_dpd"]
        if data.get("min_balance_yuan") is not None:
            out["min_balance_fen"] = data["min_balance_yuan"] * 100
        return out

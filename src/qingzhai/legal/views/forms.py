"""Forms of the legal pages: open a proceeding, record its next event (with the facts the event needs),
generate a court document, filter the workspace lists. Errors in the user's language."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django import forms

from qingzhai.core.clock import business_today
from qingzhai.core.i18n import bi
from qingzhai.legal import machines
from qingzhai.legal.documents import catalog
from qingzhai.legal.models import LegalDocument, Proceeding
from qingzhai.legal.views.common import event_text, kind_choices, kind_text, state_choices
from qingzhai.web.forms import REQUIRED, AmountField, BizDateField, _messages, choice_field

PROCEDURES = {
    "small_claims": ("小额诉讼程序", "Small-claims procedure"),
    "simple": ("简易程序", "Simple procedure"),
    "ordinary": ("普通程序", "Ordinary procedure"),
    "court": ("法院调解", "Court mediation"),
    "people": ("人民调解", "People's mediation"),
}
ASSETS = {
    "deposit": ("银行存款", "Bank deposit"),
    "movable": ("动产", "Movable property"),
    "real_estate": ("不动产", "Real estate"),
}
# The fact fields of the event form; `amount` cleans to amount_fen.
FACT_FIELDS = (
    "procedure",
    "hearing_on",
    "performance_days",
    "last_instalment_on",
    "asset",
    "amount",
    "reply_days",
    "agreement_on",
)


def _field_name(fact: str) -> str:
    return "amount" if fact == "amount_fen" else fact


def _choices(table: dict[str, tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", "—")] + [(code, bi(zh, en)) for code, (zh, en) in table.items()]


def _days_field() -> forms.IntegerField:
    return forms.IntegerField(
        required=False,
        min_value=0,
        max_value=3650,
        error_messages=_messages(
            invalid=bi("请输入整数天数", "Enter a whole number of days"),
            min_value=bi("天数不能为负", "Days cannot be negative"),
            max_value=bi("天数过大", "Too many days"),
        ),
    )


class OpenForm(forms.Form):
    kind = forms.ChoiceField(error_messages=_messages())
    business_date = BizDateField()
    court = forms.CharField(required=False, max_length=200)
    court_case_no = forms.CharField(required=False, max_length=80)
    claim = AmountField(required=False, positive=False)
    note = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"business_date": business_today().isoformat()})
        kwargs.setdefault("prefix", "open")
        super().__init__(*args, **kwargs)
        choice_field(self, "kind").choices = kind_choices()
        labels = {
            "kind": ("程序类型", "Kind"),
            "business_date": ("业务日期", "Business date"),
            "court": ("法院", "Court"),
            "court_case_no": ("法院案号", "Court case no."),
            "claim": ("请求金额（元，留空按欠款余额）", "Claim in yuan (blank: the balance owed)"),
            "note": ("备注", "Note"),
        }
        for name, pair in labels.items():
            self.fields[name].label = bi(*pair)


class EventForm(forms.Form):
    event = forms.ChoiceField(error_messages=_messages())
    business_date = BizDateField()
    procedure = forms.ChoiceField(required=False, error_messages=_messages())
    hearing_on = BizDateField(required=False)
    performance_days = _days_field()
    last_instalment_on = BizDateField(required=False)
    asset = forms.ChoiceField(required=False, error_messages=_messages())
    amount = AmountField(required=False, positive=False)
    reply_days = _days_field()
    agreement_on = BizDateField(required=False)
    note = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, proceeding: Proceeding, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"business_date": business_today().isoformat()})
        kwargs.setdefault("prefix", f"ev{proceeding.pk}")
        super().__init__(*args, **kwargs)
        self.proceeding = proceeding
        self.specs = {s.code: s for s in machines.events_from(proceeding.kind, proceeding.state)}
        choice_field(self, "event").choices = [
            (code, event_text(proceeding.kind, code)) for code in self.specs
        ]
        choice_field(self, "procedure").choices = _choices(PROCEDURES)
        choice_field(self, "asset").choices = _choices(ASSETS)
        labels = {
            "event": ("事件", "Event"),
            "business_date": ("业务日期", "Business date"),
            "procedure": ("程序", "Procedure"),
            "hearing_on": ("开庭日期", "Hearing date"),
            "performance_days": ("履行期限（天）", "Performance period (days)"),
            "last_instalment_on": ("最后一期履行日", "Last instalment due on"),
            "asset": ("查封冻结财产", "Asset frozen"),
            "amount": ("金额（元）", "Amount (yuan)"),
            "reply_days": ("答复期限（天）", "Reply period (days)"),
            "agreement_on": ("协议生效日", "Agreement effective on"),
            "note": ("备注", "Note"),
        }
        for name, pair in labels.items():
            self.fields[name].label = bi(*pair)
        # The facts each event takes (needed, then optional), by form field name.
        self.event_facts = {
            code: [_field_name(f) for f in (*spec.facts, *getattr(spec, "optional", ()))]
            for code, spec in self.specs.items()
        }

    @property
    def fact_fields(self) -> list[forms.BoundField]:
        wanted = {name for names in self.event_facts.values() for name in names}
        return [self[name] for name in FACT_FIELDS if name in wanted]

    @property
    def facts_json(self) -> str:
        return json.dumps(self.event_facts)

    def facts(self) -> dict[str, Any]:
        """The facts the chosen event takes that were filled in, under the engine's names; the engine says
        which ones it lacks."""
        data = self.cleaned_data
        taken = self.event_facts.get(data.get("event") or "", [])
        out: dict[str, Any] = {}
        for name in FACT_FIELDS:
            value = data.get(name)
            if name not in taken:
                continue
            if value in (None, ""):
                continue
            out["amount_fen" if name == "amount" else name] = value
        return out


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(error_messages=_messages())
    fmt = forms.ChoiceField(error_messages=_messages())
    court = forms.CharField(required=False, max_length=200)
    proceeding = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, error_messages=_messages()
    )

    def __init__(self, *args: Any, proceedings: Sequence[Proceeding] = (), **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "doc")
        super().__init__(*args, **kwargs)
        choice_field(self, "kind").choices = [(k.code, bi(k.zh, k.en)) for k in catalog.KINDS.values()]
        choice_field(self, "fmt").choices = [(f.value, f.value.upper()) for f in LegalDocument.Format]
        choice_field(self, "proceeding").choices = [("", "—")] + [
            (str(p.pk), f"#{p.pk} {kind_text(p.kind)}") for p in proceedings
        ]
        self.fields["kind"].label = bi("文书类型", "Document")
        self.fields["fmt"].label = bi("格式", "Format")
        self.fields["court"].label = bi(
            "法院（需向法院提交的文书必填）", "Court (required for court filings)"
        )
        self.fields["proceeding"].label = bi("所属程序（可选）", "Proceeding (optional)")


class FilterForm(forms.Form):
    kind = forms.ChoiceField(required=False, error_messages=_messages())
    state = forms.ChoiceField(required=False, error_messages=_messages())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        every = bi("全部", "All")
        choice_field(self, "kind").choices = kind_choices(every)
        choice_field(self, "state").choices = state_choices(every)
        self.fields["kind"].label = bi("程序类型", "Kind")
        self.fields["state"].label = bi("状态", "State")


__all__ = ["REQUIRED", "DocumentForm", "EventForm", "FilterForm", "OpenForm"]

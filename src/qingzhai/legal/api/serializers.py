"""Legal API input and output shapes. Money: `<name>_fen` (integer fen) and `<name>` (yuan, a decimal
string with two places); dates ISO 8601."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from qingzhai.legal import machines
from qingzhai.legal.documents import catalog
from qingzhai.legal.models import Deadline, LegalDocument
from qingzhai.portfolio.api.common import AmountField, DateInputField, IdField, YuanField, money_fields

# Named choice sets, for the OpenAPI enum names (settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
PROCEEDING_KINDS = machines.KINDS
DOCUMENT_KINDS = tuple(catalog.KINDS)
DEADLINE_STATUSES = (*Deadline.Status.values, "all")
ROUTE_BASES = ("default", "history")


def _text(max_length: int = 200) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True, default="")


def fen_of(amount: Any) -> int | None:
    """A calculator's decimal-string amount ("1234.56") as integer fen."""
    if amount in (None, ""):
        return None
    return int(Decimal(str(amount)) * 100)


# --- inputs ----------------------------------------------------------------------------------------


class ProceedingQuery(serializers.Serializer):
    case = IdField(required=False, help_text="Only this case's proceedings")
    kind = serializers.ChoiceField(choices=PROCEEDING_KINDS, required=False)
    state = serializers.CharField(required=False, max_length=32)
    open = serializers.BooleanField(required=False, default=False, help_text="Only proceedings not ended")


class ProceedingOpenIn(serializers.Serializer):
    case_id = IdField()
    kind = serializers.ChoiceField(choices=PROCEEDING_KINDS)
    business_date = DateInputField(required=False, help_text="Default: today (business day, Asia/Shanghai)")
    court = _text()
    court_case_no = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    claim = AmountField(required=False, help_text="Yuan; default: the case's balance owed")
    parent_id = IdField(required=False, help_text="The proceeding this one comes from")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class FactsIn(serializers.Serializer):
    procedure = serializers.ChoiceField(
        choices=("small_claims", "simple", "ordinary", "court", "people"), required=False
    )
    hearing_on = DateInputField(required=False)
    performance_days = serializers.IntegerField(required=False, min_value=0, max_value=3650)
    last_instalment_on = DateInputField(required=False)
    asset = serializers.ChoiceField(choices=("deposit", "movable", "real_estate"), required=False)
    amount = AmountField(required=False, help_text="Yuan; recorded as amount_fen")
    reply_days = serializers.IntegerField(required=False, min_value=0, max_value=3650)
    agreement_on = DateInputField(required=False)


class EventIn(serializers.Serializer):
    event = serializers.CharField(max_length=40, help_text="An event the proceeding's state allows")
    business_date = DateInputField(required=False, help_text="Default: today")
    facts = FactsIn(required=False)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class DeadlineQuery(serializers.Serializer):
    start = DateInputField(required=False)
    end = DateInputField(required=False)
    status = serializers.ChoiceField(choices=DEADLINE_STATUSES, required=False, default="open")
    alerts = serializers.BooleanField(required=False, default=False, help_text="Only soon / due / overdue")
    case = IdField(required=False)


class KpiQuery(serializers.Serializer):
    creditor = IdField(required=False, help_text="Only this creditor's cases")


class DocumentIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DOCUMENT_KINDS)
    fmt = serializers.ChoiceField(choices=LegalDocument.Format.values, default="pdf", required=False)
    court = _text()
    proceeding_id = IdField(required=False)


# --- outputs ---------------------------------------------------------------------------------------


class DeadlineOut(serializers.Serializer):
    id = serializers.IntegerField()
    proceeding_id = serializers.IntegerField()
    case_id = serializers.IntegerField()
    code = serializers.CharField()
    label_zh = serializers.CharField()
    label_en = serializers.CharField()
    basis_zh = serializers.CharField()
    basis_en = serializers.CharField()
    party = serializers.CharField()
    due_on = serializers.DateField()
    status = serializers.ChoiceField(choices=Deadline.Status.values)
    alert = serializers.CharField(help_text="soon / due / overdue, or empty; set by the daily scan")
    closed_on = serializers.DateField(allow_null=True)


class EventOut(serializers.Serializer):
    id = serializers.IntegerField()
    event = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    business_date = serializers.DateField()
    facts = serializers.DictField()
    interrupts_limitation = serializers.BooleanField()
    note = serializers.CharField()
    actor_id = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()


class ProceedingOut(serializers.Serializer):
    id = serializers.IntegerField()
    case_id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=PROCEEDING_KINDS)
    state = serializers.CharField()
    parent_id = serializers.IntegerField(allow_null=True)
    court = serializers.CharField()
    court_case_no = serializers.CharField()
    locals().update(money_fields("claim", "recovered"))
    procedure = serializers.CharField()
    facts = serializers.DictField()
    outcome = serializers.CharField(help_text="Set when ended: recovered, effective, settled, …")
    opened_on = serializers.DateField()
    closed_on = serializers.DateField(allow_null=True)
    next_events = serializers.SerializerMethodField(help_text="Events the current state allows")

    def get_next_events(self, obj: Any) -> list[str]:
        if obj.outcome:
            return []
        try:
            return [spec.code for spec in machines.events_from(obj.kind, obj.state)]
        except machines.MachineError:
            return []


class ProceedingDetailOut(ProceedingOut):
    events = EventOut(many=True, source="events.all")
    deadlines = DeadlineOut(many=True, source="deadlines.all")


class DocumentOut(serializers.Serializer):
    id = serializers.IntegerField()
    case_id = serializers.IntegerField()
    proceeding_id = serializers.IntegerField(allow_null=True)
    kind = serializers.CharField()
    fmt = serializers.ChoiceField(choices=LegalDocument.Format.values)
    title = serializers.CharField()
    filename = serializers.CharField()
    media_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    court = serializers.CharField()
    locals().update(money_fields("claim"))
    created_at = serializers.DateTimeField()
    download_url = serializers.SerializerMethodField(help_text="Needs legal.view and pii.reveal")

    def get_download_url(self, obj: LegalDocument) -> str:
        from django.urls import reverse

        return reverse("api:legal-api:document-download", args=[obj.pk])


class FeeOut(serializers.Serializer):
    code = serializers.CharField()
    amount_fen = serializers.IntegerField()
    amount = YuanField(source="amount_fen")


class DebtFiguresOut(serializers.Serializer):
    debt_id = serializers.IntegerField()
    contract_no = serializers.CharField()
    locals().update(money_fields("outstanding"))
    interest_fen = serializers.IntegerField(allow_null=True, help_text="Contract interest to date, capped")
    interest = serializers.CharField(allow_null=True, help_text="The same in yuan")
    interest_detail = serializers.DictField(allow_null=True, help_text="The calculator's figures")
    interest_error = serializers.CharField()
    late_interest_fen = serializers.IntegerField(allow_null=True, help_text="Doubled late interest")
    late_interest = serializers.CharField(allow_null=True)
    late_interest_detail = serializers.DictField(allow_null=True)


class CaseLegalOut(serializers.Serializer):
    case_id = serializers.IntegerField()
    as_of = serializers.DateField()
    locals().update(money_fields("claim"))
    fees = FeeOut(many=True)
    debts = DebtFiguresOut(many=True)
    proceedings = ProceedingDetailOut(many=True)
    documents = DocumentOut(many=True)


def case_legal_data(legal: Any) -> dict[str, Any]:
    debts = []
    for f in legal.debts:
        interest = (f.interest or {}).get("interest")
        late = (f.late_interest or {}).get("amount")
        debts.append(
            {
                "debt_id": f.debt.pk,
                "contract_no": f.debt.contract_no,
                "outstanding_fen": f.outstanding_fen,
                "interest_fen": fen_of(interest),
                "interest": interest,
                "interest_detail": f.interest,
                "interest_error": f.interest_error,
                "late_interest_fen": fen_of(late),
                "late_interest": late,
                "late_interest_detail": f.late_interest,
            }
        )
    return {
        "case_id": legal.case.pk,
        "as_of": legal.as_of,
        "claim_fen": legal.claim_fen,
        "fees": [{"code": code, "amount_fen": fen} for code, fen in legal.fees.items()],
        "debts": debts,
        "proceedings": legal.proceedings,
        "documents": legal.documents,
    }


class TextOut(serializers.Serializer):
    zh = serializers.CharField()
    en = serializers.CharField()


class OptionOut(serializers.Serializer):
    code = serializers.CharField()
    zh = serializers.CharField()
    en = serializers.CharField()
    available = serializers.BooleanField()
    unavailable_reasons = TextOut(many=True)
    locals().update(money_fields("cost", "expected_recovery", "net"))
    cost_breakdown = serializers.DictField(child=serializers.IntegerField(), help_text="Fen per item")
    duration_days = serializers.IntegerField()
    p_success = serializers.FloatField()
    basis = serializers.ChoiceField(choices=ROUTE_BASES)
    notes = TextOut(many=True)
    procedure = serializers.CharField()


class SignalOut(serializers.Serializer):
    code = serializers.CharField()
    zh = serializers.CharField()
    en = serializers.CharField()
    evidence = serializers.CharField()
    strength = serializers.CharField()


class RouteOut(serializers.Serializer):
    on = serializers.DateField()
    recommended = serializers.CharField()
    options = OptionOut(many=True)
    explanation_zh = serializers.ListField(child=serializers.CharField())
    explanation_en = serializers.ListField(child=serializers.CharField())
    signals = SignalOut(many=True)


def route_data(advice: Any) -> dict[str, Any]:
    data = advice.as_dict()
    data["on"] = advice.on
    data["explanation_zh"] = list(advice.explanation_zh)
    data["explanation_en"] = list(advice.explanation_en)
    return data


class BandOut(serializers.Serializer):
    band_zh = serializers.CharField()
    band_en = serializers.CharField()
    payment_orders = serializers.IntegerField()
    ended = serializers.IntegerField()
    success_rate = serializers.FloatField(allow_null=True)
    median_days_to_issue = serializers.FloatField(allow_null=True)
    median_days_to_recovery = serializers.FloatField(allow_null=True)
    issued = serializers.IntegerField()
    recovered = serializers.IntegerField()


class RateOut(serializers.Serializer):
    ended = serializers.IntegerField()
    succeeded = serializers.IntegerField()
    success_rate = serializers.FloatField(allow_null=True)


class EnforcementOut(serializers.Serializer):
    locals().update(money_fields("claimed", "recovered"))
    recovery_rate = serializers.FloatField(allow_null=True)
    ended = serializers.IntegerField()
    recovered_in_full = serializers.IntegerField()


class MediationOut(serializers.Serializer):
    disputes_ended = serializers.IntegerField()
    mediated = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True)


class KpisOut(serializers.Serializer):
    proceedings = serializers.IntegerField()
    payment_order = RateOut()
    bands = BandOut(many=True)
    enforcement = EnforcementOut()
    mediation = MediationOut()

"""What the case page shows of compliance: the gate check before a contact, the sentence check, the debtor's
protections, disputes, dishonest-list matches and the last gate decisions."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from qingzhai.accounts import roles
from qingzhai.compliance.forms import (
    FLAG_FIELDS,
    ClearForm,
    ContactLogForm,
    DisputeOpenForm,
    DisputeResolveForm,
    ProtectionForm,
    UtteranceForm,
    format_windows,
)
from qingzhai.compliance.models import ContactDecision, DebtorProtection
from qingzhai.compliance.selectors import case_decisions, case_dishonest, case_disputes
from qingzhai.portfolio.models import Case

RECENT_DECISIONS = 10


def protection_initial(protection: DebtorProtection | None) -> dict[str, Any]:
    if protection is None:
        return {"guarantor_contact_allowed": True}
    return {
        "opted_out": list(protection.opted_out),
        "agreed_windows": format_windows(protection.agreed_windows),
        "lawyer_represented": protection.lawyer_represented,
        "lawyer_name": protection.lawyer_name,
        "bankrupt": protection.bankrupt,
        "deceased": protection.deceased,
        "minor": protection.minor,
        "incapacitated": protection.incapacitated,
        "time_barred": protection.time_barred,
        "unreachable": protection.unreachable,
        "guarantor_contact_allowed": protection.guarantor_contact_allowed,
        "hardship_until": protection.hardship_until.isoformat() if protection.hardship_until else "",
    }


def protection_any(protection: DebtorProtection | None) -> bool:
    """Whether anything beyond the defaults protects the debtor."""
    if protection is None:
        return False
    return (
        any(getattr(protection, name) for name in FLAG_FIELDS if name != "guarantor_contact_allowed")
        or not protection.guarantor_contact_allowed
        or protection.lawyer_represented
        or protection.hardship_until is not None
        or bool(protection.opted_out)
        or bool(protection.agreed_windows)
    )


def activity_form_for(contact_points: Any, decision: ContactDecision) -> ContactLogForm:
    """The log form set to the contact the gate just allowed, carrying the clearance."""
    return ContactLogForm(
        contact_points=contact_points,
        initial={
            "kind": decision.channel,
            "party": decision.party,
            "contact_point": str(decision.contact_point_id or ""),
            "decision_id": decision.pk,
        },
    )


def compliance_case_context(
    request: HttpRequest,
    case: Case,
    contact_points: list[Any],
    *,
    clear_form: ClearForm | None = None,
    clear_decision: ContactDecision | None = None,
    utterance_form: UtteranceForm | None = None,
    utterance: Any = None,
    protection_form: ProtectionForm | None = None,
    dispute_form: DisputeOpenForm | None = None,
    resolve_form: DisputeResolveForm | None = None,
    panel_notice: str = "",
) -> dict[str, Any]:
    user: Any = request.user
    can_work = user.can(roles.WORK_CASE)
    protect_full = user.can(roles.PROTECTION_SET)
    protection = DebtorProtection.objects.filter(debtor_id=case.debtor_id).first()
    disputes = case_disputes(case=case)
    open_dispute = next((d for d in disputes if d.resolved_at is None), None)
    return {
        "can_clear": can_work,
        "can_view_compliance": user.can(roles.COMPLIANCE_VIEW),
        "can_protect": can_work or protect_full,
        "protect_full": protect_full,
        "can_open_dispute": can_work,
        "can_resolve_dispute": protect_full,
        "clear_form": clear_form or ClearForm(contact_points=contact_points),
        "clear_decision": clear_decision,
        "utterance_form": utterance_form or UtteranceForm(),
        "utterance": utterance,
        "protection": protection,
        "protection_any": protection_any(protection),
        "protection_form": protection_form
        or ProtectionForm(full=protect_full, initial=protection_initial(protection)),
        "protection_open": protection_form is not None and bool(protection_form.errors),
        "disputes": disputes,
        "open_dispute": open_dispute,
        "dispute_form": dispute_form or DisputeOpenForm(),
        "resolve_form": resolve_form or DisputeResolveForm(),
        "dishonest": case_dishonest(case=case),
        "decisions": case_decisions(case=case, limit=RECENT_DECISIONS),
        "panel_notice": panel_notice,
    }

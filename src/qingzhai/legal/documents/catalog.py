"""The kinds of court document, their titles, how each names the parties, which need a court, which
proceeding each belongs to and which court fee it incurs. Pure: no Django."""

from __future__ import annotations

from dataclasses import dataclass

from qingzhai.core.errors import DomainError


@dataclass(frozen=True)
class DocumentKind:
    code: str
    zh: str  # the document's title
    en: str
    needs_court: bool  # filed with a court: refused without one (court_required)
    proceeding_kind: str  # the Proceeding.kind this document belongs to
    applicant_zh: str  # how the creditor is named in it
    respondent_zh: str  # how the debtor is named in it
    fee_key: str  # the fees_fen() key of the fee the filing incurs, "" for none

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "zh": self.zh,
            "en": self.en,
            "needs_court": self.needs_court,
            "proceeding_kind": self.proceeding_kind,
        }


KINDS: dict[str, DocumentKind] = {
    k.code: k
    for k in (
        DocumentKind("demand_letter", "催款函", "Demand letter", False, "demand", "债权人", "债务人", ""),
        DocumentKind("lawyer_letter", "律师函", "Lawyer's letter", False, "demand", "委托人", "致函对象", ""),
        DocumentKind(
            "payment_order_application",
            "支付令申请书",
            "Payment-order application",
            True,
            "payment_order",
            "申请人",
            "被申请人",
            "payment_order",
        ),
        DocumentKind(
            "complaint", "民事起诉状", "Civil complaint", True, "suit", "原告", "被告", "acceptance"
        ),
        DocumentKind(
            "preservation_application",
            "财产保全申请书",
            "Property-preservation application",
            True,
            "suit",
            "申请人",
            "被申请人",
            "preservation",
        ),
        DocumentKind(
            "enforcement_application",
            "强制执行申请书",
            "Enforcement application",
            True,
            "enforcement",
            "申请执行人",
            "被执行人",
            "enforcement",
        ),
        DocumentKind(
            "mediation_agreement", "调解协议", "Mediation agreement", False, "mediation", "甲方", "乙方", ""
        ),
        DocumentKind(
            "repayment_agreement",
            "还款协议",
            "Repayment agreement",
            False,
            "demand",
            "甲方（债权人）",
            "乙方（债务人）",
            "",
        ),
    )
}

# The proceedings whose instrument an enforcement application enforces, and what the instrument is called.
INSTRUMENTS: dict[str, tuple[str, str]] = {
    "suit": ("民事判决书", "civil judgment"),
    "payment_order": ("支付令", "payment order"),
    "mediation": ("民事调解书", "mediation statement"),
}


def kind_get(code: str) -> DocumentKind:
    """The document kind `code`; a bilingual `unknown_kind` error naming the known ones otherwise."""
    found = KINDS.get(str(code or "").strip())
    if found is None:
        known = ", ".join(KINDS)
        raise DomainError(
            "unknown_kind",
            "未知的文书类型：{kind}（可选：{known}）",
            "Unknown document kind: {kind} (one of: {known})",
            fields={"kind": [known]},
            kind=code,
            known=known,
        )
    return found


def court_kinds() -> list[str]:
    return [k.code for k in KINDS.values() if k.needs_court]

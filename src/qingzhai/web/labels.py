"""Bilingual labels for the stored choice values the pages show (activity kinds, outcomes, methods...)."""

from __future__ import annotations

from qingzhai.core.i18n import bi

LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "profile_basis": {
        "contract": ("合同约定", "Contract clause"),
        "court_order": ("法院调查令", "Court investigation order"),
        "consent": ("本人同意", "Consent"),
        "legal_duty": ("法定义务或公共记录", "Legal duty or public record"),
    },
    "activity_kind": {
        "call": ("电话", "Call"),
        "sms": ("短信", "SMS"),
        "letter": ("信函", "Letter"),
        "visit": ("外访", "Visit"),
        "email": ("电子邮件", "Email"),
        "bot_call": ("机器人外呼", "Bot call"),
        "note": ("备注", "Note"),
    },
    "outcome": {
        "no_answer": ("未接通", "No answer"),
        "connected": ("已接通", "Connected"),
        "promise": ("承诺还款", "Promise to pay"),
        "dispute": ("有异议", "Dispute"),
        "wrong_number": ("号码错误", "Wrong number"),
        "paid": ("称已还款", "Says paid"),
        "refused": ("拒绝还款", "Refused"),
        "left_message": ("已留言", "Left message"),
        "delivered": ("已送达", "Delivered"),
        "other": ("其他", "Other"),
    },
    "party": {
        "debtor": ("债务人本人", "Debtor"),
        "guarantor": ("担保人", "Guarantor"),
        "emergency": ("紧急联系人", "Emergency contact"),
        "third_party": ("第三方", "Third party"),
        "lawyer": ("代理律师", "Lawyer"),
        "none": ("无", "None"),
    },
    "payment_method": {
        "bank_transfer": ("银行转账", "Bank transfer"),
        "alipay": ("支付宝", "Alipay"),
        "wechat": ("微信支付", "WeChat Pay"),
        "cash": ("现金", "Cash"),
        "court": ("法院执行款", "Court"),
        "other": ("其他", "Other"),
    },
    "promise_status": {
        "open": ("待履行", "Open"),
        "kept": ("已履行", "Kept"),
        "broken": ("已违约", "Broken"),
        "cancelled": ("已取消", "Cancelled"),
    },
    "debt_status": {
        "open": ("未结清", "Open"),
        "paid": ("已结清", "Paid"),
        "closed": ("已关闭", "Closed"),
    },
    "contact_status": {
        "valid": ("有效", "Valid"),
        "wrong_number": ("号码错误", "Wrong number"),
        "refused": ("拒绝联系", "Refused"),
    },
    "debtor_kind": {
        "person": ("自然人", "Person"),
        "enterprise": ("企业", "Enterprise"),
    },
    "pii_attr": {
        "id_number": ("证件号码", "ID number"),
        "home_address": ("家庭住址", "Home address"),
        "work_address": ("单位地址", "Work address"),
        "value": ("电话号码", "Phone number"),
        "phone": ("电话号码", "Phone number"),
        "account": ("银行账号", "Bank account"),
    },
    "entity_type": {
        "portfolio.debtor": ("债务人", "Debtor"),
        "portfolio.contactpoint": ("联系方式", "Contact point"),
        "portfolio.case": ("案件", "Case"),
        "portfolio.debt": ("债务", "Debt"),
        "portfolio.payment": ("还款", "Payment"),
        "portfolio.promisetopay": ("承诺还款", "Promise to pay"),
        "portfolio.activity": ("联系记录", "Activity"),
        "portfolio.creditor": ("委托方", "Creditor"),
        "portfolio.portfolio": ("批次", "Portfolio"),
        "accounts.user": ("用户", "User"),
    },
}

# Outcomes offered as one-click buttons when logging a contact (the rest sit in the drop-down).
QUICK_OUTCOMES = ("no_answer", "connected", "promise", "dispute", "wrong_number", "paid")


def label(group: str, value: object) -> str:
    """The bilingual label of `value` in `group`, or the value itself when it has none."""
    text = "" if value is None else str(value)
    pair = LABELS.get(group, {}).get(text)
    return bi(*pair) if pair else text


def choices(group: str) -> list[tuple[str, str]]:
    """(value, label) pairs in the active language, for a form's choice field."""
    return [(value, bi(*pair)) for value, pair in LABELS[group].items()]

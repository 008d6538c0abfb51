"""Bilingual labels of the compliance vocabulary the pages show (channels, alert states, utterance
categories, rule effects, protection facts...)."""

from __future__ import annotations

from qingzhai.core.i18n import bi
from qingzhai.web.labels import LABELS as WEB_LABELS

LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "channel": {
        "call": ("人工电话", "Call"),
        "bot_call": ("机器人外呼", "Bot call"),
        "sms": ("短信", "SMS"),
        "email": ("电子邮件", "Email"),
        "letter": ("信函", "Letter"),
        "visit": ("外访", "Visit"),
    },
    # the same words as the activity log, without "none" (a contact always reaches someone)
    "party": {k: v for k, v in WEB_LABELS["party"].items() if k != "none"},
    "alert_status": {
        "active": ("未关闭", "Not closed"),
        "open": ("待处理", "Open"),
        "acknowledged": ("已确认", "Acknowledged"),
        "coached": ("已辅导", "Coached"),
        "escalated": ("已升级", "Escalated"),
        "closed": ("已关闭", "Closed"),
        "all": ("全部", "All"),
    },
    "alert_action": {
        "acknowledge": ("确认", "Acknowledge"),
        "coach": ("辅导", "Coach"),
        "escalate": ("升级", "Escalate"),
        "close": ("关闭", "Close"),
    },
    "severity": {
        "high": ("高", "High"),
        "medium": ("中", "Medium"),
        "low": ("低", "Low"),
    },
    "category": {
        "threat_violence": ("暴力威胁", "Threat of violence"),
        "insult_abuse": ("侮辱谩骂", "Insult or abuse"),
        "third_party_contact": ("骚扰第三方", "Pressure through third parties"),
        "disclosure": ("泄露债务信息", "Disclosure of the debt"),
        "impersonation": ("冒充公检法", "Impersonation"),
        "false_legal_consequence": ("虚假法律后果", "False legal consequence"),
        "excessive_fee": ("违规收费", "Excessive fees"),
        "debt_trap": ("诱导借新还旧", "Debt trap"),
        "privacy_exposure": ("曝光隐私", "Privacy exposure"),
    },
    "effect": {
        "deny": ("禁止", "Deny"),
        "require": ("附条件", "Requires"),
        "route": ("转交", "Route"),
        "info": ("提示", "Info"),
    },
    "speaker": {
        "collector": ("催收员", "Collector"),
        "bot": ("机器人", "Bot"),
        "debtor": ("债务人", "Debtor"),
    },
    "decision_source": {
        "web": ("网页", "Web"),
        "api": ("接口", "API"),
        "bot": ("机器人", "Bot"),
        "campaign": ("批量任务", "Campaign"),
        "cli": ("命令行", "Command line"),
        "system": ("系统", "System"),
    },
    "protection": {
        "bankrupt": ("已破产", "Bankrupt"),
        "deceased": ("已身故", "Deceased"),
        "minor": ("未成年", "Minor"),
        "incapacitated": ("无民事行为能力", "Incapacitated"),
        "time_barred": ("已过诉讼时效", "Time-barred"),
        "unreachable": ("本人失联", "Debtor unreachable"),
        "guarantor_contact_allowed": ("合同允许联系担保人", "Guarantor may be contacted"),
        "lawyer_represented": ("已委托律师", "Represented by a lawyer"),
        "hardship_until": ("困难保护期至", "Hardship protection until"),
        "opted_out": ("拒绝的渠道", "Opted-out channels"),
        "agreed_windows": ("约定联系时间", "Agreed contact times"),
        "lawyer_name": ("律师姓名", "Lawyer's name"),
        "lawyer_phone": ("律师电话", "Lawyer's phone"),
    },
    "basis_status": {
        "confirmed_primary": ("已核实（原文）", "Confirmed (primary source)"),
        "confirmed_secondary": ("已核实（转引）", "Confirmed (secondary source)"),
        "engineering_default": ("工程默认值", "Engineering default"),
    },
    "route": {
        "enforcement": ("转执行", "Enforcement"),
        "lawyer": ("联系律师", "Through the lawyer"),
    },
}


def label(group: str, value: object) -> str:
    """The bilingual label of `value` in `group`, or the value itself when it has none."""
    text = "" if value is None else str(value)
    pair = LABELS.get(group, {}).get(text)
    return bi(*pair) if pair else text


def choices(group: str, values: tuple[str, ...] | None = None) -> list[tuple[str, str]]:
    """(value, label) pairs in the active language, for a form's choice field."""
    items = LABELS[group]
    keys = values if values is not None else tuple(items)
    return [(value, bi(*items[value])) for value in keys]

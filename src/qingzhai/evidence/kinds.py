"""The kinds of act the ledger records, with their Chinese and English names. Pure: no Django import,
so the court bundle's index can use them too."""

from __future__ import annotations

# Every kind of act the ledger records, with its Chinese and English names.
KINDS: dict[str, tuple[str, str]] = {
    "activity": ("催收活动", "Collection activity"),
    "utterance": ("通话语句", "Utterance"),
    "document": ("生成文书", "Generated document"),
    "letter": ("信函", "Letter"),
    "sms": ("短信", "SMS"),
    "sms_receipt": ("短信送达回执", "SMS delivery receipt"),
    "email": ("电子邮件", "E-mail"),
    "payment": ("还款", "Payment"),
    "payment_reversal": ("还款冲正", "Payment reversal"),
    "promise": ("承诺还款", "Promise to pay"),
    "promise_change": ("承诺变更", "Promise change"),
    "agreement_event": ("协议事件", "Agreement event"),
    "stage_change": ("阶段变更", "Stage change"),
    "compliance_decision": ("合规判定", "Compliance decision"),
    "pii_reveal": ("个人信息查看", "Personal data reveal"),
    "file": ("证据文件", "Evidence file"),
    "profile_source": ("画像数据来源", "Profile data source"),
    "model_change": ("评分模型变更", "Scoring model change"),
    "legal_event": ("法律程序事件", "Legal proceeding event"),
    "bot_call": ("机器人通话", "Bot call"),
    "campaign": ("催收活动批次", "Reminder campaign"),
    "campaign_message": ("批量提醒消息", "Campaign message"),
    "campaign_receipt": ("批量提醒回执", "Campaign message receipt"),
}

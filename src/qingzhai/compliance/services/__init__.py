"""Every write of the compliance room (split by subject)."""

from qingzhai.compliance.services.contacts import (
    ContactDenied,
    contact_clear,
    contact_log,
    decision_explain,
    decision_summary,
)
from qingzhai.compliance.services.dishonest import dishonest_import, dishonest_match_clear, dishonest_recheck
from qingzhai.compliance.services.protection import (
    creditor_policy_set,
    dispute_open,
    dispute_resolve,
    protection_set,
)
from qingzhai.compliance.services.screening import alert_act, bot_utterance_release, utterance_record

__all__ = [
    "ContactDenied",
    "alert_act",
    "bot_utterance_release",
    "contact_clear",
    "contact_log",
    "creditor_policy_set",
    "decision_explain",
    "decision_summary",
    "dishonest_import",
    "dishonest_match_clear",
    "dishonest_recheck",
    "dispute_open",
    "dispute_resolve",
    "protection_set",
    "utterance_record",
]

"""Rule families, one module each; `CHECKS` maps a pack rule's `kind` to the function that checks it."""

from __future__ import annotations

from qingzhai.compliance.gate.rules.base import Check
from qingzhai.compliance.gate.rules.frequency import check_cooloff, check_count_cap
from qingzhai.compliance.gate.rules.hours import check_hours_window
from qingzhai.compliance.gate.rules.parties import check_guarantor, check_refused_contact, check_third_party
from qingzhai.compliance.gate.rules.stops import (
    check_dishonest_listed,
    check_hardship,
    check_opt_out,
    check_representation,
    check_stop_flag,
    check_time_barred,
)
from qingzhai.compliance.gate.rules.usregf import check_validation_notice
from qingzhai.compliance.policies.packs import RuleSpec

CHECKS: dict[str, Check] = {
    "hours_window": check_hours_window,
    "count_cap": check_count_cap,
    "cooloff": check_cooloff,
    "third_party": check_third_party,
    "refused_contact": check_refused_contact,
    "guarantor": check_guarantor,
    "stop_flag": check_stop_flag,
    "hardship": check_hardship,
    "opt_out": check_opt_out,
    "time_barred": check_time_barred,
    "representation": check_representation,
    "dishonest_listed": check_dishonest_listed,
    "validation_notice": check_validation_notice,
}

# kinds that read history over a run of local days (parameter `window_days`)
WINDOWED_KINDS = frozenset({"count_cap", "cooloff", "dishonest_listed"})


def lookback_days(rule: RuleSpec) -> int:
    """Whole days of history a rule reads before the contact. A window of N local dates starts at most
    N days (plus a daylight-saving hour) before the contact; one day more is a safe margin."""
    if rule.kind in WINDOWED_KINDS:
        return int(rule.value("window_days")) + 1
    return 0

"""c. divorce_asset_transfer: property or a vehicle handed to the (ex-)spouse or a relative around a divorce,
for nothing or under 70 % of its value, while a debt was owing ("假离婚"; Civil Code arts. 538-542;
婚姻家庭编解释（二） art. 3).

The window runs from `divorce_before_months` before to `divorce_after_months` after the divorce date
(marriage record, event divorce), both ends included.
"""

from __future__ import annotations

from qingzhai.profiling.flags.common import Row, View, add_months, record_evidence, record_ref
from qingzhai.profiling.flags.model import Flag, FlagSettings
from qingzhai.profiling.flags.transfers import (
    AVOIDANCE_RULE,
    DEADLINE_NOTE,
    FAMILY,
    Transfer,
    relation,
    revocable,
    transfer_facts,
)

CODE = "divorce_asset_transfer"
PURPOSE = "litigation"
TITLE = (
    "离婚前后向配偶或亲属低价或无偿转移财产",
    "Assets moved to the spouse or a relative around a divorce",
)
DIVORCE_RULE = (
    "《最高人民法院关于适用〈中华人民共和国民法典〉婚姻家庭编的解释（二）》（法释〔2025〕1号）第3条："
    "离婚协议中的财产分割条款影响债权人债权实现的，债权人可以参照《民法典》第538条、第539条请求撤销。",
    "SPC Interpretation (II) on the Marriage and Family Book (法释〔2025〕1号) art. 3: a creditor whose claim "
    "is impaired by the property-division clause of a divorce agreement may request its revocation by analogy "
    "to Civil Code arts. 538 and 539.",
)


def in_window(transfer: Transfer, divorce: Row, s: FlagSettings) -> bool:
    day = divorce["event_date"]
    return (
        add_months(day, -s.divorce_before_months) <= transfer.day <= add_months(day, s.divorce_after_months)
    )


def divorce_for(view: View, transfer: Transfer, s: FlagSettings) -> Row | None:
    """The divorce whose window holds the transfer, when it went to the (ex-)spouse or a relative (the
    divorce nearest the transfer when several do)."""
    if relation(view, transfer.rec, transfer.day) not in FAMILY:
        return None
    divorces = [
        d
        for d in view.record("marriage")
        if d["event"] == "divorce" and d["event_date"] and in_window(transfer, d, s)
    ]
    if not divorces:
        return None
    return min(divorces, key=lambda d: (abs((d["event_date"] - transfer.day).days), d["event_date"]))


def check(view: View, s: FlagSettings) -> list[Flag]:
    flags = []
    for t in revocable(view, s):
        divorce = divorce_for(view, t, s)
        if divorce is None:
            continue
        rel = relation(view, t.rec, t.day)
        facts = transfer_facts(view, t, rel, s)
        facts.update(
            {
                "divorce_date": divorce["event_date"].isoformat(),
                "spouse": divorce["spouse"],
                "days_from_divorce": (t.day - divorce["event_date"]).days,
                "window": {"months_before": s.divorce_before_months, "months_after": s.divorce_after_months},
                "divorce_record": record_ref("marriage", divorce),
                "agreement_note": divorce["agreement_note"],
            }
        )
        flags.append(
            Flag(
                code=CODE,
                severity="high",
                title_zh=TITLE[0],
                title_en=TITLE[1],
                facts=facts,
                rule_zh=AVOIDANCE_RULE[0] + DIVORCE_RULE[0] + DEADLINE_NOTE[0],
                rule_en=f"{AVOIDANCE_RULE[1]} {DIVORCE_RULE[1]} {DEADLINE_NOTE[1]}",
                evidence=[record_evidence(t.kind, t.rec), record_evidence("marriage", divorce)],
                purpose=PURPOSE,
            )
        )
    return flags

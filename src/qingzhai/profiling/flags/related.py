"""d. related_party_transfer: assets or money moved to people and companies close to the debtor.

1. A property or vehicle transfer (outside any divorce window, which `divorce` covers) to a relative, the
   (ex-)spouse or a related company, for nothing or under 70 % of its value, while a debt was owing. Related
   means: the recorded `transferee_relation` (spouse, ex_spouse, relative, related_company), or a transferee
   named as a spouse in a marriage record, or as a company, legal representative or shareholder in the
   debtor's business records. Gratuitous: high; low price: medium.
2. Transfers of money (direction ``out``) to the spouse's or ex-spouse's name after the earliest debt went
   overdue, each at least `spouse_outflow_min_fen`; high when they total `spouse_outflow_high_fen`.
"""

from __future__ import annotations

import re
from typing import Any

from qingzhai.profiling.flags.common import (
    Row,
    View,
    record_evidence,
    record_ref,
    same_party,
    txn_evidence,
)
from qingzhai.profiling.flags.divorce import divorce_for
from qingzhai.profiling.flags.model import Flag, FlagSettings
from qingzhai.profiling.flags.transfers import (
    AVOIDANCE_RULE,
    DEADLINE_NOTE,
    relation,
    revocable,
    transfer_facts,
)

CODE = "related_party_transfer"
PURPOSE = "litigation"
TITLE = ("向关联方低价或无偿转移财产", "Assets moved to a related party for little or nothing")
TITLE_CASH = ("逾期后向配偶转出大额资金", "Large transfers to the spouse after default")
RELATED = ("spouse", "ex_spouse", "relative", "related_company")
CASH_RULE = (
    "最早一笔债务逾期后，单笔不少于{each}、转给配偶或前配偶名下的资金。"
    "债务人无偿处分财产、影响债权实现的，债权人可依《民法典》第538条请求撤销（期限见第541条）；"
    "被执行人以转移财产等方式规避执行的，应纳入失信被执行人名单（《关于公布失信被执行人名单信息的若干规定》第1条第3项），"
    "并可能构成拒不执行判决、裁定罪（《刑法》第313条；法释〔2024〕13号第3条）。",
    "Money sent to the spouse's or ex-spouse's name, each transfer at least {each}, after the earliest debt "
    "went overdue. A gratuitous disposal impairing the claim may be revoked at the creditor's request (Civil "
    "Code art. 538, periods in art. 541); a judgment debtor evading enforcement by transferring assets is put "
    "on the defaulter list (Provisions on Publishing the List of Dishonest Judgment Debtors art. 1(3)) and may "
    "commit the crime of refusing to execute a judgment (Criminal Law art. 313; 法释〔2024〕13号 art. 3).",
)


def related_names(view: View) -> list[tuple[str, str, Row | None]]:
    """(name, why, business record) for people and companies the debtor's records tie to it."""
    out: list[tuple[str, str, Row | None]] = [(m["spouse"], "spouse", None) for m in view.spouses()]
    for rec in view.record("business"):
        out.append((rec["company"], "company", rec))
        if rec["legal_representative"]:
            out.append((rec["legal_representative"], "legal_representative", rec))
        if rec["change_type"] in ("shareholder", "legal_representative"):
            for text in (rec["change_before"], rec["change_after"]):
                for name in re.split(r"[,，、;；/\s]+", text or ""):
                    if name:
                        out.append((name, "shareholder", rec))
    return [(n, why, rec) for n, why, rec in out if n and not same_party(n, view.name)]


def _asset_flags(view: View, s: FlagSettings) -> list[Flag]:
    flags = []
    names = related_names(view)
    for t in revocable(view, s):
        if divorce_for(view, t, s) is not None:
            continue
        rel = relation(view, t.rec, t.day)
        match = next(((n, why, rec) for n, why, rec in names if same_party(t.rec["transferee"], n)), None)
        if rel not in RELATED and match is None:
            continue
        facts = transfer_facts(view, t, rel, s)
        evidence = [record_evidence(t.kind, t.rec)]
        if match is not None:
            facts["matched_name"] = {"name": match[0], "as": match[1]}
            if match[2] is not None:
                facts["matched_name"]["record"] = record_ref("business", match[2])
                evidence.append(record_evidence("business", match[2]))
        flags.append(
            Flag(
                code=CODE,
                severity="high" if t.gratuitous else "medium",
                title_zh=TITLE[0],
                title_en=TITLE[1],
                facts=facts,
                rule_zh=AVOIDANCE_RULE[0] + DEADLINE_NOTE[0],
                rule_en=f"{AVOIDANCE_RULE[1]} {DEADLINE_NOTE[1]}",
                evidence=evidence,
                purpose=PURPOSE,
            )
        )
    return flags


def _cash_flag(view: View, s: FlagSettings) -> list[Flag]:
    debt = view.earliest_overdue()
    spouses = [m["spouse"] for m in view.spouses()]
    if debt is None or not spouses:
        return []
    since = debt["overdue_since"]
    sent = [
        t
        for t in view.txns
        if t["direction"] == "out"
        and t["time"].date() >= since
        and (t["amount_fen"] or 0) >= s.spouse_outflow_min_fen
        and any(same_party(t["counterparty"], name) for name in spouses)
    ]
    if not sent:
        return []
    total = sum(t["amount_fen"] or 0 for t in sent)
    facts: dict[str, Any] = {
        "spouse_names": sorted(set(spouses)),
        "overdue_since": since.isoformat(),
        "debt_id": debt["debt_id"],
        "count": len(sent),
        "total_fen": total,
        "min_each_fen": s.spouse_outflow_min_fen,
        "first": sent[0]["time"].date().isoformat(),
        "last": sent[-1]["time"].date().isoformat(),
    }
    cited = sorted(sent, key=lambda t: (-(t["amount_fen"] or 0), t["time"]))[: s.max_evidence]
    each = s.spouse_outflow_min_fen // 100
    return [
        Flag(
            code=CODE,
            severity="high" if total >= s.spouse_outflow_high_fen else "medium",
            title_zh=TITLE_CASH[0],
            title_en=TITLE_CASH[1],
            facts=facts,
            rule_zh=CASH_RULE[0].format(each=f"{each:,}元"),
            rule_en=CASH_RULE[1].format(each=f"CNY {each:,}"),
            evidence=[txn_evidence(t) for t in cited],
            purpose=PURPOSE,
        )
    ]


def check(view: View, s: FlagSettings) -> list[Flag]:
    return _asset_flags(view, s) + _cash_flag(view, s)

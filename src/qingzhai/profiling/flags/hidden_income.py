"""b. hidden_income: regular inflows from a payer the debtor never declared.

Within the last `hidden_window_months` calendar months (ending with the as-of month): income rows (direction
``in``; own transfers, refunds and credit draws are neutral and never count) grouped by counterparty. A payer
is flagged when it paid in at least `hidden_min_months` distinct months, more than `hidden_min_total_fen` in
all, and is neither the declared employer (declared income, the debtor's profile, contribution records) nor
the debtor. Only when no income is declared, or the declared monthly income is below the observed monthly
income (all income rows / months the bills cover in the window).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from qingzhai.profiling.flags.common import (
    Row,
    View,
    at_least,
    month_index,
    month_label,
    norm_name,
    record_evidence,
    round_div,
    same_party,
    txn_evidence,
)
from qingzhai.profiling.flags.model import Flag, FlagSettings

CODE = "hidden_income"
PURPOSE = "capacity_assessment"
TITLE = ("存在未申报的固定收入来源", "Regular income from an undeclared payer")
RULE = (
    "近{window}个月内，同一付款方（非申报的工作单位、非本人账户）在至少{months}个不同月份向债务人付款，"
    "合计超过{total}，且未申报收入或申报的月收入低于账单所见月收入。被执行人应如实报告收入"
    "（《最高人民法院关于民事执行中财产调查若干问题的规定》第3–7条；《民事诉讼法》（2023）第252、254条：报告财产、扣留提取收入）。",
    "In the last {window} months one payer (not the declared employer, not the debtor's own account) paid the "
    "debtor in at least {months} distinct months, more than {total} in all, and no income is declared or the "
    "declared monthly income is below the monthly income the bills show. A judgment debtor must report its "
    "income truthfully (SPC Provisions on Property Investigation in Civil Enforcement arts. 3-7; Civil "
    "Procedure Law 2023 arts. 252, 254: reporting assets, withholding income).",
)


def employers(view: View) -> list[str]:
    names = [view.employer] + [r["employer"] for r in view.record("declared_income")]
    names += [r["employer"] for r in view.record("contribution")]
    return sorted({n for n in names if n})


def check(view: View, s: FlagSettings) -> list[Flag]:
    end = month_index(view.as_of)
    start = end - s.hidden_window_months + 1
    rows = [t for t in view.txns if start <= month_index(t["time"]) <= end]
    income = [t for t in rows if t["direction"] == "in" and t["nature"] == "income"]
    if not income:
        return []
    known = employers(view)
    payers: dict[str, list[Row]] = defaultdict(list)
    for t in income:
        who = norm_name(t["counterparty"])
        if not who or same_party(who, view.name) or any(same_party(who, e) for e in known):
            continue
        payers[who].append(t)
    hits = []
    for who, paid in sorted(payers.items()):
        months = sorted({month_index(t["time"]) for t in paid})
        total = sum(t["amount_fen"] or 0 for t in paid)
        if len(months) >= s.hidden_min_months and total > s.hidden_min_total_fen:
            hits.append((who, paid, months, total))
    if not hits:
        return []
    covered = max(month_index(t["time"]) for t in rows) - min(month_index(t["time"]) for t in rows) + 1
    observed_total = sum(t["amount_fen"] or 0 for t in income)
    observed = round_div(observed_total, covered)
    declared = view.declared_income()
    declared_fen = declared["monthly_income_fen"] if declared else None
    if declared_fen is not None and observed <= declared_fen:
        return []
    high = declared_fen is not None and at_least(observed_total, covered * declared_fen, s.hidden_high_ratio)
    facts: dict[str, Any] = {
        "window_months": s.hidden_window_months,
        "months_covered": covered,
        "payers": [
            {
                "counterparty": paid[0]["counterparty"],
                "months": [month_label(m) for m in months],
                "count": len(paid),
                "total_fen": total,
                "monthly_average_fen": round_div(total, len(months)),
            }
            for who, paid, months, total in hits
        ],
        "hidden_total_fen": sum(h[3] for h in hits),
        "observed_monthly_income_fen": observed,
        "declared_monthly_income_fen": declared_fen,
        "declared_on": declared["declared_on"].isoformat() if declared else None,
        "declared_employers": known,
    }
    cited = sorted((t for h in hits for t in h[1]), key=lambda t: (-(t["amount_fen"] or 0), t["time"]))
    evidence = ([record_evidence("declared_income", declared)] if declared else []) + [
        txn_evidence(t) for t in cited[: s.max_evidence]
    ]
    fmt = {"window": s.hidden_window_months, "months": s.hidden_min_months}
    return [
        Flag(
            code=CODE,
            severity="high" if high else "medium",
            title_zh=TITLE[0],
            title_en=TITLE[1],
            facts=facts,
            rule_zh=RULE[0].format(total=f"{s.hidden_min_total_fen // 100:,}元", **fmt),
            rule_en=RULE[1].format(total=f"CNY {s.hidden_min_total_fen // 100:,}", **fmt),
            evidence=evidence,
            purpose=PURPOSE,
        )
    ]

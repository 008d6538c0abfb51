"""a. income_consumption_gap: observed net consumption against the declared monthly income.

Net consumption of a month = CNY spending (direction ``out``) - the refunded part stated on those rows -
refund rows pointing at them (counted in the month of the purchase they reverse, or in their own month when
the purchase is not in the bills). Own transfers, investments, credit draws and repayments, failed and
closed trades are neutral (sources/base.py) and never count. The window is `gap_window_months` calendar
months ending with the as-of month, narrowed to the months the bills cover (first to last month with any
row); a covered month without spending counts as zero.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from qingzhai.profiling.flags.common import (
    Row,
    View,
    at_least,
    is_cny,
    month_index,
    month_label,
    ratio,
    record_evidence,
    record_ref,
    round_div,
    txn_evidence,
)
from qingzhai.profiling.flags.model import Flag, FlagSettings

CODE = "income_consumption_gap"
PURPOSE = "capacity_assessment"
TITLE = ("消费水平与申报收入不符", "Consumption out of line with declared income")
RULE = (
    "统计窗口内（默认截至基准日的36个自然月，账单覆盖月份较少时以覆盖月份为准）的月均净消费"
    "（人民币支出 − 退款；本人账户间转账、理财、借还款、失败或关闭的交易不计入），除以基准日前最近一次申报的月收入。"
    "比值 ≥ {medium} 为中度，≥ {high} 为高度。仅为还款能力评估线索，须人工核实。",
    "Average monthly net consumption (CNY spending minus refunds; own-account transfers, investments, credit "
    "draws and repayments, failed and closed trades excluded) over the window (36 calendar months ending with "
    "the as-of month by default, or the months the bills cover if fewer), divided by the latest monthly "
    "income declared on or before the as-of date. Ratio >= {medium}: medium; >= {high}: high. A lead for "
    "assessing the ability to repay, to be verified by a person.",
)


def check(view: View, s: FlagSettings) -> list[Flag]:
    declared = view.declared_income()
    if declared is None:
        return []
    end = month_index(view.as_of)
    start = end - s.gap_window_months + 1
    rows = [t for t in view.txns if start <= month_index(t["time"]) <= end]
    if not rows:
        return []
    first = min(month_index(t["time"]) for t in rows)
    last = max(month_index(t["time"]) for t in rows)
    months = last - first + 1
    if months < s.gap_min_months:
        return []
    all_refs = {t["ref"] for t in view.txns if t["direction"] == "out" and t["ref"]}
    spent, refunds, purchases, excluded = _net(rows, all_refs)
    monthly = []
    total = 0
    for m in range(first, last + 1):
        net = max(0, spent[m] - refunds[m])
        total += net
        monthly.append(
            {"month": month_label(m), "spending_fen": spent[m], "refunds_fen": refunds[m], "net_fen": net}
        )
    average = round_div(total, months)
    income = declared["monthly_income_fen"]
    if average < s.gap_min_monthly_fen:
        return []
    if income > 0:
        if not at_least(total, months * income, s.gap_medium_ratio):
            return []
        severity = "high" if at_least(total, months * income, s.gap_high_ratio) else "medium"
        value: float | None = ratio(total, months * income)
    else:
        severity, value = "high", None
    facts: dict[str, Any] = {
        "window_months": s.gap_window_months,
        "months": months,
        "from": month_label(first),
        "to": month_label(last),
        "monthly": monthly,
        "total_net_consumption_fen": total,
        "average_monthly_consumption_fen": average,
        "declared_monthly_income_fen": income,
        "declared_on": declared["declared_on"].isoformat(),
        "declared_source": declared["source"],
        "declared_record": record_ref("declared_income", declared),
        "ratio": value,
        "thresholds": {"medium": s.gap_medium_ratio, "high": s.gap_high_ratio},
        "excluded": excluded,
    }
    top = sorted(purchases, key=lambda t: (-_net_of(t), t["time"], t["row"]))[: s.evidence_top_n]
    evidence = [record_evidence("declared_income", declared)] + [txn_evidence(t) for t in top]
    return [
        Flag(
            code=CODE,
            severity=severity,
            title_zh=TITLE[0],
            title_en=TITLE[1],
            facts=facts,
            rule_zh=RULE[0].format(medium=s.gap_medium_ratio, high=s.gap_high_ratio),
            rule_en=RULE[1].format(medium=s.gap_medium_ratio, high=s.gap_high_ratio),
            evidence=evidence,
            purpose=PURPOSE,
        )
    ]


def _net_of(txn: Row) -> int:
    return max(0, (txn["amount_fen"] or 0) - (txn["refunded_fen"] or 0))


def _net(
    rows: list[Row], all_refs: set[str]
) -> tuple[dict[int, int], dict[int, int], list[Row], dict[str, int]]:
    """(spending per month, refunds per month, the purchases, what was left out) for in-window rows.
    A refund of a purchase outside the window (in `all_refs`) offsets nothing inside it."""
    spent: dict[int, int] = defaultdict(int)
    refunds: dict[int, int] = defaultdict(int)
    purchases = [t for t in rows if t["direction"] == "out" and is_cny(t)]
    left: dict[str, int] = {}  # ref -> amount still refundable
    month_of: dict[str, int] = {}
    for t in purchases:
        m = month_index(t["time"])
        spent[m] += t["amount_fen"] or 0
        refunds[m] += min(t["refunded_fen"] or 0, t["amount_fen"] or 0)
        if t["ref"]:
            left[t["ref"]] = _net_of(t)
            month_of[t["ref"]] = m
    excluded = {"refunds_fen": sum(refunds.values()), "own_transfer_fen": 0, "other_neutral_fen": 0}
    for t in rows:
        if t["direction"] != "neutral" or not is_cny(t):
            continue
        amount = t["amount_fen"] or 0
        if t["nature"] == "refund":
            original = t["refund_of"] or ""
            if original in left:
                applied = min(amount, left[original])
                left[original] -= applied
                refunds[month_of[original]] += applied
            elif original and original in all_refs:
                continue
            else:
                applied = amount
                refunds[month_index(t["time"])] += applied
            excluded["refunds_fen"] += applied
        elif t["nature"] == "own_transfer":
            excluded["own_transfer_fen"] += amount
        else:
            excluded["other_neutral_fen"] += amount
    return spent, refunds, purchases, excluded

"""f. new_assets: something to enforce against appeared after the debt went overdue, so a suit or an
enforcement application is timely.

After the earliest `overdue_since` of a debt still owing:
* property or a vehicle acquired (event acquisition, or acquired_on / registered_on after that day on a
  holding or mortgage record) by an owner whose relation is in `new_asset_owner_relations`, and not
  transferred away since;
* a new regular salary-like inflow: a payer with no income rows on or before that day that then paid at
  least `new_salary_min_fen` in each of `new_salary_min_months` consecutive months, with a salary word
  (工资, 薪, 代发, 奖金 ...) or steady amounts (largest month <= `new_salary_spread` x smallest);
* escrow or pre-sale funds (监管账户, 预售资金, 资金监管) in a business record, or in a transaction after that day.
Property or escrow funds: high; otherwise medium.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from qingzhai.profiling.flags.common import (
    Row,
    View,
    month_index,
    month_label,
    norm_name,
    record_evidence,
    record_ref,
    same_party,
    text_of,
    txn_evidence,
)
from qingzhai.profiling.flags.model import Flag, FlagSettings

CODE = "new_assets"
PURPOSE = "asset_investigation"
TITLE = (
    "逾期后出现新的财产线索，宜及时起诉或申请执行",
    "New assets after default: a suit or enforcement application is timely",
)
RULE = (
    "债务逾期后出现可供执行的新财产（不动产、车辆、新的固定收入、监管或预售资金）。诉讼时效三年（《民法典》第188条）；"
    "申请执行的期间为二年（《民事诉讼法》（2023）第250条）；终结本次执行后发现新财产的，可以再次申请执行，不受二年期间限制"
    "（《民诉法解释》第517条）；法院可查询、冻结、划拨存款（第253条），扣留、提取收入（第254条），查封、拍卖财产（第255条）。",
    "New assets available for enforcement (real estate, a vehicle, a new regular income, escrow or pre-sale "
    "funds) appeared after default. The limitation period is three years (Civil Code art. 188); the period to "
    "apply for enforcement is two years (Civil Procedure Law 2023 art. 250); after enforcement was terminated "
    "for want of assets, the creditor may apply again when new assets are found, not bound by the two-year "
    "period (CPL Interpretation art. 517); the court may freeze and transfer deposits (art. 253), withhold "
    "income (art. 254), and seal and auction property (art. 255).",
)
SALARY = re.compile(r"工资|薪|代发|奖金|劳务|salary|payroll|wage", re.IGNORECASE)
ESCROW = re.compile(r"监管账户|预售资金|资金监管|预售监管|监管资金")
_ID = {"property": "property_id", "vehicle": "plate"}


def _acquisitions(view: View, since: Any, s: FlagSettings) -> list[tuple[str, Row, Any]]:
    """(kind, record, acquisition date) of assets acquired after `since` and still held."""
    out: list[tuple[str, Row, Any]] = []
    for kind in ("property", "vehicle"):
        rows = view.record(kind)
        for rec in rows:
            if rec["owner_relation"] not in s.new_asset_owner_relations:
                continue
            acquired = rec["event_date"] if rec["event"] == "acquisition" else None
            acquired = acquired or rec.get("acquired_on") or rec.get("registered_on")
            if acquired is None or acquired <= since or rec["event"] in ("transfer", "seizure"):
                continue
            gone = any(
                r["event"] == "transfer"
                and r[_ID[kind]] == rec[_ID[kind]]
                and r["event_date"] is not None
                and r["event_date"] >= acquired
                for r in rows
            )
            if not gone and all(rec[_ID[kind]] != k[1][_ID[kind]] for k in out if k[0] == kind):
                out.append((kind, rec, acquired))
    return out


def _new_payers(view: View, since: Any, s: FlagSettings) -> list[tuple[str, list[Row], list[int]]]:
    by_payer: dict[str, list[Row]] = defaultdict(list)
    for t in view.txns:
        who = norm_name(t["counterparty"])
        if t["direction"] == "in" and t["nature"] == "income" and who and not same_party(who, view.name):
            by_payer[who].append(t)
    out = []
    for _, rows in sorted(by_payer.items()):
        if any(t["time"].date() <= since for t in rows):
            continue
        monthly: dict[int, int] = defaultdict(int)
        for t in rows:
            monthly[month_index(t["time"])] += t["amount_fen"] or 0
        run = _longest_run([m for m in sorted(monthly) if monthly[m] >= s.new_salary_min_fen])
        if len(run) < s.new_salary_min_months:
            continue
        sums = [monthly[m] for m in run]
        salary_word = any(SALARY.search(text_of(t)) for t in rows)
        if salary_word or max(sums) * 100 <= round(s.new_salary_spread * 100) * min(sums):
            out.append((rows[0]["counterparty"], [t for t in rows if month_index(t["time"]) in run], run))
    return out


def _longest_run(months: list[int]) -> list[int]:
    best: list[int] = []
    current: list[int] = []
    for m in months:
        current = [*current, m] if current and m == current[-1] + 1 else [m]
        if len(current) > len(best):
            best = current
    return best


def _escrow(view: View, since: Any) -> tuple[list[Row], list[Row]]:
    records = [
        r
        for r in view.record("business")
        if any(
            ESCROW.search(str(r.get(k) or ""))
            for k in ("company", "change_type", "change_before", "change_after")
        )
    ]
    txns = [t for t in view.txns if t["time"].date() > since and ESCROW.search(text_of(t))]
    return records, txns


def check(view: View, s: FlagSettings) -> list[Flag]:
    debt = view.earliest_overdue()
    if debt is None:
        return []
    since = debt["overdue_since"]
    assets = _acquisitions(view, since, s)
    payers = _new_payers(view, since, s)
    escrow_records, escrow_txns = _escrow(view, since)
    if not (assets or payers or escrow_records or escrow_txns):
        return []
    items: list[dict[str, Any]] = []
    evidence: list[dict[str, Any]] = []
    for kind, rec, acquired in assets:
        items.append(
            {
                "type": kind,
                "asset": rec[_ID[kind]],
                "owner": rec["owner"],
                "owner_relation": rec["owner_relation"],
                "date": acquired.isoformat(),
                "value_fen": rec.get("acquisition_price_fen") or rec.get("reference_value_fen"),
                "record": record_ref(kind, rec),
            }
        )
        evidence.append(record_evidence(kind, rec))
    for name, rows, run in payers:
        items.append(
            {
                "type": "salary",
                "counterparty": name,
                "from": month_label(run[0]),
                "to": month_label(run[-1]),
                "months": len(run),
                "total_fen": sum(t["amount_fen"] or 0 for t in rows),
            }
        )
        evidence += [txn_evidence(t) for t in rows[: s.evidence_top_n]]
    for rec in escrow_records:
        items.append({"type": "escrow", "company": rec["company"], "record": record_ref("business", rec)})
        evidence.append(record_evidence("business", rec))
    if escrow_txns:
        items.append(
            {
                "type": "escrow",
                "count": len(escrow_txns),
                "total_fen": sum(t["amount_fen"] or 0 for t in escrow_txns),
            }
        )
        evidence += [txn_evidence(t) for t in escrow_txns[: s.evidence_top_n]]
    high = any(i["type"] in ("property", "escrow") for i in items)
    facts = {"overdue_since": since.isoformat(), "debt_id": debt["debt_id"], "items": items}
    return [
        Flag(
            code=CODE,
            severity="high" if high else "medium",
            title_zh=TITLE[0],
            title_en=TITLE[1],
            facts=facts,
            rule_zh=RULE[0],
            rule_en=RULE[1],
            evidence=evidence[: s.max_evidence],
            purpose=PURPOSE,
        )
    ]

"""What the two transfer flags share: property and vehicle transfers at a revocable price, and the
creditor's avoidance-right deadlines (Civil Code arts. 538-542; 法释〔2023〕13号 art. 42).

Pure module (no Django). A transfer (record `event` = transfer) is revocable-looking when its price is
zero (gratuitous, art. 538) or below `low_price_ratio` of its `reference_value_fen` (art. 539 with
interpretation art. 42: under 70 % of the market or guide price is generally "obviously unreasonably low"),
and a debt contracted before it is still owing (the creditor's claim existed when the act took place). A
transfer with no stated price, or a non-zero price and no reference value, is not assessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from qingzhai.profiling.flags.common import Row, View, add_years, below, ratio, record_ref, same_party
from qingzhai.profiling.flags.model import FlagSettings

ASSET_KINDS = ("property", "vehicle")
ASSET_ID = {"property": "property_id", "vehicle": "plate"}
FAMILY = ("spouse", "ex_spouse", "relative")

AVOIDANCE_RULE = (
    "《民法典》第538条：债务人无偿处分财产权益（如无偿转让财产），影响债权人债权实现的，债权人可以请求人民法院撤销；"
    "第539条：债务人以明显不合理的低价转让财产，影响债权实现，且相对人知道或应当知道的，债权人可以请求撤销；"
    "第540条：撤销权的行使范围以债权人的债权为限，必要费用由债务人负担；"
    "第541条：撤销权自债权人知道或者应当知道撤销事由之日起一年内行使，自债务人的行为发生之日起五年内没有行使的，撤销权消灭；"
    "第542条：被撤销的行为自始没有法律约束力。"
    "《最高人民法院关于适用〈中华人民共和国民法典〉合同编通则若干问题的解释》（法释〔2023〕13号）第42条："
    "转让价格未达到交易时交易地的市场交易价或者指导价70%的，一般可以认定为“明显不合理的低价”；"
    "债务人与相对人存在亲属关系、关联关系的，不受70%的限制。",
    "Civil Code art. 538: a gratuitous disposal (such as a gratuitous transfer of property) that impairs the "
    "creditor's claim may be revoked by the court at the creditor's request; art. 539: so may a transfer at an "
    "obviously unreasonable low price that impairs the claim where the counterparty knew or should have known; "
    "art. 540: revocation is limited to the creditor's claim and the necessary costs are borne by the debtor; "
    "art. 541: the right must be exercised within one year from when the creditor knew or should have known "
    "the cause, and is extinguished if not exercised within five years from the act; art. 542: a revoked act "
    "is void from the beginning. SPC Interpretation on the General Part of Contracts (法释〔2023〕13号) art. "
    "42: a price below 70 % of the market or guide price at the time and place of the transaction is "
    "generally obviously unreasonably low; between relatives or affiliates the 70 % line does not limit the "
    "finding.",
)
DEADLINE_NOTE = (
    "期限按《民法典》第202条计至对应日，未按第203条顺延法定节假日。",
    "Deadlines run to the corresponding day (Civil Code art. 202), not moved past public holidays (art. 203).",
)


@dataclass
class Transfer:
    kind: str  # property / vehicle
    rec: Row
    day: date
    price_fen: int
    reference_fen: int | None
    gratuitous: bool
    debt: Row

    @property
    def price_ratio(self) -> float | None:
        if not self.reference_fen:
            return None
        return ratio(self.price_fen, self.reference_fen, "0.0001")


def revocable(view: View, s: FlagSettings) -> list[Transfer]:
    """Transfers at zero price or below `low_price_ratio` of the reference value, after a debt that is
    still owing was contracted, oldest first."""
    out = []
    for kind in ASSET_KINDS:
        for rec in view.record(kind):
            day, price, ref = rec["event_date"], rec["price_fen"], rec["reference_value_fen"]
            if rec["event"] != "transfer" or day is None or price is None:
                continue
            gratuitous = price == 0
            if not gratuitous and not (ref and below(price, ref, s.low_price_ratio)):
                continue
            debt = view.debt_before(day)
            if debt is None:
                continue
            out.append(Transfer(kind, rec, day, price, ref, gratuitous, debt))
    return sorted(out, key=lambda t: (t.day, t.kind, t.rec["row"] or 0))


def relation(view: View, rec: Row, day: date) -> str:
    """The transferee's relation to the debtor: as recorded, or a spouse named in a marriage record
    (ex_spouse when divorced from that spouse on or before the transfer)."""
    stated = (rec["transferee_relation"] or "").strip()
    for m in view.spouses():
        if same_party(rec["transferee"], m["spouse"]):
            divorced = any(
                d["event"] == "divorce"
                and d["event_date"] is not None
                and d["event_date"] <= day
                and same_party(d["spouse"], m["spouse"])
                for d in view.record("marriage")
            )
            if stated in ("", "stranger", "other", "relative"):
                return "ex_spouse" if divorced else "spouse"
    return stated


def deadlines(transfer_day: date, known_on: date, as_of: date, s: FlagSettings) -> dict[str, Any]:
    knowledge = add_years(known_on, s.knowledge_period_years)
    act = add_years(transfer_day, s.act_period_years)
    expired = as_of > knowledge or as_of > act
    return {
        "known_on": known_on.isoformat(),
        "knowledge_deadline": knowledge.isoformat(),
        "act_deadline": act.isoformat(),
        "exercise_by": min(knowledge, act).isoformat(),
        "expired": expired,
    }


def transfer_facts(view: View, t: Transfer, rel: str, s: FlagSettings) -> dict[str, Any]:
    rec = t.rec
    known_on = s.known_on or view.as_of
    facts: dict[str, Any] = {
        "asset_kind": t.kind,
        "asset": rec[ASSET_ID[t.kind]],
        "asset_detail": rec.get("address") or rec.get("model"),
        "transfer_date": t.day.isoformat(),
        "transferee": rec["transferee"],
        "transferee_relation": rel,
        "price_fen": t.price_fen,
        "reference_value_fen": t.reference_fen,
        "price_ratio": t.price_ratio,
        "gratuitous": t.gratuitous,
        "low_price_ratio": s.low_price_ratio,
        "transfer_record": record_ref(t.kind, rec),
        "debt": {
            "debt_id": t.debt["debt_id"],
            "contract_date": t.debt["contract_date"].isoformat(),
            "overdue_since": t.debt["overdue_since"].isoformat() if t.debt["overdue_since"] else None,
            "outstanding_fen": t.debt["outstanding_fen"],
        },
    }
    facts.update(deadlines(t.day, known_on, view.as_of, s))
    return facts

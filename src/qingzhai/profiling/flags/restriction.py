"""e. restriction_breach: forbidden spending while a consumption-restriction order (or a listing as a
dishonest judgment debtor) stands.

An order is a court record of type consumption_restriction or dishonest whose status is open. Spending
(direction ``out``, not fully refunded) after its `filed_on` (plus `restriction_grace_days`) whose text
matches a lexicon category (flags/lexicon.py) is a match; luxury goods only from
the `restriction_min_fen` amount for "luxury" up. One flag per debtor, from the earliest open order on.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any

from qingzhai.profiling.flags import lexicon
from qingzhai.profiling.flags.common import Row, View, record_evidence, record_ref, text_of, txn_evidence
from qingzhai.profiling.flags.model import Flag, FlagSettings

CODE = "restriction_breach"
PURPOSE = "litigation"
ORDER_TYPES = ("consumption_restriction", "dishonest")
TITLE = ("限制消费期间的高消费", "Forbidden spending under a consumption-restriction order")
RULE = (
    "《最高人民法院关于限制被执行人高消费及有关消费的若干规定》（法释〔2015〕17号修正）第3条：被执行人为自然人的，"
    "被采取限制消费措施后，不得有以下高消费及非生活和工作必需的消费行为：（一）乘坐交通工具时，选择飞机、列车软卧、"
    "轮船二等以上舱位；（二）在星级以上宾馆、酒店、夜总会、高尔夫球场等场所进行高消费；（三）购买不动产或者新建、扩建、"
    "高档装修房屋；（四）租赁高档写字楼、宾馆、公寓等场所办公；（五）购买非经营必需车辆；（六）旅游、度假；"
    "（七）子女就读高收费私立学校；（八）支付高额保费购买保险理财产品；（九）乘坐G字头动车组列车全部座位、"
    "其他动车组列车一等以上座位等其他非生活和工作必需的消费行为。违反限制消费令的，可依《民事诉讼法》（2023）"
    "第114条予以罚款、拘留，应纳入失信被执行人名单（《关于公布失信被执行人名单信息的若干规定》第1条第5项），"
    "情节严重的可能构成拒不执行判决、裁定罪（法释〔2024〕13号第3条）。以本人财产用于私人必需消费的，可向法院申请准许。",
    "SPC Provisions on Restricting High Consumption and Related Consumption of Judgment Debtors (as revised by "
    "法释〔2015〕17号) art. 3: a natural-person debtor under a consumption restriction must not (1) travel by "
    "plane, train soft sleeper or ship second class or above; (2) spend lavishly at star-rated hotels, "
    "nightclubs, golf courses and the like; (3) buy real estate or build, extend or luxuriously renovate "
    "houses; (4) rent high-end offices, hotels or apartments as offices; (5) buy vehicles not essential to "
    "business; (6) travel or holiday; (7) send children to high-fee private schools; (8) pay high premiums for "
    "insurance or wealth products; (9) take any seat on G-series trains or first class or above on other EMU "
    "trains, or other consumption not needed for life or work. A breach may be fined or lead to detention "
    "(Civil Procedure Law 2023 art. 114), puts the debtor on the defaulter list (Provisions on Publishing the "
    "List of Dishonest Judgment Debtors art. 1(5)), and in serious cases may be the crime of refusing to "
    "execute a judgment (法释〔2024〕13号 art. 3). Private necessary spending from own funds may be permitted "
    "by the court on application.",
)


def orders(view: View) -> list[Row]:
    return sorted(
        (
            r
            for r in view.record("court")
            if r["record_type"] in ORDER_TYPES and r["status"] == "open" and r["filed_on"] is not None
        ),
        key=lambda r: (r["filed_on"], r["case_no"] or ""),
    )


def _refunded(view: View) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for t in view.txns:
        if t["nature"] == "refund" and t["refund_of"]:
            out[t["refund_of"]] += t["amount_fen"] or 0
    return out


def check(view: View, s: FlagSettings) -> list[Flag]:
    standing = orders(view)
    if not standing:
        return []
    since = standing[0]["filed_on"]
    after = since + timedelta(days=s.restriction_grace_days)
    refunded = _refunded(view)
    minimum = dict(s.restriction_min_fen)
    hits: list[tuple[str, Row]] = []
    for t in view.txns:
        amount = t["amount_fen"] or 0
        if t["direction"] != "out" or t["time"].date() <= after:
            continue
        if (t["refunded_fen"] or 0) + (refunded.get(t["ref"], 0) if t["ref"] else 0) >= amount:
            continue
        category = lexicon.classify(text_of(t))
        if category is None or amount < minimum.get(category, 0):
            continue
        hits.append((category, t))
    if not hits:
        return []
    by_category: dict[str, list[Row]] = defaultdict(list)
    for category, t in hits:
        by_category[category].append(t)
    facts: dict[str, Any] = {
        "orders": [
            {
                "case_no": r["case_no"],
                "court": r["court"],
                "record_type": r["record_type"],
                "filed_on": r["filed_on"].isoformat(),
                "record": record_ref("court", r),
            }
            for r in standing
        ],
        "since": since.isoformat(),
        "count": len(hits),
        "total_fen": sum(t["amount_fen"] or 0 for _, t in hits),
        "first": hits[0][1]["time"].date().isoformat(),
        "last": hits[-1][1]["time"].date().isoformat(),
        "categories": [
            {
                "category": c.key,
                "label_zh": c.label_zh,
                "label_en": c.label_en,
                "item": c.item,
                "count": len(by_category[c.key]),
                "total_fen": sum(t["amount_fen"] or 0 for t in by_category[c.key]),
            }
            for c in lexicon.CATEGORIES
            if c.key in by_category
        ],
    }
    evidence = [record_evidence("court", r) for r in standing]
    evidence += [txn_evidence(t) for _, t in hits[: s.max_evidence]]
    return [
        Flag(
            code=CODE,
            severity="high",
            title_zh=TITLE[0],
            title_en=TITLE[1],
            facts=facts,
            rule_zh=RULE[0],
            rule_en=RULE[1],
            evidence=evidence,
            purpose=PURPOSE,
        )
    ]

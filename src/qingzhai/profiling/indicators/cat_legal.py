"""涉诉与执行 / Legal & enforcement: court records naming the debtor. Pure module.

One row per (record_type, case_no), the last one listed up to as_of (prepare.py, ``court``). A case is open
when its status is open on the as-of date. Windows date cases by ``filed_on``.
"""

from __future__ import annotations

from .helpers import any_, c, count, distinct, ratio, total, win
from .model import Builder

b = Builder("legal")
ct = b.using(source="records:court", purpose="litigation", frame="court")
T = c("record_type")
SUIT_D = (T == "suit") & (c("role") == "defendant")
ENF = (T == "enforcement") & (c("role") == "respondent")
OPEN = c("open")
CREDITOR = ((T == "suit") & (c("role") == "plaintiff")) | ((T == "enforcement") & (c("role") == "applicant"))

ct(
    "leg_suits_defendant",
    ("被诉案件数", "Suits as defendant"),
    ("债务人为被告的诉讼案件数", "Suits in which the debtor is defendant"),
    "count",
    None,
    count(SUIT_D),
    fill=0,
)
ct(
    "leg_suits_open_defendant",
    ("未结被诉案件数", "Open suits as defendant"),
    ("债务人为被告且尚未审结的诉讼案件数", "Suits against the debtor still open"),
    "count",
    None,
    count(SUIT_D & OPEN),
    fill=0,
)
for w in (12, 36):
    ct(
        f"leg_suits_defendant_{w}m",
        (f"新增被诉案件（{w}个月）", f"New suits as defendant ({w}m)"),
        (f"近{w}个月立案的以债务人为被告的诉讼数", f"Suits against the debtor filed in the last {w} months"),
        "count",
        w,
        count(SUIT_D & win(w)),
        fill=0,
    )
ct(
    "leg_suit_amount_defendant",
    ("被诉标的金额", "Amount claimed from the debtor"),
    ("债务人为被告的诉讼标的金额合计", "Amounts claimed in suits against the debtor, summed"),
    "fen",
    None,
    total("amount_fen", SUIT_D),
    fill=0,
)
ct(
    "leg_suit_amount_open_defendant",
    ("未结被诉标的金额", "Amount claimed in open suits"),
    ("尚未审结的被诉案件标的金额合计", "Amounts claimed in suits against the debtor that are still open"),
    "fen",
    None,
    total("amount_fen", SUIT_D & OPEN),
    fill=0,
)
ct(
    "leg_enforcement_cases",
    ("被执行案件数", "Enforcement cases"),
    ("债务人为被执行人的执行案件数", "Enforcement cases against the debtor"),
    "count",
    None,
    count(ENF),
    fill=0,
)
ct(
    "leg_enforcement_open",
    ("在执行案件数", "Open enforcement cases"),
    ("尚在执行中的被执行案件数", "Enforcement cases against the debtor still open"),
    "count",
    None,
    count(ENF & OPEN),
    fill=0,
)
ct(
    "leg_enforcement_terminated",
    ("终结本次执行案件数", "Enforcement terminated without assets"),
    (
        "状态为终结本次执行（终本，未发现可供执行财产）的被执行案件数",
        "Enforcement cases closed as terminated (终本: no assets found to enforce)",
    ),
    "count",
    None,
    count(ENF & (c("status") == "terminated") & ~OPEN),
    fill=0,
)
ct(
    "leg_enforcement_outstanding",
    ("未履行执行金额", "Unperformed enforcement amount"),
    (
        "在执行及终本案件中尚未履行的金额合计",
        "Amounts not yet performed in open and terminated (终本) enforcement cases",
    ),
    "fen",
    None,
    total("outstanding_fen", ENF & (OPEN | (c("status") == "terminated"))),
    fill=0,
)
for w in (12, 36):
    ct(
        f"leg_enforcement_{w}m",
        (f"新增被执行案件（{w}个月）", f"New enforcement cases ({w}m)"),
        (
            f"近{w}个月立案的被执行案件数",
            f"Enforcement cases against the debtor filed in the last {w} months",
        ),
        "count",
        w,
        count(ENF & win(w)),
        fill=0,
    )
ct(
    "leg_enforcement_performed_share",
    ("执行履行比例", "Enforcement performed share"),
    (
        "被执行案件中已履行金额（执行标的-未履行金额）占执行标的的比例；无执行标的时无定义",
        "Share of the enforced amounts already performed (amount - outstanding) / amount; undefined when "
        "there is none",
    ),
    "ratio",
    None,
    ratio(
        total("amount_fen", ENF) - total("outstanding_fen", ENF & c("amount_fen").is_not_null()),
        total("amount_fen", ENF),
    ),
)
ct(
    "leg_dishonest",
    ("失信被执行人", "On the dishonest-debtor list"),
    (
        "基准日在失信被执行人名单上（有未撤销的失信记录）",
        "On the dishonest-debtor list (失信被执行人) on the as-of date",
    ),
    "bool",
    None,
    any_((T == "dishonest") & OPEN),
    fill=False,
)
ct(
    "leg_dishonest_count",
    ("失信记录数", "Dishonest-list records"),
    ("历次失信被执行人记录数（含已撤销）", "Dishonest-list records, lifted ones included"),
    "count",
    None,
    count(T == "dishonest"),
    fill=0,
)
ct(
    "leg_consumption_restricted",
    ("限制高消费", "Consumption restricted"),
    ("基准日处于限制高消费令之下", "Under a consumption restriction order (限制高消费) on the as-of date"),
    "bool",
    None,
    any_((T == "consumption_restriction") & OPEN),
    fill=False,
)
ct(
    "leg_judgments_against",
    ("败诉判决数", "Judgments against"),
    ("债务人为被告的判决记录数", "Judgments in which the debtor is defendant"),
    "count",
    None,
    count((T == "judgment") & (c("role") == "defendant")),
    fill=0,
)
ct(
    "leg_judgment_amount",
    ("判决金额", "Judgment amount"),
    ("债务人为被告的判决金额合计", "Amounts of judgments against the debtor, summed"),
    "fen",
    None,
    total("amount_fen", (T == "judgment") & (c("role") == "defendant")),
    fill=0,
)
ct(
    "leg_courts",
    ("涉及法院数", "Courts"),
    ("司法记录涉及的不同法院数量", "Distinct courts in the debtor's court records"),
    "count",
    None,
    distinct("court", c("case_no").is_not_null()),
    fill=0,
)
ct(
    "leg_days_since_last_filing",
    ("距最近立案天数", "Days since last filing"),
    (
        "最近一宗司法记录立案日到基准日的天数；无记录时无定义",
        "Days from the latest filing in the court records to as_of; undefined when none",
    ),
    "days",
    None,
    c("age_days").min(),
)
ct(
    "leg_claims_as_creditor",
    ("作为债权人的案件数", "Cases as creditor"),
    (
        "债务人为原告或申请执行人的案件数（其对他人的债权可供执行）",
        "Suits as plaintiff and enforcement as applicant: the debtor's own claims, open to enforcement",
    ),
    "count",
    None,
    count(CREDITOR),
    fill=0,
)
ct(
    "leg_claim_amount_as_creditor",
    ("作为债权人的标的金额", "Amount claimed as creditor"),
    (
        "债务人为原告或申请执行人的案件标的金额合计",
        "Amounts the debtor claims as plaintiff or enforcement applicant",
    ),
    "fen",
    None,
    total("amount_fen", CREDITOR),
    fill=0,
)

INDICATORS = b.items

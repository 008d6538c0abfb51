"""Enforcement (强制执行) of an effective instrument: CPL 2023 arts 237, 250–266; CPL Interpretation arts
485, 517; asset-investigation provisions (../shared/domain/cn-legal-reference.md §3.4, §7.1, §7.4).

drafted → applied (interrupts the enforcement period, SOL interpretation art. 11) → accepted |
not_registered; accepted → investigating → assets_frozen (deposit 1 year, movable 2 years, real estate
3 years: renew before the end, CPLI art. 485) → auction → distributed. Flags keep the state: defaulter
list, consumption restriction, asset lead (verified within 7 days), partial payment, freeze renewed.
No assets found → closed_no_assets (终结本次执行, not final: reopened whenever new assets are found, with
no time limit, CPLI art. 517) → investigating. Open states → paid (paid in full) | settled.
"""

from __future__ import annotations

from qingzhai.legal.machines.base import DeadlineRule, EventSpec, Machine, register

STATES = {
    "drafted": ("草拟", "drafted"),
    "applied": ("已申请执行", "applied"),
    "accepted": ("已立案执行", "accepted"),
    "investigating": ("财产调查中", "investigating assets"),
    "assets_frozen": ("已查封冻结财产", "assets frozen"),
    "auction": ("拍卖变卖中", "at auction"),
    "distributed": ("已分配执行款", "proceeds distributed"),
    "closed_no_assets": ("终结本次执行", "closed for now: no assets"),
    "not_registered": ("不予受理", "not registered"),
    "paid": ("执行完毕", "paid in full"),
    "settled": ("执行和解", "settled"),
}
TERMINAL = {"not_registered": "dismissed", "paid": "recovered", "settled": "settled"}
OPEN = tuple(s for s in STATES if s not in TERMINAL)
FLAG_STATES = ("accepted", "investigating", "assets_frozen", "auction", "distributed", "closed_no_assets")

REGISTER = DeadlineRule(
    "register_due",
    "法院决定是否立案执行",
    "court registers the application",
    "court",
    "最高人民法院关于人民法院登记立案若干问题的规定第八条、第十八条：当场不能判定的，应当在收到申请之日起七日内决定是否立案",
    "SPC Provisions on Case Registration arts 8 and 18: when it cannot decide at once, the court decides within 7 days of receipt",
    days=7,
)
LIMIT = DeadlineRule(
    "enforcement_limit",
    "执行期限（六个月）",
    "enforcement time limit (6 months)",
    "court",
    "民事诉讼法第二百三十七条：人民法院自收到申请执行书之日起超过六个月未执行的，申请执行人可以向上一级人民法院申请执行",
    "Civil Procedure Law art. 237: not enforced within 6 months of the application, the applicant may "
    "apply to the court one level up",
    months=6,
    base="applied_on",
)


def _freeze(asset: str, years: int, zh: str, en: str) -> DeadlineRule:
    return DeadlineRule(
        f"renew_freeze_{asset}",
        f"申请续行查封冻结（{zh}）",
        f"apply to renew the freeze ({en})",
        "creditor",
        "民事诉讼法解释第四百八十五条：冻结银行存款不超过一年，查封、扣押动产不超过两年，查封不动产、冻结其他财产权不超过三年；"
        "申请续行须在期限届满前",
        "CPL Interpretation art. 485: deposits frozen up to 1 year, movables up to 2 years, real estate and "
        "other property rights up to 3 years; apply to renew before the end",
        years=years,
        when=("asset", (asset,)),
    )


FREEZES = (
    _freeze("deposit", 1, "银行存款", "bank deposits"),
    _freeze("movable", 2, "动产", "movables"),
    _freeze("real_estate", 3, "不动产", "real estate"),
)
LEAD = DeadlineRule(
    "lead_verify",
    "法院核查财产线索",
    "court verifies the asset lead",
    "court",
    "最高人民法院关于民事执行中财产调查若干问题的规定第二条：申请执行人提供明确、具体的财产线索的，人民法院应当在七日内调查核实",
    "SPC Provisions on Asset Investigation in Civil Enforcement art. 2: a specific lead is verified within 7 days",
    days=7,
)
FREEZE_CODES = tuple(r.code for r in FREEZES)
ENDING = ("register_due", *FREEZE_CODES, "lead_verify")


def _flag(
    code: str,
    zh: str,
    en: str,
    party: str,
    facts: tuple[str, ...] = (),
    opens: tuple[DeadlineRule, ...] = (),
    closes: tuple[str, ...] = (),
) -> EventSpec:
    """An event that is recorded and may open deadlines but keeps the state it happens in."""
    return EventSpec(code, zh, en, FLAG_STATES, "", facts, party, opens=opens, closes=closes)


EVENTS: tuple[EventSpec, ...] = (
    EventSpec(
        "applied",
        "申请强制执行",
        "enforcement applied for",
        ("drafted",),
        "applied",
        (),
        "creditor",
        opens=(REGISTER,),
        interrupts_limitation=True,
        records_on=("applied_on",),
    ),
    EventSpec(
        "accepted",
        "法院立案执行",
        "application registered",
        ("applied",),
        "accepted",
        (),
        "court",
        opens=(LIMIT,),
        closes=("register_due",),
    ),
    EventSpec(
        "not_registered",
        "法院裁定不予受理",
        "court refused the application",
        ("applied",),
        "not_registered",
        (),
        "court",
        closes=("register_due",),
    ),
    EventSpec(
        "investigation_started",
        "开始财产调查",
        "asset investigation started",
        ("accepted",),
        "investigating",
        (),
        "court",
    ),
    EventSpec(
        "assets_frozen",
        "查封、扣押、冻结财产",
        "assets frozen",
        ("accepted", "investigating", "assets_frozen", "distributed"),
        "assets_frozen",
        ("asset",),
        "court",
        opens=FREEZES,
    ),
    EventSpec(
        "auction", "拍卖、变卖财产", "assets put to auction", ("assets_frozen",), "auction", (), "court"
    ),
    EventSpec(
        "distributed",
        "执行款分配",
        "proceeds distributed",
        ("auction", "assets_frozen"),
        "distributed",
        ("amount_fen",),
        "court",
    ),
    _flag(
        "freeze_renewed",
        "续行查封冻结",
        "freeze renewed",
        "court",
        facts=("asset",),
        opens=FREEZES,
        closes=("renew_freeze_{asset}",),
    ),
    _flag("dishonest_list_applied", "申请纳入失信被执行人名单", "defaulter listing applied for", "creditor"),
    _flag("consumption_restricted", "限制消费令", "consumption restriction ordered", "court"),
    _flag("lead_submitted", "提交财产线索", "asset lead submitted", "creditor", opens=(LEAD,)),
    _flag("partial_payment", "部分履行", "partial payment", "debtor", facts=("amount_fen",)),
    EventSpec(
        "closed_no_assets",
        "终结本次执行程序",
        "closed for now: no assets found",
        ("investigating", "assets_frozen", "auction", "distributed"),
        "closed_no_assets",
        (),
        "court",
        closes=("enforcement_limit",),
        cancels=("lead_verify",),
    ),
    EventSpec(
        "reopened",
        "发现新财产，恢复执行",
        "new assets found: enforcement resumed",
        ("closed_no_assets",),
        "investigating",
        (),
        "creditor",
    ),
    EventSpec(
        "paid_in_full",
        "执行完毕",
        "paid in full",
        OPEN,
        "paid",
        (),
        "debtor",
        optional=("amount_fen",),
        closes=("enforcement_limit",),
        cancels=ENDING,
    ),
    EventSpec(
        "settled",
        "执行和解",
        "enforcement settled",
        OPEN,
        "settled",
        (),
        "creditor",
        optional=("amount_fen",),
        closes=("enforcement_limit",),
        cancels=ENDING,
    ),
)

MACHINE = register(Machine("enforcement", "强制执行", "Enforcement", "drafted", STATES, TERMINAL, EVENTS))

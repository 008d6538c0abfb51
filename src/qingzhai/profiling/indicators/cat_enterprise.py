"""企业经营 / Enterprise operations: the debtor's companies in the business registry. Pure module.

A company's current status, role, capital and stake are those of its latest registry row up to as_of
(prepare.py, ``companies``); change records (``change_type`` given) are dated by ``change_date``.
"""

from __future__ import annotations

import polars as pl

from .helpers import c, count, win
from .model import Builder

b = Builder("enterprise")
co = b.using(source="records:business", purpose="asset_investigation", frame="companies")
ch = b.using(source="records:business", purpose="asset_investigation", frame="records:business")
ACTIVE = c("status") == "active"
ROLE = c("role")
ROLE_ZH = {
    "legal_representative": "法定代表人",
    "shareholder": "股东",
    "director": "董事",
    "supervisor": "监事",
    "manager": "经理",
}


co(
    "ent_companies",
    ("关联企业数量", "Companies"),
    (
        "工商登记中债务人任职或持股的企业数量",
        "Companies in which the business registry lists the debtor in any role",
    ),
    "count",
    None,
    pl.len(),
    fill=0,
)
co(
    "ent_active_companies",
    ("存续企业数量", "Active companies"),
    ("其中最新状态为存续的企业数量", "Of those, companies whose latest status is active (存续)"),
    "count",
    None,
    count(ACTIVE),
    fill=0,
)
for code, roles, zh, en in (
    (
        "ent_legal_rep_count",
        ["legal_representative"],
        "担任法定代表人的企业数",
        "Companies as legal representative",
    ),
    ("ent_shareholder_count", ["shareholder"], "作为股东的企业数", "Companies as shareholder"),
    (
        "ent_officer_count",
        ["director", "supervisor", "manager"],
        "担任董监高的企业数",
        "Companies as director, supervisor or manager",
    ),
):
    co(
        code,
        (zh, en),
        (
            f"最新登记中债务人角色为{'、'.join(ROLE_ZH[r] for r in roles)}的企业数量",
            f"Companies whose latest record gives the debtor the role {', '.join(roles)}",
        ),
        "count",
        None,
        count(ROLE.is_in(roles)),
        fill=0,
    )
co(
    "ent_revoked_count",
    ("吊销企业数量", "Revoked companies"),
    ("最新状态为吊销的企业数量", "Companies whose latest status is revoked (吊销)"),
    "count",
    None,
    count(c("status") == "revoked"),
    fill=0,
)
co(
    "ent_cancelled_count",
    ("注销或解散企业数量", "Cancelled or dissolved companies"),
    ("最新状态为注销或解散的企业数量", "Companies whose latest status is cancelled (注销) or dissolved"),
    "count",
    None,
    count(c("status").is_in(["cancelled", "dissolved"])),
    fill=0,
)
co(
    "ent_registered_capital_active",
    ("存续企业注册资本", "Registered capital of active companies"),
    ("存续企业的注册资本合计", "Registered capital of the active companies, summed"),
    "fen",
    None,
    c("registered").filter(ACTIVE).sum(),
    fill=0,
)
co(
    "ent_paid_in_active",
    ("存续企业实缴资本", "Paid-in capital of active companies"),
    ("存续企业的实缴资本合计", "Paid-in capital of the active companies, summed"),
    "fen",
    None,
    c("paid_in").filter(ACTIVE).sum(),
    fill=0,
)
co(
    "ent_subscribed_stake",
    ("认缴出资份额", "Subscribed stake"),
    (
        "存续企业注册资本乘以债务人持股比例之和（股权可供执行的线索）",
        "Sum over active companies of registered capital times the debtor's stake: equity open to enforcement",
    ),
    "fen",
    None,
    (c("registered").cast(pl.Float64) * c("stake") / 100).filter(ACTIVE).sum().round(0),
    fill=0,
)
co(
    "ent_unpaid_capital_share",
    ("未实缴出资份额", "Unpaid subscribed capital"),
    (
        "（注册资本-实缴资本）乘以持股比例之和（各状态企业，资本与比例均已知者）：股东未届出资责任线索",
        "Sum of (registered - paid-in capital) times the debtor's stake, over companies of any status with "
        "both capitals and the stake known: the shareholder's unpaid contribution",
    ),
    "fen",
    None,
    ((c("registered") - c("paid_in")).clip(lower_bound=0).cast(pl.Float64) * c("stake") / 100).sum().round(0),
    fill=0,
)
co(
    "ent_max_stake_pct",
    ("最高持股比例", "Largest stake"),
    (
        "债务人在各企业中的最高持股比例（%）；无持股时为0",
        "The debtor's largest stake in any company, in percent; 0 when none",
    ),
    "pct",
    None,
    c("stake").max().fill_null(0.0),
    fill=0,
)
co(
    "ent_controlling_count",
    ("控股企业数量", "Controlled companies"),
    ("债务人持股不低于50%的企业数量", "Companies in which the debtor holds at least 50%"),
    "count",
    None,
    count(c("stake") >= 50),
    fill=0,
)
co(
    "ent_established_36m",
    ("近期新设企业（36个月）", "Companies set up (36m)"),
    (
        "成立日期在近36个月内的关联企业数量（转移资产线索）",
        "Related companies established in the last 36 months (a lead to shifted assets)",
    ),
    "count",
    36,
    count(c("est_m_ago").is_between(0, 35)),
    fill=0,
)
co(
    "ent_oldest_company_years",
    ("最早企业成立年数", "Oldest company age"),
    (
        "最早成立的关联企业成立至今的整年数；无成立日期时无定义",
        "Whole years since the oldest related company was established; undefined when unknown",
    ),
    "years",
    None,
    (c("est_days").max() / 365.25).floor(),
)

ch(
    "ent_changes_12m",
    ("工商变更（12个月）", "Registry changes (12m)"),
    (
        "近12个月关联企业的工商变更记录数",
        "Registry change records of related companies in the last 12 months",
    ),
    "count",
    12,
    count(c("change") & win(12)),
    fill=0,
)
ch(
    "ent_changes_36m",
    ("工商变更（36个月）", "Registry changes (36m)"),
    (
        "近36个月关联企业的工商变更记录数",
        "Registry change records of related companies in the last 36 months",
    ),
    "count",
    36,
    count(c("change") & win(36)),
    fill=0,
)
for kind, zh, en in (
    ("shareholder", "股东（股权）变更", "shareholder changes"),
    ("legal_representative", "法定代表人变更", "legal representative changes"),
    ("capital", "注册资本变更", "capital changes"),
    ("status", "经营状态变更", "status changes"),
):
    short = {"legal_representative": "legal_rep"}.get(kind, kind)
    ch(
        f"ent_{short}_changes_36m",
        (f"{zh}（36个月）", f"{en.capitalize()} (36m)"),
        (f"近36个月变更类型为{zh}的记录数", f"Registry change records of type {kind} in the last 36 months"),
        "count",
        36,
        count(c("change") & (c("change_type") == kind) & win(36)),
        fill=0,
    )

INDICATORS = b.items

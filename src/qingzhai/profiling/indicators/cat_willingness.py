"""还款意愿信号 / Willingness signals: how the debtor responds to contact and to promises. Pure module.

Right-party contacts (RPC) as in cat_contact.py. "Paid after contact": a valid payment within 7 days after
(or on the day of) a right-party contact.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from .helpers import c, count, ratio, win
from .model import DERIVED, Builder

b = Builder("willingness")
act = b.using(source="activities", purpose="collection", frame="activities")
OUTCOME = c("outcome")
RPC = c("rpc")

act(
    "wil_promise_outcomes_12m",
    ("通话中承诺次数（12个月）", "Promises in contacts (12m)"),
    ("近12个月结果为承诺还款的接触次数", "Contacts of the last 12 months whose outcome was a promise to pay"),
    "count",
    12,
    count((OUTCOME == "promise") & win(12)),
    fill=0,
)
act(
    "wil_promise_rate_12m",
    ("接通后承诺率（12个月）", "Promise rate per contact (12m)"),
    (
        "近12个月本人接通中以承诺还款结束的比例；无接通时无定义",
        "Share of the last 12 months' right-party contacts that ended in a promise; undefined without any",
    ),
    "ratio",
    12,
    ratio(count(RPC & (OUTCOME == "promise") & win(12)), count(RPC & win(12))),
)
for w in (3, 12):
    act(
        f"wil_refusals_{w}m",
        (f"拒绝还款次数（{w}个月）", f"Refusals ({w}m)"),
        (
            f"近{w}个月结果为拒绝还款的接触次数",
            f"Contacts of the last {w} months whose outcome was a refusal to pay",
        ),
        "count",
        w,
        count((OUTCOME == "refused") & win(w)),
        fill=0,
    )
act(
    "wil_refusal_rate_12m",
    ("拒绝率（12个月）", "Refusal rate (12m)"),
    (
        "近12个月本人接通中以拒绝还款结束的比例；无接通时无定义",
        "Share of the last 12 months' right-party contacts that ended in a refusal; undefined without any",
    ),
    "ratio",
    12,
    ratio(count(RPC & (OUTCOME == "refused") & win(12)), count(RPC & win(12))),
)
act(
    "wil_dispute_outcomes_12m",
    ("接触中提出异议次数（12个月）", "Disputes raised in contacts (12m)"),
    ("近12个月结果为提出异议的接触次数", "Contacts of the last 12 months whose outcome was a dispute"),
    "count",
    12,
    count((OUTCOME == "dispute") & win(12)),
    fill=0,
)
act(
    "wil_paid_outcomes_12m",
    ("接触后表示已付次数（12个月）", "Paid outcomes (12m)"),
    ("近12个月结果为已付款的接触次数", "Contacts of the last 12 months whose outcome was a payment"),
    "count",
    12,
    count((OUTCOME == "paid") & win(12)),
    fill=0,
)

dis = b.using(source="disputes", purpose="collection", frame="disputes")
dis(
    "wil_disputes_total",
    ("异议总数", "Disputes"),
    ("截至基准日登记的异议数", "Disputes opened up to as_of"),
    "count",
    None,
    pl.len(),
    fill=0,
)
dis(
    "wil_disputes_open",
    ("未决异议数", "Open disputes"),
    ("基准日尚未解决的异议数", "Disputes unresolved on the as-of date"),
    "count",
    None,
    count(c("open")),
    fill=0,
)
dis(
    "wil_disputes_12m",
    ("新增异议（12个月）", "New disputes (12m)"),
    ("近12个月登记的异议数", "Disputes opened in the last 12 months"),
    "count",
    12,
    count(win(12)),
    fill=0,
)
b.add(
    "wil_paid_after_contact_12m",
    ("接触后还款笔数（12个月）", "Payments after contact (12m)"),
    (
        "近12个月在本人接通当日或其后7天内收到的有效还款笔数",
        "Valid payments of the last 12 months made on the day of or within 7 days after a right-party contact",
    ),
    "count",
    12,
    count(c("after_contact") & win(12)),
    source="payments+activities",
    purpose="collection",
    frame="pay_after_contact",
    fill=0,
)
b.add(
    "wil_contact_to_payment_rate_12m",
    ("接通转化还款率（12个月）", "Contact-to-payment rate (12m)"),
    (
        "近12个月本人接通中7天内跟进有效还款的比例；无接通时无定义",
        "Share of the last 12 months' right-party contacts followed by a valid payment within 7 days; undefined without any",
    ),
    "ratio",
    12,
    ratio(count(c("followed") & win(12)), count(win(12))),
    source="payments+activities",
    purpose="collection",
    frame="rpc_followed",
)

pro = b.using(source="promises", purpose="collection", frame="promises")
KEPT = c("status") == "kept"
BROKEN = c("status") == "broken"
pro(
    "wil_consecutive_broken_promises",
    ("连续违约承诺数", "Consecutive broken promises"),
    (
        "承诺日晚于最近一次履约承诺的违约承诺数（当前连续违约）",
        "Broken promises due after the latest kept promise: the current run of broken promises",
    ),
    "count",
    None,
    count(BROKEN & (c("due_date") > c("due_date").filter(KEPT).max().fill_null(date(1900, 1, 1)))),
    fill=0,
)
pro(
    "wil_days_since_last_promise",
    ("距最近承诺天数", "Days since last promise"),
    (
        "最近一次作出承诺到基准日的天数；无承诺时无定义",
        "Days from the latest promise made to as_of; undefined when none",
    ),
    "days",
    None,
    c("age_days").min(),
)
pro(
    "wil_cancelled_promises_12m",
    ("取消的承诺（12个月）", "Cancelled promises (12m)"),
    ("近12个月作出后被取消的承诺数", "Promises made in the last 12 months and cancelled"),
    "count",
    12,
    count((c("status") == "cancelled") & win(12)),
    fill=0,
)
for code, other, zh, en, dzh, den in (
    (
        "wil_paid_to_income_12m",
        "inc_total_12m",
        "还款占流水收入比（12个月）",
        "Payments to statement income (12m)",
        "近12个月向本案还款金额除以流水收入；无收入时无定义",
        "Paid on this case in the last 12 months over statement income; undefined without income",
    ),
    (
        "wil_paid_to_credit_repay_12m",
        "liab_credit_repay_12m",
        "本案还款与他债还款之比（12个月）",
        "Payments to us vs other credit (12m)",
        "近12个月向本案还款金额除以流水中向其他信用机构的还款；无他债还款时无定义",
        "Paid on this case in the last 12 months over repayments to other credit in the statements; "
        "undefined when there were none",
    ),
):
    b.add(
        code,
        (zh, en),
        (dzh, den),
        "ratio",
        12,
        ratio(c("cr_paid_12m"), c(other)),
        source="payments+txns",
        purpose="capacity_assessment",
        frame=DERIVED,
        deps=("cr_paid_12m", other),
    )

INDICATORS = b.items

"""信用历史与行为 / Credit history & behaviour: payments and promises on our own case. Pure module.

A payment counts unless it was reversed; windows date it by ``paid_on``. Promises are dated by
``created_on``; a promise's kept/broken status is the one on file.
"""

from __future__ import annotations

from .helpers import between, c, count, months, ratio, total, win
from .model import DERIVED, Builder

b = Builder("credit")
pay = b.using(source="payments", purpose="collection", frame="payments")
pro = b.using(source="promises", purpose="collection", frame="promises")
VALID = c("valid")

for w in (3, 6, 12, 36):
    pay(
        f"cr_payments_{w}m",
        (f"还款笔数（{w}个月）", f"Payments ({w}m)"),
        (f"近{w}个月收到且未被冲正的还款笔数", f"Payments received in the last {w} months and not reversed"),
        "count",
        w,
        count(VALID & win(w)),
        fill=0,
    )
for w in (3, 6, 12, 36):
    pay(
        f"cr_paid_{w}m",
        (f"还款金额（{w}个月）", f"Amount paid ({w}m)"),
        (
            f"近{w}个月收到且未被冲正的还款金额合计",
            f"Payments received in the last {w} months and not reversed, summed",
        ),
        "fen",
        w,
        total("amount_fen", VALID & win(w)),
        fill=0,
    )
pay(
    "cr_paid_total",
    ("累计还款金额", "Total paid"),
    ("截至基准日未被冲正的还款金额合计", "All payments up to as_of that were not reversed, summed"),
    "fen",
    None,
    total("amount_fen", VALID),
    fill=0,
)
pay(
    "cr_reversed_payments_12m",
    ("冲正还款笔数（12个月）", "Reversed payments (12m)"),
    (
        "近12个月被冲正（退票、撤销）的还款笔数",
        "Payments of the last 12 months that were reversed (bounced, cancelled)",
    ),
    "count",
    12,
    count(~VALID & win(12)),
    fill=0,
)
pay(
    "cr_days_since_last_payment",
    ("距最近还款天数", "Days since last payment"),
    (
        "最近一笔有效还款到基准日的天数；从未还款时无定义",
        "Days from the latest valid payment to as_of; undefined when there was none",
    ),
    "days",
    None,
    c("age_days").filter(VALID).min(),
)
pay(
    "cr_payment_months_12m",
    ("有还款月数（12个月）", "Months with a payment (12m)"),
    ("近12个月中有有效还款的自然月数", "Calendar months of the last 12 with a valid payment"),
    "months",
    12,
    months(VALID & win(12)),
    fill=0,
)
pay(
    "cr_avg_payment_12m",
    ("平均单笔还款（12个月）", "Average payment (12m)"),
    (
        "近12个月有效还款的平均金额（向下取整）；无还款时无定义",
        "Mean valid payment of the last 12 months (floored); undefined when none",
    ),
    "fen",
    12,
    c("amount_fen").filter(VALID & win(12)).mean().floor(),
)
pay(
    "cr_paid_trend_12m",
    ("还款趋势（12个月）", "Payment trend (12m)"),
    (
        "最近6个月有效还款金额减去此前6个月的金额",
        "Valid payments of the latest 6 months less those of the 6 months before",
    ),
    "fen",
    12,
    total("amount_fen", VALID & win(6)) - total("amount_fen", VALID & between(6, 12)),
    fill=0,
)
b.add(
    "cr_paid_share_of_principal",
    ("还款占原始本金比例", "Paid share of original principal"),
    (
        "累计有效还款除以全部债务原始本金；无本金时无定义",
        "Total valid payments over the original principal of all debts; undefined when 0",
    ),
    "ratio",
    None,
    ratio(c("cr_paid_total"), c("liab_original_principal_total")),
    source="payments+debts",
    purpose="collection",
    frame=DERIVED,
    deps=("cr_paid_total", "liab_original_principal_total"),
)

KEPT = c("status") == "kept"
BROKEN = c("status") == "broken"
for w in (12, 36):
    pro(
        f"cr_promises_{w}m",
        (f"承诺还款次数（{w}个月）", f"Promises to pay ({w}m)"),
        (f"近{w}个月作出的还款承诺数", f"Promises to pay made in the last {w} months"),
        "count",
        w,
        count(win(w)),
        fill=0,
    )
pro(
    "cr_promises_kept_12m",
    ("履约承诺数（12个月）", "Promises kept (12m)"),
    ("近12个月作出且已履行的承诺数", "Promises made in the last 12 months and kept"),
    "count",
    12,
    count(KEPT & win(12)),
    fill=0,
)
pro(
    "cr_promises_broken_12m",
    ("违约承诺数（12个月）", "Promises broken (12m)"),
    ("近12个月作出且未履行的承诺数", "Promises made in the last 12 months and broken"),
    "count",
    12,
    count(BROKEN & win(12)),
    fill=0,
)
for w in (12, 36):
    pro(
        f"cr_promise_kept_rate_{w}m",
        (f"承诺履约率（{w}个月）", f"Promise-kept rate ({w}m)"),
        (
            f"近{w}个月作出的承诺中已履行数/（已履行数+违约数）；无已了结承诺时无定义",
            f"Kept / (kept + broken) among promises made in the last {w} months; undefined when none was kept "
            "or broken",
        ),
        "ratio",
        w,
        ratio(count(KEPT & win(w)), count((KEPT | BROKEN) & win(w))),
    )
pro(
    "cr_promised_amount_12m",
    ("承诺金额（12个月）", "Amount promised (12m)"),
    ("近12个月作出的承诺金额合计", "Amounts of the promises made in the last 12 months"),
    "fen",
    12,
    total("amount_fen", win(12)),
    fill=0,
)
pro(
    "cr_promise_paid_amount_12m",
    ("承诺项下已付金额（12个月）", "Paid against promises (12m)"),
    ("近12个月作出的承诺项下已付金额合计", "Amounts paid against the promises made in the last 12 months"),
    "fen",
    12,
    total("paid_fen", win(12)),
    fill=0,
)
pro(
    "cr_promise_fulfilment_12m",
    ("承诺金额兑现率（12个月）", "Promise fulfilment (12m)"),
    (
        "近12个月已了结（履行或违约）承诺的已付金额/承诺金额；无已了结承诺时无定义",
        "Paid / promised over the promises of the last 12 months that were kept or broken; undefined when "
        "none",
    ),
    "ratio",
    12,
    ratio(total("paid_fen", (KEPT | BROKEN) & win(12)), total("amount_fen", (KEPT | BROKEN) & win(12))),
)
pro(
    "cr_open_promises",
    ("未到期承诺数", "Open promises"),
    ("状态为进行中且承诺日不早于基准日的承诺数", "Open promises due on or after the as-of date"),
    "count",
    None,
    count((c("status") == "open") & (c("due_age_days") <= 0)),
    fill=0,
)
pro(
    "cr_lapsed_open_promises",
    ("已过期未处理承诺数", "Lapsed open promises"),
    ("状态仍为进行中但承诺日已过的承诺数", "Promises still open although their due date has passed"),
    "count",
    None,
    count((c("status") == "open") & (c("due_age_days") > 0)),
    fill=0,
)
pro(
    "cr_days_since_last_broken_promise",
    ("距最近违约承诺天数", "Days since last broken promise"),
    (
        "最近一次违约承诺的承诺日到基准日的天数；无违约时无定义",
        "Days from the due date of the latest broken promise to as_of; undefined when none",
    ),
    "days",
    None,
    c("due_age_days").filter(BROKEN).min(),
)

INDICATORS = b.items

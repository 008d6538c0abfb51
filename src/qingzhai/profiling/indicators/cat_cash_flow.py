"""现金流 / Cash flow: income against net spending, month by month. Pure module.

Monthly net flow = counted income - net spending of one calendar month (prepare.py, ``txn_months``); a
month of the window without any row has a net flow of 0.
"""

from __future__ import annotations

import polars as pl

from .helpers import M, between, c, count, ratio, total, win
from .model import WINDOWS, Builder

b = Builder("cash_flow")
tx = b.using(source="txns", purpose="capacity_assessment", frame="txns")
mo = b.using(source="txns", purpose="capacity_assessment", frame="txn_months")

for w in WINDOWS:
    tx(
        f"cf_net_{w}m",
        (f"净现金流（{w}个月）", f"Net cash flow ({w}m)"),
        (
            f"近{w}个月收入合计减净消费（可为负）",
            f"Income less net spending over the last {w} months (may be negative)",
        ),
        "fen",
        w,
        total("amount_fen", c("inc") & win(w)) - total("net", win(w)),
        fill=0,
    )
for w in (12, 24, 36):
    mo(
        f"cf_months_negative_{w}m",
        (f"入不敷出月数（{w}个月）", f"Months with negative flow ({w}m)"),
        (
            f"近{w}个月中收入少于净消费的自然月数",
            f"Calendar months of the last {w} whose net spending exceeded income",
        ),
        "months",
        w,
        count((c("net") < 0) & win(w)),
        fill=0,
    )


def std(w: int) -> pl.Expr:
    x = c("net").cast(pl.Float64).filter(win(w))
    var = (x.pow(2).sum() / w - (x.sum() / w).pow(2)).clip(lower_bound=0)
    return var.sqrt().round(0)


for w in (12, 36):
    mo(
        f"cf_volatility_{w}m",
        (f"月净现金流波动（{w}个月）", f"Monthly flow volatility ({w}m)"),
        (
            f"近{w}个月各月净现金流的总体标准差（无流水的月份按0计，四舍五入到分）",
            f"Population standard deviation of the monthly net flow over the last {w} months (months without "
            "rows count as 0; rounded to the fen)",
        ),
        "fen",
        w,
        std(w),
        fill=0,
    )
mo(
    "cf_net_trend_12m",
    ("现金流趋势（12个月）", "Cash flow trend (12m)"),
    (
        "最近6个月净现金流减去此前6个月净现金流（正数为改善）",
        "Net flow of the latest 6 months less that of the 6 months before (positive: improving)",
    ),
    "fen",
    12,
    total("net", win(6)) - total("net", between(6, 12)),
    fill=0,
)
mo(
    "cf_min_month_net_12m",
    ("最差月净现金流（12个月）", "Worst monthly flow (12m)"),
    (
        "近12个月各月净现金流的最小值（无流水的月份按0计）",
        "The lowest monthly net flow of the last 12 months (months without rows count as 0)",
    ),
    "fen",
    12,
    pl.when(count(win(12)) < 12)
    .then(pl.min_horizontal(c("net").filter(win(12)).min(), pl.lit(0)))
    .otherwise(c("net").filter(win(12)).min()),
    fill=0,
)
mo(
    "cf_active_months_36m",
    ("有流水月数（36个月）", "Months with any transaction (36m)"),
    (
        "近36个月中有任何流水（含中性交易）的自然月数",
        "Calendar months of the last 36 with any statement row, neutral ones included",
    ),
    "months",
    36,
    M.filter(win(36)).n_unique(),
    fill=0,
)
tx(
    "cf_savings_rate_12m",
    ("结余率（12个月）", "Savings rate (12m)"),
    (
        "近12个月净现金流除以收入；无收入时无定义",
        "Net flow over income in the last 12 months; undefined without income",
    ),
    "ratio",
    12,
    ratio(
        total("amount_fen", c("inc") & win(12)) - total("net", win(12)),
        total("amount_fen", c("inc") & win(12)),
    ),
)
tx(
    "cf_own_transfers_12m",
    ("本人账户互转金额（12个月）", "Own-account transfers (12m)"),
    (
        "近12个月本人账户之间划转的人民币金额（提示其他账户的存在）",
        "CNY moved between the debtor's own accounts in the last 12 months (a lead to other accounts)",
    ),
    "fen",
    12,
    total("amount_fen", c("own") & win(12)),
    fill=0,
)
tx(
    "cf_cash_withdrawals_12m",
    ("取现金额（12个月）", "Cash withdrawals (12m)"),
    ("近12个月ATM取现、柜台取款的人民币金额", "CNY withdrawn as cash (ATM, counter) in the last 12 months"),
    "fen",
    12,
    total("amount_fen", c("cash") & win(12)),
    fill=0,
)
tx(
    "cf_cash_withdrawal_count_12m",
    ("取现笔数（12个月）", "Cash withdrawal count (12m)"),
    ("近12个月取现笔数", "Number of cash withdrawals in the last 12 months"),
    "count",
    12,
    count(c("cash") & win(12)),
    fill=0,
)
tx(
    "cf_failed_txns_12m",
    ("失败交易笔数（12个月）", "Failed transactions (12m)"),
    (
        "近12个月失败、取消或未付款的交易笔数（资金不足的信号）",
        "Failed, cancelled or unpaid trades in the last 12 months (a sign of short funds)",
    ),
    "count",
    12,
    count(c("failed") & win(12)),
    fill=0,
)
tx(
    "cf_txn_count_12m",
    ("流水笔数（12个月）", "Statement rows (12m)"),
    (
        "近12个月全部流水笔数（含中性交易与外币）",
        "All statement rows of the last 12 months, neutral and foreign-currency ones included",
    ),
    "count",
    12,
    count(win(12)),
    fill=0,
)
tx(
    "cf_days_since_last_txn",
    ("距最近流水天数", "Days since last transaction"),
    (
        "最近一笔流水到基准日的天数；无流水时无定义",
        "Days from the latest statement row to as_of; undefined when there is none",
    ),
    "days",
    None,
    c("age_days").min(),
)

INDICATORS = b.items

"""收入 / Income: counted inflows in the debtor's statements, and documented income. Pure module."""

from __future__ import annotations

import polars as pl

from .helpers import LARGE_INFLOW_FEN, c, count, latest, latest_days, months, ratio, total, win
from .model import DERIVED, WINDOWS, Builder

b = Builder("income")
tx = b.using(source="txns", purpose="capacity_assessment", frame="txns")
INC = c("inc")

for w in WINDOWS:
    tx(
        f"inc_total_{w}m",
        (f"收入合计（{w}个月）", f"Income total ({w}m)"),
        (
            f"近{w}个月计入收入的人民币流入金额合计（不含退款、本人账户互转、借款放款）",
            f"CNY inflows counted as income in the last {w} months (refunds, own transfers and credit "
            "draws excluded)",
        ),
        "fen",
        w,
        total("amount_fen", INC & win(w)),
        fill=0,
    )
for w in WINDOWS:
    tx(
        f"inc_avg_monthly_{w}m",
        (f"月均收入（{w}个月）", f"Average monthly income ({w}m)"),
        (
            f"近{w}个月收入合计除以{w}（向下取整到分）",
            f"Income total of the last {w} months divided by {w} (floored)",
        ),
        "fen",
        w,
        total("amount_fen", INC & win(w)) // w,
        fill=0,
    )
for w in WINDOWS:
    tx(
        f"inc_months_with_income_{w}m",
        (f"有收入月数（{w}个月）", f"Months with income ({w}m)"),
        (
            f"近{w}个月中有计入收入流入的自然月数",
            f"Calendar months of the last {w} with at least one counted inflow",
        ),
        "months",
        w,
        months(INC & win(w)),
        fill=0,
    )
tx(
    "inc_count_12m",
    ("收入笔数（12个月）", "Income transactions (12m)"),
    ("近12个月计入收入的人民币流入笔数", "Number of counted CNY inflows in the last 12 months"),
    "count",
    12,
    count(INC & win(12)),
    fill=0,
)
for w in (12, 36):
    tx(
        f"inc_max_single_{w}m",
        (f"最大单笔收入（{w}个月）", f"Largest single inflow ({w}m)"),
        (
            f"近{w}个月金额最大的一笔计入收入的流入；没有时为0",
            f"The largest counted inflow of the last {w} months; 0 if none",
        ),
        "fen",
        w,
        c("amount_fen").filter(INC & win(w)).max().fill_null(0),
        fill=0,
    )
for w in (12, 36):
    tx(
        f"inc_salary_{w}m",
        (f"工资类收入（{w}个月）", f"Salary-like income ({w}m)"),
        (
            f"近{w}个月分类、备注或对方名称含工资、薪、代发、奖金、绩效等字样的收入合计",
            f"Income of the last {w} months whose category, memo or counterparty mentions salary, payroll "
            "or bonus (工资, 薪, 代发, 奖金, 绩效)",
        ),
        "fen",
        w,
        total("amount_fen", c("salary") & win(w)),
        fill=0,
    )
tx(
    "inc_salary_months_12m",
    ("有工资类收入月数（12个月）", "Months with salary-like income (12m)"),
    ("近12个月中有工资类收入的自然月数", "Calendar months of the last 12 with a salary-like inflow"),
    "months",
    12,
    months(c("salary") & win(12)),
    fill=0,
)
tx(
    "inc_large_inflows_12m",
    ("大额流入笔数（12个月）", "Large inflows (12m)"),
    (
        "近12个月单笔不低于5万元的计入收入流入笔数",
        "Counted inflows of at least 50,000 yuan each in the last 12 months",
    ),
    "count",
    12,
    count(INC & win(12) & (c("amount_fen") >= LARGE_INFLOW_FEN)),
    fill=0,
)
tx(
    "inc_days_since_last_income",
    ("距最近收入天数", "Days since last income"),
    (
        "最近一笔计入收入的流入到基准日的天数；从无收入时无定义",
        "Days from the latest counted inflow to as_of; undefined if none",
    ),
    "days",
    None,
    latest_days(INC),
)
tx(
    "inc_fx_count_12m",
    ("外币流入笔数（12个月）", "Foreign-currency inflows (12m)"),
    (
        "近12个月币种不是人民币的流入笔数（不计入任何金额合计）",
        "Inflows in a currency other than CNY in the last 12 months (never summed into money indicators)",
    ),
    "count",
    12,
    count(c("fx_in") & win(12)),
    fill=0,
)

payers = b.using(source="txns", purpose="capacity_assessment", frame="txn_payers")
payers(
    "inc_payers_12m",
    ("付款方数量（12个月）", "Payers (12m)"),
    (
        "近12个月向债务人付款（计入收入）的不同对方数量",
        "Distinct counterparties of counted inflows in the last 12 months",
    ),
    "count",
    12,
    count(c("s12") > 0),
    fill=0,
)
for w in (12, 36):
    s = c(f"s{w}")
    payers(
        f"inc_top_payer_share_{w}m",
        (f"最大付款方占比（{w}个月）", f"Largest payer share ({w}m)"),
        (
            f"近{w}个月收入中来自同一对方的最大份额；无收入时无定义",
            f"Share of the last {w} months' income that came from the single largest payer; undefined "
            "without income",
        ),
        "ratio",
        w,
        ratio(s.max(), s.sum()),
    )
payers(
    "inc_regular_share_12m",
    ("稳定来源收入占比（12个月）", "Regular-payer income share (12m)"),
    (
        "近12个月收入中来自在至少3个不同月份付款的对方的份额；无收入时无定义",
        "Share of the last 12 months' income from payers who paid in at least 3 distinct months; undefined "
        "without income",
    ),
    "ratio",
    12,
    ratio(c("s12").filter(c("mo12") >= 3).sum(), c("s12").sum()),
)

b.add(
    "inc_declared_monthly",
    ("申报月收入", "Declared monthly income"),
    (
        "最近一次收入申报的月收入；无申报时无定义",
        "Monthly income in the latest declaration; undefined when none",
    ),
    "fen",
    None,
    latest("monthly_income_fen", "declared_on"),
    source="records:declared_income",
    purpose="capacity_assessment",
    frame="records:declared_income",
)
b.add(
    "inc_contrib_base_avg_12m",
    ("社保缴费基数月均（12个月）", "Average social insurance base (12m)"),
    (
        "近12个月已缴社保记录缴费基数的平均值（向下取整）；无记录时无定义",
        "Mean contribution base of paid social insurance records of the last 12 months (floored); undefined "
        "when none",
    ),
    "fen",
    12,
    c("base_fen")
    .filter((c("status") == "paid") & (c("scheme") == "social_insurance") & win(12))
    .mean()
    .floor(),
    source="records:contribution",
    purpose="capacity_assessment",
    frame="records:contribution",
)
b.add(
    "inc_documented_monthly",
    ("有据月收入", "Documented monthly income"),
    (
        "申报月收入；未申报时取近12个月社保缴费基数月均",
        "The declared monthly income; without a declaration, the average social insurance base of the last "
        "12 months",
    ),
    "fen",
    None,
    pl.coalesce(c("inc_declared_monthly"), c("inc_contrib_base_avg_12m")),
    source="records:declared_income|records:contribution",
    purpose="capacity_assessment",
    frame=DERIVED,
    deps=("inc_declared_monthly", "inc_contrib_base_avg_12m"),
)
b.add(
    "inc_vs_documented_ratio_12m",
    ("流水收入与有据收入之比（12个月）", "Statement to documented income (12m)"),
    (
        "近12个月流水收入合计除以有据月收入的12倍；有据收入为0或未知时无定义",
        "Statement income of the last 12 months over 12 times the documented monthly income; undefined when "
        "that is 0 or unknown",
    ),
    "ratio",
    12,
    ratio(c("inc_total_12m"), c("inc_documented_monthly") * 12),
    source="txns+records:declared_income|records:contribution",
    purpose="capacity_assessment",
    frame=DERIVED,
    deps=("inc_total_12m", "inc_documented_monthly"),
)

INDICATORS = b.items

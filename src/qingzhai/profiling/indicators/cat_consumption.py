"""消费 / Consumption: net spending in the debtor's statements. Pure module.

Net spending is the CNY ``out`` rows less what was refunded on them (prepare.py, ``net``).
"""

from __future__ import annotations

from .helpers import LARGE_PURCHASE_FEN, c, count, distinct, months, ratio, total, win
from .model import DERIVED, WINDOWS, Builder

b = Builder("consumption")
tx = b.using(source="txns", purpose="capacity_assessment", frame="txns")
OUT = c("out")

for w in WINDOWS:
    tx(
        f"cons_net_{w}m",
        (f"净消费（{w}个月）", f"Net spending ({w}m)"),
        (
            f"近{w}个月人民币支出减去其已退款部分（行内退款与指向原交易的退款行），按原交易日期计",
            f"CNY spending of the last {w} months less what was refunded on it (on the row or by refund rows "
            "naming it), dated at the purchase",
        ),
        "fen",
        w,
        total("net", win(w)),
        fill=0,
    )
for w in WINDOWS:
    tx(
        f"cons_avg_monthly_{w}m",
        (f"月均净消费（{w}个月）", f"Average monthly net spending ({w}m)"),
        (
            f"近{w}个月净消费除以{w}（向下取整到分）",
            f"Net spending of the last {w} months divided by {w} (floored)",
        ),
        "fen",
        w,
        total("net", win(w)) // w,
        fill=0,
    )
for w in WINDOWS:
    b.add(
        f"inc_cons_gap_ratio_{w}m",
        (f"消费收入比（{w}个月）", f"Consumption to documented income ({w}m)"),
        (
            f"近{w}个月净消费除以有据月收入的{w}倍（有据月收入：申报月收入，未申报时取社保缴费基数月均）；"
            "有据收入为0或未知时无定义",
            f"Net spending of the last {w} months over {w} times the documented monthly income (declared "
            "income, else the average social insurance base); undefined when that is 0 or unknown",
        ),
        "ratio",
        w,
        ratio(c(f"cons_net_{w}m"), c("inc_documented_monthly") * w),
        source="txns+records:declared_income|records:contribution",
        purpose="capacity_assessment",
        frame=DERIVED,
        deps=(f"cons_net_{w}m", "inc_documented_monthly"),
    )
tx(
    "cons_count_12m",
    ("消费笔数（12个月）", "Spending transactions (12m)"),
    ("近12个月人民币支出笔数", "Number of CNY spending rows in the last 12 months"),
    "count",
    12,
    count(OUT & win(12)),
    fill=0,
)
tx(
    "cons_months_with_spending_12m",
    ("有消费月数（12个月）", "Months with spending (12m)"),
    ("近12个月中有人民币支出的自然月数", "Calendar months of the last 12 with at least one CNY spending row"),
    "months",
    12,
    months(OUT & win(12)),
    fill=0,
)
tx(
    "cons_max_single_12m",
    ("最大单笔净消费（12个月）", "Largest single purchase (12m)"),
    (
        "近12个月单笔净消费的最大值；没有时为0",
        "The largest net amount of one spending row in the last 12 months; 0 if none",
    ),
    "fen",
    12,
    c("net").filter(OUT & win(12)).max().fill_null(0),
    fill=0,
)
tx(
    "cons_refunds_12m",
    ("已退款金额（12个月）", "Refunded (12m)"),
    (
        "近12个月支出中已退回的金额（行内退款与指向原交易的退款行，按原交易日期计）",
        "Amount refunded on the last 12 months' spending (on the row or by refund rows naming it, dated at "
        "the purchase)",
    ),
    "fen",
    12,
    total("refund_off", win(12)),
    fill=0,
)
tx(
    "cons_large_purchases_12m",
    ("大额消费笔数（12个月）", "Large purchases (12m)"),
    (
        "近12个月单笔净消费不低于1万元的笔数",
        "Spending rows of the last 12 months with a net amount of at least 10,000 yuan",
    ),
    "count",
    12,
    count(OUT & win(12) & (c("net") >= LARGE_PURCHASE_FEN)),
    fill=0,
)
tx(
    "cons_merchants_12m",
    ("消费对象数量（12个月）", "Merchants (12m)"),
    ("近12个月人民币支出的不同对方数量", "Distinct counterparties of CNY spending in the last 12 months"),
    "count",
    12,
    distinct("counterparty", OUT & win(12)),
    fill=0,
)

KINDS = (
    (
        "lux",
        "luxury",
        "奢侈品",
        "luxury goods",
        "奢侈品、珠宝、黄金、名表等",
        "luxury brands, jewellery, gold, watches",
    ),
    (
        "travel",
        "travel",
        "旅行",
        "travel",
        "机票、酒店、旅行平台、铁路等",
        "flights, hotels, travel platforms, rail",
    ),
    (
        "ent",
        "entertainment",
        "娱乐",
        "entertainment",
        "KTV、酒吧、会所、游戏、演出、直播打赏等",
        "KTV, bars, clubs, games, shows, live-stream tips",
    ),
)
for flag, name, zh, en, what_zh, what_en in KINDS:
    for w in (12, 36):
        tx(
            f"cons_{name}_{w}m",
            (f"{zh}消费（{w}个月）", f"{en.capitalize()} spending ({w}m)"),
            (
                f"近{w}个月分类、备注或对方名称属于{what_zh}的净消费",
                f"Net spending of the last {w} months whose category, memo or counterparty points to {what_en}",
            ),
            "fen",
            w,
            total("net", c(flag) & win(w)),
            fill=0,
        )
for w in (12, 36):
    tx(
        f"cons_luxury_share_{w}m",
        (f"奢侈品消费占比（{w}个月）", f"Luxury share ({w}m)"),
        (
            f"近{w}个月奢侈品净消费占净消费的比例；净消费为0时无定义",
            f"Luxury net spending over net spending, last {w} months; undefined when no spending",
        ),
        "ratio",
        w,
        ratio(total("net", c("lux") & win(w)), total("net", win(w))),
    )
tx(
    "cons_lottery_12m",
    ("彩票博彩消费（12个月）", "Lottery and betting (12m)"),
    ("近12个月彩票、竞彩、博彩类净消费", "Net spending on lottery and betting in the last 12 months"),
    "fen",
    12,
    total("net", c("lottery") & win(12)),
    fill=0,
)
tx(
    "cons_credit_funded_12m",
    ("信用支付消费（12个月）", "Credit-funded spending (12m)"),
    (
        "近12个月通过花呗、白条、月付、信用卡等信用渠道支付的净消费",
        "Net spending of the last 12 months paid through a credit channel (花呗, 白条, 月付, credit card)",
    ),
    "fen",
    12,
    total("net", c("credit") & win(12)),
    fill=0,
)
for w in (12, 36):
    tx(
        f"cons_credit_funded_share_{w}m",
        (f"信用支付占比（{w}个月）", f"Credit-funded share ({w}m)"),
        (
            f"近{w}个月信用渠道净消费占净消费的比例；净消费为0时无定义",
            f"Credit-channel net spending over net spending, last {w} months; undefined when no spending",
        ),
        "ratio",
        w,
        ratio(total("net", c("credit") & win(w)), total("net", win(w))),
    )
tx(
    "cons_night_count_12m",
    ("夜间消费笔数（12个月）", "Night-time purchases (12m)"),
    (
        "近12个月22:00至次日05:59之间的人民币支出笔数",
        "CNY spending rows between 22:00 and 05:59 in the last 12 months",
    ),
    "count",
    12,
    count(c("night") & win(12)),
    fill=0,
)
tx(
    "cons_night_share_12m",
    ("夜间消费占比（12个月）", "Night-time share (12m)"),
    (
        "近12个月夜间（22:00-05:59）净消费占净消费的比例；净消费为0时无定义",
        "Night-time (22:00-05:59) net spending over net spending, last 12 months; undefined when no spending",
    ),
    "ratio",
    12,
    ratio(total("net", c("night") & win(12)), total("net", win(12))),
)
for w in (12, 36):
    tx(
        f"cons_to_income_ratio_{w}m",
        (f"消费与流水收入之比（{w}个月）", f"Spending to statement income ({w}m)"),
        (
            f"近{w}个月净消费除以流水收入；无收入时无定义",
            f"Net spending over counted income in the last {w} months; undefined without income",
        ),
        "ratio",
        w,
        ratio(total("net", win(w)), total("amount_fen", c("inc") & win(w))),
    )
tx(
    "cons_fx_count_12m",
    ("外币支出笔数（12个月）", "Foreign-currency payments (12m)"),
    (
        "近12个月币种不是人民币的支出笔数（境外消费线索，不计入任何金额合计）",
        "Outgoing rows in a currency other than CNY in the last 12 months (a lead to spending abroad; never "
        "summed into money indicators)",
    ),
    "count",
    12,
    count(c("fx_out") & win(12)),
    fill=0,
)

INDICATORS = b.items

"""负债 / Liabilities: the assigned debts, credit seen in statements, mortgages. Pure module."""

from __future__ import annotations

from .helpers import c, count, distinct, months, ratio, total, win
from .model import Builder

b = Builder("liabilities")
debts = b.using(source="debts", purpose="collection", frame="debts")
OPEN = c("status") == "open"

debts(
    "liab_debts_open",
    ("未结债务笔数", "Open debts"),
    ("状态为未结的受托债务笔数", "Assigned debts whose status is open"),
    "count",
    None,
    count(OPEN),
    fill=0,
)
debts(
    "liab_debts_settled",
    ("已结清债务笔数", "Settled debts"),
    ("状态为已结清的受托债务笔数", "Assigned debts whose status is settled"),
    "count",
    None,
    count(c("status") == "settled"),
    fill=0,
)
debts(
    "liab_debts_written_off",
    ("已核销债务笔数", "Written-off debts"),
    ("状态为已核销的受托债务笔数", "Assigned debts whose status is written off"),
    "count",
    None,
    count(c("status") == "written_off"),
    fill=0,
)
debts(
    "liab_outstanding_total",
    ("未结欠款余额", "Outstanding balance"),
    (
        "未结债务的欠款余额合计（本金、利息、罚息、费用）",
        "Outstanding (principal, interest, penalty, fees) of open debts",
    ),
    "fen",
    None,
    total("outstanding_fen", OPEN),
    fill=0,
)
debts(
    "liab_principal_open",
    ("未结本金", "Open principal"),
    ("未结债务的剩余本金合计", "Remaining principal of open debts"),
    "fen",
    None,
    total("principal_fen", OPEN),
    fill=0,
)
debts(
    "liab_original_principal_total",
    ("原始本金合计", "Original principal"),
    ("全部受托债务的原始本金合计", "Original principal of all assigned debts"),
    "fen",
    None,
    c("original_principal_fen").sum(),
    fill=0,
)
debts(
    "liab_max_dpd",
    ("最长逾期天数", "Maximum days past due"),
    (
        "未结债务中逾期天数的最大值；无未结债务时为0",
        "The largest days past due among open debts; 0 when none is open",
    ),
    "days",
    None,
    c("dpd").filter(OPEN).max().fill_null(0),
    fill=0,
)
debts(
    "liab_dpd_over_90",
    ("逾期超90天债务笔数", "Debts over 90 days past due"),
    ("逾期天数超过90天的未结债务笔数", "Open debts more than 90 days past due"),
    "count",
    None,
    count(OPEN & (c("dpd") > 90)),
    fill=0,
)
debts(
    "liab_products",
    ("债务产品种类", "Products"),
    ("受托债务涉及的不同产品数量", "Distinct products among the assigned debts"),
    "count",
    None,
    distinct("product", c("debt_id").is_not_null()),
    fill=0,
)
debts(
    "liab_repaid_share",
    ("本金已还比例", "Principal repaid share"),
    (
        "全部债务（原始本金-剩余本金）/原始本金；无原始本金时无定义",
        "(original principal - remaining principal) / original principal over all debts; undefined when 0",
    ),
    "ratio",
    None,
    ratio(c("original_principal_fen").sum() - c("principal_fen").sum(), c("original_principal_fen").sum()),
)
debts(
    "liab_interest_fee_share",
    ("息费占余额比例", "Interest and fee share"),
    (
        "未结债务中（欠款余额-本金）/欠款余额；无余额时无定义",
        "(outstanding - principal) / outstanding over open debts; undefined when nothing is outstanding",
    ),
    "ratio",
    None,
    ratio(total("outstanding_fen", OPEN) - total("principal_fen", OPEN), total("outstanding_fen", OPEN)),
)
debts(
    "liab_months_since_first_contract",
    ("最早借款距今月数", "Months since first contract"),
    (
        "基准月与最早合同日所在月相差的月数；无合同日时无定义",
        "Months from the earliest contract date's month to the as-of month; undefined when none",
    ),
    "months",
    None,
    c("contract_m_ago").max(),
)

tx = b.using(source="txns", purpose="capacity_assessment", frame="txns")
for w in (3, 12, 36):
    tx(
        f"liab_credit_repay_{w}m",
        (f"账单中还款金额（{w}个月）", f"Credit repaid in statements ({w}m)"),
        (
            f"近{w}个月流水中信用卡、花呗、白条、贷款等还款的人民币金额",
            f"CNY repaid to credit cards, 花呗, 白条 and loans in the statements of the last {w} months",
        ),
        "fen",
        w,
        total("amount_fen", c("crepay") & win(w)),
        fill=0,
    )
for w in (3, 12, 36):
    tx(
        f"liab_credit_draw_{w}m",
        (f"账单中借款放款（{w}个月）", f"Credit drawn in statements ({w}m)"),
        (
            f"近{w}个月流水中贷款放款、借呗借款、取现等借入的人民币金额",
            f"CNY of credit drawn (loan payouts, 借呗, cash advances) in the statements of the last {w} months",
        ),
        "fen",
        w,
        total("amount_fen", c("cdraw") & win(w)),
        fill=0,
    )
tx(
    "liab_credit_draw_count_12m",
    ("借款笔数（12个月）", "Credit draws (12m)"),
    ("近12个月流水中借入笔数", "Number of credit draws in the statements of the last 12 months"),
    "count",
    12,
    count(c("cdraw") & win(12)),
    fill=0,
)
tx(
    "liab_credit_repay_months_12m",
    ("有还款月数（12个月）", "Months repaying credit (12m)"),
    (
        "近12个月流水中有信用还款的自然月数",
        "Calendar months of the last 12 with a credit repayment in the statements",
    ),
    "months",
    12,
    months(c("crepay") & win(12)),
    fill=0,
)
tx(
    "liab_credit_lenders_12m",
    ("授信机构数量（12个月）", "Lenders (12m)"),
    (
        "近12个月借入或还款交易的不同对方数量",
        "Distinct counterparties of credit draws and repayments in the last 12 months",
    ),
    "count",
    12,
    distinct("counterparty", (c("crepay") | c("cdraw")) & win(12)),
    fill=0,
)
tx(
    "liab_debt_service_ratio_12m",
    ("还款收入比（12个月）", "Debt service ratio (12m)"),
    (
        "近12个月流水中信用还款金额除以收入；无收入时无定义",
        "Credit repaid over counted income in the last 12 months' statements; undefined without income",
    ),
    "ratio",
    12,
    ratio(total("amount_fen", c("crepay") & win(12)), total("amount_fen", c("inc") & win(12))),
)
b.add(
    "liab_mortgage_total",
    ("房产抵押金额", "Mortgages on property"),
    (
        "本人名下仍持有的房产最近登记的抵押金额合计",
        "Latest registered mortgage amounts on properties the debtor still holds",
    ),
    "fen",
    None,
    total("mortgage", c("held") & c("own")),
    source="records:property",
    purpose="asset_investigation",
    frame="property_units",
    fill=0,
)

INDICATORS = b.items

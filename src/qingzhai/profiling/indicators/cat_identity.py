"""身份与稳定性 / Identity & stability. Pure module."""

from __future__ import annotations

import polars as pl

from .helpers import M, c, distinct, latest, months
from .model import Builder

b = Builder("identity")
case = b.using(source="debtors", purpose="collection", frame="debtors")


def flag(column: str) -> pl.Expr:
    return c(column).fill_null(False).first()


case(
    "id_is_enterprise",
    ("企业债务人", "Enterprise debtor"),
    ("债务人类型为企业", "The debtor is an enterprise rather than a person"),
    "bool",
    None,
    (c("kind").first() == "enterprise").fill_null(False),
)
case(
    "id_age_years",
    ("年龄", "Age"),
    (
        "由身份证号得出的周岁年龄；未知时无定义",
        "Age in whole years from the ID number; undefined when unknown",
    ),
    "years",
    None,
    c("age").first(),
)
for col, zh, en in (
    ("has_id_number", "身份证号已知", "ID number on file"),
    ("has_home_address", "住址已知", "Home address on file"),
    ("has_work_address", "单位地址已知", "Work address on file"),
    ("bankrupt", "破产", "Bankrupt"),
    ("deceased", "已故", "Deceased"),
    ("hardship", "处于困难期", "In a hardship period"),
    ("lawyer_represented", "有律师代理", "Represented by a lawyer"),
    ("unreachable", "标记为失联", "Marked unreachable"),
):
    case(
        f"id_{col}",
        (zh, en),
        (f"案件记录：{zh}（截至基准日）", f"Case record: {en.lower()} (on the as-of date)"),
        "bool",
        None,
        flag(col),
    )
case(
    "id_has_employer",
    ("工作单位已知", "Employer known"),
    ("案件记录中工作单位非空", "The case record names an employer"),
    "bool",
    None,
    (c("employer").first().fill_null("").str.strip_chars() != ""),
)
case(
    "id_case_age_days",
    ("案件天数", "Case age"),
    ("从案件建立日到基准日的天数", "Days from the case's creation to the as-of date"),
    "days",
    None,
    c("case_age_days").first(),
)

# Contributions (tax, social insurance, housing fund): employment stability.
contrib = b.using(source="records:contribution", purpose="capacity_assessment", frame="records:contribution")
paid = c("status") == "paid"
for w in (12, 36):
    contrib(
        f"id_contrib_months_{w}m",
        (f"缴费月数（{w}个月）", f"Months with contributions ({w}m)"),
        (
            f"近{w}个月内有任一已缴（纳税、社保或公积金）记录的月数",
            f"Months in the last {w} with any paid tax, social insurance or housing fund record",
        ),
        "months",
        w,
        months(paid & (w > M)),
        fill=0,
    )
contrib(
    "id_housing_fund_months_12m",
    ("公积金缴存月数（12个月）", "Housing fund months (12m)"),
    ("近12个月内公积金已缴的月数", "Months in the last 12 with a paid housing fund contribution"),
    "months",
    12,
    months(paid & (c("scheme") == "housing_fund") & (M < 12)),
    fill=0,
)
contrib(
    "id_employers_36m",
    ("缴费单位数（36个月）", "Employers (36m)"),
    (
        "近36个月缴费记录中不同缴费单位的数量",
        "Distinct employers named in contribution records of the last 36 months",
    ),
    "count",
    36,
    distinct("employer", M < 36),
    fill=0,
)
current = latest("employer", "period", paid)
contrib(
    "id_current_employer_months_36m",
    ("现单位缴费月数（36个月）", "Months with current employer (36m)"),
    (
        "近36个月内由最近一条已缴记录的单位缴费的月数",
        "Months in the last 36 with a paid contribution from the employer of the latest paid record",
    ),
    "months",
    36,
    M.filter(paid & (M < 36) & (c("employer") == current)).n_unique(),
    fill=0,
)
contrib(
    "id_contrib_arrears_months_12m",
    ("欠缴或停缴月数（12个月）", "Months in arrears or stopped (12m)"),
    (
        "近12个月内有欠缴或停缴记录的月数",
        "Months in the last 12 with a contribution record in arrears or stopped",
    ),
    "months",
    12,
    months(c("status").is_in(["arrears", "stopped"]) & (M < 12)),
    fill=0,
)
contrib(
    "id_months_since_last_contrib",
    ("距最近缴费月数", "Months since last contribution"),
    (
        "基准月与最近一条已缴记录所属月份相差的月数；无已缴记录时无定义",
        "Months between the as-of month and the latest paid record's month; undefined when none",
    ),
    "months",
    None,
    M.filter(paid).min(),
)

declared = b.using(
    source="records:declared_income", purpose="capacity_assessment", frame="records:declared_income"
)
declared(
    "id_declared_dependants",
    ("申报供养人数", "Declared dependants"),
    (
        "最近一次收入申报中的供养人数；未申报时无定义",
        "Dependants in the latest income declaration; undefined when none",
    ),
    "count",
    None,
    latest("dependants", "declared_on"),
)
declared(
    "id_days_since_declaration",
    ("距最近申报天数", "Days since declaration"),
    (
        "最近一次收入申报到基准日的天数；无申报时无定义",
        "Days from the latest income declaration to as_of; undefined when none",
    ),
    "days",
    None,
    c("age_days").min(),
)

INDICATORS = b.items

"""Expression helpers and keyword vocabularies shared by the catalogue modules. Pure module.

Every prepared frame (prepare.py) that has dated rows carries ``m_ago`` (calendar months before the as-of
month: 0 for the as-of month itself) and ``age_days`` (days before as_of), so catalogue expressions never
need the as-of date.
"""

from __future__ import annotations

import polars as pl

M = pl.col("m_ago")
AGE = pl.col("age_days")


def win(months: int) -> pl.Expr:
    """Rows in the `months` calendar months ending with the as-of month (see model.py, Windows)."""
    return months > M


def between(newest: int, oldest: int) -> pl.Expr:
    """Rows whose month is `newest` .. `oldest` - 1 months before the as-of month."""
    return (newest <= M) & (oldest > M)


def c(name: str) -> pl.Expr:
    return pl.col(name)


def total(column: str, cond: pl.Expr) -> pl.Expr:
    """Sum of `column` over rows where `cond` holds (0 when none)."""
    return pl.col(column).filter(cond).sum()


def count(cond: pl.Expr) -> pl.Expr:
    """Number of rows where `cond` holds."""
    return cond.fill_null(False).sum()


def months(cond: pl.Expr) -> pl.Expr:
    """Number of distinct calendar months with a row where `cond` holds."""
    return M.filter(cond).n_unique()


def distinct(column: str, cond: pl.Expr) -> pl.Expr:
    """Number of distinct non-empty values of `column` over rows where `cond` holds."""
    col = pl.col(column)
    return col.filter(cond & col.is_not_null() & (col != "")).n_unique()


def ratio(num: pl.Expr, den: pl.Expr) -> pl.Expr:
    """num / den as a float; null (undefined) when den is 0 or null."""
    return pl.when(den != 0).then(num.cast(pl.Float64) / den.cast(pl.Float64)).otherwise(None)


def latest_days(cond: pl.Expr) -> pl.Expr:
    """Days from the most recent row where `cond` holds to as_of (null when none)."""
    return AGE.filter(cond).min()


def latest(column: str, order: str, cond: pl.Expr | None = None) -> pl.Expr:
    """`column` of the last row by `order` (ties: the later row in the frame) among rows where `cond`
    holds and `column` is not null."""
    col = pl.col(column)
    keep = col.is_not_null() if cond is None else (cond & col.is_not_null())
    return col.filter(keep).sort_by(pl.col(order).filter(keep), maintain_order=True).last()


def any_(cond: pl.Expr) -> pl.Expr:
    return cond.fill_null(False).any()


# Keyword vocabularies (regular expressions, case-insensitive), matched against a transaction's category,
# memo and counterparty (`CREDIT_CHANNEL` against its channel).
SALARY = r"(?i)工资|薪|代发|奖金|绩效|salary|payroll|bonus"
LUXURY = (
    r"(?i)奢侈|奢品|珠宝|黄金|钻石|名表|腕表|劳力士|rolex|卡地亚|cartier|爱马仕|hermes|hermès|香奈儿|chanel|"
    r"路易威登|louis vuitton|古驰|gucci|普拉达|prada|迪奥|dior|巴黎世家|balenciaga|蒂芙尼|tiffany|周大福|老凤祥"
)
TRAVEL = (
    r"(?i)机票|航空|航班|酒店|宾馆|民宿|旅行|旅游|携程|飞猪|去哪儿|同程|途牛|12306|铁路|高铁|度假|签证|免税|"
    r"hotel|airline|airbnb|trip\.com"
)
ENTERTAINMENT = (
    r"(?i)ktv|酒吧|夜店|会所|夜总会|娱乐|游戏|电竞|网吧|影城|影院|电影|演唱会|演出|剧院|直播|打赏|足浴|按摩|"
    r"洗浴|桌游|密室"
)
LOTTERY = r"(?i)彩票|体彩|福彩|竞彩|博彩|lottery"
CREDIT_CHANNEL = r"(?i)花呗|白条|月付|信用卡|先用后付|credit card"
CASH = r"(?i)atm|取现|取款|现金支取"

LARGE_INFLOW_FEN = 5_000_000  # 50,000 yuan
LARGE_PURCHASE_FEN = 1_000_000  # 10,000 yuan
LOW_PRICE_SHARE = 0.7  # a transfer below 70% of the reference value is "obviously low" (明显不合理低价)
NIGHT_FROM_HOUR = 22  # night: 22:00 .. 05:59
NIGHT_TO_HOUR = 6
CONTACT_TO_PAYMENT_DAYS = 7

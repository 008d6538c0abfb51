"""CMB 招商银行: credit card and debit card statements converted from PDF, and the PC 专业版 CSV export.

* credit (``cmb-credit-converted``): title ``招商银行信用卡对账单（个人消费卡账户 2024年01月）（补）``, then 交易日
  (may be blank), 记账日, 交易摘要, 人民币金额 (signed: + spend, − repayment/refund), 卡号末四位, 交易地金额.
  Dates are ``MM/DD`` with no year: the year comes from the title's statement month, and each date takes the
  year that puts it nearest that month (``12/29`` on a 2024-01 statement is 2023-12-29; ``01/03`` on a
  2023-12 statement is 2024-01-03). Without a title, ``ParseContext.year`` (when a caller sets one) is the
  statement year; otherwise the file is unreadable.
* debit (``cmb-debit-converted``): 记账日期, 货币, 交易金额 (signed), 联机余额, 交易摘要, 对手信息
  (``张三 66666666666666``: name and account), 客户摘要.
* PC 专业版 (``cmb-pc-csv``): 7 ``#`` lines (``# 招商银行交易记录``, ``# 导出时间: […]``,
  ``# 账    号: [一卡通:6214********1234   招商银行]``, ``# 币    种: […]``, ``# 起始日期: […]   终止日期: […]``,
  ``# 过滤设置…``, ``""``), the header 交易日期 (``YYYYMMDD``), 交易时间, 收入, 支出, 余额, 交易类型, 交易备注, and
  ``#`` footer lines (``# 收入合计`` / ``# 支出合计``), which are not rows.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from qingzhai.profiling.sources.banks.common import (
    BankParser,
    Row,
    RowFail,
    currency_of,
    iso_day,
    tail,
    title_month,
)
from qingzhai.profiling.sources.banks.rules import card_nature, debit_nature
from qingzhai.profiling.sources.base import ParseContext, Txn, UnreadableFile
from qingzhai.profiling.sources.reading import Header, clean


def _month_day(value: str, year: int, month: int) -> datetime:
    """'12/29' on a (2024, 1) statement -> 2023-12-29: the candidate year nearest the statement month.
    Month 0: no statement month is known, the date is in `year`."""
    m = re.fullmatch(r"(\d{1,2})[/-](\d{1,2})", value)
    if not m:
        raise ValueError(value)
    if month == 0:
        return datetime(year, int(m.group(1)), int(m.group(2)))
    target = datetime(year, month, 15)
    best: datetime | None = None
    for y in (year - 1, year, year + 1):
        try:
            day = datetime(y, int(m.group(1)), int(m.group(2)))
        except ValueError:
            continue
        if best is None or abs(day - target) < abs(best - target):
            best = day
    if best is None:
        raise ValueError(value)
    return best


class CmbCredit(BankParser):
    key = "bank:cmb-credit"
    label_zh = "招商银行信用卡账单（PDF 转换）"
    label_en = "CMB credit card statement (converted from PDF)"
    layout = "cmb-credit-converted"
    required = ("交易日", "记账日", "交易摘要", "人民币金额", "卡号末四位")

    def read_meta(self, header: Header, ctx: ParseContext) -> dict[str, Any]:
        found = title_month(header)
        if found is not None:
            return {"statement_month": f"{found[0]:04d}-{found[1]:02d}"}
        year = getattr(ctx, "year", None)
        if isinstance(year, int):
            return {"statement_month": "", "year": year}
        raise UnreadableFile(
            "no_year",
            "招商银行信用卡账单的日期没有年份，且找不到标题行中的账单月份（如“2024年01月”）",
            "CMB credit card dates have no year and the title with the statement month (e.g. '2024年01月') "
            "is missing",
        )

    def read_row(self, row: Row) -> Txn | None:
        meta = row.result.meta
        column = "交易日" if row.text("交易日") else "记账日"
        value = row.text(column)
        if not value:
            raise RowFail("记账日", "日期为空", "date is empty")
        if meta.get("statement_month"):
            year, month = (int(p) for p in str(meta["statement_month"]).split("-"))
        else:
            year, month = int(meta["year"]), 0
        try:
            when = _month_day(value, year, month)
        except ValueError:
            when = row.when(column, ("%Y/%m/%d", "%Y-%m-%d"))
        fen, side = row.signed("人民币金额", "out")
        summary = row.text("交易摘要")
        local = row.text("交易地金额")
        return row.txn(
            time=when,
            amount_fen=fen,
            side=side,
            nature=card_nature(side, (summary,), payer=summary, own=row.owner.name(summary)),
            counterparty=summary,
            memo=f"交易地金额 {local}" if local else "",
            account=row.text("卡号末四位"),
        )


class CmbDebit(BankParser):
    key = "bank:cmb-debit"
    label_zh = "招商银行借记卡流水（PDF 转换）"
    label_en = "CMB debit card statement (converted from PDF)"
    layout = "cmb-debit-converted"
    required = ("记账日期", "货币", "交易金额", "联机余额", "交易摘要")

    def read_row(self, row: Row) -> Txn | None:
        fen, side = row.signed("交易金额", "in")
        who = row.text("对手信息")
        m = re.fullmatch(r"(.*?)\s*([\d*]{6,})", who)
        name, account = (m.group(1).strip(), m.group(2)) if m else (who, "")
        summary, note = row.text("交易摘要"), row.text("客户摘要")
        own = row.owner.name(name) or row.owner.account(account)
        return row.txn(
            time=row.when("记账日期", ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d")),
            amount_fen=fen,
            side=side,
            nature=debit_nature(side, (summary, name, note), own=own),
            currency=row.currency("货币"),
            counterparty=name,
            category=summary,
            memo=note,
            balance_fen=row.balance("联机余额"),
        )


class CmbPc(BankParser):
    key = "bank:cmb-pc"
    label_zh = "招商银行专业版交易记录"
    label_en = "CMB PC (专业版) transaction export"
    layout = "cmb-pc-csv"
    required = ("交易日期", "交易时间", "收入", "支出", "余额", "交易类型", "交易备注")
    footer_words = ("#",)

    def read_meta(self, header: Header, ctx: ParseContext) -> dict[str, Any]:
        lines = [" ".join(clean(c) for c in r) for r in header.sheet.rows[: header.index]]
        text = "\n".join(line.lstrip("#").strip() for line in lines)
        meta: dict[str, Any] = {}
        m = re.search(r"账\s*号\s*[:：]\s*\[([^\]]*)\]", text)
        if m:
            number = re.search(r"[\d*]{8,}", m.group(1))
            meta["account"] = number.group(0) if number else m.group(1).strip()
            meta["account_label"] = m.group(1).strip()
        m = re.search(r"币\s*种\s*[:：]\s*\[?\s*([^\]\n]*)", text)
        meta["currency"] = (currency_of(m.group(1)) if m else "") or "CNY"
        m = re.search(r"起始日期\s*[:：]\s*\[?\s*(\d{8})\s*\]?.*?终止日期\s*[:：]\s*\[?\s*(\d{8})", text)
        if m:
            meta["period_from"], meta["period_to"] = iso_day(m.group(1)), iso_day(m.group(2))
        m = re.search(r"导出时间\s*[:：]\s*\[\s*([^\]]*?)\s*\]", text)
        if m:
            meta["exported_at"] = m.group(1)
        return meta

    def read_row(self, row: Row) -> Txn | None:
        found = row.two_columns("收入", "支出")
        if found is None:
            return None
        fen, side, reversal = found
        kind, note = row.text("交易类型"), row.text("交易备注")
        own = row.owner.name(note)
        return row.txn(
            time=row.when("交易日期", ("%Y%m%d", "%Y-%m-%d"), "交易时间", ("%H:%M:%S", "%H%M%S")),
            amount_fen=fen,
            side=side,
            nature="refund" if reversal else debit_nature(side, (kind, note), own=own),
            currency=str(row.result.meta.get("currency", "CNY")),
            category=kind,
            memo=note,
            account=tail(str(row.result.meta.get("account", ""))),
            balance_fen=row.balance("余额"),
        )


PARSERS = [CmbCredit(), CmbDebit(), CmbPc()]

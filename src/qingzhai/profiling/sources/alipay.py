"""Alipay (支付宝) bill exports: the app export since 2023 (A1), the app export of 2021-2023 (A2) and the
old PC web export (A3). See /work/shared/formats/README.md.

Pure module (no Django). A1 and A2 have the same columns in a different order (and 其他 became 不计收支),
so one column-name-driven loop reads both. Refunds are separate rows whose order id is the original id
plus ``_suffix``: they get nature ``refund`` and `refund_of` = the id before the first ``_``.
"""

from __future__ import annotations

from qingzhai.profiling.sources.base import ParseContext, ParseResult, RowError, Txn
from qingzhai.profiling.sources.common import (
    SIDES,
    bad_amount,
    bad_time,
    by_side,
    card_tail,
    cells,
    column,
    fen_of,
    gc_paused,
    headers,
    is_end,
    is_own,
    join_memo,
    label,
    no_header,
    preamble_meta,
    status_nature,
    when,
)
from qingzhai.profiling.sources.reading import AmountUnreadable, DateUnreadable, Header, Workbook

APP_COLUMNS = ("交易时间", "交易分类", "交易对方", "商品说明", "收/支", "金额", "交易状态", "交易订单号")
WEB_COLUMNS = ("交易号", "交易创建时间", "交易对方", "商品名称", "收/支", "交易状态")
META_LABELS = {
    "姓名": "holder",
    "用户": "holder",
    "支付宝账户": "account",
    "账号": "account",
    "起始时间": "period_from",
    "起始日期": "period_from",
    "终止时间": "period_to",
    "终止日期": "period_to",
}
_INVEST_WORDS = ("买入", "卖出", "转入", "转出", "申购", "赎回")
_OWN_WORDS = ("提现", "充值", "转账到银行卡", "余额")


def classify(
    side: str, category: str, item: str, status: str, counterparty: str, ctx: ParseContext
) -> tuple[str, str]:
    """(direction, nature) of one Alipay row; see the table in base.py."""
    found = status_nature(status)
    if found:
        return "neutral", found
    if category == "退款" or "退款" in status or item.startswith("退款"):
        return "neutral", "refund"
    if (
        category == "信用借还"
        or status in ("还款成功", "放款成功")
        or (side == "neutral" and ("还款" in item or "放款" in item or "借款" in item or "备用金" in item))
    ):
        repay = "还款" in item or "还款" in status or "归还" in item
        return "neutral", "credit_repay" if repay else "credit_draw"
    if ("转账" in category or "转账" in item) and is_own(ctx, side, counterparty):
        return "neutral", "own_transfer"
    if side == "neutral":
        if category == "投资理财" or "余额宝" in item or "理财" in item or "基金" in item:
            return "neutral", "investment"
        if any(w in item for w in _OWN_WORDS):
            return "neutral", "own_transfer"
        return "neutral", "other"
    if "提现" in item and "费" not in item:
        return "neutral", "own_transfer"
    if (category == "投资理财" or "余额宝" in item) and any(w in item for w in _INVEST_WORDS):
        return "neutral", "investment"
    return by_side(side)


class AlipayParser:
    key = "alipay"
    label_zh = "支付宝"
    label_en = "Alipay"

    def sniff(self, book: Workbook) -> bool:
        return bool(headers(book, APP_COLUMNS) or headers(book, WEB_COLUMNS))

    def parse(self, book: Workbook, ctx: ParseContext | None = None) -> ParseResult:
        ctx = ctx or ParseContext()
        found = headers(book, APP_COLUMNS)
        if found:
            return _parse_app(found[0], book.container == "csv", ctx)
        found = headers(book, WEB_COLUMNS)
        if found:
            return _parse_web(found[0], book.container == "csv", ctx)
        raise no_header("支付宝", "Alipay")


def _parse_app(header: Header, is_text: bool, ctx: ParseContext) -> ParseResult:
    c = header.columns
    i_time, i_cat, i_cp, i_item = c["交易时间"], c["交易分类"], c["交易对方"], c["商品说明"]
    i_side, i_amt, i_status, i_ref = c["收/支"], c["金额"], c["交易状态"], c["交易订单号"]
    i_chan, i_note = column(header, "收/付款方式"), column(header, "备注")
    width = max(i_time, i_cat, i_cp, i_item, i_side, i_amt, i_status, i_ref, i_chan, i_note) + 1
    layout = "alipay-2023" if i_time < i_side else "alipay-2021"
    txns: list[Txn] = []
    errors: list[RowError] = []
    refunds: dict[tuple[str, object, int], Txn] = {}
    rows = header.sheet.rows
    end = len(rows)
    with gc_paused():
        for i in range(header.index + 1, len(rows)):
            if is_end(rows[i]):
                end = i
                break
            row, cell = cells(rows[i], width, is_text)
            try:
                time = when(row[i_time])
            except DateUnreadable:
                errors.append(bad_time(i + 1, "交易时间", row[i_time]))
                continue
            try:
                fen = abs(fen_of(row[i_amt]))
            except AmountUnreadable:
                errors.append(bad_amount(i + 1, "金额", row[i_amt]))
                continue
            side = SIDES.get(cell[i_side].strip(), "neutral")
            category, item, status = cell[i_cat].strip(), cell[i_item].strip(), cell[i_status].strip()
            counterparty, ref = label(cell[i_cp].strip()), cell[i_ref].strip()
            direction, nature = classify(side, category, item, status, counterparty, ctx)
            channel = label(cell[i_chan].strip()) if i_chan >= 0 else ""
            txn = Txn(
                row=i + 1,
                time=time,
                amount_fen=fen,
                direction=direction,
                nature=nature,
                side=side,
                counterparty=counterparty,
                category=category,
                channel=channel,
                memo=join_memo(item, cell[i_note].strip() if i_note >= 0 else ""),
                status=status,
                ref=ref,
                account=card_tail(channel),
            )
            if nature == "refund":
                txn.refund_of = ref.split("_", 1)[0]
                _dedupe_refund(refunds, txn)
            txns.append(txn)
    meta = preamble_meta(rows[: header.index] + rows[end : end + 40], META_LABELS)
    return ParseResult("alipay", layout, rows=len(txns) + len(errors), txns=txns, errors=errors, meta=meta)


def _dedupe_refund(refunds: dict[tuple[str, object, int], Txn], txn: Txn) -> None:
    # The 2021 layout lists a refund twice, as 收入 and as 其他; the 其他 copy is kept (the file's sums
    # include it) but as nature `other`, so the refund counts once.
    key = (txn.ref, txn.time, txn.amount_fen)
    twin = refunds.get(key)
    if twin is None:
        refunds[key] = txn
        return
    copy = txn if txn.side == "neutral" else twin
    copy.nature, copy.refund_of = "other", ""


def _parse_web(header: Header, is_text: bool, ctx: ParseContext) -> ParseResult:
    c = header.columns
    i_ref, i_time, i_cp, i_item = c["交易号"], c["交易创建时间"], c["交易对方"], c["商品名称"]
    i_side, i_status = c["收/支"], c["交易状态"]
    i_amt = column(header, "金额（元）", "金额(元)", "金额")
    if i_amt < 0:
        raise no_header("支付宝", "Alipay")
    amount_name = next(k for k, v in c.items() if v == i_amt)
    i_type, i_funds = column(header, "类型"), column(header, "资金状态")
    i_refund, i_note = column(header, "成功退款（元）", "成功退款(元)"), column(header, "备注")
    width = max(i_ref, i_time, i_cp, i_item, i_side, i_status, i_amt, i_type, i_funds, i_refund, i_note) + 1
    txns: list[Txn] = []
    errors: list[RowError] = []
    rows = header.sheet.rows
    end = len(rows)
    for i in range(header.index + 1, len(rows)):
        if is_end(rows[i]):
            end = i
            break
        row, cell = cells(rows[i], width, is_text)
        try:
            time = when(row[i_time])
        except DateUnreadable:
            errors.append(bad_time(i + 1, "交易创建时间", row[i_time]))
            continue
        try:
            fen = abs(fen_of(row[i_amt]))
        except AmountUnreadable:
            errors.append(bad_amount(i + 1, amount_name, row[i_amt]))
            continue
        try:
            refunded = abs(fen_of(row[i_refund])) if i_refund >= 0 and cell[i_refund].strip() else 0
        except AmountUnreadable:
            errors.append(bad_amount(i + 1, "成功退款（元）", row[i_refund]))
            continue
        side_text = cell[i_side].strip()
        if not side_text and i_funds >= 0:
            side_text = cell[i_funds].strip()  # 收/支 is blank for some rows: 资金状态 已收入 / 已支出
        side = SIDES.get(side_text, "neutral")
        category = cell[i_type].strip() if i_type >= 0 else ""
        item, status = cell[i_item].strip(), cell[i_status].strip()
        counterparty = label(cell[i_cp].strip())
        direction, nature = classify(side, category, item, status, counterparty, ctx)
        txns.append(
            Txn(
                row=i + 1,
                time=time,
                amount_fen=fen,
                direction=direction,
                nature=nature,
                side=side,
                counterparty=counterparty,
                category=category,
                memo=join_memo(item, cell[i_note].strip() if i_note >= 0 else ""),
                status=status,
                ref=cell[i_ref].strip(),
                refunded_fen=refunded,
            )
        )
    meta = preamble_meta(rows[: header.index] + rows[end : end + 40], META_LABELS)
    return ParseResult(
        "alipay", "alipay-web", rows=len(txns) + len(errors), txns=txns, errors=errors, meta=meta
    )


PARSERS = [AlipayParser()]

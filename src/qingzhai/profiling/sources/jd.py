"""JD (京东) bill exports, 2024 and 2025 layouts (the same column names, reordered). See
/work/shared/formats/README.md.

Pure module (no Django). The 2025 layout states refunds on the purchase row (金额 ``131.77(已退款89.84)`` or
``468.32(已全额退款)``), so its ``退款-…`` rows get nature ``refund`` with no `refund_of`. In the 2024
layout a refund row carries the original order id, which becomes its `refund_of`.
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
    gc_paused,
    headers,
    is_end,
    join_memo,
    label,
    no_header,
    preamble_meta,
    status_nature,
    when,
)
from qingzhai.profiling.sources.reading import (
    AmountUnreadable,
    DateUnreadable,
    Header,
    Workbook,
    parse_amount,
)

COLUMNS = ("交易时间", "商户名称", "交易说明", "金额", "收/支", "交易状态", "交易订单号")
META_LABELS = {"京东账号名": "holder", "起始时间": "period_from", "终止时间": "period_to"}


def classify(side: str, category: str, item: str, status: str) -> tuple[str, str]:
    """(direction, nature) of one JD row; see the table in base.py."""
    found = status_nature(status)
    if found:
        return "neutral", found
    if item.startswith("退款") or "退款" in status:
        return "neutral", "refund"
    if "还款" in item and (side == "neutral" or category == "白条"):
        return "neutral", "credit_repay"
    if side == "neutral":
        if item.startswith(("冻结", "解冻")):
            return "neutral", "other"
        if "先享后付" in category or "先享后付" in item or "借款" in item or "放款" in item:
            return "neutral", "credit_draw"  # bought now, paid later: credit used
        if "小金库" in category or "小金库" in item or "理财" in item:
            return "neutral", "investment"
        if "提现" in item or "充值" in item:
            return "neutral", "own_transfer"
        return "neutral", "other"
    return by_side(side)


class JdParser:
    key = "jd"
    label_zh = "京东"
    label_en = "JD"

    def sniff(self, book: Workbook) -> bool:
        return bool(headers(book, COLUMNS))

    def parse(self, book: Workbook, ctx: ParseContext | None = None) -> ParseResult:
        found = headers(book, COLUMNS)
        if not found:
            raise no_header("京东", "JD")
        return _parse(found[0], book.container == "csv")


def _parse(header: Header, is_text: bool) -> ParseResult:
    c = header.columns
    i_time, i_cp, i_item, i_amt = c["交易时间"], c["商户名称"], c["交易说明"], c["金额"]
    i_side, i_status, i_ref = c["收/支"], c["交易状态"], c["交易订单号"]
    i_cat, i_chan, i_note = column(header, "交易分类"), column(header, "收/付款方式"), column(header, "备注")
    width = max(i_time, i_cp, i_item, i_amt, i_side, i_status, i_ref, i_cat, i_chan, i_note) + 1
    layout = "jd-2024" if 0 <= i_cat < i_cp else "jd-2025"
    link_refunds = layout == "jd-2024"
    txns: list[Txn] = []
    errors: list[RowError] = []
    rows = header.sheet.rows
    with gc_paused():
        for i in range(header.index + 1, len(rows)):
            if is_end(rows[i]):
                break
            row, cell = cells(rows[i], width, is_text)
            try:
                time = when(row[i_time])
            except DateUnreadable:
                errors.append(bad_time(i + 1, "交易时间", row[i_time]))
                continue
            try:
                amount = parse_amount(row[i_amt])  # 131.77(已退款89.84), 468.32(已全额退款)
            except AmountUnreadable:
                errors.append(bad_amount(i + 1, "金额", row[i_amt]))
                continue
            fen = abs(amount.fen)
            side = SIDES.get(cell[i_side].strip(), "neutral")
            item, status = cell[i_item].strip(), cell[i_status].strip()
            category = cell[i_cat].strip() if i_cat >= 0 else ""
            counterparty = label(cell[i_cp].strip())
            refunded = abs(amount.refunded_fen)
            if amount.fully_refunded:
                # 已全额退款: JD lists it as 不计收支; nothing was spent in the end.
                refunded = fen
                direction, nature = ("neutral", "closed") if side == "neutral" else by_side(side)
            else:
                direction, nature = classify(side, category, item, status)
            channel = label(cell[i_chan].strip()) if i_chan >= 0 else ""
            ref = cell[i_ref].strip()
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
                    channel=channel,
                    memo=join_memo(item, cell[i_note].strip() if i_note >= 0 else ""),
                    status=status,
                    ref=ref,
                    refund_of=ref if nature == "refund" and link_refunds else "",
                    refunded_fen=refunded,
                    account=card_tail(channel),
                )
            )
    meta = preamble_meta(rows[: header.index], META_LABELS)
    return ParseResult("jd", layout, rows=len(txns) + len(errors), txns=txns, errors=errors, meta=meta)


PARSERS = [JdParser()]

"""WeChat Pay (微信支付) bill exports: the CSV (2017 to mid-2025; preamble rows padded to 9 or 11 fields),
the 2025 XLSX (text ``¥`` amounts) and the 2026 XLSX (numeric amounts; times as text or as Excel serial
dates). See /work/shared/formats/README.md.

Pure module (no Django). Partial and full refunds are stated on the purchase row (当前状态 ``已退款(¥39.93)``,
``已全额退款``) and become its `refunded_fen`; the separate ``…-退款`` rows get nature ``refund`` with no
`refund_of`, so a refund is never subtracted twice.
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
from qingzhai.profiling.sources.reading import AmountUnreadable, DateUnreadable, Header, Workbook, clean

COLUMNS = ("交易时间", "交易类型", "交易对方", "收/支", "当前状态", "交易单号")
AMOUNT_NAMES = ("金额(元)", "金额（元）", "金额")
TITLE = "微信支付账单明细"
META_LABELS = {"微信昵称": "holder", "起始时间": "period_from", "终止时间": "period_to"}


def classify(side: str, kind: str, status: str, counterparty: str, ctx: ParseContext) -> tuple[str, str]:
    """(direction, nature) of one WeChat row from 收/支, 交易类型 and 当前状态; see the table in base.py."""
    found = status_nature(status)
    if found:
        return "neutral", found
    if "退款" in kind:
        return "neutral", "refund"
    if "提现" in kind or (side == "neutral" and "充值" in kind):
        return "neutral", "own_transfer"
    if "零钱通" in kind or "理财" in kind:
        return "neutral", "investment"
    if "还款" in kind:
        return "neutral", "credit_repay"
    if "借款" in kind or "放款" in kind:
        return "neutral", "credit_draw"
    if ("转账" in kind or "红包" in kind or "收款" in kind) and is_own(ctx, side, counterparty):
        return "neutral", "own_transfer"
    return by_side(side)


def refunded_part(status: str, fen: int) -> int:
    """Refunded fen stated in 当前状态 of a purchase: 已退款(¥39.93) / 已退款￥742.00 / 已全额退款 / 对方已退还.
    Raises AmountUnreadable when the stated amount cannot be read."""
    if "已全额退款" in status or "已退还" in status:
        return fen
    if "已退款" in status:
        rest = status.split("已退款", 1)[1].strip(" ()（）")
        return abs(fen_of(rest)) if rest else 0
    return 0


class WechatParser:
    key = "wechat"
    label_zh = "微信支付"
    label_en = "WeChat Pay"

    def sniff(self, book: Workbook) -> bool:
        return any(column(h, *AMOUNT_NAMES) >= 0 for h in headers(book, COLUMNS))

    def parse(self, book: Workbook, ctx: ParseContext | None = None) -> ParseResult:
        ctx = ctx or ParseContext()
        found = [h for h in headers(book, COLUMNS) if column(h, *AMOUNT_NAMES) >= 0]
        if not found:
            raise no_header("微信支付", "WeChat Pay")
        # A workbook re-saved by a user may carry a copy of the table (Power Query's Column1…Column11) in
        # an earlier sheet: prefer the sheet that opens with WeChat's own title, then one named Sheet1.
        header = max(found, key=lambda h: (_opens_with_title(h), h.sheet.name == "Sheet1"))
        return _parse(header, book.container, ctx)


def _opens_with_title(header: Header) -> bool:
    for row in header.sheet.rows[: header.index]:
        first = next((clean(c) for c in row if clean(c)), "")
        if first:
            return first.startswith(TITLE)
    return False


def _layout(header: Header, container: str, first_amount: object) -> str:
    if container == "csv":
        return "wechat-csv"
    preamble = " ".join(clean(c) for row in header.sheet.rows[: header.index] for c in row)
    if "UTC+08:00" in preamble or isinstance(first_amount, (int, float)):
        return "wechat-xlsx-2026"
    return "wechat-xlsx-2025"


def _parse(header: Header, container: str, ctx: ParseContext) -> ParseResult:
    c = header.columns
    i_time, i_kind, i_cp, i_side = c["交易时间"], c["交易类型"], c["交易对方"], c["收/支"]
    i_status, i_ref, i_amt = c["当前状态"], c["交易单号"], column(header, *AMOUNT_NAMES)
    amount_name = next(n for n in AMOUNT_NAMES if c.get(n) == i_amt)
    i_item, i_chan, i_note = column(header, "商品"), column(header, "支付方式"), column(header, "备注")
    width = max(i_time, i_kind, i_cp, i_side, i_status, i_ref, i_amt, i_item, i_chan, i_note) + 1
    is_text = container == "csv"
    txns: list[Txn] = []
    errors: list[RowError] = []
    rows = header.sheet.rows
    first_amount: object = None
    with gc_paused():
        for i in range(header.index + 1, len(rows)):
            if is_end(rows[i]):
                break
            row, cell = cells(rows[i], width, is_text)
            if first_amount is None:
                first_amount = row[i_amt]
            try:
                time = when(row[i_time])
            except DateUnreadable:
                errors.append(bad_time(i + 1, "交易时间", row[i_time]))
                continue
            try:
                fen = abs(fen_of(row[i_amt]))
            except AmountUnreadable:
                errors.append(bad_amount(i + 1, amount_name, row[i_amt]))
                continue
            side = SIDES.get(cell[i_side].strip(), "neutral")
            kind, status = cell[i_kind].strip(), cell[i_status].strip()
            counterparty = label(cell[i_cp].strip())
            direction, nature = classify(side, kind, status, counterparty, ctx)
            refunded = 0
            if nature != "refund":
                try:
                    refunded = refunded_part(status, fen)
                except AmountUnreadable:
                    errors.append(bad_amount(i + 1, "当前状态", row[i_status]))
                    continue
            channel = label(cell[i_chan].strip()) if i_chan >= 0 else ""
            txns.append(
                Txn(
                    row=i + 1,
                    time=time,
                    amount_fen=fen,
                    direction=direction,
                    nature=nature,
                    side=side,
                    counterparty=counterparty,
                    category=kind,
                    channel=channel,
                    memo=join_memo(
                        cell[i_item].strip() if i_item >= 0 else "",
                        cell[i_note].strip() if i_note >= 0 else "",
                    ),
                    status=status,
                    ref=label(cell[i_ref].strip()),
                    refunded_fen=refunded,
                    account=card_tail(channel),
                )
            )
    meta = preamble_meta(rows[: header.index], META_LABELS)
    layout = _layout(header, container, first_amount)
    return ParseResult("wechat", layout, rows=len(txns) + len(errors), txns=txns, errors=errors, meta=meta)


PARSERS = [WechatParser()]

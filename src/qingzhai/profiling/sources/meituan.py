"""Meituan (美团) bill export. See /work/shared/formats/README.md.

Pure module (no Django). The amount is 实付金额 (what was paid; 订单金额 is before discounts). 交易类型 is
支付 (payment), 退款 (refund) or 还款 (a 美团月付 credit repayment). Refund ids differ from the payment ids,
so a refund is paired with the latest earlier payment that has the same 订单标题 and the same 实付金额
(each payment at most once); `refund_of` is that payment's 交易单号, or "" when none matches.
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
    join_memo,
    label,
    no_header,
    preamble_meta,
    status_nature,
    when,
)
from qingzhai.profiling.sources.reading import AmountUnreadable, DateUnreadable, Header, Workbook

COLUMNS = ("交易创建时间", "交易类型", "订单标题", "收/支", "实付金额")
META_LABELS = {"美团用户名": "holder", "起始时间": "period_from", "终止时间": "period_to"}


def classify(side: str, kind: str, status: str) -> tuple[str, str]:
    """(direction, nature) of one Meituan row; see the table in base.py."""
    found = status_nature(status)
    if found:
        return "neutral", found
    if "退款" in kind:
        return "neutral", "refund"
    if "还款" in kind:
        return "neutral", "credit_repay"
    if "提现" in kind or "充值" in kind:
        return "neutral", "own_transfer"
    if "借款" in kind or "放款" in kind:
        return "neutral", "credit_draw"
    return by_side(side)


class MeituanParser:
    key = "meituan"
    label_zh = "美团"
    label_en = "Meituan"

    def sniff(self, book: Workbook) -> bool:
        return bool(headers(book, COLUMNS))

    def parse(self, book: Workbook, ctx: ParseContext | None = None) -> ParseResult:
        found = headers(book, COLUMNS)
        if not found:
            raise no_header("美团", "Meituan")
        return _parse(found[0], book.container == "csv")


def _parse(header: Header, is_text: bool) -> ParseResult:
    c = header.columns
    i_created, i_kind, i_title, i_side, i_amt = (
        c["交易创建时间"],
        c["交易类型"],
        c["订单标题"],
        c["收/支"],
        c["实付金额"],
    )
    i_done, i_chan, i_ref = (
        column(header, "交易成功时间"),
        column(header, "支付方式"),
        column(header, "交易单号"),
    )
    i_status, i_note = column(header, "交易状态"), column(header, "备注")
    width = max(i_created, i_kind, i_title, i_side, i_amt, i_done, i_chan, i_ref, i_status, i_note) + 1
    txns: list[Txn] = []
    titles: list[str] = []
    errors: list[RowError] = []
    rows = header.sheet.rows
    with gc_paused():
        for i in range(header.index + 1, len(rows)):
            if is_end(rows[i]):
                break
            row, cell = cells(rows[i], width, is_text)
            # When the trade completed, else when it was created.
            i_time = i_done if i_done >= 0 and cell[i_done].strip() else i_created
            try:
                time = when(row[i_time])
            except DateUnreadable:
                field = "交易成功时间" if i_time == i_done else "交易创建时间"
                errors.append(bad_time(i + 1, field, row[i_time]))
                continue
            try:
                fen = abs(fen_of(row[i_amt]))
            except AmountUnreadable:
                errors.append(bad_amount(i + 1, "实付金额", row[i_amt]))
                continue
            side = SIDES.get(cell[i_side].strip(), "neutral")
            kind, title = cell[i_kind].strip(), cell[i_title].strip()
            status = cell[i_status].strip() if i_status >= 0 else ""
            direction, nature = classify(side, kind, status)
            channel = label(cell[i_chan].strip()) if i_chan >= 0 else ""
            txns.append(
                Txn(
                    row=i + 1,
                    time=time,
                    amount_fen=fen,
                    direction=direction,
                    nature=nature,
                    side=side,
                    category=kind,
                    channel=channel,
                    memo=join_memo(title, cell[i_note].strip() if i_note >= 0 else ""),
                    status=status,
                    ref=label(cell[i_ref].strip()) if i_ref >= 0 else "",
                    account=card_tail(channel),
                )
            )
            titles.append(title)
    _pair_refunds(txns, titles)
    meta = preamble_meta(rows[: header.index], META_LABELS)
    return ParseResult(
        "meituan", "meituan", rows=len(txns) + len(errors), txns=txns, errors=errors, meta=meta
    )


def _pair_refunds(txns: list[Txn], titles: list[str]) -> None:
    payments: dict[tuple[str, int], list[Txn]] = {}
    refunds: list[tuple[str, Txn]] = []
    for t, title in zip(txns, titles, strict=True):
        if t.nature == "spending" and t.ref:
            payments.setdefault((title, t.amount_fen), []).append(t)
        elif t.nature == "refund":
            refunds.append((title, t))
    used: set[int] = set()
    for title, refund in sorted(refunds, key=lambda r: r[1].time):
        candidates = [
            p
            for p in payments.get((title, refund.amount_fen), ())
            if p.time <= refund.time and id(p) not in used
        ]
        if candidates:
            paid = max(candidates, key=lambda p: p.time)
            used.add(id(paid))
            refund.refund_of = paid.ref


PARSERS = [MeituanParser()]

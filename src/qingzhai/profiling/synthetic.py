"""Synthetic bills in a real layout (Alipay 2023 app export, GBK) for the demo and the benchmarks.

Pure module (no Django). The preamble, header, padding and trailing TABs follow the real export
(see tests/data/profiling/formats/alipay/), so the same parser that reads users' files reads these.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

HEADER = (
    "交易时间,交易分类,交易对方,对方账号,商品说明,收/支,金额,收/付款方式,交易状态,交易订单号,商家订单号,备注,"
)


@dataclass
class Row:
    time: datetime
    category: str
    counterparty: str
    item: str
    side: str  # 收入 / 支出 / 不计收支
    amount_fen: int
    method: str
    status: str
    order_id: str
    merchant_order: str = ""
    remark: str = ""

    def line(self) -> str:
        yuan = f"{self.amount_fen // 100}.{self.amount_fen % 100:02d}"
        cells = [
            self.time.strftime("%Y-%m-%d %H:%M:%S"),
            self.category,
            self.counterparty,
            "/",
            self.item,
            self.side,
            yuan,
            self.method,
            self.status,
            f"{self.order_id}\t",
            f"{self.merchant_order}\t",
            self.remark,
        ]
        return ",".join(cells) + ","


def alipay_preamble(name: str, start: datetime, end: datetime, count: int) -> list[str]:
    return [
        "-" * 84,
        "导出信息：",
        f"姓名：{name}",
        "支付宝账户：demo***@example.com",
        f"起始时间：[{start:%Y-%m-%d %H:%M:%S}]    终止时间：[{end:%Y-%m-%d %H:%M:%S}]",
        "导出交易类型：[全部]",
        f"导出时间：[{end:%Y-%m-%d %H:%M:%S}]",
        f"共{count}笔记录",
        "收入：0笔 0.00元",
        "支出：0笔 0.00元",
        "不计收支：0笔 0.00元",
        "",
        "特别提示：",
        "1.本回单内容可表明支付宝受理了相应支付交易申请，以实际交易情况为准；",
        "2.请勿将本回单作为收款方发货的凭据使用；",
        "3.请勿使用本回单进行重复记账；",
        "4.本回单如经任何涂改、编造，均立即失去效力；",
        "5.部分账单如：充值提现、账户转存或者个人设置收支等不计入为收入或者支出，记为不计收支类；",
        "6.明细金额直接累加后，可能会和下方统计金额不一致，请以实际交易金额为准；",
        "7.禁止将本回单用于非法用途；",
        "8.本明细仅展示当前账单中的交易，不包括已删除的记录；",
        "9.本明细仅供个人对账使用。",
        "",
        "------------------------支付宝（中国）网络技术有限公司  电子客户回单------------------------",
        HEADER,
    ]


def alipay_file(name: str, rows: list[Row], *, encoding: str = "gb18030") -> bytes:
    """A whole export: preamble, header and rows (newest first, as Alipay writes them)."""
    ordered = sorted(rows, key=lambda r: r.time, reverse=True)
    start = min((r.time for r in rows), default=datetime(2024, 1, 1))
    end = max((r.time for r in rows), default=datetime(2024, 1, 1))
    lines = alipay_preamble(name, start, end, len(rows)) + [r.line() for r in ordered]
    return ("\n".join(lines) + "\n").encode(encoding)


MERCHANTS = (
    ("餐饮美食", "美团外卖", "外卖订单"),
    ("日用百货", "天猫超市", "日用品"),
    ("交通出行", "滴滴出行", "快车"),
    ("服饰装扮", "优衣库旗舰店", "衬衫"),
    ("数码电器", "京东", "耳机"),
    ("酒店旅游", "携程旅行", "酒店预订"),
    ("文化休闲", "万达影城", "电影票"),
    ("充值缴费", "国网电费", "电费"),
)


def random_rows(count: int, *, seed: int = 7, start: datetime = datetime(2023, 1, 1)) -> Iterator[Row]:
    """`count` plausible rows: mostly purchases, some income, refunds, closed trades and own transfers."""
    rng = random.Random(seed)
    span = 3 * 365 * 86400
    for i in range(count):
        at = start + timedelta(seconds=rng.randrange(span))
        pick = rng.random()
        order = f"2023{i:020d}"
        if pick < 0.78:
            category, merchant, item = MERCHANTS[rng.randrange(len(MERCHANTS))]
            yield Row(
                at,
                category,
                merchant,
                item,
                "支出",
                rng.randrange(100, 80_000),
                "花呗" if rng.random() < 0.3 else "余额",
                "交易成功",
                order,
            )
        elif pick < 0.86:
            yield Row(
                at,
                "转账红包",
                "某某公司",
                "工资",
                "收入",
                rng.randrange(300_000, 1_500_000),
                "",
                "交易成功",
                order,
            )
        elif pick < 0.92:
            yield Row(
                at,
                "退款",
                "天猫超市",
                "退款-日用品",
                "不计收支",
                rng.randrange(100, 5_000),
                "余额",
                "退款成功",
                f"{order}_1",
            )
        elif pick < 0.96:
            yield Row(
                at,
                "转账红包",
                "本人",
                "提现到银行卡",
                "不计收支",
                rng.randrange(10_000, 500_000),
                "余额",
                "提现成功",
                order,
            )
        else:
            yield Row(
                at,
                "日用百货",
                "淘宝商家",
                "商品",
                "支出",
                rng.randrange(100, 20_000),
                "余额",
                "交易关闭",
                order,
            )


def lines(rows: Iterable[Row]) -> Iterator[str]:
    for row in rows:
        yield row.line()

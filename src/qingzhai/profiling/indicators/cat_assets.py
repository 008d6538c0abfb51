"""资产 / Assets: real estate, vehicles, and asset leads in statements. Pure module.

A property (vehicle) is *held* when its latest registry event up to as_of is not a transfer; it is the
debtor's own when that latest event names the debtor (owner_relation ``self``). Its value is the latest
reference value recorded for it.
"""

from __future__ import annotations

from .helpers import c, count, distinct, total, win
from .model import Builder

b = Builder("assets")
HELD = c("held") & c("own")

for kind, zh, en, units, events in (
    ("property", "房产", "properties", "property_units", "records:property"),
    ("vehicle", "车辆", "vehicles", "vehicle_units", "records:vehicle"),
):
    unit = b.using(source=events, purpose="asset_investigation", frame=units)
    ev = b.using(source=events, purpose="asset_investigation", frame=events)
    unit(
        f"ast_{kind}_count",
        (f"名下{zh}数量", f"{en.capitalize()} held"),
        (
            f"本人名下仍持有的{zh}数量（最近登记事件不是转让）",
            f"{en.capitalize()} the debtor still holds (latest registry event is not a transfer)",
        ),
        "count",
        None,
        count(HELD),
        fill=0,
    )
    unit(
        f"ast_{kind}_value",
        (f"名下{zh}参考价值", f"Value of {en} held"),
        (f"本人名下仍持有的{zh}最近参考价值合计", f"Latest reference values of the {en} the debtor holds"),
        "fen",
        None,
        total("value", HELD),
        fill=0,
    )
    unit(
        f"ast_{kind}_mortgaged_count",
        (f"已抵押{zh}数量", f"Mortgaged {en}"),
        (
            f"本人名下仍持有且有抵押登记的{zh}数量",
            f"{en.capitalize()} the debtor holds with a registered mortgage",
        ),
        "count",
        None,
        count(HELD & c("mortgaged")),
        fill=0,
    )
    unit(
        f"ast_{kind}_seized_count",
        (f"已查封{zh}数量", f"Seized {en}"),
        (
            f"本人名下仍持有且有查封登记的{zh}数量",
            f"{en.capitalize()} the debtor holds with a registered seizure",
        ),
        "count",
        None,
        count(HELD & c("seized")),
        fill=0,
    )
    ev(
        f"ast_{kind}_acquisitions_36m",
        (f"新购{zh}（36个月）", f"{en.capitalize()} acquired (36m)"),
        (f"近36个月的{zh}购入登记数", f"Acquisition events for {en} in the last 36 months"),
        "count",
        36,
        count((c("event") == "acquisition") & win(36)),
        fill=0,
    )
    for w in (12, 36):
        ev(
            f"ast_{kind}_transfers_{w}m",
            (f"{zh}转出（{w}个月）", f"{en.capitalize()} transferred ({w}m)"),
            (f"近{w}个月的{zh}转让登记数", f"Transfer events for {en} in the last {w} months"),
            "count",
            w,
            count(c("transfer") & win(w)),
            fill=0,
        )
    ev(
        f"ast_{kind}_low_price_transfers_36m",
        (f"{zh}低价转让（36个月）", f"{en.capitalize()} transferred below value (36m)"),
        (
            f"近36个月转让价低于参考价值70%的{zh}转让数（明显不合理低价）",
            f"Transfers of {en} in the last 36 months at a price below 70% of the reference value (obviously "
            "low price)",
        ),
        "count",
        36,
        count(c("low_price") & win(36)),
        fill=0,
    )

b.add(
    "ast_property_equity",
    ("房产净值", "Property equity"),
    (
        "本人名下仍持有的房产参考价值合计减最近抵押金额合计（可为负）",
        "Value of properties held less their latest mortgages (may be negative)",
    ),
    "fen",
    None,
    total("value", HELD) - total("mortgage", HELD),
    source="records:property",
    purpose="asset_investigation",
    frame="property_units",
    fill=0,
)
b.add(
    "ast_property_transfer_value_36m",
    ("转出房产价值（36个月）", "Value of properties transferred (36m)"),
    (
        "近36个月转让房产在转让时的参考价值合计",
        "Reference values at transfer of the properties transferred in the last 36 months",
    ),
    "fen",
    36,
    total("reference_value_fen", c("transfer") & win(36)),
    source="records:property",
    purpose="asset_investigation",
    frame="records:property",
    fill=0,
)

tx = b.using(source="txns", purpose="asset_investigation", frame="txns")
tx(
    "ast_investment_rows_12m",
    ("理财交易笔数（12个月）", "Wealth-product transactions (12m)"),
    (
        "近12个月转入或转出余额宝、理财通、零钱通等理财产品的笔数",
        "Rows moving money into or out of wealth products (余额宝, 理财通, 零钱通) in the last 12 months",
    ),
    "count",
    12,
    count(c("invest") & win(12)),
    fill=0,
)
tx(
    "ast_investment_volume_12m",
    ("理财交易金额（12个月）", "Wealth-product volume (12m)"),
    (
        "近12个月转入与转出理财产品的人民币金额合计",
        "CNY moved into and out of wealth products in the last 12 months",
    ),
    "fen",
    12,
    total("amount_fen", c("invest") & win(12)),
    fill=0,
)
tx(
    "ast_payment_sources",
    ("账户来源数量", "Statement sources"),
    (
        "已导入流水的不同来源（支付宝、微信、各银行账户类型）数量",
        "Distinct statement sources ingested (Alipay, WeChat, each bank layout)",
    ),
    "count",
    None,
    distinct("source", c("debtor_id").is_not_null()),
    fill=0,
)
tx(
    "ast_funding_channels_12m",
    ("支付渠道数量（12个月）", "Funding channels (12m)"),
    (
        "近12个月支出使用的不同支付渠道数量（银行卡尾号等，提示可冻结账户）",
        "Distinct funding channels (bank cards by tail number, balances) used for spending in the last 12 "
        "months: leads to accounts that can be frozen",
    ),
    "count",
    12,
    distinct("channel", c("out") & win(12)),
    fill=0,
)

INDICATORS = b.items

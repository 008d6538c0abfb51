"""关系与关联方 / Relations & related parties: marriage, transfers to family and to related companies.
Pure module.

Related transferees are spouse, ex_spouse, relative and related_company (registry ``transferee_relation``).
Money sent to a spouse is counted spending whose counterparty names a spouse or former spouse from the
marriage records; money to or from an own company is counted spending or income whose counterparty is a
company the business registry links the debtor to (prepare.py, ``txn_spouse`` and ``txn_company``).
"""

from __future__ import annotations

from .helpers import c, count, latest, total, win
from .model import Builder

b = Builder("relations")
mar = b.using(source="records:marriage", purpose="asset_investigation", frame="records:marriage")
DIVORCE = c("event") == "divorce"

mar(
    "rel_married",
    ("已婚", "Married"),
    ("截至基准日最近一次婚姻登记为结婚", "The latest marriage registry event up to as_of is a marriage"),
    "bool",
    None,
    (latest("event", "event_date") == "marriage").fill_null(False),
    fill=False,
)
mar(
    "rel_divorced",
    ("离异", "Divorced"),
    ("截至基准日最近一次婚姻登记为离婚", "The latest marriage registry event up to as_of is a divorce"),
    "bool",
    None,
    (latest("event", "event_date") == "divorce").fill_null(False),
    fill=False,
)
for w in (12, 36):
    mar(
        f"rel_divorces_{w}m",
        (f"离婚登记（{w}个月）", f"Divorces ({w}m)"),
        (f"近{w}个月的离婚登记数", f"Divorces registered in the last {w} months"),
        "count",
        w,
        count(DIVORCE & win(w)),
        fill=0,
    )
mar(
    "rel_marriages_36m",
    ("结婚登记（36个月）", "Marriages (36m)"),
    ("近36个月的结婚登记数", "Marriages registered in the last 36 months"),
    "count",
    36,
    count((c("event") == "marriage") & win(36)),
    fill=0,
)
mar(
    "rel_days_since_divorce",
    ("距最近离婚天数", "Days since divorce"),
    (
        "最近一次离婚登记到基准日的天数；无离婚时无定义",
        "Days from the latest divorce to as_of; undefined when none",
    ),
    "days",
    None,
    c("age_days").filter(DIVORCE).min(),
)
mar(
    "rel_divorce_with_agreement_36m",
    ("附财产分割协议的离婚（36个月）", "Divorces with a property agreement (36m)"),
    (
        "近36个月记有财产分割约定的离婚登记数（假离婚转移财产线索）",
        "Divorces in the last 36 months with a recorded division of property (a lead to sham divorces)",
    ),
    "count",
    36,
    count(DIVORCE & (c("agreement_note").fill_null("").str.strip_chars() != "") & win(36)),
    fill=0,
)

for kind, zh, en, events, units in (
    ("property", "房产", "property", "records:property", "property_units"),
    ("vehicle", "车辆", "vehicle", "records:vehicle", "vehicle_units"),
):
    ev = b.using(source=events, purpose="asset_investigation", frame=events)
    un = b.using(source=events, purpose="asset_investigation", frame=units)
    windows = (12, 36) if kind == "property" else (36,)
    for w in windows:
        ev(
            f"rel_{kind}_transfers_related_{w}m",
            (f"{zh}转给关联方（{w}个月）", f"{en.capitalize()} transfers to related parties ({w}m)"),
            (
                f"近{w}个月转让给配偶、前配偶、亲属或关联企业的{zh}转让数",
                f"Transfers of {en} to a spouse, former spouse, relative or related company in the last {w} "
                "months",
            ),
            "count",
            w,
            count(c("to_related") & win(w)),
            fill=0,
        )
    if kind == "property":
        ev(
            "rel_property_transfers_spouse_36m",
            ("房产转给配偶（36个月）", "Property transfers to a spouse (36m)"),
            (
                "近36个月转让给配偶或前配偶的房产转让数",
                "Property transfers to a spouse or former spouse in the last 36 months",
            ),
            "count",
            36,
            count(c("to_spouse") & win(36)),
            fill=0,
        )
        for rel, rzh, ren in (
            ("spouse", "配偶", "spouse"),
            ("relative", "亲属", "relatives"),
            ("company", "企业", "a company"),
        ):
            un(
                f"rel_property_held_by_{'relatives' if rel == 'relative' else rel}",
                (f"{rzh}名下房产数", f"Properties held by {ren}"),
                (
                    f"登记记录中仍在{rzh}名下（最近事件不是转让）的房产数",
                    f"Properties in the registry still held (latest event not a transfer) in the name of {ren}",
                ),
                "count",
                None,
                count(c("held") & (c("relation") == rel)),
                fill=0,
            )
    else:
        un(
            "rel_vehicle_held_by_family",
            ("家庭成员名下车辆数", "Vehicles held by family"),
            (
                "登记记录中仍在配偶或亲属名下的车辆数",
                "Vehicles in the registry still held in the name of a spouse or relative",
            ),
            "count",
            None,
            count(c("held") & c("relation").is_in(["spouse", "relative"])),
            fill=0,
        )

sp = b.using(source="txns+records:marriage", purpose="asset_investigation", frame="txn_spouse")
for w in (12, 36):
    sp(
        f"rel_transfers_to_spouse_{w}m",
        (f"向配偶转账（{w}个月）", f"Money sent to a spouse ({w}m)"),
        (
            f"近{w}个月向婚姻登记中的配偶或前配偶支付的人民币金额（对方名称可为打码形式）",
            f"CNY paid in the last {w} months to a spouse or former spouse named in the marriage records "
            "(masked counterparty names match)",
        ),
        "fen",
        w,
        total("net", win(w)),
        fill=0,
    )
co = b.using(source="txns+records:business", purpose="asset_investigation", frame="txn_company")
for w in (12, 36):
    co(
        f"rel_transfers_to_own_companies_{w}m",
        (f"向关联企业付款（{w}个月）", f"Money sent to related companies ({w}m)"),
        (
            f"近{w}个月向债务人登记任职或持股的企业支付的人民币金额",
            f"CNY paid in the last {w} months to companies the registry links the debtor to",
        ),
        "fen",
        w,
        total("net", c("out") & win(w)),
        fill=0,
    )
co(
    "rel_receipts_from_own_companies_12m",
    ("来自关联企业的收入（12个月）", "Money from related companies (12m)"),
    (
        "近12个月来自债务人登记任职或持股企业的收入",
        "Income received in the last 12 months from companies the registry links the debtor to",
    ),
    "fen",
    12,
    total("amount_fen", c("inc") & win(12)),
    fill=0,
)

INDICATORS = b.items

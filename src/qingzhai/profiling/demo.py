"""Profile demo on top of the portfolio demo: one showcase debtor with three years of Alipay bills whose
spending is 2.3 times the declared income, a property moved to the spouse around a divorce at 60 % of
its value, and flights booked under a consumption-restriction order; a second debtor with the real
WeChat Pay and ICBC sample layouts. Everything goes through the same ingestion as users' uploads."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from qingzhai.core.clock import business_today
from qingzhai.profiling import services
from qingzhai.profiling.synthetic import Row, alipay_file

SAMPLES = Path(__file__).resolve().parent / "demo_samples"
DECLARED_FEN = 800_000  # 8,000 yuan a month, as declared in the loan application


def _months_back(today: date, n: int) -> date:
    year, month = today.year, today.month - n
    while month <= 0:
        month += 12
        year -= 1
    return date(year, month, 1)


def showcase_rows(today: date, name: str) -> list[Row]:
    """36 months: salary 8,000 a month; net spending 18,400 a month (2.3x), plus refunds, own transfers and
    a closed trade that must not count; flights and a five-star hotel after the restriction order."""
    rows: list[Row] = []
    seq = 0

    def add(
        at: datetime,
        category: str,
        party: str,
        item: str,
        side: str,
        fen: int,
        method: str,
        status: str,
        order: str = "",
    ) -> None:
        nonlocal seq
        seq += 1
        rows.append(Row(at, category, party, item, side, fen, method, status, order or f"2024{seq:020d}"))

    for m in range(1, 37):
        first = _months_back(today, m)

        def day(d: int, h: int = 12, first: date = first) -> datetime:
            return datetime.combine(first + timedelta(days=d), time(h, 7))

        add(day(9, 10), "转账红包", "某科技有限公司", "工资", "收入", DECLARED_FEN, "", "交易成功")
        add(day(2), "餐饮美食", "美团外卖", "外卖订单", "支出", 320_000, "花呗", "交易成功")
        add(day(5), "服饰装扮", "某奢侈品旗舰店", "手袋", "支出", 900_000, "余额", "交易成功")
        add(day(11), "日用百货", "天猫超市", "日用品", "支出", 420_000, "余额", "交易成功")
        add(day(14), "酒店旅游", "携程旅行", "度假套餐", "支出", 200_000, "余额", "交易成功")
        # a purchase later refunded in full: the refund row offsets it
        order = f"2099{m:020d}"
        add(day(18), "数码电器", "京东", "平板电脑", "支出", 300_000, "余额", "交易成功", order=order)
        add(
            day(20),
            "退款",
            "京东",
            "退款-平板电脑",
            "不计收支",
            300_000,
            "余额",
            "退款成功",
            order=f"{order}_1",
        )
        add(day(21), "转账红包", name, "余额提现到本人银行卡", "不计收支", 500_000, "余额", "提现成功")
        add(day(22), "日用百货", "淘宝商家", "未付款订单", "支出", 150_000, "余额", "交易关闭")
    restricted = today - timedelta(days=170)
    add(
        datetime.combine(restricted + timedelta(days=30), time(9, 30)),
        "交通出行",
        "中国东方航空",
        "机票 上海-三亚",
        "支出",
        356_000,
        "余额",
        "交易成功",
    )
    add(
        datetime.combine(restricted + timedelta(days=33), time(22, 5)),
        "酒店旅游",
        "三亚希尔顿酒店",
        "五星级酒店住宿",
        "支出",
        498_000,
        "余额",
        "交易成功",
    )
    return rows


def showcase_records(today: date, spouse: str, debtor_name: str) -> dict[str, list[dict[str, Any]]]:
    divorce = today - timedelta(days=300)
    transfer = divorce - timedelta(days=45)
    return {
        "declared_income": [
            {
                "declared_on": (today - timedelta(days=1200)).isoformat(),
                "monthly_income_yuan": "8000.00",
                "source": "loan_application",
                "employer": "某科技有限公司",
                "occupation": "销售经理",
            }
        ],
        "marriage": [
            {"event": "marriage", "event_date": "2012-05-20", "spouse": spouse},
            {
                "event": "divorce",
                "event_date": divorce.isoformat(),
                "spouse": spouse,
                "agreement_note": "房产归女方所有",
            },
        ],
        "property": [
            {
                "property_id": "沪(2016)浦字第000123号",
                "owner": debtor_name,
                "owner_relation": "self",
                "address": "上海市浦东新区某路88弄8号1201室",
                "area_sqm": 96.5,
                "acquired_on": "2016-08-01",
                "acquisition_price_yuan": "2100000.00",
                "reference_value_yuan": "3000000.00",
                "event": "transfer",
                "event_date": transfer.isoformat(),
                "transferee": spouse,
                "transferee_relation": "spouse",
                "price_yuan": "1800000.00",
            },
        ],
        "court": [
            {
                "record_type": "consumption_restriction",
                "case_no": f"（{today.year}）沪0115执1234号",
                "court": "上海市浦东新区人民法院",
                "role": "respondent",
                "amount_yuan": "152000.00",
                "filed_on": (today - timedelta(days=170)).isoformat(),
                "status": "open",
            },
        ],
        "business": [
            {
                "company": "上海某贸易有限公司",
                "status": "active",
                "registered_capital_yuan": "1000000.00",
                "legal_representative": spouse,
                "role": "shareholder",
                "stake_pct": 30.0,
                "established_on": "2018-03-01",
                "as_of": today.isoformat(),
            },
        ],
    }


def profile_demo_load(*, debtor_ids: list[int] | None = None) -> dict[str, Any]:
    from qingzhai.portfolio.models import Case, Debtor

    today = business_today()
    if debtor_ids is None:
        cutoff = today - timedelta(days=400)
        debtor_ids = list(
            Case.objects.filter(debtor__kind="person", debts__contract_date__lte=cutoff)
            .order_by("pk")
            .values_list("debtor_id", flat=True)
            .distinct()[:2]
        )
    counts = {"debtors": 0, "sources": 0, "transactions": 0, "records": 0}
    for position, debtor_id in enumerate(debtor_ids):
        debtor = Debtor.objects.get(pk=debtor_id)
        uploads = _showcase(debtor, today) if position == 0 else _samples(debtor)
        counts["debtors"] += 1
        for sf in uploads:
            sf.refresh_from_db()
            counts["sources"] += 1
            counts["transactions" if sf.kind == "txns" else "records"] += sf.imported
    return counts


def _upload(debtor: Any, data: bytes, filename: str, **kwargs: Any) -> Any:
    result = services.source_upload(debtor=debtor, actor="demo", data=data, filename=filename, **kwargs)
    if not result.duplicate:
        services.source_ingest(source_id=result.source_file.pk)  # no-op when the job already ran it
    return result.source_file


def _showcase(debtor: Any, today: date) -> list[Any]:
    spouse = "王某某"
    out = [
        _upload(
            debtor,
            alipay_file(debtor.name, showcase_rows(today, debtor.name)),
            "支付宝交易明细.csv",
            source="alipay",
            basis="contract",
            reference="借款合同第十二条 信息查询授权",
        )
    ]
    for kind, records in showcase_records(today, spouse, debtor.name).items():
        data = json.dumps({"records": records}, ensure_ascii=False).encode()
        basis = "contract" if kind == "declared_income" else "court_order"
        out.append(
            _upload(
                debtor,
                data,
                f"{kind}.json",
                kind=kind,
                basis=basis,
                reference="借款申请表" if basis == "contract" else f"（{today.year}）沪0115执调字第88号",
            )
        )
    return out


def _samples(debtor: Any) -> list[Any]:
    out = []
    for path in sorted(SAMPLES.glob("*")):
        if path.suffix in (".csv", ".xlsx", ".xls"):
            out.append(
                _upload(debtor, path.read_bytes(), path.name, basis="contract", reference="借款合同第十二条")
            )
    return out

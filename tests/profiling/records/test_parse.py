from __future__ import annotations

import io
import json
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from qingzhai.profiling.records.parse import detect_kind, parse_records
from qingzhai.profiling.sources import reading
from qingzhai.profiling.sources.base import UnreadableFile

DATA = Path(__file__).resolve().parents[2] / "data" / "profiling" / "formats"

PROPERTY_CSV = """不动产登记信息查询结果
查询日期：2025-05-01

不动产权证号,产权人,产权人关系,坐落,建筑面积(平方米),评估价值(万元),登记事项,登记日期,受让人,受让人关系,成交价格(元),备注
沪(2018)001,张三,本人,上海市浦东新区某路1号,89.5,300,转让,2022-05-20,李梅,前妻,"1,800,000.00",x
沪(2023)002,张三,self,上海市闵行区某路2号,60,220,取得,2023年6月1日,,,,

沪(2019)003,张三,朋友,上海市,abc,,过户,2023-13-01,,,1.234,
沪(2019)004,,本人,上海市,,,查封,2024/1/5,,,,
"""


def _xlsx(rows: list[list[object]], title: str = "Sheet1") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _check_property(result):
    assert result.rows == 4
    assert [row for row, _ in result.records] == [5, 6]
    first = result.records[0][1]
    assert first == {
        "property_id": "沪(2018)001",
        "owner": "张三",
        "owner_relation": "self",
        "address": "上海市浦东新区某路1号",
        "area_sqm": 89.5,
        "acquired_on": None,
        "acquisition_price_fen": None,
        "reference_value_fen": 300_000_000,
        "event": "transfer",
        "event_date": date(2022, 5, 20),
        "transferee": "李梅",
        "transferee_relation": "ex_spouse",
        "price_fen": 180_000_000,
        "mortgage_fen": None,
    }
    second = result.records[1][1]
    assert (second["event"], second["event_date"], second["reference_value_fen"]) == (
        "acquisition",
        date(2023, 6, 1),
        220_000_000,
    )
    assert [(e.row, e.field) for e in result.errors] == [
        (8, "产权人关系"),
        (8, "建筑面积(平方米)"),
        (8, "登记日期"),
        (8, "成交价格(元)"),
        (9, "产权人"),
    ]
    assert result.errors[2].message_zh == "第 8 行「登记日期」：日期无法识别：2023-13-01（应为 YYYY-MM-DD）"
    assert result.errors[2].message_en == "Row 8, 登记日期: unreadable date: 2023-13-01 (expected YYYY-MM-DD)"
    assert result.errors[0].message_en == (
        "Row 8, 产权人关系: invalid value: 朋友 (choose from: self, spouse, relative, company, other)"
    )
    assert result.errors[3].message_en.endswith("an amount in yuan has at most two decimal places: 1.234")
    assert result.errors[4].message_zh == "第 9 行「产权人」：必填项为空"
    assert result.ignored == ["备注"]


def test_csv_utf8_with_chinese_aliases_units_and_bad_rows():
    _check_property(parse_records("property", PROPERTY_CSV.encode("utf-8"), "不动产.csv"))


def test_csv_gbk_and_utf8_bom_read_the_same():
    _check_property(parse_records("property", PROPERTY_CSV.encode("gbk"), "不动产.csv"))
    _check_property(parse_records("property", b"\xef\xbb\xbf" + PROPERTY_CSV.encode("utf-8"), "x.csv"))


def test_xlsx_with_date_cells_numbers_and_a_title_row():
    data = _xlsx(
        [
            ["婚姻登记记录"],
            ["登记类型", "离婚日期", "配偶姓名", "其他"],
            ["结婚", datetime(2015, 5, 1), "李梅", 1],
            [None, None, None, None],
            ["离婚", "2022/6/15", "李梅", 2],
            ["divorce", 44927, "王芳", 3],  # Excel serial 44927 = 2023-01-01
            ["分居", datetime(2023, 2, 1), "王芳", 4],
        ]
    )
    result = parse_records("marriage", data, "婚姻.xlsx")
    assert result.rows == 4
    assert result.records == [
        (3, {"event": "marriage", "event_date": date(2015, 5, 1), "spouse": "李梅", "agreement_note": None}),
        (5, {"event": "divorce", "event_date": date(2022, 6, 15), "spouse": "李梅", "agreement_note": None}),
        (6, {"event": "divorce", "event_date": date(2023, 1, 1), "spouse": "王芳", "agreement_note": None}),
    ]
    assert [(e.row, e.field) for e in result.errors] == [(7, "登记类型")]
    assert (
        result.errors[0].message_en == "Row 7, 登记类型: invalid value: 分居 (choose from: marriage, divorce)"
    )


def test_xlsx_money_cells_in_fen_and_yuan():
    data = _xlsx(
        [
            ["declared_on", "monthly_income_fen", "monthly_income_yuan", "source", "dependants"],
            [datetime(2024, 12, 1), 1_000_000, 10000, "贷款申请", 2],
            [datetime(2024, 12, 2), 1_000_000, 10000.5, "other", 1.0],
            [datetime(2024, 12, 3), None, "8,000.00", "面谈", "x"],
        ]
    )
    result = parse_records("declared_income", data, "收入.xlsx")
    assert result.records == [
        (
            2,
            {
                "declared_on": date(2024, 12, 1),
                "monthly_income_fen": 1_000_000,
                "source": "loan_application",
                "employer": None,
                "occupation": None,
                "dependants": 2,
            },
        )
    ]
    assert [(e.row, e.field, e.message_en) for e in result.errors] == [
        (3, "monthly_income_yuan", "Row 3, monthly_income_yuan: disagrees with column monthly_income_fen"),
        (4, "dependants", "Row 4, dependants: unreadable number: x"),
    ]


def test_fen_columns_take_whole_numbers_only():
    csv = "scheme,period,amount_fen,base_yuan,status\n社保,2025/1,84000,8000,已缴\n社保,2025-02,840.5,8000,已缴\n公积金,202503,-5,8000,欠缴\n"
    result = parse_records("contribution", csv.encode(), "x.csv")
    assert result.records == [
        (
            2,
            {
                "scheme": "social_insurance",
                "period": "2025-01",
                "employer": None,
                "base_fen": 800_000,
                "amount_fen": 84_000,
                "status": "paid",
            },
        )
    ]
    assert [e.message_en for e in result.errors] == [
        "Row 3, amount_fen: an amount in fen must be a whole number: 840.5",
        "Row 4, amount_fen: an amount in fen must be a whole number: -5",
    ]


def test_json_list_and_records_object():
    items = [
        {"record_type": "限高", "case_no": "(2024)沪0115执1234号", "role": "被执行人", "filed_on": "2024-03-01",
         "status": "未结", "amount_yuan": 512000.5, "outstanding_fen": 100, "extra": True},
        {"record_type": "suit", "case_no": "(2023)沪0115民初1号", "role": "defendant", "filed_on": "2023-05-10",
         "status": "closed", "closed_on": "2023-11-20", "amount": "1,000"},
        "not an object",
        {"record_type": "judgment", "case_no": "", "role": "defendant", "filed_on": "2023-02-30", "status": "OPEN"},
    ]  # fmt: skip
    for payload in (items, {"kind": "court", "records": items}):
        result = parse_records("court", json.dumps(payload, ensure_ascii=False).encode(), "court.json")
        assert result.rows == 4
        assert [row for row, _ in result.records] == [1, 2]
        first = result.records[0][1]
        assert (first["record_type"], first["role"], first["status"]) == (
            "consumption_restriction",
            "respondent",
            "open",
        )
        assert (first["amount_fen"], first["outstanding_fen"], first["filed_on"]) == (
            51_200_050,
            100,
            date(2024, 3, 1),
        )
        assert result.records[1][1]["amount_fen"] == 100_000
        assert result.records[1][1]["closed_on"] == date(2023, 11, 20)
        assert [(e.row, e.field) for e in result.errors] == [(3, ""), (4, "filed_on"), (4, "case_no")]
        assert result.errors[0].message_en == "Record 3 is not an object"
        assert result.ignored == ["extra"]


def test_json_of_the_wrong_kind_or_shape_is_unreadable():
    with pytest.raises(UnreadableFile) as exc:
        parse_records("court", b'{"kind": "property", "records": []}', "x.json")
    assert exc.value.code == "wrong_kind"
    with pytest.raises(UnreadableFile) as exc:
        parse_records("court", b'{"rows": []}', "x.json")
    assert exc.value.code == "json_shape"
    with pytest.raises(UnreadableFile) as exc:
        parse_records("court", b"[{", "x.json")
    assert exc.value.code == "json"
    with pytest.raises(UnreadableFile) as exc:
        parse_records("court", json.dumps([{"plate": "沪A1", "owner": "张三", "owner_relation": "self",
                                             "event": "holding", "event_date": "2024-01-01"}]).encode(), "x.json")  # fmt: skip
    assert exc.value.code == "missing_columns"
    assert (
        "record_type" in exc.value.message_en
        and "the file looks like Vehicles (vehicle)" in exc.value.message_en
    )
    assert parse_records("court", b"[]", "x.json").rows == 0


def test_a_file_of_another_kind_names_the_missing_columns():
    with pytest.raises(UnreadableFile) as exc:
        parse_records("vehicle", PROPERTY_CSV.encode(), "x.csv")
    assert exc.value.code == "missing_columns"
    assert exc.value.message_zh == (
        "不是车辆登记文件：缺少必填列 plate（车牌号）、owner（车主）、owner_relation（车主关系）；"
        "该文件看起来是不动产登记（property）"
    )
    assert exc.value.message_en == (
        "Not a Vehicles file: required columns missing: plate（车牌号）, owner（车主）, owner_relation（车主关系）; "
        "the file looks like Real estate registry (property)"
    )
    with pytest.raises(UnreadableFile) as exc:
        parse_records("lottery", b"a,b\n", "x.csv")
    assert exc.value.code == "unknown_kind"
    with pytest.raises(UnreadableFile) as exc:
        parse_records("court", b"", "x.csv")
    assert exc.value.code == "empty"


def test_a_bank_statement_xls_is_not_a_record_file():
    path = DATA / "bank-spdb" / "deg_example-spdb_debit-records.xls"
    with pytest.raises(UnreadableFile) as exc:
        parse_records("court", path.read_bytes(), path.name)
    assert exc.value.code == "missing_columns"
    assert detect_kind(reading.load(path.read_bytes(), path.name)) is None


def test_repeated_headers_and_duplicate_columns():
    csv = (
        "plate,owner,owner_relation,event,event_date,price_fen,price_yuan\n"
        "沪A1,张三,本人,过户,2024-01-01,100000,1000\n"
        "plate,owner,owner_relation,event,event_date,price_fen,price_yuan\n"
        "沪A2,张三,本人,持有,2024-01-02,,2000.10\n"
    )
    result = parse_records("vehicle", csv.encode(), "x.csv")
    assert result.rows == 2
    assert [(row, rec["plate"], rec["price_fen"]) for row, rec in result.records] == [
        (2, "沪A1", 100_000),
        (4, "沪A2", 200_010),
    ]
    assert result.columns["price_fen"] == ["price_fen", "price_yuan"]


def test_foreign_currency_column_is_not_read_as_yuan():
    csv = "申报日期,月收入(美元),月收入(分),申报来源\n2024-01-01,1000,800000,其他\n"
    result = parse_records("declared_income", csv.encode(), "x.csv")
    assert result.records[0][1]["monthly_income_fen"] == 800_000
    assert result.ignored == ["月收入(美元)"]


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("企业名称,登记状态,任职角色,查询日期", "business"),
        ("不动产权证号,产权人,产权人关系,登记事项,登记日期", "property"),
        ("车牌号,车主,车主关系,登记事项,登记日期", "vehicle"),
        ("登记类型,登记日期,配偶", "marriage"),
        ("记录类型,案号,当事人地位,立案日期,案件状态", "court"),
        ("险种,所属期,缴纳金额,缴纳状态", "contribution"),
        ("申报日期,月收入,申报来源", "declared_income"),
        ("交易时间,金额,对方", None),
    ],
)
def test_detect_kind(header, kind):
    assert detect_kind(reading.load(f"{header}\n".encode(), "x.csv")) == kind

"""Each kind of bad input from the issue gets a precise error (or is handled), and nothing is imported."""

from __future__ import annotations

import codecs
from datetime import date

import pytest

from qingzhai.portfolio.intake import UnusableInput
from qingzhai.portfolio.models import Debt, Debtor, Portfolio
from tests.portfolio.intake.helpers import (
    HEADER,
    csv_text,
    prc_id,
    row,
    table_rows,
    uscc,
    write_csv,
    write_xlsx,
    wrong_check,
)


def nothing_imported():
    return Debt.objects.count() == 0 and Debtor.objects.count() == 0 and Portfolio.objects.count() == 0


def unusable(run_import, path, **options) -> UnusableInput:
    with pytest.raises(UnusableInput) as exc:
        run_import(path, **options)
    assert nothing_imported()
    return exc.value


def errors_of(result):
    return [(e.row, e.column, e.code) for e in result.errors]


# --- encodings ------------------------------------------------------------------------------------


def test_gbk_file_is_detected(tmp_path, run_import):
    rows = [row(1, 剩余本金="￥12,345.67"), row(2)]
    rows[1]["剩余本金"] = "12345.67"
    path = write_csv(tmp_path / "gbk.csv", rows, encoding="gbk")
    result = run_import(path)
    assert (result.encoding, result.imported) == ("gb18030", 2)
    assert Debtor.objects.get(name="张1").name == "张1"


def test_gb18030_only_characters(tmp_path, run_import):
    path = write_csv(tmp_path / "gb.csv", [row(1, 债务人姓名="王𠀀")], encoding="gb18030")
    result = run_import(path)
    assert (result.encoding, result.imported) == ("gb18030", 1)
    assert Debtor.objects.get().name == "王𠀀"


def test_utf8_with_bom(tmp_path, run_import):
    path = write_csv(tmp_path / "bom.csv", [row(1)], encoding="utf-8-sig")
    result = run_import(path)
    assert (result.encoding, result.imported, result.columns["合同编号"]) == ("utf-8-sig", 1, "contract_no")


def test_utf16_with_bom_tab_separated(tmp_path, run_import):
    path = write_csv(tmp_path / "u16.txt", [row(1)], encoding="utf-16", delimiter="\t")
    result = run_import(path)
    assert (result.encoding, result.imported) == ("utf-16", 1)


def test_mixed_encodings_are_refused_with_the_rows(tmp_path, run_import):
    utf8 = csv_text([row(1)]).encode("utf-8")
    gbk_line = csv_text([row(2, 剩余本金="100")]).split("\r\n")[1].encode("gbk") + b"\r\n"
    path = tmp_path / "mixed.csv"
    path.write_bytes(utf8 + gbk_line)
    error = unusable(run_import, path)
    assert error.code == "mixed_encoding"
    assert "row 1 is UTF-8 but row 3 is GBK" in error.en
    assert "第 1 行是 UTF-8，第 3 行是 GBK" in error.zh


def test_wrong_encoding_is_refused(tmp_path, run_import):
    path = tmp_path / "latin1.csv"
    path.write_bytes(csv_text([row(1, 债务人姓名="José Müller")]).encode("latin-1", errors="ignore"))
    error = unusable(run_import, path)
    assert error.code == "undecodable" and "row 2" in error.en


# --- not a table / empty ----------------------------------------------------------------------------


def test_empty_file(tmp_path, run_import):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert unusable(run_import, path).code == "empty_file"
    path.write_bytes(codecs.BOM_UTF8 + b"\r\n\r\n")
    assert unusable(run_import, path).code == "empty_file"


def test_header_without_rows(tmp_path, run_import):
    path = write_csv(tmp_path / "head.csv", [])
    assert unusable(run_import, path).code == "no_rows"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel (.xls)"),
        (b"PK\x03\x04garbage", "damaged"),
        (b"abc\x00\x01\x02\x03binary\x00\x00", "binary content"),
    ],
)
def test_not_a_table(tmp_path, run_import, content, words):
    path = tmp_path / "file.csv"
    path.write_bytes(content)
    error = unusable(run_import, path)
    assert error.code == "not_a_table" and words in error.en


def test_zip_that_is_not_a_workbook(tmp_path, run_import):
    import zipfile

    path = tmp_path / "doc.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    error = unusable(run_import, path)
    assert error.code == "not_a_table" and "not an Excel (.xlsx) workbook" in error.en


def test_unclosed_quote(tmp_path, run_import):
    path = tmp_path / "quote.csv"
    path.write_text(",".join(HEADER) + "\r\n" + '"HT1,' + "x" * 200_000 + "\r\n", encoding="utf-8")
    error = unusable(run_import, path)
    assert error.code == "csv_malformed" and "row 2" in error.en


# --- headers --------------------------------------------------------------------------------------


def test_missing_headers(tmp_path, run_import):
    header = [h for h in HEADER if h not in ("证件号码", "剩余本金")]
    path = write_csv(tmp_path / "p.csv", [row(1)], header=header)
    error = unusable(run_import, path)
    assert error.code == "missing_columns"
    assert "证件号码、剩余本金" in error.zh and "ID number, Principal" in error.en
    assert set(error.fields) == {"id_number", "principal"}


def test_duplicated_headers(tmp_path, run_import):
    header = [*HEADER, "身份证号"]
    path = write_csv(tmp_path / "p.csv", [row(1, 身份证号=prc_id(1))], header=header)
    error = unusable(run_import, path)
    assert error.code == "duplicate_headers"
    assert error.fields == {"id_number": ["证件号码", "身份证号"]}
    same = write_csv(tmp_path / "q.csv", [row(1)], header=[*HEADER, "合同编号"])
    assert unusable(run_import, same).fields == {"contract_no": ["合同编号", "合同编号"]}


# --- cells ----------------------------------------------------------------------------------------


def test_impossible_dates(tmp_path, run_import):
    path = write_csv(tmp_path / "p.csv", [row(1, 逾期开始日期="2024/13/01"), row(2, 合同日期="2023-02-30")])
    result = run_import(path)
    assert errors_of(result) == [(2, "逾期开始日期", "date_impossible"), (3, "合同日期", "date_impossible")]
    assert result.errors[0].message_zh == "日期不存在：2024/13/01"
    assert result.errors[0].message_en == "The date does not exist: 2024/13/01"
    assert nothing_imported()


def test_unreadable_date(tmp_path, run_import):
    result = run_import(write_csv(tmp_path / "p.csv", [row(1, 到期日="next week")]))
    assert errors_of(result) == [(2, "到期日", "date_format")]


def test_chinese_dates_are_accepted(tmp_path, run_import):
    path = write_csv(tmp_path / "p.csv", [row(1, 逾期开始日期="2024年3月1日", 合同日期="2023年 1月 5日")])
    assert run_import(path).imported == 1
    debt = Debt.objects.get()
    assert (debt.overdue_since, debt.contract_date) == (date(2024, 3, 1), date(2023, 1, 5))


def test_negative_amounts(tmp_path, run_import):
    result = run_import(write_csv(tmp_path / "p.csv", [row(1, 剩余本金="-100"), row(2, 利息="(5.00)")]))
    assert errors_of(result) == [(2, "剩余本金", "amount_negative"), (3, "利息", "amount_negative")]
    assert result.errors[0].message_en == "The amount cannot be negative: -100"
    assert nothing_imported()


def test_non_numeric_amounts(tmp_path, run_import):
    rows = [row(1, 剩余本金="一万"), row(2, 费用="12.345"), row(3, 剩余本金="")]
    result = run_import(write_csv(tmp_path / "p.csv", rows))
    assert errors_of(result) == [
        (2, "剩余本金", "amount_invalid"),
        (3, "费用", "amount_precision"),
        (4, "剩余本金", "required"),
    ]


def test_amounts_with_currency_signs_and_separators(tmp_path, run_import):
    rows = [row(1, 剩余本金="¥1,234,567.80", 利息="￥ 1，000", 罚息="88元", 费用="RMB 2.5")]
    assert run_import(write_csv(tmp_path / "p.csv", rows)).imported == 1
    debt = Debt.objects.get()
    assert (debt.principal_fen, debt.interest_fen, debt.penalty_fen, debt.fee_fen) == (
        123_456_780,
        100_000,
        8_800,
        250,
    )


def test_contract_number_twice_in_the_file(tmp_path, run_import):
    rows = [row(1), row(2), row(3, 合同编号="HT000001")]
    result = run_import(write_csv(tmp_path / "p.csv", rows))
    assert errors_of(result) == [(4, "合同编号", "contract_duplicate")]
    assert result.errors[0].message_en == "Contract No. HT000001 appears twice in the file (first in row 2)"
    assert nothing_imported()


def test_prc_id_with_a_wrong_check_digit(tmp_path, run_import):
    bad = wrong_check(prc_id(1))
    result = run_import(write_csv(tmp_path / "p.csv", [row(1, 证件号码=bad)]))
    assert errors_of(result) == [(2, "证件号码", "id_checksum")]
    # the cell is quoted masked: error lists are shown to importers and stored with the job
    assert result.errors[0].message_zh == f"身份证号校验位错误：{bad[:3]}{'*' * 11}{bad[-4:]}（GB 11643）"
    assert bad not in result.errors[0].message_zh + result.errors[0].message_en
    assert nothing_imported()


def test_uscc_with_a_wrong_check_character(tmp_path, run_import):
    bad = uscc(5)[:-1] + ("A" if uscc(5)[-1] != "A" else "B")
    rows = [row(1, 债务人姓名="上海某某贸易有限公司", 证件号码=bad)]
    result = run_import(write_csv(tmp_path / "p.csv", rows))
    assert errors_of(result) == [(2, "证件号码", "uscc_checksum")]
    assert "GB 32100" in result.errors[0].message_en


def test_id_number_of_the_wrong_kind(tmp_path, run_import):
    header = [*HEADER, "债务人类型"]
    rows = [row(1, 债务人类型="个人", 证件号码=uscc(3)), row(2, 债务人类型="企业", 证件号码=prc_id(2))]
    result = run_import(write_csv(tmp_path / "p.csv", rows, header=header))
    assert errors_of(result) == [(2, "证件号码", "kind_mismatch"), (3, "证件号码", "kind_mismatch")]


def test_invalid_mobile_numbers(tmp_path, run_import):
    rows = [
        row(1, 手机号码="1381234567"),
        row(2, 紧急联系人电话="010-12345678"),
        row(3, 手机号码="12812345678"),
    ]
    result = run_import(write_csv(tmp_path / "p.csv", rows))
    assert errors_of(result) == [
        (2, "手机号码", "mobile_invalid"),
        (3, "紧急联系人电话", "mobile_invalid"),
        (4, "手机号码", "mobile_invalid"),
    ]


def test_several_mobiles_and_country_codes(tmp_path, run_import):
    rows = [row(1, 手机号码="+86 138 0000 0001 / 13900000002")]
    assert run_import(write_csv(tmp_path / "p.csv", rows)).imported == 1
    assert sorted(
        Debtor.objects.get().contact_points.filter(party="debtor").values_list("value_masked", flat=True)
    ) == [
        "138****0001",
        "139****0002",
    ]


# --- size and sheets ------------------------------------------------------------------------------


def test_file_over_the_size_limit(tmp_path, run_import, settings):
    path = write_csv(tmp_path / "big.csv", [row(n) for n in range(1, 40)])
    settings.QINGZHAI_IMPORT_MAX_BYTES = path.stat().st_size - 1
    error = unusable(run_import, path)
    assert error.code == "too_large" and "limit" in error.en
    settings.QINGZHAI_IMPORT_MAX_BYTES = path.stat().st_size
    assert run_import(path).imported == 39


def test_xlsx_with_several_sheets_takes_the_first_non_empty(tmp_path, run_import):
    path = write_xlsx(
        tmp_path / "p.xlsx",
        {"说明": [], "委案": table_rows([row(1), row(2)]), "其他": table_rows([row(3)])},
    )
    result = run_import(path)
    assert (result.file_type, result.sheet, result.sheets, result.imported) == (
        "xlsx",
        "委案",
        ["说明", "委案", "其他"],
        2,
    )
    assert sorted(Debt.objects.values_list("contract_no", flat=True)) == ["HT000001", "HT000002"]


def test_xlsx_sheet_chosen_by_name(tmp_path, run_import):
    path = write_xlsx(tmp_path / "p.xlsx", {"A": table_rows([row(1)]), "B": table_rows([row(2), row(3)])})
    assert run_import(path, sheet="B").imported == 2
    error = unusable_after(run_import, path, sheet="C")
    assert error.code == "sheet_not_found" and "A、B" in error.zh


def unusable_after(run_import, path, **options):
    with pytest.raises(UnusableInput) as exc:
        run_import(path, **options)
    return exc.value


def test_xlsx_all_sheets_empty(tmp_path, run_import):
    path = write_xlsx(tmp_path / "p.xlsx", {"A": [], "B": [[None, ""]]})
    assert unusable(run_import, path).code == "empty_file"


def test_xlsx_cells_typed_by_excel(tmp_path, run_import):
    from datetime import datetime

    header = [
        "合同编号",
        "债务人姓名",
        "证件号码",
        "手机号码",
        "剩余本金",
        "年利率",
        "逾期开始日期",
        "合同日期",
    ]
    path = write_xlsx(
        tmp_path / "p.xlsx",
        {
            "S": [
                header,
                [20240001, "张三", prc_id(1), 13800000001, 1234.56, 18.5, datetime(2024, 3, 1), 20230115],
                [20240002, "李四", 110105198805170000, 13800000002, 0.1 + 0.2, 18, 45352, "2023-01-15"],
            ]
        },
    )
    result = run_import(path)
    assert errors_of(result) == [(3, "证件号码", "id_excel_number")]
    assert "Format the column as text" in result.errors[0].message_en
    ok = run_import(path, skip_invalid=True)
    assert ok.imported == 1
    debt = Debt.objects.get()
    assert (debt.contract_no, debt.principal_fen, debt.overdue_since, debt.contract_date) == (
        "20240001",
        123_456,
        date(2024, 3, 1),
        date(2023, 1, 15),
    )


def test_xlsx_percent_cell_and_title_row(tmp_path, run_import):
    import openpyxl

    path = tmp_path / "p.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["某银行 2026 年 11 月委案清单"])
    sheet.append([])
    sheet.append(["合同编号", "姓名", "身份证号", "本金", "年利率"])
    sheet.append(["HT1", "张三", prc_id(1), 100, 0.24])
    sheet["E4"].number_format = "0.00%"
    workbook.save(path)
    result = run_import(path)
    assert (result.header_row, result.imported) == (3, 1)
    assert str(Debt.objects.get().annual_rate) == "24.0000"

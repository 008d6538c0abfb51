"""Building portfolio files for the intake tests: valid identities, rows, CSV and XLSX writers."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from qingzhai.core.validators import is_valid_prc_id, is_valid_uscc, prc_id_check_digit, uscc_check_char

HEADER = [
    "合同编号",
    "债务人姓名",
    "证件号码",
    "手机号码",
    "家庭住址",
    "产品名称",
    "合同金额",
    "剩余本金",
    "利息",
    "罚息",
    "费用",
    "合同日期",
    "年利率",
    "到期日",
    "逾期开始日期",
    "紧急联系人",
    "紧急联系人关系",
    "紧急联系人电话",
    "紧急联系人同意联系",
    "开户银行",
    "银行账号",
]


def prc_id(n: int) -> str:
    born = date(1970, 1, 1) + timedelta(days=n // 900)
    first17 = f"110105{born:%Y%m%d}{n % 900 + 100:03d}"
    return first17 + prc_id_check_digit(first17)


def uscc(n: int) -> str:
    first17 = f"91110000{n:09d}"
    return first17 + uscc_check_char(first17)


def wrong_check(valid: str) -> str:
    """The same identity with a wrong last character (one that does not make it valid as the other kind
    of identity either: an all-digit code can be both a resident ID and a credit code)."""
    for char in "0123456789X":
        candidate = valid[:-1] + char
        if char != valid[-1] and not is_valid_prc_id(candidate) and not is_valid_uscc(candidate):
            return candidate
    raise AssertionError(valid)


def mobile(n: int) -> str:
    return f"138{n:08d}"


def row(n: int, **over: Any) -> dict[str, Any]:
    """A valid row for contract HT{n}; keyword arguments override cells by header."""
    data: dict[str, Any] = {
        "合同编号": f"HT{n:06d}",
        "债务人姓名": f"张{n}",
        "证件号码": prc_id(n),
        "手机号码": mobile(n),
        "家庭住址": "北京市朝阳区建国路88号",
        "产品名称": "信用卡",
        "合同金额": "20000.00",
        "剩余本金": "¥12,345.67",
        "利息": "500",
        "罚息": "120.5",
        "费用": "0",
        "合同日期": "2023-01-15",
        "年利率": "18%",
        "到期日": "2024/1/15",
        "逾期开始日期": "2024年3月1日",
        "紧急联系人": "李四",
        "紧急联系人关系": "配偶",
        "紧急联系人电话": mobile(n + 50_000_000),
        "紧急联系人同意联系": "是",
        "开户银行": "工商银行",
        "银行账号": f"6222{n:012d}",
    }
    data.update(over)
    return data


def csv_text(rows: list[dict[str, Any]], header: list[str] | None = None, delimiter: str = ",") -> str:
    header = header or HEADER
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for r in rows:
        writer.writerow([r.get(h, "") for h in header])
    return out.getvalue()


def write_csv(
    path: Path,
    rows: list[dict[str, Any]],
    header: list[str] | None = None,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> Path:
    path.write_bytes(csv_text(rows, header, delimiter).encode(encoding))
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for cells in rows:
            sheet.append(cells)
    workbook.save(path)
    return path


def table_rows(rows: list[dict[str, Any]], header: list[str] | None = None) -> list[list[Any]]:
    header = header or HEADER
    return [list(header)] + [[r.get(h, "") for h in header] for r in rows]

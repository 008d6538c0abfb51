"""The row errors an import reports: codes with their Chinese and English messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from qingzhai.core.masking import mask_account, mask_id, mask_phone
from qingzhai.portfolio.intake.results import RowError

# code -> (Chinese, English); {value} is the cell as typed, {col} the column header.
MESSAGES: dict[str, tuple[str, str]] = {
    "required": ("「{col}」不能为空", "'{col}' is required"),
    "too_long": ("「{col}」过长（最多 {max} 个字）", "'{col}' is too long (at most {max} characters)"),
    "contract_duplicate": (
        "合同编号 {value} 在文件中重复（第 {first} 行已出现）",
        "Contract No. {value} appears twice in the file (first in row {first})",
    ),
    "id_format": (
        "证件号码格式不对：{value}（应为 18 位居民身份证号或统一社会信用代码）",
        "Malformed ID number: {value} (expected an 18-character PRC ID or Unified Social Credit Code)",
    ),
    "id_birthdate": (
        "身份证号中的出生日期不存在：{value}",
        "The birth date inside the PRC ID number does not exist: {value}",
    ),
    "id_checksum": (
        "身份证号校验位错误：{value}（GB 11643）",
        "Wrong check digit in the PRC ID number: {value} (GB 11643)",
    ),
    "uscc_format": (
        "统一社会信用代码格式不对：{value}（GB 32100）",
        "Malformed Unified Social Credit Code: {value} (GB 32100)",
    ),
    "uscc_checksum": (
        "统一社会信用代码校验码错误：{value}（GB 32100）",
        "Wrong check character in the Unified Social Credit Code: {value} (GB 32100)",
    ),
    "id_excel_number": (
        "证件号码被 Excel 存成了数字，末几位已丢失（{value}）。请把该列设为文本格式后重新录入",
        "Excel stored the ID number as a number and lost its last digits ({value}). Format the column "
        "as text and enter it again",
    ),
    "kind_mismatch": (
        "债务人类型为「{kind}」，但证件号码 {value} 是{what}",
        "The debtor type is '{kind}' but {value} is {what_en}",
    ),
    "kind_invalid": (
        "债务人类型无法识别：{value}（应为 个人 或 企业）",
        "Unknown debtor type: {value} (expected person or enterprise)",
    ),
    "mobile_invalid": (
        "手机号码无效：{value}（应为 11 位中国大陆手机号）",
        "Invalid mobile number: {value} (expected an 11-digit mainland China mobile number)",
    ),
    "amount_invalid": ("金额不是数字：{value}", "The amount is not a number: {value}"),
    "amount_negative": ("金额不能为负数：{value}", "The amount cannot be negative: {value}"),
    "amount_precision": (
        "金额最多精确到分（两位小数）：{value}",
        "Amounts have at most two decimals (fen): {value}",
    ),
    "amount_too_large": ("金额过大：{value}", "The amount is too large: {value}"),
    "date_format": (
        "日期格式无法识别：{value}（可用 2024-03-01、2024/3/1、2024年3月1日）",
        "Unrecognised date: {value} (use 2024-03-01, 2024/3/1 or 2024年3月1日)",
    ),
    "date_impossible": ("日期不存在：{value}", "The date does not exist: {value}"),
    "date_range": ("日期不合理：{value}", "The date is out of range: {value}"),
    "rate_invalid": (
        "年利率无效：{value}（填百分数，例如 24 或 24%）",
        "Invalid annual rate: {value} (a percentage such as 24 or 24%)",
    ),
    "currency_invalid": (
        "币种无法识别：{value}（例如 CNY、人民币）",
        "Unknown currency: {value} (for example CNY)",
    ),
    "bool_invalid": ("无法识别「是/否」：{value}", "Expected yes or no: {value}"),
    "bank_account_invalid": (
        "银行账号无效：{value}（应为 8 到 30 位数字）",
        "Invalid bank account number: {value} (expected 8 to 30 digits)",
    ),
    "emergency_phone_missing": (
        "填写了紧急联系人但缺少紧急联系人电话",
        "An emergency contact is given without a phone number",
    ),
    "guarantor_name_missing": (
        "填写了担保人证件或电话但缺少担保人姓名",
        "A guarantor ID number or phone is given without the guarantor's name",
    ),
}


# Errors about personal data quote the cell masked: error lists are shown to every importer and stored
# with the import job, and the row number already tells the user where to look.
MASKED_VALUES: dict[str, Callable[[str], str]] = {
    "id_format": mask_id,
    "id_birthdate": mask_id,
    "id_checksum": mask_id,
    "uscc_format": mask_id,
    "uscc_checksum": mask_id,
    "id_excel_number": mask_id,
    "kind_mismatch": mask_id,
    "mobile_invalid": mask_phone,
    "bank_account_invalid": mask_account,
}


def row_error(row: int, column: str, code: str, **params: Any) -> RowError:
    zh, en = MESSAGES[code]
    if code in MASKED_VALUES and "value" in params:
        params["value"] = MASKED_VALUES[code](str(params["value"]))
    return RowError(
        row=row, column=column, code=code, message_zh=zh.format(**params), message_en=en.format(**params)
    )

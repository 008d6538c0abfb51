"""The columns a portfolio file may have: our field names, the headers creditors use for them (Chinese
and English, compared without case, spaces, punctuation or bracketed units), and user mappings."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from qingzhai.portfolio.intake.results import UnusableInput


@dataclass(frozen=True)
class Field:
    key: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    max_length: int | None = None

    @property
    def template_header(self) -> str:
        """The header the template uses: Chinese with the field name in brackets."""
        return f"{self.zh}({self.key})"

    def label(self) -> str:
        return f"{self.zh} / {self.en}"


FIELDS: tuple[Field, ...] = (
    Field(
        "contract_no",
        "合同编号",
        "Contract No.",
        (
            "合同号",
            "合同编码",
            "借款合同号",
            "借据号",
            "借据编号",
            "贷款编号",
            "贷款合同号",
            "contract",
            "contract number",
            "loan no",
            "loan number",
            "loan id",
        ),
        required=True,
        max_length=64,
    ),
    Field(
        "debtor_name",
        "债务人姓名",
        "Debtor name",
        (
            "姓名",
            "客户姓名",
            "客户名称",
            "借款人",
            "借款人姓名",
            "借款人名称",
            "债务人",
            "债务人名称",
            "企业名称",
            "name",
            "debtor",
            "customer name",
            "borrower",
            "borrower name",
        ),
        required=True,
        max_length=200,
    ),
    Field(
        "debtor_kind",
        "债务人类型",
        "Debtor type",
        ("客户类型", "借款人类型", "主体类型", "kind", "debtor kind", "customer type", "borrower type"),
    ),
    Field(
        "id_number",
        "证件号码",
        "ID number",
        (
            "身份证号",
            "身份证号码",
            "身份证",
            "证件号",
            "借款人身份证号",
            "统一社会信用代码",
            "信用代码",
            "id",
            "id no",
            "id card",
            "id card no",
            "uscc",
            "national id",
        ),
        required=True,
    ),
    Field(
        "mobile",
        "手机号码",
        "Mobile",
        (
            "手机号",
            "手机",
            "联系电话",
            "电话",
            "借款人手机号",
            "客户手机号",
            "mobile phone",
            "phone",
            "cellphone",
            "cell phone",
            "tel",
        ),
    ),
    Field(
        "home_address",
        "家庭住址",
        "Home address",
        ("住址", "家庭地址", "居住地址", "现住址", "户籍地址", "地址", "address"),
        max_length=500,
    ),
    Field("employer", "工作单位", "Employer", ("单位名称", "工作单位名称", "company"), max_length=200),
    Field(
        "work_address",
        "单位地址",
        "Work address",
        ("工作单位地址", "公司地址", "工作地址", "company address", "employer address"),
        max_length=500,
    ),
    Field(
        "product",
        "产品名称",
        "Product",
        ("产品", "贷款产品", "产品类型", "业务品种", "product name"),
        max_length=100,
    ),
    Field("currency", "币种", "Currency", ("货币", "ccy")),
    Field(
        "original_principal",
        "合同金额",
        "Original principal",
        ("借款金额", "贷款金额", "放款金额", "原始本金", "借款本金", "loan amount", "contract amount"),
    ),
    Field(
        "principal",
        "剩余本金",
        "Principal",
        (
            "本金",
            "本金余额",
            "欠款本金",
            "未还本金",
            "逾期本金",
            "principal balance",
            "outstanding principal",
        ),
        required=True,
    ),
    Field("interest", "利息", "Interest", ("欠息", "利息余额", "未还利息", "逾期利息", "interest balance")),
    Field("penalty", "罚息", "Penalty interest", ("罚息余额", "违约金", "复利", "penalty interest")),
    Field("fee", "费用", "Fees", ("手续费", "其他费用", "滞纳金", "fees", "charges", "late fee")),
    Field(
        "contract_date",
        "合同日期",
        "Contract date",
        ("签约日期", "放款日期", "借款日期", "贷款发放日", "放款日", "loan date", "disbursement date"),
    ),
    Field(
        "annual_rate",
        "年利率",
        "Annual rate",
        ("年化利率", "利率", "合同利率", "rate", "interest rate", "apr", "annual rate %"),
    ),
    Field(
        "due_date",
        "到期日",
        "Due date",
        ("到期日期", "合同到期日", "最后还款日", "贷款到期日", "maturity date", "maturity"),
    ),
    Field(
        "overdue_since",
        "逾期开始日期",
        "Overdue since",
        (
            "逾期日期",
            "首次逾期日期",
            "逾期起始日",
            "逾期开始日",
            "逾期日",
            "overdue date",
            "delinquency date",
            "default date",
        ),
    ),
    Field(
        "emergency_name",
        "紧急联系人",
        "Emergency contact",
        ("紧急联系人姓名", "联系人", "联系人姓名", "emergency contact name", "contact name"),
        max_length=100,
    ),
    Field(
        "emergency_relation",
        "紧急联系人关系",
        "Emergency contact relation",
        ("与借款人关系", "联系人关系", "关系", "relation", "relationship"),
        max_length=40,
    ),
    Field(
        "emergency_phone",
        "紧急联系人电话",
        "Emergency contact phone",
        ("紧急联系人手机", "紧急联系人手机号", "联系人电话", "联系人手机", "contact phone"),
    ),
    Field(
        "emergency_consent",
        "紧急联系人同意联系",
        "Emergency contact consent",
        ("紧急联系人同意", "同意联系", "联系人同意", "consent"),
    ),
    Field("bank_name", "开户银行", "Bank", ("开户行", "银行", "银行名称", "bank"), max_length=100),
    Field(
        "bank_account",
        "银行账号",
        "Bank account",
        ("银行卡号", "账号", "卡号", "还款账号", "还款卡号", "account", "account no", "card no"),
    ),
    Field(
        "guarantor_name",
        "担保人",
        "Guarantor",
        ("担保人姓名", "保证人", "保证人姓名", "担保人名称"),
        max_length=200,
    ),
    Field(
        "guarantor_id_number",
        "担保人证件号码",
        "Guarantor ID number",
        ("担保人身份证号", "担保人证件号", "保证人身份证号", "保证人证件号码", "guarantor id"),
    ),
    Field(
        "guarantor_phone",
        "担保人电话",
        "Guarantor phone",
        ("担保人手机", "担保人手机号", "保证人电话", "保证人手机", "guarantor mobile"),
    ),
)

FIELDS_BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}
REQUIRED: tuple[str, ...] = tuple(f.key for f in FIELDS if f.required)

_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】|<[^>]*>")
_NOISE = re.compile(r"[\s_\-./\\:：*#'\"`~·、,，;；!?？！%]+")


def normalise_header(text: object) -> str:
    """'  合同编号（contract_no）* ' -> '合同编号'; 'Contract No.' -> 'contractno'."""
    value = unicodedata.normalize("NFKC", str(text if text is not None else "")).lower()
    value = _BRACKETS.sub("", value)
    stripped = _NOISE.sub("", value)
    if stripped:
        return stripped
    # A header made only of a bracketed name, e.g. "(contract_no)".
    return _NOISE.sub("", unicodedata.normalize("NFKC", str(text or "")).lower()).strip("()[]【】<>")


def _alias_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for f in FIELDS:
        for name in (f.key, f.zh, f.en, f.template_header, *f.aliases):
            norm = normalise_header(name)
            owner = index.setdefault(norm, f.key)
            if owner != f.key:  # pragma: no cover - guarded by a test on the table above
                raise RuntimeError(f"header alias {name!r} is claimed by {owner} and {f.key}")
    return index


ALIASES: dict[str, str] = _alias_index()


def field_for_header(header: object) -> str | None:
    return ALIASES.get(normalise_header(header))


def header_score(cells: Sequence[object]) -> int:
    """How many distinct known fields a candidate header row names."""
    return len({k for k in (field_for_header(c) for c in cells if c not in (None, "")) if k})


def parse_mapping(mapping: dict[str, str] | None) -> dict[str, str | None]:
    """A user mapping {"their header": "our field"} as {normalised header: field key or None (ignore)}."""
    if not mapping:
        return {}
    if not isinstance(mapping, dict):
        raise UnusableInput(
            "mapping_invalid",
            '列映射必须是 JSON 对象：{{"文件中的表头": "字段名"}}',
            'The column mapping must be a JSON object: {{"their header": "our field"}}',
        )
    out: dict[str, str | None] = {}
    bad: list[str] = []
    for theirs, ours in mapping.items():
        if ours in (None, ""):
            out[normalise_header(theirs)] = None
            continue
        key = ours if isinstance(ours, str) and ours in FIELDS_BY_KEY else field_for_header(ours)
        if key is None:
            bad.append(f"{theirs} → {ours}")
            continue
        out[normalise_header(theirs)] = key
    if bad:
        raise UnusableInput(
            "mapping_invalid",
            "列映射中有未知字段：{bad}。可用字段：{keys}",
            "The column mapping names unknown fields: {bad}. Known fields: {keys}",
            fields={"mapping": bad},
            bad="; ".join(bad),
            keys=", ".join(FIELDS_BY_KEY),
        )
    return out


@dataclass
class ColumnMap:
    """Which cell of a row holds which field."""

    index: dict[str, int]  # field key -> column position
    headers: dict[str, str]  # field key -> header text as in the file
    ignored: list[str]

    def has(self, key: str) -> bool:
        return key in self.index

    def as_dict(self) -> dict[str, str]:
        return {self.headers[k]: k for k in self.index}


def map_columns(header: Sequence[object], mapping: dict[str, str | None] | None = None) -> ColumnMap:
    """Match the header row to our fields. Raises UnusableInput for duplicated or missing columns."""
    mapping = mapping or {}
    found: dict[str, list[tuple[int, str]]] = {}
    ignored: list[str] = []
    for pos, cell in enumerate(header):
        text = "" if cell is None else str(cell).strip()
        if not text:
            continue
        norm = normalise_header(text)
        key = mapping[norm] if norm in mapping else ALIASES.get(norm)
        if key is None:
            ignored.append(text)
            continue
        found.setdefault(key, []).append((pos, text))
    duplicated = {k: v for k, v in found.items() if len(v) > 1}
    if duplicated:
        parts_zh = [f"{FIELDS_BY_KEY[k].zh}（{'、'.join(t for _, t in v)}）" for k, v in duplicated.items()]
        parts_en = [f"{FIELDS_BY_KEY[k].en} ({', '.join(t for _, t in v)})" for k, v in duplicated.items()]
        raise UnusableInput(
            "duplicate_headers",
            "表头重复，同一字段出现在多列：{d}。请删除多余的列，或用列映射指定用哪一列。",
            "Duplicated headers: several columns name the same field: {e}. Remove the extra columns "
            "or choose one with a column mapping.",
            fields={k: [t for _, t in v] for k, v in duplicated.items()},
            d="；".join(parts_zh),
            e="; ".join(parts_en),
        )
    missing = [k for k in REQUIRED if k not in found]
    if missing:
        raise UnusableInput(
            "missing_columns",
            "缺少必需的列：{m}。文件表头为：{h}",
            "Missing required columns: {me}. The file's header is: {h}",
            fields={k: ["missing"] for k in missing},
            m="、".join(FIELDS_BY_KEY[k].zh for k in missing),
            me=", ".join(FIELDS_BY_KEY[k].en for k in missing),
            h=" | ".join(str(c) for c in header if c not in (None, "")) or "—",
        )
    return ColumnMap(
        index={k: v[0][0] for k, v in found.items()},
        headers={k: v[0][1] for k, v in found.items()},
        ignored=ignored,
    )

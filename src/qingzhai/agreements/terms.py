"""The terms of a repayment agreement, read and checked from JSON (pure: no Django).

The file format is documented in docs/agreements.md. Money is integer fen, dates are ISO days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

COMPONENTS = ("costs", "interest", "principal")
CONDITION_KINDS = ("paid_instalments", "no_breach", "on_or_after", "event")
LEGAL_STEPS = ("payment_order", "enforcement")


class AgreementError(ValueError):
    """Bad terms or events: a stable code, Chinese and English, and the field concerned."""

    def __init__(self, code: str, zh: str, en: str, *, field: str = "terms") -> None:
        self.code, self.zh, self.en, self.field = code, zh, en, field
        super().__init__(f"{code}: {en}")

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": f"{self.zh} / {self.en}", "fields": {self.field: [self.en]}}


@dataclass(frozen=True)
class Instalment:
    number: int
    due: date
    amount_fen: int


@dataclass(frozen=True)
class Condition:
    kind: str  # paid_instalments | no_breach | on_or_after | event
    count: int = 0
    on: date | None = None
    name: str = ""


@dataclass(frozen=True)
class Tranche:
    id: str
    amount_fen: int
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class Terms:
    start: date
    debt: dict[str, int]  # costs, interest, principal owed when the agreement is signed
    instalments: tuple[Instalment, ...]
    grace_days: int
    allocation: tuple[str, ...]
    waiver_fen: int  # interest waived on condition that every instalment is paid on time (within grace)
    missed_to_breach: int  # instalments missed (past grace) that make a breach
    notice_days: int  # days the breach notice gives to cure before acceleration
    reminder_days: int  # reminder this many days before each due date
    legal_step: str  # what acceleration leads to: payment_order, or enforcement of a confirmed agreement
    tranches: tuple[Tranche, ...]

    @property
    def payable_fen(self) -> int:
        return sum(self.debt.values()) - self.waiver_fen


def _day(value: Any, field: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise AgreementError(
            "bad_date",
            f"日期格式错误（应为 YYYY-MM-DD）：{value}",
            f"Not a date (YYYY-MM-DD): {value}",
            field=field,
        ) from None


def _fen(value: Any, field: str, *, positive: bool = False) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise AgreementError(
            "bad_amount", f"金额须为整数（分）：{value}", f"An amount must be whole fen: {value}", field=field
        )
    if value < 0 or (positive and value == 0):
        raise AgreementError(
            "bad_amount", f"金额须为正数：{value}", f"The amount must be positive: {value}", field=field
        )
    return value


def _int(raw: dict[str, Any], key: str, default: int, low: int, high: int) -> int:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise AgreementError(
            "bad_number",
            f"{key} 须为 {low} 到 {high} 的整数",
            f"{key} must be a whole number from {low} to {high}",
            field=key,
        )
    return value


def _condition(raw: Any, field: str) -> Condition:
    if not isinstance(raw, dict) or raw.get("kind") not in CONDITION_KINDS:
        raise AgreementError(
            "bad_condition",
            f"条件须为 {', '.join(CONDITION_KINDS)} 之一",
            f"A condition must be one of {', '.join(CONDITION_KINDS)}",
            field=field,
        )
    kind = raw["kind"]
    if kind == "paid_instalments":
        return Condition(kind, count=_int(raw, "count", 1, 1, 600))
    if kind == "on_or_after":
        return Condition(kind, on=_day(raw.get("on"), field))
    if kind == "event":
        name = str(raw.get("name") or "").strip()
        if not name:
            raise AgreementError(
                "bad_condition", "事件条件须有名称", "An event condition needs a name", field=field
            )
        return Condition(kind, name=name)
    return Condition(kind)


def parse_terms(raw: Any) -> Terms:
    if not isinstance(raw, dict):
        raise AgreementError("bad_terms", "协议条款须为 JSON 对象", "The terms must be a JSON object")
    start = _day(raw.get("start"), "start")
    debt_raw = raw.get("debt") or {}
    if not isinstance(debt_raw, dict) or set(debt_raw) - set(COMPONENTS):
        raise AgreementError(
            "bad_debt",
            "debt 只能含 costs、interest、principal",
            "debt may only hold costs, interest, principal",
            field="debt",
        )
    debt = {c: _fen(debt_raw.get(c, 0), f"debt.{c}") for c in COMPONENTS}
    rows = raw.get("instalments") or []
    if not isinstance(rows, list) or not rows or len(rows) > 600:
        raise AgreementError(
            "bad_schedule", "须有 1 到 600 期分期", "There must be 1 to 600 instalments", field="instalments"
        )
    instalments: list[Instalment] = []
    for n, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise AgreementError(
                "bad_schedule", f"第{n}期格式错误", f"Instalment {n} is not an object", field="instalments"
            )
        due = _day(row.get("due"), f"instalments[{n}].due")
        if due < start or (instalments and due <= instalments[-1].due):
            raise AgreementError(
                "bad_schedule",
                f"第{n}期到期日须晚于开始日和上一期",
                f"Instalment {n} must fall after the start and the one before",
                field="instalments",
            )
        instalments.append(
            Instalment(n, due, _fen(row.get("amount_fen"), f"instalments[{n}].amount_fen", positive=True))
        )
    allocation = tuple(raw.get("allocation") or COMPONENTS)
    if sorted(allocation) != sorted(COMPONENTS):
        raise AgreementError(
            "bad_allocation",
            "冲抵顺序须恰好包含 costs、interest、principal",
            "The allocation must list costs, interest and principal once each",
            field="allocation",
        )
    waiver = raw.get("waiver") or {}
    waiver_fen = (
        _fen(waiver.get("interest_fen", 0), "waiver.interest_fen") if isinstance(waiver, dict) else -1
    )
    if waiver_fen < 0 or waiver_fen > debt["interest"]:
        raise AgreementError(
            "bad_waiver", "减免不能超过所欠利息", "The waiver cannot exceed the interest owed", field="waiver"
        )
    acceleration = raw.get("acceleration") or {}
    if not isinstance(acceleration, dict):
        raise AgreementError(
            "bad_acceleration",
            "加速到期条款格式错误",
            "The acceleration clause is not an object",
            field="acceleration",
        )
    legal_step = str(raw.get("legal_step") or "payment_order")
    if legal_step not in LEGAL_STEPS:
        raise AgreementError(
            "bad_legal_step",
            "legal_step 须为 payment_order 或 enforcement",
            "legal_step must be payment_order or enforcement",
            field="legal_step",
        )
    tranches = []
    for n, row in enumerate(raw.get("disbursements") or [], start=1):
        if not isinstance(row, dict) or not row.get("conditions"):
            raise AgreementError(
                "bad_disbursement",
                f"第{n}笔放款须有条件",
                f"Disbursement {n} needs its conditions",
                field="disbursements",
            )
        tranches.append(
            Tranche(
                id=str(row.get("id") or f"tranche-{n}"),
                amount_fen=_fen(row.get("amount_fen"), f"disbursements[{n}].amount_fen", positive=True),
                conditions=tuple(_condition(c, f"disbursements[{n}].conditions") for c in row["conditions"]),
            )
        )
    terms = Terms(
        start=start,
        debt=debt,
        instalments=tuple(instalments),
        grace_days=_int(raw, "grace_days", 0, 0, 90),
        allocation=allocation,
        waiver_fen=waiver_fen,
        missed_to_breach=_int(acceleration, "after_missed", 1, 1, 12),
        notice_days=_int(acceleration, "notice_days", 10, 0, 90),
        reminder_days=_int(raw, "reminder_days", 3, 0, 30),
        legal_step=legal_step,
        tranches=tuple(tranches),
    )
    scheduled = sum(i.amount_fen for i in terms.instalments)
    if scheduled != terms.payable_fen:
        raise AgreementError(
            "schedule_mismatch",
            f"分期合计 {scheduled} 分，应等于欠款减去减免 {terms.payable_fen} 分",
            f"The instalments add up to {scheduled} fen; they must equal the debt less the waiver, {terms.payable_fen} fen",
            field="instalments",
        )
    return terms

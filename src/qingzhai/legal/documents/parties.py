"""The parties of a court document, written as Chinese filings write them.

A natural person: name, sex and date of birth (read from the 18-digit resident ID), address and ID
number. An enterprise: name, address (住所地), unified social credit code and legal representative. The
creditor is always an enterprise (its registry facts live on Creditor); the debtor is either.

The debtor's ID number (an enterprise's USCC) and address are stored encrypted: they are decrypted through
`core.pii.get_value` by a `Reveals`, which remembers each value it decrypted so the service records the
reveals (audit trail and evidence ledger, like every other reveal) in the transaction that stores the
document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from qingzhai.core.validators import normalise_id, prc_id_problem

PERSON = "person"
ENTERPRISE = "enterprise"


def id_facts(id_number: str) -> tuple[str, date | None]:
    """(男/女, date of birth) from a valid 18-digit resident ID; ("", None) for anything else."""
    value = normalise_id(id_number)
    if prc_id_problem(value) is not None:
        return "", None
    born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    return ("男" if int(value[16]) % 2 else "女"), born


def date_zh(day: date) -> str:
    """2026-03-05 → 2026年3月5日."""
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class Party:
    role: str  # how the document names this party: 申请人, 被告, 甲方 ...
    kind: str  # person / enterprise
    name: str
    address: str = ""
    id_number: str = ""  # a person's resident ID
    sex: str = ""
    birth_date: date | None = None
    uscc: str = ""  # an enterprise's unified social credit code
    legal_representative: str = ""
    phone: str = ""

    @property
    def is_enterprise(self) -> bool:
        return self.kind == ENTERPRISE

    @property
    def lines(self) -> list[str]:
        """The party block: one line for a person, two (the legal representative) for an enterprise."""
        parts = [f"{self.role}：{self.name}"]
        if self.is_enterprise:
            if self.address:
                parts.append(f"住所地：{self.address}")
            if self.uscc:
                parts.append(f"统一社会信用代码：{self.uscc}")
        else:
            if self.sex:
                parts.append(self.sex)
            if self.birth_date:
                parts.append(f"{date_zh(self.birth_date)}出生")
            if self.address:
                parts.append(f"住{self.address}")
            if self.id_number:
                parts.append(f"公民身份号码：{self.id_number}")
        if self.phone:
            parts.append(f"联系电话：{self.phone}")
        out = ["，".join(parts) + "。"]
        if self.is_enterprise and self.legal_representative:
            out.append(f"法定代表人：{self.legal_representative}。")
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "kind": self.kind,
            "name": self.name,
            "address": self.address,
            "id_number": self.id_number,
            "sex": self.sex,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "uscc": self.uscc,
            "legal_representative": self.legal_representative,
            "phone": self.phone,
        }


def person(*, role: str, name: str, id_number: str = "", address: str = "", phone: str = "") -> Party:
    clean = normalise_id(id_number)
    sex, born = id_facts(clean)
    return Party(
        role=role,
        kind=PERSON,
        name=name,
        address=address,
        id_number=clean,
        sex=sex,
        birth_date=born,
        phone=phone,
    )


def enterprise(
    *,
    role: str,
    name: str,
    uscc: str = "",
    legal_representative: str = "",
    address: str = "",
    phone: str = "",
) -> Party:
    return Party(
        role=role,
        kind=ENTERPRISE,
        name=name,
        address=address,
        uscc=normalise_id(uscc),
        legal_representative=legal_representative,
        phone=phone,
    )


@dataclass
class Reveals:
    """Decrypts personal data for a document and remembers what it decrypted, to be recorded."""

    done: list[tuple[Any, str]] = field(default_factory=list)

    def value(self, obj: Any, attr: str) -> str:
        from qingzhai.core import pii

        if not getattr(obj, f"{attr}_enc", ""):
            return ""
        plain = pii.get_value(obj, attr)
        if (obj, attr) not in self.done:
            self.done.append((obj, attr))
        return plain

    def record(self, *, actor: Any, reason: str, case_id: int | None) -> int:
        """Write each reveal to the audit trail and the evidence ledger (inside the caller's
        transaction), as every reveal of personal data is recorded; returns how many."""
        from qingzhai.core import audit
        from qingzhai.evidence import acts as evidence_acts

        for obj, attr in self.done:
            audit.record(
                actor=actor,
                action="pii.reveal",
                entity=obj,
                changes={"field": attr, "purpose": "legal_document"},
                reason=reason,
            )
            evidence_acts.pii_reveal(actor=actor, obj=obj, attr=attr, reason=reason, case_id=case_id)
        return len(self.done)


def creditor_party(creditor: Any, role: str) -> Party:
    """The creditor as applicant / plaintiff, from its registry facts (public: nothing to decrypt)."""
    return enterprise(
        role=role,
        name=creditor.name,
        uscc=creditor.uscc,
        legal_representative=creditor.legal_representative,
        address=creditor.address,
        phone=creditor.phone,
    )


def debtor_party(debtor: Any, role: str, reveals: Reveals) -> Party:
    """The debtor as respondent / defendant: a person or an enterprise (whose USCC is its id_number)."""
    address = reveals.value(debtor, "home_address") or reveals.value(debtor, "work_address")
    number = reveals.value(debtor, "id_number")
    if debtor.kind == ENTERPRISE:
        return enterprise(
            role=role,
            name=debtor.name,
            uscc=number,
            legal_representative=debtor.legal_representative,
            address=address,
        )
    return person(role=role, name=debtor.name, id_number=number, address=address)

"""Masks shown everywhere by default: 110***********1234, 138****5678."""

from __future__ import annotations


def mask_middle(value: str, keep_start: int, keep_end: int) -> str:
    value = value or ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[len(value) - keep_end :]


def mask_id(value: str) -> str:
    return mask_middle(value, 3, 4)


def mask_phone(value: str) -> str:
    if len(value) == 11:
        return mask_middle(value, 3, 4)
    return mask_middle(value, 2, 2)


def mask_account(value: str) -> str:
    return mask_middle(value, 4, 4)


def mask_person_name(value: str) -> str:
    """张三丰 -> 张**: the surname a person is addressed by, the given name hidden."""
    value = (value or "").strip()
    return value[:1] + "*" * max(len(value) - 1, 1) if value else ""


def mask_address(value: str) -> str:
    """Keep the first 6 characters (province/city), hide the rest."""
    value = value or ""
    keep = min(6, max(len(value) // 3, 1)) if value else 0
    return value[:keep] + "*" * min(len(value) - keep, 8)


def mask_email(value: str) -> str:
    if "@" not in value:
        return mask_middle(value, 1, 0)
    local, domain = value.split("@", 1)
    return (local[:1] + "***@" + domain) if local else "***@" + domain


MASKERS = {
    "id_number": mask_id,
    "phone": mask_phone,
    "account": mask_account,
    "address": mask_address,
    "email": mask_email,
}

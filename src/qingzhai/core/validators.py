"""Identity validators: PRC resident ID (GB 11643), USCC (GB 32100), mainland mobile numbers."""

from __future__ import annotations

import re
from datetime import date

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
_USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")

_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def normalise_id(raw: str) -> str:
    return re.sub(r"\s", "", raw or "").upper()


def prc_id_check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def prc_id_problem(raw: str) -> str | None:
    """None when valid, else a code: id_format, id_birthdate, id_checksum."""
    value = normalise_id(raw)
    if not _ID_RE.match(value):
        return "id_format"
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return "id_birthdate"
    if born.year < 1900 or born > date.today():
        return "id_birthdate"
    if prc_id_check_digit(value[:17]) != value[17]:
        return "id_checksum"
    return None


def is_valid_prc_id(raw: str) -> bool:
    return prc_id_problem(raw) is None


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_problem(raw: str) -> str | None:
    """None when valid, else a code: uscc_format, uscc_checksum."""
    value = normalise_id(raw)
    if not _USCC_RE.match(value):
        return "uscc_format"
    if uscc_check_char(value[:17]) != value[17]:
        return "uscc_checksum"
    return None


def is_valid_uscc(raw: str) -> bool:
    return uscc_problem(raw) is None


def normalise_mobile(raw: str) -> str:
    value = re.sub(r"[\s\-()（）]", "", raw or "")
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("0086"):
        value = value[4:]
    elif value.startswith("86") and len(value) == 13:
        value = value[2:]
    return value


def is_valid_mobile(raw: str) -> bool:
    return bool(_MOBILE_RE.match(normalise_mobile(raw)))

"""Encrypted personal information: each PII attribute `x` is stored as x_enc (ciphertext),
x_bidx (keyed blind index for exact lookup) and x_masked (what every page shows by default).
Models declare the columns with enc_field(), bidx_field(), masked_field() and register the attributes
with @register(x="kind")."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from django.apps import apps
from django.db import models

from qingzhai.core import crypto
from qingzhai.core.masking import MASKERS
from qingzhai.core.validators import normalise_id, normalise_mobile

NORMALISERS: dict[str, Callable[[str], str]] = {
    "id_number": normalise_id,
    "phone": normalise_mobile,
    "account": lambda v: re.sub(r"[\s-]", "", v or ""),
    "address": lambda v: re.sub(r"\s+", "", v or ""),
    "email": lambda v: (v or "").strip().lower(),
}


def enc_field() -> models.TextField:
    """Ciphertext column `<attr>_enc`."""
    return models.TextField(blank=True, default="", editable=False)


def masked_field() -> models.CharField:
    """Masked display column `<attr>_masked`, computed at write time."""
    return models.CharField(max_length=64, blank=True, default="", editable=False)


def bidx_field() -> models.CharField:
    """Blind index column `<attr>_bidx` for exact lookup."""
    return models.CharField(max_length=40, blank=True, default="", db_index=True, editable=False)


def register(**attrs: str) -> Callable[[type], type]:
    """Class decorator: @register(id_number="id_number", phone="phone") maps attribute -> kind."""

    def wrap(cls: type) -> type:
        cls._pii = dict(attrs)  # type: ignore[attr-defined]
        return cls

    return wrap


def normalise(kind: str, value: str) -> str:
    return NORMALISERS[kind](value or "")


def set_value(obj: Any, attr: str, value: str | None) -> None:
    kind = obj._pii[attr]
    clean = normalise(kind, value or "")
    setattr(obj, f"{attr}_enc", crypto.encrypt(clean))
    setattr(obj, f"{attr}_masked", MASKERS[kind](clean) if clean else "")
    if hasattr(obj, f"{attr}_bidx"):
        setattr(obj, f"{attr}_bidx", crypto.blind_index(kind, clean))


def get_value(obj: Any, attr: str) -> str:
    return crypto.decrypt(getattr(obj, f"{attr}_enc"))


def lookup_index(kind: str, value: str) -> str:
    return crypto.blind_index(kind, normalise(kind, value))


def registered_models() -> Iterator[tuple[type[models.Model], dict[str, str]]]:
    for model in apps.get_models():
        mapping = getattr(model, "_pii", None)
        if mapping:
            yield model, mapping

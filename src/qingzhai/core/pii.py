"""Encrypted personal information: each PII attribute `x` is stored as x_enc (ciphertext),
x_bidx (keyed blind index for exact lookup) and x_masked (what every page shows by default)."""

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


def pii_fields(attr: str, *, indexed: bool = True) -> dict[str, models.Field]:
    """The three columns of one PII attribute, to splat into a model with `locals().update(...)`."""
    fields: dict[str, models.Field] = {
        f"{attr}_enc": models.TextField(blank=True, default="", editable=False),
        f"{attr}_masked": models.CharField(max_length=64, blank=True, default="", editable=False),
    }
    if indexed:
        fields[f"{attr}_bidx"] = models.CharField(
            max_length=40, blank=True, default="", db_index=True, editable=False
        )
    return fields


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

"""Personal data of imported rows as pii.set_value stores it (ciphertext, masked text, blind index), for
many values at once: the cipher is fetched once, and each blind index is computed once per batch."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from qingzhai.core import crypto, pii
from qingzhai.core.masking import MASKERS


@dataclass(frozen=True)
class PiiColumns:
    """The columns of one registered personal attribute of a model, in the order Sealer.seal fills."""

    kind: str
    fields: tuple[str, ...]  # <attr>_enc, <attr>_masked and, when the model has it, <attr>_bidx

    @classmethod
    def of(cls, model: type[models.Model], attr: str) -> PiiColumns:
        have = {f.attname for f in model._meta.concrete_fields}
        names = (f"{attr}_enc", f"{attr}_masked", f"{attr}_bidx")
        return cls(kind=model._pii[attr], fields=tuple(n for n in names if n in have))  # type: ignore[attr-defined]


class Sealer:
    """Encrypts with the cipher of core.crypto (fetched once, not per value) and computes blind indexes
    with core.crypto.blind_index, each distinct value once per batch."""

    def __init__(self) -> None:
        self._cipher = crypto.cipher()
        self._indexes: dict[tuple[str, str], str] = {}

    def forget(self) -> None:
        """Drop the blind indexes remembered so far (between batches, to bound memory)."""
        self._indexes.clear()

    def index(self, kind: str, value: str) -> str:
        """The blind index of a value, as pii.lookup_index gives it."""
        key = (kind, value)
        found = self._indexes.get(key)
        if found is None:
            found = self._indexes[key] = crypto.blind_index(kind, pii.normalise(kind, value))
        return found

    def seal(self, columns: PiiColumns, value: str) -> tuple[str, ...]:
        """The values of `columns` for a plaintext value: what pii.set_value writes."""
        clean = pii.normalise(columns.kind, value)
        if not clean:
            return ("",) * len(columns.fields)
        token = self._cipher.encrypt(clean.encode("utf-8")).decode("ascii")
        masked = MASKERS[columns.kind](clean)
        if len(columns.fields) == 3:
            return token, masked, self.index(columns.kind, value)
        return token, masked

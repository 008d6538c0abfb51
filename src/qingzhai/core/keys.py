"""Key rotation for encrypted personal information."""

from __future__ import annotations

from django.db import transaction

from qingzhai.core import audit, crypto, pii


def rotate_all(*, recompute_blind_index: bool = False, batch: int = 1000) -> dict[str, int]:
    """Re-encrypt every PII column under the newest key; optionally recompute blind indexes.

    Runs in one transaction per model so a failure leaves each table either fully old or fully new
    (both readable, since the old keys stay configured until the rotation is done).
    """
    counts: dict[str, int] = {}
    for model, mapping in pii.registered_models():
        n = 0
        with transaction.atomic():
            for obj in model._default_manager.select_for_update().order_by("pk").iterator(chunk_size=batch):
                update_fields = []
                for attr, kind in mapping.items():
                    token = getattr(obj, f"{attr}_enc")
                    if not token:
                        continue
                    setattr(obj, f"{attr}_enc", crypto.rotate(token))
                    update_fields.append(f"{attr}_enc")
                    if recompute_blind_index and hasattr(obj, f"{attr}_bidx"):
                        plain = crypto.decrypt(getattr(obj, f"{attr}_enc"))
                        setattr(obj, f"{attr}_bidx", crypto.blind_index(kind, pii.normalise(kind, plain)))
                        update_fields.append(f"{attr}_bidx")
                if update_fields:
                    obj.save(update_fields=update_fields)
                    n += 1
            audit.record(
                actor="cli",
                action="pii.rotate_keys",
                entity_type=model._meta.label_lower,
                entity_id="*",
                changes={"rows": n, "blind_index": recompute_blind_index},
            )
        counts[model._meta.label_lower] = n
    return counts

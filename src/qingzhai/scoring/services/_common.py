"""What the scoring services share: who may write, engine errors in the house shape, JSON safety."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from qingzhai.accounts import roles
from qingzhai.core.errors import AccessDenied, DomainError, NotFound
from qingzhai.scoring.engine.spec import ScoringError
from qingzhai.scoring.models import ScoringModel

DEFAULT_NAME = "repayment"


def is_user(actor: Any) -> bool:
    return hasattr(actor, "is_authenticated") and not isinstance(actor, str)


def require(actor: Any, capability: str) -> None:
    """A user needs `capability`; a system actor named by a string ("cli", "demo", "task") is trusted:
    it runs on the server with the operator's rights."""
    if isinstance(actor, str) and actor:
        return
    if not is_user(actor) or not actor.is_authenticated or not actor.can(capability):
        raise AccessDenied()


def require_manage(actor: Any) -> None:
    require(actor, roles.SCORING_MANAGE)


def user_or_none(actor: Any) -> Any:
    return actor if is_user(actor) and actor.is_authenticated else None


def domain_error(exc: ScoringError) -> DomainError:
    """An engine error (bilingual, names the column) in the house shape {"code", "message", "fields"}."""
    field = exc.field or "data"
    return DomainError(
        exc.code, exc.message_zh, exc.message_en, fields={field: [f"{exc.message_zh} / {exc.message_en}"]}
    )


@contextmanager
def engine_errors() -> Iterator[None]:
    try:
        yield
    except ScoringError as exc:
        raise domain_error(exc) from exc


def required_reason(reason: str, what_zh: str, what_en: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            "reason_required",
            f"{what_zh}必须填写原因",
            f"A reason is required to {what_en}",
            fields={"reason": ["required"]},
        )
    return reason


def model_for_update(model_id: int) -> ScoringModel:
    model = ScoringModel.objects.select_for_update().filter(pk=model_id).first()
    if model is None:
        raise NotFound("模型不存在", f"No model with id {model_id}")
    return model


def json_safe(value: Any) -> Any:
    """Plain JSON (what PostgreSQL jsonb accepts): NaN and infinities become null, numpy scalars plain."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, date):
        return value.isoformat()
    item = getattr(value, "item", None)
    if callable(item):  # numpy scalar
        return json_safe(item())
    return json.loads(json.dumps(value, default=str))


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def previous_month(day: date) -> date:
    first = month_start(day)
    return date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)

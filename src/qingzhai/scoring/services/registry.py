"""The model registry: register a trained model as the next version of its name, train one from the
client's own case outcomes, promote a version to champion, retire one.

Promotion: the previous champion of the same name goes back to *candidate* (not retired), so rolling
back is one more promotion with a reason; retiring is its own, explicit act. The current champion cannot
be retired (promote another version first), and a retired model cannot be promoted.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from django.db import transaction

from qingzhai.core import audit
from qingzhai.core.clock import business_today, now
from qingzhai.core.errors import Conflict, DomainError
from qingzhai.scoring.engine.model import TrainedModel, canonical_json, payload_sha256
from qingzhai.scoring.engine.spec import TrainSpec
from qingzhai.scoring.models import ScoringModel
from qingzhai.scoring.services._common import (
    DEFAULT_NAME,
    engine_errors,
    json_safe,
    model_for_update,
    require_manage,
    required_reason,
    user_or_none,
)

MIN_LABELLED = 50
TIME_SPLIT_MIN_DATES = 4  # fewer distinct observation dates than this: a stratified split


@transaction.atomic
def model_register(
    *, actor: Any, name: str, trained: TrainedModel, feature_source: str = "csv", note: str = ""
) -> ScoringModel:
    """Store `trained` (its whole payload) as the next version of `name`, as a candidate."""
    require_manage(actor)
    name = (name or "").strip() or DEFAULT_NAME
    with engine_errors():
        from qingzhai.scoring.engine.card import card as make_card

        payload = json_safe(_plain_json(trained.to_payload()))
        card = json_safe(_plain_json(make_card(trained)))
    sha = payload_sha256(payload)
    # Lock the name's versions; two registrations racing on a new name meet the unique constraint.
    latest = list(
        ScoringModel.objects.select_for_update().filter(name=name).values_list("version", flat=True)
    )
    version = (max(latest) if latest else 0) + 1
    data = payload.get("data") or {}
    model = ScoringModel.objects.create(
        name=name[:80],
        version=version,
        kind=trained.kind,
        label_code=trained.label.code[:60],
        label=trained.label.as_dict(),
        feature_source=feature_source,
        metrics=payload.get("metrics") or {},
        card=card,
        payload=payload,
        payload_sha256=sha,
        n_train=int(data.get("n_train") or 0),
        n_test=int(data.get("n_test") or 0),
        note=(note or "").strip(),
        created_by=user_or_none(actor),
        created_at=now(),
    )
    audit.record(
        actor=actor,
        action="scoring.model_register",
        entity=model,
        changes={
            "name": [None, model.name],
            "version": [None, version],
            "kind": [None, model.kind],
            "label_code": [None, model.label_code],
            "payload_sha256": [None, sha],
            "auc": [None, model.metrics.get("auc")],
        },
        reason=model.note,
    )
    return model


def _plain_json(payload: dict[str, Any]) -> dict[str, Any]:
    import json

    result: dict[str, Any] = json.loads(canonical_json(payload))
    return result


def model_train_from_cases(
    *,
    actor: Any,
    name: str = DEFAULT_NAME,
    label_code: str,
    kind: str = "auto",
    portfolio_id: int | None = None,
    as_of: date | None = None,
    seed: int = 42,
    note: str = "",
) -> ScoringModel:
    """Label the cases (of one portfolio, or all) with `label_code`, take each case's indicators as of
    its observation date, train, and register the result as a candidate. Cases whose label is not yet
    observable are left out; at least MIN_LABELLED labelled cases with both outcomes are needed."""
    from qingzhai.portfolio.models import Case
    from qingzhai.scoring import labels as label_mod
    from qingzhai.scoring.engine import train as train_mod
    from qingzhai.scoring.features import GENDER_COLUMN, case_fairness_groups, case_features

    require_manage(actor)
    with engine_errors():
        definition = label_mod.label_get(label_code)
    as_of = as_of or business_today()
    cases = Case.objects.all()
    if portfolio_id is not None:
        cases = cases.filter(portfolio_id=portfolio_id)
    labelled = {
        k: v
        for k, v in label_mod.label_cases(
            label=definition, case_ids=list(cases.values_list("pk", flat=True)), as_of=as_of
        ).items()
        if v is not None
    }
    positives = sum(labelled.values())
    if len(labelled) < MIN_LABELLED or positives == 0 or positives == len(labelled):
        raise DomainError(
            "scoring_too_few_labels",
            "可用于训练的已观察案件不足：需要至少 {min} 个且两类结果都有（现有 {n} 个，其中结果为 1 的 {pos} 个）",
            "Not enough observed cases to train on: at least {min} with both outcomes are needed "
            "(found {n}, of which {pos} with outcome 1)",
            fields={"label": [definition.code]},
            min=MIN_LABELLED,
            n=len(labelled),
            pos=positives,
        )
    observed = label_mod.observation_dates(labelled)
    frame, infos = case_features(list(labelled), as_of_by_case=observed, point_in_time=True)
    df = frame.reset_index()
    df["observed_on"] = pd.to_datetime([observed[c] for c in df["case_id"]])
    df["label"] = [labelled[c] for c in df["case_id"]]
    # Fairness: the gender group (protected: reported on, never a feature) and the treatment each case
    # received (its stage now), so the card shows disparities in scores and in treatment.
    groups = case_fairness_groups(list(labelled))
    df[GENDER_COLUMN] = [groups.get(c, "未知") for c in df["case_id"]]
    stages = dict(Case.objects.filter(pk__in=list(labelled)).values_list("pk", "stage"))
    df["stage"] = [stages.get(c, "") for c in df["case_id"]]
    by_time = df["observed_on"].nunique() >= TIME_SPLIT_MIN_DATES
    if not by_time:  # too few placement dates for an out-of-time split: a stratified one
        df = df.drop(columns=["observed_on"])
    spec = TrainSpec(
        target="label",
        kind=kind,  # type: ignore[arg-type]
        time_col="observed_on" if by_time else None,
        seed=seed,
        label=definition,
        features=tuple(infos),
        id_col="case_id",
    )
    with engine_errors():
        trained = train_mod.train(df, spec, treatment_col="stage")
    return model_register(actor=actor, name=name, trained=trained, feature_source="indicators", note=note)


@transaction.atomic
def model_promote(*, actor: Any, model_id: int, reason: str) -> ScoringModel:
    """Make `model_id` the champion of its name; the previous champion becomes a candidate again."""
    require_manage(actor)
    reason = required_reason(reason, "发布冠军模型", "promote a model")
    model = model_for_update(model_id)
    if model.status == ScoringModel.Status.CHAMPION:
        return model
    if model.status == ScoringModel.Status.RETIRED:
        raise Conflict(
            "scoring_model_retired",
            "已停用的模型不能发布为冠军：{model}",
            "A retired model cannot be promoted: {model}",
            model=str(model),
        )
    previous = (
        ScoringModel.objects.select_for_update()
        .filter(name=model.name, status=ScoringModel.Status.CHAMPION)
        .exclude(pk=model.pk)
        .first()
    )
    if previous is not None:
        previous.status = ScoringModel.Status.CANDIDATE
        previous.save(update_fields=["status"])
        audit.record(
            actor=actor,
            action="scoring.model_demote",
            entity=previous,
            changes={"status": [ScoringModel.Status.CHAMPION, ScoringModel.Status.CANDIDATE]},
            reason=f"replaced by {model}: {reason}",
        )
    old = model.status
    model.status = ScoringModel.Status.CHAMPION
    model.promoted_at = now()
    model.promoted_by = user_or_none(actor)
    model.save(update_fields=["status", "promoted_at", "promoted_by"])
    audit.record(
        actor=actor,
        action="scoring.model_promote",
        entity=model,
        changes={
            "status": [old, model.status],
            "previous_champion": [None, previous.pk if previous else None],
        },
        reason=reason,
    )
    _ledger(model, actor, "promote", reason, previous=previous)
    return model


def _ledger(
    model: ScoringModel, actor: Any, change: str, reason: str, previous: ScoringModel | None = None
) -> None:
    """The evidence ledger keeps which model version (by the hash of its stored payload) decided scores
    from when: a court or a regulator can match any score to the exact model behind it."""
    from qingzhai.evidence import record as evidence

    evidence.act(
        kind="model_change",
        actor=actor,
        subject=f"scoring.scoringmodel:{model.pk}",
        content={
            "change": change,
            "model": model.name,
            "version": model.version,
            "kind": model.kind,
            "status": model.status,
            "payload_sha256": model.payload_sha256,
            "label": model.label_code,
            "metrics": {
                k: model.metrics.get(k) for k in ("auc", "ks", "gini", "brier") if k in model.metrics
            },
            "previous_champion": (
                {
                    "model": previous.name,
                    "version": previous.version,
                    "payload_sha256": previous.payload_sha256,
                }
                if previous is not None
                else None
            ),
            "reason": reason,
        },
    )


@transaction.atomic
def model_retire(*, actor: Any, model_id: int, reason: str) -> ScoringModel:
    require_manage(actor)
    reason = required_reason(reason, "停用模型", "retire a model")
    model = model_for_update(model_id)
    if model.status == ScoringModel.Status.RETIRED:
        return model
    if model.status == ScoringModel.Status.CHAMPION:
        raise Conflict(
            "scoring_champion_retire",
            "不能停用当前的冠军模型，请先发布另一个版本：{model}",
            "The champion cannot be retired; promote another version first: {model}",
            model=str(model),
        )
    old = model.status
    model.status = ScoringModel.Status.RETIRED
    model.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action="scoring.model_retire",
        entity=model,
        changes={"status": [old, model.status]},
        reason=reason,
    )
    _ledger(model, actor, "retire", reason)
    return model

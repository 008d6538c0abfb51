"""Every utterance on a case is screened as it arrives. A collector's violation raises an alert for
supervisors and compliance; a bot's utterance with a violation is never sent."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from qingzhai.accounts import roles
from qingzhai.compliance.access import require
from qingzhai.compliance.models import Alert, AlertAction, Utterance
from qingzhai.compliance.monitor import Violation, default_screener
from qingzhai.core import audit
from qingzhai.core.clock import now
from qingzhai.core.errors import DomainError, NotFound
from qingzhai.evidence import acts as evidence_acts
from qingzhai.portfolio.models import Case
from qingzhai.portfolio.selectors import case_get_for_user

MAX_TEXT = 4000
SEVERITY_ORDER = {"high": 3, "medium": 2, "low": 1}

# action → (statuses it may start from, status it leads to)
ALERT_FLOW: dict[str, tuple[frozenset[str], str]] = {
    "acknowledge": (frozenset({Alert.Status.OPEN}), Alert.Status.ACKNOWLEDGED),
    "coach": (frozenset({Alert.Status.OPEN, Alert.Status.ACKNOWLEDGED}), Alert.Status.COACHED),
    "escalate": (
        frozenset({Alert.Status.OPEN, Alert.Status.ACKNOWLEDGED, Alert.Status.COACHED}),
        Alert.Status.ESCALATED,
    ),
    "close": (
        frozenset(
            {Alert.Status.OPEN, Alert.Status.ACKNOWLEDGED, Alert.Status.COACHED, Alert.Status.ESCALATED}
        ),
        Alert.Status.CLOSED,
    ),
}


def violation_dict(v: Violation) -> dict[str, Any]:
    return {
        "category": v.category,
        "rule": v.rule,
        "span": [v.span[0], v.span[1]],
        "severity": v.severity,
        "matched": v.matched,
    }


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError("text_required", "内容不能为空", "The text is empty", fields={"text": ["required"]})
    if len(text) > MAX_TEXT:
        raise DomainError(
            "text_too_long",
            "内容过长（最多 {n} 字）",
            "The text is too long (at most {n} characters)",
            fields={"text": ["too long"]},
            n=MAX_TEXT,
        )
    return text


def _store(
    *, case: Case, text: str, speaker: str, source: str, author: Any, lang: str, blocked_if_violating: bool
) -> Utterance:
    screener = default_screener()
    found = screener.screen(text, speaker=speaker, lang=lang or None)
    moment = now()
    utterance = Utterance.objects.create(
        case=case,
        speaker=speaker,
        source=source,
        author=author,
        text=text,
        lang=lang,
        violations=[violation_dict(v) for v in found],
        blocked=bool(found) and blocked_if_violating,
        screener_version=screener.version[:40],
        created_at=moment,
    )
    evidence_acts.row("utterance", utterance, actor=author or source or "system", case_id=case.pk)
    if found and speaker != Utterance.Speaker.DEBTOR:
        alert = Alert.objects.create(
            utterance=utterance,
            case=case,
            collector=author,
            severity=max((v.severity for v in found), key=lambda s: SEVERITY_ORDER.get(s, 0)),
            categories=sorted({v.category for v in found}),
            created_at=moment,
            updated_at=moment,
        )
        audit.record(
            actor=author or "system",
            action="alert.raise",
            entity=alert,
            changes={"case": [None, case.pk], "categories": [None, alert.categories]},
        )
    return utterance


@transaction.atomic
def utterance_record(
    *,
    actor: Any,
    case_id: int,
    text: str,
    speaker: str = Utterance.Speaker.COLLECTOR,
    source: str = Utterance.Source.TYPED,
    lang: str = "",
) -> Utterance:
    """A collector's typed sentence, or a transcribed sentence of a call, on a case the actor works."""
    require(actor, roles.WORK_CASE)
    if speaker not in (Utterance.Speaker.COLLECTOR, Utterance.Speaker.DEBTOR):
        raise DomainError("invalid_choice", "无效的说话人", "Invalid speaker", fields={"speaker": [speaker]})
    if source not in (Utterance.Source.TYPED, Utterance.Source.TRANSCRIPT):
        raise DomainError("invalid_choice", "无效的来源", "Invalid source", fields={"source": [source]})
    case = case_get_for_user(user=actor, case_id=case_id)
    return _store(
        case=case,
        text=_clean_text(text),
        speaker=speaker,
        source=source,
        author=actor if speaker == Utterance.Speaker.COLLECTOR else None,
        lang=lang,
        blocked_if_violating=False,
    )


@transaction.atomic
def bot_utterance_release(*, case_id: int, text: str, lang: str = "") -> tuple[bool, Utterance]:
    """Screen what a bot is about to say or send. (False, utterance) means: do not send it; the utterance is
    kept as blocked and an alert is raised so the script is fixed."""
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        raise NotFound()
    utterance = _store(
        case=case,
        text=_clean_text(text),
        speaker=Utterance.Speaker.BOT,
        source=Utterance.Source.BOT,
        author=None,
        lang=lang,
        blocked_if_violating=True,
    )
    return not utterance.blocked, utterance


@transaction.atomic
def alert_act(*, actor: Any, alert_id: int, action: str, note: str = "") -> Alert:
    require(actor, roles.COMPLIANCE_ALERTS)
    if action not in ALERT_FLOW:
        raise DomainError("invalid_choice", "无效的操作", "Invalid action", fields={"action": [action]})
    alert = Alert.objects.select_for_update().filter(pk=alert_id).first()
    if alert is None:
        raise NotFound()
    sources, target = ALERT_FLOW[action]
    if alert.status not in sources:
        raise DomainError(
            "alert_transition",
            "告警当前状态为「{s}」，不能执行该操作",
            "The alert is '{s}'; this action is not possible now",
            status=409,
            s=alert.status,
        )
    if action in ("coach", "escalate", "close") and not note.strip():
        raise DomainError(
            "note_required", "请填写处理说明", "Write a note on what was done", fields={"note": ["required"]}
        )
    before = alert.status
    alert.status, alert.updated_at = target, now()
    alert.save(update_fields=["status", "updated_at"])
    AlertAction.objects.create(
        alert=alert,
        action=action,
        from_status=before,
        to_status=target,
        note=note.strip(),
        actor=actor,
        at=now(),
    )
    audit.record(
        actor=actor,
        action=f"alert.{action}",
        entity=alert,
        changes={"status": [before, target]},
        reason=note.strip(),
    )
    return alert

"""The scoring pages: the model registry, a model's card with its promotion, drift checks and scoring runs
(with live progress), the card as HTML and PDF, and the repayment-ability panel of the case page.

Seeing needs scoring.view; promoting, starting runs, acknowledging drift and scoring a case now need
scoring.manage, except scoring one visible case now (scoring.view). Every action is a form POST answered with a redirect (or, for htmx, the fragment)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from qingzhai.accounts import roles
from qingzhai.core import audit
from qingzhai.core.errors import DomainError
from qingzhai.core.i18n import bi, is_english
from qingzhai.scoring import render as card_render
from qingzhai.scoring import selectors, services
from qingzhai.scoring.engine.spec import ScoringError
from qingzhai.scoring.models import CaseScore, DriftCheck, ScoringModel, ScoringRun
from qingzhai.web.views.common import is_htmx, no_store, page, see_other

MODELS_PER_PAGE = 20
RUNS_PER_PAGE = 10
DRIFT_PER_PAGE = 12
STATUS = {
    "candidate": ("候选", "Candidate"),
    "champion": ("冠军（在用）", "Champion (in use)"),
    "retired": ("已退役", "Retired"),
}
RUN_STATUS = {
    "pending": ("排队中", "Queued"),
    "running": ("评分中", "Scoring"),
    "done": ("完成", "Done"),
    "failed": ("失败", "Failed"),
}
DRIFT_LEVEL = {"ok": ("稳定", "Stable"), "watch": ("关注", "Watch"), "alert": ("告警", "Alert")}


def lang() -> str:
    return "en" if is_english() else "zh"


@contextmanager
def web_action() -> Iterator[None]:
    """Audit events labelled as coming from the web; an engine error as a bilingual 400."""
    try:
        with audit.source("web"):
            yield
    except ScoringError as exc:
        raise DomainError(exc.code, exc.message_zh, exc.message_en) from exc


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


# --- presenters ------------------------------------------------------------------------------------


def model_row(m: ScoringModel) -> dict[str, Any]:
    label = m.label or {}
    auc = (m.metrics or {}).get("auc")
    return {
        "m": m,
        "status": bi(*STATUS.get(m.status, (m.status, m.status))),
        "kind": card_render.kind_label(m.kind),
        "label": bi(label.get("name_zh") or m.label_code, label.get("name_en") or m.label_code),
        "auc": card_render.fmt(auc) if auc is not None else "—",
    }


def run_row(run: ScoringRun) -> dict[str, Any]:
    total = run.total or 0
    done = run.scored + run.failed
    failure = run.failure or {}
    return {
        "run": run,
        "status": bi(*RUN_STATUS.get(run.status, (run.status, run.status))),
        "running": run.status in (ScoringRun.Status.PENDING, ScoringRun.Status.RUNNING),
        "done": done,
        "total": total,
        "percent": round(100 * done / total) if total else (100 if run.status == "done" else 0),
        "scope": scope_text(run.scope or {}),
        "failure": bi(
            failure.get("message_zh") or failure.get("message") or "", failure.get("message_en") or ""
        )
        if failure
        else "",
    }


def scope_text(scope: dict[str, Any]) -> str:
    if scope.get("portfolio"):
        return bi("批次 #{p}", "Portfolio #{p}", p=scope["portfolio"])
    if scope.get("case_ids"):
        return bi("{n} 个指定案件", "{n} chosen cases", n=len(scope["case_ids"]))
    return bi("全部未结案件", "All open cases")


def drift_row(check: DriftCheck) -> dict[str, Any]:
    top = sorted((check.feature_psi or {}).items(), key=lambda kv: -(kv[1] or 0))[:3]
    return {
        "c": check,
        "level": bi(*DRIFT_LEVEL.get(check.level, (check.level, check.level))),
        "psi": "—" if check.score_psi is None else f"{check.score_psi:.3f}",
        "top_features": [(name, f"{value:.3f}") for name, value in top if value is not None],
    }


def score_view(score: CaseScore) -> dict[str, Any]:
    """A case score as the case page and the API show it: probability in %, the reasons as sentences."""
    reasons = []
    for r in (score.reasons or [])[:3]:
        points = r.get("points") or 0
        reasons.append(
            {
                "text": bi(
                    r.get("text_zh") or r.get("text_en") or "", r.get("text_en") or r.get("text_zh") or ""
                ),
                "feature": r.get("feature", ""),
                "points": points,
                "up": points >= 0,
            }
        )
    label = score.model.label or {}
    return {
        "score": score,
        "model": score.model,
        "label_name": bi(label.get("name_zh") or "", label.get("name_en") or label.get("name_zh") or ""),
        "probability": pct(score.probability),
        "reasons": reasons,
    }


# --- the case page panel ---------------------------------------------------------------------------


def case_panel_context(request: HttpRequest, case: Any) -> dict[str, Any]:
    """The repayment-ability panel: the case's latest score (one query), or the empty state with a
    "score now" button when the user may and a champion model exists (one more query, managers only)."""
    user: Any = request.user
    if not user.can(roles.SCORING_VIEW):
        return {"score_panel": None}
    # The case page has checked access to the case already; scoring a visible case now needs
    # scoring.view only (services.case_score_now), so every reader of the panel may press the button.
    latest = selectors.latest_score_of(case)
    panel: dict[str, Any] = {"case": case, "can_score": True, "has_champion": False, "latest": None}
    if latest is not None:
        panel["latest"] = score_view(latest)
    else:
        panel["has_champion"] = selectors.champion() is not None
    return {"score_panel": panel}


@require_POST
@page(roles.SCORING_VIEW)
def case_score_now(request: HttpRequest, pk: int) -> HttpResponse:
    from qingzhai.portfolio.selectors import case_get_for_user

    case = case_get_for_user(user=request.user, case_id=pk)
    with web_action():
        services.case_score_now(actor=request.user, case_id=case.pk)
    if is_htmx(request):
        return render(request, "scoring/case/_panel.html", case_panel_context(request, case))
    return see_other(reverse("web:case", args=[case.pk]) + "#score-panel")


# --- registry pages --------------------------------------------------------------------------------


@page(roles.SCORING_VIEW)
def model_list(request: HttpRequest) -> HttpResponse:
    models = selectors.model_list(user=request.user)
    page_obj = Paginator(models, MODELS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page_obj,
        "rows": [model_row(m) for m in page_obj],
        "can_manage": request.user.can(roles.SCORING_MANAGE),  # type: ignore[union-attr]
    }
    return render(request, "scoring/model_list.html", context)


def _detail_context(request: HttpRequest, m: ScoringModel, **extra: Any) -> dict[str, Any]:
    runs = Paginator(selectors.run_list(user=request.user, model_id=m.pk), RUNS_PER_PAGE)
    runs_page = runs.get_page(request.GET.get("runs_page"))
    drift = Paginator(selectors.drift_list(user=request.user, model_id=m.pk), DRIFT_PER_PAGE)
    drift_page = drift.get_page(request.GET.get("drift_page"))
    return {
        "m": m,
        "row": model_row(m),
        "runs_page": runs_page,
        "runs": [run_row(r) for r in runs_page],
        "drift_page": drift_page,
        "drift": [drift_row(c) for c in drift_page],
        "can_manage": request.user.can(roles.SCORING_MANAGE),  # type: ignore[union-attr]
        "promote_error": None,
        "reason": "",
        **card_render.card_context(card_render.card_for(m)),
        **extra,
    }


@page(roles.SCORING_VIEW)
def model_detail(request: HttpRequest, pk: int) -> HttpResponse:
    m = selectors.model_get(user=request.user, model_id=pk)
    return render(request, "scoring/model_detail.html", _detail_context(request, m))


@page(roles.SCORING_VIEW)
def model_card_html(request: HttpRequest, pk: int) -> HttpResponse:
    m = selectors.model_get(user=request.user, model_id=pk)
    html = card_render.card_html(card_render.card_for(m), lang=lang())
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="model-card-{m.name}-v{m.version}.html"'
    return response


@page(roles.SCORING_VIEW)
def model_card_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    m = selectors.model_get(user=request.user, model_id=pk)
    data = card_render.card_pdf(card_render.card_for(m), lang=lang())
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="model-card-{m.name}-v{m.version}.pdf"'
    return response


@require_POST
@page(roles.SCORING_MANAGE)
def model_promote(request: HttpRequest, pk: int) -> HttpResponse:
    """Make the model the champion of its family: a reason and an explicit confirmation are required."""
    m = selectors.model_get(user=request.user, model_id=pk)
    reason = (request.POST.get("reason") or "").strip()
    error = ""
    if not reason:
        error = bi("请填写升级原因", "Give a reason for the promotion")
    elif request.POST.get("confirm") != "1":
        error = bi(
            "请勾选确认：升级后所有新评分将使用此模型",
            "Tick the confirmation: every new score will use this model",
        )
    else:
        try:
            with web_action():
                services.model_promote(actor=request.user, model_id=m.pk, reason=reason)
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            error = exc.message
    if error:
        context = _detail_context(request, m, promote_error=error, reason=reason)
        return render(request, "scoring/model_detail.html", context, status=400)
    return see_other(reverse("scoring:model", args=[m.pk]))


@require_POST
@page(roles.SCORING_MANAGE)
def run_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Score every open case with this model, in chunks; the runs list shows the progress."""
    m = selectors.model_get(user=request.user, model_id=pk)
    with web_action():
        services.scoring_run_start(actor=request.user, model_id=m.pk)
    return see_other(reverse("scoring:model", args=[m.pk]) + "#runs")


@page(roles.SCORING_VIEW)
def run_status(request: HttpRequest, pk: int) -> HttpResponse:
    """One run's row; htmx polls it while the run is queued or scoring."""
    run = selectors.run_get(user=request.user, run_id=pk)
    return no_store(render(request, "scoring/_run_row.html", {"r": run_row(run)}))


@require_POST
@page(roles.SCORING_MANAGE)
def drift_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    note = (request.POST.get("note") or "").strip()
    with web_action():
        check = services.drift_acknowledge(actor=request.user, check_id=pk, note=note)
    return see_other(reverse("scoring:model", args=[check.model_id]) + "#drift")

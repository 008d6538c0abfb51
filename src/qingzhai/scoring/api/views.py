"""Scoring API views, one per operation (see the package docstring for access)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from qingzhai.accounts import roles
from qingzhai.core.errors import DomainError
from qingzhai.evidence.api.common import FirstRenderer
from qingzhai.portfolio.api.common import (
    DETAIL_ERRORS,
    ERR_401,
    ERR_403,
    ERR_404,
    LIST_ERRORS,
    WRITE_ERRORS,
    ApiView,
    api_write,
    body,
    query,
)
from qingzhai.scoring import render as card_render
from qingzhai.scoring import selectors, services
from qingzhai.scoring.api.serializers import (
    CardOut,
    CaseScoreIn,
    CaseScoreOut,
    DriftAckIn,
    DriftOut,
    DriftQuery,
    ModelDetailOut,
    ModelOut,
    ModelQuery,
    PromoteIn,
    RunIn,
    RunOut,
    score_data,
)
from qingzhai.scoring.engine.spec import ScoringError
from qingzhai.scoring.models import CaseScore, ScoringRun
from qingzhai.scoring.views import lang

TAGS = ["scoring"]


@contextmanager
def writing() -> Iterator[None]:
    """Audit events labelled as coming from the API; an engine error as a 400 in the error shape."""
    try:
        with api_write():
            yield
    except ScoringError as exc:
        raise DomainError(exc.code, exc.message_zh, exc.message_en) from exc


class ModelListView(ApiView):
    capabilities = {"GET": roles.SCORING_VIEW}

    @extend_schema(
        operation_id="scoring_models_list",
        tags=TAGS,
        summary="The model registry, by family and newest version first (scoring.view)",
        parameters=[ModelQuery],
        responses={200: ModelOut(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        params = query(ModelQuery, request)
        return self.paginated(selectors.model_list(user=request.user, name=params.get("name")), ModelOut)


class ModelDetailView(ApiView):
    capabilities = {"GET": roles.SCORING_VIEW}

    @extend_schema(
        operation_id="scoring_models_retrieve",
        tags=TAGS,
        summary="One model: label definition, held-out metrics, status (scoring.view)",
        responses={200: ModelDetailOut, **DETAIL_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(ModelDetailOut(selectors.model_get(user=request.user, model_id=pk)).data)


class ModelCardView(ApiView):
    capabilities = {"GET": roles.SCORING_VIEW}

    @extend_schema(
        operation_id="scoring_models_card",
        tags=TAGS,
        summary="The model card as data: data, label, metrics, calibration, importance, fairness (scoring.view)",
        responses={200: CardOut, **DETAIL_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        m = selectors.model_get(user=request.user, model_id=pk)
        return Response(card_render.card_for(m))


def _binary(media_type: str, description: str) -> dict[Any, Any]:
    return {
        (200, media_type): OpenApiResponse(response=OpenApiTypes.BINARY, description=description),
        401: ERR_401,
        403: ERR_403,
        404: ERR_404,
    }


class ModelCardHtmlView(ApiView):
    capabilities = {"GET": roles.SCORING_VIEW}
    content_negotiation_class = FirstRenderer

    @extend_schema(
        operation_id="scoring_models_card_html",
        tags=TAGS,
        summary="The model card as a standalone HTML document, in the request's language (scoring.view)",
        responses=_binary("text/html", "The card / 模型卡"),
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        m = selectors.model_get(user=request.user, model_id=pk)
        html = card_render.card_html(card_render.card_for(m), lang=lang())
        return HttpResponse(html, content_type="text/html; charset=utf-8")


class ModelCardPdfView(ApiView):
    capabilities = {"GET": roles.SCORING_VIEW}
    content_negotiation_class = FirstRenderer

    @extend_schema(
        operation_id="scoring_models_card_pdf",
        tags=TAGS,
        summary="The model card as a PDF, in the request's language (scoring.view)",
        responses=_binary("application/pdf", "The card, as an attachment / 模型卡 PDF"),
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        m = selectors.model_get(user=request.user, model_id=pk)
        response = HttpResponse(
            card_render.card_pdf(card_render.card_for(m), lang=lang()), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'attachment; filename="model-card-{m.pk}.pdf"'
        return response


class ModelPromoteView(ApiView):
    capabilities = {"POST": roles.SCORING_MANAGE}

    @extend_schema(
        operation_id="scoring_models_promote",
        tags=TAGS,
        summary="Make the model its family's champion; the former champion becomes a candidate (scoring.manage)",
        request=PromoteIn,
        responses={200: ModelDetailOut, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        m = selectors.model_get(user=request.user, model_id=pk)
        data = body(PromoteIn, request)
        with writing():
            promoted = services.model_promote(actor=request.user, model_id=m.pk, reason=data["reason"])
        return Response(ModelDetailOut(promoted).data)


class RunCreateView(ApiView):
    capabilities = {"POST": roles.SCORING_MANAGE}

    @extend_schema(
        operation_id="scoring_runs_create",
        tags=TAGS,
        summary="Score cases in the background: all open cases, a portfolio's, or the ones named (scoring.manage)",
        description="202 with the run; poll GET /scoring/runs/{id}/ for its progress.",
        request=RunIn,
        responses={202: RunOut, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = body(RunIn, request)
        with writing():
            run = services.scoring_run_start(
                actor=request.user,
                model_id=data.get("model_id"),
                portfolio_id=data.get("portfolio_id"),
                case_ids=data.get("case_ids"),
                as_of=data.get("as_of"),
            )
        run = ScoringRun.objects.get(pk=run.pk)
        return Response(RunOut(run).data, status=status.HTTP_202_ACCEPTED)


class RunDetailView(ApiView):
    capabilities = {"GET": roles.SCORING_VIEW}

    @extend_schema(
        operation_id="scoring_runs_retrieve",
        tags=TAGS,
        summary="A scoring run with its progress (scoring.view)",
        responses={200: RunOut, **DETAIL_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(RunOut(selectors.run_get(user=request.user, run_id=pk)).data)


class CaseScoreView(ApiView):
    capabilities = {"GET": roles.SCORING_VIEW, "POST": roles.SCORING_VIEW}

    @extend_schema(
        operation_id="scoring_case_score_retrieve",
        tags=TAGS,
        summary="A case's latest score with its top reasons (scoring.view; the case must be visible)",
        description="404 `score_missing` when the case has not been scored yet.",
        responses={200: CaseScoreOut, **DETAIL_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        score = selectors.case_score_latest(user=request.user, case_id=pk)
        if score is None:
            raise DomainError(
                "score_missing", "该案件暂无评分", "This case has not been scored yet", status=404
            )
        return Response(CaseScoreOut(score_data(score)).data)

    @extend_schema(
        operation_id="scoring_case_score_create",
        tags=TAGS,
        summary="Score the case now with the champion (or the model named) (scoring.view; the case must be visible)",
        request=CaseScoreIn,
        responses={201: CaseScoreOut, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = body(CaseScoreIn, request)
        with writing():
            score = services.case_score_now(actor=request.user, case_id=pk, model_id=data.get("model_id"))
        score = CaseScore.objects.select_related("model").get(pk=score.pk)
        return Response(CaseScoreOut(score_data(score)).data, status=status.HTTP_201_CREATED)


class DriftListView(ApiView):
    capabilities = {"GET": roles.SCORING_VIEW}

    @extend_schema(
        operation_id="scoring_drift_list",
        tags=TAGS,
        summary="Monthly drift checks (PSI against the training baseline), newest first (scoring.view)",
        parameters=[DriftQuery],
        responses={200: DriftOut(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        params = query(DriftQuery, request)
        return self.paginated(selectors.drift_list(user=request.user, model_id=params.get("model")), DriftOut)


class DriftAcknowledgeView(ApiView):
    capabilities = {"POST": roles.SCORING_MANAGE}

    @extend_schema(
        operation_id="scoring_drift_acknowledge",
        tags=TAGS,
        summary="Acknowledge a drift check with a note (scoring.manage)",
        request=DriftAckIn,
        responses={200: DriftOut, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = body(DriftAckIn, request)
        with writing():
            check = services.drift_acknowledge(actor=request.user, check_id=pk, note=data["note"])
        return Response(DriftOut(check).data)

"""Legal API views, one per operation (see the package docstring for access)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from qingzhai.accounts import roles
from qingzhai.core.errors import DomainError
from qingzhai.evidence.api.common import FirstRenderer
from qingzhai.legal.api.serializers import (
    CaseLegalOut,
    DeadlineOut,
    DeadlineQuery,
    DocumentIn,
    DocumentOut,
    EventIn,
    KpiQuery,
    KpisOut,
    ProceedingDetailOut,
    ProceedingOpenIn,
    ProceedingOut,
    ProceedingQuery,
    RouteOut,
    case_legal_data,
    route_data,
)
from qingzhai.legal.fees import LegalInputError
from qingzhai.legal.route_inputs import case_route
from qingzhai.legal.selectors.kpis import legal_kpis
from qingzhai.legal.selectors.proceedings import (
    case_legal,
    deadline_list,
    proceeding_get,
    proceeding_list,
)
from qingzhai.legal.services import documents as document_service
from qingzhai.legal.services.proceedings import proceeding_open, proceeding_transition
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

TAGS = ["legal"]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _detail(proceeding_id: int, user: Any) -> Any:
    """A proceeding with its events and deadlines loaded."""
    return proceeding_get(user=user, proceeding_id=proceeding_id, with_history=True)


class CaseLegalView(ApiView):
    capabilities = {"GET": roles.LEGAL_VIEW}

    @extend_schema(
        operation_id="legal_cases_retrieve",
        tags=TAGS,
        summary="A case's legal summary: proceedings with events and deadlines, fees, interest, documents (legal.view)",
        responses={200: CaseLegalOut, **DETAIL_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(CaseLegalOut(case_legal_data(case_legal(user=request.user, case_id=pk))).data)


class CaseRouteView(ApiView):
    capabilities = {"GET": roles.LEGAL_VIEW}

    @extend_schema(
        operation_id="legal_cases_route",
        tags=TAGS,
        summary="The route advisor for a case: options compared, the recommended one, signals (legal.view)",
        responses={200: RouteOut, **LIST_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        try:
            advice = case_route(case_id=pk, user=request.user)
        except LegalInputError as exc:
            raise DomainError(exc.code, exc.zh, exc.en, fields={exc.field or "case": [exc.en]}) from exc
        return Response(RouteOut(route_data(advice)).data)


class ProceedingListView(ApiView):
    capabilities = {"GET": roles.LEGAL_VIEW, "POST": roles.LEGAL_MANAGE}

    @extend_schema(
        operation_id="legal_proceedings_list",
        tags=TAGS,
        summary="Proceedings of the visible cases, newest first (legal.view)",
        parameters=[ProceedingQuery],
        responses={200: ProceedingOut(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        params = query(ProceedingQuery, request)
        qs = proceeding_list(
            user=request.user,
            case_id=params.get("case"),
            kind=params.get("kind", ""),
            state=params.get("state", ""),
            open_only=params["open"],
        )
        return self.paginated(qs, ProceedingOut)

    @extend_schema(
        operation_id="legal_proceedings_create",
        tags=TAGS,
        summary="Open a proceeding for a case in its kind's initial state (legal.manage)",
        request=ProceedingOpenIn,
        responses={201: ProceedingDetailOut, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = body(ProceedingOpenIn, request)
        with api_write():
            proceeding = proceeding_open(
                actor=request.user,
                case_id=data["case_id"],
                kind=data["kind"],
                on=data.get("business_date"),
                court=data["court"],
                court_case_no=data["court_case_no"],
                claim_fen=data.get("claim"),
                parent_id=data.get("parent_id"),
                note=data["note"],
            )
        out = ProceedingDetailOut(_detail(proceeding.pk, request.user)).data
        return Response(out, status=status.HTTP_201_CREATED)


class ProceedingDetailView(ApiView):
    capabilities = {"GET": roles.LEGAL_VIEW}

    @extend_schema(
        operation_id="legal_proceedings_retrieve",
        tags=TAGS,
        summary="One proceeding with its history and deadlines (legal.view)",
        responses={200: ProceedingDetailOut, **DETAIL_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(ProceedingDetailOut(_detail(pk, request.user)).data)


class ProceedingEventView(ApiView):
    capabilities = {"POST": roles.LEGAL_MANAGE}

    @extend_schema(
        operation_id="legal_proceedings_event",
        tags=TAGS,
        summary="Record the proceeding's next event on its business date (legal.manage)",
        description="The engine refuses illegal moves (400 illegal_transition, missing_fact, bad_fact, "
        "unknown_event); deadlines the event meets are closed, new ones opened.",
        request=EventIn,
        responses={200: ProceedingDetailOut, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        proceeding = proceeding_get(user=request.user, proceeding_id=pk)
        data = body(EventIn, request)
        facts = dict(data.get("facts") or {})
        if "amount" in facts:
            facts["amount_fen"] = facts.pop("amount")
        with api_write():
            proceeding_transition(
                actor=request.user,
                proceeding_id=proceeding.pk,
                event=data["event"],
                on=data.get("business_date"),
                facts=facts,
                note=data["note"],
            )
        return Response(ProceedingDetailOut(_detail(proceeding.pk, request.user)).data)


class DeadlineListView(ApiView):
    capabilities = {"GET": roles.LEGAL_VIEW}

    @extend_schema(
        operation_id="legal_deadlines_list",
        tags=TAGS,
        summary="Deadlines of the visible cases in a date range (at most a year), earliest first (legal.view)",
        parameters=[DeadlineQuery],
        responses={200: DeadlineOut(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        params = query(DeadlineQuery, request)
        qs = deadline_list(
            user=request.user,
            start=params.get("start"),
            end=params.get("end"),
            status="" if params["status"] == "all" else params["status"],
            case_id=params.get("case"),
            alerts_only=params["alerts"],
        )
        return self.paginated(qs, DeadlineOut)


class KpisView(ApiView):
    capabilities = {"GET": roles.LEGAL_VIEW}

    @extend_schema(
        operation_id="legal_kpis_retrieve",
        tags=TAGS,
        summary="Legal KPIs over the visible cases: payment orders by amount band, enforcement, mediation (legal.view)",
        parameters=[KpiQuery],
        responses={200: KpisOut, **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        params = query(KpiQuery, request)
        return Response(KpisOut(legal_kpis(user=request.user, creditor_id=params.get("creditor"))).data)


class DocumentCreateView(ApiView):
    capabilities = {"POST": roles.LEGAL_MANAGE}

    @extend_schema(
        operation_id="legal_documents_create",
        tags=TAGS,
        summary="Generate a court document for the case; answers its metadata and download URL (legal.manage)",
        request=DocumentIn,
        responses={201: DocumentOut, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = body(DocumentIn, request)
        with api_write():
            document, _content = document_service.document_generate(
                case_id=pk,
                kind=data["kind"],
                fmt=data["fmt"],
                actor=request.user,
                court=data["court"] or None,
                proceeding_id=data.get("proceeding_id"),
                user=request.user,
            )
        return Response(DocumentOut(document).data, status=status.HTTP_201_CREATED)


class DocumentDownloadView(ApiView):
    capabilities = {"GET": roles.LEGAL_VIEW}
    content_negotiation_class = FirstRenderer

    @extend_schema(
        operation_id="legal_documents_download",
        tags=TAGS,
        summary="A generated document's file (legal.view and pii.reveal: it carries personal data)",
        responses={
            (200, "application/pdf"): OpenApiResponse(
                response=OpenApiTypes.BINARY, description="The PDF file / 文书 PDF"
            ),
            (200, DOCX): OpenApiResponse(
                response=OpenApiTypes.BINARY, description="The DOCX file / 文书 DOCX"
            ),
            401: ERR_401,
            403: ERR_403,
            404: ERR_404,
        },
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        with api_write():
            document, content = document_service.document_bytes(document_id=pk, user=request.user)
        response = HttpResponse(content, content_type=document.media_type)
        response["Content-Disposition"] = content_disposition_header(True, document.filename) or "attachment"
        response["Cache-Control"] = "no-store, private"
        return response

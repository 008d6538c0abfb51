"""The OpenAPI document, the interactive docs and the health probe; and a schemathesis run over every
operation of /api/v1/ that must never see a server error, and whose answers (status, content type,
body) must be the ones the document describes."""

from __future__ import annotations

from datetime import timedelta

import pytest
import schemathesis
import yaml
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from qingzhai.compliance.services import contact_log
from qingzhai.config.wsgi import application
from qingzhai.core.clock import business_today
from qingzhai.portfolio import services
from qingzhai.portfolio.models import Activity, ImportJob
from tests.factories import case_with_debt
from tests.portfolio.api.conftest import daytime

# Loaded once, at collection, from the running Django application (no database needed for the schema).
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


def test_healthz_answers_without_login(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_schema_is_openapi_3_and_lists_every_operation(db):
    response = Client().get("/api/schema/")
    assert response.status_code == 200
    document = yaml.safe_load(response.content)
    assert document["openapi"].startswith("3.")
    operations = {
        op["operationId"]
        for path in document["paths"].values()
        for op in path.values()
        if "operationId" in op
    }
    assert operations == {
        "auth_token_create",
        "auth_logout",
        "me_retrieve",
        "creditors_list",
        "creditors_create",
        "creditors_retrieve",
        "portfolios_list",
        "portfolios_create",
        "portfolios_retrieve",
        "debtors_list",
        "debtors_retrieve",
        "debtors_reveal",
        "debts_list",
        "debts_retrieve",
        "cases_list",
        "cases_retrieve",
        "cases_stage",
        "cases_next_action",
        "cases_assign",
        "cases_timeline",
        "payments_list",
        "payments_create",
        "payments_retrieve",
        "payments_reverse",
        "promises_list",
        "promises_create",
        "promises_retrieve",
        "promises_cancel",
        "activities_list",
        "activities_create",
        "activities_retrieve",
        "imports_list",
        "imports_create",
        "imports_retrieve",
        "imports_confirm",
        "compliance_gate_check",
        "compliance_decisions_list",
        "compliance_decisions_retrieve",
        "compliance_decisions_explain",
        "compliance_utterances_list",
        "compliance_utterances_create",
        "compliance_bot_release",
        "compliance_alerts_list",
        "compliance_alerts_retrieve",
        "compliance_alerts_act",
        "compliance_dishonest_matches_list",
        "compliance_dishonest_matches_clear",
        "compliance_dishonest_imports_create",
        "compliance_protection_retrieve",
        "compliance_protection_update",
        "compliance_disputes_create",
        "compliance_disputes_resolve",
        "compliance_policies_list",
        "compliance_policies_version",
        "compliance_creditor_policy_retrieve",
        "compliance_creditor_policy_update",
        "compliance_stats_collectors",
        "evidence_checkpoint_retrieve",
        "evidence_checkpoints_retrieve",
        "evidence_consistency_retrieve",
        "evidence_tile_retrieve",
        "evidence_cosignatures_create",
        "evidence_entries_retrieve",
        "evidence_entries_proof",
        "evidence_case_entries_list",
        "evidence_case_bundle",
        "evidence_status_retrieve",
        "evidence_verifications_create",
        "profiling_catalogue",
        "profiling_debtor_indicators",
        "profiling_debtor_flags",
        "profiling_debtor_sources_list",
        "profiling_debtor_sources_create",
        "profiling_debtor_source",
        "scoring_models_list",
        "scoring_models_retrieve",
        "scoring_models_card",
        "scoring_models_card_html",
        "scoring_models_card_pdf",
        "scoring_models_promote",
        "scoring_runs_create",
        "scoring_runs_retrieve",
        "scoring_case_score_retrieve",
        "scoring_case_score_create",
        "scoring_drift_list",
        "scoring_drift_acknowledge",
        "legal_cases_retrieve",
        "legal_cases_route",
        "legal_proceedings_list",
        "legal_proceedings_create",
        "legal_proceedings_retrieve",
        "legal_proceedings_event",
        "legal_deadlines_list",
        "legal_kpis_retrieve",
        "legal_documents_create",
        "legal_documents_download",
        "contact_bot_calls_create",
        "contact_bot_calls_list",
        "contact_bot_calls_retrieve",
        "contact_campaigns_action",
        "contact_campaigns_create",
        "contact_campaigns_list",
        "contact_campaigns_messages",
        "contact_campaigns_retrieve",
        "contact_receipts_create",
        "contact_replies_create",
        "workspace_callback",
        "workspace_next",
        "workspace_outcome",
        "workspace_queue",
    }
    error = document["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"code", "message", "fields"}
    cases = document["paths"]["/api/v1/cases/"]["get"]
    assert {p["name"] for p in cases["parameters"]} >= {
        "stage",
        "bucket",
        "creditor",
        "assigned_to",
        "q",
        "page",
    }
    assert cases["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "PaginatedCaseOutList"
    )
    assert cases["responses"]["401"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
    schemes = document["components"]["securitySchemes"]
    assert set(schemes) == {"cookieAuth", "tokenAuth"}


def test_interactive_docs_page(db):
    response = Client().get("/api/docs/")
    assert response.status_code == 200
    assert b"swagger-ui" in response.content
    assert b"cdn." not in response.content  # served from the installed sidecar, works offline
    assert b"/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in response.content
    asset = Client().get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert asset.status_code == 200


@pytest.fixture
def api_headers(db, make_user, settings, tmp_path):
    """An admin's token, and a little data for generated ids to land on."""
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    admin = make_user("admin", username="schema-admin")
    collector = make_user("collector", username="schema-collector")
    today = business_today()
    for assignee in (collector, None):
        case = case_with_debt(assigned_to=assignee)
        debt = case.debts.get()
        services.payment_record(actor=admin, debt_id=debt.pk, amount_fen=1_000, paid_on=today)
        services.promise_create(
            actor=admin, case_id=case.pk, amount_fen=500, due_date=today + timedelta(days=5)
        )
        contact_log(
            actor=admin,
            case_id=case.pk,
            kind=Activity.Kind.CALL,
            outcome=Activity.Outcome.CONNECTED,
            occurred_at=daytime(),
        )
        ImportJob.objects.create(
            creditor=case.portfolio.creditor, original_name="p.csv", stored_path="imports/p.csv"
        )
    token = Token.objects.create(user=admin)
    # Requests go through the bare WSGI application, not Django's test client: keep the test's
    # database connection (and its transaction) open across them, as the test client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield {"Authorization": f"Token {token.key}"}
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        cache.clear()


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_with_a_server_error(case, api_headers):
    """Generated valid and invalid requests, authenticated as an admin: never a 5xx, never an
    undocumented status, content type or body."""
    response = case.call(headers=api_headers)
    case.validate_response(
        response,
        checks=[
            not_a_server_error,
            response_schema_conformance,
            status_code_conformance,
            content_type_conformance,
        ],
    )

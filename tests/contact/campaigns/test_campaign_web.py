"""Campaign pages, API and command line: who may see and act, the creation form's errors, the progress
fragment, the control actions, the gateways' callbacks (token), and `qingzhai campaign`."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient
from typer.testing import CliRunner

from qingzhai.cli import app
from qingzhai.cli import campaign as _campaign_command  # noqa: F401  (registers the commands)
from qingzhai.contact.models import Campaign, CampaignMessage
from qingzhai.contact.services import campaigns as svc
from tests.factories import case_with_debt

API = "/api/v1/contact"
runner = CliRunner()


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def planned(supervisor, committed, daytime):
    cases = [case_with_debt() for _ in range(2)]
    campaign = svc.campaign_create(
        actor=supervisor,
        name="十二月提醒",
        steps=[{"template_id": "reminder_sms_zh"}],
        filters={"portfolio_ids": [c.portfolio_id for c in cases]},
    )
    committed(svc.campaign_plan_start, actor=supervisor, campaign_id=campaign.pk)
    campaign.refresh_from_db()
    return campaign


def test_pages_list_show_and_control_a_campaign(
    login, supervisor, planned, gateway, django_capture_on_commit_callbacks
):
    client = login(supervisor)
    listing = client.get("/contact/campaigns/")
    assert listing.status_code == 200 and "十二月提醒" in listing.content.decode()
    page = client.get(f"/contact/campaigns/{planned.pk}/")
    text = page.content.decode()
    assert (
        page.status_code == 200
        and 'data-testid="action-start"' in text
        and 'data-testid="message-table"' in text
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/contact/campaigns/{planned.pk}/start/")
    assert response.status_code == 303
    fragment = client.get(f"/contact/campaigns/{planned.pk}/progress/", HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and 'data-status="completed"' in fragment.content.decode()
    assert fragment["HX-Trigger"] == "campaign-settled"
    assert client.post(f"/contact/campaigns/{planned.pk}/start/").status_code == 409
    assert client.get(f"/contact/campaigns/{planned.pk}/?status=sent").status_code == 200


def test_the_creation_form_names_the_bad_field(login, supervisor):
    client = login(supervisor, language="en")
    response = client.post(
        "/contact/campaigns/", {"name": "", "window_hours": 72, "sms_per_hour": 10, "voice_per_hour": 10}
    )
    assert response.status_code == 400 and not Campaign.objects.exists()
    ok = client.post(
        "/contact/campaigns/",
        {"name": "Dec", "step1_template": "reminder_sms_zh", "step1_offset": 0, "window_hours": 72,
         "sms_per_hour": 100, "voice_per_hour": 10, "stages": ["new", "contact"], "min_dpd": 30},
    )  # fmt: skip
    assert ok.status_code == 303
    campaign = Campaign.objects.get()
    assert (
        campaign.filters == {"stages": ["new", "contact"], "min_dpd": 30} and campaign.per_hour["sms"] == 100
    )
    offset_too_late = client.post(
        "/contact/campaigns/",
        {"name": "Late", "step1_template": "reminder_sms_zh", "step1_offset": 80, "window_hours": 72,
         "sms_per_hour": 100, "voice_per_hour": 10},
    )  # fmt: skip
    assert offset_too_late.status_code == 400 and "offset" in offset_too_late.content.decode()


def test_permissions(login, users, planned):
    assert login(users["collector"]).get("/contact/campaigns/").status_code == 403
    auditor = login(users["auditor"])
    assert auditor.get(f"/contact/campaigns/{planned.pk}/").status_code == 200
    assert auditor.post(f"/contact/campaigns/{planned.pk}/start/").status_code == 403
    assert api(users["collector"]).get(f"{API}/campaigns/").status_code == 403
    assert api(users["auditor"]).post(f"{API}/campaigns/{planned.pk}/start/").status_code == 403


def test_api_create_plan_start_and_read(supervisor, gateway, daytime, django_capture_on_commit_callbacks):
    case = case_with_debt()
    client = api(supervisor)
    created = client.post(
        f"{API}/campaigns/",
        {
            "name": "API",
            "steps": [{"template_id": "reminder_sms_zh"}],
            "filters": {"portfolio_ids": [case.portfolio_id]},
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{API}/campaigns/{pk}/plan/", {}, format="json").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{API}/campaigns/{pk}/start/", {}, format="json").status_code == 200
    body = client.get(f"{API}/campaigns/{pk}/").json()
    assert (
        body["status"] == "completed"
        and body["results"]["sent"] == 1
        and body["progress"]["percent"] == 100.0
    )
    messages = client.get(f"{API}/campaigns/{pk}/messages/?status=sent").json()
    assert messages["count"] == 1 and messages["results"][0]["to_masked"].startswith("138")
    bad = client.post(f"{API}/campaigns/", {"name": "x", "steps": [{"template_id": "nope"}]}, format="json")
    assert bad.status_code == 400 and set(bad.json()) == {"code", "message", "fields"}


def test_receipt_and_reply_callbacks_need_the_token(supervisor, planned, gateway, settings, committed):
    committed(svc.campaign_start, actor=supervisor, campaign_id=planned.pk)
    receipt = gateway.receipts[0]
    anonymous = APIClient()
    assert anonymous.post(f"{API}/receipts/sms/", receipt, format="json").status_code in (401, 403)
    settings.QINGZHAI_CONTACT_CALLBACK_TOKEN = "s3cret"
    wrong = anonymous.post(f"{API}/receipts/sms/", receipt, format="json", HTTP_X_CALLBACK_TOKEN="nope")
    assert wrong.status_code in (401, 403)
    ok = anonymous.post(
        f"{API}/receipts/sms/", gateway.receipts, format="json", HTTP_X_CALLBACK_TOKEN="s3cret"
    )
    assert ok.status_code == 200 and ok.json() == {"accepted": 2}
    assert CampaignMessage.objects.filter(status="delivered").count() == 2
    bad = anonymous.post(f"{API}/receipts/sms/", {"id": "x"}, format="json", HTTP_X_CALLBACK_TOKEN="s3cret")
    assert bad.status_code == 400 and bad.json()["code"] == "receipt_field_missing"
    unknown = anonymous.post(f"{API}/receipts/fax/", receipt, format="json", HTTP_X_CALLBACK_TOKEN="s3cret")
    assert unknown.status_code == 404


def test_cli_templates_create_plan_and_results(supervisor, daytime, django_capture_on_commit_callbacks):
    case = case_with_debt()
    listed = runner.invoke(app, ["campaign", "templates", "--json"])
    assert listed.exit_code == 0 and "reminder_sms_zh" in {t["id"] for t in json.loads(listed.output)}
    with django_capture_on_commit_callbacks(execute=True):
        created = runner.invoke(
            app,
            ["campaign", "create", "--name", "CLI", "--step", "sms:reminder_sms_zh:0", "--filter",
             f"portfolio_ids={case.portfolio_id}", "--plan", "--user", supervisor.username, "--json"],
        )  # fmt: skip
    assert created.exit_code == 0, created.output
    created_id = json.loads(created.output)["id"]
    status = runner.invoke(
        app, ["campaign", "status", str(created_id), "--user", supervisor.username, "--json"]
    )
    out = json.loads(status.output)
    assert out["status"] == "planned" and out["messages"] == 1
    results = runner.invoke(
        app, ["campaign", "results", str(out["id"]), "--user", supervisor.username, "--json"]
    )
    assert results.exit_code == 0 and json.loads(results.output)["refused"] == 0
    bad = runner.invoke(
        app, ["campaign", "create", "--name", "x", "--step", "oops", "--user", supervisor.username, "--json"]
    )
    assert bad.exit_code == 2 and json.loads(bad.output)["code"] == "bad_step"
    nobody = runner.invoke(app, ["campaign", "status", str(out["id"]), "--user", "ghost", "--json"])
    assert nobody.exit_code == 2 and json.loads(nobody.output)["code"] == "unknown_user"

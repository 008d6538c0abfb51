"""The profile through its three doors: the page (with upload, progress row, source rows, legal hold and
PDF), the API and the CLI; with who may see and do what."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse
from rest_framework.test import APIClient
from typer.testing import CliRunner

from qingzhai.cli import app
from qingzhai.cli import profile as _profile_command  # noqa: F401  (registers the commands)
from qingzhai.profiling import indicators as ind
from qingzhai.profiling.demo import profile_demo_load
from qingzhai.profiling.models import SourceFile, Transaction
from tests.factories import case_with_debt

pytestmark = pytest.mark.django_db
FORMATS = Path(__file__).resolve().parents[1] / "data" / "profiling" / "formats"
ALIPAY = FORMATS / "alipay" / "deg_2023-layout_example-alipay-records.csv"
runner = CliRunner()


def cli(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["profile", *args])
    return result.exit_code, result.output


@pytest.fixture
def showcase(case):
    case.debts.update(contract_date=date(2020, 1, 15))  # the debt predates the transfer the demo stages
    profile_demo_load(debtor_ids=[case.debtor_id])
    return case


def test_cli_ingest_prints_the_counts_and_again_changes_nothing(case):
    code, out = cli("ingest", "--debtor", str(case.debtor_id), "--source", "alipay", str(ALIPAY), "--json")
    assert code == 0, out
    first = json.loads(out)
    assert {k: first[k] for k in ("rows", "imported", "skipped", "errors")} == {
        "rows": 10,
        "imported": 10,
        "skipped": 0,
        "errors": [],
    }
    assert first["period"] == ["2023-01-09", "2023-07-10"]  # the rows' own dates, not the preamble's
    code, out = cli("ingest", "--debtor", str(case.debtor_id), str(ALIPAY), "--json")
    again = json.loads(out)
    assert (code, again["imported"], again["skipped"], again["duplicate"]) == (0, 0, 10, True)
    assert Transaction.objects.filter(debtor=case.debtor).count() == 10


def test_cli_ingest_refuses_unknown_debtor_and_unknown_source(case, tmp_path):
    code, out = cli("ingest", "--debtor", "999999", str(ALIPAY), "--json")
    assert code == 2 and json.loads(out)["code"] == "not_found"
    code, out = cli(
        "ingest", "--debtor", str(case.debtor_id), "--source", "bank:nowhere", str(ALIPAY), "--json"
    )
    assert code == 2 and json.loads(out)["code"] == "profile_unknown_source"
    assert not SourceFile.objects.exists()


def test_cli_catalogue_indicators_and_flags(showcase):
    code, out = cli("catalogue", "--json")
    items = json.loads(out)
    assert code == 0 and len(items) >= 200 and len({i["category"] for i in items}) == 12
    code, out = cli("indicators", "--debtor", str(showcase.debtor_id), "--json")
    values = json.loads(out)
    assert code == 0 and set(values) == {i.code for i in ind.catalogue()}
    assert values["inc_cons_gap_ratio_36m"] == pytest.approx(2.3, abs=0.05)
    code, out = cli("flags", "--debtor", str(showcase.debtor_id), "--json")
    flags = json.loads(out)
    assert code == 0
    by_code = {f["flag"]: f for f in flags}
    assert {"income_consumption_gap", "divorce_asset_transfer", "restriction_breach"} <= set(by_code)
    for f in flags:
        assert set(f) >= {"flag", "severity", "facts", "evidence"}
    assert by_code["divorce_asset_transfer"]["severity"] == "high"


def test_profile_page_shows_figures_flags_charts_and_sources(client, collector, showcase):
    client.force_login(collector)
    response = client.get(reverse("profiling:profile", args=[showcase.debtor_id]))
    body = response.content.decode()
    assert response.status_code == 200
    for testid in (
        "headline",
        "flags",
        "chart-flows",
        "chart-categories",
        "indicators",
        "source-table",
        "assets",
    ):
        assert f'data-testid="{testid}"' in body, testid
    assert body.count('data-testid="indicator-group"') == 12
    assert 'data-flag="divorce_asset_transfer"' in body
    assert response["Cache-Control"].startswith("no-store")


def test_profile_page_empty_states(client, collector, case):
    client.force_login(collector)
    body = client.get(reverse("profiling:profile", args=[case.debtor_id])).content.decode()
    assert 'data-testid="no-sources"' in body and 'data-testid="no-flows"' in body
    assert 'data-testid="no-flags"' in body and 'data-testid="no-assets"' in body


def test_a_collector_cannot_see_another_collectors_debtor(client, collector, other_case):
    client.force_login(collector)
    assert client.get(reverse("profiling:profile", args=[other_case.debtor_id])).status_code == 404
    api = APIClient()
    api.force_authenticate(collector)
    assert api.get(f"/api/v1/profiling/debtors/{other_case.debtor_id}/indicators/").status_code == 404


def test_upload_through_the_page(client, collector, case, django_capture_on_commit_callbacks):
    client.force_login(collector)
    url = reverse("profiling:upload", args=[case.debtor_id])
    with ALIPAY.open("rb") as fh, django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"file": fh, "source": "", "basis": "contract", "reference": "第12条"})
    assert response.status_code == 303
    sf = SourceFile.objects.get(debtor=case.debtor)
    assert (sf.status, sf.imported, sf.basis_reference) == ("done", 10, "第12条")
    page = client.get(reverse("profiling:profile", args=[case.debtor_id])).content.decode()
    assert f'id="source-{sf.pk}"' in page and 'data-status="done"' in page
    rows = client.get(reverse("profiling:source_rows", args=[case.debtor_id, sf.pk]) + "?row=26")
    assert rows.status_code == 200 and 'id="row-26" class="focus"' in rows.content.decode()


def test_upload_errors_are_shown_and_nothing_is_stored(client, collector, case):
    client.force_login(collector)
    url = reverse("profiling:upload", args=[case.debtor_id])
    with ALIPAY.open("rb") as fh:
        response = client.post(url, {"file": fh, "basis": "consent"})  # consent without purposes
    assert response.status_code == 400
    assert "本人同意须写明处理目的" in response.content.decode()
    assert not SourceFile.objects.exists()


def test_pending_source_row_polls_for_progress(client, collector, case):
    client.force_login(collector)
    with ALIPAY.open("rb") as fh:
        client.post(reverse("profiling:upload", args=[case.debtor_id]), {"file": fh, "basis": "contract"})
    sf = SourceFile.objects.get(debtor=case.debtor)  # the job has not run: no commit in this test
    body = client.get(reverse("profiling:source_status", args=[case.debtor_id, sf.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in body and "<progress" in body


def test_legal_hold_needs_profile_manage(client, users, case):
    from qingzhai.profiling import services

    sf_case = case_with_debt(assigned_to=users["collector"])

    sf = services.source_upload(
        debtor=sf_case.debtor, actor="test", data=ALIPAY.read_bytes(), filename="a.csv", basis="contract"
    ).source_file
    url = reverse("profiling:legal_hold", args=[sf_case.debtor_id, sf.pk])
    client.force_login(users["collector"])
    assert client.post(url, {"hold": "1", "reason": "诉讼"}).status_code == 403
    client.force_login(users["legal"])
    assert client.post(url, {"hold": "1", "reason": "诉讼"}).status_code == 303
    sf.refresh_from_db()
    assert sf.legal_hold and sf.legal_hold_reason == "诉讼"


def test_profile_pdf_for_the_legal_file(client, users, showcase):
    client.force_login(users["legal"])
    response = client.get(reverse("profiling:pdf", args=[showcase.debtor_id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content) if response.streaming else response.content
    assert data.startswith(b"%PDF")
    from io import BytesIO

    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
    assert "债务人画像" in text and "divorce_asset_transfer" in text


@pytest.mark.parametrize(
    ("role", "view", "ingest"),
    [
        ("admin", 200, 201),
        ("supervisor", 200, 201),
        ("collector", 200, 201),
        ("legal", 200, 201),
        ("compliance", 200, 403),
        ("auditor", 200, 403),
        ("creditor_viewer", 403, 403),
    ],
)
def test_api_permission_matrix(users, role, view, ingest, django_capture_on_commit_callbacks):
    case = case_with_debt(assigned_to=users["collector"])
    api = APIClient()
    api.force_authenticate(users[role])
    assert api.get(f"/api/v1/profiling/debtors/{case.debtor_id}/sources/").status_code == view
    with ALIPAY.open("rb") as fh, django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"/api/v1/profiling/debtors/{case.debtor_id}/sources/",
            {"file": fh, "basis": "contract"},
            format="multipart",
        )
    assert response.status_code == ingest, response.content


def test_api_upload_indicators_flags_and_catalogue(users, showcase, django_capture_on_commit_callbacks):
    api = APIClient()
    api.force_authenticate(users["supervisor"])
    with ALIPAY.open("rb") as fh, django_capture_on_commit_callbacks(execute=True):
        created = api.post(
            f"/api/v1/profiling/debtors/{showcase.debtor_id}/sources/",
            {"file": fh, "basis": "contract", "source": "alipay"},
            format="multipart",
        )
    assert created.status_code == 201
    detail = api.get(f"/api/v1/profiling/debtors/{showcase.debtor_id}/sources/{created.json()['id']}/").json()
    assert (detail["status"], detail["imported"]) == ("done", 10)
    with ALIPAY.open("rb") as fh:
        again = api.post(
            f"/api/v1/profiling/debtors/{showcase.debtor_id}/sources/",
            {"file": fh, "basis": "contract"},
            format="multipart",
        )
    assert again.status_code == 200 and again.json()["id"] == created.json()["id"]
    body = api.get(f"/api/v1/profiling/debtors/{showcase.debtor_id}/indicators/").json()
    assert set(body["values"]) == {i.code for i in ind.catalogue()}
    assert all(body["values"][code] is None for code in body["missing"])
    flags = api.get(f"/api/v1/profiling/debtors/{showcase.debtor_id}/flags/").json()
    assert any(f["flag"] == "income_consumption_gap" for f in flags)
    assert len(api.get("/api/v1/profiling/catalogue/").json()) == len(ind.catalogue())
    bad = api.post(
        f"/api/v1/profiling/debtors/{showcase.debtor_id}/sources/", {"basis": "contract"}, format="multipart"
    )
    assert bad.status_code == 400 and "file" in bad.json()["fields"]


def test_indicators_not_covered_by_a_legal_basis_are_not_computed(case):
    from qingzhai.profiling import profile, services

    services.source_upload(
        debtor=case.debtor,
        actor="t",
        data=ALIPAY.read_bytes(),
        filename="a.csv",
        basis="consent",
        purposes=["contact"],
    )
    services.source_ingest(source_id=SourceFile.objects.get().pk)
    built = profile.build(case.debtor_id)
    capacity = [i.code for i in ind.catalogue() if i.purpose == "capacity_assessment"]
    assert capacity and all(built.values[c] is None and built.reasons[c] == "not_permitted" for c in capacity)


def test_headline_codes_are_in_the_catalogue():
    from qingzhai.profiling.profile import HEADLINE

    assert set(HEADLINE) <= {i.code for i in ind.catalogue()}


def test_cli_readable_output_and_unknown_debtor(showcase):
    code, out = cli("indicators", "--debtor", str(showcase.debtor_id))
    assert code == 0 and "inc_cons_gap_ratio_36m" in out
    code, out = cli("flags", "--debtor", str(showcase.debtor_id))
    assert code == 0 and "divorce_asset_transfer" in out
    code, out = cli("indicators", "--debtor", "999999", "--json")
    assert code == 2 and json.loads(out)["code"] == "not_found"
    code, out = cli("flags", "--debtor", str(showcase.debtor_id), "--as-of", "2026-13-01", "--json")
    assert code == 2 and json.loads(out)["code"] == "as_of_invalid"
    code, out = cli("indicators", "--debtor", str(showcase.debtor_id), "--reasons", "--json")
    body = json.loads(out)
    assert set(body) == {"values", "missing"} and body["missing"]

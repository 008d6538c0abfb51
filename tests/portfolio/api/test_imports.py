"""Imports through the API: upload (202), validation progress and errors, confirm (202), the result."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from qingzhai.core.models import AuditEvent
from qingzhai.portfolio.models import Debt, ImportJob
from tests.factories import make_prc_id
from tests.portfolio.api.conftest import placement_csv


def upload(client, creditor_id: int, content: bytes, name: str = "placement.csv", **extra):
    data = {
        "creditor_id": creditor_id,
        "file": SimpleUploadedFile(name, content, content_type="text/csv"),
        **extra,
    }
    return client.post("/api/v1/imports/", data, format="multipart")


def test_upload_validate_confirm_import(world, users, api_for, django_capture_on_commit_callbacks):
    client = api_for("supervisor")
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(
            client,
            world.a.creditor.pk,
            placement_csv(2),
            portfolio_code="API-2026-11",
            placement_date="2026-11-01",
        )
    assert response.status_code == 202
    job = response.json()
    assert (job["status"], job["original_name"], job["creditor"]["id"]) == (
        "pending",
        "placement.csv",
        world.a.creditor.pk,
    )
    assert job["uploaded_by"]["id"] == users["supervisor"].pk
    stored = ImportJob.objects.get(pk=job["id"])
    assert (stored.options["portfolio_code"], stored.options["placement_date"]) == (
        "API-2026-11",
        "2026-11-01",
    )
    assert (
        AuditEvent.objects.filter(action="import.upload", source="api", entity_id=str(job["id"])).count() == 1
    )

    detail = client.get(f"/api/v1/imports/{job['id']}/").json()
    assert (detail["status"], detail["rows"], detail["error_count"], detail["errors"]) == (
        "validated",
        2,
        0,
        [],
    )
    assert detail["progress"] == {"done": 2, "total": 2, "percent": 100}
    assert [
        (p["row"], p["contract_no"], p["id_number_masked"], p["mobile_masked"]) for p in detail["preview"]
    ] == [
        (2, "IMP00500", make_prc_id(500)[:3] + "*" * 11 + make_prc_id(500)[-4:], "139****0500"),
        (3, "IMP00501", make_prc_id(501)[:3] + "*" * 11 + make_prc_id(501)[-4:], "139****0501"),
    ]
    assert (detail["preview"][0]["principal_fen"], detail["preview"][0]["principal"]) == (800_000, "8000.00")
    assert make_prc_id(500) not in client.get(f"/api/v1/imports/{job['id']}/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(f"/api/v1/imports/{job['id']}/confirm/")
    assert (confirmed.status_code, confirmed.json()["status"]) == (202, "importing")
    assert AuditEvent.objects.filter(action="import.confirm", source="api").count() == 1
    done = client.get(f"/api/v1/imports/{job['id']}/").json()
    assert (done["status"], done["imported"], done["portfolio"]["code"]) == ("done", 2, "API-2026-11")
    assert Debt.objects.filter(contract_no__in=["IMP00500", "IMP00501"]).count() == 2
    cases = client.get("/api/v1/cases/", {"q": "IMP00501"}).json()["results"]
    assert [c["debtor"]["name"] for c in cases] == ["李501"]


def test_row_errors_are_listed_in_the_request_language(world, api_for, django_capture_on_commit_callbacks):
    client = api_for("admin")
    bad_id = make_prc_id(700)[:-1] + ("0" if make_prc_id(700)[-1] != "0" else "1")
    content = f"合同编号,债务人姓名,证件号码,剩余本金\nE1,王一,{make_prc_id(701)},100\nE2,王二,{bad_id},100\n".encode()
    with django_capture_on_commit_callbacks(execute=True):
        job = upload(client, world.a.creditor.pk, content).json()
    detail = client.get(f"/api/v1/imports/{job['id']}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert (detail["status"], detail["rows"], detail["error_count"]) == ("validated", 2, 1)
    [error] = detail["errors"]
    assert (error["row"], error["column"], error["code"]) == (3, "证件号码", "id_checksum")
    assert error["message"].startswith("Wrong check digit in the PRC ID number")
    chinese = client.get(f"/api/v1/imports/{job['id']}/").json()["errors"][0]["message"]
    assert chinese.startswith("身份证号校验位错误")
    refused = client.post(f"/api/v1/imports/{job['id']}/confirm/")
    assert (refused.status_code, refused.json()["code"]) == (409, "import_has_errors")


def test_a_file_that_is_not_a_table_fails_its_validation(world, api_for, django_capture_on_commit_callbacks):
    client = api_for("supervisor")
    with django_capture_on_commit_callbacks(execute=True):
        job = upload(client, world.a.creditor.pk, b"\x00\x01\x02\xff\xfe binary", name="photo.xlsx").json()
    detail = client.get(f"/api/v1/imports/{job['id']}/").json()
    assert detail["status"] == "failed"
    assert detail["failure"] != ""
    assert (detail["rows"], detail["imported"]) == (0, 0)


def test_confirming_before_validation_is_a_conflict(world, api_for):
    client = api_for("supervisor")
    job = upload(client, world.a.creditor.pk, placement_csv(1)).json()  # validation not run yet
    response = client.post(f"/api/v1/imports/{job['id']}/confirm/")
    assert (response.status_code, response.json()["code"]) == (409, "import_not_validated")


def test_upload_refusals(world, api_for):
    client = api_for("supervisor")
    empty = upload(client, world.a.creditor.pk, b"")
    assert (empty.status_code, empty.json()["code"], set(empty.json()["fields"])) == (
        400,
        "invalid",
        {"file"},
    )
    no_file = client.post("/api/v1/imports/", {"creditor_id": world.a.creditor.pk}, format="multipart")
    assert (no_file.status_code, set(no_file.json()["fields"])) == (400, {"file"})
    bad_date = upload(client, world.a.creditor.pk, placement_csv(1), placement_date="2024/13/01")
    assert (bad_date.status_code, set(bad_date.json()["fields"])) == (400, {"placement_date"})
    unknown = upload(client, 987_654, placement_csv(1))
    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")
    assert ImportJob.objects.exclude(pk=world.job.pk).count() == 0


def test_import_jobs_of_others_are_visible_to_auditors_only_read_only(world, api_for):
    auditor = api_for("auditor")
    assert auditor.get(f"/api/v1/imports/{world.job.pk}/").status_code == 200
    response = auditor.post(f"/api/v1/imports/{world.job.pk}/confirm/")
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert api_for("supervisor").get("/api/v1/imports/999999/").status_code == 404

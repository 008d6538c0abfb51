"""The import pages: upload, progress, preview, errors, confirm, list; permissions; no 500 on bad files."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qingzhai.portfolio.models import Debt, ImportJob
from tests.portfolio.intake.helpers import csv_text, prc_id, row, wrong_check


@pytest.fixture
def client_as(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def post_file(client, creditor, content: bytes, name="p.csv", capture=None, **fields):
    data = {"creditor": creditor.pk, "file": SimpleUploadedFile(name, content), **fields}
    if capture is None:
        return client.post(reverse("web:import_new"), data)
    with capture(execute=True):
        return client.post(reverse("web:import_new"), data)


PAGES = [
    ("get", "web:import_list", False),
    ("get", "web:import_new", False),
    ("get", "web:import_detail", True),
    ("get", "web:import_progress", True),
    ("post", "web:import_confirm", True),
]


@pytest.mark.parametrize(("method", "name", "with_pk"), PAGES)
def test_pages_need_the_import_capability(client_as, users, creditor, method, name, with_pk):
    job = ImportJob.objects.create(creditor=creditor, original_name="a.csv", stored_path="imports/a.csv")
    url = reverse(name, args=[job.pk] if with_pk else [])
    for role in ("collector", "legal", "compliance", "auditor", "creditor_viewer"):
        response = getattr(client_as(users[role]), method)(url)
        assert response.status_code == 403, (role, response.status_code)
    response = getattr(client_as(users["supervisor"]), method)(url)
    assert response.status_code in (200, 303, 409)


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(reverse("web:import_list"))
    assert response.status_code == 302 and reverse("web:login") in response["Location"]


def test_upload_preview_confirm_result(client_as, supervisor, creditor, django_capture_on_commit_callbacks):
    client = client_as(supervisor)
    assert client.get(reverse("web:import_new")).status_code == 200
    content = csv_text([row(1), row(2)]).encode("utf-8")
    response = post_file(
        client, creditor, content, capture=django_capture_on_commit_callbacks, portfolio_code="WEB1"
    )
    assert response.status_code == 303
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("web:import_detail", args=[job.pk])

    page = client.get(response["Location"]).content.decode()
    assert 'data-status="validated"' in page
    assert 'data-testid="import-preview"' in page and "HT000001" in page
    assert prc_id(1) not in page and "138****0001" in page
    assert 'data-testid="import-confirm"' in page
    assert 'hx-trigger="every 1s"' not in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("web:import_confirm", args=[job.pk]))
    assert response.status_code == 303
    page = client.get(reverse("web:import_detail", args=[job.pk])).content.decode()
    assert 'data-testid="import-result"' in page and "WEB1" in page
    assert Debt.objects.count() == 2

    listing = client.get(reverse("web:import_list")).content.decode()
    assert "p.csv" in listing and 'data-testid="import-table"' in listing


def test_progress_polls_while_running_and_reloads_when_done(client_as, supervisor, creditor):
    client = client_as(supervisor)
    job = ImportJob.objects.create(
        creditor=creditor,
        original_name="a.csv",
        stored_path="imports/a.csv",
        status=ImportJob.Status.VALIDATING,
        progress_done=250,
        progress_total=1000,
    )
    partial = client.get(reverse("web:import_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert partial.status_code == 200 and 'hx-trigger="every 1s"' in body
    assert re.search(r'<progress max="1000" value="250"', body) and "(25%)" in body
    assert "HX-Refresh" not in partial
    page = client.get(reverse("web:import_detail", args=[job.pk])).content.decode()
    assert 'data-testid="import-refresh"' in page  # usable without JavaScript
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.VALIDATED)
    partial = client.get(reverse("web:import_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert partial["HX-Refresh"] == "true" and "hx-trigger" not in partial.content.decode()


def test_errors_are_listed_and_paginated(client_as, supervisor, creditor, django_capture_on_commit_callbacks):
    client = client_as(supervisor)
    rows = [row(n, 证件号码=wrong_check(prc_id(n))) for n in range(1, 61)]
    post_file(client, creditor, csv_text(rows).encode(), capture=django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.error_count == 60
    page = client.get(reverse("web:import_detail", args=[job.pk])).content.decode()
    assert page.count("身份证号校验位错误") == 50 and "?epage=2" in page
    assert 'data-testid="import-confirm"' not in page
    second = client.get(reverse("web:import_detail", args=[job.pk]) + "?epage=2").content.decode()
    assert second.count("身份证号校验位错误") == 10
    assert client.get(reverse("web:import_detail", args=[job.pk]) + "?epage=abc").status_code == 200
    english = client.get(reverse("web:import_detail", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Wrong check digit in the PRC ID number" in english.content.decode()
    response = client.post(reverse("web:import_confirm", args=[job.pk]))
    assert response.status_code == 409 and 'data-testid="confirm-error"' in response.content.decode()
    assert Debt.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        (b"", "empty.csv", None),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image.png", "PNG"),
        (b"PK\x03\x04broken", "broken.xlsx", "damaged"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old.xls", ".xls"),
        ("合同编号,姓名\nHT1,张三\n".encode(), "short.csv", "ID number"),
        ("姓名,姓名,证件号码,本金,合同编号\n".encode("gbk"), "dup.csv", "Duplicated headers"),
        (b"\xff" * 300, "noise.csv", "Cannot decode"),
    ],
)
def test_bad_files_never_give_a_server_error(
    client_as, supervisor, creditor, django_capture_on_commit_callbacks, content, name, words
):
    client = client_as(supervisor)
    response = post_file(client, creditor, content, name=name, capture=django_capture_on_commit_callbacks)
    assert response.status_code in (303, 400)
    if response.status_code == 303:
        job = ImportJob.objects.get()
        assert job.status == ImportJob.Status.FAILED and words in job.failure
        detail = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
        assert detail.status_code == 200 and 'data-testid="import-failure"' in detail.content.decode()
    else:
        assert ImportJob.objects.count() == 0


def test_too_large_upload_is_refused_on_the_form(client_as, supervisor, creditor, settings):
    settings.QINGZHAI_IMPORT_MAX_BYTES = 100
    client = client_as(supervisor)
    response = post_file(client, creditor, csv_text([row(1)]).encode())
    assert response.status_code == 400
    assert "文件过大" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_invalid_form_and_mapping(client_as, supervisor, creditor):
    client = client_as(supervisor)
    response = client.post(reverse("web:import_new"), {"creditor": creditor.pk})
    assert response.status_code == 400
    response = post_file(
        client,
        creditor,
        csv_text([row(1)]).encode(),
        mapping=SimpleUploadedFile("m.json", b"[1, 2]"),
        placement_date="2026-02-30",
    )
    assert response.status_code == 400 and ImportJob.objects.count() == 0


def test_list_is_paginated(client_as, supervisor, creditor):
    for n in range(30):
        ImportJob.objects.create(creditor=creditor, original_name=f"f{n}.csv", stored_path="imports/x")
    client = client_as(supervisor)
    first = client.get(reverse("web:import_list")).content.decode()
    assert first.count("<tr>") == 26 and "?page=2" in first
    second = client.get(reverse("web:import_list") + "?page=2").content.decode()
    assert second.count("<tr>") == 6


def test_a_job_missing_is_a_404(client_as, supervisor):
    assert client_as(supervisor).get(reverse("web:import_detail", args=[999])).status_code == 404
    assert io is not None

"""The dishonest-debtor list: import (multipart), the matches, clearing a match."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qingzhai.compliance.models import DishonestEntry, DishonestImport, DishonestMatch
from qingzhai.core import pii
from tests.factories import make_prc_id
from tests.portfolio.api.test_errors import assert_error

IMPORTS = "/api/v1/compliance/dishonest/imports/"
MATCHES = "/api/v1/compliance/dishonest/matches/"
HEADER = "被执行人姓名/名称,身份证号码/组织机构代码,执行案号,执行法院,发布时间"


def upload(lines: list[str], name: str = "失信名单.csv") -> dict:
    content = ("\n".join([HEADER, *lines]) + "\n").encode("utf-8")
    return {"file": SimpleUploadedFile(name, content, content_type="text/csv")}


def listed(world) -> list[str]:
    """Debtor A (by its real ID number) and a stranger."""
    return [
        f"{world.a.debtor.name},{pii.get_value(world.a.debtor, 'id_number')},(2025)京0105执1234号,北京市朝阳区人民法院,2025-06-01",
        f"陌生人,{make_prc_id(777)},(2025)沪0115执88号,上海市浦东新区人民法院,2025-07-15",
    ]


def test_import_matches_and_clear(world, api_for):
    client = api_for("compliance")
    response = client.post(IMPORTS, upload(listed(world)), format="multipart")
    assert response.status_code == 201, response.content
    batch = DishonestImport.objects.get()
    assert response.json() == {"import_id": batch.pk, "rows": 2, "added": 2, "unchanged": 0, "matched": 1}
    assert batch.original_name == "失信名单.csv"
    again = client.post(IMPORTS, upload(listed(world)), format="multipart").json()
    assert (again["added"], again["unchanged"], again["matched"]) == (0, 2, 0)
    rows = client.get(MATCHES).json()["results"]
    match = DishonestMatch.objects.get()
    assert len(rows) == 1
    row = rows[0]
    assert (row["id"], row["debtor"]["id"], row["entry"]["case_number"], row["entry"]["listed_on"]) == (
        match.pk,
        world.a.debtor.pk,
        "(2025)京0105执1234号",
        "2025-06-01",
    )
    assert row["debtor"]["id_number_masked"] == world.a.debtor.id_number_masked
    assert pii.get_value(world.a.debtor, "id_number") not in str(rows)
    cleared = client.post(
        f"{MATCHES}{match.pk}/clear/", {"reason": "同号不同人 different person"}, format="json"
    )
    assert cleared.status_code == 200
    assert (cleared.json()["cleared_reason"], cleared.json()["cleared_by"]["username"]) == (
        "同号不同人 different person",
        "compliance1",
    )
    assert client.get(MATCHES).json()["count"] == 0
    assert client.get(f"{MATCHES}?include_cleared=true").json()["count"] == 1
    twice = client.post(f"{MATCHES}{match.pk}/clear/", {"reason": "again"}, format="json")
    assert_error(twice, 409, "already_cleared")


def test_row_errors_import_nothing(world, api_for):
    lines = [
        *listed(world),
        f"王五,{make_prc_id(778)[:-1]}X,(2025)京01执9号,北京市第一中级人民法院,2025-02-30",
        ",,(2025)京01执10号,北京市第一中级人民法院,2025-03-01",
    ]
    response = api_for("admin").post(IMPORTS, upload(lines), format="multipart")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_invalid"
    assert set(body) == {"code", "message", "fields", "errors"}
    assert [(e["row"], e["column"], e["code"]) for e in body["errors"]] == [
        (4, "证件号码 id_number", "id_checksum"),
        (4, "发布日期 listed_on", "date_impossible"),
        (5, "被执行人姓名/名称 name", "required"),
        (5, "证件号码 id_number", "required"),
    ]
    assert len(body["fields"]["file"]) == 4
    assert (DishonestImport.objects.count(), DishonestEntry.objects.count()) == (0, 0)


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"name,court\nx,y\n", "missing_columns"),
        (HEADER.encode() + b"\n", "no_rows"),
        (b"%PDF-1.4 not a table", "not_a_table"),
        (b"", "invalid"),
    ],
)
def test_unusable_files(content, code, world, api_for):
    data = {"file": SimpleUploadedFile("list.csv", content, content_type="text/csv")}
    response = api_for("compliance").post(IMPORTS, data, format="multipart")
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert not DishonestImport.objects.exists()


def test_missing_file_and_reason(world, api_for):
    assert_error(api_for("compliance").post(IMPORTS, {}, format="multipart"), 400, "invalid", {"file"})
    api_for("compliance").post(IMPORTS, upload(listed(world)), format="multipart")
    match = DishonestMatch.objects.get()
    response = api_for("compliance").post(f"{MATCHES}{match.pk}/clear/", {"reason": ""}, format="json")
    assert_error(response, 400, "invalid", {"reason"})
    assert_error(
        api_for("compliance").post(f"{MATCHES}999999/clear/", {"reason": "x"}, format="json"),
        404,
        "not_found",
    )


@pytest.mark.parametrize(
    ("role", "read", "write"),
    [
        ("supervisor", 200, 403),
        ("auditor", 200, 403),
        ("collector", 403, 403),
        ("legal", 403, 403),
        ("creditor_viewer", 403, 403),
    ],
)
def test_dishonest_permissions(role, read, write, world, api_for):
    api_for("compliance").post(IMPORTS, upload(listed(world)), format="multipart")
    match = DishonestMatch.objects.get()
    client = api_for(role)
    assert client.get(MATCHES).status_code == read
    assert_error(client.post(IMPORTS, upload(listed(world)), format="multipart"), write, "permission_denied")
    assert_error(
        client.post(f"{MATCHES}{match.pk}/clear/", {"reason": "x"}, format="json"), write, "permission_denied"
    )
    assert DishonestImport.objects.count() == 1
    assert DishonestMatch.objects.get().cleared_at is None

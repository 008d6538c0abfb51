"""The dishonest-debtor list page: upload (all or nothing, row errors), matches, clearing a match."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qingzhai.compliance.models import DishonestEntry, DishonestImport, DishonestMatch
from tests.factories import make_prc_id

pytestmark = pytest.mark.django_db

PAGE = reverse("compliance:dishonest")
UPLOAD = reverse("compliance:dishonest_upload")
HEADER = "被执行人姓名/名称,证件号码,案号,执行法院,发布日期\n"


def csv_file(body: str, name: str = "list.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (HEADER + body).encode("utf-8"), content_type="text/csv")


def test_upload_imports_and_matches_the_debtor(login, users, case, plain_id):
    client = login(users["compliance"])
    other = make_prc_id(999)
    body = f"{case.debtor.name},{plain_id},(2025)京0105执123号,北京市朝阳区人民法院,2025-06-01\n"
    body += f"李四,{other},(2025)京0105执456号,北京市朝阳区人民法院,2025-07-01\n"
    response = client.post(UPLOAD, {"file": csv_file(body)})
    assert (response.status_code, response["Location"]) == (303, PAGE)
    assert (DishonestEntry.objects.count(), DishonestMatch.objects.count()) == (2, 1)
    page = client.get(PAGE)
    html = page.content.decode()
    assert "名单已导入：共 2 行，新增 2 条，已有 0 条，新匹配 1 个债务人" in html
    rows = page.context["rows"]
    assert [(r["row"].debtor.pk, r["row"].entry.case_number, r["case_id"]) for r in rows] == [
        (case.debtor.pk, "(2025)京0105执123号", case.pk)
    ]
    assert plain_id not in html
    assert case.debtor.id_number_masked in html
    assert "北京市朝阳区人民法院" in html and "2025-06-01" in html
    # The case page shows the match too.
    case_html = client.get(reverse("web:case", args=[case.pk])).content.decode()
    assert 'data-testid="case-dishonest"' in case_html and "(2025)京0105执123号" in case_html


def test_row_errors_are_listed_and_nothing_is_written(login, users, plain_id):
    client = login(users["compliance"])
    body = f"张三,{plain_id},(2025)京0105执123号,北京市朝阳区人民法院,2025-06-01\n"
    body += ",110105198805170000,,北京市朝阳区人民法院,2025-13-01\n"
    response = client.post(UPLOAD, {"file": csv_file(body)})
    assert response.status_code == 400
    errors = [(e.row, e.column) for e in response.context["import_errors"]]
    assert errors == [
        (3, "被执行人姓名/名称 name"),
        (3, "案号 case_number"),
        (3, "证件号码 id_number"),
        (3, "发布日期 listed_on"),
    ]
    html = response.content.decode()
    assert 'data-testid="import-errors"' in html
    assert "文件有 4 处错误，未导入任何数据" in html
    assert (DishonestImport.objects.count(), DishonestEntry.objects.count()) == (0, 0)


def test_a_file_without_the_columns_or_of_another_kind_is_a_form_error(login, users):
    client = login(users["compliance"])
    bad_header = SimpleUploadedFile("list.csv", "姓名,电话\n张三,138\n".encode(), content_type="text/csv")
    response = client.post(UPLOAD, {"file": bad_header})
    assert response.status_code == 400
    [message] = response.context["upload_form"].errors["file"]
    assert message.startswith("缺少列：")
    response = client.post(
        UPLOAD, {"file": SimpleUploadedFile("list.pdf", b"%PDF-1.4", content_type="application/pdf")}
    )
    assert response.status_code == 400
    assert response.context["upload_form"].errors == {"file": ["请上传 CSV 或 XLSX 文件"]}
    response = client.post(UPLOAD, {})
    assert response.context["upload_form"].errors == {"file": ["此项必填"]}
    assert DishonestImport.objects.count() == 0


def test_clear_a_match_with_a_reason(login, users, case, plain_id):
    client = login(users["compliance"])
    body = f"{case.debtor.name},{plain_id},(2025)京0105执123号,北京市朝阳区人民法院,2025-06-01\n"
    client.post(UPLOAD, {"file": csv_file(body)})
    match = DishonestMatch.objects.get()
    url = reverse("compliance:dishonest_clear", args=[match.pk])
    response = client.post(url, {"reason": " "})
    assert response.status_code == 400
    assert 'data-testid="clear-error">解除匹配 #' in response.content.decode()
    assert DishonestMatch.objects.get().cleared_at is None
    response = client.post(url, {"reason": "同号不同人，已核实"})
    assert response.status_code == 303
    match.refresh_from_db()
    assert match.cleared_reason == "同号不同人，已核实"
    assert client.get(PAGE).context["rows"] == []
    assert [r["row"].match.pk for r in client.get(PAGE, {"cleared": "1"}).context["rows"]] == [match.pk]
    assert client.post(url, {"reason": "再解除一次"}).status_code == 409


def test_supervisor_and_auditor_read_but_cannot_upload_or_clear(login, users, case, plain_id):
    body = f"{case.debtor.name},{plain_id},(2025)京0105执123号,北京市朝阳区人民法院,2025-06-01\n"
    login(users["compliance"]).post(UPLOAD, {"file": csv_file(body)})
    match = DishonestMatch.objects.get()
    for role in ("supervisor", "auditor"):
        client = login(users[role])
        page = client.get(PAGE)
        assert page.status_code == 200
        html = page.content.decode()
        assert 'data-testid="dishonest-upload"' not in html
        assert f'data-testid="clear-match-{match.pk}"' not in html
        assert client.post(UPLOAD, {"file": csv_file(body)}).status_code == 403
        assert (
            client.post(reverse("compliance:dishonest_clear", args=[match.pk]), {"reason": "x"}).status_code
            == 403
        )


def test_empty_state(login, users):
    html = login(users["auditor"]).get(PAGE).content.decode()
    assert 'data-testid="empty-state"' in html


def test_a_debtor_imported_after_the_list_is_shown_then_recorded_and_cleared(login, users, plain_id):
    from qingzhai.core import pii
    from tests.factories import case_with_debt

    client = login(users["compliance"])
    body = f"后来者,{make_prc_id(321)},(2025)京0105执9号,北京市朝阳区人民法院,2025-06-01\n"
    assert client.post(UPLOAD, {"file": csv_file(body)}).status_code == 303
    later = case_with_debt()
    pii.set_value(later.debtor, "id_number", make_prc_id(321))
    later.debtor.save()
    html = client.get(PAGE).content.decode()
    assert "待登记" in html and f'data-testid="record-match-{later.debtor.pk}-' in html
    response = client.post(reverse("compliance:dishonest_recheck"))
    assert (response.status_code, response["Location"]) == (303, PAGE)
    match = DishonestMatch.objects.get(debtor=later.debtor)
    response = client.post(reverse("compliance:dishonest_clear", args=[match.pk]), {"reason": "同号不同人"})
    assert response.status_code == 303
    match.refresh_from_db()
    assert match.cleared_reason == "同号不同人"
    assert client.post(reverse("compliance:dishonest_recheck")).status_code == 303
    assert login(users["supervisor"]).post(reverse("compliance:dishonest_recheck")).status_code == 403

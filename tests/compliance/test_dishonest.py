"""The dishonest-debtor list: import all-or-nothing, match by blind index, the gate routes to enforcement."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from qingzhai.compliance import services
from qingzhai.compliance.inputs import debtor_facts
from qingzhai.compliance.models import DishonestEntry, DishonestImport, DishonestMatch
from qingzhai.compliance.selectors import case_dishonest, dishonest_matches
from qingzhai.core import pii
from qingzhai.core.errors import AccessDenied, DomainError
from tests.factories import case_with_debt

HEADER = "被执行人姓名/名称,身份证号码/组织机构代码,案号,执行法院,发布时间\n"


def write(tmp_path, body: str, name: str = "list.csv"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def id_of(case) -> str:
    return pii.get_value(case.debtor, "id_number")


@pytest.fixture
def officer(users):
    return users["compliance"]


def test_import_matches_debtors_and_the_gate_routes_to_enforcement(tmp_path, officer, collector, case):
    path = write(
        tmp_path,
        f"{case.debtor.name},{id_of(case)},(2025)沪0115执1234号,上海市浦东新区人民法院,2025-06-01\n"
        "某某科技有限公司,91310115MA1H7GTB69,(2024)沪0104执99号,上海市徐汇区人民法院,2024/12/3\n",
    )
    result = services.dishonest_import(actor=officer, path=path)
    assert (result.rows, result.added, result.unchanged, result.matched, result.errors) == (2, 2, 0, 1, [])
    assert DishonestMatch.objects.get().debtor_id == case.debtor_id
    assert debtor_facts(case).dishonest_listed is True
    assert [r.entry.case_number for r in case_dishonest(case=case)] == ["(2025)沪0115执1234号"]
    first = services.contact_clear(
        actor=collector,
        case_id=case.pk,
        kind="call",
        contact_point_id=case.debtor.contact_points.first().pk,
        at=datetime(2026, 11, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai")),
    )
    assert (first.allowed, first.route) == (True, "enforcement")
    # importing the same file again adds nothing and finds nothing new
    again = services.dishonest_import(actor=officer, path=path)
    assert (again.added, again.unchanged, again.matched) == (0, 2, 0)


def test_a_debtor_imported_after_the_list_is_matched_at_once(tmp_path, officer):
    from tests.factories import make_prc_id

    later_id = make_prc_id(777)
    services.dishonest_import(
        actor=officer,
        path=write(tmp_path, f"李四,{later_id},(2025)京0105执1号,北京市朝阳区人民法院,2025-01-02\n"),
    )
    case = case_with_debt()
    pii.set_value(case.debtor, "id_number", later_id)
    case.debtor.save()
    assert debtor_facts(case).dishonest_listed is True
    assert services.dishonest_recheck(actor=officer) == 1


def test_row_errors_name_row_and_column_and_nothing_is_written(tmp_path, officer, case):
    path = write(
        tmp_path,
        f"{case.debtor.name},{id_of(case)},(2025)沪0115执1234号,上海市浦东新区人民法院,2025-06-01\n"
        "王五,110105198805170001,(2025)沪0115执1235号,上海市浦东新区人民法院,2025-06-01\n"
        ",110105198805170019,,上海市浦东新区人民法院,2025-13-01\n",
    )
    result = services.dishonest_import(actor=officer, path=path)
    assert [(e.row, e.column, e.code) for e in result.errors] == [
        (3, "证件号码 id_number", "id_checksum"),
        (4, "被执行人姓名/名称 name", "required"),
        (4, "案号 case_number", "required"),
        (4, "证件号码 id_number", "id_checksum"),
        (4, "发布日期 listed_on", "date_impossible"),
    ]
    assert not DishonestEntry.objects.exists() and not DishonestImport.objects.exists()


def test_duplicate_rows_and_missing_columns(tmp_path, officer, case):
    row = f"{case.debtor.name},{id_of(case)},(2025)沪0115执1234号,上海市浦东新区人民法院,2025-06-01\n"
    result = services.dishonest_import(actor=officer, path=write(tmp_path, row + row))
    assert [(e.row, e.code) for e in result.errors] == [(3, "duplicate_row")]
    bad = tmp_path / "bad.csv"
    bad.write_text("姓名,案号\n张三,(2025)1号\n", encoding="utf-8")
    with pytest.raises(DomainError) as caught:
        services.dishonest_import(actor=officer, path=bad)
    assert caught.value.code == "missing_columns"
    assert caught.value.fields == {"file": ["证件号码 id_number", "执行法院 court", "发布日期 listed_on"]}


def test_only_compliance_imports_and_clears(tmp_path, officer, supervisor, case):
    path = write(
        tmp_path, f"{case.debtor.name},{id_of(case)},(2025)沪1号,上海市第一中级人民法院,2025-06-01\n"
    )
    with pytest.raises(AccessDenied):
        services.dishonest_import(actor=supervisor, path=path)
    services.dishonest_import(actor=officer, path=path)
    match = DishonestMatch.objects.get()
    with pytest.raises(AccessDenied):
        services.dishonest_match_clear(actor=supervisor, match_id=match.pk, reason="x")
    services.dishonest_match_clear(actor=officer, match_id=match.pk, reason="同号不同人，已核实")
    assert debtor_facts(case).dishonest_listed is False
    assert dishonest_matches(user=officer) == []
    assert len(dishonest_matches(user=officer, include_cleared=True)) == 1

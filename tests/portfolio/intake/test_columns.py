"""Headers in Chinese and English, compared loosely; mappings for other layouts."""

from __future__ import annotations

import json

import pytest

from qingzhai.portfolio.intake import UnusableInput
from qingzhai.portfolio.intake.columns import ALIASES, FIELDS, field_for_header, map_columns, normalise_header
from qingzhai.portfolio.models import Debt
from tests.portfolio.intake.helpers import prc_id, write_csv


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("合同编号", "contract_no"),
        (" Contract No. ", "contract_no"),
        ("CONTRACT_NO", "contract_no"),
        ("合同编号(contract_no)", "contract_no"),
        ("*合同编号", "contract_no"),
        ("身份证号码", "id_number"),
        ("ID Number", "id_number"),
        ("统一社会信用代码", "id_number"),
        ("本金（元）", "principal"),
        ("Principal", "principal"),
        ("年利率(%)", "annual_rate"),
        ("逾期日期", "overdue_since"),
        ("手 机 号", "mobile"),
        ("emergency_phone", "emergency_phone"),
        ("Ｍｏｂｉｌｅ", "mobile"),
        ("备注", None),
    ],
)
def test_headers_are_recognised(header, field):
    assert field_for_header(header) == field


def test_every_field_answers_to_its_key_and_both_labels():
    for f in FIELDS:
        assert {ALIASES[normalise_header(n)] for n in (f.key, f.zh, f.en, f.template_header)} == {f.key}


def test_unknown_columns_are_reported_and_ignored():
    columns = map_columns(["合同编号", "姓名", "证件号码", "本金", "备注", ""])
    assert columns.ignored == ["备注"]
    assert columns.as_dict() == {
        "合同编号": "contract_no",
        "姓名": "debtor_name",
        "证件号码": "id_number",
        "本金": "principal",
    }


def test_mapping_file_for_another_layout(tmp_path, run_import):
    header = ["Loan Ref", "Client", "Cert", "Outstanding", "备注"]
    path = tmp_path / "other.csv"
    path.write_text(",".join(header) + "\n" + f"L-1,张三,{prc_id(1)},1000.00,VIP\n", encoding="utf-8")
    mapping = {
        "Loan Ref": "contract_no",
        "client": "debtor_name",
        "CERT": "证件号码",
        "outstanding": "principal",
    }
    result = run_import(path, mapping=mapping)
    assert result.imported == 1
    assert result.columns == {
        "Loan Ref": "contract_no",
        "Client": "debtor_name",
        "Cert": "id_number",
        "Outstanding": "principal",
    }
    assert Debt.objects.get().principal_fen == 100_000
    # A mapping can also switch a recognised column off.
    with pytest.raises(UnusableInput) as exc:
        run_import(path, mapping={**mapping, "Cert": None})
    assert exc.value.code == "missing_columns"


def test_mapping_to_an_unknown_field(tmp_path, run_import):
    path = write_csv(tmp_path / "p.csv", [])
    with pytest.raises(UnusableInput) as exc:
        run_import(path, mapping={"Loan Ref": "loan_reference"})
    assert exc.value.code == "mapping_invalid"
    assert "Loan Ref → loan_reference" in exc.value.en
    with pytest.raises(UnusableInput):
        run_import(path, mapping=json.loads('["not", "an", "object"]'))

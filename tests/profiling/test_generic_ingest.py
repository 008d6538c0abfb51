"""A bank statement of any layout, ingested with a column-mapping file (CLI, service): the mapping is
required, checked up front with a clear error, and kept with the source for the ingestion job."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from qingzhai.cli import app
from qingzhai.cli import profile as _profile_command  # noqa: F401  (registers the commands)
from qingzhai.core.errors import DomainError
from qingzhai.profiling import services
from qingzhai.profiling.models import SourceFile, Transaction

pytestmark = pytest.mark.django_db
runner = CliRunner()
STATEMENT = (
    "某某农商银行 账户明细\n"
    "记账时间,借贷,发生额,对方名称,摘要\n"
    "2025-03-01 09:00:00,贷,8000.00,某科技有限公司,工资\n"
    "2025-03-02 12:30:00,借,120.50,某超市,消费\n"
    "2025-03-05 18:00:00,借,abc,某餐厅,消费\n"
).encode("gb18030")
MAPPING = (
    "time: 记账时间\namount: 发生额\ndirection:\n  column: 借贷\n  in: [贷]\n  out: [借]\n"
    "counterparty: 对方名称\nmemo: 摘要\n"
)


def test_cli_ingests_a_generic_statement_with_its_mapping(case, tmp_path):
    statement = tmp_path / "statement.csv"
    statement.write_bytes(STATEMENT)
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    args = ["profile", "ingest", "--debtor", str(case.debtor_id), "--source", "bank:generic", str(statement)]
    result = runner.invoke(app, [*args, "--mapping", str(mapping), "--json"])
    out = json.loads(result.output)
    assert result.exit_code == 1  # one row has errors; the others are imported
    assert (out["rows"], out["imported"], out["error_count"]) == (3, 2, 1)
    assert out["errors"][0]["row"] == 5 and out["errors"][0]["field"] == "发生额"
    income = Transaction.objects.get(debtor=case.debtor, direction="in")
    assert (income.amount_fen, income.counterparty, income.nature) == (800_000, "某科技有限公司", "income")
    assert SourceFile.objects.get().meta["mapping"]["time"] == "记账时间"


def test_mapping_is_required_checked_and_only_for_generic(case):
    upload = dict(debtor=case.debtor, actor="t", data=STATEMENT, filename="s.csv", basis="contract")
    with pytest.raises(DomainError) as caught:
        services.source_upload(**upload, source="bank:generic")
    assert caught.value.code == "profile_mapping_missing"
    with pytest.raises(DomainError) as caught:
        services.source_upload(**upload, source="bank:generic", mapping=b"time: [unclosed")
    assert caught.value.code == "profile_mapping_invalid"
    with pytest.raises(DomainError) as caught:
        services.source_upload(**upload, source="bank:generic", mapping="time: 记账时间\n")
    assert caught.value.code == "profile_mapping_invalid" and "amount" in caught.value.en
    with pytest.raises(DomainError) as caught:
        services.source_upload(**upload, source="alipay", mapping=MAPPING)
    assert caught.value.code == "profile_mapping_unexpected"
    assert not SourceFile.objects.exists()

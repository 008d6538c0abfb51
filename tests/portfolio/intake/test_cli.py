"""`qingzhai import portfolio`: JSON output and exit status 0 / 1 / 2."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from qingzhai.cli import app
from qingzhai.cli import imports as _import_commands  # noqa: F401  (registers the command)
from qingzhai.portfolio.models import Debt, Portfolio
from tests.portfolio.intake.helpers import prc_id, row, write_csv, wrong_check

runner = CliRunner()


def invoke(*args):
    result = runner.invoke(app, ["import", "portfolio", *map(str, args)])
    return result.exit_code, result.output


def test_json_success_then_idempotent(tmp_path, creditor):
    path = write_csv(tmp_path / "p.csv", [row(1), row(2)])
    code, out = invoke(
        path, "--creditor", "ICBC", "--portfolio", "P1", "--placement-date", "2026-11-01", "--json"
    )
    assert code == 0, out
    data = json.loads(out)
    assert {k: data[k] for k in ("rows", "imported", "updated", "unchanged", "errors")} == {
        "rows": 2,
        "imported": 2,
        "updated": 0,
        "unchanged": 0,
        "errors": [],
    }
    assert Portfolio.objects.get().code == "P1"
    code, out = invoke(path, "--creditor", "工商银行北京分行", "--portfolio", "P1", "--json")
    assert code == 0 and json.loads(out)["unchanged"] == 2


def test_row_errors_exit_1(tmp_path, creditor):
    path = write_csv(tmp_path / "p.csv", [row(1), row(2, 证件号码=wrong_check(prc_id(2)))])
    code, out = invoke(path, "--creditor", "ICBC", "--json")
    assert code == 1
    data = json.loads(out)
    assert data["imported"] == 0 and len(data["errors"]) == 1
    assert {k: data["errors"][0][k] for k in ("row", "column")} == {"row": 3, "column": "证件号码"}
    assert data["errors"][0]["message"].startswith("身份证号校验位错误")
    assert Debt.objects.count() == 0
    code, out = invoke(path, "--creditor", "ICBC", "--skip-invalid", "--json")
    assert code == 1 and json.loads(out)["imported"] == 1


def test_unusable_input_exit_2(tmp_path, creditor):
    path = tmp_path / "x.csv"
    path.write_bytes(b"")
    code, out = invoke(path, "--creditor", "ICBC", "--json")
    assert code == 2 and json.loads(out)["code"] == "empty_file"
    path.write_bytes(b"\x89PNG\r\n\x1a\n....")
    code, out = invoke(path, "--creditor", "ICBC", "--json")
    assert code == 2 and json.loads(out)["code"] == "not_a_table"
    code, out = invoke(tmp_path / "missing.csv", "--creditor", "ICBC", "--json")
    assert code == 2 and json.loads(out)["code"] == "file_not_found"


def test_unknown_creditor(tmp_path, creditor):
    path = write_csv(tmp_path / "p.csv", [row(1)])
    code, out = invoke(path, "--creditor", "NOPE", "--json")
    assert code == 2
    data = json.loads(out)
    assert data["code"] == "creditor_unknown" and "ICBC" in data["message"]


def test_dry_run_mapping_and_human_output(tmp_path, creditor):
    path = tmp_path / "other.csv"
    path.write_text(f"Ref,Who,Cert,Owed,Note\nL-1,张三,{prc_id(1)},1000,x\n", encoding="utf-8")
    mapping = tmp_path / "map.json"
    mapping.write_text(
        json.dumps({"Ref": "contract_no", "Who": "debtor_name", "Cert": "id_number", "Owed": "principal"})
    )
    code, out = invoke(path, "--creditor", "ICBC", "--mapping", mapping, "--dry-run")
    assert code == 0, out
    assert "Note" in out and "试运行" in out
    assert Debt.objects.count() == 0
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    code, out = invoke(path, "--creditor", "ICBC", "--mapping", bad, "--json")
    assert code == 2 and json.loads(out)["code"] == "mapping_invalid"
    code, out = invoke(path, "--creditor", "ICBC", "--placement-date", "2024-02-30", "--json")
    assert code == 2 and json.loads(out)["code"] == "options_invalid"

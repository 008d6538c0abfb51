"""`qingzhai legal fees | interest | late-interest`: JSON shapes, tables, bilingual exit-2 errors, no Django."""

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from qingzhai.cli import app
from qingzhai.cli import legal as _legal_commands  # noqa: F401  (registers the commands)

runner = CliRunner()


def _json(args):
    result = runner.invoke(app, ["legal", *args, "--json"])
    return result.exit_code, json.loads(result.stdout)


def test_fees_json_is_exactly_the_five_decimal_strings():
    code, out = _json(["fees", "--amount", "100000"])
    assert code == 0
    assert out == {
        "acceptance": "2300.00",
        "acceptance_halved": "1150.00",
        "payment_order": "766.67",
        "enforcement": "1400.00",
        "preservation": "1020.00",
    }


def test_fees_yuan_rounding():
    code, out = _json(["fees", "--amount", "8000", "--rounding", "yuan"])
    assert code == 0 and out["payment_order"] == "17.00"


def test_fees_table_is_bilingual():
    result = runner.invoke(app, ["legal", "fees", "--amount", "1000000"])
    assert result.exit_code == 0
    assert "案件受理费" in result.stdout and "acceptance fee" in result.stdout
    assert "13,800.00" in result.stdout and "5,000.00" in result.stdout


@pytest.mark.parametrize(
    ("args", "code", "field"),
    [
        (["fees", "--amount", "abc"], "amount_invalid", "amount"),
        (["fees", "--amount", "0"], "amount_not_positive", "amount"),
        (["fees", "--amount", "-1"], "amount_negative", "amount"),
        (["fees", "--amount", "10", "--rounding", "jiao"], "rounding_invalid", "rounding"),
        (["late-interest", "--principal", "100", "--days", "x"], "days_invalid", "days"),
        (
            [
                "interest",
                "--principal",
                "1",
                "--rate",
                "5",
                "--from",
                "2024-13-01",
                "--to",
                "2025-01-01",
                "--contract-date",
                "2024-01-01",
            ],
            "date_impossible",
            "from",
        ),
        (
            [
                "interest",
                "--principal",
                "1",
                "--rate",
                "5",
                "--from",
                "2024-01-01",
                "--to",
                "2025-01-01",
                "--contract-date",
                "2018-01-01",
            ],
            "lpr_before_first",
            "date",
        ),
    ],
)
def test_bad_input_exits_2_with_a_bilingual_json_error(args, code, field):
    result = runner.invoke(app, ["legal", *args, "--json"])
    assert result.exit_code == 2
    out = json.loads(result.stdout)
    assert out["code"] == code and list(out["fields"]) == [field]
    assert (
        out["message_zh"]
        and out["message_en"]
        and out["message"] == f"{out['message_zh']} / {out['message_en']}"
    )


def test_bad_input_without_json_prints_both_languages_and_no_traceback():
    result = runner.invoke(app, ["legal", "fees", "--amount", "abc"])
    assert result.exit_code == 2
    assert "金额格式不对" in result.output and "Not an amount" in result.output
    assert "Traceback" not in result.output


def test_interest_json_private_capped():
    code, out = _json(
        ["interest", "--principal", "100000", "--rate", "18", "--penalty-rate", "6", "--from", "2024-09-01",
         "--to", "2025-09-01", "--contract-date", "2024-09-01"]
    )  # fmt: skip
    assert code == 0
    assert (out["combined_rate"], out["cap_rate"], out["capped"], out["applied_rate"]) == (
        "24.00",
        "13.40",
        True,
        "13.40",
    )
    assert (out["lpr_1y"], out["lpr_effective"], out["days"], out["interest"]) == (
        "3.35",
        "2024-07-22",
        365,
        "13400.00",
    )


def test_interest_json_licensed_compound():
    code, out = _json(
        ["interest", "--principal", "100000", "--rate", "12", "--from", "2025-01-01", "--to", "2025-04-01",
         "--contract-date", "2024-12-01", "--lender", "licensed", "--compound"]
    )  # fmt: skip
    assert code == 0
    assert (out["method"], out["capped"], out["cap_rate"], out["interest"]) == (
        "compound",
        False,
        None,
        "2988.15",
    )


def test_interest_table():
    result = runner.invoke(
        app,
        ["legal", "interest", "--principal", "100000", "--rate", "20", "--from", "2024-09-01", "--to",
         "2025-09-01", "--contract-date", "2024-09-01"],
    )  # fmt: skip
    assert result.exit_code == 0
    assert "合同利息" in result.stdout and "13.40%" in result.stdout and "13400.00" in result.stdout


def test_late_interest_json_and_table():
    code, out = _json(["late-interest", "--principal", "100000", "--days", "30"])
    assert code == 0 and out["amount"] == "525.00" and out["days"] == 30
    result = runner.invoke(app, ["legal", "late-interest", "--principal", "100000", "--days", "30"])
    assert result.exit_code == 0 and "525.00" in result.stdout and "加倍部分" in result.stdout


def test_calculators_do_not_set_up_django():
    script = (
        "import json, django.apps\n"
        "from typer.testing import CliRunner\n"
        "from qingzhai.cli import app\n"
        "import qingzhai.cli.legal\n"
        "r = CliRunner()\n"
        "outs = [r.invoke(app, a) for a in (['legal','fees','--amount','8000','--json'],"
        "['legal','late-interest','--principal','1','--days','1','--json'],"
        "['legal','interest','--principal','1','--rate','1','--from','2024-01-01','--to','2024-02-01',"
        "'--contract-date','2024-01-01','--json'])]\n"
        "print(json.dumps([[o.exit_code for o in outs], django.apps.apps.ready]))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [[0, 0, 0], False]

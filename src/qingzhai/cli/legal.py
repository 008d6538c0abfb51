"""`qingzhai legal ...`: court fees, interest, late-performance interest, limitation periods.

The calculator commands (fees, interest, late-interest) need no database and never set up Django.
Exit status: 0 done; 2 unusable input, with the message in Chinese and English and never a traceback.
"""

from __future__ import annotations

import json
from typing import NoReturn

import typer
from rich.console import Console
from rich.table import Table

from qingzhai.cli import app
from qingzhai.cli.errors import fail

legal_app = typer.Typer(help="法律追偿计算 / legal recovery calculators", no_args_is_help=True)
app.add_typer(legal_app, name="legal")
console = Console()

FEE_LABELS = {
    "acceptance": "案件受理费 / acceptance fee",
    "acceptance_halved": "减半收取 / halved (simple procedure, mediation, withdrawal)",
    "payment_order": "支付令申请费 / payment order (1/3)",
    "enforcement": "执行申请费 / enforcement application",
    "preservation": "保全申请费 / preservation application (cap 5,000)",
}


def fail_input(as_json: bool, exc: Exception) -> NoReturn:
    from qingzhai.legal.fees import LegalInputError

    if isinstance(exc, LegalInputError):
        fail(as_json, exc.code, exc.zh, exc.en, {exc.field: [exc.message]})
    fail(as_json, "error", f"出错：{exc}", f"Error: {exc}")


def _table(title: str, rows: list[tuple[str, str]]) -> None:
    table = Table(title=title)
    table.add_column("项目 / item")
    table.add_column("值 / value", justify="right")
    for label, value in rows:
        table.add_row(label, value)
    console.print(table)


@legal_app.command("fees")
def fees_command(
    amount: str = typer.Option(..., "--amount", help="诉讼标的额（元）/ claim amount (yuan)"),
    rounding: str = typer.Option("fen", "--rounding", help="取整 / rounding: fen | yuan"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
) -> None:
    """诉讼费用 / court fees (《诉讼费用交纳办法》): {"acceptance", "acceptance_halved", "payment_order",
    "enforcement", "preservation"} as 2-place decimal strings."""
    from qingzhai.legal.fees import FEE_KEYS, LegalInputError, fees

    try:
        result = fees(amount, rounding=rounding)
    except LegalInputError as exc:
        fail_input(as_json, exc)
    if as_json:
        print(json.dumps({key: str(result[key]) for key in FEE_KEYS}, ensure_ascii=False))
        return
    _table(
        f"诉讼费用 / court fees — 标的额 / claim ¥{amount}（{rounding}）",
        [(FEE_LABELS[key], f"{result[key]:,}") for key in FEE_KEYS],
    )


@legal_app.command("interest")
def interest_command(
    principal: str = typer.Option(..., "--principal", help="本金（元）/ principal (yuan)"),
    rate: str = typer.Option(..., "--rate", help="约定年利率 % / agreed annual rate %"),
    start: str = typer.Option(..., "--from", help="起算日（含）/ first day (inclusive)"),
    end: str = typer.Option(..., "--to", help="截止日（不含）/ end day (exclusive)"),
    contract_date: str = typer.Option(..., "--contract-date", help="合同成立日 / contract date"),
    lender: str = typer.Option("private", "--lender", help="private（民间借贷）| licensed（持牌机构）"),
    penalty_rate: str = typer.Option("0", "--penalty-rate", help="违约金/罚息年利率 % / penalty rate %"),
    other_rate: str = typer.Option("0", "--other-rate", help="其他费用折合年利率 % / other charges %"),
    compound: bool = typer.Option(False, "--compound", help="复利 / compound"),
    compound_months: int = typer.Option(1, "--compound-months", help="复利周期（月）/ months per period"),
    day_basis: int = typer.Option(365, "--day-basis", help="365 | 360"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
) -> None:
    """合同利息（含法定上限）/ contract interest over [from, to), capped for private lending at
    4 × the one-year LPR in force on the contract date."""
    from qingzhai.legal.fees import LegalInputError
    from qingzhai.legal.interest import contract_interest

    try:
        result = contract_interest(
            principal=principal,
            rate=rate,
            start=start,
            end=end,
            contract_date=contract_date,
            lender=lender,
            penalty_rate=penalty_rate,
            other_rate=other_rate,
            compound=compound,
            compound_months=compound_months,
            day_basis=day_basis,
        ).as_dict()
    except LegalInputError as exc:
        fail_input(as_json, exc)
    if as_json:
        print(json.dumps(result, ensure_ascii=False))
        return
    cap = (
        f"{result['cap_rate']}%（LPR {result['lpr_1y']}% @ {result['lpr_effective']}）"
        if result["cap_rate"]
        else "—"
    )
    _table(
        "合同利息 / contract interest",
        [
            ("本金 / principal", result["principal"]),
            (
                "期间 / period",
                f"{result['from']} → {result['to']}（{result['days']} 天 / days, /{result['day_basis']}）",
            ),
            ("出借人 / lender", result["lender"]),
            ("计息方式 / method", result["method"]),
            ("约定+违约+其他 / combined rate", f"{result['combined_rate']}%"),
            ("上限 / cap (4 × 1Y LPR)", cap),
            ("是否受限 / capped", "是 / yes" if result["capped"] else "否 / no"),
            ("适用利率 / rate applied", f"{result['applied_rate']}%"),
            ("利息 / interest", result["interest"]),
        ],
    )
    for note in result["notes"]:
        console.print(f"[yellow]{note}[/]", soft_wrap=True)


@legal_app.command("late-interest")
def late_interest_command(
    principal: str = typer.Option(..., "--principal", help="判决确定的未付金钱债务 / unpaid judgment debt"),
    days: str = typer.Option(..., "--days", help="迟延天数 / days of delay"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
) -> None:
    """迟延履行期间加倍部分债务利息 / doubled interest for late performance: principal × 0.0175 % × days."""
    from qingzhai.legal.fees import LegalInputError
    from qingzhai.legal.interest import late_interest

    try:
        result = late_interest(principal=principal, days=days)
    except LegalInputError as exc:
        fail_input(as_json, exc)
    if as_json:
        print(json.dumps(result, ensure_ascii=False))
        return
    _table(
        "加倍部分债务利息 / doubled late-performance interest",
        [
            ("未付金钱债务 / unpaid debt", result["principal"]),
            ("迟延天数 / days", str(result["days"])),
            ("日利率 / daily rate", f"{result['daily_rate_percent']}%"),
            ("加倍部分利息 / doubled interest", result["amount"]),
            ("依据 / basis", result["basis"]),
        ],
    )

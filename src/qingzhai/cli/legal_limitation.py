"""`qingzhai legal limitation`: the limitation period of a debt (written separately from the calculators).

Exit status: 0 done; 2 unusable input (bad date, unknown debt, no due date), with the message in Chinese
and English and never a traceback."""

from __future__ import annotations

import json
from datetime import date

import typer
from rich.console import Console
from rich.table import Table

from qingzhai.cli import setup_django
from qingzhai.cli.errors import fail
from qingzhai.cli.legal import legal_app

console = Console()

STATUS_TEXT = {
    "running": ("进行中", "running"),
    "expiring_soon": ("即将届满", "expiring soon"),
    "expired": ("已届满", "expired"),
}


@legal_app.command("limitation")
def limitation_cmd(
    debt: str = typer.Option(..., "--debt", help="债务编号 / debt id"),
    as_of: str | None = typer.Option(
        None, "--as-of", help="计算基准日 YYYY-MM-DD，默认今天 / as-of date, default today"
    ),
    warn_days: int = typer.Option(90, "--warn-days", help="提前预警天数 / days before expiry to warn"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
) -> None:
    """债务的诉讼时效：起算日、届满日、剩余天数、中断事件 / a debt's limitation period: start, expiry,
    days left, status and the events that interrupted it (or did not)."""
    when: date | None = None
    if as_of is not None:
        try:
            when = date.fromisoformat(as_of)
        except ValueError:
            fail(
                as_json,
                "invalid_date",
                f"日期格式不对：{as_of}（应为 YYYY-MM-DD）",
                f"Not a date: {as_of} (expected YYYY-MM-DD)",
                {"as_of": ["YYYY-MM-DD"]},
            )
    if warn_days < 0:
        fail(
            as_json,
            "invalid_value",
            "预警天数不能为负",
            "--warn-days cannot be negative",
            {"warn_days": [">= 0"]},
        )
    setup_django()
    from qingzhai.core.errors import DomainError
    from qingzhai.legal.selectors import debt_limitation

    try:
        found = debt_limitation(debt_id=debt, as_of=when, warn_days=warn_days)
    except DomainError as exc:
        fail(as_json, exc.code, exc.zh, exc.en, exc.fields)
    payload = found.as_dict()
    if as_json:
        print(json.dumps(payload, ensure_ascii=False, indent=1))
        return
    zh_status, en_status = STATUS_TEXT[payload["status"]]
    console.print(
        f"[bold]债务 / debt {payload['debt_id']} ({payload['contract_no']})[/]\n"
        f"起算 / start: {payload['start']} — {payload['start_basis_zh']}\n"
        f"届满 / expiry: [bold]{payload['expiry']}[/]（20年上限 / 20-year cap {payload['cap']}）\n"
        f"剩余 / days left: {payload['days_left']}（截至 / as of {payload['as_of']}）— {zh_status} / {en_status}",
        soft_wrap=True,
    )
    table = Table(title="中断事件 / events")
    for col in ("日期 / date", "事件 / event", "中断 / interrupts", "说明 / why", "届满 / expiry"):
        table.add_column(col)
    for ev in payload["events"]:
        table.add_row(
            ev["date"],
            f"{ev['kind_zh']} {ev['ref']}",
            "是 / yes" if ev["interrupts"] else "否 / no",
            ev["why_zh"],
            ev["expiry_after"],
        )
    console.print(table)
    for note in payload["notes"]:
        console.print(f"[yellow]{note['zh']}\n{note['en']}[/]", soft_wrap=True)

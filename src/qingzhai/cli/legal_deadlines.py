"""`qingzhai legal deadlines`: the open deadlines of legal proceedings, with their alert level; `--scan`
first sets the alert levels for today (what the hourly job does).

Exit status: 0 done; 2 unusable input, with the message in Chinese and English."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from qingzhai.cli import setup_django
from qingzhai.cli.errors import fail
from qingzhai.cli.legal import legal_app

console = Console()

ALERT_TEXT = {"overdue": "已逾期 overdue", "due": "今日到期 due today", "soon": "即将到期 soon", "": ""}


@legal_app.command("deadlines")
def deadlines_cmd(
    days: int = typer.Option(
        30, "--days", help="列出今后多少天内到期的期限 / deadlines due within this many days"
    ),
    scan: bool = typer.Option(False, "--scan", help="先按今天更新预警级别 / first set today's alert levels"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
) -> None:
    """法律程序的未完成期限（含已逾期）及预警 / open deadlines of legal proceedings (overdue ones included)."""
    if not 0 <= days <= 366:
        fail(
            as_json,
            "invalid_value",
            "--days 应在 0 到 366 之间",
            "--days must be 0 to 366",
            {"days": ["0..366"]},
        )
    setup_django()
    from django.utils import timezone

    from qingzhai.core import audit
    from qingzhai.legal.models import Deadline
    from qingzhai.legal.services.proceedings import deadlines_scan

    scanned = None
    if scan:
        with audit.source("cli"):
            scanned = deadlines_scan()
    today = timezone.localdate()
    rows = (
        Deadline.objects.filter(status=Deadline.Status.OPEN, due_on__lte=today + timedelta(days=days))
        .select_related("proceeding")
        .order_by("due_on", "id")
    )
    items: list[dict[str, Any]] = [
        {
            "id": d.pk,
            "case": d.case_id,
            "proceeding": d.proceeding_id,
            "kind": d.proceeding.kind,
            "code": d.code,
            "label_zh": d.label_zh,
            "label_en": d.label_en,
            "party": d.party,
            "due_on": d.due_on.isoformat(),
            "days_left": (d.due_on - today).days,
            "alert": d.alert,
            "basis_zh": d.basis_zh,
        }
        for d in rows
    ]
    if as_json:
        print(
            json.dumps({"as_of": today.isoformat(), "scan": scanned, "deadlines": items}, ensure_ascii=False)
        )
        return
    if scanned is not None:
        console.print(
            f"预警已更新 / alerts set: 逾期 overdue {scanned['overdue']}，今日 due {scanned['due']}，"
            f"即将 soon {scanned['soon']}（变更 changed {scanned['changed']}）",
            soft_wrap=True,
        )
    if not items:
        console.print(f"{days} 天内没有未完成的期限 / no open deadline within {days} days", soft_wrap=True)
        return
    table = Table(title=f"法律期限 / legal deadlines ({_d(today)})")
    table.add_column("到期 due", no_wrap=True)
    table.add_column("剩余 days", justify="right", no_wrap=True)
    table.add_column("案件 case", justify="right", no_wrap=True)
    table.add_column("程序 proceeding", no_wrap=True)
    table.add_column("期限 deadline")
    table.add_column("预警 alert")
    for item in items:
        table.add_row(
            item["due_on"],
            str(item["days_left"]),
            str(item["case"]),
            f"#{item['proceeding']} {item['kind']}",
            item["label_zh"],
            ALERT_TEXT.get(item["alert"], item["alert"]),
        )
    console.print(table)


def _d(day: date) -> str:
    return day.isoformat()

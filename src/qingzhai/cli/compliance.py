"""`qingzhai compliance ...`: dry-run a contact plan against a policy pack, screen utterances, import the
dishonest-debtor list. Exit status: 0 done, 1 the input has errors (rows, lines or contacts), 2 unusable."""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from qingzhai.cli import app, setup_django

compliance_app = typer.Typer(
    help="合规 / Compliance: 模拟、话术筛查、失信名单 / simulate, screen, dishonest list",
    no_args_is_help=True,
)
app.add_typer(compliance_app, name="compliance")
console = Console()
err_console = Console(stderr=True)


def _error(as_json: bool, code: str, zh: str, en: str, fields: Any = None, exit_code: int = 2) -> None:
    if as_json:
        print(
            json.dumps({"code": code, "message": f"{zh} / {en}", "fields": fields or {}}, ensure_ascii=False)
        )
    else:
        err_console.print(f"[red]{zh} / {en}[/]")
    raise typer.Exit(exit_code)


@compliance_app.command("simulate")
def simulate(
    scenario: Path = typer.Argument(
        ..., help="场景 JSON 文件（- 为标准输入） / scenario JSON file (- for stdin)"
    ),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
) -> None:
    """逐条判定计划或已发生的联系是否合规 / decide every planned or past contact of a scenario."""
    from qingzhai.compliance.gate.scenario import ScenarioError, run_scenario

    try:
        text = sys.stdin.read() if str(scenario) == "-" else scenario.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        _error(as_json, "unreadable", "无法读取场景文件", f"Cannot read the scenario file: {exc}")
        return
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        _error(
            as_json,
            "invalid_json",
            f"场景不是有效的 JSON（第 {exc.lineno} 行）",
            f"The scenario is not valid JSON (line {exc.lineno})",
        )
        return
    try:
        result = run_scenario(data)
    except ScenarioError as exc:
        _error(as_json, exc.code, exc.zh, exc.en, getattr(exc, "fields", None), exit_code=1)
        return
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{result['pack']}")
    for col in ("id", "at", "允许 allowed", "规则 rules"):
        table.add_column(col)
    for d in result["decisions"]:
        rules = "\n".join(f"{r['rule']} ({r['effect']}): {r['zh']}" for r in d["rules"]) or "-"
        table.add_row(str(d["id"]), str(d["at"]), "✓" if d["allowed"] else "✗", rules)
    console.print(table)
    s = result["summary"]
    console.print(f"允许 allowed {s['allowed']} · 拒绝 denied {s['denied']}")


@compliance_app.command("screen")
def screen(
    file: str = typer.Argument("-", help="JSON lines 文件或 - / JSON lines file or - for stdin"),
    as_json: bool = typer.Option(
        True, "--json/--table", help="输出 JSON lines（默认） / JSON lines (default)"
    ),
) -> None:
    """筛查话术：每行输入 {"id","text","speaker","lang"}，每行输出违规 / screen utterances, one line each."""
    from qingzhai.compliance.monitor import screen_lines

    try:
        handle = sys.stdin if file == "-" else open(file, encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        _error(True, "unreadable", "无法读取文件", f"Cannot read the file: {exc}")
        return
    failed = False
    with handle:
        for line in screen_lines(handle):
            if '"error"' in line:
                failed = failed or bool(json.loads(line).get("error"))
            if as_json:
                print(line)
            else:
                item = json.loads(line)
                shown = ", ".join(
                    f"{v['category']}[{v['span'][0]}:{v['span'][1]}]" for v in item.get("violations", [])
                )
                console.print(f"{item.get('id')}: {shown or item.get('error') or '—'}")
    if failed:
        raise typer.Exit(1)


@compliance_app.command("dishonest-import")
def dishonest_import_cmd(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV / XLSX"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
) -> None:
    """导入失信被执行人名单并重新匹配债务人 / import the dishonest-debtor list and match debtors."""
    setup_django()
    from qingzhai.compliance.services import dishonest_import
    from qingzhai.core import audit
    from qingzhai.core.errors import DomainError

    try:
        with audit.source("cli"):
            result = dishonest_import(actor=f"cli:{getpass.getuser()}", path=file, original_name=file.name)
    except DomainError as exc:
        _error(as_json, exc.code, exc.zh, exc.en, exc.fields)
        return
    out = result.as_dict()
    if as_json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        for e in out["errors"]:
            err_console.print(f"第 {e['row']} 行 row {e['row']} · {e['column']}: {e['message']}")
        console.print(
            f"行 rows {out['rows']} · 新增 added {out['added']} · 已有 unchanged {out['unchanged']} · "
            f"新匹配 new matches {out['matched']}"
        )
    if out["errors"]:
        raise typer.Exit(1)

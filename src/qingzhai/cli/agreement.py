"""`qingzhai agreement simulate FILE.json [--until D] [--json]`: run a set of agreement terms against a
stream of payments and events and print the state timeline (format: docs/agreements.md).

Exit status: 0 on a run; 2 for an unreadable file or bad terms, with the message in Chinese and English
(one JSON object with --json) and never a traceback."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from qingzhai.cli import app
from qingzhai.cli.errors import fail

console = Console()
agreement_app = typer.Typer(help="还款协议 / repayment agreements", no_args_is_help=True)
app.add_typer(agreement_app, name="agreement")


@agreement_app.command("simulate")
def simulate_cmd(
    file: str = typer.Argument(
        ..., help="协议与事件 JSON 文件，- 为标准输入 / terms and events JSON, - for stdin"
    ),
    until: str = typer.Option("", "--until", help="模拟到该日（含）/ run until this day (inclusive)"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
) -> None:
    """模拟协议执行：分期、冲抵、违约、加速到期、放款 / run an agreement's terms against payments and dates."""
    from qingzhai.agreements.engine import parse_events, simulate
    from qingzhai.agreements.terms import AgreementError, parse_terms

    try:
        text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
        doc = json.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        fail(
            as_json,
            "unreadable_file",
            f"无法读取文件：{file}",
            f"Cannot read the file: {file} ({exc})",
            {"file": [file]},
        )
    except json.JSONDecodeError as exc:
        fail(
            as_json, "bad_json", f"JSON 格式错误：第{exc.lineno}行第{exc.colno}列",
            f"Invalid JSON at line {exc.lineno}, column {exc.colno}", {"file": [exc.msg]},
        )  # fmt: skip
    try:
        if not isinstance(doc, dict):
            raise AgreementError(
                "bad_file",
                "文件须为含 terms 与 events 的 JSON 对象",
                "The file must be an object with terms and events",
            )
        terms = parse_terms(doc.get("terms"))
        events = parse_events(doc.get("events") or [])
        last_day = str(until or doc.get("until") or "")
        end = date.fromisoformat(last_day) if last_day else None
        result = simulate(terms, events, end)
    except AgreementError as exc:
        fail(as_json, exc.code, exc.zh, exc.en, {exc.field: [exc.en]})
    except (TypeError, ValueError):
        fail(
            as_json, "bad_date", "until 须为 YYYY-MM-DD", "until must be YYYY-MM-DD", {"until": [str(until)]}
        )
    out = result.as_dict()
    if as_json:
        print(json.dumps(out, ensure_ascii=False))
        return
    table = Table("date", "event", "state", "说明 / what")
    for row in out["timeline"]:
        table.add_row(row["date"], row["event"], row["state"], f"{row['zh']} / {row['en']}")
    console.print(table)
    console.print(
        f"state [bold]{out['state']}[/], outstanding {out['outstanding_fen']} fen, paid {out['paid_fen']} fen, "
        f"waiver {out['waiver']}, disbursed {', '.join(out['disbursed']) or '—'}"
    )

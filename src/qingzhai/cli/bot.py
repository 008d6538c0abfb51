"""`qingzhai bot simulate | compare`: the collection bot against simulated debtors (no database).

Exit status: 0 done; 2 unusable input (unknown persona or script, invalid script file, bad date or count),
with the message in Chinese and English and never a traceback."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.table import Table

from qingzhai.cli import app
from qingzhai.cli.errors import fail

bot_app = typer.Typer(help="催收机器人 / collection bot", no_args_is_help=True)
app.add_typer(bot_app, name="bot")
console = Console()


def _today(raw: str | None, as_json: bool) -> date:
    if raw is None:
        return datetime.now(ZoneInfo("Asia/Shanghai")).date()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        fail(
            as_json,
            "invalid_date",
            f"日期格式不对：{raw}（应为 YYYY-MM-DD）",
            f"Not a date: {raw} (expected YYYY-MM-DD)",
            {"date": ["YYYY-MM-DD"]},
        )


def _script(name: str, as_json: bool) -> Any:
    from qingzhai.contact.dialog import ScriptError, load_script

    try:
        return load_script(name)
    except ScriptError as exc:
        fail(as_json, exc.code, exc.zh, exc.en, {"script": exc.as_dicts()})


@bot_app.command("simulate")
def simulate_cmd(
    persona: str = typer.Option(..., "--persona", help="模拟客户类型 / persona"),
    script: str = typer.Option(
        "standard_v1", "--script", help="话术名称或 YAML 路径 / script name or YAML path"
    ),
    seed: int = typer.Option(0, "--seed", help="随机种子 / random seed"),
    on: str | None = typer.Option(None, "--date", help="业务日期 YYYY-MM-DD，默认今天 / business date"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
) -> None:
    """模拟一通电话并打印逐轮记录：情绪、意图、分支、合规结果 / simulate one call and print each turn's
    emotion, intent, branch and compliance result."""
    from qingzhai.contact.dialog.simulator import PERSONAS, simulate

    if persona not in PERSONAS:
        names = ", ".join(PERSONAS)
        fail(
            as_json,
            "unknown_persona",
            f"未知的模拟客户类型：{persona}（可选：{names}）",
            f"Unknown persona: {persona} (one of {names})",
            {"persona": list(PERSONAS)},
        )
    today = _today(on, as_json)
    loaded = _script(script, as_json)
    transcript = simulate(persona, loaded, seed=seed, today=today)
    payload = {**transcript.as_dict(), "persona": persona, "seed": seed, "script": loaded.key}
    if as_json:
        print(json.dumps(payload, ensure_ascii=False, indent=1))
        return
    console.print(f"[bold]{loaded.key} × {persona}[/] (seed {seed}, {today.isoformat()})", soft_wrap=True)
    for t in transcript.turns:
        if t.speaker == "bot":
            comp = t.compliance or ""
            if t.blocked:
                comp += f", {len(t.blocked)} 拦截 / blocked"
            head = f"[cyan]机器人 / bot[/] [dim]{t.node} · {t.branch} · {comp}[/]"
        else:
            emo = f"{t.emotion['label']} {t.emotion['score']:.2f}" if t.emotion else "-"
            intent = t.intent["name"] if t.intent else "-"
            head = f"[yellow]客户 / debtor[/] [dim]{emo} · {intent} · {t.branch}[/]"
        console.print(f"{t.index:>2} {head}\n   {t.text or '（无 / none）'}", soft_wrap=True)
    out = transcript.outcome
    if out is not None:
        line = f"结果 / outcome: [bold]{out.kind}[/]（{out.reason}）"
        if out.promise_amount_fen is not None and out.promise_date is not None:
            line += f" — {out.promise_amount_fen // 100:,}.{out.promise_amount_fen % 100:02d} 元 @ {out.promise_date}"
        console.print(line, soft_wrap=True)
    if transcript.handover is not None:
        console.print(
            f"转人工摘要 / hand-over: {transcript.handover.summary_zh}\n{transcript.handover.summary_en}",
            soft_wrap=True,
        )


@bot_app.command("compare")
def compare_cmd(
    scripts: list[str] = typer.Option(..., "--script", help="两个话术（给两次）/ two scripts (give twice)"),
    calls: int = typer.Option(700, "--calls", help="每个话术的模拟通话数 / simulated calls per script"),
    seed: int = typer.Option(0, "--seed", help="随机种子 / random seed"),
    on: str | None = typer.Option(None, "--date", help="业务日期 YYYY-MM-DD，默认今天 / business date"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
) -> None:
    """比较两个话术版本：承诺率、转人工率、违规数、平均轮数 / compare two script versions on simulated
    promise rate, hand-over rate, violations and mean turns."""
    from qingzhai.contact.dialog.metrics import compare

    if len(scripts) != 2:
        fail(
            as_json,
            "two_scripts",
            f"需要恰好两个 --script（收到 {len(scripts)} 个）",
            f"Exactly two --script options are needed (got {len(scripts)})",
            {"script": ["two values"]},
        )
    if not 1 <= calls <= 100000:
        fail(
            as_json,
            "invalid_calls",
            "--calls 应在 1 到 100000 之间",
            "--calls must be 1-100000",
            {"calls": ["1-100000"]},
        )
    today = _today(on, as_json)
    a, b = (_script(s, as_json) for s in scripts)
    result = compare(a, b, calls, today=today, seed=seed)
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return
    table = Table(title=f"{a.key} vs {b.key}: {calls} 通模拟 / simulated calls")
    table.add_column("指标 / measure")
    table.add_column(a.key, justify="right")
    table.add_column(b.key, justify="right")
    for key, label in (
        ("promise_rate", "承诺率 / promise rate"),
        ("handover_rate", "转人工率 / hand-over rate"),
        ("violations", "违规 / violations"),
        ("blocked_lines", "拦截话术 / blocked lines"),
        ("mean_turns", "平均轮数 / mean turns"),
        ("expected_outcome_rate", "预期结果率 / expected outcome"),
    ):
        table.add_row(label, str(result["a"][key]), str(result["b"][key]))
    console.print(table)

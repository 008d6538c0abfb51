"""demo: load the demo portfolio and one demo user per role."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.table import Table

from qingzhai.cli import app, setup_django

if TYPE_CHECKING:
    from qingzhai.portfolio.demo import DemoUser

console = Console()

SIZE_HELP = "规模 / size: small（测试用 / for tests）或 / or full（5,000 债务人 debtors，8,000 笔债务 debts）"

COUNT_LABELS = {
    "creditors": "委托方 creditors",
    "portfolios": "委案批次 portfolios",
    "debtors": "债务人 debtors",
    "enterprises": "其中企业 of which enterprises",
    "contact_points": "联系方式 contact points",
    "bank_accounts": "银行账户 bank accounts",
    "cases": "案件 cases",
    "debts": "债务 debts",
    "instalments": "分期 instalments",
    "bucket_history": "账龄历史 bucket history",
    "guarantors": "担保人 guarantors",
    "payments": "还款记录 payments",
    "reversals": "其中冲正 of which reversals",
    "promises": "承诺还款 promises to pay",
    "activities": "催收记录 activities",
    "stage_changes": "阶段变更 stage changes",
    "case_tags": "案件标签 case tags",
    "users": "新建用户 users created",
}


@app.command()
def demo(
    seed: int | None = typer.Option(
        None,
        help="随机种子，默认固定（同一种子同一天生成相同数据）/ random seed, fixed by default "
        "(same seed, same day: same data)",
    ),
    size: str = typer.Option("full", help=SIZE_HELP),
    reset: bool = typer.Option(
        False, "--reset", help="删除已加载的演示数据并重建 / delete the loaded demo data and rebuild it"
    ),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / JSON output"),
) -> None:
    """加载演示数据，并为每个角色创建一个演示用户 / Load the demo data and one demo user per role."""
    setup_django()
    from django.conf import settings

    from qingzhai.core import audit
    from qingzhai.core.errors import DomainError
    from qingzhai.portfolio import demo as demo_data

    if size not in demo_data.SIZES:
        error = DomainError(
            "invalid_choice",
            "无效的规模：{size}（可选 {choices}）",
            "Unknown size: {size} (one of {choices})",
            fields={"size": [size]},
            size=size,
            choices=", ".join(demo_data.SIZES),
        )
        if as_json:
            print(json.dumps(error.as_dict(), ensure_ascii=False))
        else:
            console.print(f"[red]{error.zh} / {error.en}[/]", soft_wrap=True)
        raise typer.Exit(2)
    with audit.source("cli"):
        if reset:
            from qingzhai.legal.demo import legal_demo_delete

            legal_demo_delete()  # proceedings protect their cases
            from qingzhai.contact.demo import contact_demo_delete

            contact_demo_delete()  # so do campaign messages and bot calls
        result = demo_data.demo_load(
            actor="cli", seed=demo_data.DEFAULT_SEED if seed is None else seed, size=size, reset=reset
        )
        compliance: dict[str, Any] = {}
        evidence: dict[str, Any] = {}
        profile: dict[str, Any] = {}
        scoring: dict[str, Any] = {}
        legal: dict[str, Any] = {}
        if not result.already_loaded:
            from qingzhai.compliance.demo import compliance_demo_load

            compliance = compliance_demo_load(reset=result.reset)
            from qingzhai.profiling.demo import profile_demo_load

            profile = profile_demo_load()
            from qingzhai.evidence.demo import evidence_demo_load

            evidence = evidence_demo_load()
            from qingzhai.scoring.demo import scoring_demo_load

            scoring = scoring_demo_load(reset=result.reset)
            from qingzhai.legal.demo import legal_demo_load

            legal = legal_demo_load()
    if as_json:
        out = {
            "already_loaded": result.already_loaded,
            "reset": result.reset,
            "seed": result.seed,
            "size": result.size,
            "business_date": result.business_date.isoformat(),
            "users": [
                {"username": u.username, "role": u.role, "password": u.password, "created": u.created}
                for u in result.users
            ],
            "created": result.counts,
            "compliance": compliance,
            "evidence": evidence,
            "profile": profile,
            "scoring": scoring,
            "legal": legal,
            "seconds": result.timings.get("total", 0.0),
        }
        print(json.dumps(out, ensure_ascii=False))
        return
    if result.already_loaded:
        console.print(
            "演示数据已加载，未做任何更改（用 --reset 重建）。"
            " / The demo data is already loaded; nothing changed (use --reset to rebuild it).",
            soft_wrap=True,
        )
    else:
        verb = "已重建 / rebuilt" if result.reset else "已加载 / loaded"
        console.print(
            f"[bold green]演示数据{verb}[/]：种子 seed {result.seed}，规模 size {result.size}，"
            f"业务日期 business date {result.business_date.isoformat()}，"
            f"用时 {result.timings.get('total', 0.0):.1f} s",
            soft_wrap=True,
        )
        counts = Table(title="已创建 / Created", show_header=False)
        counts.add_column(justify="left")
        counts.add_column(justify="right")
        for key, value in result.counts.items():
            counts.add_row(COUNT_LABELS.get(key, key), f"{value:,}")
        for key, value in compliance.items():
            if key != "already_loaded":
                counts.add_row(f"合规 compliance: {key}", f"{value:,}")
        for key, value in evidence.items():
            counts.add_row(f"证据 evidence: {key}", f"{value:,}")
        for key, value in profile.items():
            counts.add_row(f"画像 profile: {key}", f"{value:,}")
        for key, value in scoring.items():
            counts.add_row(f"评分 scoring: {key}", f"{value:,}" if isinstance(value, int) else str(value))
        for key, value in legal.items():
            counts.add_row(f"法务 legal: {key}", f"{value:,}")
        console.print(counts)
    _print_users(result.users, fresh=result.passwords_shown, two_factor=bool(settings.QINGZHAI_REQUIRE_2FA))


def _print_users(users: list[DemoUser], *, fresh: bool, two_factor: bool) -> None:
    from qingzhai.accounts.roles import TWO_FACTOR_ROLES

    table = Table(title="演示用户 / Demo users")
    table.add_column("用户名 / username", no_wrap=True)
    table.add_column("角色 / role", no_wrap=True)
    table.add_column("密码 / password", no_wrap=True)
    for user in users:
        table.add_row(user.username, user.role, user.password or "—")
    console.print(table)
    if fresh:
        console.print(
            "[bold yellow]密码只显示这一次，请妥善保存。/ Passwords are shown only this once.[/]",
            soft_wrap=True,
        )
    else:
        console.print(
            "密码已在首次运行时显示；如需新账户请用 `qingzhai createuser`。"
            " / Passwords were printed at the first run; `qingzhai createuser` makes new users.",
            soft_wrap=True,
        )
    if two_factor:
        roles = ", ".join(sorted(r.value for r in TWO_FACTOR_ROLES))
        console.print(
            f"{roles} 登录时需设置两步验证（演示可设 QINGZHAI_REQUIRE_2FA=0）。"
            f" / {roles} must set up two-factor sign-in (QINGZHAI_REQUIRE_2FA=0 turns it off for a demo).",
            soft_wrap=True,
        )

"""serve, migrate, createuser, rotate-keys."""

from __future__ import annotations

import json
import os
import secrets
import sys

import typer
from rich.console import Console

from qingzhai.cli import app, setup_django

console = Console()


@app.command()
def migrate() -> None:
    """创建或升级数据库结构 / Create or upgrade the database schema."""
    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="监听地址 / bind address"),
    port: int = typer.Option(8000, help="端口 / port"),
    workers: int = typer.Option(2, help="进程数 / worker processes"),
    dev: bool = typer.Option(False, help="开发模式（自动重载）/ development server with auto-reload"),
) -> None:
    """启动网页服务 / Serve the web application and API."""
    setup_django()
    from django.core.management import call_command

    if dev:
        call_command("runserver", f"{host}:{port}")
        return
    call_command("collectstatic", interactive=False, verbosity=0)
    console.print(f"[bold green]清债 Qingzhai[/] → http://{host}:{port}/  (Ctrl+C 停止 / to stop)")
    args = [
        "gunicorn",
        "qingzhai.config.wsgi:application",
        "--config",
        "python:qingzhai.config.gunicorn",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        "4",
        "--timeout",
        "120",
        "--access-logfile",
        "-",
        # Path without the query string: searches by ID number or phone must not land in the logs.
        "--access-logformat",
        '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss',
    ]
    os.execvp(sys.executable, [sys.executable, "-m", *args])  # noqa: S606


@app.command()
def createuser(
    username: str = typer.Argument(..., help="用户名 / username"),
    role: str = typer.Option(
        "collector", help="角色 / role: admin supervisor collector legal compliance auditor creditor_viewer"
    ),
    password: str = typer.Option("", help="密码，留空则随机生成并打印一次 / empty: generate and print once"),
    creditor: list[str] = typer.Option(
        [], help="委托方代码（creditor_viewer 可见）/ creditor codes a viewer sees"
    ),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / JSON output"),
) -> None:
    """创建用户 / Create a user."""
    setup_django()
    from django.db import transaction

    from qingzhai.accounts import services as account_services
    from qingzhai.core.errors import DomainError
    from qingzhai.portfolio import services as portfolio_services

    generated = not password
    password = password or secrets.token_urlsafe(12)
    try:
        with transaction.atomic():
            user = account_services.user_create(actor="cli", username=username, role=role, password=password)
            if creditor:
                portfolio_services.creditor_viewer_grant(actor="cli", user=user, creditor_codes=creditor)
    except DomainError as exc:
        if as_json:
            print(json.dumps(exc.as_dict(), ensure_ascii=False))
        else:
            console.print(f"[red]{exc.message}[/]")
        raise typer.Exit(1) from exc
    out = {"id": user.pk, "username": user.username, "role": user.role}
    if generated:
        out["password"] = password
    if as_json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        console.print(f"已创建 / created: [bold]{user.username}[/] ({user.role})")
        if generated:
            console.print(f"密码（仅显示一次）/ password (shown once): [bold yellow]{password}[/]")


@app.command("rotate-keys")
def rotate_keys(
    blind_index: bool = typer.Option(
        False,
        "--blind-index",
        help="同时重算盲索引（更换了 QINGZHAI_BLIND_INDEX_KEY 时）/ also recompute blind indexes",
    ),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / JSON output"),
) -> None:
    """用最新密钥重新加密全部个人信息 / Re-encrypt all personal data under the newest key.

    Put the new key first in QINGZHAI_PII_KEYS (old keys after it), run this, then drop the old keys.
    """
    setup_django()
    from qingzhai.core.keys import rotate_all

    counts = rotate_all(recompute_blind_index=blind_index)
    if as_json:
        print(json.dumps({"rotated": counts}, ensure_ascii=False))
    else:
        for label, n in counts.items():
            console.print(f"{label}: {n}")

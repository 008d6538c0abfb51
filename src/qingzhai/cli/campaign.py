"""`qingzhai campaign`: reminder campaigns from the command line (templates, create, plan, start, pause,
resume, cancel, status, results). Commands act as the user named by --user (it must hold the campaign
capability) and run the same services as the pages. Exit status 0, or 2 with a bilingual message."""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from qingzhai.cli import app, setup_django
from qingzhai.cli.errors import fail

console = Console()
campaign_app = typer.Typer(help="催收提醒活动 / reminder campaigns", no_args_is_help=True)
app.add_typer(campaign_app, name="campaign")

USER_HELP = "以该用户身份操作（需有活动管理权限）/ act as this user (needs the campaign capability)"


def _user(as_json: bool, username: str) -> Any:
    from qingzhai.accounts.models import User

    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        fail(
            as_json,
            "unknown_user",
            f"没有这个用户：{username}",
            f"No such active user: {username}",
            {"user": [username]},
        )
    return user


def _step(as_json: bool, text: str) -> dict[str, Any]:
    parts = text.split(":")
    if len(parts) not in (2, 3):
        fail(
            as_json,
            "bad_step",
            f"步骤格式应为 模板:小时 或 渠道:模板:小时：{text}",
            f"A step is TEMPLATE:HOURS or CHANNEL:TEMPLATE:HOURS: {text}",
            {"step": [text]},
        )
    if len(parts) == 2:
        return {"template_id": parts[0], "offset_hours": parts[1]}
    return {"channel": parts[0], "template_id": parts[1], "offset_hours": parts[2]}


def _pairs(as_json: bool, items: list[str], name: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            fail(
                as_json,
                "bad_option",
                f"{name} 应为 键=值：{item}",
                f"{name} must be KEY=VALUE: {item}",
                {name: [item]},
            )
        out[key.strip()] = (
            [v for v in value.split(",") if v]
            if key.strip().endswith(("_ids", "stages", "buckets"))
            else value
        )
    return out


def _run(as_json: bool, call: Any) -> Any:
    from qingzhai.core import audit
    from qingzhai.core.errors import DomainError

    try:
        with audit.source("cli"):
            return call()
    except DomainError as exc:
        fail(as_json, exc.code, exc.zh, exc.en, exc.fields)


def _summary(campaign: Any) -> dict[str, Any]:
    from qingzhai.contact.selectors.campaigns import campaign_progress

    progress = campaign_progress(campaign)
    return {
        "id": campaign.pk,
        "name": campaign.name,
        "status": campaign.status,
        "cases": campaign.cases_total,
        "messages": progress["total"],
        "counts": progress["counts"],
        "percent": progress["percent"],
        "window_start": campaign.window_start.isoformat(),
        "window_end": campaign.window_end.isoformat(),
    }


def _print(as_json: bool, payload: dict[str, Any]) -> None:
    if as_json:
        print(json.dumps(payload, ensure_ascii=False, default=str))
        return
    table = Table(show_header=False)
    for key, value in payload.items():
        table.add_row(
            key, json.dumps(value, ensure_ascii=False, default=str) if isinstance(value, dict) else str(value)
        )
    console.print(table)


@campaign_app.command("templates")
def templates_cmd(as_json: bool = typer.Option(False, "--json")) -> None:
    """列出消息模板 / list the message templates."""
    from qingzhai.contact.campaigns.templates import catalogue

    rows = [
        {
            "id": t.id,
            "version": t.version,
            "channel": t.channel,
            "lang": t.lang,
            "name": f"{t.name_zh} / {t.name_en}",
        }
        for t in catalogue().values()
    ]
    if as_json:
        print(json.dumps(rows, ensure_ascii=False))
        return
    table = Table("id", "version", "channel", "lang", "name")
    for row in rows:
        table.add_row(*(str(row[k]) for k in ("id", "version", "channel", "lang", "name")))
    console.print(table)


@campaign_app.command("create")
def create_cmd(
    name: str = typer.Option(..., "--name", help="活动名称 / name"),
    steps: list[str] = typer.Option(..., "--step", help="渠道:模板:小时 / CHANNEL:TEMPLATE:HOURS (repeat)"),
    filters: list[str] = typer.Option(
        [], "--filter", help="min_dpd=30, stages=new,contact, creditor_ids=1,2 ..."
    ),
    per_hour: list[str] = typer.Option([], "--per-hour", help="渠道=每小时容量 / CHANNEL=N, e.g. sms=20000"),
    window_hours: int = typer.Option(72, "--window-hours", help="活动时长（小时）/ window in hours"),
    hotline: str = typer.Option("", "--hotline", help="客服电话 / hotline in the messages"),
    plan: bool = typer.Option(False, "--plan", help="创建后立即规划 / plan at once"),
    username: str = typer.Option(..., "--user", help=USER_HELP),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """创建活动（可立即规划）/ create a campaign (and plan it with --plan)."""
    parsed_steps = [_step(as_json, s) for s in steps]
    parsed_filters = _pairs(as_json, filters, "filter")
    parsed_rates = _pairs(as_json, per_hour, "per-hour")
    setup_django()
    from qingzhai.contact.services import campaigns as svc

    user = _user(as_json, username)
    campaign = _run(
        as_json,
        lambda: svc.campaign_create(
            actor=user,
            name=name,
            steps=parsed_steps,
            filters=parsed_filters,
            per_hour=parsed_rates,
            window_hours=window_hours,
            hotline=hotline,
        ),
    )
    if plan:
        campaign = _run(as_json, lambda: svc.campaign_plan_start(actor=user, campaign_id=campaign.pk))
        campaign.refresh_from_db()
    _print(as_json, _summary(campaign))


def _control(action: str, campaign_id: int, username: str, as_json: bool, **extra: Any) -> None:
    setup_django()
    from qingzhai.contact.services import campaigns as svc

    user = _user(as_json, username)
    call = getattr(svc, f"campaign_{action}")
    campaign = _run(as_json, lambda: call(actor=user, campaign_id=campaign_id, **extra))
    campaign.refresh_from_db()
    _print(as_json, _summary(campaign))


def _register_control(name: str, action: str, help_text: str, *, with_reason: bool) -> None:
    if with_reason:

        def command_with_reason(
            campaign_id: int = typer.Argument(...),
            reason: str = typer.Option("", "--reason"),
            username: str = typer.Option(..., "--user", help=USER_HELP),
            as_json: bool = typer.Option(False, "--json"),
        ) -> None:
            _control(action, campaign_id, username, as_json, reason=reason)

        campaign_app.command(name, help=help_text)(command_with_reason)
        return

    def command(
        campaign_id: int = typer.Argument(...),
        username: str = typer.Option(..., "--user", help=USER_HELP),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        _control(action, campaign_id, username, as_json)

    campaign_app.command(name, help=help_text)(command)


for _name, _action, _help, _reason in (
    (
        "plan",
        "plan_start",
        "规划活动：逐条经合规闸门排期 / plan: every message scheduled through the compliance gate.",
        False,
    ),
    ("start", "start", "开始发送 / start sending.", False),
    ("pause", "pause", "暂停 / pause.", True),
    ("resume", "resume", "继续 / resume.", False),
    (
        "cancel",
        "cancel",
        "取消（未发送的消息不再发送）/ cancel (messages not yet sent are never sent).",
        True,
    ),
):
    _register_control(_name, _action, _help, with_reason=_reason)


@campaign_app.command("status")
def status_cmd(
    campaign_id: int = typer.Argument(...),
    username: str = typer.Option(..., "--user", help=USER_HELP),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """进度 / progress."""
    setup_django()
    from qingzhai.contact.selectors.campaigns import campaign_get

    user = _user(as_json, username)
    campaign = _run(as_json, lambda: campaign_get(user=user, campaign_id=campaign_id))
    _print(as_json, _summary(campaign))


@campaign_app.command("results")
def results_cmd(
    campaign_id: int = typer.Argument(...),
    username: str = typer.Option(..., "--user", help=USER_HELP),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """结果：送达、回复、承诺、N 天内还款、投诉 / results: delivered, replied, promised, paid within N days, complaints."""
    setup_django()
    from qingzhai.contact.selectors.campaigns import campaign_get, campaign_results

    user = _user(as_json, username)
    campaign = _run(as_json, lambda: campaign_get(user=user, campaign_id=campaign_id))
    results = campaign_results(campaign)
    _print(as_json, {"id": campaign.pk, "status": campaign.status, **results})

"""`qingzhai profile ...`: ingest bills, statements and registry records for a debtor; print the indicator
catalogue, a debtor's indicators and risk flags; run the retention purge. Exit status: 0 done,
1 the file was read but some rows have errors, 2 unusable input (unknown debtor, unreadable file)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from qingzhai.cli import app, setup_django

profile_app = typer.Typer(
    help="债务人画像 / Debtor 360 profile: 导入、指标、风险标记 / ingest, indicators, flags",
    no_args_is_help=True,
)
app.add_typer(profile_app, name="profile")
console = Console()
err_console = Console(stderr=True)


def _fail(as_json: bool, code: str, message: str, fields: Any = None) -> None:
    if as_json:
        print(json.dumps({"code": code, "message": message, "fields": fields or {}}, ensure_ascii=False))
    else:
        err_console.print(f"[red]{message}[/]")
    raise typer.Exit(2)


def _dump(payload: Any) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=1, default=str))


def _as_of(value: str | None, as_json: bool) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(as_json, "as_of_invalid", f"日期无效 / invalid date: {value}")
    return None


@profile_app.command("ingest")
def ingest(
    file: Path = typer.Argument(..., help="账单、流水或登记文件 / bill, statement or registry file"),
    debtor: int = typer.Option(..., "--debtor", help="债务人编号 / debtor id"),
    source: str = typer.Option(
        "",
        "--source",
        help="alipay, wechat, jd, meituan, bank, bank:<format>, business, property, vehicle, "
        "marriage, court, contribution, declared_income；省略则自动识别 / omit to detect",
    ),
    basis: str = typer.Option(
        "contract", "--basis", help="合法性基础 / legal basis: contract, court_order, consent, legal_duty"
    ),
    purpose: list[str] = typer.Option([], "--purpose", help="处理目的（可重复）/ purpose (repeatable)"),
    reference: str = typer.Option("", "--reference", help="条款或调查令编号 / clause or order number"),
    mapping: Path | None = typer.Option(
        None, "--mapping", help="bank:generic 的列映射（YAML/JSON）/ column mapping for bank:generic"
    ),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
) -> None:
    """导入一个文件 / ingest one file: {"rows", "imported", "skipped", "errors", "period"}."""
    setup_django()
    from qingzhai.core.errors import DomainError
    from qingzhai.core.i18n import bi
    from qingzhai.profiling import services
    from qingzhai.profiling.selectors import debtor_for_cli

    if not file.is_file():
        _fail(as_json, "file_missing", bi(f"文件不存在：{file}", f"No such file: {file}"))
    if mapping is not None and not mapping.is_file():
        _fail(as_json, "file_missing", bi(f"文件不存在：{mapping}", f"No such file: {mapping}"))
    try:
        target = debtor_for_cli(debtor)
        upload = services.source_upload(
            debtor=target,
            actor="cli",
            data=file.read_bytes(),
            filename=file.name,
            source=source,
            basis=basis,
            purposes=list(purpose) or None,
            reference=reference,
            mapping=mapping.read_bytes() if mapping and mapping.is_file() else None,
        )
        sf = upload.source_file
        if not upload.duplicate:
            sf = services.source_ingest(source_id=sf.pk)
    except DomainError as exc:
        _fail(as_json, exc.code, exc.message, exc.fields)
        return
    if sf.status == sf.Status.FAILED:
        _fail(
            as_json,
            sf.failure.get("code", "failed"),
            bi(sf.failure.get("message", ""), sf.failure.get("message_en", "")),
        )
    payload = {
        "source_id": sf.pk,
        "source": sf.source,
        "layout": sf.layout,
        "rows": sf.rows,
        "imported": 0 if upload.duplicate else sf.imported,
        "skipped": sf.rows - sf.error_count if upload.duplicate else sf.skipped,
        "errors": sf.errors,
        "error_count": sf.error_count,
        "period": [
            sf.period_from.date().isoformat() if sf.period_from else None,
            sf.period_to.date().isoformat() if sf.period_to else None,
        ],
        "duplicate": upload.duplicate,
    }
    if as_json:
        _dump(payload)
    else:
        table = Table(title=bi("导入结果", "Ingestion"))
        table.add_column(bi("项目", "Item"))
        table.add_column(bi("数值", "Value"), justify="right")
        for key in ("source", "layout", "rows", "imported", "skipped", "error_count"):
            table.add_row(key, str(payload[key]))
        table.add_row("period", " → ".join(str(p) for p in payload["period"]))
        console.print(table)
        for error in sf.errors[:20]:
            console.print(f"[yellow]row {error['row']} {error['field']}: {error['message']}[/]")
    raise typer.Exit(1 if sf.error_count else 0)


@profile_app.command("catalogue")
def catalogue(as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON")) -> None:
    """指标目录 / the indicator catalogue."""
    from qingzhai.profiling import indicators as ind

    items = [i.describe() for i in ind.catalogue()]
    if as_json:
        _dump(items)
        return
    table = Table(title=f"{len(items)} indicators")
    for col in ("code", "category", "name_zh", "unit", "window_months", "purpose"):
        table.add_column(col)
    for item in items:
        table.add_row(
            *(
                str(item.get(c, ""))
                for c in ("code", "category", "name_zh", "unit", "window_months", "purpose")
            )
        )
    console.print(table)


def _build(debtor: int, as_of: str, as_json: bool) -> Any:
    """The debtor's profile as of the date given (today by default); exit 2 for an unknown debtor."""
    setup_django()
    from qingzhai.core.errors import DomainError
    from qingzhai.profiling import profile
    from qingzhai.profiling.selectors import debtor_for_cli

    try:
        target = debtor_for_cli(debtor)
    except DomainError as exc:
        _fail(as_json, exc.code, exc.message)
    return profile.build(target.pk, as_of=_as_of(as_of, as_json))


@profile_app.command("indicators")
def indicators(
    debtor: int = typer.Option(..., "--debtor", help="债务人编号 / debtor id"),
    as_of: str = typer.Option("", "--as-of", help="基准日 / as-of date YYYY-MM-DD"),
    with_reasons: bool = typer.Option(False, "--reasons", help="附缺失原因 / add why values are missing"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
) -> None:
    """债务人的全部指标 / a debtor's indicators: {"code": value, ...} (null when missing)."""
    built = _build(debtor, as_of, as_json)
    if as_json:
        _dump({"values": built.values, "missing": built.reasons} if with_reasons else built.values)
        return
    table = Table(title=f"debtor {debtor} · as of {built.as_of}")
    table.add_column("code")
    table.add_column("value", justify="right")
    for code, value in built.values.items():
        table.add_row(code, "—" + f" ({built.reasons.get(code, '')})" if value is None else str(value))
    console.print(table)


@profile_app.command("flags")
def flags(
    debtor: int = typer.Option(..., "--debtor", help="债务人编号 / debtor id"),
    as_of: str = typer.Option("", "--as-of", help="基准日 / as-of date YYYY-MM-DD"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
) -> None:
    """风险标记及证据 / risk flags with evidence: [{"flag", "severity", "facts", "evidence"}, ...]."""
    built = _build(debtor, as_of, as_json)
    if as_json:
        _dump(built.flags)
        return
    if not built.flags:
        console.print("无风险标记 / no flags")
    for f in built.flags:
        console.print(f"[bold]{f['flag']}[/] ({f['severity']}): {f.get('title', '')}")
        console.print(json.dumps(f["facts"], ensure_ascii=False, default=str))


@profile_app.command("purge")
def purge(as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON")) -> None:
    """清除超过保存期限的画像数据（保全除外）/ purge sources past retention (legal holds kept)."""
    setup_django()
    from qingzhai.profiling import services

    count = services.purge_expired(actor="cli")
    if as_json:
        _dump({"purged": count})
    else:
        console.print(f"purged {count}")

"""`qingzhai import portfolio FILE --creditor NAME ...`. Exit status: 0 imported (or checked) without
errors, 1 rows have errors, 2 the input cannot be used at all (not a table, undecodable, empty, unknown
creditor, bad options)."""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from qingzhai.cli import import_app, setup_django

console = Console()
err_console = Console(stderr=True)

EXIT_OK, EXIT_ROW_ERRORS, EXIT_UNUSABLE = 0, 1, 2
SHOWN_ERRORS = 50


def _fail(code: str, message: str, as_json: bool, fields: dict[str, Any] | None = None) -> None:
    if as_json:
        print(
            json.dumps(
                {
                    "code": code,
                    "message": message,
                    "fields": fields or {},
                    "rows": 0,
                    "imported": 0,
                    "updated": 0,
                    "unchanged": 0,
                    "errors": [],
                },
                ensure_ascii=False,
            )
        )
    else:
        err_console.print(f"[red]{message}[/]")
    raise typer.Exit(EXIT_UNUSABLE)


def _parse_day(raw: str | None, label: tuple[str, str], as_json: bool) -> Any:
    from qingzhai.core.dates import DateError, parse_date
    from qingzhai.core.i18n import bi

    if not raw:
        return None
    try:
        return parse_date(raw)
    except DateError:
        _fail("options_invalid", bi(f"{label[0]}无效：{raw}", f"Invalid {label[1]}: {raw}"), as_json)
    return None


@import_app.command("portfolio")
def portfolio(
    file: Path = typer.Argument(..., help="CSV 或 XLSX 文件 / CSV or XLSX file", exists=False),
    creditor: str = typer.Option(..., "--creditor", help="委托方名称或代码 / creditor name or code"),
    portfolio_code: str = typer.Option(
        "",
        "--portfolio",
        help="批次代码，不存在则创建；默认 <委托方代码>-<委案日期YYYYMMDD> / portfolio code, created if "
        "missing; default <creditor code>-<placement YYYYMMDD>",
    ),
    placement_date: str = typer.Option(
        "", "--placement-date", help="委案日期，默认今天 / placement date, default today"
    ),
    recall_date: str = typer.Option("", "--recall-date", help="退案日期 / recall date"),
    mapping: Path | None = typer.Option(
        None,
        "--mapping",
        help='列映射 JSON 文件 {"文件表头": "字段名"} / column mapping JSON {"their header": "our field"}',
    ),
    sheet: str = typer.Option(
        "", "--sheet", help="XLSX 工作表名，默认第一个非空表 / sheet name, default the first non-empty"
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="只校验不导入 / check only, import nothing"),
    skip_invalid: bool = typer.Option(
        False, "--skip-invalid", help="跳过有错误的行，导入其余行 / import the valid rows, skip the others"
    ),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / JSON output"),
) -> None:
    """导入委案文件（债务人、案件、债务）/ Import a portfolio file (debtors, cases, debts).

    有任何错误则不导入（除非 --skip-invalid）；重复导入同一文件不会产生变化。
    Any error imports nothing (unless --skip-invalid); importing the same file again changes nothing.
    """
    setup_django()
    from django.db.models import Q

    from qingzhai.core.errors import DomainError
    from qingzhai.core.i18n import bi
    from qingzhai.portfolio.intake import ImportOptions, UnusableInput, import_file
    from qingzhai.portfolio.models import Creditor

    if not file.is_file():
        _fail("file_not_found", bi(f"文件不存在：{file}", f"No such file: {file}"), as_json)
    found = Creditor.objects.filter(Q(name=creditor.strip()) | Q(code=creditor.strip())).first()
    if found is None:
        known = ", ".join(f"{c.name} ({c.code})" for c in Creditor.objects.order_by("code")[:20]) or "—"
        _fail(
            "creditor_unknown",
            bi(
                f"委托方不存在：{creditor}。现有委托方：{known}",
                f"Unknown creditor: {creditor}. Known: {known}",
            ),
            as_json,
        )
    mapping_data = None
    if mapping is not None:
        try:
            mapping_data = json.loads(mapping.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            _fail(
                "mapping_invalid",
                bi(f"无法读取列映射文件 {mapping}：{exc}", f"Cannot read the mapping file {mapping}: {exc}"),
                as_json,
            )
    options = ImportOptions(
        creditor=found,  # type: ignore[arg-type]
        portfolio_code=portfolio_code,
        placement_date=_parse_day(placement_date, ("委案日期", "placement date"), as_json),
        recall_date=_parse_day(recall_date, ("退案日期", "recall date"), as_json),
        mapping=mapping_data,
        skip_invalid=skip_invalid,
        dry_run=dry_run,
        sheet=sheet or None,
    )
    actor = f"cli:{_os_user()}"
    show_progress = not as_json and sys.stderr.isatty()
    try:
        if show_progress:
            from rich.progress import Progress

            with Progress(console=err_console, transient=True) as bar:
                task = bar.add_task(bi("导入中", "Importing"), total=None)
                result = import_file(
                    actor=actor,
                    path=file,
                    options=options,
                    progress=lambda done, total: bar.update(task, completed=done, total=total or None),
                )
        else:
            result = import_file(actor=actor, path=file, options=options)
    except UnusableInput as exc:
        _fail(exc.code, exc.message, as_json, exc.fields)
    except DomainError as exc:
        _fail(exc.code, exc.message, as_json, exc.fields)
    status = EXIT_ROW_ERRORS if result.error_count else EXIT_OK
    if as_json:
        print(json.dumps(result.as_json(), ensure_ascii=False))
        raise typer.Exit(status)
    _print_human(result, bi)
    raise typer.Exit(status)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def _print_human(result: Any, bi: Any) -> None:
    where = result.file_type.upper()
    if result.encoding:
        where += f", {result.encoding}"
    if result.sheet:
        others = f" / {len(result.sheets)}" if len(result.sheets) > 1 else ""
        where += bi(f"，工作表「{result.sheet}」{others}", f", sheet '{result.sheet}'{others}")
    console.print(
        bi(
            f"读取 {where}；表头在第 {result.header_row} 行",
            f"Read {where}; header in row {result.header_row}",
        )
    )
    if result.ignored_columns:
        console.print(
            bi("未识别、已忽略的列：", "Columns not recognised, ignored: ")
            + ", ".join(result.ignored_columns)
        )
    summary = Table(show_header=False)
    summary.add_row(
        bi("批次", "Portfolio"),
        result.portfolio_code + (bi("（新建）", " (new)") if result.portfolio_created else ""),
    )
    summary.add_row(bi("数据行", "Rows"), str(result.rows))
    summary.add_row(bi("新增", "Imported"), str(result.imported))
    summary.add_row(bi("更新", "Updated"), str(result.updated))
    summary.add_row(bi("无变化", "Unchanged"), str(result.unchanged))
    if result.skipped:
        summary.add_row(bi("跳过（有错误）", "Skipped (errors)"), str(result.skipped))
    summary.add_row(bi("错误", "Errors"), str(result.error_count))
    console.print(summary)
    if result.errors:
        table = Table(bi("行", "Row"), bi("列", "Column"), bi("错误", "Error"))
        for error in result.errors[:SHOWN_ERRORS]:
            table.add_row(str(error.row), error.column, error.message)
        console.print(table)
        if result.error_count > SHOWN_ERRORS:
            console.print(
                bi(
                    f"……另有 {result.error_count - SHOWN_ERRORS} 处错误（用 --json 查看全部）",
                    f"... and {result.error_count - SHOWN_ERRORS} more (see them all with --json)",
                )
            )
    if result.dry_run:
        console.print(bi("试运行：没有写入任何数据", "Dry run: nothing was written"))
    elif result.error_count and not result.skipped:
        console.print(bi("[red]有错误，未导入任何数据[/]", "[red]There are errors: nothing was imported[/]"))

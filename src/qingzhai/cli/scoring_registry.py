"""`qingzhai model register | list | promote | retire | train-cases | run | drift`: the model registry,
batch scoring and the drift monitor from the command line (thin: every command calls one service)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from qingzhai.cli import setup_django
from qingzhai.cli.errors import fail
from qingzhai.cli.scoring import _load, console, dump, fail_from, model_app


def _model_row(m: Any) -> dict[str, Any]:
    return {
        "id": m.pk,
        "name": m.name,
        "version": m.version,
        "kind": m.kind,
        "status": m.status,
        "label": m.label_code,
        "auc": m.metrics.get("auc"),
        "ks": m.metrics.get("ks"),
        "n_train": m.n_train,
        "n_test": m.n_test,
        "sha256": m.payload_sha256,
        "created_at": m.created_at.isoformat(),
        "note": m.note,
    }


def _done(m: Any, as_json: bool, text: str) -> None:
    if as_json:
        dump(_model_row(m))
    else:
        console.print(f"{text}: {m} (id {m.pk}, {m.status})", soft_wrap=True)


def _show(rows: list[dict[str, Any]], title: str) -> None:
    table = Table(title=title)
    keys = list(rows[0]) if rows else []
    for key in keys:
        table.add_column(key)
    for row in rows:
        table.add_row(*("" if row[k] is None else str(row[k]) for k in keys))
    console.print(table)


def _call(as_json: bool, fn: Any, **kwargs: Any) -> Any:
    from qingzhai.core import audit
    from qingzhai.core.errors import DomainError
    from qingzhai.scoring.engine.spec import ScoringError

    try:
        with audit.source("cli"):
            return fn(actor="cli", **kwargs)
    except (DomainError, ScoringError) as exc:
        fail_from(as_json, exc)


@model_app.command("register")
def register(
    model_dir: Path = typer.Option(..., "--model", help="模型目录 / model directory"),
    name: str = typer.Option("repayment", "--name", help="模型名称 / model name"),
    note: str = typer.Option("", "--note", help="备注 / note"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
) -> None:
    """注册为该名称的下一个版本（候选）/ register as the next version of the name (a candidate)."""
    setup_django()
    from qingzhai.profiling import indicators as ind
    from qingzhai.scoring import services

    trained = _load(model_dir, as_json)
    codes = {i.code for i in ind.catalogue()}
    source = "indicators" if trained.features and all(f.name in codes for f in trained.features) else "csv"
    m = _call(as_json, services.model_register, name=name, trained=trained, feature_source=source, note=note)
    _done(m, as_json, "已注册 / registered")


@model_app.command("list")
def list_models(
    name: str | None = typer.Option(None, "--name", help="只看该名称 / only this name"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
) -> None:
    """模型清单 / the registry."""
    setup_django()
    from qingzhai.scoring.models import ScoringModel

    qs = ScoringModel.objects.defer("payload").order_by("name", "-version")
    rows = [_model_row(m) for m in (qs.filter(name=name) if name else qs)]
    if as_json:
        dump(rows)
    else:
        _show(rows, "模型 / models")


@model_app.command("promote")
def promote(
    model_id: int = typer.Argument(..., help="模型编号 / model id"),
    reason: str = typer.Option(..., "--reason", help="原因（必填）/ reason (required)"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
) -> None:
    """发布为冠军，原冠军回到候选 / make it the champion; the old champion becomes a candidate."""
    setup_django()
    from qingzhai.scoring import services

    m = _call(as_json, services.model_promote, model_id=model_id, reason=reason)
    _done(m, as_json, "冠军 / champion")


@model_app.command("retire")
def retire(
    model_id: int = typer.Argument(..., help="模型编号 / model id"),
    reason: str = typer.Option(..., "--reason", help="原因（必填）/ reason (required)"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
) -> None:
    """停用一个（非冠军）模型 / retire a model that is not the champion."""
    setup_django()
    from qingzhai.scoring import services

    m = _call(as_json, services.model_retire, model_id=model_id, reason=reason)
    _done(m, as_json, "已停用 / retired")


@model_app.command("train-cases")
def train_cases(
    label: str = typer.Option(..., "--label", help="标签代码 / label code, e.g. recovered_50_180"),
    portfolio: int | None = typer.Option(None, "--portfolio", help="委案批次编号 / portfolio id"),
    kind: str = typer.Option("auto", "--kind", help="scorecard | gbm | auto"),
    name: str = typer.Option("repayment", "--name", help="模型名称 / model name"),
    seed: int = typer.Option(42, "--seed", help="随机种子 / random seed"),
    note: str = typer.Option("", "--note", help="备注 / note"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
) -> None:
    """用本方案件结果训练并注册 / train on our own case outcomes and register the model."""
    setup_django()
    from qingzhai.scoring import services

    m = _call(
        as_json,
        services.model_train_from_cases,
        name=name,
        label_code=label,
        kind=kind,
        portfolio_id=portfolio,
        seed=seed,
        note=note,
    )
    _done(m, as_json, "已训练并注册 / trained and registered")


@model_app.command("run")
def run(
    portfolio: int | None = typer.Option(None, "--portfolio", help="委案批次编号 / portfolio id"),
    model: int | None = typer.Option(None, "--model", help="模型编号，默认冠军 / model id (champion)"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
) -> None:
    """批量评分（分块任务）/ batch-score cases (chunked tasks)."""
    setup_django()
    from qingzhai.scoring import services
    from qingzhai.scoring.models import ScoringRun

    started = _call(as_json, services.scoring_run_start, model_id=model, portfolio_id=portfolio)
    r = ScoringRun.objects.get(
        pk=started.pk
    )  # eager tasks have run by now; a broker's workers may still be busy
    row = {
        "run": r.pk,
        "model": r.model_id,
        "status": r.status,
        "total": r.total,
        "chunks": r.chunks,
        "chunks_done": r.chunks_done,
        "scored": r.scored,
        "failed": r.failed,
        "as_of": r.as_of.isoformat(),
    }
    if as_json:
        dump(row)
    else:
        _show([row], "评分任务 / scoring run")


def _month(value: str | None, as_json: bool) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(f"{value}-01")
    except ValueError:
        fail(
            as_json,
            "month_invalid",
            f"月份无效（应为 YYYY-MM）：{value}",
            f"Invalid month (YYYY-MM): {value}",
        )


@model_app.command("drift")
def drift(
    month: str | None = typer.Option(
        None, "--month", help="月份 YYYY-MM，默认上月 / month, default last month"
    ),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
) -> None:
    """冠军模型的月度 PSI 漂移检查 / monthly PSI drift check of the champions (0.10 watch, 0.25 alert)."""
    setup_django()
    from qingzhai.scoring import services

    checks = services.drift_check_all(month=_month(month, as_json))
    rows = [
        {
            "model": str(c.model),
            "month": c.month.strftime("%Y-%m"),
            "n": c.n,
            "score_psi": c.score_psi,
            "level": c.level,
            "feature_psi": c.feature_psi,
        }
        for c in checks
    ]
    if as_json:
        dump(rows)
    elif not rows:
        console.print("没有冠军模型 / no champion models")
    else:
        _show(rows, "漂移检查 / drift")

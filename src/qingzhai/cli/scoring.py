"""`qingzhai model ...`: train a repayment model from any CSV, score a CSV with it, print its card; the
registry commands (register, list, promote, train-cases, run, drift) are in cli/scoring_registry.py.

Exit status: 0 done; 2 unusable input (unreadable file, unknown column, too little data, label leakage),
with the message in Chinese and English and never a traceback."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from qingzhai.cli import app
from qingzhai.cli.errors import fail

model_app = typer.Typer(
    help="还款能力模型 / Repayment-ability model: 训练、评分、模型卡、注册、发布、批量评分、漂移 / "
    "train, score, card, register, promote, batch scoring, drift",
    no_args_is_help=True,
)
app.add_typer(model_app, name="model")
console = Console()

TRAIN_KEYS = ("kind", "auc", "ks", "gini", "accuracy", "brier", "n_train", "n_test")


def fail_from(as_json: bool, exc: Exception) -> NoReturn:
    """An engine ScoringError or a DomainError, as `fail` prints it."""
    from qingzhai.core.errors import DomainError
    from qingzhai.scoring.engine.spec import ScoringError

    if isinstance(exc, ScoringError):
        fields = {exc.field: [f"{exc.message_zh} / {exc.message_en}"]} if exc.field else {}
        fail(as_json, exc.code, exc.message_zh, exc.message_en, fields)
    if isinstance(exc, DomainError):
        fail(as_json, exc.code, exc.zh, exc.en, exc.fields)
    fail(as_json, "error", f"出错：{exc}", f"Error: {exc}")


def dump(payload: Any) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=1, default=str))


def _r4(value: Any) -> Any:
    return round(float(value), 4) if isinstance(value, float) else value


def _existing(path: Path, as_json: bool) -> Path:
    if not path.exists():
        fail(as_json, "file_missing", f"文件不存在：{path}", f"No such file: {path}")
    return path


def _load(model_dir: Path, as_json: bool) -> Any:
    from qingzhai.scoring.engine.model import TrainedModel
    from qingzhai.scoring.engine.spec import ScoringError

    _existing(model_dir, as_json)
    try:
        return TrainedModel.load(model_dir)
    except ScoringError as exc:
        fail_from(as_json, exc)


@model_app.command("train")
def train(
    csv_file: Path = typer.Option(..., "--csv", help="训练数据 CSV/XLSX / training data"),
    target: str = typer.Option(..., "--target", help="目标列 / target column"),
    kind: str = typer.Option("auto", "--kind", help="scorecard | gbm | auto"),
    time_col: str | None = typer.Option(
        None, "--time-col", help="日期列：按时间切分 / date column: out-of-time split"
    ),
    protected: list[str] = typer.Option(
        [], "--protected", help="受保护属性列（可重复）/ protected column (repeatable)"
    ),
    exclude: list[str] = typer.Option(
        [], "--exclude", help="不用作特征的列（可重复）/ column never used (repeatable)"
    ),
    id_col: str | None = typer.Option(
        None, "--id-col", help="标识列，评分时带出 / id column carried into scores"
    ),
    seed: int = typer.Option(42, "--seed", help="随机种子 / random seed"),
    out: Path = typer.Option(..., "--out", help="模型目录 / model directory to write"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
) -> None:
    """训练模型，输出留出集指标 / train a model; print held-out metrics:
    {"kind", "auc", "ks", "gini", "accuracy", "brier", "n_train", "n_test"}."""
    from qingzhai.scoring.engine import data as data_mod
    from qingzhai.scoring.engine import train as train_mod
    from qingzhai.scoring.engine.spec import ScoringError, TrainSpec

    if kind not in ("scorecard", "gbm", "auto"):
        fail(
            as_json,
            "invalid_choice",
            f"未知的模型类型：{kind}（可选 scorecard、gbm、auto）",
            f"Unknown kind: {kind} (scorecard, gbm or auto)",
        )
    _existing(csv_file, as_json)
    try:
        df = data_mod.read_table(csv_file)
        spec = TrainSpec(
            target=target,
            kind=kind,  # type: ignore[arg-type]
            time_col=time_col or None,
            seed=seed,
            protected_extra=tuple(protected),
            exclude=tuple(exclude),
            id_col=id_col or None,
        )
        model = train_mod.train(df, spec)
        model.save(out)
    except ScoringError as exc:
        fail_from(as_json, exc)
    payload = {
        "kind": model.kind,
        **{k: _r4(model.metrics.get(k)) for k in ("auc", "ks", "gini", "accuracy", "brier")},
        "n_train": int(model.data.get("n_train", 0)),
        "n_test": int(model.data.get("n_test", 0)),
    }
    if as_json:
        print(json.dumps({k: payload[k] for k in TRAIN_KEYS}, ensure_ascii=False))
        return
    table = Table(title=f"模型 / model: {model.kind} → {out}")
    table.add_column("指标 / metric")
    table.add_column("留出集 / held-out", justify="right")
    for key in TRAIN_KEYS[1:]:
        table.add_row(key, str(payload[key]))
    console.print(table)
    console.print(
        f"特征 / features: {len(model.features)}；未用列 / columns not used: "
        + ", ".join(f"{d.column} ({d.reason})" for d in model.dropped),
        soft_wrap=True,
    )


def _id_column(model: Any, df: Any) -> str | None:
    """The model's id column if the file has it, else the first column training set aside as an id."""
    if model.id_col and model.id_col in df.columns:
        return str(model.id_col)
    for d in model.dropped:
        if d.reason == "identifier" and d.column in df.columns:
            return str(d.column)
    return None


@model_app.command("score")
def score(
    model_dir: Path = typer.Option(..., "--model", help="模型目录 / model directory"),
    csv_file: Path = typer.Option(..., "--csv", help="待评分数据 / data to score"),
    out: Path = typer.Option(..., "--out", help="输出 CSV / output CSV"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON 摘要 / print a JSON summary"),
) -> None:
    """为 CSV 每行评分 / score every row: id (or row), probability, points, band, reason_1..3 (中文)."""
    from qingzhai.scoring.engine import data as data_mod
    from qingzhai.scoring.engine.spec import ScoringError

    model = _load(model_dir, as_json)
    _existing(csv_file, as_json)
    try:
        df = data_mod.read_table(csv_file)
        result = model.score(df, top=3)
    except ScoringError as exc:
        fail_from(as_json, exc)
    id_col = _id_column(model, df)
    ids = list(df[id_col]) if id_col else list(range(1, len(df) + 1))
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            [id_col or "row", "probability", "points", "band", "reason_1", "reason_2", "reason_3"]
        )
        for i, row_id in enumerate(ids):
            reasons = [r.text_zh for r in result.reasons[i]] if result.reasons else []
            writer.writerow(
                [
                    row_id,
                    f"{float(result.probability[i]):.6f}",
                    int(result.points[i]),
                    result.band[i] if result.band else "",
                    *[*reasons, "", "", ""][:3],
                ]
            )
    summary = {"rows": len(ids), "out": str(out), "id_column": id_col or "row"}
    if as_json:
        dump(summary)
    else:
        console.print(f"已评分 / scored {len(ids)} 行 rows → {out}", soft_wrap=True)


def _card_of(model_dir: Path, as_json: bool) -> dict[str, Any]:
    file = model_dir / "card.json" if model_dir.is_dir() else None
    if file is not None and file.is_file():
        loaded: dict[str, Any] = json.loads(file.read_text(encoding="utf-8"))
        return loaded
    from qingzhai.scoring.engine.card import card as make_card

    return make_card(_load(model_dir, as_json))


def print_card(card: dict[str, Any], lang: str) -> None:
    zh = not lang.startswith("en")
    label = card.get("label") or {}
    data = card.get("data") or {}
    model = card.get("model") or {}
    console.print(
        f"[bold]{model.get('kind_zh' if zh else 'kind_en', model.get('kind', ''))}[/]", soft_wrap=True
    )
    console.print(
        f"{'标签' if zh else 'Label'}: {label.get('name_zh' if zh else 'name_en', label.get('code', ''))} — "
        f"{label.get('description_zh' if zh else 'description_en', '')}",
        soft_wrap=True,
    )
    console.print(
        f"{'数据' if zh else 'Data'}: n_train={data.get('n_train')} n_test={data.get('n_test')} "
        f"split={data.get('split_method')} features={data.get('features_used')}/{data.get('features_offered')}",
        soft_wrap=True,
    )
    metrics = Table(title="留出集指标" if zh else "Held-out metrics")
    metrics.add_column("metric")
    metrics.add_column("value", justify="right")
    for key in ("auc", "ks", "gini", "accuracy", "f1", "brier", "threshold"):
        if key in (card.get("metrics") or {}):
            metrics.add_row(key, str(_r4(card["metrics"][key])))
    console.print(metrics)
    importance = Table(title="特征重要性（前 10）" if zh else "Top 10 importance")
    importance.add_column("feature")
    importance.add_column("share", justify="right")
    for row in (card.get("importance") or [])[:10]:
        importance.add_row(
            str(row.get("name_zh" if zh else "name_en") or row.get("feature")), f"{row.get('share', 0):.3f}"
        )
    console.print(importance)
    fairness = card.get("fairness") or {}
    attributes = fairness.get("attributes") or []
    if not attributes:
        note = fairness.get("note_zh" if zh else "note_en") or (
            "数据中没有受保护属性" if zh else "no protected attribute"
        )
        console.print(f"{'公平性' if zh else 'Fairness'}: {note}", soft_wrap=True)
    for attr in attributes:
        ratio = attr.get("positive_rate_ratio")
        flag = (" ⚠ 低于 0.8" if zh else " ⚠ below 0.8") if attr.get("flag") else ""
        table = Table(
            title=f"{'公平性' if zh else 'Fairness'}: {attr.get('attribute')} "
            f"({'高分占比之比' if zh else 'positive-rate ratio'} {_r4(ratio) if ratio is not None else '—'}{flag})"
        )
        for col in ("group", "n", "mean_probability", "positive_rate", "auc"):
            table.add_column(col, justify="left" if col == "group" else "right")
        for g in attr.get("groups") or []:
            table.add_row(
                str(g.get("group")),
                str(g.get("n")),
                *(
                    str(_r4(g.get(k))) if g.get(k) is not None else "—"
                    for k in ("mean_probability", "positive_rate", "auc")
                ),
            )
        console.print(table)


@model_app.command("card")
def card(
    model_dir: Path = typer.Option(..., "--model", help="模型目录 / model directory"),
    html: Path | None = typer.Option(None, "--html", help="写出 HTML / write HTML"),
    pdf: Path | None = typer.Option(None, "--pdf", help="写出 PDF / write PDF"),
    lang: str = typer.Option("zh", "--lang", help="zh | en"),
    as_json: bool = typer.Option(False, "--json", help="输出模型卡 JSON / print the card as JSON"),
) -> None:
    """模型卡：标签、数据、指标、重要性、公平性 / the model card: label, data, metrics, importance, fairness."""
    if lang not in ("zh", "en"):
        fail(
            as_json,
            "invalid_choice",
            f"未知的语言：{lang}（可选 zh、en）",
            f"Unknown language: {lang} (zh or en)",
        )
    _existing(model_dir, as_json)
    data = _card_of(model_dir, as_json)
    if html is not None or pdf is not None:
        from qingzhai.cli import setup_django

        setup_django()
        from qingzhai.scoring import render

        if html is not None:
            html.write_text(render.card_html(data, lang=lang), encoding="utf-8")
        if pdf is not None:
            pdf.write_bytes(render.card_pdf(data, lang=lang))
    if as_json:
        dump(data)
    else:
        print_card(data, lang)

"""Reading tables and turning them into model inputs: target, typing, drops, leakage guard.

Pure (no Django). `prepare` is the only place that decides which columns become features; the same
typing rules are replayed by `prepare_for_scoring` so training and scoring see identical matrices.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .columns import (
    MAX_LEVELS,
    as_str,
    date_like,
    identifier_by_name,
    identifier_by_values,
    is_protected_name,
    parse_dates,
    parse_target,
    slug,
    to_number,
)
from .spec import (
    Dropped,
    FeatureInfo,
    LabelDefinition,
    LeakageError,
    ScoringError,
    TrainSpec,
)

MISSING_GROUP = "未知"  # protected attribute value when missing
MIN_ROWS_SEPARATION = 20  # leakage rule (c) needs this many non-missing rows of a feature ...
MIN_CLASS_SEPARATION = 5  # ... and this many rows of each class among them
MIN_CLASS_FUNCTION = 3  # rule (b) needs this many non-missing rows of each class


@dataclass
class Prepared:
    X: pd.DataFrame
    y: np.ndarray
    time: pd.Series | None
    ids: pd.Series | None
    features: list[FeatureInfo]
    dropped: list[Dropped]
    protected: pd.DataFrame
    label: LabelDefinition
    categories: dict[str, list[str]]
    target: str = ""
    rows_input: int = 0
    rows_dropped_no_target: int = 0
    # position in the input frame of each row kept (rows without a target are dropped)
    positions: np.ndarray = field(default_factory=lambda: np.arange(0))


# --------------------------------------------------------------------------------------------- reading
def read_table(path: str | Path) -> pd.DataFrame:
    """A CSV (UTF-8 with or without BOM, else GB18030; `,` `;` or tab) or an Excel sheet."""
    p = Path(path)
    name = p.name
    if not p.is_file():
        raise ScoringError(f"找不到文件「{name}」。", f"File {name} not found.", field="file")
    try:
        df = pd.read_excel(p) if p.suffix.lower() in (".xlsx", ".xlsm", ".xls") else _read_csv(p)
    except ScoringError:
        raise
    except Exception as exc:
        raise ScoringError(
            f"无法读取文件「{name}」：{exc}", f"Cannot read file {name}: {exc}", field="file"
        ) from exc
    if df.shape[1] == 0 or df.shape[0] == 0:
        raise ScoringError(f"文件「{name}」没有数据行。", f"File {name} has no data rows.", field="file")
    return _norm_columns(df)


def _read_csv(p: Path) -> pd.DataFrame:
    raw = p.read_bytes()
    if not raw.strip():
        raise ScoringError(f"文件「{p.name}」是空的。", f"File {p.name} is empty.", field="file")
    text = None
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise ScoringError(
            f"文件「{p.name}」的编码无法识别（请使用 UTF-8 或 GB18030）。",
            f"File {p.name} is neither UTF-8 nor GB18030 encoded.",
            field="file",
        )
    lines = text.splitlines()
    try:
        delimiter = csv.Sniffer().sniff("\n".join(lines[:50]), delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = max([",", ";", "\t"], key=lines[0].count)
    return pd.read_csv(io.StringIO(text), sep=delimiter)


def _norm_columns(df: pd.DataFrame) -> pd.DataFrame:
    cols = [str(c).replace("\ufeff", "").strip() for c in df.columns]
    if cols != list(df.columns):
        df = df.copy()
        df.columns = cols
    return df


# ----------------------------------------------------------------------------------------- preparing
def prepare(df: pd.DataFrame, spec: TrainSpec) -> Prepared:
    """Target to 0/1, columns typed, non-features dropped with a reason, leakage refused."""
    df = _norm_columns(df)
    dup = sorted({str(c) for c in df.columns[df.columns.duplicated()]})
    if dup:
        raise ScoringError(
            f"列名重复：{'、'.join(dup)}", f"Duplicate column names: {', '.join(dup)}", field=dup[0]
        )
    target = spec.target.strip()
    if target not in df.columns:
        raise ScoringError(
            f"数据中没有目标列「{target}」。", f"Target column {target} is not in the data.", field="target"
        )
    y_all, ones = parse_target(df[target], target, spec.label.positive if spec.label else ())
    positions = np.flatnonzero(~np.isnan(y_all))
    rows_input = len(df)
    df = df.iloc[positions].reset_index(drop=True)
    y = y_all[positions].astype(np.int8)
    label = spec.label or LabelDefinition(
        code=slug(target),
        name_zh=f"目标列「{target}」",
        name_en=f"target column {target}",
        description_zh=f"目标列「{target}」取值为 {'、'.join(ones)} 时记为 1，其余记为 0。",
        description_en=f"Column {target}: {', '.join(ones)} count as 1, everything else as 0.",
        kind="column",
        positive=tuple(ones),
    )
    dropped = [Dropped(target, "target", "目标列", "the target column")]
    time = None
    if spec.time_col:
        time = _time_column(df, spec.time_col, positions)
        dropped.append(
            Dropped(spec.time_col, "date", "时间列，用于按时间切分", "time column, used for the split")
        )
    ids = None
    if spec.id_col:
        if spec.id_col not in df.columns:
            raise ScoringError(
                f"数据中没有编号列「{spec.id_col}」。",
                f"Id column {spec.id_col} is not in the data.",
                field="id_col",
            )
        ids = df[spec.id_col].reset_index(drop=True)
        dropped.append(
            Dropped(spec.id_col, "identifier", "编号列，仅随评分输出", "id column, carried into the output")
        )

    known = {f.name: f for f in spec.features}
    exclude = {c.strip() for c in spec.exclude}
    cols: dict[str, pd.Series] = {}
    protected: dict[str, pd.Series] = {}
    for col in df.columns:
        if col in (target, spec.time_col, spec.id_col):
            continue
        s = df[col]
        if is_protected_name(col, spec.protected_extra):
            protected[col] = as_str(s).fillna(MISSING_GROUP).astype(object)
            dropped.append(
                Dropped(col, "protected", "受保护属性，不作为特征", "protected attribute, never a feature")
            )
            continue
        reason = _drop_reason(col, s, excluded=col in exclude, named=col in known)
        if reason is None:
            typed = _typed(s, known.get(col))
            if typed is not None:
                cols[col] = typed
                continue
            reason = ("too_many_levels", f"类别超过 {MAX_LEVELS} 个", f"more than {MAX_LEVELS} levels")
        dropped.append(Dropped(col, *reason))
    X = pd.DataFrame(cols, index=pd.RangeIndex(len(df)))
    features: list[FeatureInfo] = []
    categories: dict[str, list[str]] = {}
    for col in X.columns:
        categorical = isinstance(X[col].dtype, pd.CategoricalDtype)
        base = known.get(col)
        features.append(
            FeatureInfo(
                name=col,
                dtype="categorical" if categorical else "numeric",
                name_zh=base.name_zh if base else "",
                name_en=base.name_en if base else "",
                direction=int(spec.monotone.get(col, base.direction if base else 0)),
                unit=base.unit if base else "",
            )
        )
        if categorical:
            categories[col] = [str(c) for c in X[col].cat.categories]
    if not features:
        raise ScoringError("没有可用的特征列。", "No usable feature columns remain.", field="features")
    check_leakage(X, y, features)
    return Prepared(
        X=X,
        y=y,
        time=time,
        ids=ids,
        features=features,
        dropped=dropped,
        protected=pd.DataFrame(protected, index=pd.RangeIndex(len(df))),
        label=label,
        categories=categories,
        target=target,
        rows_input=rows_input,
        rows_dropped_no_target=rows_input - len(df),
        positions=positions,
    )


def _time_column(df: pd.DataFrame, col: str, positions: np.ndarray) -> pd.Series:
    if col not in df.columns:
        raise ScoringError(
            f"数据中没有时间列「{col}」。", f"Time column {col} is not in the data.", field="time_col"
        )
    parsed = parse_dates(df[col])
    bad = np.flatnonzero(parsed.isna().to_numpy())
    if len(bad):
        rows = ", ".join(str(int(positions[i]) + 2) for i in bad[:10])  # file line: 1-based, after the header
        more = f" …(+{len(bad) - 10})" if len(bad) > 10 else ""
        raise ScoringError(
            f"时间列「{col}」有 {len(bad)} 行缺失或不是有效日期（文件第 {rows}{more} 行）。",
            f"Time column {col} has {len(bad)} missing or unparseable dates (file lines {rows}{more}).",
            field="time_col",
        )
    return parsed.reset_index(drop=True)


def _drop_reason(col: str, s: pd.Series, *, excluded: bool, named: bool) -> tuple[str, str, str] | None:
    if excluded:
        return ("excluded", "按要求排除", "excluded on request")
    nonnull = s.dropna()
    if len(nonnull) == 0:
        return ("empty", "整列为空", "all values missing")
    if not named and identifier_by_name(col, s):
        return ("identifier", "列名表明是标识符", "the name marks an identifier")
    if pd.api.types.is_datetime64_any_dtype(s) or date_like(s):
        return ("date", "日期列不作为特征", "dates are not features")
    if not named and identifier_by_values(s):
        return (
            "identifier",
            "取值几乎各不相同或为行号，像编号",
            "values are (nearly) unique or a row counter",
        )
    if nonnull.nunique() <= 1 and len(nonnull) > 0.99 * len(s):
        return ("constant", "取值恒定", "a single value")
    return None


def _typed(s: pd.Series, info: FeatureInfo | None) -> pd.Series | None:
    """float64 for numbers, Categorical of str for the rest; None when there are too many levels."""
    numeric = _numeric(s)
    if numeric is not None and not (info and info.dtype == "categorical"):
        return numeric
    strings = as_str(s)
    levels = sorted(strings.dropna().unique().tolist())
    if len(levels) > MAX_LEVELS:
        return None
    return pd.Series(pd.Categorical(strings, categories=levels), index=s.index)


def _numeric(s: pd.Series, *, share: float = 0.95) -> pd.Series | None:
    if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
        out = pd.to_numeric(s, errors="coerce").astype("float64")
    elif isinstance(s.dtype, pd.CategoricalDtype) or pd.api.types.is_datetime64_any_dtype(s):
        return None
    else:
        out = to_number(s)
        nonnull = int(s.notna().sum())
        if nonnull == 0 or out.notna().sum() < share * nonnull:
            return None
    return out.replace([np.inf, -np.inf], np.nan).reset_index(drop=True)


def prepare_for_scoring(
    df: pd.DataFrame, features: list[FeatureInfo], categories: dict[str, list[str]]
) -> pd.DataFrame:
    """The model's columns, in its order, typed as in training; unseen levels become missing."""
    df = _norm_columns(df)
    missing = [f.name for f in features if f.name not in df.columns]
    if missing:
        raise ScoringError(
            f"评分数据缺少模型需要的列：{'、'.join(missing)}",
            f"The data lacks columns the model needs: {', '.join(missing)}",
            field=missing[0],
        )
    cols: dict[str, Any] = {}
    for f in features:
        s = df[f.name].reset_index(drop=True)
        if f.dtype == "categorical":
            levels = list(categories.get(f.name, []))
            strings = as_str(s)
            cols[f.name] = pd.Categorical(strings.where(strings.isin(levels)), categories=levels)
        else:
            num = _numeric(s, share=0.0)
            cols[f.name] = num if num is not None else pd.Series(np.nan, index=s.index, dtype="float64")
    return pd.DataFrame(cols, index=pd.RangeIndex(len(df)))


# -------------------------------------------------------------------------------------------- leakage
def check_leakage(X: pd.DataFrame, y: np.ndarray, features: list[FeatureInfo]) -> None:
    """Refuse features that equal the label, are a function of it, or separate its classes perfectly."""
    yi = np.asarray(y).astype(int)
    found: list[tuple[str, str, str]] = []
    for f in features:
        if f.name in X.columns:
            why = _leak(X[f.name], yi, categorical=f.dtype == "categorical")
            if why:
                found.append((f.name, *why))
    if found:
        zh = "；".join(f"「{c}」{z}" for c, z, _ in found)
        en = "; ".join(f"{c} {e}" for c, _, e in found)
        raise LeakageError(
            f"以下列泄露了标签，不能作为特征（请删除或排除）：{zh}。",
            f"These columns leak the label and cannot be features (remove or exclude them): {en}.",
            field=found[0][0],
        )


def _leak(s: pd.Series, y: np.ndarray, *, categorical: bool) -> tuple[str, str] | None:
    miss = s.isna().to_numpy()
    n, n_miss = len(y), int(miss.sum())
    enough = n >= MIN_ROWS_SEPARATION and min(n_miss, n - n_miss) >= MIN_CLASS_SEPARATION
    if enough and (np.array_equal(miss, y == 1) or np.array_equal(miss, y == 0)):
        return ("是否缺失恰好决定标签", "is missing exactly for one class")
    yv = y[~miss]
    counts = np.bincount(yv, minlength=2)
    if counts.min() == 0:
        return None
    values = as_str(s[~miss]).to_numpy(dtype=object) if categorical else s[~miss].to_numpy(dtype=float)
    v0, v1 = values[yv == 0], values[yv == 1]
    constant = bool((v0 == v0[0]).all() and (v1 == v1[0]).all())
    if counts.min() >= MIN_CLASS_FUNCTION and constant and v0[0] != v1[0]:
        try:
            same = np.array_equal(parse_target(pd.Series(values), "", (), strict=True)[0], yv.astype(float))
        except ScoringError:
            same = False
        if same:
            return ("与标签相同", "equals the label")
        return ("是标签的确定函数", "is a deterministic function of the label")
    if len(yv) < MIN_ROWS_SEPARATION or counts.min() < MIN_CLASS_SEPARATION:
        return None
    if categorical:
        table = pd.crosstab(values, yv)
        pure = bool(((table > 0).sum(axis=1) == 1).all())
        if pure and len(table) >= 2 and len(table) * MIN_CLASS_SEPARATION <= len(yv):
            return (
                "每个类别只对应一个标签值，完全决定标签",
                "determines the label exactly (every level is pure)",
            )
        return None
    if v1.min() > v0.max() or v1.max() < v0.min():  # single-feature AUC of 1 or 0
        return ("单个阈值即可完全区分标签", "separates the classes perfectly at one threshold")
    return None


# -------------------------------------------------------------------------------------- value helpers

__all__ = ["Prepared", "check_leakage", "parse_target", "prepare", "prepare_for_scoring", "read_table"]

"""Column rules shared by training and scoring: value parsing, identifier, date and protected-attribute detection."""

from __future__ import annotations

import re
import warnings
from typing import Any

import numpy as np
import pandas as pd

from .spec import PROTECTED_DEFAULT, ScoringError

MAX_LEVELS = 50
# Target values understood without a label definition (lower-cased).
TARGET_TOKENS: dict[str, int] = {
    "1": 1, "0": 0, "true": 1, "false": 0, "yes": 1, "no": 0, "y": 1, "n": 0, "t": 1, "f": 0,
    "是": 1, "否": 0, "bad": 1, "good": 0, "default": 1, "non-default": 0, "违约": 1, "未违约": 0,
    "坏": 1, "好": 0, "正常": 0,
}  # fmt: skip

# Identifier names: whole names, last name tokens (customer_id, loanId), Chinese substrings.
ID_NAMES = {"id", "uuid", "guid", "rownames", "rowname", "index", "idx", "row", "rownum", "row_number", "seq"}
ID_LAST = {"id", "uuid", "guid"}
ID_ZH = ("身份证", "证件号", "编号", "序号", "账号", "卡号", "流水号", "合同号", "单号")
# Contact-like names: identifiers only when nearly every row has its own value (a 2-level "telephone" stays).
CONTACT_TOKENS = {"phone", "telephone", "tel", "mobile", "cellphone", "email", "mail", "name", "fullname",
                  "username", "account", "address", "ssn", "passport"}  # fmt: skip
CONTACT_ZH = ("手机", "电话", "姓名", "名字", "邮箱", "地址", "账户")
PHONE_TOKENS = {"phone", "telephone", "tel", "mobile", "cellphone"}
DATE_RE = re.compile(
    r"^\s*(\d{4}[-/.年]\d{1,2}(?:[-/.月]\d{1,2}日?)?|\d{1,2}[-/.]\d{1,2}[-/.]\d{4})"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*$"
)
NUMBER_JUNK = re.compile(r"[\s,，¥￥$€£]")


def _str_value(v: Any) -> Any:
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, (float, np.floating)) and np.isnan(v)):
        return np.nan
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    text = str(v).strip()
    return text if text else np.nan


def as_str(s: pd.Series) -> pd.Series:
    """Values as trimmed strings (1.0 -> "1"), missing and blank as NaN; object dtype, same index."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        levels = as_str(pd.Series(s.cat.categories)).to_numpy(dtype=object)
        codes = s.cat.codes.to_numpy()
        return pd.Series(np.where(codes >= 0, levels[codes], np.nan), index=s.index, dtype=object)
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        v = s.to_numpy(dtype=float, na_value=np.nan)
        out = np.full(len(v), np.nan, dtype=object)
        with np.errstate(invalid="ignore"):
            whole = np.isfinite(v) & (np.mod(v, 1) == 0) & (np.abs(v) < 2**53)
        other = ~np.isnan(v) & ~whole
        out[whole] = v[whole].astype(np.int64).astype(str)
        out[other] = [str(float(x)) for x in v[other]]
        return pd.Series(out, index=s.index, dtype=object)
    if pd.api.types.is_string_dtype(s) and pd.api.types.infer_dtype(s, skipna=True) == "string":
        text = s.astype(object).str.strip()
        return text.where(text.notna() & (text != ""), np.nan).astype(object)
    return s.map(_str_value).astype(object)


def to_number(s: pd.Series) -> pd.Series:
    """Numbers written with separators, currency signs or a percent sign ("1,234", "¥3,000", "12%")."""
    text = as_str(s).str.replace(NUMBER_JUNK, "", regex=True).str.removesuffix("%")
    return pd.to_numeric(text, errors="coerce").astype("float64")


def parse_target(
    s: pd.Series, col: str, positive: tuple[str, ...] | list[str] = (), *, strict: bool = False
) -> tuple[np.ndarray, list[str]]:
    """(0/1 with NaN for missing, the raw values read as 1). `positive` lists the values meaning 1."""
    raw = as_str(s)
    keys = raw.map(lambda v: v.lower() if isinstance(v, str) else v)
    distinct = sorted(keys.dropna().unique().tolist())
    seen = ", ".join(sorted(raw.dropna().unique().tolist())[:10])
    if not distinct:
        raise ScoringError(
            f"目标列「{col}」全部为空。", f"Target column {col} has no values.", field="target"
        )
    if positive:
        pos = {str(p).strip().lower() for p in positive}
        pos |= {k.lower() for k in map(_str_value, positive) if isinstance(k, str)}
        mapping = {k: int(k in pos) for k in distinct}
    else:
        mapping = {k: TARGET_TOKENS[k] for k in distinct if k in TARGET_TOKENS}
        unknown = [k for k in distinct if k not in mapping]
        if unknown and not strict and len(distinct) == 2:
            if len(unknown) == 1:  # the other value is the complement of the known one
                mapping[unknown[0]] = 1 - next(iter(mapping.values()))
            elif all(_is_number(k) for k in unknown):  # two numeric codes: the larger means 1
                lo, hi = sorted(unknown, key=float)
                mapping.update({lo: 0, hi: 1})
        if len(mapping) < len(distinct):
            raise ScoringError(
                f"目标列「{col}」的取值无法解读为 0/1：{seen}；请在标签定义中指定哪些值记为 1。",
                f"Target column {col} has values that do not read as 0/1: {seen}; name the values meaning 1.",
                field="target",
            )
    if len(set(mapping.values())) < 2:
        raise ScoringError(
            f"目标列「{col}」只有一个类别（取值：{seen}）。",
            f"Target column {col} has a single class (values seen: {seen}).",
            field="target",
        )
    y = keys.map(lambda k: mapping.get(k, np.nan) if isinstance(k, str) else np.nan).to_numpy(dtype=float)
    ones = sorted({str(r) for r in raw.dropna().unique() if mapping[str(r).lower()] == 1})
    return y, ones


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def parse_dates(s: pd.Series) -> pd.Series:
    """datetime64 (naive), NaT where a value is missing or not a date. Numbers: yyyymmdd or a year."""
    if pd.api.types.is_datetime64_any_dtype(s):
        out = pd.to_datetime(s)
        return out.dt.tz_convert(None) if out.dt.tz is not None else out
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        v = pd.to_numeric(s, errors="coerce")
        text = as_str(v)
        if v.dropna().between(19000101, 21001231).all():
            return pd.to_datetime(text, format="%Y%m%d", errors="coerce")
        if v.dropna().between(1900, 2100).all():
            return pd.to_datetime(text, format="%Y", errors="coerce")
        return pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    text = as_str(s).map(
        lambda v: v.replace("年", "-").replace("月", "-").replace("日", "") if isinstance(v, str) else v
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = pd.to_datetime(text, errors="coerce")
        if out.isna().sum() > text.isna().sum():
            out = pd.to_datetime(text, errors="coerce", format="mixed")
    return out


def date_like(s: pd.Series) -> bool:
    """A text column whose values (at least 90 %) look like and parse as dates."""
    if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
        return False
    text = as_str(s).dropna()
    if len(text) > 2000:
        text = text.sample(2000, random_state=0)
    if text.empty or text.map(lambda v: bool(DATE_RE.match(v))).mean() < 0.9:
        return False
    return bool(parse_dates(text).notna().mean() >= 0.9)


def slug(name: str) -> str:
    return re.sub(r"[^\w]+", "_", name.strip().lower()).strip("_") or "target"


def tokens(name: str) -> list[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", name))
    return [t for t in re.split(r"[^0-9a-z\u4e00-\u9fff]+", spaced.lower()) if t]


def is_protected_name(col: str, extra: tuple[str, ...] | list[str] = ()) -> bool:
    """Matches PROTECTED_DEFAULT or `extra`: the whole name, all words of an alias, or a Chinese substring."""
    name, toks = col.strip().lower(), set(tokens(col))
    for alias in [a for group in PROTECTED_DEFAULT.values() for a in group] + list(extra):
        a = alias.strip().lower()
        if not a:
            continue
        if name == a or (re.search(r"[\u4e00-\u9fff]", a) and a in name):
            return True
        atoks = tokens(a)
        if atoks and all(t in toks for t in atoks):
            return True
    return False


def identifier_by_name(col: str, s: pd.Series) -> bool:
    name, toks = col.strip().lower(), tokens(col)
    if name in ID_NAMES or name.startswith("unnamed:") or (toks and toks[-1] in ID_LAST):
        return True
    if any(z in name for z in ID_ZH):
        return True
    if not (set(toks) & CONTACT_TOKENS or any(z in name for z in CONTACT_ZH)):
        return False
    nonnull = s.dropna()
    unique = nonnull.nunique()
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):  # phone numbers as integers
        phone = set(toks) & PHONE_TOKENS or any(z in name for z in ("手机", "电话"))
        return bool(phone and unique >= 10 and unique > 0.5 * len(nonnull) and nonnull.abs().median() >= 1e6)
    return bool(unique > MAX_LEVELS or (unique >= 10 and unique > 0.5 * len(nonnull)))


def identifier_by_values(s: pd.Series) -> bool:
    """Unique (or nearly) text, long digit codes, or an integer row counter."""
    nonnull = s.dropna()
    n = len(nonnull)
    if pd.api.types.is_bool_dtype(s) or n < 5:
        return False
    if not pd.api.types.is_numeric_dtype(s):
        text = as_str(nonnull)
        unique = text.nunique()
        if to_number(text).notna().mean() < 0.95:
            return bool(unique == n or (n >= 50 and unique > 0.95 * n))
        if text.str.fullmatch(r"\d{6,}").all() and text.str.len().nunique() == 1 and unique > 0.95 * n:
            return True
        nonnull = to_number(text)
    v = nonnull.to_numpy(dtype=float)
    if (
        n < 10
        or len(v) < len(s)
        or not np.isfinite(v).all()
        or not np.all(np.mod(v, 1) == 0)
        or len(np.unique(v)) < n
    ):
        return False
    span = v.max() - v.min() + 1
    monotone = bool(np.all(np.diff(v) > 0) or np.all(np.diff(v) < 0))
    return bool(span <= 1.5 * n or (monotone and span <= 3 * n))

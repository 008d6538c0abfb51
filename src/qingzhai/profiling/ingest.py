"""From a stored source's bytes to rows: picks the parser (named or detected) and runs it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from qingzhai.core.errors import DomainError
from qingzhai.profiling.records.schema import KINDS as RECORD_KINDS
from qingzhai.profiling.sources import reading, registry
from qingzhai.profiling.sources.base import ParseContext, RowError, Txn, UnreadableFile

if TYPE_CHECKING:
    from qingzhai.profiling.models import SourceFile


@dataclass
class ParsedSource:
    source: str
    layout: str
    rows: int
    txns: list[Txn] = field(default_factory=list)
    records: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    period_from: datetime | None = None
    period_to: datetime | None = None


def unreadable(exc: UnreadableFile) -> DomainError:
    return DomainError(
        f"profile_{exc.code}", exc.message_zh, exc.message_en, fields={"file": [exc.message_zh]}
    )


def check_source(kind: str, source: str) -> None:
    """A named source must exist for the kind: a parser key for bills, the kind itself for records."""
    if kind == "txns":
        try:
            registry.get(source)
        except UnreadableFile as exc:
            raise unreadable(exc) from exc
    elif source not in ("", kind):
        raise DomainError(
            "profile_source_invalid",
            f"数据来源 {source} 与类型 {kind} 不符",
            f"Source {source} does not match kind {kind}",
            fields={"source": [source]},
        )


def check_mapping(source: str, mapping: bytes | str | dict[str, Any] | None) -> dict[str, Any] | None:
    """The column mapping of a `bank:generic` upload, checked, as a JSON-ready dict; None otherwise."""
    from qingzhai.profiling.sources.banks.generic import load_mapping

    def refuse(code: str, zh: str, en: str) -> DomainError:
        return DomainError(code, zh, en, fields={"mapping": [f"{zh} / {en}"]})

    if source != "bank:generic":
        if mapping:
            raise refuse(
                "profile_mapping_unexpected",
                "只有通用银行流水（bank:generic）需要列映射",
                "A column mapping is only for bank:generic statements",
            )
        return None
    if not mapping:
        raise refuse(
            "profile_mapping_missing",
            "通用银行流水须提供列映射文件（YAML 或 JSON）",
            "A bank:generic statement needs a column-mapping file (YAML or JSON)",
        )
    data: Any = mapping
    if isinstance(mapping, (bytes, str)):
        import yaml

        try:
            data = yaml.safe_load(mapping)
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise refuse(
                "profile_mapping_invalid",
                "列映射文件不是有效的 YAML 或 JSON",
                "The column mapping is not valid YAML or JSON",
            ) from exc
    try:
        load_mapping(data)
    except UnreadableFile as exc:
        raise refuse("profile_mapping_invalid", exc.message_zh, exc.message_en) from exc
    return json_ready(data)  # type: ignore[no-any-return]


def split_source(source: str) -> tuple[str, str]:
    """What users name as the source (CLI `--source`, the page's and the API's `source`) -> (kind, parser key).
    A parser key (alipay, bank:icbc-debit) is a bill or statement; a record kind (property, court ...) or
    an alias of one is a registry file; "" or "bank" means: detect the format."""
    source = (source or "").strip()
    aliases = {"registry": "business", "tax": "contribution", "income": "declared_income"}
    kind = source if source in RECORD_KINDS else aliases.get(source)
    if kind is not None:
        return kind, ""
    return "txns", "" if source == "bank" else source


def parse_source(sf: SourceFile, data: bytes) -> ParsedSource:
    try:
        if sf.kind == "txns":
            return _parse_txns(sf, data)
        return _parse_records(sf, data)
    except UnreadableFile as exc:
        raise unreadable(exc) from exc


def _parse_txns(sf: SourceFile, data: bytes) -> ParsedSource:
    book = reading.load(data, sf.original_name)
    if sf.source == "bank:generic":
        from qingzhai.profiling.sources.banks.generic import GenericBank

        parser: Any = GenericBank((sf.meta or {}).get("mapping"))
    else:
        parser = registry.get(sf.source) if sf.source else registry.detect(book)
    ctx = ParseContext(owner_names=(sf.debtor.name,))
    result = parser.parse(book, ctx)
    period = result.period
    return ParsedSource(
        source=result.source,
        layout=result.layout,
        rows=result.rows,
        txns=result.txns,
        errors=result.errors,
        meta=json_ready(result.meta),
        period_from=period[0] if period else None,
        period_to=period[1] if period else None,
    )


def _parse_records(sf: SourceFile, data: bytes) -> ParsedSource:
    from qingzhai.profiling.records.parse import parse_records

    result = parse_records(sf.kind, data, sf.original_name)
    return ParsedSource(
        source=sf.kind, layout=sf.kind, rows=result.rows, records=result.records, errors=result.errors
    )


def json_ready(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)

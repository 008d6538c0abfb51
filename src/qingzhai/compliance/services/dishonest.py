"""The court's dishonest-debtor list (失信被执行人名单): import, match debtors by blind index, clear a match.

Matching is by the HMAC blind index of the ID number / USCC, never by decrypting. The gate and the pages read
the list live (a debtor imported after the list is matched at once); `dishonest_recheck` records each new
match with its time so that the matches page and the audit show when it was found.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from qingzhai.accounts import roles
from qingzhai.compliance.access import may
from qingzhai.compliance.models import DishonestEntry, DishonestImport, DishonestMatch
from qingzhai.core import audit, pii
from qingzhai.core.clock import now
from qingzhai.core.errors import AccessDenied, DomainError, NotFound
from qingzhai.portfolio.intake.reading import is_blank, open_table
from qingzhai.portfolio.intake.results import RowError
from qingzhai.portfolio.intake.validate.fields import CellProblem, cell_text, parse_date_cell, parse_identity
from qingzhai.portfolio.intake.validate.messages import row_error
from qingzhai.portfolio.models import Debtor

MAX_BYTES = 50 * 1024 * 1024
MAX_ERRORS = 500

# Column → accepted headers (Chinese as courts and banks write them, and English).
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("name", "被执行人姓名/名称", "被执行人", "姓名", "名称", "被执行人姓名", "姓名/名称"),
    "id_number": (
        "id_number",
        "身份证号码/组织机构代码",
        "证件号码",
        "身份证号",
        "身份证号码",
        "统一社会信用代码",
        "证件号",
        "uscc",
    ),
    "case_number": ("case_number", "案号", "执行案号"),
    "court": ("court", "执行法院", "法院"),
    "listed_on": ("listed_on", "发布时间", "发布日期", "立案时间", "列入日期", "date"),
}
COLUMN_LABELS = {
    "name": "被执行人姓名/名称 name",
    "id_number": "证件号码 id_number",
    "case_number": "案号 case_number",
    "court": "执行法院 court",
    "listed_on": "发布日期 listed_on",
}


@dataclass
class DishonestResult:
    rows: int = 0
    added: int = 0
    unchanged: int = 0
    matched: int = 0
    errors: list[RowError] = field(default_factory=list)
    batch: DishonestImport | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "added": self.added,
            "unchanged": self.unchanged,
            "matched": self.matched,
            "errors": [e.as_dict() for e in self.errors],
            "import_id": self.batch.pk if self.batch else None,
        }


def _may_manage(actor: Any) -> bool:
    if isinstance(actor, str):
        return actor.startswith("cli:")
    return may(actor, roles.COMPLIANCE_MANAGE)


def _header_map(header: list[Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    lookup = {alias.lower(): col for col, aliases in HEADERS.items() for alias in aliases}
    for index, cell in enumerate(header):
        col = lookup.get(cell_text(cell).lower())
        if col is not None and col not in found:
            found[col] = index
    missing = [COLUMN_LABELS[c] for c in HEADERS if c not in found]
    if missing:
        raise DomainError(
            "missing_columns",
            "缺少列：{cols}",
            "Missing columns: {cols}",
            fields={"file": missing},
            cols="、".join(missing),
        )
    return found


def _parse_row(number: int, cells: list[Any], cols: dict[str, int]) -> tuple[dict[str, Any], list[RowError]]:
    raw = {c: (cells[i] if i < len(cells) else None) for c, i in cols.items()}
    text = {c: cell_text(v) for c, v in raw.items()}
    errors: list[RowError] = []
    out: dict[str, Any] = {}
    for col in ("name", "case_number", "court"):
        if not text[col]:
            errors.append(row_error(number, COLUMN_LABELS[col], "required", col=COLUMN_LABELS[col]))
        elif len(text[col]) > (limit := 100 if col == "case_number" else 200):
            errors.append(
                row_error(number, COLUMN_LABELS[col], "too_long", col=COLUMN_LABELS[col], max=limit)
            )
        out[col] = text[col]
    if not text["id_number"]:
        errors.append(
            row_error(number, COLUMN_LABELS["id_number"], "required", col=COLUMN_LABELS["id_number"])
        )
    else:
        try:
            out["id_number"], _ = parse_identity(raw["id_number"], text["id_number"], "", text["name"])
        except CellProblem as exc:
            errors.append(row_error(number, COLUMN_LABELS["id_number"], exc.code, **exc.params))
    try:
        out["listed_on"] = parse_date_cell(raw["listed_on"], text["listed_on"])
        if out["listed_on"] is None:
            errors.append(
                row_error(number, COLUMN_LABELS["listed_on"], "required", col=COLUMN_LABELS["listed_on"])
            )
    except CellProblem as exc:
        errors.append(row_error(number, COLUMN_LABELS["listed_on"], exc.code, **exc.params))
    return out, errors


def dishonest_import(*, actor: Any, path: Path, original_name: str = "") -> DishonestResult:
    """Import a list file (CSV or XLSX). All or nothing: with any row error nothing is written and the
    errors name the row and column. Entries already known (same ID and case number) are left as they are.
    `actor` is a user with compliance.manage, or "cli:<os user>" for the operator's command line."""
    if not _may_manage(actor):
        raise AccessDenied()
    path = Path(path)
    result = DishonestResult()
    parsed: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], int] = {}
    with open_table(path, max_bytes=MAX_BYTES) as table:
        rows = table.rows()
        header: list[Any] | None = None
        for number, cells in rows:
            if is_blank(cells):
                continue
            if header is None:
                header = cells
                cols = _header_map(header)
                continue
            result.rows += 1
            row, errors = _parse_row(number, cells, cols)
            if not errors:
                key = (row["id_number"], row["case_number"])
                if key in seen:
                    errors.append(
                        RowError(
                            row=number,
                            column=COLUMN_LABELS["case_number"],
                            code="duplicate_row",
                            message_zh=f"同一证件号码与案号在文件中重复（第 {seen[key]} 行已出现）",
                            message_en=f"The same ID number and case number appear twice (first in row {seen[key]})",
                        )
                    )
                seen.setdefault(key, number)
            if errors:
                if len(result.errors) < MAX_ERRORS:
                    result.errors.extend(errors)
                continue
            parsed.append(row)
    if header is None or result.rows == 0:
        raise DomainError("no_rows", "文件中没有数据行", "The file has no data rows")
    if result.errors:
        return result
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with transaction.atomic():
        batch = DishonestImport.objects.create(
            original_name=(original_name or path.name)[:255],
            sha256=digest,
            rows=result.rows,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
            created_at=now(),
        )
        moment = now()
        known = set(
            DishonestEntry.objects.filter(
                id_number_bidx__in={pii.lookup_index("id_number", r["id_number"]) for r in parsed}
            ).values_list("id_number_bidx", "case_number")
        )
        fresh = []
        for row in parsed:
            entry = DishonestEntry(
                name=row["name"],
                case_number=row["case_number"],
                court=row["court"],
                listed_on=row["listed_on"],
                first_import=batch,
                created_at=moment,
            )
            pii.set_value(entry, "id_number", row["id_number"])
            if (entry.id_number_bidx, entry.case_number) in known:
                result.unchanged += 1
                continue
            known.add((entry.id_number_bidx, entry.case_number))
            fresh.append(entry)
        DishonestEntry.objects.bulk_create(fresh, batch_size=1000)
        result.added = len(fresh)
        result.matched = dishonest_recheck(actor=actor)
        batch.added, batch.unchanged, batch.matched = result.added, result.unchanged, result.matched
        batch.save(update_fields=["added", "unchanged", "matched"])
        audit.record(
            actor=actor,
            action="dishonest.import",
            entity=batch,
            changes={
                "rows": [None, result.rows],
                "added": [None, result.added],
                "matched": [None, result.matched],
            },
        )
        result.batch = batch
    return result


def dishonest_recheck(*, actor: Any) -> int:
    """Record every debtor ↔ entry match not recorded yet; returns how many were new."""
    with transaction.atomic():
        pairs = (
            Debtor.objects.exclude(id_number_bidx="")
            .filter(id_number_bidx__in=DishonestEntry.objects.values("id_number_bidx"))
            .values_list("pk", "id_number_bidx")
        )
        by_index: dict[str, list[int]] = {}
        for pk, bidx in pairs:
            by_index.setdefault(bidx, []).append(pk)
        if not by_index:
            return 0
        recorded = set(DishonestMatch.objects.values_list("debtor_id", "entry_id"))
        moment = now()
        new = [
            DishonestMatch(debtor_id=debtor_id, entry_id=entry_id, matched_at=moment)
            for entry_id, bidx in DishonestEntry.objects.filter(id_number_bidx__in=by_index).values_list(
                "pk", "id_number_bidx"
            )
            for debtor_id in by_index[bidx]
            if (debtor_id, entry_id) not in recorded
        ]
        DishonestMatch.objects.bulk_create(new, batch_size=1000)
        if new:
            audit.record(
                actor=actor,
                action="dishonest.match",
                entity_type="compliance.dishonestmatch",
                changes={"new_matches": [None, len(new)]},
            )
        return len(new)


@transaction.atomic
def dishonest_match_clear(*, actor: Any, match_id: int, reason: str) -> DishonestMatch:
    """Mark a match as cleared (a different person of the same number, or removed from the list)."""
    if isinstance(actor, str) or not _may_manage(actor):
        raise AccessDenied()
    match = DishonestMatch.objects.select_for_update().filter(pk=match_id).first()
    if match is None:
        raise NotFound()
    if match.cleared_at is not None:
        raise DomainError("already_cleared", "该匹配已解除", "The match is already cleared", status=409)
    if not reason.strip():
        raise DomainError(
            "reason_required", "请填写原因", "A reason is required", fields={"reason": ["required"]}
        )
    match.cleared_at, match.cleared_by, match.cleared_reason = now(), actor, reason.strip()
    match.save(update_fields=["cleared_at", "cleared_by", "cleared_reason"])
    audit.record(
        actor=actor,
        action="dishonest.clear",
        entity=match,
        changes={"cleared_at": [None, match.cleared_at]},
        reason=reason.strip(),
    )
    return match

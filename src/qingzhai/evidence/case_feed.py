"""A case's evidence for the API and the pages: one entry as a user may see it, the case's entries with the
ones still queued, and which checkpoint first covered each entry."""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, overload

from django.db import connection
from django.utils.dateparse import parse_datetime

from qingzhai.accounts import roles
from qingzhai.compliance.access import may, require
from qingzhai.core.errors import NotFound
from qingzhai.evidence import record, selectors
from qingzhai.evidence.hash_tiles import MAX_ID
from qingzhai.evidence.models import Checkpoint, Entry, Outbox


def entry_for_user(*, user: Any, index: int) -> Entry:
    """Entry `index` for a user with evidence.view who may see its case; an entry without a case needs
    evidence.audit. Anything else is 404, as a case the user may not see."""
    from qingzhai.portfolio.selectors import case_get_for_user

    require(user, roles.EVIDENCE_VIEW)
    if not 0 <= index <= MAX_ID:
        raise NotFound()
    entry = selectors.entry_get(index)
    if entry.case_id is None:
        if not may(user, roles.EVIDENCE_AUDIT):
            raise NotFound()
    else:
        case_get_for_user(user=user, case_id=entry.case_id)
    return entry


def kind_label(kind: str) -> tuple[str, str]:
    return record.KINDS.get(kind, (kind, kind))


@dataclass(frozen=True)
class Row:
    """One line of a case's evidence: an entry in the log (index set) or a leaf still queued (index None)."""

    index: int | None
    kind: str
    time: datetime | None
    subject: str
    artifact: dict[str, Any] | None
    leaf_hash: bytes | None
    covered_by: int | None = None  # size of the first checkpoint that covers the entry

    @property
    def label(self) -> tuple[str, str]:
        return kind_label(self.kind)

    @property
    def queued(self) -> bool:
        return self.covered_by is None


def _leaf(data: bytes) -> dict[str, Any]:
    try:
        value = json.loads(bytes(data))
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def leaf_time(rec: dict[str, Any]) -> datetime | None:
    value = rec.get("time")
    return parse_datetime(value) if isinstance(value, str) else None


def leaf_artifact(rec: dict[str, Any]) -> dict[str, Any] | None:
    artifact = rec.get("artifact")
    return artifact if isinstance(artifact, dict) else None


def entry_row(entry: Entry, covered_by: int | None = None) -> Row:
    rec = _leaf(entry.data)
    return Row(
        index=entry.index,
        kind=entry.kind,
        time=leaf_time(rec) or entry.sequenced_at,
        subject=entry.subject,
        artifact=leaf_artifact(rec),
        leaf_hash=bytes(entry.leaf_hash),
        covered_by=covered_by,
    )


def covering_sizes(indices: Iterable[int]) -> dict[int, int | None]:
    """For each index, the size of the first signed checkpoint that covers it (None: not signed yet), in two
    queries whatever the number of checkpoints."""
    wanted = sorted(set(indices))
    if not wanted:
        return {}
    lo, hi = wanted[0], wanted[-1]
    sizes = list(
        Checkpoint.objects.filter(size__gt=lo, size__lte=hi).order_by("size").values_list("size", flat=True)
    )
    above = Checkpoint.objects.filter(size__gt=hi).order_by("size").values_list("size", flat=True).first()
    if above is not None:
        sizes.append(above)
    out: dict[int, int | None] = {}
    for index in wanted:
        at = bisect.bisect_right(sizes, index)
        out[index] = sizes[at] if at < len(sizes) else None
    return out


class CaseFeed(Sequence[Row]):
    """A case's evidence newest first: the leaves still queued, then the entries in the log, each entry with
    the first checkpoint that covers it. Sliceable, so a Paginator pages through it: one query counts, one
    fetches a page (even an empty one), so a case page costs the same queries whatever the case's history."""

    def __init__(self, case_id: int) -> None:
        self.case_id = case_id
        self._counts: tuple[int, int] | None = None

    def counts(self) -> tuple[int, int]:
        """(queued, in the log)."""
        if self._counts is None:
            outbox, entry = Outbox._meta.db_table, Entry._meta.db_table
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT (SELECT COUNT(*) FROM {outbox} WHERE case_id = %s), "
                    f"(SELECT COUNT(*) FROM {entry} WHERE case_id = %s)",
                    [self.case_id, self.case_id],
                )
                queued, entries = cursor.fetchone()
            self._counts = (int(queued), int(entries))
        return self._counts

    def __len__(self) -> int:
        return sum(self.counts())

    @overload
    def __getitem__(self, key: int) -> Row: ...
    @overload
    def __getitem__(self, key: slice) -> list[Row]: ...

    def __getitem__(self, key: int | slice) -> Row | list[Row]:
        if isinstance(key, int):
            rows = self[key : key + 1]
            if not rows:
                raise IndexError(key)
            return rows[0]
        start, stop, _ = key.indices(len(self))
        outbox, entry, checkpoint = Outbox._meta.db_table, Entry._meta.db_table, Checkpoint._meta.db_table
        sql = (
            f"SELECT * FROM ("
            f"SELECT 0 AS grp, id AS ord, NULL AS idx, leaf AS data, kind, subject, NULL AS leaf_hash, "
            f"NULL AS covered FROM {outbox} WHERE case_id = %s "
            f"UNION ALL "
            f'SELECT 1, e."index", e."index", e.data, e.kind, e.subject, e.leaf_hash, '
            f'(SELECT MIN(c.size) FROM {checkpoint} c WHERE c.size > e."index") '
            f"FROM {entry} e WHERE e.case_id = %s"
            f") feed ORDER BY grp, ord DESC LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.case_id, self.case_id, max(stop - start, 0), start])
            fetched = cursor.fetchall()
        return [_feed_row(*values) for values in fetched]


def _feed_row(
    grp: int,
    ord_: int,
    index: int | None,
    data: Any,
    kind: str,
    subject: str,
    leaf_hash: Any,
    covered: int | None,
) -> Row:
    rec = _leaf(bytes(data))
    return Row(
        index=None if index is None else int(index),
        kind=kind,
        time=leaf_time(rec),
        subject=subject,
        artifact=leaf_artifact(rec),
        leaf_hash=None if leaf_hash is None else bytes(leaf_hash),
        covered_by=None if covered is None else int(covered),
    )

"""Days-past-due buckets. Pure: no Django import."""

from __future__ import annotations

from datetime import date

BUCKETS = ("M0", "M1", "M2", "M3", "M4", "M5", "M6", "M6+")


def bucket_for(dpd: int) -> str:
    if dpd <= 0:
        return "M0"
    if dpd > 180:
        return "M6+"
    return f"M{(dpd - 1) // 30 + 1}"


def days_past_due(overdue_since: date | None, today: date) -> int:
    if overdue_since is None or overdue_since >= today:
        return 0
    return (today - overdue_since).days

"""Time: UTC in the database, Asia/Shanghai as the business zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


def business_tz() -> ZoneInfo:
    return ZoneInfo(settings.QINGZHAI_BUSINESS_TZ)


def now() -> datetime:
    return timezone.now()


def business_today(at: datetime | None = None) -> date:
    return (at or now()).astimezone(business_tz()).date()

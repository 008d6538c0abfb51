"""What every rule family shares: the evaluation context (local time, filtered history) and hit building."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from qingzhai.compliance.gate.facts import (
    Channel,
    ContactRequest,
    DebtorFacts,
    Effect,
    Outcome,
    Party,
    PastContact,
    RuleHit,
)
from qingzhai.compliance.policies.packs import PolicyPack, RuleSpec


class GateError(ValueError):
    """The gate cannot evaluate: bad input from the caller (naive datetime, unknown time zone)."""

    def __init__(self, code: str, zh: str, en: str, *, fields: dict[str, list[str]] | None = None) -> None:
        self.code = code
        self.zh = zh
        self.en = en
        self.fields = fields or {}
        super().__init__(f"{code}: {en}")


class Bi:
    """A placeholder value that differs by language."""

    __slots__ = ("en", "zh")

    def __init__(self, zh: str, en: str) -> None:
        self.zh = zh
        self.en = en


CHANNEL_TEXT: dict[Channel, Bi] = {
    Channel.CALL: Bi("电话", "call"),
    Channel.BOT_CALL: Bi("智能语音外呼", "automated call"),
    Channel.SMS: Bi("短信", "text message"),
    Channel.EMAIL: Bi("电子邮件", "e-mail"),
    Channel.LETTER: Bi("信函", "letter"),
    Channel.VISIT: Bi("外访", "field visit"),
}
PARTY_TEXT: dict[Party, Bi] = {
    Party.DEBTOR: Bi("债务人", "debtor"),
    Party.GUARANTOR: Bi("担保人", "guarantor"),
    Party.THIRD_PARTY: Bi("第三人", "third party"),
    Party.LAWYER: Bi("债务人的律师", "debtor's lawyer"),
}
NONE: tuple[RuleHit, ...] = ()


@lru_cache(maxsize=512)
def zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise GateError(
            "gate_timezone_unknown",
            f"未知时区 {name!r}（应为 IANA 名称，如 Asia/Shanghai）",
            f"unknown time zone {name!r} (use an IANA name such as Asia/Shanghai)",
            fields={"timezone": [f"unknown time zone {name!r}"]},
        ) from None


def hhmm(value: datetime | object) -> str:
    if isinstance(value, datetime):
        value = value.time()
    text = value.strftime("%H:%M:%S")  # type: ignore[attr-defined]
    return text[:5] if text.endswith(":00") else text


class Context:
    """One evaluation: the request in the debtor's local time and the history that counts."""

    __slots__ = (
        "_dated",
        "at",
        "facts",
        "history",
        "local",
        "local_date",
        "local_time",
        "pack",
        "request",
        "tz",
    )

    def __init__(
        self, pack: PolicyPack, facts: DebtorFacts, request: ContactRequest, history: Iterable[PastContact]
    ) -> None:
        at = request.at
        if at.tzinfo is None or at.utcoffset() is None:
            raise GateError(
                "gate_naive_datetime",
                "联系时间须带时区（如 2026-03-01T09:00:00+08:00）",
                "the contact time must carry a time zone (e.g. 2026-03-01T09:00:00+08:00)",
                fields={"at": ["naive datetime"]},
            )
        self.pack = pack
        self.facts = facts
        self.request = request
        self.at = at
        self.tz = zone(facts.timezone)
        self.local = at.astimezone(self.tz)
        self.local_date = self.local.date()
        self.local_time = self.local.time()
        kept = []
        denied = Outcome.DENIED
        for h in history:
            if h.outcome == denied:
                continue
            if h.at.tzinfo is None:
                raise GateError(
                    "gate_naive_datetime",
                    "历史联系时间须带时区",
                    "history contact times must carry a time zone",
                    fields={"history": ["naive datetime"]},
                )
            if h.at <= at:
                kept.append(h)
        self.history: list[PastContact] = kept
        self._dated: list[tuple[PastContact, date]] | None = None

    def dated(self) -> list[tuple[PastContact, date]]:
        """History entries with their local date in the debtor's zone (computed once, on demand)."""
        if self._dated is None:
            tz = self.tz
            self._dated = [(h, h.at.astimezone(tz).date()) for h in self.history]
        return self._dated

    def local_date_of(self, value: datetime) -> date:
        """A fact's instant as a local date; a naive fact is read as debtor-local already."""
        if value.tzinfo is None:
            return value.date()
        return value.astimezone(self.tz).date()

    def key_fn(self, per: frozenset[str]) -> Callable[[PastContact], bool]:
        """A predicate: does a past contact belong to the same counter as the request?"""
        req = self.request
        party = req.party if "party" in per else None
        contact_id = req.contact_id if "contact_id" in per else None
        debt_id = req.debt_id if "debt_id" in per else None

        def same(h: PastContact) -> bool:
            return (
                (party is None or h.party == party)
                and (contact_id is None or h.contact_id == contact_id)
                and (debt_id is None or h.debt_id == debt_id)
            )

        return same

    def window_start(self, window_days: int) -> date:
        return self.local_date - timedelta(days=window_days - 1)

    def hit(
        self,
        rule: RuleSpec,
        effect: Effect,
        text: str,
        params: dict[str, object],
        **values: object,
    ) -> RuleHit:
        req = self.request
        common: dict[str, object] = {
            "time": hhmm(self.local_time),
            "date": self.local_date.isoformat(),
            "tz": self.facts.timezone,
            "channel": CHANNEL_TEXT[req.channel],
            "party": PARTY_TEXT[req.party],
            "contact_id": req.contact_id or "-",
            "debt_id": req.debt_id or "-",
            "rule": rule.id,
            "version": self.pack.version_id,
        }
        common.update(values)
        zh_values = {k: (v.zh if isinstance(v, Bi) else v) for k, v in common.items()}
        en_values = {k: (v.en if isinstance(v, Bi) else v) for k, v in common.items()}
        zh_t, en_t = rule.texts[text]
        return RuleHit(
            rule=rule.id,
            effect=effect,
            basis=rule.basis,
            zh=zh_t.format_map(zh_values),
            en=en_t.format_map(en_values),
            params=params,
        )


Check = Callable[[RuleSpec, Context], Sequence[RuleHit]]

"""Building Frames for flag tests: rows with only the columns a test cares about, the rest empty."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import polars as pl

from qingzhai.profiling.frames import DEBTORS, DEBTS, TXNS, Frames, record_schema
from qingzhai.profiling.purposes import PURPOSES

ALL_PURPOSES = frozenset(PURPOSES)
TXN_SOURCE = 101  # SourceFile id of the bills
RECORD_SOURCE = 202  # SourceFile id of registry records


def txn(row: int, when: str, amount_yuan: int, direction: str, nature: str, **kw: Any) -> dict[str, Any]:
    out: dict[str, Any] = {k: None for k in TXNS}
    out.update(
        debtor_id=1,
        source_id=TXN_SOURCE,
        row=row,
        source="alipay",
        time=datetime.fromisoformat(when)
        if "T" in when or " " in when
        else datetime.fromisoformat(when + " 12:00"),
        amount_fen=amount_yuan * 100,
        currency="CNY",
        direction=direction,
        nature=nature,
        counterparty="",
        category="",
        channel="",
        memo="",
        status="",
        ref="",
        refund_of="",
        refunded_fen=0,
    )
    out.update(kw)
    return out


def spend(row: int, when: str, amount_yuan: int, **kw: Any) -> dict[str, Any]:
    return txn(row, when, amount_yuan, "out", "spending", **kw)


def income(row: int, when: str, amount_yuan: int, counterparty: str, **kw: Any) -> dict[str, Any]:
    return txn(row, when, amount_yuan, "in", "income", counterparty=counterparty, **kw)


def record(kind: str, row: int, **fields: Any) -> dict[str, Any]:
    schema = record_schema(kind)
    out: dict[str, Any] = {k: None for k in schema}
    out.update(debtor_id=1, source_id=RECORD_SOURCE, row=row)
    for k, v in fields.items():
        if k not in out:
            raise KeyError(k)
        out[k] = date.fromisoformat(v) if isinstance(v, str) and schema[k] == pl.Date else v
    return out


def debt(
    contract: str = "2020-01-10",
    overdue: str | None = "2022-03-01",
    outstanding_yuan: int = 500_000,
    debt_id: int = 7,
) -> dict[str, Any]:
    out: dict[str, Any] = {k: None for k in DEBTS}
    out.update(
        debtor_id=1,
        debt_id=debt_id,
        outstanding_fen=outstanding_yuan * 100,
        principal_fen=outstanding_yuan * 100,
        original_principal_fen=outstanding_yuan * 100,
        contract_date=date.fromisoformat(contract),
        overdue_since=date.fromisoformat(overdue) if overdue else None,
        status="open",
    )
    return out


def make(
    as_of: str,
    *,
    txns: list[dict[str, Any]] = (),  # type: ignore[assignment]
    debts: list[dict[str, Any]] = (),  # type: ignore[assignment]
    records: dict[str, list[dict[str, Any]]] | None = None,
    name: str = "张三",
    employer: str | None = None,
    purposes: frozenset[str] = ALL_PURPOSES,
) -> Frames:
    debtor: dict[str, Any] = {k: None for k in DEBTORS}
    debtor.update(debtor_id=1, kind="person", name=name, employer=employer)
    return Frames(
        as_of=date.fromisoformat(as_of),
        debtors=pl.DataFrame([debtor], schema=DEBTORS),
        txns=pl.DataFrame(list(txns), schema=TXNS),
        debts=pl.DataFrame(list(debts), schema=DEBTS),
        records={k: pl.DataFrame(v, schema=record_schema(k)) for k, v in (records or {}).items()},
        purposes={1: purposes},
    )


def cited(flag: Any) -> list[tuple[str, int, int]]:
    return [(e["kind"], e["source_id"], e["row"]) for e in flag.evidence]

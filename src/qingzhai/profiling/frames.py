"""The tables the indicator and flag engines read: polars schemas, one frame per kind of fact.

Pure module (no Django). `selectors` (or a benchmark, or a test) builds a `Frames` for one debtor or many;
the engines never query the database. Every frame carries `debtor_id`. Dates are business dates
(Asia/Shanghai); datetimes are naive business-local wall-clock times. Money is integer fen (Int64).
An absent kind of fact is an empty frame with the schema below, so engines can tell "no data" apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import polars as pl

from qingzhai.profiling.records.schema import KINDS

Schema = dict[str, pl.DataType | type[pl.DataType]]

TXNS: Schema = {
    "debtor_id": pl.Int64,
    "source_id": pl.Int64,  # the SourceFile the row came from
    "row": pl.Int32,  # row number in that file
    "source": pl.Utf8,  # parser key: alipay, wechat, jd, meituan, bank:icbc-debit ...
    "time": pl.Datetime("us"),
    "amount_fen": pl.Int64,
    "currency": pl.Utf8,
    "direction": pl.Utf8,  # in / out / neutral (see sources/base.py)
    "nature": pl.Utf8,
    "counterparty": pl.Utf8,
    "category": pl.Utf8,
    "channel": pl.Utf8,
    "memo": pl.Utf8,
    "status": pl.Utf8,
    "ref": pl.Utf8,
    "refund_of": pl.Utf8,
    "refunded_fen": pl.Int64,
}

DEBTORS: Schema = {
    "debtor_id": pl.Int64,
    "kind": pl.Utf8,  # person / enterprise
    "name": pl.Utf8,
    "has_id_number": pl.Boolean,
    "has_home_address": pl.Boolean,
    "has_work_address": pl.Boolean,
    "employer": pl.Utf8,
    "created_on": pl.Date,
    "age": pl.Int32,  # from the ID number when known, else null
    "bankrupt": pl.Boolean,
    "deceased": pl.Boolean,
    "hardship": pl.Boolean,  # a hardship period stands on the as-of date
    "lawyer_represented": pl.Boolean,
    "unreachable": pl.Boolean,
}

DEBTS: Schema = {
    "debtor_id": pl.Int64,
    "debt_id": pl.Int64,
    "original_principal_fen": pl.Int64,
    "principal_fen": pl.Int64,
    "outstanding_fen": pl.Int64,  # principal + interest + penalty + fee
    "contract_date": pl.Date,
    "due_date": pl.Date,
    "overdue_since": pl.Date,
    "dpd": pl.Int32,
    "status": pl.Utf8,  # open / settled / written_off ...
    "product": pl.Utf8,
}

PAYMENTS: Schema = {
    "debtor_id": pl.Int64,
    "paid_on": pl.Date,
    "amount_fen": pl.Int64,
    "reversed": pl.Boolean,
    "method": pl.Utf8,
}

PROMISES: Schema = {
    "debtor_id": pl.Int64,
    "created_on": pl.Date,
    "due_date": pl.Date,
    "amount_fen": pl.Int64,
    "paid_fen": pl.Int64,
    "status": pl.Utf8,  # open / kept / broken / cancelled
}

ACTIVITIES: Schema = {
    "debtor_id": pl.Int64,
    "occurred_at": pl.Datetime("us"),
    "kind": pl.Utf8,  # call / sms / letter / visit / email / bot_call / note
    "party": pl.Utf8,  # debtor / guarantor / emergency / third_party / lawyer / none
    "outcome": pl.Utf8,  # no_answer / connected / promise / dispute / wrong_number / paid / refused / ...
    "duration_seconds": pl.Int32,
}

CONTACTS: Schema = {
    "debtor_id": pl.Int64,
    "party": pl.Utf8,  # debtor / emergency
    "relation": pl.Utf8,
    "status": pl.Utf8,  # valid / wrong_number / refused
    "consent": pl.Boolean,
    "is_primary": pl.Boolean,
}

DISPUTES: Schema = {
    "debtor_id": pl.Int64,
    "opened_on": pl.Date,
    "resolved_on": pl.Date,
}

_RECORD_TYPES: dict[str, pl.DataType | type[pl.DataType]] = {
    "str": pl.Utf8,
    "date": pl.Date,
    "fen": pl.Int64,
    "float": pl.Float64,
    "int": pl.Int64,
    "bool": pl.Boolean,
}


def record_schema(kind: str) -> Schema:
    """debtor_id, source_id, row, then the kind's fields (records/schema.py). `contribution.period` is a
    month string YYYY-MM."""
    spec = KINDS[kind]
    out: Schema = {"debtor_id": pl.Int64, "source_id": pl.Int64, "row": pl.Int32}
    for f in spec.fields:
        out[f.name] = pl.Utf8 if (kind == "contribution" and f.name == "period") else _RECORD_TYPES[f.type]
    return out


def empty(schema: Schema) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)


@dataclass
class Frames:
    """Everything known about a set of debtors on `as_of`. `purposes` are the PIPL processing purposes the
    legal bases on file cover, per debtor (see profiling/purposes.py)."""

    as_of: date
    debtors: pl.DataFrame = field(default_factory=lambda: empty(DEBTORS))
    txns: pl.DataFrame = field(default_factory=lambda: empty(TXNS))
    debts: pl.DataFrame = field(default_factory=lambda: empty(DEBTS))
    payments: pl.DataFrame = field(default_factory=lambda: empty(PAYMENTS))
    promises: pl.DataFrame = field(default_factory=lambda: empty(PROMISES))
    activities: pl.DataFrame = field(default_factory=lambda: empty(ACTIVITIES))
    contacts: pl.DataFrame = field(default_factory=lambda: empty(CONTACTS))
    disputes: pl.DataFrame = field(default_factory=lambda: empty(DISPUTES))
    records: dict[str, pl.DataFrame] = field(default_factory=dict)  # kind -> frame (record_schema)
    purposes: dict[int, frozenset[str]] = field(default_factory=dict)  # debtor_id -> purposes covered
    # which kinds of source have ever been ingested per debtor (to tell "no data" from "zero"):
    # debtor_id -> {"txns", "business", "property", ...}
    sources_seen: dict[int, frozenset[str]] = field(default_factory=dict)

    def record(self, kind: str) -> pl.DataFrame:
        frame = self.records.get(kind)
        return frame if frame is not None else empty(record_schema(kind))

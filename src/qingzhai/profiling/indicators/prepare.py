"""Prepared frames: the raw `Frames` cut to as_of, with window and helper columns. Pure module.

Each prepared frame has ``debtor_id``; dated ones have ``m_ago`` and ``age_days`` (helpers.py). Every fact
dated after as_of is dropped here, so no indicator can see it. Frames are built on first use and cached.

txns                 one row per transaction. Money flags use CNY rows only (``cny``); a row with no
                     currency counts as CNY. ``inc``: counted income (direction in). ``out``: counted
                     spending (direction out). ``net``: for an ``out`` row, its amount less ``refunded_fen``
                     less the refund rows (same debtor and source, dated up to as_of) whose ``refund_of``
                     names its ``ref``, never below 0; the net is dated at the purchase. ``refund_off`` =
                     amount - net. Refund, own-transfer, investment, credit, failed and closed rows are
                     neutral: neither income nor spending.
txn_months           per debtor and month (last 36 months, months with at least one row): ``inc``,
                     ``spend`` (net spending), ``net`` = inc - spend.
txn_payers           per debtor and counterparty of income rows in the last 36 months: ``s12``, ``s36``
                     (income in 12 / 36 months), ``mo12`` (distinct months with income from it in 12 months).
txn_spouse           counted spending rows whose counterparty names a spouse or former spouse of the
                     debtor (marriage records up to as_of; a masked name ``*小红`` matches ``王小红``).
txn_company          counted income and spending rows whose counterparty is a company the debtor is
                     registered with (business records up to as_of).
property_units       per debtor and property_id: last event, owner relation, latest reference value and
                     mortgage, and whether a mortgage or seizure was ever recorded (``vehicle_units`` alike).
companies            per debtor and company: the latest registry row's status, role, capital and stake.
court                court records, one per (record_type, case_no): the last listed; ``open`` = status open
                     at as_of (also when closed_on is after as_of).
pay_after_contact    valid payments, ``after_contact`` when a right-party contact happened in the 7 days
                     up to the payment; ``rpc_followed``: right-party contacts, ``followed`` when a valid
                     payment came in the 7 days from it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import polars as pl

from qingzhai.profiling.frames import Frames

from . import helpers as h

RPC_OUTCOMES = ("connected", "promise", "dispute", "paid", "refused")


def month_index(d: date) -> int:
    return d.year * 12 + d.month


class Prepared:
    def __init__(self, frames: Frames, ids: pl.DataFrame) -> None:
        self.frames = frames
        self.as_of = frames.as_of
        self.ids = ids  # one column debtor_id: the debtors to compute
        self._cache: dict[str, pl.DataFrame] = {}

    def get(self, name: str) -> pl.DataFrame:
        """The prepared frame `name`, sorted by debtor_id (stable: rows keep their order within a debtor),
        which lets group_by work on contiguous slices."""
        if name not in self._cache:
            builder = getattr(self, "_" + name.replace(":", "_"))
            self._cache[name] = builder().sort("debtor_id", maintain_order=True)
        return self._cache[name]

    # -- helpers -------------------------------------------------------------------------------------
    def _own(self, frame: pl.DataFrame) -> pl.DataFrame:
        return frame.join(self.ids, on="debtor_id", how="semi")

    def _dated(self, frame: pl.DataFrame, column: str) -> pl.DataFrame:
        """Rows dated on or before as_of, with m_ago and age_days from `column` (Date or Datetime)."""
        col = pl.col(column)
        if frame.schema[column] == pl.Date:
            day = col
            frame = frame.filter(col <= self.as_of)
        else:
            day = col.cast(pl.Date)
            frame = frame.filter(col < datetime.combine(self.as_of + timedelta(days=1), datetime.min.time()))
        return frame.with_columns(
            m_ago=(pl.lit(month_index(self.as_of)) - (day.dt.year() * 12 + day.dt.month())).cast(pl.Int32),
            age_days=(pl.lit(self.as_of) - day).dt.total_days(),
        )

    def _record(self, kind: str) -> pl.DataFrame:
        return self._own(self.frames.record(kind))

    # -- case records ---------------------------------------------------------------------------------
    def _debtors(self) -> pl.DataFrame:
        d = self._own(self.frames.debtors)
        return d.with_columns(case_age_days=(pl.lit(self.as_of) - pl.col("created_on")).dt.total_days())

    def _debts(self) -> pl.DataFrame:
        d = self._own(self.frames.debts)
        return d.filter(
            pl.col("contract_date").is_null() | (pl.col("contract_date") <= self.as_of)
        ).with_columns(
            contract_m_ago=(
                pl.lit(month_index(self.as_of))
                - (pl.col("contract_date").dt.year() * 12 + pl.col("contract_date").dt.month())
            ).cast(pl.Int32)
        )

    def _payments(self) -> pl.DataFrame:
        p = self._dated(self._own(self.frames.payments), "paid_on")
        return p.with_columns(valid=~pl.col("reversed").fill_null(False))

    def _promises(self) -> pl.DataFrame:
        p = self._dated(self._own(self.frames.promises), "created_on")
        return p.with_columns(
            due_age_days=(pl.lit(self.as_of) - pl.col("due_date")).dt.total_days(),
        )

    def _activities(self) -> pl.DataFrame:
        a = self._dated(self._own(self.frames.activities), "occurred_at")
        return a.with_columns(
            attempt=pl.col("kind") != "note",
            call=pl.col("kind").is_in(["call", "bot_call"]),
            rpc=(pl.col("party") == "debtor") & pl.col("outcome").is_in(RPC_OUTCOMES),
            day=pl.col("occurred_at").cast(pl.Date),
        )

    def _contacts(self) -> pl.DataFrame:
        return self._own(self.frames.contacts)

    def _disputes(self) -> pl.DataFrame:
        d = self._dated(self._own(self.frames.disputes), "opened_on")
        return d.with_columns(open=pl.col("resolved_on").is_null() | (pl.col("resolved_on") > self.as_of))

    def _pay_after_contact(self) -> pl.DataFrame:
        pays = self.get("payments").filter(pl.col("valid")).sort("paid_on")
        rpc = self.get("activities").filter(pl.col("rpc")).select("debtor_id", contact_day=pl.col("day"))
        rpc = rpc.unique().sort("contact_day")
        joined = pays.join_asof(
            rpc,
            left_on="paid_on",
            right_on="contact_day",
            by="debtor_id",
            strategy="backward",
            tolerance=timedelta(days=h.CONTACT_TO_PAYMENT_DAYS),
            check_sortedness=False,
        )
        return joined.with_columns(after_contact=pl.col("contact_day").is_not_null())

    def _rpc_followed(self) -> pl.DataFrame:
        rpc = self.get("activities").filter(pl.col("rpc")).sort("day")
        pays = self.get("payments").filter(pl.col("valid")).select("debtor_id", pay_day=pl.col("paid_on"))
        pays = pays.unique().sort("pay_day")
        joined = rpc.join_asof(
            pays,
            left_on="day",
            right_on="pay_day",
            by="debtor_id",
            strategy="forward",
            tolerance=timedelta(days=h.CONTACT_TO_PAYMENT_DAYS),
            check_sortedness=False,
        )
        return joined.with_columns(followed=pl.col("pay_day").is_not_null())

    # -- transactions ---------------------------------------------------------------------------------
    def _txns(self) -> pl.DataFrame:
        t = self._dated(self._own(self.frames.txns), "time")
        t = t.with_columns(
            pl.col("counterparty").fill_null(""),
            pl.col("ref").fill_null(""),
            pl.col("refund_of").fill_null(""),
            pl.col("channel").fill_null(""),
            pl.col("refunded_fen").fill_null(0),
            cny=pl.col("currency").fill_null("CNY").is_in(["CNY", ""]),
        )
        refunds = (
            t.filter(pl.col("cny") & (pl.col("nature") == "refund") & (pl.col("refund_of") != ""))
            .group_by("debtor_id", "source", "refund_of")
            .agg(linked=pl.col("amount_fen").sum())
            .rename({"refund_of": "ref"})
        )
        t = t.join(refunds, on=["debtor_id", "source", "ref"], how="left")
        out = pl.col("cny") & (pl.col("direction") == "out")
        net = (pl.col("amount_fen") - pl.col("refunded_fen") - pl.col("linked").fill_null(0)).clip(
            lower_bound=0
        )
        text = pl.concat_str(
            [pl.col("category").fill_null(""), pl.col("memo").fill_null(""), pl.col("counterparty")],
            separator=" ",
        )
        hour = pl.col("time").dt.hour()
        nature = pl.col("nature")
        t = t.with_columns(
            inc=pl.col("cny") & (pl.col("direction") == "in"),
            out=out,
            net=pl.when(out).then(net).otherwise(0),
            text=text,
        ).with_columns(
            refund_off=pl.when(pl.col("out")).then(pl.col("amount_fen") - pl.col("net")).otherwise(0),
            salary=pl.col("inc") & pl.col("text").str.contains(h.SALARY),
            lux=pl.col("out") & pl.col("text").str.contains(h.LUXURY),
            travel=pl.col("out") & pl.col("text").str.contains(h.TRAVEL),
            ent=pl.col("out") & pl.col("text").str.contains(h.ENTERTAINMENT),
            lottery=pl.col("out") & pl.col("text").str.contains(h.LOTTERY),
            credit=pl.col("out") & pl.col("channel").str.contains(h.CREDIT_CHANNEL),
            night=pl.col("out") & ((hour >= h.NIGHT_FROM_HOUR) | (hour < h.NIGHT_TO_HOUR)),
            crepay=pl.col("cny") & (nature == "credit_repay"),
            cdraw=pl.col("cny") & (nature == "credit_draw"),
            own=pl.col("cny") & (nature == "own_transfer"),
            invest=pl.col("cny") & (nature == "investment"),
            failed=nature == "failed",
            fx=~pl.col("cny"),
        )
        t = t.with_columns(
            cash=pl.col("own") & pl.concat_str([pl.col("text"), pl.col("channel")]).str.contains(h.CASH),
            fx_in=pl.col("fx") & (pl.col("direction") == "in"),
            fx_out=pl.col("fx") & (pl.col("direction") == "out"),
        )
        keep = ("debtor_id", "source", "amount_fen", "counterparty", "channel", "m_ago", "age_days", "net")
        flags = ("inc", "out", "refund_off", "salary", "lux", "travel", "ent", "lottery", "credit", "night")
        more = ("crepay", "cdraw", "own", "invest", "failed", "fx", "fx_in", "fx_out", "cash")
        return t.select(*keep, *flags, *more)

    def _txn_months(self) -> pl.DataFrame:
        t = self.get("txns").filter(h.M < 36)
        m = t.group_by("debtor_id", "m_ago").agg(
            inc=pl.col("amount_fen").filter(pl.col("inc")).sum(), spend=pl.col("net").sum()
        )
        return m.with_columns(net=pl.col("inc") - pl.col("spend"))

    def _txn_payers(self) -> pl.DataFrame:
        t = self.get("txns").filter(pl.col("inc") & (h.M < 36))
        return t.group_by("debtor_id", "counterparty").agg(
            s12=pl.col("amount_fen").filter(h.M < 12).sum(),
            s36=pl.col("amount_fen").sum(),
            mo12=h.M.filter(h.M < 12).n_unique(),
        )

    def _txn_spouse(self) -> pl.DataFrame:
        spouses = (
            self.get("records:marriage")
            .select("debtor_id", spouse=pl.col("spouse").str.strip_chars())
            .unique()
        )
        spouses = spouses.filter(pl.col("spouse").is_not_null() & (pl.col("spouse") != ""))
        t = self.get("txns").filter(pl.col("out")).with_row_index("__row")
        t = t.with_columns(cp=pl.col("counterparty").str.strip_chars())
        j = t.join(spouses, on="debtor_id", how="inner")
        cp = pl.col("cp")
        exact = cp == pl.col("spouse")
        # a masked name: same length, at least one shown character, every shown character in place
        maybe = cp.str.contains("*", literal=True) & (cp.str.len_chars() == pl.col("spouse").str.len_chars())
        j = j.filter(exact | (maybe & (cp.str.replace_all("*", "", literal=True) != "")))
        pattern = pl.lit("^") + cp.str.escape_regex().str.replace_all(r"\\\*", ".") + pl.lit("$")
        j = j.filter(pl.col("spouse").str.contains(pattern))
        return j.unique("__row", maintain_order=True).drop("__row", "spouse", "cp")

    def _txn_company(self) -> pl.DataFrame:
        names = self.get("records:business").select(
            "debtor_id", counterparty=pl.col("company").str.strip_chars()
        )
        names = names.filter(pl.col("counterparty") != "").unique()
        t = self.get("txns").filter(pl.col("inc") | pl.col("out"))
        return t.with_columns(pl.col("counterparty").str.strip_chars()).join(
            names, on=["debtor_id", "counterparty"], how="semi"
        )

    # -- records --------------------------------------------------------------------------------------
    def _records_property(self) -> pl.DataFrame:
        return self._assets_events("property")

    def _records_vehicle(self) -> pl.DataFrame:
        return self._assets_events("vehicle")

    def _assets_events(self, kind: str) -> pl.DataFrame:
        r = self._dated(self._record(kind), "event_date").sort("debtor_id", "event_date", "source_id", "row")
        low = (
            pl.col("price_fen").is_not_null()
            & pl.col("reference_value_fen").is_not_null()
            & (pl.col("price_fen").cast(pl.Float64) < pl.col("reference_value_fen") * h.LOW_PRICE_SHARE)
        )
        related = pl.col("transferee_relation").is_in(["spouse", "ex_spouse", "relative", "related_company"])
        return r.with_columns(
            transfer=pl.col("event") == "transfer",
            low_price=(pl.col("event") == "transfer") & low,
            to_related=(pl.col("event") == "transfer") & related,
            to_spouse=(pl.col("event") == "transfer")
            & pl.col("transferee_relation").is_in(["spouse", "ex_spouse"]),
        )

    def _property_units(self) -> pl.DataFrame:
        return self._units("records:property", "property_id", mortgage=True)

    def _vehicle_units(self) -> pl.DataFrame:
        return self._units("records:vehicle", "plate", mortgage=False)

    def _units(self, events: str, key: str, *, mortgage: bool) -> pl.DataFrame:
        r = self.get(events)
        aggs: list[Any] = [
            pl.col("event").last().alias("last_event"),
            pl.col("owner_relation").last().alias("relation"),
            pl.col("reference_value_fen").drop_nulls().last().alias("value"),
            (pl.col("event") == "mortgage").any().alias("mortgaged"),
            (pl.col("event") == "seizure").any().alias("seized"),
        ]
        if mortgage:
            aggs.append(pl.col("mortgage_fen").drop_nulls().last().alias("mortgage"))
        u = r.group_by("debtor_id", key, maintain_order=True).agg(aggs)
        return u.with_columns(
            held=pl.col("last_event") != "transfer",
            own=pl.col("relation") == "self",
        )

    def _records_business(self) -> pl.DataFrame:
        r = self._record("business").filter(pl.col("as_of") <= self.as_of)
        r = r.sort("debtor_id", "as_of", "source_id", "row")
        changed = pl.col("change_type").is_not_null() & (pl.col("change_type") != "")
        when = pl.coalesce(pl.col("change_date"), pl.col("as_of"))
        return r.with_columns(
            company=pl.col("company").str.strip_chars(),
            change=changed & (when <= self.as_of),
            m_ago=(pl.lit(month_index(self.as_of)) - (when.dt.year() * 12 + when.dt.month())).cast(pl.Int32),
            est_m_ago=(
                pl.lit(month_index(self.as_of))
                - (pl.col("established_on").dt.year() * 12 + pl.col("established_on").dt.month())
            ).cast(pl.Int32),
            est_days=(pl.lit(self.as_of) - pl.col("established_on")).dt.total_days(),
        )

    def _companies(self) -> pl.DataFrame:
        r = self.get("records:business")
        return r.group_by("debtor_id", "company", maintain_order=True).agg(
            status=pl.col("status").drop_nulls().last(),
            role=pl.col("role").drop_nulls().last(),
            registered=pl.col("registered_capital_fen").drop_nulls().last(),
            paid_in=pl.col("paid_in_capital_fen").drop_nulls().last(),
            stake=pl.col("stake_pct").drop_nulls().last(),
            est_m_ago=pl.col("est_m_ago").drop_nulls().last(),
            est_days=pl.col("est_days").drop_nulls().last(),
        )

    def _court(self) -> pl.DataFrame:
        r = self._dated(self._record("court"), "filed_on").sort("debtor_id", "filed_on", "source_id", "row")
        r = r.unique(["debtor_id", "record_type", "case_no"], keep="last", maintain_order=True)
        closed_later = pl.col("closed_on").is_not_null() & (pl.col("closed_on") > self.as_of)
        return r.with_columns(open=(pl.col("status") == "open") | closed_later)

    def _records_contribution(self) -> pl.DataFrame:
        r = self._record("contribution")
        period = pl.col("period").str.strip_chars()
        parsed = (period + "-01").str.to_date("%Y-%m-%d", strict=False)
        r = r.with_columns(
            m_ago=(pl.lit(month_index(self.as_of)) - (parsed.dt.year() * 12 + parsed.dt.month())).cast(
                pl.Int32
            )
        )
        return r.filter(pl.col("m_ago") >= 0).sort("debtor_id", "period", "source_id", "row")

    def _records_declared_income(self) -> pl.DataFrame:
        r = self._dated(self._record("declared_income"), "declared_on")
        return r.sort("debtor_id", "declared_on", "source_id", "row")

    def _records_marriage(self) -> pl.DataFrame:
        r = self._dated(self._record("marriage"), "event_date")
        return r.sort("debtor_id", "event_date", "source_id", "row")

"""More literal debtors for the missing-value, batch and semantics tests (see fixture.py for D1)."""

from __future__ import annotations

from datetime import date

from .fixture import AS_OF, NEU, OUT, dt, person, txn_rows, with_id

D2, D3, D4, D5, D6, D7 = 2, 3, 4, 5, 6, 7

# D2: statements ingested (one purchase, one own transfer, no income); contract basis only.
D2_PARTS = {
    "debtors": [person(D2, "王芳")],
    "txns": txn_rows(D2, [
        ("X1", "alipay", dt(2025, 5, 1), 50_000, "CNY", OUT, "spending", "盒马鲜生", "", "余额", "", "B1", "", 0),
        ("X2", "alipay", dt(2025, 5, 2), 10_000, "CNY", NEU, "own_transfer", "王芳", "", "", "", "", "", 0),
    ]),
}  # fmt: skip
D2_PURPOSES = frozenset({"collection", "capacity_assessment"})
D2_SEEN = frozenset({"txns"})

# D3: every purpose, nothing ever ingested, one open debt and one payment of our own.
D3_PARTS = {
    "debtors": [person(D3, "张伟")],
    "debts": with_id(D3, [{"debt_id": 301, "original_principal_fen": 100_000, "principal_fen": 100_000,
                           "outstanding_fen": 120_000, "status": "open", "dpd": 30}]),
    "payments": with_id(D3, [{"paid_on": date(2025, 6, 1), "amount_fen": 5_000, "reversed": False}]),
}  # fmt: skip

# D4: an enterprise with statements and property records on file but no basis beyond the assignment.
D4_PARTS = {
    "debtors": [{"debtor_id": D4, "kind": "enterprise", "name": "某某公司", "created_on": date(2025, 1, 1)}],
    "txns": txn_rows(D4, [
        ("X3", "bank:generic", dt(2025, 6, 1), 900_000, "CNY", "in", "income", "客户", "", "", "", "", "", 0),
    ]),
    "property": [{"debtor_id": D4, "source_id": 1, "row": 1, "property_id": "X", "owner": "某某公司",
                  "owner_relation": "self", "event": "holding", "event_date": date(2020, 1, 1),
                  "reference_value_fen": 1_000_000}],
    "payments": with_id(D4, [{"paid_on": date(2025, 6, 2), "amount_fen": 7_000, "reversed": False}]),
}  # fmt: skip
D4_SEEN = frozenset({"txns", "property"})


def _month_starts(n: int) -> list[date]:
    """The 1st of each of the n calendar months ending with AS_OF's month, newest first."""
    out = []
    y, m = AS_OF.year, AS_OF.month
    for _ in range(n):
        out.append(date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out


# D5: the article's example: declares 10,000 yuan a month, spends 23,000 yuan a month for 36 months.
D5_PARTS = {
    "debtors": [person(D5, "陈某")],
    "txns": txn_rows(D5, [
        (f"G{i}", "alipay", dt(d.year, d.month, d.day), 2_300_000, "CNY", OUT, "spending", "商户", "", "花呗", "", f"G{i}", "", 0)
        for i, d in enumerate(_month_starts(36))
    ]),
    "declared_income": [{"debtor_id": D5, "source_id": 1, "row": 1, "declared_on": date(2022, 5, 1),
                         "monthly_income_fen": 1_000_000, "source": "court_declaration"}],
}  # fmt: skip
D5_SEEN = frozenset({"txns", "declared_income"})

# D6: declared-income source ingested but its only declaration is after as_of; no contributions ingested.
D6_PARTS = {
    "debtors": [person(D6, "刘某")],
    "txns": txn_rows(D6, [
        ("X4", "alipay", dt(2025, 6, 1), 30_000, "CNY", OUT, "spending", "商户", "", "", "", "B4", "", 0),
    ]),
    "declared_income": [{"debtor_id": D6, "source_id": 1, "row": 1, "declared_on": date(2025, 6, 30),
                         "monthly_income_fen": 1_000_000, "source": "interview"}],
}  # fmt: skip
D6_SEEN = frozenset({"txns", "declared_income"})

# D7: no declaration ingested; social insurance base 600,000 in two months documents the income.
D7_PARTS = {
    "debtors": [person(D7, "周某")],
    "txns": txn_rows(D7, [
        ("X5", "alipay", dt(2025, 6, 1), 1_200_000, "CNY", OUT, "spending", "商户", "", "", "", "B5", "", 0),
    ]),
    "contribution": [
        {"debtor_id": D7, "source_id": 1, "row": i, "scheme": "social_insurance", "period": p, "employer": "某厂",
         "base_fen": 600_000, "amount_fen": 60_000, "status": "paid"}
        for i, p in enumerate(("2025-05", "2025-04"), 1)
    ],
}  # fmt: skip
D7_SEEN = frozenset({"txns", "contribution"})

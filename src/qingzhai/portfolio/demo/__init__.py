"""Demo data: three creditors with their placement batches, debtors, debts and months of collection work,
plus one demo user per role.

Everything comes from one seeded `random.Random` and is dated relative to the business date, so the same
seed gives the same data on the same day. The load is one transaction with one summarising audit event;
a loaded demo is recognised by its creditors' codes and never loaded twice.

Modules: `reference` (fixed lists and weights), `identity` (names, ID numbers, phones, addresses),
`schedule` (instalment maths), `debtors`, `debts` and `casework` (what the generator draws),
`generate` (the seeded generator and its bulk insert), `load` (load, reset, digest, demo users).
"""

from qingzhai.portfolio.demo.identity import luhn_digit, org_code_check
from qingzhai.portfolio.demo.load import DemoResult, DemoUser, demo_digest, demo_is_loaded, demo_load
from qingzhai.portfolio.demo.reference import (
    BUSINESS_LOAN,
    CREDIT_CARD,
    DEFAULT_SEED,
    DEMO_CREDITOR_CODES,
    DEMO_CREDITORS,
    DEMO_TEAM,
    DEMO_USERS,
    PRODUCTS,
    REGIONS,
    SIZES,
    SURNAMES,
)
from qingzhai.portfolio.demo.schedule import add_months, annuity_schedule

__all__ = [
    "BUSINESS_LOAN",
    "CREDIT_CARD",
    "DEFAULT_SEED",
    "DEMO_CREDITORS",
    "DEMO_CREDITOR_CODES",
    "DEMO_TEAM",
    "DEMO_USERS",
    "PRODUCTS",
    "REGIONS",
    "SIZES",
    "SURNAMES",
    "DemoResult",
    "DemoUser",
    "add_months",
    "annuity_schedule",
    "demo_digest",
    "demo_is_loaded",
    "demo_load",
    "luhn_digit",
    "org_code_check",
]

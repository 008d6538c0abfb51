"""What a flag is, and every threshold the flags use.

Pure module (no Django). A flag is a finding a person must review: what was seen (`facts`), the rule it was
measured against (`rule_*`, with its legal source where there is one) and the source rows behind it
(`evidence`: a transaction or registry record, by SourceFile id and row number in that file).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

SEVERITIES = ("low", "medium", "high")
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}


@dataclass
class Flag:
    code: str
    severity: str  # low / medium / high
    title_zh: str
    title_en: str
    facts: dict[str, Any]  # JSON-ready: str, int (money in fen), float (ratios), bool, None, lists, dicts
    rule_zh: str
    rule_en: str
    evidence: list[dict[str, Any]]  # {"kind": "txn" | "record", "source_id", "row", "summary"}
    purpose: str  # a purposes.PURPOSES key

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity {self.severity!r}")

    def as_dict(self) -> dict[str, Any]:
        return {
            "flag": self.code,
            "severity": self.severity,
            "facts": self.facts,
            "evidence": self.evidence,
            "rule": {"zh": self.rule_zh, "en": self.rule_en},
            "title": {"zh": self.title_zh, "en": self.title_en},
        }


@dataclass(frozen=True)
class FlagSettings:
    """Every threshold. Money in fen; ratios as plain numbers (compared exactly, as decimals)."""

    enabled: tuple[str, ...] = (
        "income_consumption_gap",
        "hidden_income",
        "divorce_asset_transfer",
        "related_party_transfer",
        "restriction_breach",
        "new_assets",
    )
    evidence_top_n: int = 10  # rows cited for aggregate flags (largest first)
    max_evidence: int = 50  # rows cited at most for flags that list every match

    # a. income_consumption_gap
    gap_window_months: int = 36  # calendar months ending with the as-of month
    gap_min_months: int = 3  # fewer months of bills: no finding
    gap_medium_ratio: float = 1.5
    gap_high_ratio: float = 2.0
    gap_min_monthly_fen: int = 100_000  # average net consumption below this is never flagged

    # b. hidden_income
    hidden_window_months: int = 12
    hidden_min_months: int = 3  # distinct months with an inflow from the same payer
    hidden_min_total_fen: int = 2_000_000  # total from that payer in the window must exceed this
    hidden_high_ratio: float = 2.0  # observed >= ratio x declared -> high

    # c./d. transfers
    divorce_before_months: int = 24
    divorce_after_months: int = 12
    low_price_ratio: float = 0.70  # 法释〔2023〕13号 art. 42
    known_on: date | None = None  # when the creditor knew of the transfer; default: the as-of date
    knowledge_period_years: int = 1  # Civil Code art. 541
    act_period_years: int = 5  # Civil Code art. 541
    spouse_outflow_min_fen: int = 1_000_000  # one transfer to the spouse at least this large
    spouse_outflow_high_fen: int = 5_000_000  # their total at least this -> high

    # e. restriction_breach
    restriction_grace_days: int = 0  # spending on the filing day plus this many days is not counted
    # (category, least amount): luxury brands also sell small items (a lipstick); only a purchase this
    # large reads as luxury goods
    restriction_min_fen: tuple[tuple[str, int], ...] = (("luxury", 500_000),)

    # f. new_assets
    new_asset_owner_relations: tuple[str, ...] = ("self", "spouse")
    new_salary_min_months: int = 3  # consecutive months of a new payer after default
    new_salary_min_fen: int = 300_000  # each of those months at least this much from that payer
    new_salary_spread: float = 1.5  # without a salary word, largest month <= spread x smallest month

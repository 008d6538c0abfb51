"""PIPL processing purposes and the legal bases that cover them (PIPL arts. 6, 13; see docs/profiling.md).

Pure module (no Django). Every indicator and flag names one purpose; it is computed for a debtor only when
a legal basis on file covers that purpose. `collection` (managing the debt the creditor assigned: its
balance, payments, promises and contact history) is covered by the assignment itself (PIPL art. 13(2),
performing the contract the debtor is party to), so indicators drawn only from our own case records
always compute.
"""

from __future__ import annotations

PURPOSES: dict[str, tuple[str, str]] = {
    "collection": ("债务管理与催收", "Managing and collecting the assigned debt"),
    "capacity_assessment": ("还款能力评估", "Assessing the ability to repay"),
    "asset_investigation": ("财产线索调查", "Investigating assets available for enforcement"),
    "litigation": ("诉讼与执行", "Litigation and enforcement"),
    "contact": ("联系与触达", "Reaching the debtor lawfully"),
}

BASES: dict[str, tuple[str, str]] = {
    "contract": ("合同约定（借款合同授权条款）", "Contract clause (loan agreement authorisation)"),
    "court_order": ("法院调查令", "Court investigation order"),
    "consent": ("本人书面同意", "The debtor's written consent"),
    "legal_duty": ("法定义务或公共记录", "Legal duty or public record"),
}

# What each basis covers unless the record narrows it (a consent lists its own purposes).
DEFAULT_COVERAGE: dict[str, frozenset[str]] = {
    "contract": frozenset({"collection", "capacity_assessment", "contact"}),
    "court_order": frozenset({"collection", "asset_investigation", "litigation"}),
    "consent": frozenset(),  # only what the consent names
    "legal_duty": frozenset({"collection", "litigation", "asset_investigation"}),
}

ALWAYS = frozenset({"collection"})


class PurposeError(ValueError):
    def __init__(self, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_zh = message_zh
        self.message_en = message_en


def coverage(basis: str, purposes: list[str] | tuple[str, ...] | None = None) -> frozenset[str]:
    """The purposes one legal basis covers. `purposes` narrows a contract or court order and is required
    for consent. Raises PurposeError on an unknown basis or purpose."""
    if basis not in BASES:
        raise PurposeError(
            f"未知的合法性基础：{basis}（可选：{', '.join(BASES)}）",
            f"Unknown legal basis: {basis} (choose from: {', '.join(BASES)})",
        )
    named = frozenset(purposes or ())
    unknown = sorted(named - set(PURPOSES))
    if unknown:
        raise PurposeError(
            f"未知的处理目的：{', '.join(unknown)}（可选：{', '.join(PURPOSES)}）",
            f"Unknown processing purpose: {', '.join(unknown)} (choose from: {', '.join(PURPOSES)})",
        )
    if basis == "consent" and not named:
        raise PurposeError("本人同意须写明处理目的", "A consent must name the purposes it covers")
    return named if named else DEFAULT_COVERAGE[basis]


def covered(bases: list[tuple[str, list[str] | None]]) -> frozenset[str]:
    """All purposes covered by a debtor's legal bases on file, plus `collection`."""
    out = set(ALWAYS)
    for basis, purposes in bases:
        out |= coverage(basis, purposes)
    return frozenset(out)

"""The case stage state machine. Pure: no Django import."""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    NEW = "new"
    CONTACT = "contact"
    NEGOTIATED = "negotiated"
    AGREEMENT = "agreement"
    LEGAL = "legal"
    ENFORCEMENT = "enforcement"
    CLOSED = "closed"


STAGE_LABELS: dict[Stage, tuple[str, str]] = {
    Stage.NEW: ("新案", "New"),
    Stage.CONTACT: ("联系中", "Contact"),
    Stage.NEGOTIATED: ("已协商", "Negotiated"),
    Stage.AGREEMENT: ("已达成协议", "Agreement"),
    Stage.LEGAL: ("诉讼", "Legal"),
    Stage.ENFORCEMENT: ("执行", "Enforcement"),
    Stage.CLOSED: ("结案", "Closed"),
}

TRANSITIONS: dict[Stage, frozenset[Stage]] = {
    Stage.NEW: frozenset({Stage.CONTACT, Stage.LEGAL, Stage.CLOSED}),
    Stage.CONTACT: frozenset({Stage.NEGOTIATED, Stage.LEGAL, Stage.CLOSED}),
    Stage.NEGOTIATED: frozenset({Stage.AGREEMENT, Stage.CONTACT, Stage.LEGAL, Stage.CLOSED}),
    Stage.AGREEMENT: frozenset({Stage.CONTACT, Stage.LEGAL, Stage.CLOSED}),
    Stage.LEGAL: frozenset({Stage.ENFORCEMENT, Stage.AGREEMENT, Stage.CLOSED}),
    Stage.ENFORCEMENT: frozenset({Stage.AGREEMENT, Stage.CLOSED}),
    Stage.CLOSED: frozenset({Stage.CONTACT}),
}


def label_pair(value: str) -> tuple[str, str]:
    """(Chinese, English) label of a stage value; the raw value twice if it is unknown."""
    try:
        return STAGE_LABELS[Stage(value)]
    except ValueError:
        return (value, value)


class IllegalTransition(ValueError):
    def __init__(self, current: str, target: str) -> None:
        super().__init__(f"{current} -> {target} is not allowed")
        self.current = current
        self.target = target


def allowed_targets(current: str) -> frozenset[Stage]:
    return TRANSITIONS[Stage(current)]


def check_transition(current: str, target: str) -> Stage:
    """Return the target stage, or raise IllegalTransition."""
    try:
        cur, tgt = Stage(current), Stage(target)
    except ValueError as exc:
        raise IllegalTransition(current, target) from exc
    if tgt not in TRANSITIONS[cur]:
        raise IllegalTransition(current, target)
    return tgt

"""Policy packs (cn, us-regf): the contact rules as versioned, effective-dated data with their legal bases."""

from __future__ import annotations

from qingzhai.compliance.policies.packs import (
    PackInfo,
    Param,
    PolicyError,
    PolicyPack,
    RuleSpec,
    apply_overrides,
    list_packs,
    load_pack,
    load_pack_version,
)

__all__ = [
    "PackInfo",
    "Param",
    "PolicyError",
    "PolicyPack",
    "RuleSpec",
    "apply_overrides",
    "list_packs",
    "load_pack",
    "load_pack_version",
]

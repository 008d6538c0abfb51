"""Evaluating every flag for a set of debtors.

Pure module (no Django). A flag is computed for a debtor only when the legal bases on file cover its
purpose (`Frames.purposes`, plus `collection`, which the assignment always covers; see purposes.py), and
only when enabled in the settings. Flags come out most severe first, then by code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from qingzhai.profiling.flags import divorce, gap, hidden_income, new_assets, related, restriction
from qingzhai.profiling.flags.common import View, all_debtor_ids, split
from qingzhai.profiling.flags.model import SEVERITY_RANK, Flag, FlagSettings
from qingzhai.profiling.frames import Frames
from qingzhai.profiling.purposes import ALWAYS, PURPOSES

Check = Callable[[View, FlagSettings], list[Flag]]

# code -> (purpose, check), in the order the brief lists them
CHECKS: dict[str, tuple[str, Check]] = {
    gap.CODE: (gap.PURPOSE, gap.check),
    hidden_income.CODE: (hidden_income.PURPOSE, hidden_income.check),
    divorce.CODE: (divorce.PURPOSE, divorce.check),
    related.CODE: (related.PURPOSE, related.check),
    restriction.CODE: (restriction.PURPOSE, restriction.check),
    new_assets.CODE: (new_assets.PURPOSE, new_assets.check),
}
assert all(purpose in PURPOSES for purpose, _ in CHECKS.values())


def evaluate(
    frames: Frames, *, settings: FlagSettings | None = None, debtor_ids: Iterable[int] | None = None
) -> dict[int, list[Flag]]:
    """debtor_id -> its flags (an empty list when none), for `debtor_ids` or every debtor in the frames."""
    s = settings or FlagSettings()
    ids = sorted({int(i) for i in debtor_ids}) if debtor_ids is not None else all_debtor_ids(frames)
    views = split(frames, ids)
    out: dict[int, list[Flag]] = {}
    for debtor_id in ids:
        allowed = frames.purposes.get(debtor_id, frozenset()) | ALWAYS
        found: list[Flag] = []
        for code, (purpose, check) in CHECKS.items():
            if code in s.enabled and purpose in allowed:
                found.extend(check(views[debtor_id], s))
        found.sort(key=lambda f: (-SEVERITY_RANK[f.severity], f.code))
        out[debtor_id] = found
    return out

"""Which activities are outbound contacts, and the clearance an outbound contact needs before it is logged.

Portfolio does not decide whether a contact is lawful: the compliance gate does, and hands out a `Clearance`
for a contact it allowed. `services.activity_log` refuses an outbound contact without one.
"""

from __future__ import annotations

from dataclasses import dataclass

# Activity kinds that reach a person outside the agency (inbound calls and notes are not contacts we make).
OUTBOUND_KINDS = frozenset({"call", "bot_call", "sms", "email", "letter", "visit"})


@dataclass(frozen=True)
class Clearance:
    """The gate allowed this contact: decision `decision_id`, for this case, kind, party and contact point."""

    decision_id: int
    case_id: int
    kind: str
    party: str
    contact_point_id: int | None

    def covers(self, *, case_id: int, kind: str, party: str, contact_point_id: int | None) -> bool:
        return (self.case_id, self.kind, self.party, self.contact_point_id) == (
            case_id,
            kind,
            party,
            contact_point_id,
        )

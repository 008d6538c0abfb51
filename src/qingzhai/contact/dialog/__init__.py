"""The collection bot's dialog: versioned scripts (话术), intents, the turn engine and a debtor simulator.

Pure Python (no Django). A service stores what :class:`Transcript` holds; nothing here persists.
"""

from qingzhai.contact.dialog.engine import DialogEngine
from qingzhai.contact.dialog.intents import INTENTS, Intent, IntentModel, Recognizer
from qingzhai.contact.dialog.offers import Account, Authority, OfferError, Plan
from qingzhai.contact.dialog.script import Script, ScriptError, available_scripts, load_script, parse_script
from qingzhai.contact.dialog.transcript import Handover, Outcome, Transcript, Turn

__all__ = [
    "INTENTS",
    "Account",
    "Authority",
    "DialogEngine",
    "Handover",
    "Intent",
    "IntentModel",
    "OfferError",
    "Outcome",
    "Plan",
    "Recognizer",
    "Script",
    "ScriptError",
    "Transcript",
    "Turn",
    "available_scripts",
    "load_script",
    "parse_script",
]

"""The channel adapters send without asking the compliance gate: they are transports. Only callers that
hold a gate clearance may import them; adding one must come with its gate test and its entry in
tests/compliance/test_outbound_paths.py, and with a change here."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[3] / "src" / "qingzhai"
# Product modules (outside contact/channels) allowed to import the adapters: the campaign sender, which
# sends only what the gate allowed at that moment, and the campaign API, which only parses gateway callbacks.
ALLOWED_IMPORTERS: set[str] = {"contact/services/campaign_send.py", "contact/api/campaigns.py"}


def _imports_channels(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("qingzhai.contact.channels"):
            return True
        if isinstance(node, ast.Import) and any(
            a.name.startswith("qingzhai.contact.channels") for a in node.names
        ):
            return True
    return False


def test_no_product_module_sends_through_a_channel_without_a_listed_gated_caller():
    importers = {
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if "contact/channels" not in path.as_posix() and _imports_channels(path)
    }
    assert importers == ALLOWED_IMPORTERS

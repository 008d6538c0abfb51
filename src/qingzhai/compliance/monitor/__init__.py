"""Real-time utterance screening: what a collector (or bot) says, checked against the conduct rules.

Pure Python (no Django). Lexicons and patterns live in YAML data files under ``data/`` that compliance
officers extend without code (see ``docs/compliance-lexicons.md``).

    from qingzhai.compliance.monitor import screen
    screen("不还钱就让法院把你抓起来")
    # [Violation(category='false_legal_consequence', rule='false_legal_consequence.arrest', ...)]
"""

from __future__ import annotations

from qingzhai.compliance.monitor.engine import Screener, Violation, default_screener, screen, screen_lines
from qingzhai.compliance.monitor.lexicon import CATEGORIES, SEVERITIES, LexiconError, load_lexicon

__all__ = [
    "CATEGORIES",
    "SEVERITIES",
    "LexiconError",
    "Screener",
    "Violation",
    "default_screener",
    "load_lexicon",
    "screen",
    "screen_lines",
]

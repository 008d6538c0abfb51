"""Evidence-backed risk flags for a debtor: findings a person reviews, each with its facts, the rule and
its legal source, and the source rows behind it.

Pure package (no Django). Entry point: `evaluate(frames, settings=..., debtor_ids=...)`.
"""

from qingzhai.profiling.flags.engine import CHECKS, evaluate
from qingzhai.profiling.flags.model import Flag, FlagSettings

__all__ = ["CHECKS", "Flag", "FlagSettings", "evaluate"]

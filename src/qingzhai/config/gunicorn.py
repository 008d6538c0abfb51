"""Gunicorn settings used by `qingzhai serve` (passed as `--config python:qingzhai.config.gunicorn`)."""

from __future__ import annotations

from typing import Any


def post_worker_init(worker: Any) -> None:
    """Load the utterance screener (lexicons, jieba, OpenCC, the learned layer: a few seconds) before the
    worker takes requests, so the first sentence typed after a start is screened at full speed."""
    from qingzhai.compliance.monitor import default_screener

    default_screener().warm_up()

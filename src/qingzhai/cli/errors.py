"""One way for commands to fail: a bilingual message (one JSON object with --json) and exit status 2."""

from __future__ import annotations

import json
from typing import Any, NoReturn

import typer
from rich.console import Console

err_console = Console(stderr=True)


def fail(as_json: bool, code: str, zh: str, en: str, fields: Any = None) -> NoReturn:
    """Print a bilingual error (one JSON object with --json) and exit 2."""
    if as_json:
        payload = {
            "code": code,
            "message": f"{zh} / {en}",
            "message_zh": zh,
            "message_en": en,
            "fields": fields or {},
        }
        print(json.dumps(payload, ensure_ascii=False))
    else:
        err_console.print(f"[red]{zh}[/]\n[red]{en}[/]", soft_wrap=True)
    raise typer.Exit(2)

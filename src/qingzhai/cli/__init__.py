"""The `qingzhai` command (typer + rich). Thin: every command calls services or management commands.

Help is bilingual; output language follows --lang or QINGZHAI_LANG (default zh-hans).
"""

from __future__ import annotations

import os

import typer

app = typer.Typer(
    help="清债 Qingzhai 命令行 / command line. 每个报告数据的命令都支持 --json / every data command has --json.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
import_app = typer.Typer(help="导入数据 / Import data", no_args_is_help=True)
app.add_typer(import_app, name="import")


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qingzhai.config.settings")
    import django

    django.setup()
    from django.utils import translation

    translation.activate(os.environ.get("QINGZHAI_LANG", "zh-hans"))


def _register() -> None:
    from qingzhai.cli import (  # noqa: F401  (they register)
        agreement,
        bot,
        campaign,
        compliance,
        demo,
        emotion,
        evidence,
        imports,
        legal,
        legal_deadlines,
        legal_document,
        legal_limitation,
        profile,
        scoring,
        scoring_registry,
        system,
    )


def main() -> None:
    _register()
    app()

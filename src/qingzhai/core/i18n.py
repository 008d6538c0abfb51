"""Bilingual text: Simplified Chinese first, English on request, chosen by the active Django language."""

from __future__ import annotations

from django.utils.functional import lazy
from django.utils.translation import get_language


def is_english(language: str | None = None) -> bool:
    lang = (language or get_language() or "zh-hans").lower()
    return lang.startswith("en")


def bi(zh: str, en: str, language: str | None = None, **params: object) -> str:
    """Pick the text for the active (or given) language and fill {placeholders}."""
    text = en if is_english(language) else zh
    return text.format(**params) if params else text


bi_lazy = lazy(bi, str)

"""Letters: the PDF for the mail room (pure at import; the legal documents engine, which uses Django's
template engine, is imported when a letter is made).

There is no post-office API: `send` lays the letter out as a PDF and hands it over in the result
(`SendResult.data`), with the PDF's sha256 as the provider id — the same fingerprint the evidence ledger
keeps. The mail room posts it (registered mail or EMS) and reports the tracking events back, which
`parse_receipt` reads: {"provider_id": sha256, "status": "delivered" | "returned" | "failed", "at",
"tracking_no"}.

The letter is, in order of preference:
- `meta["rendered"]`: a document already rendered by qingzhai.legal.documents.render.render(kind,
  values, "pdf") (its PDF bytes are used as they are);
- `meta["kind"]` and `meta["values"]`: rendered here with the legal template of that kind;
- `body`: ready HTML; a fragment without <html> is wrapped in the legal documents' A4 page and fonts.
The WeasyPrint layout is deterministic, so the same letter always has the same sha256.
"""

from __future__ import annotations

import hashlib
import html as html_lib
from collections.abc import Mapping
from typing import Any

from qingzhai.contact.channels.base import (
    PERMANENT,
    Message,
    Receipt,
    Reply,
    SendResult,
    accepted,
    failed,
    json_receipt,
    json_reply,
)

PDF = "application/pdf"
_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>
<style>
@page {{ size: A4; margin: 2.5cm 2.6cm 2.5cm 2.8cm; }}
body {{ font-family: "Noto Serif CJK SC", serif; font-size: 12pt; line-height: 1.75; color: #000; }}
h1 {{ font-size: 22pt; text-align: center; margin: 0 0 0.9em; }}
p {{ margin: 0 0 0.25em; text-align: justify; }}
p.indent {{ text-indent: 2em; }} p.right, p.signature {{ text-align: right; }}
</style></head><body>{body}</body></html>"""


def page(fragment: str, title: str = "") -> str:
    """A body fragment as a full A4 page in the legal documents' fonts; full documents pass through."""
    if "<html" in fragment.lower():
        return fragment
    return _PAGE.format(title=html_lib.escape(title), body=fragment)


class LetterChannel:
    name = "letter"

    def __init__(self, *, max_bytes: int = 20 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> LetterChannel:
        value = settings.get("QINGZHAI_LETTER_MAX_BYTES")
        return cls(max_bytes=int(value)) if value else cls()

    def pdf(self, message: Message) -> bytes:
        from qingzhai.legal.documents.render import html_to_pdf, render

        rendered = message.meta.get("rendered")
        if rendered is not None:
            if getattr(rendered, "media_type", PDF) == PDF:
                return bytes(rendered.data)
            return html_to_pdf(page(str(rendered.html), message.subject))
        if message.meta.get("kind"):
            return render(str(message.meta["kind"]), dict(message.meta.get("values") or {}), "pdf").data
        return html_to_pdf(page(message.body, message.subject))

    def send(self, message: Message) -> SendResult:
        if not message.to.strip():
            return failed(
                PERMANENT,
                "letter_address_missing",
                "缺少收件人地址",
                "The recipient's postal address is missing",
            )
        if not (message.body.strip() or message.meta.get("rendered") or message.meta.get("kind")):
            return failed(PERMANENT, "letter_empty", "信函内容为空", "The letter has no content")
        from django.template import TemplateDoesNotExist, TemplateSyntaxError

        try:
            data = self.pdf(message)
        except (ValueError, LookupError, OSError, TemplateDoesNotExist, TemplateSyntaxError) as exc:
            return failed(
                PERMANENT,
                "letter_render_failed",
                f"信函无法生成 PDF：{exc}",
                f"The letter could not be laid out as a PDF: {exc}",
            )
        if len(data) > self.max_bytes:
            return failed(
                PERMANENT,
                "letter_too_large",
                f"信函 PDF 过大：{len(data)} 字节",
                f"The letter's PDF is too large: {len(data)} bytes",
            )
        digest = hashlib.sha256(data).hexdigest()
        return accepted(digest, data=data, sha256=digest, media_type=PDF, address=message.to, size=len(data))

    def parse_receipt(self, payload: Mapping[str, Any]) -> Receipt:
        return json_receipt(payload, "provider_id", "sha256", "id")

    def parse_reply(self, payload: Mapping[str, Any]) -> Reply:
        """A written answer scanned by the mail room: {"from", "text", "at", "provider_id"}."""
        return json_reply(payload)

from __future__ import annotations

import hashlib
import shutil
import subprocess
from datetime import UTC, datetime

import pytest

from qingzhai.contact.channels import Message, channel_for
from qingzhai.contact.channels.letter import LetterChannel, page

ADDRESS = "上海市浦东新区世纪大道 100 号 张三 收"
PDFTOTEXT = shutil.which("pdftotext")


def _text(pdf: bytes) -> str:
    if PDFTOTEXT is None:
        pytest.skip("pdftotext not installed (Debian package poppler-utils; `make system-deps`)")
    done = subprocess.run([PDFTOTEXT, "-", "-"], input=pdf, capture_output=True, check=True)
    return "".join(done.stdout.decode("utf-8").split())


def test_html_body_becomes_a_pdf_fingerprinted_by_its_sha256() -> None:
    channel = LetterChannel()
    message = Message(
        "case-3:letter:1",
        "letter",
        ADDRESS,
        subject="还款通知",
        body="<h1>还款通知</h1><p class='indent'>张三：您尚欠人民币 1,234.56 元。</p>",
    )
    result = channel.send(message)
    assert result.status == "accepted"
    assert result.data.startswith(b"%PDF-")
    assert result.provider_id == hashlib.sha256(result.data).hexdigest() == result.detail["sha256"]
    assert (result.detail["media_type"], result.detail["address"], result.detail["size"]) == (
        "application/pdf",
        ADDRESS,
        len(result.data),
    )
    assert channel.send(message).provider_id == result.provider_id  # same letter, same fingerprint
    assert _text(result.data) == "还款通知张三：您尚欠人民币1,234.56元。"


def test_legal_template_by_kind_and_an_already_rendered_document_agree() -> None:
    from qingzhai.legal.documents.render import render

    values = {
        "respondent": {"name": "张三", "lines": ["住所：上海市浦东新区世纪大道 100 号"]},
        "applicant": {"name": "清债资产管理有限公司"},
        "claim": {"text": "人民币壹万元整"},
        "pay_by": "2025年6月30日",
        "reply_days": 15,
    }
    channel = LetterChannel()
    by_kind = channel.send(Message("k", "letter", ADDRESS, meta={"kind": "demand_letter", "values": values}))
    rendered = render("demand_letter", values, "pdf")
    handed = channel.send(Message("k", "letter", ADDRESS, meta={"rendered": rendered}))
    assert by_kind.status == handed.status == "accepted"
    assert by_kind.provider_id == handed.provider_id == hashlib.sha256(rendered.data).hexdigest()
    text = _text(by_kind.data)
    assert text.startswith("催款函致：张三住所：上海市浦东新区世纪大道100号")
    assert "尚欠我方人民币壹万元整" in text


def test_refusals() -> None:
    channel = channel_for("letter", {"QINGZHAI_LETTER_MAX_BYTES": "1000"})
    no_address = channel.send(Message("k", "letter", "  ", body="<p>x</p>"))
    empty = channel.send(Message("k", "letter", ADDRESS))
    unknown = channel.send(Message("k", "letter", ADDRESS, meta={"kind": "no_such_document"}))
    too_large = channel.send(Message("k", "letter", ADDRESS, body="<p>x</p>"))
    assert [r.error_code for r in (no_address, empty, unknown, too_large)] == [
        "letter_address_missing",
        "letter_empty",
        "letter_render_failed",
        "letter_too_large",
    ]
    assert {r.status for r in (no_address, empty, unknown, too_large)} == {"failed_permanent"}


def test_page_wraps_fragments_only() -> None:
    assert page("<p>x</p>", "标题").startswith("<!DOCTYPE html>")
    assert "<title>标题</title>" in page("<p>x</p>", "标题")
    assert page("<html><body>x</body></html>") == "<html><body>x</body></html>"


def test_mail_room_receipts_and_scanned_replies() -> None:
    channel = LetterChannel()
    receipt = channel.parse_receipt(
        {"provider_id": "ab" * 32, "status": "returned", "at": "2025-06-01 10:00:00", "tracking_no": "EMS1"}
    )
    assert (receipt.provider_id, receipt.status, receipt.at) == (
        "ab" * 32,
        "failed",
        datetime(2025, 6, 1, 2, tzinfo=UTC),
    )
    assert receipt.raw["tracking_no"] == "EMS1"
    reply = channel.parse_reply({"from": "张三", "text": "已收到", "at": "2025-06-03T00:00:00+08:00"})
    assert (reply.from_, reply.text, reply.at) == ("张三", "已收到", datetime(2025, 6, 2, 16, tzinfo=UTC))

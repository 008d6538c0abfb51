"""Message templates: the shipped catalogue is valid, rendering formats amounts, bad templates are refused."""

from __future__ import annotations

from datetime import date

import pytest

from qingzhai.contact.campaigns.templates import TemplateError, catalogue, parse, template_get
from qingzhai.contact.channels.sms import sms_segments


def test_every_shipped_template_renders_with_all_variables():
    values = {
        "name": "张**", "creditor": "某某银行", "amount": 1234567, "overdue_days": 45,
        "case_ref": "QZ00000001", "pay_by": date(2026, 12, 6), "hotline": "400-000-0000",
    }  # fmt: skip
    for template in catalogue().values():
        subject, body = template.render(values)
        assert "{" not in body and "{" not in subject
        assert "¥12,345.67" in body
        if template.channel == "sms":
            assert sms_segments(body) <= 3  # a reminder costs at most three SMS parts


def test_sms_templates_identify_the_sender_and_offer_an_opt_out():
    for template in catalogue().values():
        if template.channel == "sms":
            assert "清债" in template.body or "Qingzhai" in template.body
            assert "TD" in template.body


def test_digest_changes_with_the_text():
    template = template_get("reminder_sms_zh")
    doc = {"templates": [{"id": "x", "channel": "sms", "body": template.body}]}
    other = {"templates": [{"id": "x", "channel": "sms", "body": template.body + "。"}]}
    assert parse(doc)["x"].digest != parse(other)["x"].digest


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ({"id": "a", "channel": "fax", "body": "x"}, "template_channel"),
        ({"id": "a", "channel": "sms", "body": " "}, "template_empty"),
        ({"id": "a", "channel": "sms", "body": "{secret}"}, "template_variable"),
        ({"id": "a", "channel": "sms", "body": "{name"}, "template_syntax"),
    ],
)
def test_bad_templates_are_refused(raw, code):
    with pytest.raises(TemplateError) as exc:
        parse({"templates": [raw]})
    assert exc.value.code == code


def test_unknown_template():
    with pytest.raises(TemplateError) as exc:
        template_get("nope")
    assert exc.value.code == "template_unknown"

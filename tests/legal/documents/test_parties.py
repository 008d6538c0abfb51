"""Party blocks: a natural person (sex and birth date from the resident ID), an enterprise (USCC, legal
representative), the creditor from its registry facts, and the debtor's personal data decrypted through
a Reveals that records every value it decrypted."""

from __future__ import annotations

from datetime import date

import pytest

from qingzhai.core.models import AuditEvent
from qingzhai.evidence.models import Outbox
from qingzhai.legal.documents.parties import (
    Reveals,
    creditor_party,
    date_zh,
    debtor_party,
    enterprise,
    id_facts,
    person,
)
from tests.factories import make_prc_id
from tests.legal.documents.conftest import (
    ADDRESS,
    CREDITOR,
    CREDITOR_USCC,
    DEBTOR_USCC,
    ENTERPRISE_DEBTOR,
    PERSON_ID,
    make_case,
)


def test_id_facts():
    assert id_facts(PERSON_ID) == ("男", date(1988, 5, 17))
    woman = make_prc_id(2, born=date(1990, 12, 1))  # sequence 002: even 17th digit
    assert id_facts(woman) == ("女", date(1990, 12, 1))
    assert id_facts(woman.lower().replace("x", "X") + " ") == ("女", date(1990, 12, 1))
    assert id_facts(PERSON_ID[:-1] + ("0" if PERSON_ID[-1] != "0" else "1")) == ("", None)  # bad check digit
    assert id_facts("11010519880517") == ("", None)
    assert id_facts("") == ("", None)


def test_person_lines():
    p = person(role="被告", name="王小明", id_number=PERSON_ID, address=ADDRESS)
    assert p.lines == [f"被告：王小明，男，1988年5月17日出生，住{ADDRESS}，公民身份号码：{PERSON_ID}。"]
    assert p.as_dict()["birth_date"] == "1988-05-17"
    bare = person(role="被告", name="王小明")
    assert bare.lines == ["被告：王小明。"]


def test_enterprise_lines():
    e = enterprise(
        role="原告",
        name=CREDITOR,
        uscc=CREDITOR_USCC.lower(),
        legal_representative="李建国",
        address="上海市浦东新区陆家嘴环路1000号",
        phone="021-60000000",
    )
    assert e.lines == [
        f"原告：{CREDITOR}，住所地：上海市浦东新区陆家嘴环路1000号，统一社会信用代码：{CREDITOR_USCC}，"
        "联系电话：021-60000000。",
        "法定代表人：李建国。",
    ]
    assert e.is_enterprise and e.sex == "" and e.birth_date is None


def test_date_zh():
    assert date_zh(date(2026, 3, 5)) == "2026年3月5日"


@pytest.mark.django_db
def test_creditor_and_person_debtor_from_the_case():
    case = make_case()
    applicant = creditor_party(case.portfolio.creditor, "申请人")
    assert applicant.uscc == CREDITOR_USCC and applicant.legal_representative == "李建国"
    reveals = Reveals()
    respondent = debtor_party(case.debtor, "被申请人", reveals)
    assert (respondent.kind, respondent.id_number, respondent.sex) == ("person", PERSON_ID, "男")
    assert respondent.address == ADDRESS
    assert [attr for _, attr in reveals.done] == ["home_address", "id_number"]


@pytest.mark.django_db
def test_enterprise_debtor_from_the_case():
    case = make_case(enterprise=True)
    reveals = Reveals()
    respondent = debtor_party(case.debtor, "被告", reveals)
    assert respondent.kind == "enterprise"
    assert (respondent.name, respondent.uscc, respondent.legal_representative) == (
        ENTERPRISE_DEBTOR,
        DEBTOR_USCC,
        "赵大海",
    )
    assert respondent.id_number == "" and respondent.address == ADDRESS


@pytest.mark.django_db
def test_reveals_are_recorded_like_every_reveal():
    from django.db import transaction

    case = make_case()
    debtor = case.debtor
    debtor.home_address_enc = ""  # no home address: the work address is used instead
    from qingzhai.core import pii

    pii.set_value(debtor, "work_address", "上海市静安区南京西路1号")
    debtor.save()
    reveals = Reveals()
    party = debtor_party(debtor, "被告", reveals)
    assert party.address == "上海市静安区南京西路1号"
    with transaction.atomic():
        assert reveals.record(actor="cli", reason="生成民事起诉状", case_id=case.pk) == 2
    events = list(AuditEvent.objects.filter(action="pii.reveal").order_by("id"))
    assert [(e.changes["field"], e.reason) for e in events] == [
        ("work_address", "生成民事起诉状"),
        ("id_number", "生成民事起诉状"),
    ]
    assert Outbox.objects.filter(kind="pii_reveal", case_id=case.pk).count() == 2

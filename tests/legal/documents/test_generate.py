"""Every kind of document in both formats, from a case: the right parties and amounts, the records it
leaves (evidence entry, LegalDocument row, audit events, reveals), the court rule, access, template
overrides."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from qingzhai.core.errors import AccessDenied, DomainError, NotFound
from qingzhai.core.models import AuditEvent
from qingzhai.evidence import artifacts
from qingzhai.evidence.models import Outbox
from qingzhai.legal.documents.catalog import KINDS
from qingzhai.legal.models import LegalDocument, Proceeding
from qingzhai.legal.services.documents import document_bytes, document_generate
from tests.legal.documents.conftest import (
    CLAIM_CAPITAL,
    CLAIM_FEN,
    CLAIM_FIGURES,
    COURT,
    CREDITOR,
    CREDITOR_USCC,
    DEBTOR,
    DEBTOR_USCC,
    ENTERPRISE_DEBTOR,
    PERSON_ID,
    docx_text,
    make_case,
    pdf_text,
)

pytestmark = pytest.mark.django_db

ROLES = {
    "demand_letter": (None, "债务人"),
    "lawyer_letter": (None, "致函对象"),
    "payment_order_application": ("申请人", "被申请人"),
    "complaint": ("原告", "被告"),
    "preservation_application": ("申请人", "被申请人"),
    "enforcement_application": ("申请执行人", "被执行人"),
    "mediation_agreement": ("甲方", "乙方"),
    "repayment_agreement": ("甲方（债权人）", "乙方（债务人）"),
}


def squash(text: str) -> str:
    """Text without the spaces and line breaks a PDF layout puts in."""
    return "".join(text.split())


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_names_the_parties_and_the_amounts(kind, fmt, legal_case, tmp_path):
    document, data = document_generate(case_id=legal_case.pk, kind=kind, fmt=fmt, actor="system")
    text = squash(pdf_text(data, tmp_path) if fmt == "pdf" else docx_text(data))
    assert KINDS[kind].zh.replace("", "") in text
    assert CREDITOR in text and DEBTOR in text
    assert CLAIM_FIGURES in text and CLAIM_CAPITAL in text
    applicant_role, respondent_role = ROLES[kind]
    if applicant_role:
        assert f"{applicant_role}：{CREDITOR}，住所地：" in text
        assert f"统一社会信用代码：{CREDITOR_USCC}" in text
        assert "法定代表人：李建国" in text
    assert f"{respondent_role}：{DEBTOR}，男，1988年5月17日出生，住上海市黄浦区南京东路100号1201室，" in text
    assert f"公民身份号码：{PERSON_ID}" in text
    if KINDS[kind].needs_court:
        assert COURT in text
    assert document.kind == kind and document.fmt == fmt
    assert document.claim_fen == CLAIM_FEN
    assert document.size == len(data)
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert data[:4] == (b"%PDF" if fmt == "pdf" else b"PK\x03\x04")


def test_the_pdf_embeds_the_cjk_font(legal_case):
    _, data = document_generate(
        case_id=legal_case.pk, kind="payment_order_application", fmt="pdf", actor="system"
    )
    import io

    from pypdf import PdfReader

    fonts = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[str(font["/BaseFont"])] = embedded
    cjk = {name: embedded for name, embedded in fonts.items() if "Noto-Serif-CJK-SC" in name}
    assert cjk and all(cjk.values()), fonts  # embedded (as a subset), not referenced


def test_the_docx_names_the_east_asian_font(legal_case):
    _, data = document_generate(case_id=legal_case.pk, kind="complaint", fmt="docx", actor="system")
    import io
    import zipfile

    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert 'w:eastAsia="Noto Serif CJK SC"' in xml


def test_an_enterprise_debtor_has_its_uscc_and_legal_representative(db, tmp_path):
    case = make_case(enterprise=True)
    _, data = document_generate(case_id=case.pk, kind="complaint", fmt="pdf", actor="system")
    text = squash(pdf_text(data, tmp_path))
    assert (
        f"被告：{ENTERPRISE_DEBTOR}，住所地：上海市黄浦区南京东路100号1201室，统一社会信用代码：{DEBTOR_USCC}。"
        in text
    )
    assert "法定代表人：赵大海。" in text
    assert "公民身份号码" not in text and "出生" not in text


def test_the_document_is_recorded_in_the_ledger_the_table_and_the_audit_trail(legal_case):
    document, data = document_generate(
        case_id=legal_case.pk, kind="payment_order_application", fmt="pdf", actor="system"
    )
    row = LegalDocument.objects.get()
    assert row.pk == document.pk
    assert row.case_id == legal_case.pk
    assert row.court == COURT
    assert row.title == "支付令申请书"
    assert row.media_type == "application/pdf"
    assert row.template == "legal/documents/payment_order_application.html"
    assert len(row.template_sha256) == 64
    assert row.proceeding == Proceeding.objects.get(case=legal_case)
    assert row.filename.startswith(f"支付令申请书-{legal_case.pk}-") and row.filename.endswith(".pdf")
    entry = Outbox.objects.get(kind="document")
    assert entry.case_id == legal_case.pk
    assert entry.artifact_sha256 == row.sha256
    assert entry.subject == f"legal.legaldocument:{row.pk}"
    assert artifacts.get(row.sha256) == data
    event = AuditEvent.objects.get(action="legal.document_generate")
    assert event.entity_id == str(row.pk)
    assert event.changes["sha256"] == row.sha256
    # the debtor's ID number and address were decrypted for the document: both reveals are recorded
    reveals = AuditEvent.objects.filter(action="pii.reveal").order_by("id")
    assert [r.changes["field"] for r in reveals] == ["home_address", "id_number"]
    assert all(r.entity_id == str(legal_case.debtor_id) for r in reveals)
    assert Outbox.objects.filter(kind="pii_reveal", case_id=legal_case.pk).count() == 2


def test_a_court_filing_without_a_court_is_refused(db):
    case = make_case(court=None)
    for kind in (
        "payment_order_application",
        "complaint",
        "preservation_application",
        "enforcement_application",
    ):
        with pytest.raises(DomainError) as caught:
            document_generate(case_id=case.pk, kind=kind, fmt="pdf", actor="system")
        assert caught.value.code == "court_required"
        assert caught.value.fields == {"court": ["required"]}
        assert "法院" in caught.value.zh and "court" in caught.value.en
    assert not LegalDocument.objects.exists()
    assert not Outbox.objects.exists()
    assert not AuditEvent.objects.filter(action="pii.reveal").exists()


def test_an_explicit_court_serves_a_case_without_proceedings(db, tmp_path):
    case = make_case(court=None)
    document, data = document_generate(
        case_id=case.pk, kind="complaint", fmt="pdf", actor="system", court="上海市浦东新区人民法院"
    )
    assert document.court == "上海市浦东新区人民法院"
    assert "上海市浦东新区人民法院" in squash(pdf_text(data, tmp_path))


def test_a_letter_needs_no_court(db):
    case = make_case(court=None)
    document, _ = document_generate(case_id=case.pk, kind="demand_letter", fmt="docx", actor="system")
    assert document.court == ""


def test_the_enforcement_application_names_the_instrument(legal_case, tmp_path):
    suit = Proceeding.objects.create(
        case=legal_case,
        kind="suit",
        state="effective",
        court="上海市黄浦区人民法院",
        court_case_no="（2025）沪0101民初1234号",
        opened_on=date(2025, 3, 1),
    )
    enforcement = Proceeding.objects.create(
        case=legal_case, kind="enforcement", state="drafted", parent=suit, opened_on=date(2026, 2, 1)
    )
    document, data = document_generate(
        case_id=legal_case.pk, kind="enforcement_application", fmt="pdf", actor="system"
    )
    text = squash(pdf_text(data, tmp_path))
    assert "上海市黄浦区人民法院（2025）沪0101民初1234号民事判决书" in text
    assert document.proceeding == enforcement
    # the execution fee on 10,800.00: flat 50 for the first 10,000, 1.5 % of the 800 above → 62.00
    assert "执行申请费预计人民币62.00元" in text


def test_unknown_kind_and_format_are_refused(legal_case):
    with pytest.raises(DomainError) as caught:
        document_generate(case_id=legal_case.pk, kind="will", fmt="pdf", actor="system")
    assert caught.value.code == "unknown_kind"
    with pytest.raises(DomainError) as caught:
        document_generate(case_id=legal_case.pk, kind="complaint", fmt="odt", actor="system")
    assert caught.value.code == "unknown_format"


def test_a_case_with_nothing_owed_is_refused(legal_case):
    legal_case.debts.update(status="paid")
    with pytest.raises(DomainError) as caught:
        document_generate(case_id=legal_case.pk, kind="demand_letter", fmt="pdf", actor="system")
    assert caught.value.code == "no_claim"


def test_a_user_who_cannot_see_the_case_is_refused(legal_case, make_user):
    outsider = make_user("collector")  # sees only assigned cases
    with pytest.raises(AccessDenied):  # collectors cannot generate documents at all
        document_generate(case_id=legal_case.pk, kind="complaint", fmt="pdf", actor=outsider, user=outsider)
    viewer = make_user("creditor_viewer")
    with pytest.raises(AccessDenied):
        document_generate(case_id=legal_case.pk, kind="complaint", fmt="pdf", actor=viewer, user=viewer)
    assert not LegalDocument.objects.exists()


def test_case_visibility_is_checked_for_users_who_may_generate(legal_case, make_user, monkeypatch):
    from qingzhai.legal.services import documents

    supervisor = make_user("supervisor")
    monkeypatch.setattr(documents, "case_queryset_for_user", lambda user: type(legal_case).objects.none())
    with pytest.raises(NotFound):
        document_generate(
            case_id=legal_case.pk, kind="complaint", fmt="pdf", actor=supervisor, user=supervisor
        )
    assert not LegalDocument.objects.exists()


def test_a_user_generates_and_downloads(legal_case, make_user):
    legal = make_user("legal")
    document, data = document_generate(
        case_id=legal_case.pk, kind="complaint", fmt="docx", actor=legal, user=legal
    )
    assert document.created_by == legal
    got, again = document_bytes(document_id=document.pk, user=legal)
    assert got.pk == document.pk and again == data
    assert (
        AuditEvent.objects.filter(action="legal.document_download", entity_id=str(document.pk)).count() == 1
    )
    collector = make_user("collector")
    with pytest.raises(NotFound):  # may view legal data, but not this (unassigned) case
        document_bytes(document_id=document.pk, user=collector)


def test_an_edited_template_in_the_override_dir_replaces_the_builtin_one(legal_case, tmp_path, monkeypatch):
    from qingzhai.legal.documents.render import BUILTIN_DIR

    override = tmp_path / "templates"
    override.mkdir()
    source = (BUILTIN_DIR / "complaint.html").read_text(encoding="utf-8")
    edited = source.replace(
        "<h1>民事起诉状</h1>", '<h1>民事起诉状</h1>\n<p class="center">（律所修订版）</p>'
    )
    (override / "complaint.html").write_text(edited, encoding="utf-8")
    monkeypatch.setenv("QINGZHAI_LEGAL_TEMPLATES_DIR", str(override))
    document, data = document_generate(case_id=legal_case.pk, kind="complaint", fmt="docx", actor="system")
    assert "（律所修订版）" in docx_text(data)
    assert document.template == str(override / "complaint.html")
    assert document.template_sha256 == hashlib.sha256(edited.encode()).hexdigest()
    # kinds without a copy in the folder still use the built-in template
    other, _ = document_generate(case_id=legal_case.pk, kind="demand_letter", fmt="docx", actor="system")
    assert other.template == "legal/documents/demand_letter.html"

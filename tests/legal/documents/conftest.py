"""A case ready for court documents: a creditor with its registry facts, a debtor (a person, or an
enterprise) with a known ID and address, one open debt of known balances and a payment-order proceeding
before a named court."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from qingzhai.core import pii
from qingzhai.core.validators import uscc_check_char
from qingzhai.legal.models import Proceeding
from qingzhai.portfolio.services import case_refresh_totals
from tests.factories import CaseFactory, CreditorFactory, DebtFactory, DebtorFactory, PortfolioFactory

COURT = "上海市黄浦区人民法院"
CREDITOR = "上海浦江商业银行股份有限公司"
DEBTOR = "王小明"
ENTERPRISE_DEBTOR = "上海某某贸易有限公司"
PERSON_ID = "110105198805170031"  # a man born 1988-05-17 (valid check digit)
ADDRESS = "上海市黄浦区南京东路100号1201室"
CLAIM_FEN = 1_080_000  # 10,000 principal + 500 interest + 200 penalty + 100 fees
CLAIM_FIGURES = "10,800.00"
CLAIM_CAPITAL = "壹万零捌佰元整"


def uscc(body17: str) -> str:
    return body17 + uscc_check_char(body17)


CREDITOR_USCC = uscc("91310000MA1FL0000")
DEBTOR_USCC = uscc("91310101MA1FP1234")


def make_case(*, enterprise: bool = False, court: str | None = COURT, **case_kwargs):
    creditor = CreditorFactory(
        name=CREDITOR,
        uscc=CREDITOR_USCC,
        legal_representative="李建国",
        address="上海市浦东新区陆家嘴环路1000号",
        phone="021-60000000",
    )
    portfolio = PortfolioFactory(creditor=creditor)
    if enterprise:
        debtor = DebtorFactory(
            creditor=creditor,
            kind="enterprise",
            name=ENTERPRISE_DEBTOR,
            legal_representative="赵大海",
            id_number=DEBTOR_USCC,
        )
    else:
        debtor = DebtorFactory(creditor=creditor, name=DEBTOR, id_number=PERSON_ID)
    pii.set_value(debtor, "home_address", ADDRESS)
    debtor.save()
    case = CaseFactory(portfolio=portfolio, debtor=debtor, **case_kwargs)
    DebtFactory(case=case, contract_no="JK2024-0001", contract_date=date(2024, 1, 10))
    if court:
        Proceeding.objects.create(
            case=case, kind="payment_order", state="drafted", court=court, opened_on=date(2026, 1, 6)
        )
    return case_refresh_totals(case=case)


@pytest.fixture
def legal_case(db):
    return make_case()


def pdf_text(data: bytes, tmp_path: Path) -> str:
    """The text of a PDF: pdftotext when installed, else pypdf."""
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    if shutil.which("pdftotext"):
        return subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
        ).stdout
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def docx_text(data: bytes) -> str:
    import io

    from docx import Document

    doc = Document(io.BytesIO(data))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)

"""A generated 支付令申请书 read back as a court clerk's tools would: pdftotext finds the parties, the
court and the amount in figures and in capital numerals; pdftoppm draws its first page to
$QINGZHAI_TEST_OUTPUT/documents/payment_order_application.png."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from qingzhai.legal.services.documents import document_generate
from tests.legal.documents.conftest import CLAIM_CAPITAL, CLAIM_FIGURES, COURT, CREDITOR, DEBTOR

pytestmark = pytest.mark.django_db


def output_dir() -> Path:
    folder = Path(os.environ.get("QINGZHAI_TEST_OUTPUT", "test-output")) / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdftoppm")),
    reason="pdftotext/pdftoppm not installed (Debian package poppler-utils; `make system-deps`)",
)
def test_payment_order_application_pdf_reads_back(legal_case, tmp_path):
    document, data = document_generate(
        case_id=legal_case.pk, kind="payment_order_application", fmt="pdf", actor="system"
    )
    pdf = tmp_path / "payment_order_application.pdf"
    pdf.write_bytes(data)
    assert document.kind == "payment_order_application" and document.court == COURT
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    flat = "".join(text.split())
    assert "支付令申请书" in flat
    assert f"申请人：{CREDITOR}" in flat
    assert f"被申请人：{DEBTOR}" in flat
    assert f"此致{COURT}" in flat
    assert f"人民币{CLAIM_FIGURES}元（大写：{CLAIM_CAPITAL}）" in flat
    # the payment-order fee is a third of the acceptance fee: (50 + 2.5 % of 800) / 3 = 23.33
    assert "申请费（预计人民币23.33元）由被申请人负担" in flat

    folder = output_dir()
    stem = folder / "payment_order_application"
    png = stem.with_suffix(".png")
    png.unlink(missing_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
        check=True,
        capture_output=True,
    )
    assert png.exists()
    head = png.read_bytes()
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(head) > 20_000  # a page of text, not a blank sheet
    width, height = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    assert abs(width - 661.4) < 1 and abs(height - 935.4) < 1  # A4 (210 × 297 mm) at 80 dpi
    shutil.copyfile(pdf, stem.with_suffix(".pdf"))

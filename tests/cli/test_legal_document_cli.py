"""`qingzhai legal document`: writes the file whole, prints its id, hash, size and path with --json,
refuses bilingually (exit 2) and never leaves a partial output file behind."""

from __future__ import annotations

import hashlib
import json

import pytest
from typer.testing import CliRunner

from qingzhai.cli import app
from qingzhai.cli import legal_document as _legal_document_command  # noqa: F401  (registers the command)
from qingzhai.evidence.models import Outbox
from qingzhai.legal.models import LegalDocument
from tests.legal.documents.conftest import CLAIM_FEN, COURT, make_case

pytestmark = pytest.mark.django_db
runner = CliRunner()


@pytest.fixture
def folder(tmp_path):
    """Where outputs go (tmp_path itself also holds the test's artifact store)."""
    path = tmp_path / "out"
    path.mkdir()
    return path


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["legal", "document", *args])
    return result.exit_code, result.output


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_writes_the_document_and_prints_json(fmt, folder):
    case = make_case()
    out = folder / f"order.{fmt}"
    code, text = run(
        "--case",
        str(case.pk),
        "--kind",
        "payment_order_application",
        "--format",
        fmt,
        "-o",
        str(out),
        "--json",
    )
    assert code == 0, text
    payload = json.loads(text)
    data = out.read_bytes()
    row = LegalDocument.objects.get()
    assert payload["id"] == row.pk
    assert payload["sha256"] == row.sha256 == hashlib.sha256(data).hexdigest()
    assert payload["size"] == row.size == len(data)
    assert payload["path"] == str(out.resolve())
    assert payload["court"] == COURT and payload["claim_fen"] == CLAIM_FEN
    assert Outbox.objects.filter(kind="document", artifact_sha256=row.sha256).count() == 1
    assert data[:4] == (b"%PDF" if fmt == "pdf" else b"PK\x03\x04")
    assert list(folder.iterdir()) == [out]  # no temporary file left


def test_plain_output_and_explicit_court(folder):
    case = make_case(court=None)
    out = folder / "complaint.docx"
    code, text = run(
        "--case",
        str(case.pk),
        "--kind",
        "complaint",
        "--format",
        "docx",
        "-o",
        str(out),
        "--court",
        "上海市浦东新区人民法院",
    )
    assert code == 0, text
    assert "民事起诉状" in text and "sha256" in text
    assert LegalDocument.objects.get().court == "上海市浦东新区人民法院"


def test_court_required_leaves_no_file(folder):
    case = make_case(court=None)
    out = folder / "order.pdf"
    code, text = run("--case", str(case.pk), "--kind", "payment_order_application", "-o", str(out), "--json")
    assert code == 2
    payload = json.loads(text)
    assert payload["code"] == "court_required"
    assert "法院" in payload["message_zh"] and "court" in payload["message_en"]
    assert payload["fields"] == {"court": ["required"]}
    assert list(folder.iterdir()) == []
    assert not LegalDocument.objects.exists()


def test_an_existing_file_is_kept_when_generation_fails(folder):
    case = make_case(court=None)
    out = folder / "order.pdf"
    out.write_bytes(b"earlier version")
    code, _ = run("--case", str(case.pk), "--kind", "complaint", "-o", str(out))
    assert code == 2
    assert out.read_bytes() == b"earlier version"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--kind", "will"], "unknown_kind"),
        (["--kind", "complaint", "--format", "odt"], "unknown_format"),
        (["--kind", "complaint", "--case-override"], None),
    ],
)
def test_bad_input_is_refused(args, expected, folder):
    case = make_case()
    out = folder / "x.pdf"
    if expected is None:  # typer's own usage error
        code, _ = run("--case", str(case.pk), "-o", str(out), *args)
        assert code == 2
        return
    code, text = run("--case", str(case.pk), "-o", str(out), "--json", *args)
    assert code == 2
    assert json.loads(text)["code"] == expected
    assert not out.exists()


def test_unknown_case_and_unwritable_output(folder):
    code, text = run("--case", "999999", "--kind", "complaint", "-o", str(folder / "x.pdf"), "--json")
    assert code == 2 and json.loads(text)["code"] == "not_found"
    case = make_case()
    code, text = run(
        "--case", str(case.pk), "--kind", "complaint", "-o", str(folder / "missing" / "x.pdf"), "--json"
    )
    assert code == 2 and json.loads(text)["code"] == "bad_output"
    assert not LegalDocument.objects.exists()

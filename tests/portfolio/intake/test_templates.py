"""The documented templates import cleanly, and name every field."""

from __future__ import annotations

from pathlib import Path

import pytest

from qingzhai.portfolio.intake.columns import FIELDS
from qingzhai.portfolio.models import Debt, Debtor, Guarantor

DOCS = Path(__file__).resolve().parents[3] / "docs"


@pytest.mark.parametrize("name", ["import-template.csv", "import-template.xlsx"])
def test_template_imports_cleanly(run_import, name):
    result = run_import(DOCS / name)
    assert (result.rows, result.imported, result.errors, result.ignored_columns) == (3, 3, [], [])
    assert set(result.columns.values()) == {f.key for f in FIELDS}
    assert Debtor.objects.filter(kind="enterprise").count() == 1
    assert Guarantor.objects.count() == 2
    assert Debt.objects.get(contract_no="XYK-2023-000101").principal_fen == 3_215_075
    assert run_import(DOCS / name).unchanged == 3


def test_format_document_lists_every_field():
    text = (DOCS / "import-format.md").read_text(encoding="utf-8")
    for f in FIELDS:
        assert f"`{f.key}`" in text and f.zh in text

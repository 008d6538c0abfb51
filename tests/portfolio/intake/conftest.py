from __future__ import annotations

import pytest

from qingzhai.portfolio.intake import ImportOptions, import_file
from tests.factories import CreditorFactory


@pytest.fixture
def creditor(db):
    return CreditorFactory(name="工商银行北京分行", code="ICBC")


@pytest.fixture
def run_import(creditor, supervisor):
    """import_file as the supervisor, with options as keyword arguments."""

    def run(path, actor=None, progress=None, **options):
        options.setdefault("creditor", creditor)
        return import_file(
            actor=actor or supervisor, path=path, options=ImportOptions(**options), progress=progress
        )

    return run

"""Auto-detection across every parser: each sample file is recognised by exactly the parser of its format
(TD has no header row and is only read when named)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qingzhai.profiling.sources import reading, registry
from qingzhai.profiling.sources.base import ParseContext, UnreadableFile

FORMATS = Path(__file__).resolve().parents[2] / "data" / "profiling" / "formats"
EXPECTED = {
    "alipay": "alipay",
    "wechat": "wechat",
    "jd": "jd",
    "meituan": "meituan",
    "bank-abc": "bank:abc-debit",
    "bank-ccb": "bank:ccb-debit",
    "bank-cgb": "bank:cgb-credit",
    "bank-citic": "bank:citic-credit",
    "bank-spdb": "bank:spdb-debit",
    "bank-cib": "bank:cib-debit",
}
BY_NAME = {
    "deg_example-icbc-credit-records.csv": "bank:icbc-credit",
    "deg_example-icbc-debit-v1-records.csv": "bank:icbc-debit",
    "deg_example-icbc-debit-v2-records.csv": "bank:icbc-debit",
    "deg_credit_example-cmb-records.csv": "bank:cmb-credit",
    "deg_debit_example-cmb-records.csv": "bank:cmb-debit",
    "deg_credit_example-boc-records.csv": "bank:boc-credit",
    "deg_debit_example-boc-records.csv": "bank:boc-debit",
    "deg_example-bocom_credit-records.csv": "bank:bocom-credit",
    "deg_example-bocom_debit-records.csv": "bank:bocom-debit",
    "deg_example-hsbchk-credit-records.csv": "bank:hsbchk-credit",
    "deg_example-hsbchk-debit-records.csv": "bank:hsbchk-debit",
    "deg_credit_example-bmo-records.csv": "bank:bmo-credit",
    "deg_debit_example-bmo-records.csv": "bank:bmo-debit",
}
SAMPLES = sorted(p for p in FORMATS.glob("*/*") if p.parent.name != "licenses")


def test_every_format_directory_has_samples():
    assert len(SAMPLES) == 35


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_each_sample_is_detected_by_its_own_parser(path):
    book = reading.load(path.read_bytes(), path.name)
    if path.parent.name == "bank-ca-td":
        with pytest.raises(UnreadableFile) as caught:
            registry.detect(book)
        assert caught.value.code == "unknown_layout"
        assert registry.get("bank:td").parse(book, ParseContext()).rows == 9
        return
    expected = BY_NAME.get(path.name) or EXPECTED[path.parent.name]
    parser = registry.detect(book)
    assert parser.key == expected
    result = parser.parse(book, ParseContext())
    assert result.rows > 0 and not result.errors


def test_unknown_source_key_is_refused_in_both_languages():
    with pytest.raises(UnreadableFile) as caught:
        registry.get("bank:nowhere")
    assert "未知的数据来源" in caught.value.message_zh and "Unknown source" in caught.value.message_en

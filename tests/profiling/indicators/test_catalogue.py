"""(a) The catalogue: size, the 12 categories, unique codes, every field filled, valid purposes."""

from __future__ import annotations

import re
from collections import Counter

from qingzhai.profiling import indicators
from qingzhai.profiling.indicators.model import DERIVED, OWN_RECORDS, UNITS, WINDOWS
from qingzhai.profiling.purposes import PURPOSES
from qingzhai.profiling.records.schema import KINDS

CATALOGUE = indicators.catalogue()
EXPECTED_CATEGORIES = {
    "identity": ("身份与稳定性", "Identity & stability"),
    "income": ("收入", "Income"),
    "consumption": ("消费", "Consumption"),
    "cash_flow": ("现金流", "Cash flow"),
    "liabilities": ("负债", "Liabilities"),
    "assets": ("资产", "Assets"),
    "enterprise": ("企业经营", "Enterprise operations"),
    "legal": ("涉诉与执行", "Legal & enforcement"),
    "credit": ("信用历史与行为", "Credit history & behaviour"),
    "contactability": ("可联系性", "Contactability"),
    "relations": ("关系与关联方", "Relations & related parties"),
    "willingness": ("还款意愿信号", "Willingness signals"),
}
SOURCES = {"txns"} | set(OWN_RECORDS) | {f"records:{k}" for k in KINDS}


def test_at_least_200_indicators_in_exactly_the_12_categories():
    assert len(CATALOGUE) >= 200
    assert indicators.categories() == EXPECTED_CATEGORIES
    assert list(indicators.categories()) == list(EXPECTED_CATEGORIES)  # display order
    per = Counter(i.category for i in CATALOGUE)
    assert set(per) == set(EXPECTED_CATEGORIES)
    assert min(per.values()) >= 10, per


def test_codes_unique_and_snake_case():
    codes = [i.code for i in CATALOGUE]
    assert len(codes) == len(set(codes))
    bad = [c for c in codes if not re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)+", c)]
    assert bad == []
    assert indicators.get("inc_cons_gap_ratio_36m").category == "consumption"


def test_every_field_filled_and_valid():
    for ind in CATALOGUE:
        meta = ind.describe()
        for key in (
            "code",
            "category",
            "name_zh",
            "name_en",
            "definition_zh",
            "definition_en",
            "unit",
            "source",
        ):
            assert isinstance(meta[key], str) and meta[key].strip(), (ind.code, key)
        assert ind.unit in UNITS, ind.code
        assert ind.window_months is None or ind.window_months in WINDOWS, ind.code
        assert ind.purpose in PURPOSES, ind.code
        assert re.search(r"[\u4e00-\u9fff]", ind.name_zh + ind.definition_zh), ind.code
        parts = {p for group in ind.source.split("+") for p in group.split("|")}
        assert parts <= SOURCES, (ind.code, parts - SOURCES)


def test_window_suffix_matches_window():
    for ind in CATALOGUE:
        m = re.search(r"_(\d+)m$", ind.code)
        assert (int(m.group(1)) if m else None) == ind.window_months, ind.code


def test_purpose_follows_category():
    by_category = {
        "income": {"capacity_assessment"},
        "consumption": {"capacity_assessment"},
        "cash_flow": {"capacity_assessment"},
        "assets": {"asset_investigation"},
        "enterprise": {"asset_investigation"},
        "relations": {"asset_investigation"},
        "legal": {"litigation"},
        "contactability": {"contact"},
        "credit": {"collection"},
        "identity": {"collection", "capacity_assessment"},
        "liabilities": {"collection", "capacity_assessment", "asset_investigation"},
        "willingness": {"collection", "capacity_assessment"},
    }
    for ind in CATALOGUE:
        assert ind.purpose in by_category[ind.category], ind.code
        # our own case records alone never need more than `collection`, except contact points/attempts
        if ind.source in OWN_RECORDS - {"contacts", "activities"}:
            assert ind.purpose == "collection", ind.code
        # anything read from statements or registries needs a purpose beyond collection
        if "txns" in ind.source or "records:" in ind.source:
            assert ind.purpose != "collection", ind.code


def test_derived_indicators_depend_on_known_codes_and_purposes():
    by_code = {i.code: i for i in CATALOGUE}
    derived = [i for i in CATALOGUE if i.frame == DERIVED]
    assert len(derived) >= 8
    for ind in derived:
        assert ind.deps, ind.code
        for dep in ind.deps:
            assert by_code[dep].purpose in {ind.purpose, "collection"}, (ind.code, dep)
    for ind in CATALOGUE:
        if ind.frame != DERIVED:
            assert ind.deps == (), ind.code

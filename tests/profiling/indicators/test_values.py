"""(b) Every catalogue indicator against a hand-derived value for debtor 1 of the fixture."""

from __future__ import annotations

import pytest

from qingzhai.profiling import indicators

from .expected_a import EXPECTED_A
from .expected_b import EXPECTED_B
from .fixture import D1, d1_frames

EXPECTED = {**EXPECTED_A, **EXPECTED_B}
CODES = [i.code for i in indicators.catalogue()]


@pytest.fixture(scope="module")
def d1_values() -> dict[str, indicators.Value]:
    return indicators.for_debtor(indicators.compute(d1_frames()), D1)


def test_every_code_has_exactly_one_expected_value():
    assert len(EXPECTED_A) + len(EXPECTED_B) == len(EXPECTED)  # no code in both tables
    assert sorted(set(CODES) - set(EXPECTED)) == []  # a catalogue code without a hand-derived value
    assert sorted(set(EXPECTED) - set(CODES)) == []  # a stale expectation


@pytest.mark.parametrize("code", CODES)
def test_value(code, d1_values):
    got = d1_values[code]
    expected = EXPECTED[code]
    assert got.reason is None, f"{code}: missing ({got.reason})"
    assert type(got.value) is type(expected), f"{code}: {got.value!r} is not a {type(expected).__name__}"
    assert got.value == expected, f"{code}: {got.value!r} != {expected!r}"

import pytest

from qingzhai.portfolio.buckets import bucket_for, days_past_due
from qingzhai.portfolio.stages import TRANSITIONS, IllegalTransition, Stage, check_transition


def test_every_stage_has_a_way_out_and_closed_can_reopen():
    assert set(TRANSITIONS) == set(Stage)
    assert all(TRANSITIONS[s] for s in Stage)
    assert TRANSITIONS[Stage.CLOSED] == {Stage.CONTACT}


@pytest.mark.parametrize(
    ("cur", "to"), [("new", "contact"), ("contact", "negotiated"), ("legal", "enforcement")]
)
def test_legal_moves(cur, to):
    assert check_transition(cur, to) == Stage(to)


@pytest.mark.parametrize(
    ("cur", "to"), [("new", "agreement"), ("closed", "legal"), ("new", "new"), ("x", "new"), ("new", "y")]
)
def test_illegal_moves(cur, to):
    with pytest.raises(IllegalTransition):
        check_transition(cur, to)


@pytest.mark.parametrize(
    ("dpd", "bucket"),
    [(-3, "M0"), (0, "M0"), (1, "M1"), (30, "M1"), (31, "M2"), (90, "M3"), (180, "M6"), (181, "M6+")],
)
def test_buckets(dpd, bucket):
    assert bucket_for(dpd) == bucket


def test_days_past_due():
    from datetime import date

    assert days_past_due(date(2026, 1, 1), date(2026, 1, 31)) == 30
    assert days_past_due(None, date(2026, 1, 31)) == 0
    assert days_past_due(date(2026, 2, 1), date(2026, 1, 31)) == 0

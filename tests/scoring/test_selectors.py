"""Who may read scores and the registry: scoring.view for every internal role, case access for a score."""

from __future__ import annotations

import pytest

from qingzhai.accounts.roles import SCORING_MANAGE, SCORING_VIEW, Role, can
from qingzhai.core.errors import AccessDenied, NotFound
from qingzhai.scoring import selectors, services
from tests.scoring.helpers import trained_model, varied_case


def test_capability_matrix():
    assert {r.value for r in Role if can(r, SCORING_VIEW)} == {
        "admin",
        "supervisor",
        "collector",
        "legal",
        "compliance",
        "auditor",
    }
    assert {r.value for r in Role if can(r, SCORING_MANAGE)} == {"admin", "supervisor"}


@pytest.fixture
def scored(users):
    model = services.model_register(actor="cli", name="repayment", trained=trained_model())
    services.model_promote(actor="cli", model_id=model.pk, reason="上线")
    mine = varied_case(0, assigned_to=users["collector"])
    theirs = varied_case(1)
    for case in (mine, theirs):
        services.case_score_now(actor="cli", case_id=case.pk)
    return model, mine, theirs


def test_registry_reads_need_scoring_view(users, scored):
    model, _, _ = scored
    for role in ("admin", "supervisor", "collector", "legal", "compliance", "auditor"):
        assert [m.pk for m in selectors.model_list(user=users[role])] == [model.pk]
        assert selectors.model_get(user=users[role], model_id=model.pk) == model
        assert list(selectors.drift_list(user=users[role])) == []
    viewer = users["creditor_viewer"]
    for read in (
        lambda: selectors.model_list(user=viewer),
        lambda: selectors.model_get(user=viewer, model_id=model.pk),
        lambda: selectors.run_list(user=viewer),
        lambda: selectors.drift_list(user=viewer),
    ):
        with pytest.raises(AccessDenied):
            read()
    with pytest.raises(NotFound):
        selectors.model_get(user=users["admin"], model_id=model.pk + 100)
    assert selectors.champion() == model and selectors.champion("other") is None


def test_a_collector_sees_the_scores_of_assigned_cases_only(users, scored):
    _, mine, theirs = scored
    collector = users["collector"]
    latest = selectors.case_score_latest(user=collector, case_id=mine.pk)
    assert latest is not None and latest.case_id == mine.pk and len(latest.reasons) == 3
    with pytest.raises(NotFound):
        selectors.case_score_latest(user=collector, case_id=theirs.pk)
    assert selectors.case_score_latest(user=users["supervisor"], case_id=theirs.pk).case_id == theirs.pk
    with pytest.raises(AccessDenied):
        selectors.case_score_latest(user=users["creditor_viewer"], case_id=mine.pk)


def test_latest_score_is_the_newest_row_and_none_before_any(users, scored):
    _, mine, _ = scored
    newer = services.case_score_now(actor="cli", case_id=mine.pk)
    assert selectors.case_score_latest(user=users["admin"], case_id=mine.pk) == newer
    fresh = varied_case(2)
    assert selectors.case_score_latest(user=users["admin"], case_id=fresh.pk) is None


def test_trained_model_is_cached_by_payload_hash(scored):
    model, _, _ = scored
    assert selectors.trained_model(model) is selectors.trained_model(model)

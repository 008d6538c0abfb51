"""The scoring demo: a champion and a score with three Chinese reasons on every demo case."""

from __future__ import annotations

from qingzhai.portfolio import demo as portfolio_demo
from qingzhai.portfolio.models import Case
from qingzhai.scoring.demo import NOTE_SYNTHETIC, scoring_demo_load, synthetic_history
from qingzhai.scoring.models import CaseScore, ScoringModel


def test_demo_promotes_a_champion_and_scores_every_case(db, django_capture_on_commit_callbacks):
    portfolio_demo.demo_load(actor="cli", size="small")
    with django_capture_on_commit_callbacks(execute=True):
        out = scoring_demo_load()
    champion = ScoringModel.objects.get(status="champion")
    # the chunks ran when the test's block ended (right after the run's commit in a real load)
    assert out["model_version"] == champion.version and Case.objects.count() == 150
    assert out["trained_on"] in ("cases", "synthetic")
    if out["trained_on"] == "synthetic":
        assert champion.note == NOTE_SYNTHETIC and "合成" in champion.note and "synthetic" in champion.note
    scores = CaseScore.objects.filter(model=champion)
    assert scores.count() == 150
    assert all(len(s.reasons) == 3 and s.reasons[0]["text_zh"] for s in scores)
    # loading again keeps the champion and scores once more with it
    with django_capture_on_commit_callbacks(execute=True):
        again = scoring_demo_load()
    assert again["model_version"] == champion.version
    assert CaseScore.objects.filter(model=champion).count() == 300
    assert ScoringModel.objects.count() == out["model_version"]


def test_synthetic_history_is_seeded_and_has_both_outcomes():
    import pandas as pd

    cases = pd.DataFrame({"cr_payments_12m": [0.0, 1.0, 5.0], "liab_max_dpd": [30.0, 200.0, 700.0]})
    one, two = synthetic_history(cases, rows=500), synthetic_history(cases, rows=500)
    assert one.equals(two) and list(one.columns) == ["cr_payments_12m", "liab_max_dpd", "label"]
    assert 0 < one["label"].mean() < 1

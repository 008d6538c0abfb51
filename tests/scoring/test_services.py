"""The registry and scoring services end to end: register, promote, a chunked run, one case now, drift."""

from __future__ import annotations

import re
from datetime import date, datetime, time

import pytest

from qingzhai.core.clock import business_tz
from qingzhai.core.errors import AccessDenied, DomainError
from qingzhai.core.models import AuditEvent
from qingzhai.evidence.models import Outbox
from qingzhai.scoring import services
from qingzhai.scoring.engine.model import payload_sha256
from qingzhai.scoring.models import CaseScore, DriftCheck, ScoringModel, ScoringRun
from qingzhai.scoring.services import runs
from tests.scoring.helpers import trained_model, varied_case

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def champion(supervisor):
    model = services.model_register(actor=supervisor, name="repayment", trained=trained_model(), note="测试")
    return services.model_promote(actor=supervisor, model_id=model.pk, reason="首个模型 first model")


def test_register_counts_versions_and_keeps_the_payload_with_its_hash(supervisor):
    first = services.model_register(actor=supervisor, name="repayment", trained=trained_model())
    second = services.model_register(actor=supervisor, name="repayment", trained=trained_model())
    other = services.model_register(actor="cli", name="other", trained=trained_model())
    assert (first.version, second.version, other.version) == (1, 2, 1)
    assert first.status == ScoringModel.Status.CANDIDATE and first.kind == "scorecard"
    assert first.payload_sha256 == payload_sha256(first.payload) == trained_model().sha256()
    assert first.label_code == "recovered_50_180" and first.n_train + first.n_test == 600
    assert first.metrics["auc"] == trained_model().metrics["auc"]
    assert first.card["label"]["code"] == "recovered_50_180"
    event = AuditEvent.objects.get(action="scoring.model_register", entity_id=str(first.pk))
    assert event.changes["version"] == [None, 1] and event.actor_label == supervisor.username


def test_writes_need_scoring_manage(collector):
    with pytest.raises(AccessDenied):
        services.model_register(actor=collector, name="repayment", trained=trained_model())
    assert not ScoringModel.objects.exists()


def test_promote_swaps_the_champion_and_audits_the_reason(supervisor):
    one = services.model_register(actor=supervisor, name="repayment", trained=trained_model())
    two = services.model_register(actor=supervisor, name="repayment", trained=trained_model())
    with pytest.raises(DomainError) as err:
        services.model_promote(actor=supervisor, model_id=one.pk, reason="  ")
    assert err.value.code == "reason_required"
    services.model_promote(actor=supervisor, model_id=one.pk, reason="上线 go live")
    services.model_promote(actor=supervisor, model_id=two.pk, reason="AUC 更高 better AUC")
    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.status, two.status) == ("candidate", "champion")
    assert two.promoted_by == supervisor and two.promoted_at is not None
    promoted = AuditEvent.objects.filter(action="scoring.model_promote").order_by("id")
    assert [(e.entity_id, e.reason) for e in promoted] == [
        (str(one.pk), "上线 go live"),
        (str(two.pk), "AUC 更高 better AUC"),
    ]
    assert promoted.last().changes["previous_champion"] == [None, one.pk]
    demoted = AuditEvent.objects.get(action="scoring.model_demote")
    assert demoted.entity_id == str(one.pk) and demoted.changes["status"] == ["champion", "candidate"]
    with pytest.raises(DomainError) as err:
        services.model_retire(actor=supervisor, model_id=two.pk, reason="旧")
    assert err.value.code == "scoring_champion_retire"
    services.model_retire(actor=supervisor, model_id=one.pk, reason="被取代 superseded")
    with pytest.raises(DomainError) as err:
        services.model_promote(actor=supervisor, model_id=one.pk, reason="回滚 rollback")
    assert err.value.code == "scoring_model_retired"
    # each promotion and the retirement are in the evidence ledger, with the model's payload hash
    assert list(
        Outbox.objects.filter(kind="model_change").order_by("id").values_list("subject", flat=True)
    ) == [
        f"scoring.scoringmodel:{one.pk}",
        f"scoring.scoringmodel:{two.pk}",
        f"scoring.scoringmodel:{one.pk}",
    ]


def test_a_run_scores_every_case_in_chunks_with_three_chinese_reasons(
    supervisor, champion, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(runs, "CHUNK_SIZE", 2)
    cases = [varied_case(n) for n in range(5)]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = services.scoring_run_start(actor=supervisor)
    assert len(callbacks) == 3  # 5 cases, chunks of 2
    run.refresh_from_db()
    assert (run.status, run.total, run.chunks, run.chunks_done, run.scored, run.failed) == (
        "done",
        5,
        3,
        3,
        5,
        0,
    )
    assert run.finished_at is not None and run.model == champion
    scores = list(CaseScore.objects.filter(run=run).order_by("case_id"))
    assert [s.case_id for s in scores] == [c.pk for c in cases]
    for s in scores:
        assert 0 < s.probability < 1 and s.band in {"A", "B", "C", "D", "E"}
        assert len(s.reasons) == 3
        assert all(CHINESE.search(r["text_zh"]) and r["text_en"] for r in s.reasons)
        assert set(s.features) == {
            "liab_outstanding_total",
            "liab_max_dpd",
            "ct_phones_valid",
            "liab_debts_open",
        }
    assert scores[0].points > scores[-1].points  # small, fresh, reachable debt scores higher
    assert AuditEvent.objects.filter(action="scoring.run_chunk", entity_id=str(run.pk)).count() == 3
    assert AuditEvent.objects.filter(action="scoring.run_done", entity_id=str(run.pk)).count() == 1


def test_a_chunk_delivered_twice_writes_nothing_more(
    supervisor, champion, django_capture_on_commit_callbacks
):
    cases = [varied_case(n) for n in range(3)]
    with django_capture_on_commit_callbacks(execute=False):
        run = services.scoring_run_start(actor=supervisor, case_ids=[c.pk for c in cases])
    lo, hi = cases[0].pk, cases[-1].pk
    assert services.scoring_run_chunk(run_id=run.pk, lo=lo, hi=hi) == 3
    assert services.scoring_run_chunk(run_id=run.pk, lo=lo, hi=hi) == 0
    run.refresh_from_db()
    assert (run.status, run.scored, run.chunks_done) == ("done", 3, 1)
    assert CaseScore.objects.filter(run=run).count() == 3


def test_a_chunk_skips_cases_already_scored_in_the_run(
    supervisor, champion, django_capture_on_commit_callbacks
):
    cases = [varied_case(n) for n in range(2)]
    with django_capture_on_commit_callbacks(execute=False):
        run = services.scoring_run_start(actor=supervisor, case_ids=[c.pk for c in cases])
    first = services.case_score_now(actor=supervisor, case_id=cases[0].pk)
    CaseScore.objects.filter(pk=first.pk).update(run=run)  # as if an earlier delivery had written it
    assert services.scoring_run_chunk(run_id=run.pk, lo=cases[0].pk, hi=cases[1].pk) == 1
    assert CaseScore.objects.filter(run=run).count() == 2


def test_case_score_now_uses_the_champion_or_says_there_is_none(supervisor, collector):
    case = varied_case(1, assigned_to=collector)
    with pytest.raises(DomainError) as err:
        services.case_score_now(actor=collector, case_id=case.pk)
    assert err.value.code == "scoring_no_champion" and "冠军" in err.value.zh and "champion" in err.value.en
    model = services.model_register(actor=supervisor, name="repayment", trained=trained_model())
    services.model_promote(actor=supervisor, model_id=model.pk, reason="上线")
    score = services.case_score_now(actor=collector, case_id=case.pk)
    assert (score.case_id, score.model_id, score.run_id, len(score.reasons)) == (case.pk, model.pk, None, 3)
    other = varied_case(2)
    with pytest.raises(DomainError) as err:
        services.case_score_now(actor=collector, case_id=other.pk)  # not assigned to the collector
    assert err.value.code == "not_found"


def scores_in(model, month, points_list):
    created = datetime.combine(month.replace(day=15), time(12), tzinfo=business_tz())
    for i, points in enumerate(points_list):
        case = varied_case(i % 5)
        CaseScore.objects.create(
            case=case,
            model=model,
            as_of=month,
            probability=0.5,
            points=int(points),
            band="C",
            features={"liab_max_dpd": 1000.0 + i, "ct_phones_valid": 0.0},
            created_at=created,
        )


def test_drift_alert_on_a_shifted_month_and_ok_on_a_like_one(champion, caplog):
    baseline = champion.payload["baseline"]
    top = max(baseline["score_edges"])
    scores_in(champion, date(2026, 3, 1), [top + 100 + i for i in range(40)])
    with caplog.at_level("WARNING", logger="qingzhai.scoring.services.drift"):
        check = services.drift_check_month(model_id=champion.pk, month=date(2026, 3, 20))
    assert check.month == date(2026, 3, 1) and check.n == 40 and check.level == DriftCheck.Level.ALERT
    assert check.score_psi >= 0.25
    assert check.feature_psi["liab_max_dpd"] >= 0.25
    assert "drift alert" in caplog.text
    assert AuditEvent.objects.filter(action="scoring.drift_alert", entity_id=str(check.pk)).count() == 1
    again = services.drift_check_month(model_id=champion.pk, month=date(2026, 3, 1))
    assert again.pk == check.pk and DriftCheck.objects.count() == 1
    sample = [p for p in baseline["score_sample"] if p is not None][:300]
    scores_in(champion, date(2026, 4, 1), sample)
    calm = services.drift_check_month(model_id=champion.pk, month=date(2026, 4, 1))
    assert calm.level == DriftCheck.Level.OK and calm.score_psi < 0.10


def test_drift_counts_each_case_once_with_its_latest_score_of_the_month(champion):
    case = varied_case(1)
    early = datetime(2026, 5, 3, 12, tzinfo=business_tz())
    for day, points in ((3, 100), (20, 900)):
        CaseScore.objects.create(
            case=case,
            model=champion,
            as_of=date(2026, 5, day),
            probability=0.5,
            points=points,
            band="C",
            features={},
            created_at=early.replace(day=day),
        )
    check = services.drift_check_month(model_id=champion.pk, month=date(2026, 5, 1))
    assert check.n == 1


def test_drift_check_all_checks_champions_once_a_month_unless_asked_again(champion, supervisor):
    services.model_register(actor=supervisor, name="repayment", trained=trained_model())  # a candidate
    first = services.drift_check_all(month=None)
    assert [c.model_id for c in first] == [champion.pk] and first[0].n == 0 and first[0].level == "ok"
    assert services.drift_check_all()[0].pk == first[0].pk
    assert DriftCheck.objects.count() == 1
    ack = services.drift_acknowledge(actor=supervisor, check_id=first[0].pk, note="已复核 reviewed")
    assert ack.acknowledged_by == supervisor and ack.acknowledged_note == "已复核 reviewed"
    with pytest.raises(DomainError):
        services.drift_acknowledge(actor=supervisor, check_id=first[0].pk, note="")


def test_scoring_with_a_model_on_other_columns_is_refused(supervisor):
    import pandas as pd

    from qingzhai.scoring.engine import train as train_mod
    from qingzhai.scoring.engine.spec import TrainSpec
    from tests.scoring.helpers import training_frame

    df = training_frame().rename(columns={"liab_max_dpd": "逾期天数"})
    trained = train_mod.train(pd.DataFrame(df), TrainSpec(target="label", kind="scorecard"))
    model = services.model_register(actor=supervisor, name="csv", trained=trained)
    with pytest.raises(DomainError) as err:
        services.scoring_run_start(actor=supervisor, model_id=model.pk)
    assert err.value.code == "scoring_model_not_for_cases"
    assert not ScoringRun.objects.exists()

"""The scoring pages: the registry list (with its empty state), a model's page with its card, promotion,
runs and drift, the card as HTML and PDF, and the score panel on the case page with its top 3 reasons.

Most tests write registry rows and scores directly (what the pages show does not depend on how they were
made); `tests/scoring/test_api.py` trains a real model and scores cases through the services."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qingzhai.core.clock import now
from qingzhai.scoring import render
from qingzhai.scoring.models import CaseScore, DriftCheck, ScoringModel, ScoringRun
from tests.factories import case_with_debt

pytestmark = pytest.mark.django_db

LABEL = {
    "code": "recovered_50_180d",
    "name_zh": "180 天内回收不少于 50%",
    "name_en": "At least 50 % recovered within 180 days",
    "description_zh": "立案后 180 天内累计回款达到欠款余额的一半。",
    "description_en": "Payments within 180 days of opening reach half the balance.",
    "kind": "recovered_share",
    "params": {"share": 0.5, "window_days": 180},
    "positive": [],
}
CARD = {
    "model": {"kind": "scorecard", "trained_at": "2025-01-31T08:00:00Z", "seed": 42, "threshold": 0.41},
    "label": LABEL,
    "data": {
        "n_train": 800,
        "n_test": 200,
        "positives_train": 310,
        "positives_test": 77,
        "split_method": "time",
        "cutoff": "2024-10-01",
        "features": [
            {
                "name": "inc_monthly_avg_12m",
                "name_zh": "近12个月月均收入",
                "name_en": "Average monthly income (12m)",
            },
            {"name": "liab_overdue_count", "name_zh": "逾期笔数", "name_en": "Overdue accounts"},
        ],
        "dropped": [
            {
                "column": "gender",
                "reason": "protected",
                "detail_zh": "受保护属性，不作为特征",
                "detail_en": "Protected",
            }
        ],
    },
    "metrics": {"auc": 0.8123, "ks": 0.47, "gini": 0.6246, "accuracy": 0.771, "f1": 0.7, "brier": 0.158},
    "validation": {"scorecard": {"auc": 0.80}, "gbm": {"auc": 0.805}, "chosen": "scorecard"},
    "calibration": [
        {"bin": i + 1, "n": 20, "mean_predicted": (i + 0.5) / 10, "observed_rate": (i + 0.4) / 10}
        for i in range(10)
    ],
    "importance": [
        {
            "feature": "liab_overdue_count",
            "name_zh": "逾期笔数",
            "name_en": "Overdue accounts",
            "share": 0.35,
        },
        {
            "feature": "inc_monthly_avg_12m",
            "name_zh": "近12个月月均收入",
            "name_en": "Average monthly income (12m)",
            "share": 0.65,
        },
    ],
    "fairness": {
        "attributes": [{"attribute": "gender", "groups": [{"group": "F", "n": 90, "mean_probability": 0.4}]}],
        "note_zh": "受保护属性从不作为特征。",
        "note_en": "Protected attributes are never features.",
    },
    "bands": {
        "edges": [560, 590, 610, 640],
        "test_shares": {"A": 0.2, "B": 0.2, "C": 0.2, "D": 0.2, "E": 0.2},
    },
}
REASONS = [
    {
        "feature": "inc_monthly_avg_12m",
        "value": 1200,
        "points": -31.5,
        "text_zh": "近12个月月均收入偏低（1,200 元），评分降低 31.5 分",
        "text_en": "Average monthly income (12m) is low (¥1,200): −31.5 points",
    },
    {
        "feature": "liab_overdue_count",
        "value": 4,
        "points": -18.0,
        "text_zh": "逾期笔数较多（4 笔），评分降低 18 分",
        "text_en": "Overdue accounts are many (4): −18 points",
    },
    {
        "feature": "asset_vehicle_count",
        "value": 1,
        "points": 9.2,
        "text_zh": "名下有车辆（1 辆），评分提高 9.2 分",
        "text_en": "Owns a vehicle (1): +9.2 points",
    },
]


def make_model(version: int = 1, status: str = "candidate", **kwargs) -> ScoringModel:
    defaults = {
        "name": "repayment",
        "version": version,
        "kind": "scorecard",
        "status": status,
        "label_code": LABEL["code"],
        "label": LABEL,
        "feature_source": "indicators",
        "metrics": CARD["metrics"],
        "card": CARD,
        "payload": {},
        "payload_sha256": f"{version:064d}",
        "n_train": 800,
        "n_test": 200,
        "created_at": now(),
    }
    return ScoringModel.objects.create(**{**defaults, **kwargs})


def make_score(case, model: ScoringModel, **kwargs) -> CaseScore:
    defaults = {
        "as_of": date(2025, 3, 1),
        "probability": 0.6234,
        "points": 618,
        "band": "B",
        "reasons": REASONS,
        "features": {},
        "created_at": now(),
    }
    return CaseScore.objects.create(case=case, model=model, **{**defaults, **kwargs})


@pytest.fixture
def login():
    """login(user) -> a client signed in as `user`, in Chinese unless `language` says otherwise."""

    def sign_in(user, language: str = "zh-hans") -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in


def page_text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- the registry list and a model's page ---------------------------------------------------------


def test_registry_list_empty_state(login, collector):
    body = page_text(login(collector).get(reverse("scoring:models")))
    assert 'data-testid="empty-state"' in body and "还没有模型" in body
    assert 'data-testid="nav-scoring"' in body


def test_registry_list_shows_versions_status_and_auc(login, collector):
    make_model(1, status="champion")
    make_model(2)
    body = page_text(login(collector).get(reverse("scoring:models")))
    assert body.count('data-testid="model-row"') == 2
    assert body.count('data-testid="champion-badge"') == 1
    assert "v1" in body and "v2" in body and "0.8123" in body
    assert LABEL["name_zh"] in body


def test_registry_list_paginates(login, collector):
    for v in range(1, 23):
        make_model(v)
    client = login(collector)
    assert page_text(client.get(reverse("scoring:models"))).count('data-testid="model-row"') == 20
    assert page_text(client.get(reverse("scoring:models") + "?page=2")).count('data-testid="model-row"') == 2


def test_pages_need_scoring_view(login, users):
    m = make_model()
    client = login(users["creditor_viewer"])
    assert client.get(reverse("scoring:models")).status_code == 403
    assert client.get(reverse("scoring:model", args=[m.pk])).status_code == 403
    assert client.get(reverse("scoring:card_pdf", args=[m.pk])).status_code == 403
    nav = page_text(client.get(reverse("web:queue")))
    assert 'data-testid="nav-scoring"' not in nav


def test_model_page_shows_the_card_runs_and_drift(login, supervisor):
    m = make_model(status="champion")
    ScoringRun.objects.create(
        model=m, as_of=date(2025, 3, 1), total=10, chunks=1, status="running", created_at=now()
    )
    DriftCheck.objects.create(
        model=m,
        month=date(2025, 2, 1),
        n=120,
        score_psi=0.31,
        feature_psi={"liab_overdue_count": 0.4},
        level="alert",
        created_at=now(),
    )
    body = page_text(login(supervisor).get(reverse("scoring:model", args=[m.pk])))
    for testid in (
        "model-card",
        "card-label",
        "card-metrics",
        "card-calibration",
        "card-importance",
        "card-fairness",
        "runs",
        "drift",
    ):
        assert f'data-testid="{testid}"' in body, testid
    assert LABEL["name_zh"] in body and "近12个月月均收入" in body
    assert body.count('data-testid="card-calibration-row"') == 10
    assert body.count('data-testid="card-importance-row"') == 2
    # the running run polls for its progress
    assert 'data-status="running" hx-get="/scoring/runs/' in body and "<progress" in body
    assert 'data-testid="drift-ack-form"' in body and 'data-testid="score-all"' in body


def test_model_page_for_a_reader_has_no_actions(login, collector):
    m = make_model()
    body = page_text(login(collector).get(reverse("scoring:model", args=[m.pk])))
    assert 'data-testid="promote-form"' not in body and 'data-testid="score-all"' not in body
    assert 'data-testid="no-runs"' in body and 'data-testid="no-drift"' in body


def test_model_page_in_english(login, collector):
    m = make_model()
    body = page_text(login(collector, language="en").get(reverse("scoring:model", args=[m.pk])))
    assert LABEL["name_en"] in body and "Average monthly income (12m)" in body and "Calibration" in body
    assert LABEL["name_zh"] not in body


def test_a_card_without_sections_renders_not_available_lines(login, collector):
    m = make_model(card={})
    body = page_text(login(collector).get(reverse("scoring:model", args=[m.pk])))
    assert "无校准数据。" in body and "无指标数据。" in body and "无公平性检查数据。" in body
    assert LABEL["name_zh"] in body  # the label comes from the registry row


# --- the card as HTML and PDF ---------------------------------------------------------------------


def test_card_html_is_a_standalone_document():
    html = render.card_html(render.card_for(make_model(version=3)))
    assert html.lstrip().startswith("<!DOCTYPE html>") and "repayment v3" in html
    assert LABEL["name_zh"] in html and "逾期笔数" in html and "@page" in html
    english = render.card_html(CARD, lang="en")
    assert LABEL["name_en"] in english and "Feature importance" in english


def test_card_downloads(login, collector):
    m = make_model()
    client = login(collector)
    html = client.get(reverse("scoring:card_html", args=[m.pk]))
    assert html.status_code == 200 and html["Content-Type"].startswith("text/html")
    response = client.get(reverse("scoring:card_pdf", args=[m.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(BytesIO(response.content)).pages)
    assert LABEL["name_zh"].replace(" ", "") in text.replace(" ", "")
    assert "模型卡" in text


# --- promotion, runs and drift through the page ---------------------------------------------------


def test_promote_needs_a_reason_and_the_confirmation(login, supervisor):
    old = make_model(1, status="champion")
    new = make_model(2)
    client = login(supervisor)
    url = reverse("scoring:promote", args=[new.pk])
    response = client.post(url, {"reason": "", "confirm": "1"})
    assert response.status_code == 400 and 'data-testid="promote-error"' in response.content.decode()
    response = client.post(url, {"reason": "better AUC on the holdout"})
    assert response.status_code == 400 and "请勾选确认" in response.content.decode()
    assert ScoringModel.objects.get(pk=new.pk).status == "candidate"
    response = client.post(url, {"reason": "better AUC on the holdout", "confirm": "1"})
    assert response.status_code == 303
    assert ScoringModel.objects.get(pk=new.pk).status == "champion"
    assert ScoringModel.objects.get(pk=old.pk).status != "champion"


def test_promote_and_acknowledge_need_scoring_manage(login, collector):
    m = make_model()
    check = DriftCheck.objects.create(
        model=m, month=date(2025, 2, 1), n=10, score_psi=0.3, level="alert", created_at=now()
    )
    client = login(collector)
    assert (
        client.post(reverse("scoring:promote", args=[m.pk]), {"reason": "x", "confirm": "1"}).status_code
        == 403
    )
    assert client.post(reverse("scoring:drift_ack", args=[check.pk]), {"note": "x"}).status_code == 403
    assert client.post(reverse("scoring:run_start", args=[m.pk])).status_code == 403
    assert ScoringModel.objects.get(pk=m.pk).status == "candidate"


def test_acknowledge_drift(login, supervisor):
    m = make_model()
    check = DriftCheck.objects.create(
        model=m, month=date(2025, 2, 1), n=10, score_psi=0.3, level="alert", created_at=now()
    )
    response = login(supervisor).post(
        reverse("scoring:drift_ack", args=[check.pk]), {"note": "新批次客群变化，已复核"}
    )
    assert response.status_code == 303 and response["Location"].endswith(f"/scoring/models/{m.pk}/#drift")
    check.refresh_from_db()
    assert check.acknowledged_by == supervisor and check.acknowledged_note == "新批次客群变化，已复核"


def test_run_row_polls_until_done(login, collector):
    m = make_model()
    run = ScoringRun.objects.create(
        model=m, as_of=date(2025, 3, 1), total=4, chunks=1, scored=1, status="running", created_at=now()
    )
    client = login(collector)
    body = page_text(client.get(reverse("scoring:run_status", args=[run.pk])))
    assert 'hx-trigger="every 1s"' in body and 'value="1"' in body
    ScoringRun.objects.filter(pk=run.pk).update(status="done", scored=4, chunks_done=1)
    body = page_text(client.get(reverse("scoring:run_status", args=[run.pk])))
    assert "hx-trigger" not in body and 'data-status="done"' in body


# --- the case page ---------------------------------------------------------------------------------


def test_case_page_shows_the_score_and_its_top_three_reasons_in_chinese(login, collector, case):
    m = make_model(status="champion")
    make_score(case, m, created_at=now().replace(year=2024))  # an older score is not shown
    make_score(case, m)
    body = page_text(login(collector).get(reverse("web:case", args=[case.pk])))
    assert 'data-testid="score-panel"' in body and "还款能力评分" in body
    assert 'data-testid="score-points">618<' in body and 'data-testid="score-band">B<' in body
    assert 'data-testid="score-probability">62.3%<' in body
    assert body.count('data-testid="score-reason"') == 3
    for reason in REASONS:
        assert reason["text_zh"] in body
    assert "repayment v1" in body and "2025-03-01" in body


def test_case_page_reasons_in_english(login, collector, case):
    make_score(case, make_model(status="champion"))
    body = page_text(login(collector, language="en").get(reverse("web:case", args=[case.pk])))
    assert "Repayment-ability score" in body
    for reason in REASONS:
        assert reason["text_en"] in body
        assert reason["text_zh"] not in body


def test_case_page_empty_state(login, collector, case):
    body = page_text(login(collector).get(reverse("web:case", args=[case.pk])))
    assert 'data-testid="no-score"' in body and "暂无评分" in body
    assert 'data-testid="score-now"' not in body  # no champion to score with
    make_model(status="champion")
    body = page_text(login(collector).get(reverse("web:case", args=[case.pk])))
    assert 'data-testid="score-now"' in body and "立即评分" in body


def test_case_page_hides_the_panel_without_scoring_view(login, users):
    case = case_with_debt()
    make_score(case, make_model(status="champion"))
    viewer = users["creditor_viewer"]
    viewer.creditor_grants.create(creditor=case.portfolio.creditor)
    body = page_text(login(viewer).get(reverse("web:case", args=[case.pk])))
    assert 'data-testid="score-panel"' not in body and REASONS[0]["text_zh"] not in body


def test_score_panel_costs_one_query_when_scored(login, collector, case):
    client = login(collector)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("web:case", args=[case.pk])).status_code == 200
        return len(ctx.captured_queries)

    m = make_model(status="champion")
    make_score(case, m)
    scored = count()
    CaseScore.objects.all().delete()
    unscored = count()
    assert unscored == scored + 1  # the champion lookup for the "score now" button


def test_score_now_on_the_case_page_shows_the_engine_reasons_in_chinese(login, supervisor, collector):
    """The whole path: a real trained model, promoted; the collector presses 立即评分 on an assigned case;
    the page shows the points and the three reasons the engine wrote, in Chinese."""
    from qingzhai.scoring import services
    from tests.scoring.helpers import trained_model, varied_case

    model = services.model_register(actor=supervisor, name="repayment", trained=trained_model())
    services.model_promote(actor=supervisor, model_id=model.pk, reason="上线 go live")
    case = varied_case(4, assigned_to=collector)
    client = login(collector)
    response = client.post(reverse("scoring:case_score", args=[case.pk]))
    assert response.status_code == 303
    score = CaseScore.objects.get(case=case)
    assert len(score.reasons) == 3
    body = page_text(client.get(reverse("web:case", args=[case.pk])))
    assert f'data-testid="score-points">{score.points}<' in body
    assert body.count('data-testid="score-reason"') == 3
    for reason in score.reasons:
        assert reason["text_zh"] in body and "使评分" in reason["text_zh"]

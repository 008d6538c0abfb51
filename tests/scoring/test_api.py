"""The scoring API: who may read and do what; a small model trained on indicator columns, registered,
promoted and used to score cases (a batch run and "score now"), its card as JSON, HTML and PDF; drift checks
listed and acknowledged. Errors come in the house shape {"code", "message", "fields"}."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import numpy as np
import pandas as pd
import pytest
from rest_framework.test import APIClient

from qingzhai.core.clock import now
from qingzhai.scoring.models import CaseScore, DriftCheck, ScoringModel
from tests.factories import case_with_debt
from tests.scoring.test_pages import LABEL, REASONS, make_model, make_score

pytestmark = pytest.mark.django_db
API = "/api/v1/scoring"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture(scope="module")
def trained():
    """A scorecard on three numeric profile indicators, learnt from a synthetic table (seeded)."""
    from qingzhai.profiling import indicators as ind
    from qingzhai.scoring.engine.spec import LabelDefinition, TrainSpec
    from qingzhai.scoring.engine.train import train
    from qingzhai.scoring.features import indicator_features

    codes = [i.code for i in ind.catalogue() if i.unit not in ("bool", "text", "")][:3]
    rng = np.random.default_rng(7)
    n = 600
    x = rng.normal(size=(n, 3))
    y = (x @ np.array([1.2, -0.9, 0.6]) + rng.normal(scale=0.7, size=n) > 0).astype(int)
    df = pd.DataFrame(x, columns=codes)
    df.loc[rng.random(n) < 0.1, codes[0]] = np.nan
    df["outcome"] = y
    label = LabelDefinition(
        code=LABEL["code"],
        name_zh=LABEL["name_zh"],
        name_en=LABEL["name_en"],
        description_zh=LABEL["description_zh"],
        description_en=LABEL["description_en"],
    )
    spec = TrainSpec(
        target="outcome", kind="scorecard", seed=7, label=label, features=tuple(indicator_features(codes))
    )
    return train(df, spec)


@pytest.fixture
def champion(trained, supervisor):
    from qingzhai.scoring import services

    model = services.model_register(
        actor=supervisor, name="repayment", trained=trained, feature_source="indicators"
    )
    return services.model_promote(actor=supervisor, model_id=model.pk, reason="first model")


def error_code(response) -> str:
    body = response.json()
    assert set(body) == {"code", "message", "fields"}, body
    return body["code"]


@pytest.mark.parametrize(
    ("role", "view", "manage"),
    [
        ("admin", 200, 200),
        ("supervisor", 200, 200),
        ("collector", 200, 403),
        ("legal", 200, 403),
        ("compliance", 200, 403),
        ("auditor", 200, 403),
        ("creditor_viewer", 403, 403),
    ],
)
def test_permission_matrix(users, role, view, manage):
    m = make_model()
    client = api(users[role])
    assert client.get(f"{API}/models/").status_code == view
    assert client.get(f"{API}/models/{m.pk}/").status_code == view
    assert client.get(f"{API}/models/{m.pk}/card/").status_code == view
    assert client.get(f"{API}/drift/").status_code == view
    response = client.post(f"{API}/models/{m.pk}/promote/", {"reason": "better"}, format="json")
    assert response.status_code == manage, response.content
    if manage == 403:
        assert error_code(response) == "permission_denied"
        assert ScoringModel.objects.get(pk=m.pk).status == "candidate"
    else:
        assert response.json()["status"] == "champion"


def test_a_collector_reads_scores_of_assigned_cases_only(users, case, other_case):
    m = make_model(status="champion")
    make_score(case, m)
    make_score(other_case, m)
    client = api(users["collector"])
    response = client.get(f"{API}/cases/{case.pk}/score/")
    assert response.status_code == 200
    body = response.json()
    assert (body["points"], body["band"], body["model"]["version"]) == (618, "B", 1)
    assert [r["text"] for r in body["reasons"]] == [r["text_zh"] for r in REASONS]
    assert error_code(client.get(f"{API}/cases/{other_case.pk}/score/")) == "not_found"
    assert api(users["supervisor"]).get(f"{API}/cases/{other_case.pk}/score/").status_code == 200
    assert api(users["creditor_viewer"]).get(f"{API}/cases/{case.pk}/score/").status_code == 403


def test_score_in_english_and_missing_score(users, case):
    make_score(case, make_model(status="champion"))
    client = api(users["collector"])
    body = client.get(f"{API}/cases/{case.pk}/score/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert [r["text"] for r in body["reasons"]] == [r["text_en"] for r in REASONS]
    unscored = case_with_debt(assigned_to=users["collector"])
    response = client.get(f"{API}/cases/{unscored.pk}/score/")
    assert response.status_code == 404 and error_code(response) == "score_missing"


def test_models_list_detail_and_card(users):
    make_model(1, status="champion")
    m2 = make_model(2)
    client = api(users["collector"])
    listing = client.get(f"{API}/models/").json()
    assert listing["count"] == 2
    assert [(r["version"], r["status"], r["auc"]) for r in listing["results"]] == [
        (2, "candidate", 0.8123),
        (1, "champion", 0.8123),
    ]
    assert client.get(f"{API}/models/?name=other").json()["count"] == 0
    detail = client.get(f"{API}/models/{m2.pk}/").json()
    assert detail["label"]["code"] == LABEL["code"] and "payload" not in detail
    card = client.get(f"{API}/models/{m2.pk}/card/").json()
    assert card["model"]["name"] == "repayment" and card["model"]["version"] == 2
    assert card["label"]["name_zh"] == LABEL["name_zh"] and len(card["calibration"]) == 10
    html = client.get(f"{API}/models/{m2.pk}/card/html/")
    assert html.status_code == 200 and html["Content-Type"].startswith("text/html")
    assert LABEL["name_zh"] in html.content.decode()
    pdf = client.get(f"{API}/models/{m2.pk}/card/pdf/", HTTP_ACCEPT="application/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    missing = client.get(f"{API}/models/999999/card/pdf/", HTTP_ACCEPT="application/pdf")
    assert missing.status_code == 404 and error_code(missing) == "not_found"


def test_promote_needs_a_reason(users):
    m = make_model()
    response = api(users["supervisor"]).post(f"{API}/models/{m.pk}/promote/", {"reason": ""}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["fields"]


def test_drift_list_and_acknowledge(users):
    m1, m2 = make_model(1), make_model(2)
    check = DriftCheck.objects.create(
        model=m1, month=date(2025, 2, 1), n=50, score_psi=0.3, level="alert", created_at=now()
    )
    DriftCheck.objects.create(
        model=m2, month=date(2025, 2, 1), n=50, score_psi=0.05, level="ok", created_at=now()
    )
    client = api(users["supervisor"])
    assert client.get(f"{API}/drift/").json()["count"] == 2
    only = client.get(f"{API}/drift/?model={m1.pk}").json()
    assert [(r["id"], r["level"]) for r in only["results"]] == [(check.pk, "alert")]
    assert (
        api(users["collector"])
        .post(f"{API}/drift/{check.pk}/acknowledge/", {"note": "x"}, format="json")
        .status_code
        == 403
    )
    response = client.post(
        f"{API}/drift/{check.pk}/acknowledge/", {"note": "客群变化，已复核"}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert (
        body["acknowledged_by_id"] == users["supervisor"].pk
        and body["acknowledged_note"] == "客群变化，已复核"
    )


def test_run_without_a_champion_is_a_conflict(users):
    response = api(users["supervisor"]).post(f"{API}/runs/", {}, format="json")
    assert response.status_code == 409 and error_code(response) == "scoring_no_champion"
    assert api(users["collector"]).post(f"{API}/runs/", {}, format="json").status_code == 403


def test_batch_run_and_score_now_with_a_trained_model(users, champion, django_capture_on_commit_callbacks):
    collector, supervisor = users["collector"], users["supervisor"]
    cases = [case_with_debt(assigned_to=collector) for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        response = api(supervisor).post(f"{API}/runs/", {"case_ids": [c.pk for c in cases]}, format="json")
    assert response.status_code == 202, response.content
    run_id = response.json()["id"]
    run = api(collector).get(f"{API}/runs/{run_id}/").json()
    assert (run["status"], run["total"], run["scored"], run["progress"]) == ("done", 3, 3, 1.0)
    assert CaseScore.objects.filter(run_id=run_id).count() == 3

    body = api(collector).get(f"{API}/cases/{cases[0].pk}/score/").json()
    assert body["model"]["id"] == champion.pk and body["run_id"] == run_id
    assert len(body["reasons"]) == 3 and all(r["text_zh"] and r["text_en"] for r in body["reasons"])
    assert 0 < body["probability"] < 1 and body["band"] in {"A", "B", "C", "D", "E"}

    fresh = case_with_debt(assigned_to=collector)
    created = api(collector).post(f"{API}/cases/{fresh.pk}/score/", {}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["case_id"] == fresh.pk and created.json()["run_id"] is None
    other = case_with_debt()
    assert api(collector).post(f"{API}/cases/{other.pk}/score/", {}, format="json").status_code == 404


def test_real_card_renders_as_pdf(users, champion):
    from pypdf import PdfReader

    pdf = api(users["auditor"]).get(f"{API}/models/{champion.pk}/card/pdf/", HTTP_ACCEPT="application/pdf")
    assert pdf.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf.content)).pages).replace(" ", "")
    assert LABEL["name_zh"].replace(" ", "") in text and "AUC" in text

"""Scoring API, mounted at /api/v1/scoring/: the model registry with its cards (JSON, HTML, PDF),
promotion, batch scoring runs, a case's latest score with its reasons (and scoring it now), drift checks.

Access: scoring.view to read (a case's score also needs the case to be visible to the user: a collector
sees the scores of assigned cases only); scoring.manage to promote, start runs, score now and acknowledge
drift (scoring a visible case now needs scoring.view only). Runs are done by jobs: poll the run for its progress."""

from __future__ import annotations

from typing import Any

from django.urls import path

from qingzhai.scoring.api.views import (
    CaseScoreView,
    DriftAcknowledgeView,
    DriftListView,
    ModelCardHtmlView,
    ModelCardPdfView,
    ModelCardView,
    ModelDetailView,
    ModelListView,
    ModelPromoteView,
    RunCreateView,
    RunDetailView,
)

urlpatterns: list[Any] = [
    path("models/", ModelListView.as_view(), name="models"),
    path("models/<int:pk>/", ModelDetailView.as_view(), name="model"),
    path("models/<int:pk>/card/", ModelCardView.as_view(), name="card"),
    path("models/<int:pk>/card/html/", ModelCardHtmlView.as_view(), name="card-html"),
    path("models/<int:pk>/card/pdf/", ModelCardPdfView.as_view(), name="card-pdf"),
    path("models/<int:pk>/promote/", ModelPromoteView.as_view(), name="promote"),
    path("runs/", RunCreateView.as_view(), name="runs"),
    path("runs/<int:pk>/", RunDetailView.as_view(), name="run"),
    path("cases/<int:pk>/score/", CaseScoreView.as_view(), name="case-score"),
    path("drift/", DriftListView.as_view(), name="drift"),
    path("drift/<int:pk>/acknowledge/", DriftAcknowledgeView.as_view(), name="drift-acknowledge"),
]

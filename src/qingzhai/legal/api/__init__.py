"""Legal API, mounted at /api/v1/legal/: a case's legal summary (proceedings with their history and
deadlines, court fees, interest per debt, documents) and its route advice; proceedings listed, opened and
moved on by their events; the deadlines calendar; legal KPIs; court documents generated and downloaded.

Access: legal.view to read, for the cases the user may see (a collector: assigned cases; a creditor
client: its own creditor's cases; others 404); legal.manage to open proceedings, record events and
generate documents; a document's file also needs pii.reveal, since it carries the debtor's personal data."""

from __future__ import annotations

from typing import Any

from django.urls import path

from qingzhai.legal.api.views import (
    CaseLegalView,
    CaseRouteView,
    DeadlineListView,
    DocumentCreateView,
    DocumentDownloadView,
    KpisView,
    ProceedingDetailView,
    ProceedingEventView,
    ProceedingListView,
)

urlpatterns: list[Any] = [
    path("cases/<int:pk>/", CaseLegalView.as_view(), name="case"),
    path("cases/<int:pk>/route/", CaseRouteView.as_view(), name="case-route"),
    path("cases/<int:pk>/documents/", DocumentCreateView.as_view(), name="case-documents"),
    path("proceedings/", ProceedingListView.as_view(), name="proceedings"),
    path("proceedings/<int:pk>/", ProceedingDetailView.as_view(), name="proceeding"),
    path("proceedings/<int:pk>/events/", ProceedingEventView.as_view(), name="proceeding-events"),
    path("deadlines/", DeadlineListView.as_view(), name="deadlines"),
    path("kpis/", KpisView.as_view(), name="kpis"),
    path("documents/<int:pk>/download/", DocumentDownloadView.as_view(), name="document-download"),
]

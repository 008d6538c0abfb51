"""/api/v1/compliance/..."""

from django.urls import path

from qingzhai.compliance.api import (
    alerts,
    decisions,
    dishonest,
    gate,
    policies,
    protection,
    stats,
    utterances,
)

urlpatterns = [
    path("gate/check/", gate.GateCheckView.as_view(), name="compliance-gate-check"),
    path("decisions/", decisions.DecisionListView.as_view(), name="compliance-decision-list"),
    path("decisions/<int:pk>/", decisions.DecisionDetailView.as_view(), name="compliance-decision-detail"),
    path(
        "decisions/<int:pk>/explain/",
        decisions.DecisionExplainView.as_view(),
        name="compliance-decision-explain",
    ),
    path("utterances/", utterances.UtteranceListView.as_view(), name="compliance-utterance-list"),
    path("bot/release/", utterances.BotReleaseView.as_view(), name="compliance-bot-release"),
    path("alerts/", alerts.AlertListView.as_view(), name="compliance-alert-list"),
    path("alerts/<int:pk>/", alerts.AlertDetailView.as_view(), name="compliance-alert-detail"),
    path("alerts/<int:pk>/actions/", alerts.AlertActView.as_view(), name="compliance-alert-act"),
    path("dishonest/matches/", dishonest.MatchListView.as_view(), name="compliance-dishonest-matches"),
    path(
        "dishonest/matches/<int:pk>/clear/",
        dishonest.MatchClearView.as_view(),
        name="compliance-dishonest-clear",
    ),
    path("dishonest/imports/", dishonest.DishonestImportView.as_view(), name="compliance-dishonest-import"),
    path("cases/<int:pk>/protection/", protection.ProtectionView.as_view(), name="compliance-protection"),
    path(
        "cases/<int:pk>/disputes/", protection.DisputeCreateView.as_view(), name="compliance-dispute-create"
    ),
    path(
        "disputes/<int:pk>/resolve/",
        protection.DisputeResolveView.as_view(),
        name="compliance-dispute-resolve",
    ),
    path("policies/", policies.PolicyListView.as_view(), name="compliance-policy-list"),
    path(
        "policies/<str:code>/<str:version>/",
        policies.PolicyVersionView.as_view(),
        name="compliance-policy-version",
    ),
    path(
        "creditors/<int:pk>/policy/", policies.CreditorPolicyView.as_view(), name="compliance-creditor-policy"
    ),
    path("stats/collectors/", stats.CollectorStatsView.as_view(), name="compliance-stats-collectors"),
]

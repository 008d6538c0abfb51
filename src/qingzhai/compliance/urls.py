"""Compliance pages, in the `compliance` namespace: alerts, gate decisions, the dishonest-debtor list,
violation rates, policy packs, and the compliance actions of the case page."""

from django.urls import path
from django.views.generic import RedirectView

from qingzhai.compliance.views import alerts, case, decisions, dishonest, policies, stats

app_name = "compliance"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="compliance:alerts"), name="index"),
    path("alerts/", alerts.alert_list, name="alerts"),
    path("alerts/feed/", alerts.alert_feed, name="alert_feed"),
    path("alerts/<int:pk>/", alerts.alert_detail, name="alert"),
    path("alerts/<int:pk>/act/", alerts.alert_act_view, name="alert_act"),
    path("decisions/", decisions.decision_list, name="decisions"),
    path("decisions/<int:pk>/", decisions.decision_detail, name="decision"),
    path("decisions/<int:pk>/explain/", decisions.decision_reexplain, name="decision_explain"),
    path("dishonest/", dishonest.dishonest_list, name="dishonest"),
    path("dishonest/upload/", dishonest.dishonest_upload, name="dishonest_upload"),
    path("dishonest/matches/<int:pk>/clear/", dishonest.dishonest_clear, name="dishonest_clear"),
    path("dishonest/recheck/", dishonest.dishonest_recheck_view, name="dishonest_recheck"),
    path("stats/", stats.stats, name="stats"),
    path("policies/", policies.policy_list, name="policies"),
    path("policies/creditors/<int:pk>/", policies.creditor_policy, name="creditor_policy"),
    path("cases/<int:pk>/clear/", case.case_clear, name="case_clear"),
    path("cases/<int:pk>/utterance/", case.case_utterance, name="case_utterance"),
    path("cases/<int:pk>/protection/", case.case_protection, name="case_protection"),
    path("cases/<int:pk>/disputes/", case.case_dispute_open, name="case_dispute"),
    path("disputes/<int:pk>/resolve/", case.dispute_resolve_view, name="dispute_resolve"),
]

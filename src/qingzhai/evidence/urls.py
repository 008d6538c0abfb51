"""Evidence pages, in the `evidence` namespace: the auditor's ledger page and the case page's evidence parts."""

from django.urls import path

from qingzhai.evidence.views import case, ledger

app_name = "evidence"

urlpatterns = [
    path("", ledger.ledger, name="ledger"),
    path("verify/", ledger.verify, name="verify"),
    path("cases/<int:pk>/panel/", case.case_panel, name="case_panel"),
    path("cases/<int:pk>/bundle/", case.case_bundle, name="case_bundle"),
]

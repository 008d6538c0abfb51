"""The REST API, version 1, mounted at /api/v1/."""

from django.http import HttpRequest, JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt

from qingzhai.accounts import api as accounts_api
from qingzhai.compliance.api import urls as compliance_urls
from qingzhai.core.api import error_body
from qingzhai.portfolio.api import cases, debtors, debts, imports, reference, work

app_name = "api"


@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Unknown paths under /api/v1/ answer in the API's error shape, not with an HTML page."""
    return JsonResponse(error_body(404), status=404)


urlpatterns = [
    path("auth/token/", accounts_api.TokenObtainView.as_view(), name="token"),
    path("auth/logout/", accounts_api.LogoutView.as_view(), name="logout"),
    path("me/", accounts_api.MeView.as_view(), name="me"),
    path("creditors/", reference.CreditorListView.as_view(), name="creditor-list"),
    path("creditors/<int:pk>/", reference.CreditorDetailView.as_view(), name="creditor-detail"),
    path("portfolios/", reference.PortfolioListView.as_view(), name="portfolio-list"),
    path("portfolios/<int:pk>/", reference.PortfolioDetailView.as_view(), name="portfolio-detail"),
    path("debtors/", debtors.DebtorListView.as_view(), name="debtor-list"),
    path("debtors/<int:pk>/", debtors.DebtorDetailView.as_view(), name="debtor-detail"),
    path("debtors/<int:pk>/reveal/", debtors.DebtorRevealView.as_view(), name="debtor-reveal"),
    path("debts/", debts.DebtListView.as_view(), name="debt-list"),
    path("debts/<int:pk>/", debts.DebtDetailView.as_view(), name="debt-detail"),
    path("cases/", cases.CaseListView.as_view(), name="case-list"),
    path("cases/assign/", cases.CaseAssignView.as_view(), name="case-assign"),
    path("cases/<int:pk>/", cases.CaseDetailView.as_view(), name="case-detail"),
    path("cases/<int:pk>/stage/", cases.CaseStageView.as_view(), name="case-stage"),
    path("cases/<int:pk>/next-action/", cases.CaseNextActionView.as_view(), name="case-next-action"),
    path("cases/<int:pk>/timeline/", cases.CaseTimelineView.as_view(), name="case-timeline"),
    path("payments/", work.PaymentListView.as_view(), name="payment-list"),
    path("payments/<int:pk>/", work.PaymentDetailView.as_view(), name="payment-detail"),
    path("payments/<int:pk>/reverse/", work.PaymentReverseView.as_view(), name="payment-reverse"),
    path("promises/", work.PromiseListView.as_view(), name="promise-list"),
    path("promises/<int:pk>/", work.PromiseDetailView.as_view(), name="promise-detail"),
    path("promises/<int:pk>/cancel/", work.PromiseCancelView.as_view(), name="promise-cancel"),
    path("activities/", work.ActivityListView.as_view(), name="activity-list"),
    path("activities/<int:pk>/", work.ActivityDetailView.as_view(), name="activity-detail"),
    path("imports/", imports.ImportListView.as_view(), name="import-list"),
    path("imports/<int:pk>/", imports.ImportDetailView.as_view(), name="import-detail"),
    path("imports/<int:pk>/confirm/", imports.ImportConfirmView.as_view(), name="import-confirm"),
    path("compliance/", include(compliance_urls)),
    path("evidence/", include("qingzhai.evidence.api.urls")),
    path("profiling/", include(("qingzhai.profiling.api", "profiling-api"))),
    path("scoring/", include(("qingzhai.scoring.api", "scoring-api"))),
    path("legal/", include(("qingzhai.legal.api", "legal-api"))),
    path("contact/", include(("qingzhai.contact.api", "contact-api"))),
    # [\s\S] and not `.`: a path with a newline in it is still an unknown API path, not an HTML 404 page.
    re_path(r"^(?P<rest>[\s\S]*)$", not_found),
]

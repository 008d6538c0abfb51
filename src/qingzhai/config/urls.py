from django.contrib import admin
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView


def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # the probe's whole purpose is to report any database failure
        return JsonResponse({"status": "error", "database": str(exc.__class__.__name__)}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("qingzhai.config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("compliance/", include("qingzhai.compliance.urls")),
    path("evidence/", include("qingzhai.evidence.urls")),
    path("profile/", include("qingzhai.profiling.urls")),
    path("scoring/", include("qingzhai.scoring.urls")),
    path("legal/", include("qingzhai.legal.urls")),
    path("contact/", include("qingzhai.contact.urls")),
    path("", include("qingzhai.web.urls")),
]

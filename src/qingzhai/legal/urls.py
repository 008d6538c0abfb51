"""The legal workspace pages, in the `legal` namespace, mounted at /legal/."""

from django.urls import path

from qingzhai.legal import views

app_name = "legal"

urlpatterns = [
    path("", views.home, name="home"),
    path("badge/", views.badge, name="badge"),
    path("kpis/", views.kpis, name="kpis"),
    path("cases/<int:pk>/", views.case_page, name="case"),
    path("cases/<int:pk>/proceedings/", views.open_proceeding, name="open"),
    path("cases/<int:pk>/documents/", views.generate_document, name="generate"),
    path("proceedings/<int:pk>/events/", views.record_event, name="event"),
    path("documents/<int:pk>/download/", views.download_document, name="download"),
]

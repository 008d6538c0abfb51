"""Debtor profile pages, in the `profiling` namespace."""

from django.urls import path

from qingzhai.profiling import views

app_name = "profiling"

urlpatterns = [
    path("debtors/<int:pk>/", views.profile_page, name="profile"),
    path("debtors/<int:pk>/pdf/", views.profile_pdf, name="pdf"),
    path("debtors/<int:pk>/sources/", views.upload, name="upload"),
    path("debtors/<int:pk>/sources/<int:sid>/", views.source_rows, name="source_rows"),
    path("debtors/<int:pk>/sources/<int:sid>/status/", views.source_status, name="source_status"),
    path("debtors/<int:pk>/sources/<int:sid>/hold/", views.legal_hold, name="legal_hold"),
]

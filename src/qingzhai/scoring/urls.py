"""The scoring pages, in the `scoring` namespace, mounted at /scoring/."""

from django.urls import path

from qingzhai.scoring import views

app_name = "scoring"

urlpatterns = [
    path("", views.model_list, name="models"),
    path("models/<int:pk>/", views.model_detail, name="model"),
    path("models/<int:pk>/card.html", views.model_card_html, name="card_html"),
    path("models/<int:pk>/card.pdf", views.model_card_pdf, name="card_pdf"),
    path("models/<int:pk>/promote/", views.model_promote, name="promote"),
    path("models/<int:pk>/runs/", views.run_start, name="run_start"),
    path("runs/<int:pk>/status/", views.run_status, name="run_status"),
    path("drift/<int:pk>/acknowledge/", views.drift_acknowledge, name="drift_ack"),
    path("cases/<int:pk>/score/", views.case_score_now, name="case_score"),
]

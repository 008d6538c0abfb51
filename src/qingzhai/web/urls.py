from django.urls import path

from qingzhai.web.views import pages

app_name = "web"

urlpatterns = [
    path("", pages.home, name="queue"),
]

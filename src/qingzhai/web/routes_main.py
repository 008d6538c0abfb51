from django.urls import path

from qingzhai.web.views import pages

urlpatterns = [
    path("", pages.home, name="queue"),
]

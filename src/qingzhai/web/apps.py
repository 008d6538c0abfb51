from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "qingzhai.web"
    label = "web"
    verbose_name = "Web"

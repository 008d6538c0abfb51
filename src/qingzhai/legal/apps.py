from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "qingzhai.legal"
    label = "legal"
    verbose_name = "Legal recovery"

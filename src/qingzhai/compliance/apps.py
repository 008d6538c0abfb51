from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "qingzhai.compliance"
    label = "compliance"
    verbose_name = "Compliance"

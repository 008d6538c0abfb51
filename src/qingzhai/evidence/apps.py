from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "qingzhai.evidence"
    label = "evidence"
    verbose_name = "Evidence ledger"

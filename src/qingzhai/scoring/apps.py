from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "qingzhai.scoring"
    label = "scoring"
    verbose_name = "Scoring"

from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "qingzhai.portfolio"
    label = "portfolio"
    verbose_name = "Portfolio"

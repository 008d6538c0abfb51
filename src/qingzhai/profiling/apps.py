from django.apps import AppConfig


class ProfilingConfig(AppConfig):
    name = "qingzhai.profiling"
    label = "profiling"
    verbose_name = "Debtor 360 profile"

from django.apps import AppConfig


class ContactConfig(AppConfig):
    name = "qingzhai.contact"
    label = "contact"
    verbose_name = "Contact centre"

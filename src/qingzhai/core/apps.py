from typing import Any

from django.apps import AppConfig
from django.conf import settings


def _register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        allowed = 1 if getattr(settings, "QINGZHAI_AUDIT_PURGE_ALLOWED", False) else 0
        connection.connection.create_function("qz_audit_purge", 0, lambda: allowed, deterministic=True)


class CoreConfig(AppConfig):
    name = "qingzhai.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        connection_created.connect(_register_sqlite_functions, dispatch_uid="qz_sqlite_functions")

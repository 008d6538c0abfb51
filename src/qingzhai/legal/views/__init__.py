"""The legal workspace pages, in the `legal` namespace, mounted at /legal/: the workspace home with the
deadlines calendar and the open proceedings, one case's legal page (route advisor, proceedings, fees,
interest, limitation, documents) with its forms, the KPI page and the navigation badge."""

from qingzhai.legal.views.case import (
    case_page,
    download_document,
    generate_document,
    open_proceeding,
    record_event,
)
from qingzhai.legal.views.home import badge, home, kpis

__all__ = [
    "badge",
    "case_page",
    "download_document",
    "generate_document",
    "home",
    "kpis",
    "open_proceeding",
    "record_event",
]

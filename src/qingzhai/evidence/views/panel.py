"""What the case page shows of the evidence ledger: the case's entries, newest first (those still queued on
top), each with its status in the log, and the court bundle download for those allowed."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest

from qingzhai.accounts import roles
from qingzhai.evidence.case_feed import CaseFeed
from qingzhai.portfolio.models import Case

PAGE_SIZE = 20


def evidence_case_context(request: HttpRequest, case: Case, page: Any = None) -> dict[str, Any]:
    """The panel's context; `show` is false for a user without evidence.view (the panel is left out)."""
    user: Any = request.user
    if not getattr(user, "is_authenticated", False) or not user.can(roles.EVIDENCE_VIEW):
        return {"show": False}
    feed = CaseFeed(case.pk)
    page_obj = Paginator(feed, PAGE_SIZE).get_page(page)
    queued, _ = feed.counts()
    return {
        "show": True,
        "case": case,
        "page_obj": page_obj,
        "rows": list(page_obj.object_list),
        "queued_count": queued,
        "can_bundle": user.can(roles.EVIDENCE_BUNDLE),
    }

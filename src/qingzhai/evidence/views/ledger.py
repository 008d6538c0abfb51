"""The auditor's page of the evidence ledger: size, queue, latest checkpoint, witnesses, the last
verifications, the log's verifier key, and running a verification now."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from qingzhai.accounts import roles
from qingzhai.core import audit
from qingzhai.evidence import selectors, services, signing
from qingzhai.evidence.verify import Report
from qingzhai.web.views.common import is_htmx, page

SHOWN_PROBLEMS = 50


def _context(report: Report | None = None) -> dict[str, Any]:
    summary = selectors.summary()
    checkpoint = summary["checkpoint"]
    problems = sorted(report.problems, key=lambda p: (p.index is None, p.index or 0)) if report else []
    return {
        **summary,
        "root_hex": bytes(checkpoint.root).hex() if checkpoint else "",
        "origin": signing.origin(),
        "verifier_key": signing.vkey(),
        "report": report,
        "problems": problems[:SHOWN_PROBLEMS],
        "more_problems": max(0, len(problems) - SHOWN_PROBLEMS),
    }


@page(roles.EVIDENCE_AUDIT)
def ledger(request: HttpRequest) -> HttpResponse:
    return render(request, "evidence/ledger.html", _context())


@require_POST
@page(roles.EVIDENCE_AUDIT)
def verify(request: HttpRequest) -> HttpResponse:
    """Run a verification now (full: re-hash every stored file too) and show its result."""
    full = request.POST.get("full") == "1"
    with audit.source("web"):
        _, report = services.verification_run(actor=request.user, full=full)
    template = "evidence/_verifications.html" if is_htmx(request) else "evidence/ledger.html"
    return render(request, template, _context(report))

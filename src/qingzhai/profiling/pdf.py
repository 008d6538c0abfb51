"""The profile as a PDF for the legal file (WeasyPrint, Noto CJK): headline, flags with their evidence rows
and rules, monthly flows as a table with bars, assets, every indicator with its definition, and the
sources with their SHA-256 and legal basis."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from qingzhai.core.clock import now
from qingzhai.profiling import presenters, selectors
from qingzhai.profiling.profile import Profile


def render_html(request: HttpRequest | None, debtor: Any, built: Profile) -> str:
    context = presenters.page_context(built)
    peak = max([m["in_fen"] or 0 for m in built.months] + [m["out_fen"] or 0 for m in built.months] + [1])
    context["month_rows"] = [
        {
            **m,
            "in_pct": round(100 * (m["in_fen"] or 0) / peak, 1),
            "out_pct": round(100 * (m["out_fen"] or 0) / peak, 1),
        }
        for m in built.months
    ]
    context["debtor"] = debtor
    context["sources"] = list(selectors.sources_for(debtor)[:200])
    context["generated_at"] = now()
    return render_to_string("profiling/pdf.html", context, request=request)


def render_pdf(request: HttpRequest | None, debtor: Any, built: Profile) -> bytes:
    from weasyprint import HTML

    html = render_html(request, debtor, built)
    return HTML(string=html, base_url=None).write_pdf()  # type: ignore[no-any-return]

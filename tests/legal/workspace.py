"""Shared pieces of the legal workspace tests: clients per role, a case with a payment order under way."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from rest_framework.test import APIClient

from qingzhai.core.clock import business_today
from qingzhai.legal.services.proceedings import proceeding_open, proceeding_transition
from qingzhai.portfolio.models import CreditorViewerGrant

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
ROLES = ("admin", "supervisor", "legal", "collector", "compliance", "auditor", "creditor_viewer")
MANAGERS = {"admin", "supervisor", "legal"}


def web(user, language: str = "zh-hans") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user, backend=MODEL_BACKEND)
    return client


def api(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def grant(user, case) -> None:
    CreditorViewerGrant.objects.create(user=user, creditor=case.portfolio.creditor)


def payment_order_served(actor, case, *, days_ago: int = 20):
    """A payment order applied `days_ago` days back, accepted, issued and served 5 days ago: its objection
    window (15 days from service) is open."""
    today = business_today()
    start = today - timedelta(days=days_ago)
    p = proceeding_open(actor=actor, case_id=case.pk, kind="payment_order", on=start, court="朝阳区人民法院")
    for event, back in (("applied", days_ago), ("accepted", days_ago - 2), ("issued", 10), ("served", 5)):
        proceeding_transition(actor=actor, proceeding_id=p.pk, event=event, on=today - timedelta(days=back))
    p.refresh_from_db()
    return p

"""Fixtures of the web tests: signed-in clients per role and the personal data the pages must hide."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.test import Client

from qingzhai.core import pii
from qingzhai.core.clock import business_tz, now
from qingzhai.portfolio.models import ContactPoint
from tests.factories import make_prc_id

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
PASSWORD = "Correct-Horse-9"  # the factories' password

# What the factories store, in plain text: none of it may appear on a page unless revealed.
PLAIN_ADDRESS = "北京市朝阳区建国路88号3单元1201"
PLAIN_PHONE = "13812345678"


def past_local(hour: int, minute: int = 0, days_back: int = 0) -> datetime:
    """The latest moment at `hour:minute` Asia/Shanghai that is already past, `days_back` days earlier. Contacts
    logged in tests say when they happened, so that the compliance gate's night-time rule does not depend
    on when the tests run."""
    current = now().astimezone(business_tz())
    moment = datetime.combine(current.date(), time(hour, minute), tzinfo=business_tz())
    if moment > current:
        moment -= timedelta(days=1)
    return moment - timedelta(days=days_back)


def form_time(moment: datetime) -> str:
    """A moment as the log form's "when" field takes it (business time zone)."""
    return moment.astimezone(business_tz()).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def login():
    """login(user) -> a client signed in as `user`, in Chinese unless `language` says otherwise."""

    def sign_in(user, language: str = "zh-hans") -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(user, backend=MODEL_BACKEND)
        return client

    return sign_in


@pytest.fixture
def collector_client(login, collector):
    return login(collector)


@pytest.fixture
def supervisor_client(login, supervisor):
    return login(supervisor)


@pytest.fixture
def plain_id(case):
    """The case debtor's ID number in plain text (as the factory stored it)."""
    value = pii.get_value(case.debtor, "id_number")
    assert value == make_prc_id(case.debtor.pk)
    return value


@pytest.fixture
def secrets_of(db):
    """Every plaintext personal value of a case's debtor (ID, addresses, phones)."""

    def collect(case) -> list[str]:
        debtor = case.debtor
        values = [pii.get_value(debtor, "id_number"), pii.get_value(debtor, "home_address")]
        values += [pii.get_value(cp, "value") for cp in ContactPoint.objects.filter(debtor=debtor)]
        return [v for v in values if v]

    return collect

"""Compliance lists answer with a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qingzhai.compliance import services
from tests.compliance.api.conftest import night

LISTS = ["decisions/", "alerts/", "utterances/"]


def _grow(world, users, n: int) -> None:
    for _ in range(n):
        services.contact_clear(actor=users["admin"], case_id=world.a.case.pk, kind="call", at=night())
        services.utterance_record(
            actor=users["collector"], case_id=world.a.case.pk, text="你再不还钱我就弄死你全家"
        )


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("path", LISTS)
def test_list_queries_do_not_grow(path, world, users, api_for):
    client = api_for("compliance")
    url = f"/api/v1/compliance/{path}"
    _grow(world, users, 2)
    small = _count(client, url)
    _grow(world, users, 15)
    assert _count(client, url) == small

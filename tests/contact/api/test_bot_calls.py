"""Bot calls over the API: run one from recognised lines (the gate clears it), list and read them back
with the transcript; cases the user may not see stay hidden."""

from __future__ import annotations

import time_machine
from rest_framework.test import APIClient

from qingzhai.core import pii
from tests.contact.campaigns.conftest import DAYTIME

API = "/api/v1/contact/bot-calls/"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_run_list_and_read_a_bot_call(collector, case, other_case, users):
    last4 = pii.get_value(case.debtor, "id_number")[-4:]
    client = api(collector)
    with time_machine.travel(DAYTIME, tick=True):
        created = client.post(
            API,
            {"case_id": case.pk, "debtor_lines": ["是我", last4, "好的", "我下周五全部还清", "好的", "好"]},
            format="json",
        )
    assert created.status_code == 201, created.json()
    call = created.json()
    assert (
        call["outcome"] == "promise" and call["transcript"]["turns"] and len(call["transcript_sha256"]) == 64
    )
    listing = client.get(API, {"case": case.pk}).json()
    assert listing["count"] == 1 and listing["results"][0]["id"] == call["id"]
    assert client.get(f"{API}{call['id']}/").json()["transcript"] == call["transcript"]
    hidden = api(users["collector"]).post(
        API, {"case_id": other_case.pk, "debtor_lines": ["是我"]}, format="json"
    )
    assert hidden.status_code == 404
    outsider = users["creditor_viewer"]
    assert api(outsider).get(f"{API}{call['id']}/").status_code == 404
    assert api(outsider).post(API, {"case_id": case.pk, "debtor_lines": []}, format="json").status_code == 403


def test_a_night_call_is_refused_by_the_gate(collector, case):
    night = DAYTIME.replace(hour=23)
    with time_machine.travel(night, tick=True):
        refused = api(collector).post(API, {"case_id": case.pk, "debtor_lines": ["是我"]}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "contact_denied"

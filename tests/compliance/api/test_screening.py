"""Utterance screening, the bot's release check, alerts and the per-collector statistics."""

from __future__ import annotations

import pytest

from qingzhai.compliance.models import Alert, AlertAction, Utterance
from qingzhai.compliance.monitor import default_screener
from qingzhai.compliance.services.screening import violation_dict
from qingzhai.core.models import AuditEvent
from tests.portfolio.api.test_errors import assert_error

URL = "/api/v1/compliance/utterances/"
BOT = "/api/v1/compliance/bot/release/"
ALERTS = "/api/v1/compliance/alerts/"
THREAT = "你再不还钱我就弄死你全家"
POLITE = "您好，请问您方便谈一下还款安排吗"


def expected(text: str, speaker: str = "collector") -> list[dict]:
    return [violation_dict(v) for v in default_screener().screen(text, speaker=speaker)]


def say(client, case, text: str, **extra):
    return client.post(URL, {"case_id": case.pk, "text": text, **extra}, format="json")


def test_violating_sentence_raises_an_alert(world, users, api_for):
    response = say(api_for("collector"), world.a.case, THREAT, source="transcript", lang="zh")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["violations"] == expected(THREAT)
    assert "threat_violence" in {v["category"] for v in body["violations"]}
    alert = Alert.objects.get()
    assert (body["alert_id"], alert.case_id, alert.collector_id, alert.status) == (
        alert.pk,
        world.a.case.pk,
        users["collector"].pk,
        "open",
    )
    assert (body["speaker"], body["source"], body["lang"], body["blocked"]) == (
        "collector",
        "transcript",
        "zh",
        False,
    )
    assert body["author"]["username"] == "collector1"
    assert AuditEvent.objects.filter(action="alert.raise", source="api").count() == 1


def test_clean_sentence_and_debtor_speech_raise_no_alert(world, api_for):
    client = api_for("collector")
    clean = say(client, world.a.case, POLITE).json()
    assert (clean["violations"], clean["alert_id"]) == ([], None)
    debtor = say(client, world.a.case, "你们再打电话我就去死", speaker="debtor").json()
    assert (debtor["author"], debtor["alert_id"]) == (None, None)
    assert debtor["violations"] == expected("你们再打电话我就去死", "debtor")
    assert Alert.objects.count() == 0


def test_list_filters_and_visibility(world, api_for):
    say(api_for("collector"), world.a.case, THREAT)
    say(api_for("collector"), world.a.case, POLITE)
    say(api_for("admin"), world.b.case, POLITE)
    ids = {row["case_id"] for row in api_for("collector").get(URL).json()["results"]}
    assert ids == {world.a.case.pk}
    auditor = api_for("auditor")
    assert auditor.get(URL).json()["count"] == 3
    assert auditor.get(f"{URL}?case={world.b.case.pk}").json()["count"] == 1
    violating = auditor.get(f"{URL}?violating=true").json()["results"]
    assert [row["text"] for row in violating] == [THREAT]
    assert auditor.get(f"{URL}?violating=false").json()["count"] == 2


@pytest.mark.parametrize(
    ("role", "side", "get_status", "post_status"),
    [
        ("collector", "b", 200, 404),
        ("auditor", "a", 200, 403),
        ("compliance", "a", 200, 403),
        ("creditor_viewer", "a", 403, 403),
    ],
)
def test_utterance_permissions(role, side, get_status, post_status, world, api_for):
    client = api_for(role)
    assert client.get(URL).status_code == get_status
    response = say(client, getattr(world, side).case, THREAT)
    assert response.status_code == post_status
    assert Utterance.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"text": ""}, {"text"}),
        ({"text": "x" * 4001}, {"text"}),
        ({"text": "ok", "speaker": "bot"}, {"speaker"}),
        ({"text": "ok", "source": "bot"}, {"source"}),
        ({"text": "ok", "lang": "klingon"}, {"lang"}),
        ({"text": 5, "case_id": "abc"}, {"case_id"}),
    ],
)
def test_utterance_bad_input(data, fields, world, api_for):
    response = api_for("collector").post(URL, {"case_id": world.a.case.pk, **data}, format="json")
    assert_error(response, 400, "invalid", fields)


def test_text_of_only_spaces_is_blank(world, api_for):
    assert_error(say(api_for("collector"), world.a.case, "   "), 400, "invalid", {"text"})


def test_bot_release(world, api_for):
    client = api_for("admin")
    ok = client.post(BOT, {"case_id": world.b.case.pk, "text": POLITE}, format="json")
    assert ok.status_code == 200
    assert (ok.json()["send"], ok.json()["violations"], ok.json()["utterance"]["blocked"]) == (
        True,
        [],
        False,
    )
    held = client.post(BOT, {"case_id": world.b.case.pk, "text": THREAT}, format="json").json()
    assert (held["send"], held["utterance"]["blocked"], held["utterance"]["speaker"]) == (False, True, "bot")
    assert held["violations"] == expected(THREAT, "bot") == held["utterance"]["violations"]
    alert = Alert.objects.get()
    assert (held["utterance"]["alert_id"], alert.collector_id) == (alert.pk, None)


@pytest.mark.parametrize(
    "role", ["supervisor", "collector", "legal", "compliance", "auditor", "creditor_viewer"]
)
def test_only_the_administrator_releases_bot_text(role, world, api_for):
    response = api_for(role).post(BOT, {"case_id": world.a.case.pk, "text": POLITE}, format="json")
    assert_error(response, 403, "permission_denied")
    assert Utterance.objects.count() == 0


def test_bot_release_bad_input_and_unknown_case(world, api_for):
    client = api_for("admin")
    assert_error(client.post(BOT, {"text": ""}, format="json"), 400, "invalid", {"case_id", "text"})
    assert_error(client.post(BOT, {"case_id": 999999, "text": POLITE}, format="json"), 404, "not_found")
    assert_error(
        api_for(None).post(BOT, {"case_id": 1, "text": POLITE}, format="json"), 401, "not_authenticated"
    )


# --- alerts --------------------------------------------------------------------------------------------


@pytest.fixture
def alerts(world, api_for):
    first = say(api_for("collector"), world.a.case, THREAT).json()["alert_id"]
    second = say(api_for("admin"), world.b.case, "你这个废物，不还钱去死吧").json()["alert_id"]
    return first, second


def test_alert_list_and_polling(alerts, api_for):
    first, second = alerts
    client = api_for("supervisor")
    rows = client.get(ALERTS).json()["results"]
    assert [row["id"] for row in rows] == [second, first]
    assert rows[1]["text"] == THREAT and rows[1]["collector"]["username"] == "collector1"
    assert [r["id"] for r in client.get(f"{ALERTS}?since_id={first}").json()["results"]] == [second]
    assert client.get(f"{ALERTS}?status=closed").json()["count"] == 0
    assert client.get(f"{ALERTS}?status=active").json()["count"] == 2


def test_alert_workflow(alerts, users, api_for):
    first, _ = alerts
    client = api_for("compliance")
    url = f"{ALERTS}{first}/actions/"
    acked = client.post(url, {"action": "acknowledge"}, format="json")
    assert acked.status_code == 200
    assert acked.json()["status"] == "acknowledged"
    assert_error(client.post(url, {"action": "coach"}, format="json"), 400, "note_required", {"note"})
    coached = client.post(url, {"action": "coach", "note": "已辅导话术 coached"}, format="json").json()
    assert [(a["action"], a["from_status"], a["to_status"]) for a in coached["actions"]] == [
        ("acknowledge", "open", "acknowledged"),
        ("coach", "acknowledged", "coached"),
    ]
    assert coached["actions"][1]["actor"]["username"] == "compliance1"
    assert_error(client.post(url, {"action": "acknowledge"}, format="json"), 409, "alert_transition")
    closed = client.post(url, {"action": "close", "note": "处理完毕"}, format="json").json()
    assert closed["status"] == "closed"
    detail = client.get(f"{ALERTS}{first}/").json()
    assert (detail["utterance"]["text"], detail["utterance"]["alert_id"], len(detail["actions"])) == (
        THREAT,
        first,
        3,
    )
    assert list(AlertAction.objects.values_list("action", flat=True)) == ["acknowledge", "coach", "close"]


@pytest.mark.parametrize(
    ("role", "read", "act"),
    [("auditor", 200, 403), ("collector", 403, 403), ("creditor_viewer", 403, 403), ("legal", 403, 403)],
)
def test_alert_permissions(role, read, act, alerts, api_for):
    first, _ = alerts
    client = api_for(role)
    assert client.get(ALERTS).status_code == read
    assert client.get(f"{ALERTS}{first}/").status_code == read
    response = client.post(f"{ALERTS}{first}/actions/", {"action": "acknowledge"}, format="json")
    assert_error(response, act, "permission_denied")
    assert Alert.objects.get(pk=first).status == "open"


def test_alert_bad_input(alerts, api_for):
    client = api_for("compliance")
    assert_error(client.get(f"{ALERTS}?status=lost&since_id=-1"), 400, "invalid", {"status", "since_id"})
    response = client.post(f"{ALERTS}{alerts[0]}/actions/", {"action": "delete"}, format="json")
    assert_error(response, 400, "invalid", {"action"})
    assert_error(
        client.post(f"{ALERTS}999999/actions/", {"action": "close"}, format="json"), 404, "not_found"
    )


# --- statistics ----------------------------------------------------------------------------------------


def test_collector_statistics(world, users, api_for):
    collector = api_for("collector")
    for text in (THREAT, POLITE, POLITE, POLITE):
        say(collector, world.a.case, text)
    say(api_for("supervisor"), world.b.case, POLITE)
    say(collector, world.a.case, "你们再打电话我就去死", speaker="debtor")
    response = api_for("auditor").get("/api/v1/compliance/stats/collectors/?period=7")
    assert response.status_code == 200
    body = response.json()
    assert body["period_days"] == 7
    assert body["total"] == {"utterances": 5, "violating": 1, "per_thousand": 200.0, "alerts_open": 1}
    assert body["collectors"] == [
        {
            "collector": {"id": users["collector"].pk, "name": "collector1"},
            "utterances": 4,
            "violating": 1,
            "per_thousand": 250.0,
            "alerts_open": 1,
        },
        {
            "collector": {"id": users["supervisor"].pk, "name": "supervisor1"},
            "utterances": 1,
            "violating": 0,
            "per_thousand": 0.0,
            "alerts_open": 0,
        },
    ]


@pytest.mark.parametrize("role", ["collector", "legal", "creditor_viewer"])
def test_statistics_need_compliance_view(role, world, api_for):
    assert_error(api_for(role).get("/api/v1/compliance/stats/collectors/"), 403, "permission_denied")


@pytest.mark.parametrize("period", ["0", "abc", "99999"])
def test_statistics_bad_period(period, world, api_for):
    response = api_for("compliance").get(f"/api/v1/compliance/stats/collectors/?period={period}")
    assert_error(response, 400, "invalid", {"period"})

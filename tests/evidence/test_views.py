"""The evidence pages: the panel on the case page, the court bundle download, the auditor's ledger page with
its verification button, and who reaches which."""

# ruff: noqa: F811  (the fixtures are imported from other test modules, and requested by name)

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from qingzhai.evidence import artifacts, note, record, sequencer, services, signing
from qingzhai.evidence.models import Checkpoint, Entry, Verification
from tests.evidence.world import (  # noqa: F401  (fixtures)
    WITNESS_NAME,
    _artifacts_in_tmp,
    ledger,
    queue_leaves,
    witness_signer,
)
from tests.portfolio.api.conftest import _fresh_throttles, _uploads_in_tmp, world  # noqa: F401
from tests.web.conftest import MODEL_BACKEND, login  # noqa: F401

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}

# role -> (ledger page, run a verification, panel of case a, panel of case b, bundle of case a)
PAGES = {
    "admin": (200, 200, 200, 200, 200),
    "compliance": (200, 200, 200, 200, 200),
    "auditor": (200, 200, 200, 200, 403),
    "supervisor": (403, 403, 200, 200, 200),
    "legal": (403, 403, 200, 200, 200),
    "collector": (403, 403, 200, 404, 403),
    "creditor_viewer": (403, 403, 403, 403, 403),
}
# role -> (the case page shows the evidence panel, with the bundle button)
PANEL = {
    "admin": (True, True),
    "compliance": (True, True),
    "auditor": (True, False),
    "supervisor": (True, True),
    "legal": (True, True),
    "collector": (True, False),
    "creditor_viewer": (False, False),
}


@pytest.mark.parametrize("role", sorted(PAGES))
def test_page_access_by_role(role, ledger, users, login):
    client = login(users[role])
    a, b = ledger.world.a.case.pk, ledger.world.b.case.pk
    got = (
        client.get(reverse("evidence:ledger")).status_code,
        client.post(reverse("evidence:verify")).status_code,
        client.get(reverse("evidence:case_panel", args=[a])).status_code,
        client.get(reverse("evidence:case_panel", args=[b])).status_code,
        client.get(reverse("evidence:case_bundle", args=[a])).status_code,
    )
    assert got == PAGES[role]


@pytest.mark.parametrize("role", sorted(PANEL))
def test_the_case_page_panel_by_role(role, ledger, users, login):
    response = login(users[role]).get(reverse("web:case", args=[ledger.world.a.case.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert ('data-testid="evidence-panel"' in html, 'data-testid="evidence-bundle"' in html) == PANEL[role]


def test_anonymous_is_sent_to_the_login_page(ledger):
    for url in (
        reverse("evidence:ledger"),
        reverse("evidence:case_panel", args=[ledger.world.a.case.pk]),
        reverse("evidence:case_bundle", args=[ledger.world.a.case.pk]),
    ):
        response = Client().get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]


def test_refusal_in_english(ledger, users, login):
    response = login(users["collector"], "en").get(reverse("evidence:ledger"))
    assert response.status_code == 403
    assert "You do not have permission to do this" in response.content.decode()


# --- the panel ---------------------------------------------------------------------------------------


def _act(case_id: int, kind: str, at: datetime, subject: str, content: bytes | None = b"x") -> None:
    with transaction.atomic():
        ref = artifacts.put(content, "application/pdf") if content else None
        record.enqueue(
            record.leaf_record(kind=kind, case_id=case_id, actor="cli", at=at, subject=subject, artifact=ref)
        )


def test_panel_rows_newest_first_with_labels_times_hashes_and_status(ledger, users, login):
    case = ledger.world.a.case
    _act(case.pk, "letter", datetime(2026, 1, 5, 2, 3, 4, tzinfo=UTC), "letter:7", b"%PDF-1.7 letter")
    sequencer.run()
    _act(case.pk, "sms", datetime(2026, 1, 6, 16, 30, 0, tzinfo=UTC), "sms:9", None)  # queued, not sequenced
    letter = Entry.objects.get(subject="letter:7")
    covered = Checkpoint.objects.filter(size__gt=letter.index).order_by("size").first().size
    response = login(users["supervisor"]).get(reverse("web:case", args=[case.pk]))
    html = response.content.decode()
    panel = html[html.index('data-testid="evidence-panel"') :]
    rows = panel.split('data-testid="evidence-row"')[1:]
    assert len(rows) == len(ledger.a) + 2
    # The queued SMS first, then the letter: newest first.
    assert "短信" in rows[0] and "2026-01-07 00:30:00" in rows[0] and "待入日志" in rows[0]
    assert "—" in rows[0]  # no index, no file
    assert "信函" in rows[1] and "2026-01-05 10:03:04" in rows[1] and "letter:7" in rows[1]
    assert f">{letter.index}<" in rows[1]
    assert f"已入日志（检查点 {covered} 内）" in rows[1]
    assert letter.artifact_sha256[:12] + "…" in rows[1]
    assert 'data-testid="evidence-queued"' in panel
    assert "1 条待入日志" in panel
    english = login(users["supervisor"], "en").get(reverse("web:case", args=[case.pk])).content.decode()
    assert f"In the log (covered by checkpoint {covered})" in english
    assert "Queued" in english and "Letter" in english and "Download the court bundle" in english


def test_panel_pages_by_twenty(world, users, login):
    case = world.a.case
    sequencer.run()
    existing = Entry.objects.filter(case_id=case.pk).count()
    queue_leaves(25 - existing, case_id=case.pk)
    sequencer.run()
    client = login(users["legal"])
    html = client.get(reverse("web:case", args=[case.pk])).content.decode()
    panel = html[html.index('data-testid="evidence-panel"') :]
    assert panel.count('data-testid="evidence-row"') == 20
    assert "共 25 条 · 第 1 / 2 页" in panel
    assert f'href="/cases/{case.pk}/?evidence_page=2#evidence-panel"' in panel
    assert f'hx-get="/evidence/cases/{case.pk}/panel/?page=2"' in panel
    second = client.get(reverse("web:case", args=[case.pk]), {"evidence_page": 2}).content.decode()
    assert second[second.index('data-testid="evidence-panel"') :].count('data-testid="evidence-row"') == 5
    fragment = client.get(reverse("evidence:case_panel", args=[case.pk]), {"page": 2}, **HX)
    body = fragment.content.decode()
    assert body.startswith('<section class="card" id="evidence-panel"')
    assert body.count('data-testid="evidence-row"') == 5
    assert "<html" not in body
    oldest = Entry.objects.filter(case_id=case.pk).order_by("index").first()
    assert f">{oldest.index}<" in body


def test_panel_empty_state(users, login, case):
    html = login(users["collector"]).get(reverse("web:case", args=[case.pk])).content.decode()
    assert 'data-testid="evidence-empty"' in html
    assert "该案件还没有证据记录。" in html
    assert 'data-testid="evidence-bundle"' not in html


def test_bundle_download(ledger, users, login):
    response = login(users["legal"]).get(reverse("evidence:case_bundle", args=[ledger.world.a.case.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="evidence-case{ledger.world.a.case.pk}-'
    )
    assert zipfile.ZipFile(io.BytesIO(response.content)).testzip() is None


def test_bundle_of_a_case_without_evidence(users, login, case):
    response = login(users["legal"]).get(reverse("evidence:case_bundle", args=[case.pk]))
    assert response.status_code == 404
    assert "该案件还没有证据条目" in response.content.decode()


# --- the auditor's page ------------------------------------------------------------------------------


def test_ledger_page_shows_the_log(ledger, witness_signer, users, login):
    latest = Checkpoint.objects.order_by("-size").first()
    text = note.parse(latest.note).text
    services.cosignatures_add(
        cosigned_note=note.add_signatures(latest.note, witness_signer.cosign(text, 1_700_000_000))
    )
    _act(ledger.world.a.case.pk, "sms", datetime(2026, 1, 6, tzinfo=UTC), "sms:1", None)
    services.verification_run(actor="cli")
    html = login(users["auditor"]).get(reverse("evidence:ledger")).content.decode()
    assert f'data-testid="log-size">{latest.size}<' in html
    assert 'data-testid="log-pending">1<' in html
    assert f'data-testid="checkpoint-root">{bytes(latest.root).hex()}<' in html
    assert "— " + WITNESS_NAME in html  # the cosigned note, in its <pre>
    assert signing.origin() in html
    assert f'data-testid="verifier-key">{signing.vkey()}<' in html
    witness_row = html[html.index('data-testid="witness-row"') :]
    assert WITNESS_NAME in witness_row and f'<td class="num">{latest.size}</td>' in witness_row
    last = html[html.index('data-testid="last-verification"') :]
    assert "完好" in last[:400] and "cli" in last[:400]
    assert "尚未校验" in html[html.index('data-testid="last-full-verification"') :][:300]
    assert 'name="csrfmiddlewaretoken"' in html


def test_ledger_page_of_an_empty_log(users, login):
    html = login(users["compliance"]).get(reverse("evidence:ledger")).content.decode()
    assert 'data-testid="empty-state"' in html
    assert 'data-testid="log-size">0<' in html


def test_running_a_verification(ledger, users, login, settings):
    client = login(users["compliance"])
    response = client.post(reverse("evidence:verify"), {"full": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="verify-result"' in html
    assert f"刚刚校验：日志完好（{Entry.objects.count()} 条" in html
    row = Verification.objects.get()
    assert (row.full, row.ok, row.actor_label) == (True, True, "compliance1")
    entry = Entry.objects.get(index=ledger.no_case)
    path = settings.QINGZHAI_EVIDENCE_ARTIFACT_DIR / entry.artifact_sha256[:2] / entry.artifact_sha256[2:4]
    (path / entry.artifact_sha256).unlink()
    fragment = client.post(reverse("evidence:verify"), {"full": "1"}, **HX)
    body = fragment.content.decode()
    assert body.startswith('<section class="card" id="verifications"')
    assert "发现 1 处问题" in body
    assert f"索引 {ledger.no_case} / index {ledger.no_case}: 证据文件缺失 / missing artifact" in body
    assert Verification.objects.order_by("-id").first().ok is False


def test_verification_needs_post_and_csrf(ledger, users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["auditor"], backend=MODEL_BACKEND)
    assert client.get(reverse("evidence:verify")).status_code == 405
    assert client.post(reverse("evidence:verify")).status_code == 403
    assert not Verification.objects.exists()


def test_navigation_link_follows_the_capability(users, login):
    link = 'href="/evidence/"'
    assert link in login(users["auditor"]).get("/").content.decode()
    assert link in login(users["compliance"]).get("/").content.decode()
    assert link not in login(users["supervisor"]).get("/").content.decode()
    assert link not in login(users["collector"]).get("/").content.decode()

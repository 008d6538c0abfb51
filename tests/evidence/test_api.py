"""/api/v1/evidence/: the public log interface (checkpoints, consistency, hash tiles, cosignatures) without a
login, and the entries, proofs, case lists, bundles, status and verifications by role."""

# ruff: noqa: F811  (the fixtures are imported from other test modules, and requested by name)

from __future__ import annotations

import base64
import io
import zipfile
from datetime import datetime

import pytest
from rest_framework.test import APIClient

from qingzhai.evidence import merkle, note, record, selectors, sequencer, signing, tiles, tree
from qingzhai.evidence.models import Checkpoint, Cosignature, Entry, Outbox, Verification
from tests.evidence.world import (  # noqa: F401  (fixtures)
    WITNESS_NAME,
    _artifacts_in_tmp,
    ledger,
    queue_leaves,
    witness_signer,
)
from tests.portfolio.api.conftest import _fresh_throttles, _uploads_in_tmp, api_for, world  # noqa: F401
from tests.portfolio.api.test_errors import assert_error

pytestmark = pytest.mark.django_db

API = "/api/v1/evidence/"


def anonymous() -> APIClient:
    return APIClient()


# --- who may do what ------------------------------------------------------------------------------

ENDPOINTS = (
    "entry a",
    "entry b",
    "entry without case",
    "proof a",
    "case a entries",
    "case b entries",
    "case a bundle",
    "status",
    "verify",
)
MATRIX = {
    "admin": (200, 200, 200, 200, 200, 200, 200, 200, 201),
    "compliance": (200, 200, 200, 200, 200, 200, 200, 200, 201),
    "auditor": (200, 200, 200, 200, 200, 200, 403, 200, 201),
    "supervisor": (200, 200, 404, 200, 200, 200, 200, 403, 403),
    "legal": (200, 200, 404, 200, 200, 200, 200, 403, 403),
    "collector": (200, 404, 404, 200, 200, 404, 403, 403, 403),
    "creditor_viewer": (403,) * 9,
}


def _calls(ledger):
    a, b = ledger.world.a.case.pk, ledger.world.b.case.pk
    return [
        ("get", f"{API}entries/{ledger.a[0]}/"),
        ("get", f"{API}entries/{ledger.b[0]}/"),
        ("get", f"{API}entries/{ledger.no_case}/"),
        ("get", f"{API}entries/{ledger.a[0]}/proof/"),
        ("get", f"{API}cases/{a}/entries/"),
        ("get", f"{API}cases/{b}/entries/"),
        ("get", f"{API}cases/{a}/bundle/"),
        ("get", f"{API}status/"),
        ("post", f"{API}verifications/"),
    ]


@pytest.mark.parametrize("role", sorted(MATRIX))
def test_permission_matrix(role, ledger, api_for):
    client = api_for(role)
    got = []
    for method, url in _calls(ledger):
        response = getattr(client, method)(url, {}, format="json") if method == "post" else client.get(url)
        if response.status_code >= 400:
            assert_error(response, response.status_code, response.json()["code"])
        got.append(response.status_code)
    assert dict(zip(ENDPOINTS, got, strict=True)) == dict(zip(ENDPOINTS, MATRIX[role], strict=True))


def test_anonymous_is_refused_the_private_endpoints(ledger):
    for method, url in _calls(ledger):
        response = getattr(anonymous(), method)(url)
        assert_error(response, 401, "not_authenticated")
        assert response["WWW-Authenticate"] == "Token"


def test_a_collector_sees_only_the_assigned_cases_evidence(ledger, api_for):
    client = api_for("collector")
    listed = client.get(f"{API}cases/{ledger.world.a.case.pk}/entries/").json()
    assert [row["index"] for row in listed["results"]] == sorted(ledger.a, reverse=True)
    for index in ledger.b:
        assert_error(client.get(f"{API}entries/{index}/"), 404, "not_found")
        assert_error(client.get(f"{API}entries/{index}/proof/"), 404, "not_found")
    assert_error(client.get(f"{API}cases/{ledger.world.b.case.pk}/entries/"), 404, "not_found")


# --- entries ----------------------------------------------------------------------------------------


def test_an_entry_is_its_leaf_record_with_index_and_hash(ledger, api_for):
    index = ledger.a[0]
    body = api_for("supervisor").get(f"{API}entries/{index}/").json()
    entry = Entry.objects.get(index=index)
    assert set(body) == {"index", "leaf_hash", "leaf", "record"}
    assert body["index"] == index
    assert body["leaf"].encode() == bytes(entry.data)
    assert body["leaf_hash"] == merkle.leaf_hash(body["leaf"].encode()).hex()
    assert body["record"] == selectors.entry_record(entry)
    assert body["record"]["case"] == ledger.world.a.case.pk


def test_an_unknown_or_huge_index_is_404(ledger, api_for):
    client = api_for("admin")
    assert_error(client.get(f"{API}entries/{10**6}/"), 404, "not_found")
    assert_error(client.get(f"{API}entries/{2**64}/"), 404, "not_found")
    assert_error(client.get(f"{API}entries/{2**64}/proof/"), 404, "not_found")


def test_inclusion_proof_verifies_against_the_signed_checkpoint(ledger, api_for):
    client = api_for("legal")
    index = ledger.a[1]
    body = client.get(f"{API}entries/{index}/proof/").json()
    latest = Checkpoint.objects.order_by("-size").first()
    assert (body["index"], body["size"]) == (index, latest.size)
    opened, _ = note.open_note(body["checkpoint"], [signing.verifier()])
    root = base64.b64decode(opened.text.splitlines()[2])
    proof = [base64.b64decode(h) for h in body["proof"]]
    merkle.verify_inclusion(index, latest.size, bytes.fromhex(body["leaf_hash"]), proof, root)
    # An older size that covers the entry, then sizes that do not.
    older = Checkpoint.objects.filter(size__gt=index).order_by("size").first()
    assert client.get(f"{API}entries/{index}/proof/", {"size": older.size}).json()["size"] == older.size
    assert_error(client.get(f"{API}entries/{index}/proof/", {"size": 10**9}), 404, "no_checkpoint", {"size"})
    assert_error(client.get(f"{API}entries/{index}/proof/", {"size": 0}), 400, "invalid", {"size"})


def test_case_entries_rows(ledger, api_for):
    body = api_for("auditor").get(f"{API}cases/{ledger.world.a.case.pk}/entries/").json()
    assert body["count"] == len(ledger.a)
    first = body["results"][0]
    entry = Entry.objects.get(index=first["index"])
    rec = selectors.entry_record(entry)
    assert set(first) == {
        "index",
        "type",
        "type_zh",
        "type_en",
        "time",
        "subject",
        "artifact",
        "leaf_hash",
        "checkpoint_size",
    }
    assert (first["type"], first["type_zh"], first["type_en"]) == (entry.kind, *record.KINDS[entry.kind])
    assert first["subject"] == entry.subject
    assert first["artifact"] == rec["artifact"]
    assert first["leaf_hash"] == bytes(entry.leaf_hash).hex()
    assert (
        first["checkpoint_size"] == Checkpoint.objects.filter(size__gt=entry.index).order_by("size")[0].size
    )
    assert datetime.fromisoformat(first["time"]) == datetime.fromisoformat(rec["time"].replace("Z", "+00:00"))
    paged = api_for("auditor").get(f"{API}cases/{ledger.world.a.case.pk}/entries/", {"page_size": 1}).json()
    assert (paged["count"], len(paged["results"]), paged["next"] is not None) == (len(ledger.a), 1, True)


def test_bundle_downloads_a_zip(ledger, api_for):
    response = api_for("legal").get(
        f"{API}cases/{ledger.world.a.case.pk}/bundle/", HTTP_ACCEPT="application/zip"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="evidence-case')
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert len(names) > len(ledger.a)


def test_bundle_of_a_case_without_evidence_is_404(world, api_for):
    Outbox.objects.filter(case_id=world.b.case.pk).delete()
    assert_error(api_for("admin").get(f"{API}cases/{world.b.case.pk}/bundle/"), 404, "no_evidence")


# --- status and verification ------------------------------------------------------------------------


def test_status(ledger, witness_signer, api_for):
    body = api_for("auditor").get(f"{API}status/").json()
    latest = Checkpoint.objects.order_by("-size").first()
    assert body["size"] == Entry.objects.count() == latest.size
    assert body["pending"] == 0
    assert body["origin"] == signing.origin()
    assert body["verifier_key"] == signing.vkey()
    assert body["checkpoint"]["size"] == latest.size
    assert body["checkpoint"]["root"] == bytes(latest.root).hex()
    assert body["checkpoint"]["note"] == latest.note
    assert [(w["name"], w["active"], w["latest_size"], w["cosignatures"]) for w in body["witnesses"]] == [
        (WITNESS_NAME, True, None, 0)
    ]
    assert (body["last_verification"], body["last_full_verification"]) == (None, None)


def test_verification_runs_and_is_kept(ledger, api_for, settings):
    client = api_for("compliance")
    response = client.post(f"{API}verifications/", {"full": True}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["ok"], body["full"], body["size"], body["problems"]) == (
        True,
        True,
        Entry.objects.count(),
        [],
    )
    assert body["artifacts_checked"] > 0
    row = Verification.objects.get()
    assert (row.pk, row.ok, row.full, row.actor_label) == (body["id"], True, True, "compliance1")
    status = client.get(f"{API}status/").json()
    assert status["last_full_verification"]["id"] == row.pk
    assert status["last_verification"]["ok"] is True


def test_verification_names_a_missing_artifact(ledger, api_for, settings):
    entry = Entry.objects.get(index=ledger.no_case)
    path = settings.QINGZHAI_EVIDENCE_ARTIFACT_DIR / entry.artifact_sha256[:2] / entry.artifact_sha256[2:4]
    (path / entry.artifact_sha256).unlink()
    client = api_for("auditor")
    quick = client.post(f"{API}verifications/", {}, format="json").json()
    assert quick["ok"] is True  # a quick run does not read the files
    full = client.post(f"{API}verifications/", {"full": True}, format="json").json()
    assert full["ok"] is False
    assert [(p["index"], p["kind"]) for p in full["problems"]] == [(ledger.no_case, "missing_artifact")]
    assert "证据文件缺失 / missing artifact" in full["problems"][0]["text"]


def test_verification_input_is_checked(api_for, db):
    assert_error(
        api_for("admin").post(f"{API}verifications/", {"full": "maybe"}, format="json"),
        400,
        "invalid",
        {"full"},
    )


# --- the public log interface -----------------------------------------------------------------------


def test_checkpoint_is_public_text_with_cosignatures(ledger, witness_signer):
    response = anonymous().get(f"{API}checkpoint", HTTP_ACCEPT="text/plain")
    latest = Checkpoint.objects.order_by("-size").first()
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == latest.note
    text = note.parse(latest.note).text
    cosigned = note.add_signatures(latest.note, witness_signer.cosign(text, 1_700_000_000))
    assert anonymous().post(f"{API}cosignatures", cosigned, content_type="text/plain").status_code == 201
    again = anonymous().get(f"{API}checkpoint").content.decode()
    opened, sigs = note.open_note(again, [signing.verifier(), witness_signer.verifier()])
    assert [s.name for s in sigs] == [signing.origin(), WITNESS_NAME]
    assert opened.text == text


def test_checkpoint_of_a_size(ledger):
    sizes = list(Checkpoint.objects.order_by("size").values_list("size", flat=True))
    assert len(sizes) >= 2
    response = anonymous().get(f"{API}checkpoints/{sizes[0]}")
    assert response.status_code == 200
    assert response.content.decode() == Checkpoint.objects.get(size=sizes[0]).note
    assert_error(anonymous().get(f"{API}checkpoints/{sizes[-1] + 1}"), 404, "no_checkpoint", {"size"})
    assert_error(anonymous().get(f"{API}checkpoints/{2**64}"), 404, "not_found")


def test_an_empty_log_has_no_checkpoint(db):
    assert_error(anonymous().get(f"{API}checkpoint", HTTP_ACCEPT="text/plain"), 404, "log_empty")


def test_consistency_proofs_equal_the_reference(db):
    leaves = queue_leaves(13)
    sequencer.run()
    hashes = [merkle.leaf_hash(x) for x in leaves]
    for old, new in [(0, 13), (1, 13), (5, 13), (8, 13), (13, 13), (3, 7)]:
        body = anonymous().get(f"{API}consistency", {"old": old, "new": new}).json()
        assert body == {
            "old": old,
            "new": new,
            "proof": [base64.b64encode(h).decode() for h in merkle.consistency_proof(hashes[:new], old)],
        }
    assert_error(
        anonymous().get(f"{API}consistency", {"old": 5, "new": 14}), 400, "bad_sizes", {"old", "new"}
    )
    assert_error(anonymous().get(f"{API}consistency", {"old": 6, "new": 5}), 400, "bad_sizes", {"old", "new"})
    assert_error(anonymous().get(f"{API}consistency", {"old": "x"}), 400, "invalid", {"old", "new"})


def test_hash_tiles_hold_the_merkle_hashes(db):
    leaves = queue_leaves(300)
    sequencer.run()
    hashes = [merkle.leaf_hash(x) for x in leaves]

    def tile(path: str):
        return anonymous().get(f"{API}{path}", HTTP_ACCEPT="application/octet-stream")

    full = tile("tile/0/000")
    assert full.status_code == 200
    assert full["Content-Type"] == "application/octet-stream"
    assert "immutable" in full["Cache-Control"]
    assert full.content == b"".join(hashes[:256])
    partial = tile("tile/0/001.p/44")
    assert (partial.status_code, partial.content) == (200, b"".join(hashes[256:300]))
    assert partial["Cache-Control"] == "no-cache"
    assert tile("tile/0/001.p/10").content == b"".join(hashes[256:266])
    level1 = tile("tile/1/000.p/1")
    assert level1.content == merkle.root_from_leaf_hashes(hashes[:256])
    assert tiles.tiles_for_size(300) == [(0, 0, 256), (0, 1, 44), (1, 0, 1)]

    def fetch(level: int, index: int, width: int) -> bytes:
        response = tile(tiles.tile_path(level, index, width))
        assert response.status_code == 200
        return response.content

    assert tiles.root_from_tiles(300, fetch) == merkle.root_from_leaf_hashes(hashes) == tree.root(300)
    for missing in ("tile/0/001", "tile/0/001.p/45", "tile/1/000", "tile/2/000.p/1", "tile/0/002.p/1"):
        assert_error(tile(missing), 404, "no_tile")
    for odd in (
        "tile/0/0",
        "tile/0/x000/001",
        "tile/0/001.p/0",
        "tile/0/001.p/256",
        "tile/0/001.p/044",
        "tile/64/000",
        "tile/0/000/",
        "tile/0/٠٠٠",
    ):
        assert_error(tile(odd), 404, "no_tile")
    assert_error(tile("tile/entries/000"), 404, "not_found")


def test_tiles_follow_the_latest_checkpoint_not_unsigned_leaves(db):
    queue_leaves(3)
    sequencer.run()
    queue_leaves(2, start=3)
    sequencer.append_batch()  # stored, not yet signed
    assert anonymous().get(f"{API}tile/0/000.p/3").status_code == 200
    assert_error(anonymous().get(f"{API}tile/0/000.p/5"), 404, "no_tile")


# --- cosignatures -----------------------------------------------------------------------------------


def _cosigned(signer: note.CosignatureSigner, checkpoint: Checkpoint, at: int = 1_700_000_000) -> str:
    return note.add_signatures(checkpoint.note, signer.cosign(note.parse(checkpoint.note).text, at))


def post_note(text: str | bytes, content_type: str = "text/plain; charset=utf-8"):
    return anonymous().post(f"{API}cosignatures", text, content_type=content_type)


def test_a_registered_witness_cosignature_is_accepted_once(ledger, witness_signer):
    latest = Checkpoint.objects.order_by("-size").first()
    response = post_note(_cosigned(witness_signer, latest))
    assert response.status_code == 201
    [row] = response.json()["accepted"]
    assert (row["witness"], row["size"], row["signed_at"]) == (
        WITNESS_NAME,
        latest.size,
        "2023-11-15T06:13:20+08:00",
    )
    assert Cosignature.objects.get().checkpoint_id == latest.size
    again = post_note(_cosigned(witness_signer, latest, at=1_700_000_100))
    assert (again.status_code, again.json()) == (200, {"accepted": []})
    assert Cosignature.objects.count() == 1


def test_an_older_checkpoint_may_be_cosigned(ledger, witness_signer):
    oldest = Checkpoint.objects.order_by("size").first()
    assert post_note(_cosigned(witness_signer, oldest)).json()["accepted"][0]["size"] == oldest.size


def test_an_unknown_witness_is_refused(ledger, witness_signer):
    stranger = note.CosignatureSigner.generate("stranger.example")
    latest = Checkpoint.objects.order_by("-size").first()
    assert_error(post_note(_cosigned(stranger, latest)), 403, "no_known_witness")
    assert not Cosignature.objects.exists()


def test_an_inactive_witness_is_refused(ledger, witness_signer):
    from qingzhai.evidence import services
    from qingzhai.evidence.models import Witness

    services.witness_set_active(actor="cli", witness_id=Witness.objects.get().pk, active=False)
    latest = Checkpoint.objects.order_by("-size").first()
    assert_error(post_note(_cosigned(witness_signer, latest)), 403, "no_known_witness")


def test_a_tampered_cosignature_is_refused(ledger, witness_signer):
    latest = Checkpoint.objects.order_by("-size").first()
    text = note.parse(latest.note).text
    sig = witness_signer.cosign(text, 1_700_000_000)
    blob = bytearray(sig.blob)
    blob[-1] ^= 1
    forged = note.add_signatures(latest.note, note.Signature(sig.name, sig.key_id, bytes(blob)))
    assert_error(post_note(forged), 400, "bad_cosignature", {"note"})
    # A cosignature over another text (a forked checkpoint) is refused as not issued by this log.
    other = text.replace(f"\n{latest.size}\n", f"\n{latest.size + 1}\n")
    fork = note.format_note(note.Note(other, (witness_signer.cosign(other, 1_700_000_000),)))
    assert_error(post_note(fork), 404, "unknown_checkpoint")
    assert not Cosignature.objects.exists()


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code"),
    [
        ("", "text/plain", 400, "malformed_note"),
        ("not a note", "text/plain", 400, "malformed_note"),
        (b"\xff\xfe", "text/plain", 400, "malformed_note"),
        ('{"note": "x"}', "application/json", 415, "unsupported_media_type"),
        ("a" * (64 * 1024 + 1), "text/plain", 413, "too_large"),
    ],
)
def test_bad_cosignature_bodies(body, content_type, status, code, db):
    response = post_note(body, content_type)
    assert response.status_code == status
    assert response.json()["code"] == code


def test_the_public_post_needs_no_csrf_token(ledger, witness_signer, users):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["admin"], backend="django.contrib.auth.backends.ModelBackend")
    latest = Checkpoint.objects.order_by("-size").first()
    response = client.post(f"{API}cosignatures", _cosigned(witness_signer, latest), content_type="text/plain")
    assert response.status_code == 201


def test_world_acts_are_recorded_per_case(world):
    """The evidence the portfolio services record is what the other tests rely on."""
    sequencer.run()
    kinds_a = sorted(Entry.objects.filter(case_id=world.a.case.pk).values_list("kind", flat=True))
    assert {"payment", "promise", "activity"} <= set(kinds_a)

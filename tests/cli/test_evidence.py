"""`qingzhai evidence append | checkpoint | prove | consistency | leaf | key | verify | bundle`."""

from __future__ import annotations

import base64
import json
import zipfile

import pytest
from typer.testing import CliRunner

from qingzhai.cli import app
from qingzhai.cli import evidence as _evidence_command  # noqa: F401  (registers the commands)
from qingzhai.evidence import merkle, note, signing
from qingzhai.evidence.checkpoint import parse_checkpoint
from qingzhai.evidence.tlog_proof import verify_tlog_proof

pytestmark = pytest.mark.django_db
runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["evidence", *args])
    return result.exit_code, result.output


@pytest.fixture
def files(tmp_path):
    out = []
    for i in range(5):
        path = tmp_path / f"record-{i}.txt"
        path.write_bytes(f"通话记录 {i}\n".encode())
        out.append(path)
    return out


def test_append_then_prove_every_leaf_against_the_checkpoint(files, case):
    code, out = run("append", *map(str, files), "--type", "document", "--case", str(case.pk), "--json")
    assert code == 0, out
    entries = json.loads(out)["entries"]
    assert [e["index"] for e in entries] == [0, 1, 2, 3, 4]
    code, checkpoint_text = run("checkpoint")
    opened, _ = note.open_note(checkpoint_text, [signing.verifier()])
    root = parse_checkpoint(opened.text).root
    for e in entries:
        code, out = run("prove", str(e["index"]), "--json")
        proof = json.loads(out)
        assert set(proof) == {"index", "size", "leaf_hash", "proof", "checkpoint"}
        assert (proof["index"], proof["size"], proof["leaf_hash"]) == (e["index"], 5, e["leaf_hash"])
        hashes = [base64.b64decode(h) for h in proof["proof"]]
        merkle.verify_inclusion(e["index"], 5, bytes.fromhex(e["leaf_hash"]), hashes, root)
        code, text = run("prove", str(e["index"]))
        code, leaf = run("leaf", str(e["index"]))
        verify_tlog_proof(text, leaf.encode(), signing.verifier())
    code, out = run("leaf", "2", "--json")
    record = json.loads(out)
    assert (record["type"], record["case"], record["subject"]) == ("document", case.pk, "file:record-2.txt")
    assert (
        merkle.leaf_hash(
            json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
        ).hex()
        == entries[2]["leaf_hash"]
    )


def test_consistency_between_two_sizes(files):
    run("append", *map(str, files[:2]), "--json")
    code, first = run("checkpoint")
    run("append", *map(str, files[2:]), "--json")
    code, second = run("checkpoint")
    code, out = run("consistency", "2", "5", "--json")
    assert code == 0
    proof = json.loads(out)
    assert (proof["old"], proof["new"]) == (2, 5)
    old = parse_checkpoint(note.parse(first).text)
    new = parse_checkpoint(note.parse(second).text)
    merkle.verify_consistency(2, 5, old.root, new.root, [base64.b64decode(h) for h in proof["proof"]])


def test_key_is_the_checkpoint_signer():
    _code, out = run("key")
    assert out.strip() == signing.vkey()
    assert note.Verifier.from_vkey(out.strip()).name == signing.origin()


def test_errors_exit_2_with_a_message(files, tmp_path):
    assert run("checkpoint")[0] == 2  # empty log
    code, out = run("append", str(tmp_path / "missing.pdf"), "--json")
    assert (code, json.loads(out)["code"]) == (2, "unreadable")
    code, out = run("append", str(files[0]), "--type", "gossip", "--json")
    assert (code, json.loads(out)["code"]) == (2, "invalid_choice")
    code, out = run("append", str(files[0]), "--case", "999999", "--json")
    assert (code, json.loads(out)["code"]) == (2, "not_found")
    run("append", str(files[0]), "--json")
    code, out = run("prove", "7", "--json")
    assert (code, json.loads(out)["code"]) == (2, "index_out_of_range")
    code, out = run("prove", "0", "--size", "3", "--json")
    assert (code, json.loads(out)["code"]) == (2, "no_checkpoint")
    code, out = run("consistency", "2", "1", "--json")
    assert (code, json.loads(out)["code"]) == (2, "bad_sizes")
    assert run("leaf", "9", "--json")[0] == 2


def test_verify_exit_codes(files, settings):
    run("append", *map(str, files), "--json")
    code, out = run("verify", "--full", "--json")
    report = json.loads(out)
    assert (code, report["ok"], report["size"], report["artifacts_checked"]) == (0, True, 5, 5)
    from qingzhai.evidence import artifacts
    from qingzhai.evidence.models import Entry

    path = artifacts.store().path(Entry.objects.get(index=3).artifact_sha256)
    path.chmod(0o640)
    path.write_bytes(b"edited")
    code, out = run("verify", "--full", "--json")
    report = json.loads(out)
    assert (code, report["ok"], report["first_bad_index"], report["problems"][0]["kind"]) == (
        1,
        False,
        3,
        "changed_artifact",
    )
    code, out = run("verify", "--full")
    assert code == 1 and "索引 3 / index 3" in out


def test_bundle_for_a_case(case, supervisor, tmp_path):
    from qingzhai.core.clock import business_today
    from qingzhai.portfolio import services

    services.payment_record(
        actor=supervisor, debt_id=case.debts.first().pk, amount_fen=10_000, paid_on=business_today()
    )
    target = tmp_path / "bundle.zip"
    code, out = run("bundle", str(case.pk), "-o", str(target))
    assert code == 0, out
    with zipfile.ZipFile(target) as zf:
        names = zf.namelist()
        manifest = json.loads(zf.read("manifest.json"))
    assert {"manifest.json", "checkpoint.txt", "verifier-key.txt", "index.pdf", "verify.py"} <= set(names)
    assert [e["type"] for e in manifest["entries"]] == ["payment"]
    assert run("bundle", "999999", "-o", str(tmp_path / "x.zip"))[0] == 2

"""The witness: its decisions on fake logs (pure), and `qingzhai evidence witness run` end to end against a
live server."""

from __future__ import annotations

import base64
import json
import urllib.request

import pytest
from typer.testing import CliRunner

from qingzhai.cli import app
from qingzhai.cli import evidence as _evidence_commands  # noqa: F401  (registers the commands)
from qingzhai.evidence import merkle, note, sequencer, services, signing, witness_client
from qingzhai.evidence.checkpoint import Checkpoint, format_checkpoint, parse_checkpoint
from qingzhai.evidence.models import Checkpoint as CheckpointRow
from qingzhai.evidence.models import Cosignature
from qingzhai.evidence.witness_client import State, WitnessError
from tests.evidence.world import _artifacts_in_tmp, queue_leaves  # noqa: F401  (fixture)

ORIGIN = "log.example/evidence"
NOW = 1_760_000_000


class FakeLog:
    """A log in memory: its leaves, signed checkpoints at any size, consistency proofs as the API answers."""

    def __init__(self, signer: note.Signer, tag: str = "a", origin: str = ORIGIN) -> None:
        self.signer = signer
        self.origin = origin
        self.hashes = [merkle.leaf_hash(f"{tag}:{i}".encode()) for i in range(40)]
        self.asked: list[tuple[int, int]] = []

    def root(self, size: int) -> bytes:
        return merkle.root_from_leaf_hashes(self.hashes[:size])

    def checkpoint(self, size: int) -> str:
        text = format_checkpoint(Checkpoint(origin=self.origin, size=size, root=self.root(size)))
        return note.sign_note(text, self.signer)

    def proof(self, old: int, new: int) -> str:
        self.asked.append((old, new))
        hashes = merkle.consistency_proof(self.hashes[:new], old)
        return json.dumps({"old": old, "new": new, "proof": [base64.b64encode(h).decode() for h in hashes]})

    def state(self, size: int) -> State:
        return State(origin=self.origin, size=size, root=self.root(size))


@pytest.fixture(scope="module")
def log_signer() -> note.Signer:
    return note.Signer.generate(ORIGIN)


@pytest.fixture(scope="module")
def witness() -> note.CosignatureSigner:
    return note.CosignatureSigner.generate("witness.example")


def run_round(
    log: FakeLog, state: State | None, witness: note.CosignatureSigner, size: int
) -> witness_client.Round:
    return witness_client.witness_round(
        checkpoint_text=log.checkpoint(size),
        state=state,
        fetch_proof=log.proof,
        log_vkey=log.signer.verifier().vkey(),
        witness_skey=witness.skey(),
        timestamp=NOW,
    )


# --- pure decisions ---------------------------------------------------------------------------------


def test_first_round_trusts_and_cosigns(log_signer, witness):
    log = FakeLog(log_signer)
    done = run_round(log, None, witness, 7)
    assert done.old is None
    assert (done.new.origin, done.new.size, done.new.root) == (ORIGIN, 7, log.root(7))
    assert log.asked == []
    opened, sigs = note.open_note(done.cosigned_note, [log_signer.verifier(), witness.verifier()])
    assert [s.name for s in sigs] == [ORIGIN, "witness.example"]
    assert parse_checkpoint(opened.text).size == 7
    assert witness.verifier().timestamp(sigs[1]) == NOW


def test_a_grown_log_is_cosigned_after_a_consistency_proof(log_signer, witness):
    log = FakeLog(log_signer)
    done = run_round(log, log.state(5), witness, 13)
    assert log.asked == [(5, 13)]
    assert (done.old.size, done.new.size) == (5, 13)


def test_the_same_checkpoint_again_needs_no_proof(log_signer, witness):
    log = FakeLog(log_signer)
    assert run_round(log, log.state(9), witness, 9).new.size == 9
    assert log.asked == []


def test_rollback_is_refused(log_signer, witness):
    log = FakeLog(log_signer)
    with pytest.raises(WitnessError) as caught:
        run_round(log, log.state(20), witness, 12)
    assert caught.value.code == "rollback"
    assert not caught.value.usage
    assert "20" in caught.value.message and "12" in caught.value.message


def test_another_root_at_the_same_size_is_a_fork(log_signer, witness):
    honest, forked = FakeLog(log_signer, "a"), FakeLog(log_signer, "b")
    with pytest.raises(WitnessError) as caught:
        run_round(forked, honest.state(10), witness, 10)
    assert caught.value.code == "fork"


def test_a_log_that_does_not_extend_the_old_one_is_refused(log_signer, witness):
    honest, forked = FakeLog(log_signer, "a"), FakeLog(log_signer, "b")
    with pytest.raises(WitnessError) as caught:
        run_round(forked, honest.state(6), witness, 15)
    assert caught.value.code == "inconsistent"
    assert forked.asked == [(6, 15)]


def test_a_proof_about_other_sizes_is_refused(log_signer, witness):
    log = FakeLog(log_signer)

    def lying(old: int, new: int) -> str:
        return log.proof(old + 1, new)

    with pytest.raises(WitnessError) as caught:
        witness_client.witness_round(
            checkpoint_text=log.checkpoint(12),
            state=log.state(4),
            fetch_proof=lying,
            log_vkey=log_signer.verifier().vkey(),
            witness_skey=witness.skey(),
            timestamp=NOW,
        )
    assert caught.value.code == "bad_proof"


def test_a_checkpoint_signed_by_another_key_is_refused(log_signer, witness):
    impostor = FakeLog(note.Signer.generate(ORIGIN))
    with pytest.raises(WitnessError) as caught:
        witness_client.witness_round(
            checkpoint_text=impostor.checkpoint(3),
            state=None,
            fetch_proof=impostor.proof,
            log_vkey=log_signer.verifier().vkey(),
            witness_skey=witness.skey(),
            timestamp=NOW,
        )
    assert caught.value.code == "bad_checkpoint"


def test_origins_must_match(log_signer, witness):
    other_origin = FakeLog(log_signer, origin="another.example/log")
    with pytest.raises(WitnessError) as caught:
        run_round(other_origin, None, witness, 3)
    assert caught.value.code == "wrong_origin"
    log = FakeLog(log_signer)
    moved = State(origin="old.example/log", size=2, root=log.root(2))
    with pytest.raises(WitnessError) as caught:
        run_round(log, moved, witness, 3)
    assert caught.value.code == "wrong_origin"


def test_state_round_trip_and_bad_state():
    state = State(origin=ORIGIN, size=5, root=b"\x07" * 32, checkpoint="x\n5\nroot\n")
    assert witness_client.load_state(witness_client.dump_state(state)) == state
    assert witness_client.load_state(None) is None
    assert witness_client.load_state("  \n") is None
    for bad in ("{", '{"origin": "o", "size": 1, "root": "AAAA"}', '{"size": 1}', "[]"):
        with pytest.raises(WitnessError) as caught:
            witness_client.load_state(bad)
        assert (caught.value.code, caught.value.usage) == ("bad_state", True)


def test_bad_keys_are_usage_errors(log_signer, witness):
    log = FakeLog(log_signer)
    for log_vkey, skey, code in [
        ("nonsense", witness.skey(), "bad_log_key"),
        (log_signer.verifier().vkey(), "PRIVATE+KEY+nonsense", "bad_witness_key"),
        (log_signer.verifier().vkey(), log_signer.skey(), "bad_witness_key"),  # a note key, not a cosigner's
    ]:
        with pytest.raises(WitnessError) as caught:
            witness_client.witness_round(
                checkpoint_text=log.checkpoint(2),
                state=None,
                fetch_proof=log.proof,
                log_vkey=log_vkey,
                witness_skey=skey,
                timestamp=NOW,
            )
        assert (caught.value.code, caught.value.usage) == (code, True)


# --- the command, against a live server --------------------------------------------------------------

runner = CliRunner()


def anonymous_checkpoint(url: str) -> str:
    with urllib.request.urlopen(url + "/api/v1/evidence/checkpoint", timeout=10) as response:
        return response.read().decode()


def witness_run(url: str, skey: str, state_path) -> tuple[int, dict]:
    result = runner.invoke(
        app,
        [
            "evidence",
            "witness",
            "run",
            "--log",
            url,
            "--log-key",
            signing.vkey(),
            "--witness-key",
            skey,
            "--state",
            str(state_path),
            "--json",
        ],
    )
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.django_db(transaction=True)
def test_witness_run_end_to_end(live_server, tmp_path):
    signer = note.CosignatureSigner.generate("witness.court.example")
    services.witness_add(actor="cli", vkey=signer.verifier().vkey())
    state_path = tmp_path / "state" / "witness.json"
    queue_leaves(5)
    sequencer.run()

    code, out = witness_run(live_server.url, signer.skey(), state_path)
    assert (code, out["ok"], out["old_size"], out["size"]) == (0, True, None, 5)
    assert [(a["witness"], a["size"]) for a in out["accepted"]] == [("witness.court.example", 5)]
    assert json.loads(state_path.read_text())["size"] == 5

    queue_leaves(4, start=5)
    sequencer.run()
    code, out = witness_run(live_server.url + "/api/v1/evidence/", signer.skey(), state_path)
    assert (code, out["old_size"], out["size"], len(out["accepted"])) == (0, 5, 9, 1)

    code, out = witness_run(live_server.url, signer.skey(), state_path)  # nothing new: cosigned before
    assert (code, out["old_size"], out["size"], out["accepted"]) == (0, 9, 9, [])
    assert sorted(Cosignature.objects.values_list("checkpoint_id", flat=True)) == [5, 9]
    served = anonymous_checkpoint(live_server.url)
    opened, sigs = note.open_note(served, [signing.verifier(), signer.verifier()])
    assert (parse_checkpoint(opened.text).size, len(sigs)) == (9, 2)


@pytest.mark.django_db(transaction=True)
def test_witness_run_refuses_a_rollback_and_a_fork(live_server, tmp_path):
    signer = note.CosignatureSigner.generate("witness.court.example")
    services.witness_add(actor="cli", vkey=signer.verifier().vkey())
    queue_leaves(6)
    sequencer.run()
    state_path = tmp_path / "witness.json"

    # The witness saw a bigger tree before: the log now serving size 6 went back.
    seen = State(origin=signing.origin(), size=8, root=b"\x01" * 32)
    state_path.write_text(witness_client.dump_state(seen))
    code, out = witness_run(live_server.url, signer.skey(), state_path)
    assert (code, out["ok"], out["code"]) == (1, False, "rollback")
    assert witness_client.load_state(state_path.read_text()) == seen  # the state does not move

    # The witness saw another root at the same size.
    seen = State(origin=signing.origin(), size=6, root=b"\x02" * 32)
    state_path.write_text(witness_client.dump_state(seen))
    code, out = witness_run(live_server.url, signer.skey(), state_path)
    assert (code, out["code"]) == (1, "fork")

    # The witness saw a size-4 tree with another root: the log's proof cannot reach it.
    state_path.write_text(
        witness_client.dump_state(State(origin=signing.origin(), size=4, root=b"\x03" * 32))
    )
    code, out = witness_run(live_server.url, signer.skey(), state_path)
    assert (code, out["code"]) == (1, "inconsistent")
    assert not Cosignature.objects.exists()
    assert CheckpointRow.objects.get().size == 6


@pytest.mark.django_db(transaction=True)
def test_witness_run_when_the_log_refuses_or_cannot_be_reached(live_server, tmp_path):
    stranger = note.CosignatureSigner.generate("not.registered.example")
    state_path = tmp_path / "witness.json"
    code, out = witness_run(live_server.url, stranger.skey(), state_path)
    assert (code, out["code"]) == (2, "unreachable")  # an empty log: no checkpoint to witness
    queue_leaves(2)
    sequencer.run()
    code, out = witness_run(live_server.url, stranger.skey(), state_path)
    assert (code, out["code"]) == (1, "cosignature_refused")
    assert "no_known_witness" in out["message"]
    assert json.loads(state_path.read_text())["size"] == 2  # verified, so remembered
    code, out = witness_run("http://127.0.0.1:9", stranger.skey(), state_path)
    assert (code, out["code"]) == (2, "unreachable")


def test_witness_run_takes_only_http_urls(tmp_path, witness):
    code, out = witness_run("file:///etc/passwd", witness.skey(), tmp_path / "state.json")
    assert (code, out["code"]) == (2, "bad_log_url")
    assert not (tmp_path / "state.json").exists()

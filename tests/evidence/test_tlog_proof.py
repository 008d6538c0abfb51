"""c2sp.org/tlog-proof@v1: the vector proof (shared set and local subset) with its negatives, the line rules,
and proofs made end to end with merkle.py, note.py and checkpoint.py."""

from __future__ import annotations

import base64

import pytest

from qingzhai.evidence import merkle
from qingzhai.evidence import note as N
from qingzhai.evidence.checkpoint import Checkpoint, format_checkpoint
from qingzhai.evidence.tlog_proof import (
    TlogProof,
    TlogProofError,
    format_tlog_proof,
    parse_tlog_proof,
    verify_tlog_proof,
)

from .tlog_vectors import files


def keys(vectors):
    tp = vectors["tlog_proof"]
    return N.Verifier.from_vkey(tp["log_vkey"]), N.CosignatureVerifier.from_vkey(tp["witness_vkey"])


@pytest.mark.parametrize("vectors", files("signed-note.json"))
def test_vector_proof(vectors):
    tp = vectors["tlog_proof"]
    log, witness = keys(vectors)
    proof = parse_tlog_proof(tp["proof"])
    assert proof.index == tp["expect"]["index"] == 5
    assert proof.extra is None
    assert len(proof.proof) == 3
    assert proof.checkpoint == vectors["cosignature_v1"]["checkpoint_with_cosignature"]
    assert format_tlog_proof(proof) == tp["proof"]
    leaf = bytes.fromhex(tp["leaf_data_hex"])
    assert merkle.leaf_hash(leaf).hex() == tp["leaf_hash_hex"]
    want = Checkpoint(log.name, tp["expect"]["tree_size"], bytes.fromhex(tp["expect"]["root_hash_hex"]))
    assert verify_tlog_proof(tp["proof"], leaf, log) == want
    assert verify_tlog_proof(tp["proof"], leaf, log, witnesses=[witness], min_witnesses=1) == want


@pytest.mark.parametrize("vectors", files("signed-note.json"))
def test_vector_negatives(vectors):
    tp = vectors["tlog_proof"]
    log, witness = keys(vectors)
    leaf = bytes.fromhex(tp["leaf_data_hex"])
    negatives = {n["id"]: n for n in tp["negative"]}
    assert set(negatives) == {"wrong-index", "wrong-leaf"}
    assert parse_tlog_proof(negatives["wrong-index"]["proof"]).index == 4
    with pytest.raises(TlogProofError, match=r"^inclusion proof failed"):
        verify_tlog_proof(negatives["wrong-index"]["proof"], leaf, log, witnesses=[witness], min_witnesses=1)
    with pytest.raises(TlogProofError, match=r"^inclusion proof failed"):
        verify_tlog_proof(tp["proof"], bytes.fromhex("40414244"), log, witnesses=[witness], min_witnesses=1)

    # the log key must have signed and must be named as the origin; witnesses are counted
    impostor = N.Signer.generate(log.name).verifier()
    with pytest.raises(
        TlogProofError, match=r"^checkpoint signature check failed: no signature by a known key"
    ):
        verify_tlog_proof(tp["proof"], leaf, impostor)
    with pytest.raises(TlogProofError, match=r"is not signed by the log key"):
        verify_tlog_proof(tp["proof"], leaf, impostor, witnesses=[witness])
    other = N.Signer.generate("example.com/other-witness").verifier()
    with pytest.raises(TlogProofError, match=r"cannot be met"):
        verify_tlog_proof(tp["proof"], leaf, log, witnesses=[witness], min_witnesses=2)
    with pytest.raises(TlogProofError, match=r"^1 witness cosignatures, 2 required"):
        verify_tlog_proof(tp["proof"], leaf, log, witnesses=[witness, other], min_witnesses=2)
    without_witness = tp["proof"].replace(vectors["cosignature_v1"]["witness_signature_line"], "")
    with pytest.raises(TlogProofError, match=r"^0 witness cosignatures, 1 required"):
        verify_tlog_proof(without_witness, leaf, log, witnesses=[witness], min_witnesses=1)
    # a known witness whose cosignature fails rejects the proof, as in note.Open
    line = vectors["cosignature_v1"]["witness_signature_line"]
    raw = bytearray(base64.b64decode(line.split(" ")[2]))
    raw[20] ^= 1
    bad_line = (
        line.split(" ")[0] + " " + line.split(" ")[1] + " " + base64.b64encode(bytes(raw)).decode() + "\n"
    )
    with pytest.raises(TlogProofError, match=r"invalid signature by example.com/test-witness"):
        verify_tlog_proof(tp["proof"].replace(line, bad_line), leaf, log, witnesses=[witness])


# --- layout rules --------------------------------------------------------------------------------------

HASH = base64.b64encode(bytes(32)).decode()
SIGNER = N.Signer.generate("example.com/proof-log")
NOTE = N.sign_note(format_checkpoint(Checkpoint(SIGNER.name, 2, bytes(32))), SIGNER)


def test_extra_line():
    text = f"c2sp.org/tlog-proof@v1\nextra {base64.b64encode(b'ctx').decode()}\nindex 1\n{HASH}\n\n{NOTE}"
    proof = parse_tlog_proof(text)
    assert proof == TlogProof(1, (bytes(32),), NOTE, b"ctx")
    assert format_tlog_proof(proof) == text
    assert format_tlog_proof(TlogProof(0, (), NOTE)) == f"c2sp.org/tlog-proof@v1\nindex 0\n\n{NOTE}"


@pytest.mark.parametrize(
    "text",
    [
        f"c2sp.org/tlog-proof@v2\nindex 1\n{HASH}\n\n{NOTE}",
        f"index 1\n{HASH}\n\n{NOTE}",
        f"\nc2sp.org/tlog-proof@v1\nindex 1\n{HASH}\n\n{NOTE}",
        f"c2sp.org/tlog-proof@v1 \nindex 1\n{HASH}\n\n{NOTE}",
        f"c2sp.org/tlog-proof@v1\n{HASH}\n\n{NOTE}",  # no index line
        f"c2sp.org/tlog-proof@v1\nindex 01\n{HASH}\n\n{NOTE}",
        f"c2sp.org/tlog-proof@v1\nindex -1\n{HASH}\n\n{NOTE}",
        f"c2sp.org/tlog-proof@v1\nindex  1\n{HASH}\n\n{NOTE}",
        f"c2sp.org/tlog-proof@v1\nindex 1 \n{HASH}\n\n{NOTE}",
        f"c2sp.org/tlog-proof@v1\nindex {2**64 - 1}\n{HASH}\n\n{NOTE}",
        f"c2sp.org/tlog-proof@v1\nIndex 1\n{HASH}\n\n{NOTE}",
        f"c2sp.org/tlog-proof@v1\nindex 1\nextra YWJj\n{HASH}\n\n{NOTE}",  # extra must come before index
        f"c2sp.org/tlog-proof@v1\nextra YWJj\nextra YWJj\nindex 1\n{HASH}\n\n{NOTE}",
        f"c2sp.org/tlog-proof@v1\nextra \nindex 1\n{HASH}\n\n{NOTE}",
        f"c2sp.org/tlog-proof@v1\nextra YWJ\nindex 1\n{HASH}\n\n{NOTE}",
        f"c2sp.org/tlog-proof@v1\nindex 1\n{HASH[:-1]}\n\n{NOTE}",
        f"c2sp.org/tlog-proof@v1\nindex 1\n{base64.b64encode(bytes(31)).decode()}\n\n{NOTE}",
        f"c2sp.org/tlog-proof@v1\nindex 1\n{HASH} \n\n{NOTE}",
        "c2sp.org/tlog-proof@v1\nindex 1\n" + f"{HASH}\n" * 65 + f"\n{NOTE}",
        f"c2sp.org/tlog-proof@v1\nindex 1\n{HASH}\n{NOTE}",  # no empty line
        f"c2sp.org/tlog-proof@v1\nindex 1\n{HASH}\n\n\n{NOTE}",
        f"c2sp.org/tlog-proof@v1\nindex 1\n{HASH}\n\n{N.parse(NOTE).text}",  # unsigned checkpoint
        f"c2sp.org/tlog-proof@v1\nindex 1\n{HASH}\n\n{NOTE}trailing\n",
        f"c2sp.org/tlog-proof@v1\r\nindex 1\r\n{HASH}\r\n\r\n{NOTE}",
        f"c2sp.org/tlog-proof@v1\nindex 1\n{HASH}",
    ],
)
def test_malformed(text):
    with pytest.raises(TlogProofError):
        parse_tlog_proof(text)


@pytest.mark.parametrize(
    "proof",
    [
        TlogProof(-1, (), NOTE),
        TlogProof(True, (), NOTE),
        TlogProof(0, (bytes(31),), NOTE),
        TlogProof(0, (bytes(32),) * 65, NOTE),
        TlogProof(0, (), NOTE, b""),
        TlogProof(0, (), N.parse(NOTE).text),
    ],
)
def test_format_rejects(proof):
    with pytest.raises(TlogProofError):
        format_tlog_proof(proof)


# --- end to end -------------------------------------------------------------------------------------------


def make_proof(entries, index, log, witnesses=(), extra=None):
    hashes = [merkle.leaf_hash(e) for e in entries]
    body = format_checkpoint(Checkpoint(log.name, len(hashes), merkle.root_from_leaf_hashes(hashes)))
    signed = N.add_signatures(N.sign_note(body, log), *(w.cosign(body, 1_767_225_600) for w in witnesses))
    return format_tlog_proof(TlogProof(index, tuple(merkle.inclusion_proof(hashes, index)), signed, extra))


def test_end_to_end():
    log = N.Signer.generate("example.com/ledger")
    w1, w2 = N.CosignatureSigner.generate("w1.example"), N.CosignatureSigner.generate("w2.example")
    entries = [f"entry {i}".encode() for i in range(300)]
    witnesses = [w1.verifier(), w2.verifier()]
    for index in [0, 1, 127, 128, 255, 256, 298, 299]:
        text = make_proof(entries, index, log, (w1, w2), extra=b"opaque")
        cp = verify_tlog_proof(text, entries[index], log.verifier(), witnesses=witnesses, min_witnesses=2)
        assert (cp.origin, cp.size) == (log.name, 300)
        with pytest.raises(TlogProofError, match=r"^inclusion proof failed"):
            verify_tlog_proof(text, entries[(index + 1) % 300], log.verifier())
    # a one-entry log: no proof hashes at all
    single = make_proof([b"only"], 0, log)
    assert parse_tlog_proof(single).proof == ()
    assert verify_tlog_proof(single, b"only", log.verifier()).size == 1
    # the log key's name must be the checkpoint origin
    renamed = N.Signer.generate("example.com/not-the-origin")
    hashes = [merkle.leaf_hash(b"only")]
    body = format_checkpoint(Checkpoint(log.name, 1, merkle.root_from_leaf_hashes(hashes)))
    text = format_tlog_proof(TlogProof(0, (), N.sign_note(body, renamed)))
    with pytest.raises(TlogProofError, match=r"is not the log"):
        verify_tlog_proof(text, b"only", renamed.verifier())
    # an index outside the tree
    bad = format_tlog_proof(TlogProof(1, (), N.sign_note(body, log)))
    with pytest.raises(TlogProofError, match=r"^inclusion proof failed"):
        verify_tlog_proof(bad, b"only", log.verifier())
    # a signed note that is not a checkpoint
    two_lines = N.sign_note(f"{log.name}\n1\n", log)
    with pytest.raises(TlogProofError, match=r"^malformed checkpoint"):
        format_tlog_proof(TlogProof(0, (), two_lines))
    not_cp = f"c2sp.org/tlog-proof@v1\nindex 0\n\n{two_lines}"
    with pytest.raises(TlogProofError, match=r"^malformed checkpoint"):
        verify_tlog_proof(not_cp, b"only", log.verifier())

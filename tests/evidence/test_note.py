"""c2sp.org/signed-note and cosignature/v1 against the vectors (shared set and local subset), plus the
well-formedness rules and hypothesis properties (sign/open round trip; any flipped bit fails)."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qingzhai.evidence import note as N
from qingzhai.evidence.checkpoint import Checkpoint, format_checkpoint, parse_checkpoint
from qingzhai.evidence.note import NoteError, Signature

from .tlog_vectors import files, items

PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
ENOCH_SKEY = "PRIVATE+KEY+EnochRoot+af0cfe78+AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
)
GO_PETER_NOTE = (
    GO_TEXT
    + "\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6R"
    "yyBwJnAM=\n"
)
CHECKPOINT = format_checkpoint(Checkpoint("example.com/log", 3, bytes(range(32))))


def note_data(case: dict[str, Any]) -> str | bytes:
    return base64.b64decode(case["note_b64"]) if "note_b64" in case else case["note"]


# --- vectors -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", items("signed-note.json", "cases"))
def test_vector_case(case):
    verifiers = [N.verifier_from_vkey(k) for k in case["verifier_keys"]]
    expect = case["expect"]
    if not expect["valid"]:
        reason = expect["reason"]
        if reason.startswith("malformed note"):
            prefix = "malformed note"
            with pytest.raises(NoteError, match=r"^malformed note"):
                N.parse(note_data(case))
        elif "fails to verify" in reason or reason.startswith("invalid signature"):
            prefix = "invalid signature by "
        else:
            assert "no signature" in reason or "no verifiable" in reason, reason
            prefix = "no signature by a known key"
        with pytest.raises(NoteError) as raised:
            N.open_note(note_data(case), verifiers)
        assert str(raised.value).startswith(prefix)
        return
    note, verified = N.open_note(note_data(case), verifiers)
    assert [s.name for s in verified] == expect["verified_signers"]
    unverified = [s.name for s in note.signatures if s not in verified]
    assert unverified == expect.get("unverified_signers", [])
    if "text" in expect:
        assert note.text == expect["text"]
    if "checkpoint" in expect:
        cp = parse_checkpoint(note.text)
        want = expect["checkpoint"]
        root = want.get("root_hash_hex") or base64.b64decode(want["root_hash_b64"]).hex()
        assert (cp.origin, cp.size, cp.root.hex()) == (want["origin"], want["size"], root)
    assert N.format_note(note) == note_data(case)


@pytest.mark.parametrize("vectors", files("signed-note.json"))
def test_vector_keys_round_trip(vectors):
    assert vectors["keys"]
    for key in vectors["keys"].values():
        cls = N.CosignatureSigner if base64.b64decode(key["vkey"].split("+", 2)[2])[0] == 4 else N.Signer
        signer = cls.from_skey(key["skey"])
        assert signer.skey() == key["skey"]
        assert signer.verifier().vkey() == key["vkey"]
        assert signer.key_id.hex() == key["key_id_hex"] == N.verifier_from_vkey(key["vkey"]).key_id.hex()
        if "public_key_hex" in key:
            assert signer.verifier().public_key.hex() == key["public_key_hex"]


@pytest.mark.parametrize("vectors", files("signed-note.json"))
def test_vector_cosignature(vectors):
    cos = vectors["cosignature_v1"]
    log = N.Signer.from_skey(cos["log_key"]["skey"])
    witness = N.CosignatureSigner.from_skey(cos["witness_key"]["skey"])
    text = N.parse(cos["checkpoint_with_cosignature"]).text
    log_note = N.sign_note(text, log)  # Ed25519 is deterministic: the same bytes as the vector
    sig = witness.cosign(text, cos["timestamp"])
    assert sig.line() + "\n" == cos["witness_signature_line"]
    assert N.add_signatures(log_note, sig) == cos["checkpoint_with_cosignature"]
    assert f"cosignature/v1\ntime {cos['timestamp']}\n{text}" == cos["signed_message"]

    wv = N.CosignatureVerifier.from_vkey(cos["witness_key"]["vkey"])
    _, verified = N.open_note(cos["checkpoint_with_cosignature"], [log.verifier(), wv])
    assert [s.name for s in verified] == [cos["log_key"]["name"], cos["witness_key"]["name"]]
    assert wv.timestamp(verified[1]) == cos["expect"]["cosignature_timestamp"] == cos["timestamp"]
    assert len(verified[1].blob) == 72

    # negative "cosig-wrong-timestamp": the message is rebuilt with TS+1
    later = Signature(sig.name, sig.key_id, (cos["timestamp"] + 1).to_bytes(8, "big") + sig.blob[8:])
    assert wv.verify(text, sig) is True
    assert wv.verify(text, later) is False
    # negative "cosig-as-plain-ed25519-note-signature": type 0x01 gives another key ID, the line is ignored
    plain = N.Verifier(wv.name, wv.public_key)
    assert plain.key_id != wv.key_id
    with pytest.raises(NoteError, match=r"^no signature by a known key"):
        N.open_note(text + "\n" + sig.line() + "\n", [plain])
    _, verified = N.open_note(cos["checkpoint_with_cosignature"], [log.verifier(), plain])
    assert [s.name for s in verified] == [cos["log_key"]["name"]]


def test_go_signing_reproduces_the_published_notes():
    peter, enoch = N.Signer.from_skey(PETER_SKEY), N.Signer.from_skey(ENOCH_SKEY)
    assert N.sign_note(GO_TEXT, peter) == GO_PETER_NOTE
    both = N.sign_note(GO_TEXT, peter, enoch)
    assert both.startswith(GO_PETER_NOTE)
    assert both.endswith(
        "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"
    )
    assert N.Verifier.from_vkey(PETER_VKEY) == peter.verifier()


# --- well-formedness ------------------------------------------------------------------------------------


def line_with(name: str, raw: bytes) -> str:
    return f"— {name} {base64.b64encode(raw).decode()}"


@pytest.mark.parametrize(
    "data",
    [
        GO_PETER_NOTE.replace("\n", "\r\n"),
        GO_PETER_NOTE.replace("— ", "—", 1),
        GO_PETER_NOTE.replace("— ", "-- ", 1),
        GO_PETER_NOTE.replace("Neumann ", "Neumann  ", 1),
        GO_PETER_NOTE.replace("AM=\n", "AM= \n"),
        GO_PETER_NOTE.replace("AM=\n", "AM\n"),  # padding missing
        GO_PETER_NOTE.replace("AM=\n", "AN=\n"),  # non-zero pad bits
        GO_PETER_NOTE.replace("PeterNeumann", "Peter+Neumann"),
        GO_PETER_NOTE.replace("PeterNeumann", "Peter\u00a0Neumann"),
        GO_PETER_NOTE.replace("PeterNeumann", "Peter\u3000Neumann"),
        GO_PETER_NOTE.replace("PeterNeumann x08go", "x08go"),
        GO_PETER_NOTE.replace("\n\n—", "\n—"),
        GO_PETER_NOTE + "\n",
        GO_PETER_NOTE.replace("you", "y\tou", 1),
        GO_PETER_NOTE.replace("you", "y\x00ou", 1),
        GO_PETER_NOTE.replace("you", "y\ud800ou", 1),
        GO_TEXT + "\n" + line_with("PeterNeumann", b"\xc7\x4f\x20\xa3") + "\n",  # no signature after the ID
        GO_TEXT + "\n" + "\n".join([line_with("k", bytes(68))] * 101) + "\n",
        b"\xff" + GO_PETER_NOTE.encode(),
        GO_PETER_NOTE.encode()[:-3] + b"\xc3\x28\n",
        "",
        "\n\n",
    ],
)
def test_malformed_notes_are_rejected(data):
    with pytest.raises(NoteError, match=r"^malformed note"):
        N.parse(data)


def test_parse_limits_and_separator():
    hundred = GO_TEXT + "\n" + "\n".join([line_with("k", bytes(68))] * 100) + "\n"
    assert len(N.parse(hundred).signatures) == 100
    # the text may contain blank lines and em-dash lines; the last blank line separates
    text = "a\n\n— not a signature\n\n"
    note = N.parse(text + "\n" + line_with("k", b"1234x") + "\n")
    assert note.text == text
    assert note.signatures == (Signature("k", b"1234", b"x"),)
    assert N.parse("\x7f\n\n" + line_with("k", b"1234x") + "\n").text == "\x7f\n"
    assert N.parse(GO_PETER_NOTE.encode()) == N.parse(GO_PETER_NOTE)


def test_open_semantics():
    peter, enoch = N.Signer.from_skey(PETER_SKEY), N.Signer.from_skey(ENOCH_SKEY)
    good = peter.sign(GO_TEXT)
    bad = Signature(good.name, good.key_id, bytes(64))
    enoch_bad = Signature("EnochRoot", enoch.key_id, bytes(64))
    note = N.format_note(N.Note(GO_TEXT, (good, bad)))
    # a repeated signature by a known key is dropped, as in note.Open, even when it would not verify
    assert N.open_note(note, [peter.verifier()])[1] == [good]
    with pytest.raises(NoteError, match=r"^invalid signature by PeterNeumann\+c74f20a3$"):
        N.open_note(N.format_note(N.Note(GO_TEXT, (bad, good))), [peter.verifier()])
    with pytest.raises(NoteError, match=r"^invalid signature by EnochRoot\+af0cfe78$"):
        N.open_note(N.format_note(N.Note(GO_TEXT, (good, enoch_bad))), [peter.verifier(), enoch.verifier()])
    # unknown but invalid signatures are ignored
    assert N.open_note(N.format_note(N.Note(GO_TEXT, (good, enoch_bad))), [peter.verifier()])[1] == [good]
    other = N.Verifier("PeterNeumann", enoch.verifier().public_key)
    twin = N.Verifier.__new__(N.Verifier)
    twin.__dict__.update(other.__dict__, key_id=peter.key_id)
    with pytest.raises(NoteError, match=r"^ambiguous key"):
        N.open_note(GO_PETER_NOTE, [peter.verifier(), twin])
    assert N.open_note(GO_PETER_NOTE, [peter.verifier(), peter.verifier()])[1] == [good]
    with pytest.raises(
        NoteError, match=r"^no signature by a known key \(unknown key PeterNeumann\+c74f20a3\)$"
    ):
        N.open_note(GO_PETER_NOTE, [])


def test_sign_and_add_signatures():
    peter, enoch = N.Signer.from_skey(PETER_SKEY), N.Signer.from_skey(ENOCH_SKEY)
    for text in ["no newline", "bad\x01\n", ""]:
        with pytest.raises(NoteError):
            N.sign_note(text, peter)
    with pytest.raises(NoteError):
        N.sign_note(GO_TEXT)
    assert N.sign_note(GO_TEXT, peter, peter) == GO_PETER_NOTE
    one = N.sign_note(GO_TEXT, peter)
    both = N.add_signatures(one, enoch.sign(GO_TEXT), peter.sign(GO_TEXT), enoch.sign(GO_TEXT))
    assert both == N.sign_note(GO_TEXT, peter, enoch)
    assert N.add_signatures(both) == both
    assert [s.name for s in N.open_note(both, [enoch.verifier(), peter.verifier()])[1]] == [
        "PeterNeumann",
        "EnochRoot",
    ]
    with pytest.raises(NoteError):
        N.format_note(N.Note(GO_TEXT, ()))


def test_keys():
    signer = N.Signer.generate("example.com/ledger")
    assert N.Signer.from_skey(signer.skey()).verifier() == signer.verifier()
    assert N.Verifier.from_vkey(signer.verifier().vkey()) == signer.verifier()
    # the key's base64 may itself contain "+": the secret is everything after the fourth separator
    secret = signer.skey().split("+", 4)[-1]
    assert "PRIVATE" not in repr(signer) and secret not in repr(signer)
    assert repr(signer) == f"Signer(example.com/ledger+{signer.key_id.hex()})"
    bad_id = PETER_VKEY.replace("c74f20a3", "c74f20a4")
    for vkey in [bad_id, "PeterNeumann+c74f20a+AR", "Peter Neumann+c74f20a3+ARpc", PETER_VKEY[:-4], ""]:
        with pytest.raises(NoteError):
            N.Verifier.from_vkey(vkey)
    with pytest.raises(NoteError, match=r"key type 0x04"):
        N.CosignatureVerifier.from_vkey(PETER_VKEY)
    with pytest.raises(NoteError):
        N.Signer.from_skey(PETER_SKEY.replace("PRIVATE+KEY+", "PRIVATE+KEYS+"))
    with pytest.raises(NoteError):
        N.Signer.from_skey(PETER_SKEY.replace("c74f20a3", "00000000"))
    for name in ["", "a b", "a+b", "a\u2028b", "a\x01b"]:
        with pytest.raises(NoteError):
            N.Signer.generate(name)
    with pytest.raises(NoteError):
        Signature("k", b"123", b"x")
    assert N.Verifier.from_vkey(PETER_VKEY.replace("c74f20a3", "C74F20A3")).key_id == bytes.fromhex(
        "c74f20a3"
    )


def test_cosignature_rules():
    w = N.CosignatureSigner.generate("witness.example/w1")
    v = w.verifier()
    ext = format_checkpoint(Checkpoint("example.com/log", 3, bytes(32), ("ext line",)))
    for text in [CHECKPOINT, ext]:
        sig = w.cosign(text, 1_700_000_000)
        assert v.verify(text, sig) and v.timestamp(sig) == 1_700_000_000
        assert not v.verify(text.replace("3\n", "4\n", 1), sig)
    with pytest.raises(NoteError, match=r"only a checkpoint"):
        w.cosign("not a checkpoint\n", 1)
    for ts in [-1, 2**63]:
        with pytest.raises(NoteError):
            w.cosign(CHECKPOINT, ts)
    sig = w.cosign(CHECKPOINT, 2**63 - 1)
    assert v.verify(CHECKPOINT, sig)
    too_late = Signature(sig.name, sig.key_id, (2**63).to_bytes(8, "big") + sig.blob[8:])
    assert not v.verify(CHECKPOINT, too_late)
    assert not v.verify(CHECKPOINT, Signature(sig.name, sig.key_id, sig.blob[:-1]))
    assert not v.verify(CHECKPOINT, Signature("someone.else", sig.key_id, sig.blob))
    with pytest.raises(NoteError):
        v.timestamp(Signature(sig.name, sig.key_id, sig.blob[8:]))
    # a plain note signature and a cosignature by the same Ed25519 key are told apart by key ID
    assert N.Verifier(v.name, v.public_key).key_id != v.key_id
    assert isinstance(N.verifier_from_vkey(v.vkey()), N.CosignatureVerifier)


# --- properties ------------------------------------------------------------------------------------------

SIGNER = N.Signer.generate("example.com/property")
VERIFIER = SIGNER.verifier()
texts = st.text(
    st.characters(min_codepoint=0x20, exclude_categories=("Cs",)) | st.just("\n"), max_size=200
).map(lambda s: s + "\n")


@settings(max_examples=150, deadline=None)
@given(text=texts)
def test_property_sign_open_round_trip(text):
    signed = N.sign_note(text, SIGNER)
    note, verified = N.open_note(signed, [VERIFIER])
    assert note.text == text
    assert verified == [SIGNER.sign(text)]
    assert N.open_note(signed.encode(), [VERIFIER])[0] == note


@settings(max_examples=150, deadline=None)
@given(text=texts, data=st.data())
def test_property_flipped_bit_fails(text, data):
    signed = N.sign_note(text, SIGNER).encode()
    text_size = len(text.encode())
    sig = N.parse(signed).signatures[0]
    raw = sig.key_id + sig.blob
    if data.draw(st.booleans(), label="flip in text"):
        bit = data.draw(st.integers(0, text_size * 8 - 1), label="bit")
        mutated = bytearray(signed)
        mutated[bit // 8] ^= 1 << (bit % 8)
        tampered = bytes(mutated)
    else:
        bit = data.draw(st.integers(0, len(raw) * 8 - 1), label="bit")
        flipped = bytearray(raw)
        flipped[bit // 8] ^= 1 << (bit % 8)
        tampered = signed[: text_size + 1] + line_with(SIGNER.name, bytes(flipped)).encode() + b"\n"
    with pytest.raises(NoteError):
        N.open_note(tampered, [VERIFIER])

"""A witness of the evidence log (c2sp.org/tlog-witness in spirit). Pure: no Django import, no I/O.

One round: take the log's latest checkpoint note, check the log's signature on it, compare it with the last
checkpoint this witness saw (its state), check a consistency proof from that size to the new one, and cosign
(c2sp.org/tlog-cosignature, cosignature/v1). A log that went back to a smaller tree, shows another root for
the same size, or cannot prove that its new tree extends the old one is refused: the witness never cosigns
a fork. The caller fetches (`fetch_proof`) and posts; this module only decides.

State: JSON {"origin", "size", "root" (base64), "checkpoint" (the note text)}. A first round with no state
trusts the log's checkpoint as it is (trust on first use).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass

from qingzhai.evidence import merkle, note
from qingzhai.evidence.checkpoint import Checkpoint, CheckpointError, format_checkpoint, parse_checkpoint

ProofFetcher = Callable[[int, int], str]  # (old, new) -> the JSON text of /consistency


class WitnessError(Exception):
    """A refusal (the log misbehaved: exit 1) or an unusable input (`usage`: exit 2)."""

    def __init__(self, code: str, zh: str, en: str, *, usage: bool = False) -> None:
        self.code = code
        self.zh = zh
        self.en = en
        self.usage = usage
        super().__init__(f"{code}: {en}")

    @property
    def message(self) -> str:
        return f"{self.zh} / {self.en}"


@dataclass(frozen=True)
class State:
    origin: str
    size: int
    root: bytes
    checkpoint: str = ""  # the checkpoint's note text, kept as evidence of what was seen


@dataclass(frozen=True)
class Round:
    old: State | None
    new: State
    cosigned_note: str  # the log-signed note with this witness's cosignature, to send to the log
    signature: note.Signature


def load_state(text: str | None) -> State | None:
    """The state saved by `dump_state`; None for no state (an empty or absent file)."""
    if text is None or not text.strip():
        return None
    try:
        data = json.loads(text)
        root = base64.b64decode(data["root"], validate=True)
        state = State(
            origin=str(data["origin"]),
            size=int(data["size"]),
            root=root,
            checkpoint=str(data.get("checkpoint", "")),
        )
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise WitnessError(
            "bad_state", f"状态文件无法读取：{exc}", f"The state file cannot be read: {exc}", usage=True
        ) from exc
    if state.size < 0 or len(state.root) != merkle.HASH_SIZE or not state.origin:
        raise WitnessError(
            "bad_state", "状态文件内容无效", "The state file holds no valid checkpoint", usage=True
        )
    return state


def dump_state(state: State) -> str:
    data = {
        "origin": state.origin,
        "size": state.size,
        "root": base64.b64encode(state.root).decode("ascii"),
        "checkpoint": state.checkpoint,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def keys(log_vkey: str, witness_skey: str) -> tuple[note.Verifier, note.CosignatureSigner]:
    try:
        verifier = note.Verifier.from_vkey(log_vkey.strip())
    except (ValueError, note.NoteError) as exc:
        raise WitnessError(
            "bad_log_key", f"日志公钥无效：{exc}", f"Not a log verifier key: {exc}", usage=True
        ) from exc
    try:
        signer = note.CosignatureSigner.from_skey(witness_skey.strip())
    except (ValueError, note.NoteError) as exc:
        raise WitnessError(
            "bad_witness_key", f"见证方私钥无效：{exc}", f"Not a witness signing key: {exc}", usage=True
        ) from exc
    return verifier, signer


def open_checkpoint(text: str, verifier: note.Verifier) -> tuple[note.Note, Checkpoint]:
    """The note and its checkpoint, signed by the log's key, whose name is the checkpoint's origin."""
    try:
        opened, _ = note.open_note(text, [verifier])
        body = parse_checkpoint(opened.text)
    except (note.NoteError, CheckpointError) as exc:
        raise WitnessError(
            "bad_checkpoint", f"检查点签名或格式无效：{exc}", f"The checkpoint does not verify: {exc}"
        ) from exc
    if body.origin != verifier.name:
        raise WitnessError(
            "wrong_origin",
            f"检查点来源 {body.origin!r} 与日志公钥名 {verifier.name!r} 不符",
            f"The checkpoint's origin {body.origin!r} is not the log key's name {verifier.name!r}",
        )
    return opened, body


def parse_proof(text: str, old: int, new: int) -> list[bytes]:
    """The hashes of a /consistency answer, which must be about (old, new)."""
    try:
        data = json.loads(text)
        if data["old"] != old or data["new"] != new or not isinstance(data["proof"], list):
            raise ValueError("the answer is about other sizes")
        proof = [base64.b64decode(h, validate=True) for h in data["proof"]]
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise WitnessError(
            "bad_proof", f"一致性证明格式无效：{exc}", f"Malformed consistency proof: {exc}"
        ) from exc
    return proof


def check_extends(old: State, new: Checkpoint, fetch_proof: ProofFetcher) -> None:
    """Refuse unless the tree `new` extends the tree `old` (same origin, not smaller, provably a suffix)."""
    if new.origin != old.origin:
        raise WitnessError(
            "wrong_origin",
            f"日志来源变了：{old.origin!r} → {new.origin!r}",
            f"The log's origin changed: {old.origin!r} → {new.origin!r}",
        )
    if new.size < old.size:
        raise WitnessError(
            "rollback",
            f"日志变小了：已见过大小 {old.size}，现在是 {new.size}（回滚），拒绝签名",
            f"The log went back from size {old.size} to {new.size} (rollback); refusing to cosign",
        )
    if new.size == old.size:
        if new.root != old.root:
            raise WitnessError(
                "fork",
                f"同一大小 {new.size} 出现了不同的根哈希（分叉），拒绝签名",
                f"Another root hash for the same size {new.size} (fork); refusing to cosign",
            )
        return
    proof = parse_proof(fetch_proof(old.size, new.size), old.size, new.size)
    try:
        merkle.verify_consistency(old.size, new.size, old.root, new.root, proof)
    except merkle.ProofError as exc:
        raise WitnessError(
            "inconsistent",
            f"大小 {new.size} 的日志不是大小 {old.size} 的延续（{exc}），拒绝签名",
            f"The log of size {new.size} does not extend the one of size {old.size} ({exc}); refusing to cosign",
        ) from exc


def witness_round(
    *,
    checkpoint_text: str,
    state: State | None,
    fetch_proof: ProofFetcher,
    log_vkey: str,
    witness_skey: str,
    timestamp: int,
) -> Round:
    """Decide one round: the new state and the note to send, or WitnessError."""
    verifier, signer = keys(log_vkey, witness_skey)
    opened, body = open_checkpoint(checkpoint_text, verifier)
    if state is not None:
        check_extends(state, body, fetch_proof)
    signature = signer.cosign(opened.text, timestamp)
    log_signatures = tuple(
        s for s in opened.signatures if s.name == verifier.name and s.key_id == verifier.key_id
    )
    cosigned = note.format_note(note.Note(opened.text, (*log_signatures[:1], signature)))
    new = State(origin=body.origin, size=body.size, root=body.root, checkpoint=format_checkpoint(body))
    return Round(old=state, new=new, cosigned_note=cosigned, signature=signature)

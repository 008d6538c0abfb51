"""c2sp.org/tlog-proof@v1: an offline-verifiable proof that an entry is in a transparency log. Pure: no
Django import.

    c2sp.org/tlog-proof@v1
    [extra <base64 opaque data>]        optional, second line only, never trusted
    index <decimal, no leading zeroes>
    <base64 hash>                       zero or more: the RFC 6962 inclusion proof, leaf sibling first
    <empty line>
    <the checkpoint, a signed note, verbatim>

Parsing is strict: no other line, canonical base64 and decimals, every proof hash 32 bytes, at most 64 of
them, and the checkpoint must be a well-formed signed note of a well-formed checkpoint, so `format_tlog_proof(parse_tlog_proof(t)) == t`.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass

from qingzhai.evidence import merkle
from qingzhai.evidence.checkpoint import (
    MAX_TREE_SIZE,
    Checkpoint,
    CheckpointError,
    b64decode_strict,
    parse_checkpoint,
    parse_decimal,
)
from qingzhai.evidence.note import AnyVerifier, CosignatureVerifier, NoteError, Verifier, open_note, parse

HEADER = "c2sp.org/tlog-proof@v1"
MAX_PROOF_HASHES = 64  # enough for any tree of up to 2^64 - 1 leaves


class TlogProofError(ValueError):
    """A malformed tlog-proof, or one that does not verify."""


@dataclass(frozen=True)
class TlogProof:
    index: int
    proof: tuple[bytes, ...]
    checkpoint: str  # the signed checkpoint note, verbatim
    extra: bytes | None = None


def _check_checkpoint(signed: str) -> None:
    try:
        parse_checkpoint(parse(signed).text)
    except (NoteError, CheckpointError) as exc:
        raise TlogProofError(f"malformed checkpoint: {exc}") from None


def format_tlog_proof(p: TlogProof) -> str:
    if isinstance(p.index, bool) or not isinstance(p.index, int) or not 0 <= p.index < MAX_TREE_SIZE:
        raise TlogProofError(f"the index must be an integer in 0..2^64-2, not {p.index!r}")
    if len(p.proof) > MAX_PROOF_HASHES or any(len(h) != merkle.HASH_SIZE for h in p.proof):
        raise TlogProofError(
            f"the proof must be at most {MAX_PROOF_HASHES} hashes of {merkle.HASH_SIZE} bytes"
        )
    if p.extra is not None and not p.extra:
        raise TlogProofError("empty extra data: leave it out (extra=None)")
    _check_checkpoint(p.checkpoint)
    lines = [HEADER]
    if p.extra is not None:
        lines.append("extra " + base64.b64encode(p.extra).decode("ascii"))
    lines.append(f"index {p.index}")
    lines.extend(base64.b64encode(h).decode("ascii") for h in p.proof)
    return "\n".join(lines) + "\n\n" + p.checkpoint


def parse_tlog_proof(text: str) -> TlogProof:
    """Parse (without verifying) a tlog-proof. Raises TlogProofError."""
    head, sep, checkpoint = text.partition("\n\n")
    if not sep:
        raise TlogProofError("no empty line between the proof and the checkpoint")
    lines = head.split("\n")
    if lines[0] != HEADER:
        raise TlogProofError(f"the first line must be {HEADER}")
    position = 1
    extra = None
    if position < len(lines) and lines[position].startswith("extra "):
        extra = b64decode_strict(lines[position][len("extra ") :])
        if not extra:
            raise TlogProofError("the extra line must hold non-empty canonical base64")
        position += 1
    if position >= len(lines) or not lines[position].startswith("index "):
        raise TlogProofError("the index line is missing")
    index = parse_decimal(lines[position][len("index ") :], MAX_TREE_SIZE - 1)
    if index is None:
        raise TlogProofError("the index must be a decimal with no leading zeroes")
    hashes = lines[position + 1 :]
    if len(hashes) > MAX_PROOF_HASHES:
        raise TlogProofError(f"more than {MAX_PROOF_HASHES} proof hashes")
    proof = []
    for line in hashes:
        value = b64decode_strict(line)
        if value is None or len(value) != merkle.HASH_SIZE:
            raise TlogProofError(f"a proof line must be canonical base64 of {merkle.HASH_SIZE} bytes")
        proof.append(value)
    _check_checkpoint(checkpoint)
    return TlogProof(index=index, proof=tuple(proof), checkpoint=checkpoint, extra=extra)


def verify_tlog_proof(
    text: str,
    leaf_data: bytes,
    log_verifier: Verifier,
    *,
    witnesses: Sequence[CosignatureVerifier] = (),
    min_witnesses: int = 0,
) -> Checkpoint:
    """Verify that `leaf_data` is in the log of `log_verifier`; returns the checkpoint it is proven against.

    Checks, in order: the proof parses; the checkpoint note is signed by the log key, whose name must be
    the checkpoint origin; no known witness cosignature fails and at least `min_witnesses` distinct witnesses
    cosigned; RFC 6962 inclusion of leaf_hash(leaf_data) at the index under the checkpoint root. The extra
    data is returned by parse_tlog_proof only and is never trusted here."""
    distinct_witnesses = {(w.name, w.key_id) for w in witnesses}
    if not 0 <= min_witnesses <= len(distinct_witnesses):
        raise TlogProofError(
            f"min_witnesses={min_witnesses} cannot be met by {len(distinct_witnesses)} witnesses"
        )
    proof = parse_tlog_proof(text)
    verifiers: list[AnyVerifier] = [log_verifier, *witnesses]
    try:
        note, verified = open_note(proof.checkpoint, verifiers)
    except NoteError as exc:
        raise TlogProofError(f"checkpoint signature check failed: {exc}") from None
    keys = {(sig.name, sig.key_id) for sig in verified}
    if (log_verifier.name, log_verifier.key_id) not in keys:
        raise TlogProofError(f"the checkpoint is not signed by the log key {log_verifier.name}")
    checkpoint = parse_checkpoint(note.text)  # well formed: parse_tlog_proof checked it
    if checkpoint.origin != log_verifier.name:
        raise TlogProofError(f"checkpoint origin {checkpoint.origin!r} is not the log {log_verifier.name!r}")
    cosigned = len((keys & distinct_witnesses) - {(log_verifier.name, log_verifier.key_id)})
    if cosigned < min_witnesses:
        raise TlogProofError(f"{cosigned} witness cosignatures, {min_witnesses} required")
    try:
        merkle.verify_inclusion(
            proof.index, checkpoint.size, merkle.leaf_hash(leaf_data), proof.proof, checkpoint.root
        )
    except merkle.ProofError as exc:
        raise TlogProofError(f"inclusion proof failed: {exc}") from None
    return checkpoint

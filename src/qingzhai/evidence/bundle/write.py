"""Write a court bundle (zip). Pure: no Django import.

`write_bundle` checks its input first (the checkpoint's signatures, every leaf's inclusion proof, every
artifact's SHA-256) and refuses what would not verify, then writes a deterministic zip: sorted names, every
timestamp = `generated_at` (China time), fixed permissions and compression, so the same input gives the
same bytes. Artifacts named by several entries are stored once.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import zipfile
from pathlib import Path
from typing import Any, BinaryIO

from qingzhai.evidence import merkle, note, tlog_proof
from qingzhai.evidence.bundle import standalone_verify as sv
from qingzhai.evidence.bundle.index_pdf import index_pdf
from qingzhai.evidence.bundle.layout import (
    CHECKPOINT,
    FORMAT,
    INDEX_PDF,
    MANIFEST,
    README,
    TIMESTAMP,
    TSA_CHAIN,
    VERIFIER_KEY,
    VERIFY_SCRIPT,
    WITNESS_KEYS,
    BundleEntry,
    BundleError,
    BundleInput,
    CheckpointBody,
    artifact_path,
    china_time,
    entry_path,
    iso_utc,
    parse_checkpoint,
    proof_path,
)
from qingzhai.evidence.bundle.readme import readme_text

_SHA256 = re.compile(r"[0-9a-f]{64}")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def verifier_source() -> bytes:
    """The standalone verifier, shipped in the zip as verify.py."""
    return Path(sv.__file__).read_bytes()


def _check_entry(entry: BundleEntry, body: CheckpointBody) -> None:
    where = f"entry {entry.index}"
    if not 0 <= entry.index < body.size:
        raise BundleError(f"{where}: outside the checkpoint's tree of size {body.size}")
    try:
        record = json.loads(entry.leaf)
    except ValueError as exc:
        raise BundleError(f"{where}: the leaf is not JSON") from exc
    if record != entry.record:
        raise BundleError(f"{where}: the record differs from json.loads(leaf)")
    artifact = record.get("artifact") if isinstance(record, dict) else None
    if artifact is None:
        if entry.artifact is not None:
            raise BundleError(f"{where}: artifact bytes given but the record names no artifact")
    else:
        sha = artifact.get("sha256") if isinstance(artifact, dict) else None
        if not isinstance(sha, str) or not _SHA256.fullmatch(sha):
            raise BundleError(f"{where}: the record's artifact.sha256 is not lowercase hex SHA-256")
        if entry.artifact is None:
            raise BundleError(f"{where}: the record names an artifact but no bytes were given")
        if sha256_hex(entry.artifact) != sha:
            raise BundleError(f"{where}: the artifact bytes do not match the record's SHA-256")
        size = artifact.get("size")
        if isinstance(size, int) and size != len(entry.artifact):
            raise BundleError(f"{where}: the artifact is {len(entry.artifact)} bytes, the record says {size}")
    try:
        proof = tlog_proof.parse_tlog_proof(entry.proof)
        if proof.index != entry.index:
            raise BundleError(f"{where}: the proof is for index {proof.index}")
        if note.parse(proof.checkpoint).text != body.text:
            raise BundleError(f"{where}: the proof's checkpoint is not the bundle's checkpoint")
        merkle.verify_inclusion(entry.index, body.size, merkle.leaf_hash(entry.leaf), proof.proof, body.root)
    except (tlog_proof.TlogProofError, note.NoteError, merkle.ProofError) as exc:
        raise BundleError(f"{where}: {exc}") from exc


def check_input(data: BundleInput) -> CheckpointBody:
    """Raise BundleError unless `data` makes a bundle that verifies; returns the checkpoint body."""
    if data.generated_at.utcoffset() is None:
        raise BundleError("generated_at must be an aware datetime")
    body = parse_checkpoint(data.checkpoint)
    if body.origin != data.origin:
        raise BundleError(f"the checkpoint's origin {body.origin!r} is not {data.origin!r}")
    try:
        log_key = note.Verifier.from_vkey(data.verifier_key.strip())
        witnesses = [note.CosignatureVerifier.from_vkey(k.strip()) for k in data.witness_keys]
        _, verified = note.open_note(data.checkpoint, [log_key, *witnesses])
    except note.NoteError as exc:
        raise BundleError(f"checkpoint: {exc}") from exc
    signed = {(sig.name, sig.key_id) for sig in verified}
    for key in (log_key, *witnesses):
        if (key.name, key.key_id) not in signed:
            raise BundleError(f"checkpoint: no signature by {key.name}+{key.key_id.hex()}")
    seen: set[int] = set()
    for entry in data.entries:
        if entry.index in seen:
            raise BundleError(f"entry {entry.index} appears twice")
        seen.add(entry.index)
        _check_entry(entry, body)
    return body


def _entry_files(data: BundleInput, files: dict[str, bytes]) -> list[dict[str, Any]]:
    rows = []
    for entry in sorted(data.entries, key=lambda e: e.index):
        leaf_name, proof_name = entry_path(entry.index), proof_path(entry.index)
        files[leaf_name] = entry.leaf
        files[proof_name] = entry.proof.encode("utf-8")
        artifact = entry.record.get("artifact")
        artifact_name = artifact_sha = None
        if isinstance(artifact, dict) and entry.artifact is not None:
            artifact_sha = str(artifact["sha256"])
            prefix = f"artifacts/{artifact_sha}."
            artifact_name = next((n for n in files if n.startswith(prefix)), None)
            if artifact_name is None:
                artifact_name = artifact_path(artifact_sha, artifact.get("media_type"))
                files[artifact_name] = entry.artifact
        rows.append(
            {
                "index": entry.index,
                "type": entry.record.get("type"),
                "time": entry.record.get("time"),
                "title_zh": entry.title_zh,
                "leaf": leaf_name,
                "leaf_sha256": sha256_hex(entry.leaf),
                "leaf_hash": merkle.leaf_hash(entry.leaf).hex(),
                "proof": proof_name,
                "proof_sha256": sha256_hex(files[proof_name]),
                "artifact": artifact_name,
                "artifact_sha256": artifact_sha,
            }
        )
    return rows


def bundle_files(data: BundleInput) -> dict[str, bytes]:
    """Every file of the bundle by its name in the zip, manifest.json included."""
    body = check_input(data)
    files: dict[str, bytes] = {
        CHECKPOINT: data.checkpoint.encode("utf-8"),
        VERIFIER_KEY: (data.verifier_key.strip() + "\n").encode("utf-8"),
    }
    if data.witness_keys:
        files[WITNESS_KEYS] = "".join(k.strip() + "\n" for k in data.witness_keys).encode("utf-8")
    entries = _entry_files(data, files)
    if data.timestamp_token is not None:
        files[TIMESTAMP] = data.timestamp_token
    if data.tsa_chain_pem:
        files[TSA_CHAIN] = data.tsa_chain_pem.encode("utf-8")
    files[README] = readme_text(data).encode("utf-8")
    files[VERIFY_SCRIPT] = verifier_source()
    files[INDEX_PDF] = index_pdf(data)
    manifest = {
        "format": FORMAT,
        "case": data.case_label,
        "creditor": data.creditor_label,
        "origin": data.origin,
        "generated_at": iso_utc(data.generated_at),
        "generated_by": data.generated_by,
        "log_size": body.size,
        "root_hash": body.root.hex(),
        "verifier_key": data.verifier_key.strip(),
        "witness_keys": [k.strip() for k in data.witness_keys],
        "timestamp": TIMESTAMP if data.timestamp_token is not None else None,
        "entries": entries,
        "files": {name: sha256_hex(files[name]) for name in sorted(files)},
    }
    text = json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    files[MANIFEST] = text.encode("utf-8")
    return files


def zip_files(files: dict[str, bytes], data: BundleInput) -> bytes:
    """A deterministic zip of `files`: sorted names, one timestamp, fixed attributes."""
    moment = china_time(data.generated_at)
    stamp = (
        min(max(moment.year, 1980), 2107),
        moment.month,
        moment.day,
        moment.hour,
        moment.minute,
        moment.second,
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever machine writes it
            info.external_attr = (0o100755 if name == VERIFY_SCRIPT else 0o100644) << 16
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()


def build_bundle(data: BundleInput) -> bytes:
    """The bundle zip as bytes."""
    return zip_files(bundle_files(data), data)


def write_bundle(out: BinaryIO | Path, data: BundleInput) -> None:
    """Write the bundle zip for `data` to a path or a binary stream. Raises BundleError on bad input."""
    blob = build_bundle(data)
    if isinstance(out, str | os.PathLike):
        Path(out).write_bytes(blob)
    else:
        out.write(blob)

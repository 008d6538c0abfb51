"""c2sp.org/signed-note with Ed25519 (type 0x01) and c2sp.org/tlog-cosignature cosignature/v1 (type 0x04).
Pure: no Django import.

A signed note is a text ending in a newline, a blank line, then one or more lines
"— <key name> base64(key ID[4] || signature)". Parsing follows golang.org/x/mod/sumdb/note: valid UTF-8, no
ASCII control character but newline, the text is split from the signatures at the last blank line, at most
100 signature lines, names non-empty without Unicode white space or "+". In addition, base64 must be canonical
(padding present, pad bits zero), so one signature has one encoding.

`open_note` follows note.Open: signatures by unknown (name, key ID) pairs are ignored, a signature by a known
key that fails to verify rejects the whole note, and at least one known key must have signed.

Key strings: vkey "<name>+<hex key ID>+base64(type || public key)" and skey
"PRIVATE+KEY+<name>+<hex key ID>+base64(type || seed)", key ID = SHA-256(name || "\\n" || type || key)[:4].
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Self

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from qingzhai.evidence.checkpoint import CheckpointError, b64decode_strict, parse_checkpoint

ALG_ED25519 = 0x01
ALG_COSIGNATURE_V1 = 0x04
MAX_SIGNATURES = 100  # as golang.org/x/mod/sumdb/note; the spec asks for at least 16
MAX_TIMESTAMP = 2**63 - 1
SIGNATURE_PREFIX = "— "  # U+2014 EM DASH, U+0020 SPACE
ED25519_SIGNATURE_SIZE = 64
COSIGNATURE_SIZE = 8 + ED25519_SIGNATURE_SIZE

# Unicode White_Space property (what Go's unicode.IsSpace tests).
_WHITE_SPACE = frozenset(
    [*map(chr, range(0x09, 0x0E)), " ", "\x85", "\xa0", "\u1680", *map(chr, range(0x2000, 0x200B))]
) | frozenset("\u2028\u2029\u202f\u205f\u3000")
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f]")  # ASCII controls except newline
_HEX_ID = re.compile(r"[0-9a-fA-F]{8}")


class NoteError(ValueError):
    """A malformed note or key, or a note that does not verify."""


def _valid_name(name: str) -> bool:
    return (
        bool(name)
        and "+" not in name
        and not any(c in _WHITE_SPACE or c < " " for c in name)
        and _encodable(name)
    )


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates
        return False
    return True


def _check_text(text: str) -> None:
    if not text.endswith("\n"):
        raise NoteError("malformed note: the text must end with a newline")
    if _CONTROL.search(text) or not _encodable(text):
        raise NoteError("malformed note: the text must be UTF-8 without control characters but newline")


def compute_key_id(name: str, alg: int, public_key: bytes) -> bytes:
    """SHA-256(name || 0x0A || type || public key)[:4]."""
    return hashlib.sha256(name.encode("utf-8") + b"\n" + bytes([alg]) + public_key).digest()[:4]


@dataclass(frozen=True)
class Signature:
    name: str
    key_id: bytes
    blob: bytes  # the signature bytes after the key ID

    def __post_init__(self) -> None:
        if not _valid_name(self.name):
            raise NoteError(f"invalid key name {self.name!r}")
        if len(self.key_id) != 4 or not self.blob:
            raise NoteError("a signature needs a 4-byte key ID and a non-empty signature")

    def line(self) -> str:
        """The signature line without its newline: "— name base64(key ID || blob)"."""
        return f"{SIGNATURE_PREFIX}{self.name} {base64.b64encode(self.key_id + self.blob).decode('ascii')}"

    def key_label(self) -> str:
        return f"{self.name}+{self.key_id.hex()}"


@dataclass(frozen=True)
class Note:
    text: str
    signatures: tuple[Signature, ...]


def parse(data: str | bytes) -> Note:
    """Parse a signed note without verifying it. Raises NoteError("malformed note: ...")."""
    if isinstance(data, bytes):
        try:
            msg = data.decode("utf-8")
        except UnicodeDecodeError:
            raise NoteError("malformed note: not valid UTF-8") from None
    else:
        msg = data
        if not _encodable(msg):
            raise NoteError("malformed note: not valid UTF-8")
    if _CONTROL.search(msg):
        raise NoteError("malformed note: control character")
    split = msg.rfind("\n\n")
    if split < 0:
        raise NoteError("malformed note: no blank line before the signatures")
    text, block = msg[: split + 1], msg[split + 2 :]
    if not block.endswith("\n"):
        raise NoteError("malformed note: no signature, or no newline after the last one")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise NoteError(f"malformed note: more than {MAX_SIGNATURES} signatures")
    signatures = []
    for line in lines:
        if not line.startswith(SIGNATURE_PREFIX):
            raise NoteError("malformed note: a signature line must start with an em dash and a space")
        name, _, encoded = line[len(SIGNATURE_PREFIX) :].partition(" ")
        raw = b64decode_strict(encoded)
        if not _valid_name(name) or raw is None or len(raw) < 5:
            raise NoteError("malformed note: a signature line must be '— <name> <base64 signature>'")
        signatures.append(Signature(name=name, key_id=raw[:4], blob=raw[4:]))
    return Note(text=text, signatures=tuple(signatures))


def format_note(note: Note) -> str:
    """The signed note; `parse(format_note(n)) == n`."""
    _check_text(note.text)
    if not note.signatures:
        raise NoteError("malformed note: a signed note needs at least one signature")
    if len(note.signatures) > MAX_SIGNATURES:
        raise NoteError(f"malformed note: more than {MAX_SIGNATURES} signatures")
    return note.text + "\n" + "".join(sig.line() + "\n" for sig in note.signatures)


def _parse_key(key: str, private: bool) -> tuple[str, bytes, int, bytes]:
    kind = "signer" if private else "verifier"
    rest = key
    if private:
        if not key.startswith("PRIVATE+KEY+"):
            raise NoteError("malformed signer key: it must start with PRIVATE+KEY+")
        rest = key[len("PRIVATE+KEY+") :]
    name, _, rest = rest.partition("+")
    hex_id, _, encoded = rest.partition("+")
    raw = b64decode_strict(encoded)
    if not _valid_name(name) or not _HEX_ID.fullmatch(hex_id) or not raw:
        raise NoteError(f"malformed {kind} key")
    return name, bytes.fromhex(hex_id), raw[0], raw[1:]


class _Ed25519Key:
    """Shared parts of the four key classes: a name, a key type byte and a 32-byte Ed25519 key."""

    alg: ClassVar[int]
    name: str
    key_id: bytes

    def _init_name(self, name: str, material: bytes, public_key: bytes) -> None:
        if not _valid_name(name):
            raise NoteError(f"invalid key name {name!r}: non-empty, no spaces, no '+'")
        if len(material) != 32:
            raise NoteError("an Ed25519 key is 32 bytes")
        self.name = name
        self.key_id = compute_key_id(name, self.alg, public_key)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name}+{self.key_id.hex()})"


class _PublicKey(_Ed25519Key):
    def __init__(self, name: str, public_key: bytes) -> None:
        self._init_name(name, public_key, public_key)
        self.public_key = public_key
        try:
            self._key = Ed25519PublicKey.from_public_bytes(public_key)
        except ValueError:
            raise NoteError("not an Ed25519 public key") from None

    @classmethod
    def from_vkey(cls, vkey: str) -> Self:
        name, key_id, alg, material = _parse_key(vkey, private=False)
        if alg != cls.alg:
            raise NoteError(f"{cls.__name__} needs key type 0x{cls.alg:02x}, not 0x{alg:02x}")
        if len(material) != 32:
            raise NoteError("an Ed25519 key is 32 bytes")
        key = cls(name, material)
        if key.key_id != key_id:
            raise NoteError(f"the key ID {key_id.hex()} does not match the key")
        return key

    def vkey(self) -> str:
        encoded = base64.b64encode(bytes([self.alg]) + self.public_key).decode("ascii")
        return f"{self.name}+{self.key_id.hex()}+{encoded}"

    def _check(self, message: bytes, signature: bytes) -> bool:
        try:
            self._key.verify(signature, message)
        except InvalidSignature:
            return False
        return True

    def _matches(self, sig: Signature, size: int) -> bool:
        return sig.name == self.name and sig.key_id == self.key_id and len(sig.blob) == size

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _PublicKey):
            return NotImplemented
        return (type(self), self.name, self.public_key) == (type(other), other.name, other.public_key)

    def __hash__(self) -> int:
        return hash((type(self), self.name, self.public_key))


class _PrivateKey(_Ed25519Key):
    def __init__(self, name: str, seed: bytes) -> None:
        if len(seed) != 32:
            raise NoteError("an Ed25519 seed is 32 bytes")
        self._key = Ed25519PrivateKey.from_private_bytes(seed)
        self._public = self._key.public_key().public_bytes_raw()
        self._init_name(name, seed, self._public)

    @classmethod
    def from_skey(cls, skey: str) -> Self:
        name, key_id, alg, material = _parse_key(skey, private=True)
        if alg != cls.alg:
            raise NoteError(f"{cls.__name__} needs key type 0x{cls.alg:02x}, not 0x{alg:02x}")
        if len(material) != 32:
            raise NoteError("an Ed25519 seed is 32 bytes")
        key = cls(name, material)
        if key.key_id != key_id:
            raise NoteError(f"the key ID {key_id.hex()} does not match the key")
        return key

    @classmethod
    def generate(cls, name: str) -> Self:
        return cls(name, Ed25519PrivateKey.generate().private_bytes_raw())

    def skey(self) -> str:
        encoded = base64.b64encode(bytes([self.alg]) + self._key.private_bytes_raw()).decode("ascii")
        return f"PRIVATE+KEY+{self.name}+{self.key_id.hex()}+{encoded}"


class Verifier(_PublicKey):
    """An Ed25519 note verifier (type 0x01)."""

    alg = ALG_ED25519

    def verify(self, text: str, sig: Signature) -> bool:
        if not self._matches(sig, ED25519_SIGNATURE_SIZE) or not _encodable(text):
            return False
        return self._check(text.encode("utf-8"), sig.blob)


class Signer(_PrivateKey):
    """An Ed25519 note signer (type 0x01). Its repr never shows the seed."""

    alg = ALG_ED25519

    def verifier(self) -> Verifier:
        return Verifier(self.name, self._public)

    def sign(self, text: str) -> Signature:
        _check_text(text)
        return Signature(self.name, self.key_id, self._key.sign(text.encode("utf-8")))


def _cosigned_message(checkpoint_text: str, timestamp: int) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n{checkpoint_text}".encode()


class CosignatureVerifier(_PublicKey):
    """An Ed25519 cosignature/v1 verifier (type 0x04, c2sp.org/tlog-cosignature)."""

    alg = ALG_COSIGNATURE_V1

    def timestamp(self, sig: Signature) -> int:
        """The POSIX time the cosigner put in `sig`."""
        if len(sig.blob) != COSIGNATURE_SIZE:
            raise NoteError(f"a cosignature is {COSIGNATURE_SIZE} bytes after the key ID")
        return int.from_bytes(sig.blob[:8], "big")

    def verify(self, text: str, sig: Signature) -> bool:
        if not self._matches(sig, COSIGNATURE_SIZE) or not _encodable(text):
            return False
        timestamp = int.from_bytes(sig.blob[:8], "big")
        if timestamp > MAX_TIMESTAMP:
            return False
        try:
            parse_checkpoint(text)
        except CheckpointError:
            return False
        return self._check(_cosigned_message(text, timestamp), sig.blob[8:])


class CosignatureSigner(_PrivateKey):
    """An Ed25519 cosignature/v1 signer (type 0x04). Its repr never shows the seed."""

    alg = ALG_COSIGNATURE_V1

    def verifier(self) -> CosignatureVerifier:
        return CosignatureVerifier(self.name, self._public)

    def cosign(self, checkpoint_text: str, timestamp: int) -> Signature:
        """Cosign a checkpoint body (the note text) at POSIX time `timestamp`."""
        try:
            parse_checkpoint(checkpoint_text)
        except CheckpointError as exc:
            raise NoteError(f"only a checkpoint can be cosigned: {exc}") from None
        if isinstance(timestamp, bool) or not 0 <= timestamp <= MAX_TIMESTAMP:
            raise NoteError("the cosignature timestamp must be in 0..2^63-1")
        signature = self._key.sign(_cosigned_message(checkpoint_text, timestamp))
        return Signature(self.name, self.key_id, timestamp.to_bytes(8, "big") + signature)


AnyVerifier = Verifier | CosignatureVerifier


def verifier_from_vkey(vkey: str) -> AnyVerifier:
    """A Verifier or CosignatureVerifier, chosen by the key type byte of `vkey`."""
    _, _, alg, _ = _parse_key(vkey, private=False)
    if alg == ALG_COSIGNATURE_V1:
        return CosignatureVerifier.from_vkey(vkey)
    return Verifier.from_vkey(vkey)


def _unique(signatures: Iterable[Signature]) -> list[Signature]:
    seen: set[tuple[str, bytes]] = set()
    out = []
    for sig in signatures:
        if (sig.name, sig.key_id) not in seen:
            seen.add((sig.name, sig.key_id))
            out.append(sig)
    return out


def sign_note(text: str, *signers: Signer) -> str:
    """A signed note of `text` (which must end in a newline) by every signer."""
    _check_text(text)
    if not signers:
        raise NoteError("a signed note needs at least one signer")
    return format_note(Note(text, tuple(_unique(s.sign(text) for s in signers))))


def add_signatures(note: str, *signatures: Signature) -> str:
    """Append signatures (e.g. cosignatures) to a signed note, keeping the existing ones and skipping any
    (name, key ID) already present. The new signatures are not verified here."""
    parsed = parse(note)
    merged = _unique([*parsed.signatures, *signatures])
    return format_note(Note(parsed.text, tuple(merged)))


def open_note(data: str | bytes, verifiers: Sequence[AnyVerifier]) -> tuple[Note, list[Signature]]:
    """Parse and verify a signed note; returns it with the signatures that verified (one per key).

    Raises NoteError when the note is malformed, when a known key's signature fails ("invalid signature by
    name+keyid"), or when no known key signed it ("no signature by a known key (unknown key ...)")."""
    note = parse(data)
    known: dict[tuple[str, bytes], set[AnyVerifier]] = {}
    for verifier in verifiers:
        known.setdefault((verifier.name, verifier.key_id), set()).add(verifier)
    verified: list[Signature] = []
    seen: set[tuple[str, bytes]] = set()
    unknown: list[str] = []
    for sig in note.signatures:
        key = (sig.name, sig.key_id)
        candidates = known.get(key)
        if not candidates:
            if sig.key_label() not in unknown:
                unknown.append(sig.key_label())
            continue
        if len(candidates) > 1:
            raise NoteError(f"ambiguous key {sig.key_label()}: two verifiers share its name and key ID")
        if key in seen:
            continue  # as note.Open: later signatures by the same key are dropped
        seen.add(key)
        (verifier,) = candidates
        if not verifier.verify(note.text, sig):
            raise NoteError(f"invalid signature by {sig.key_label()}")
        verified.append(sig)
    if not verified:
        listed = ", ".join(f"unknown key {label}" for label in unknown[:5])
        raise NoteError("no signature by a known key" + (f" ({listed})" if listed else ""))
    return note, verified

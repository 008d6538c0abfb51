"""c2sp.org/tlog-checkpoint note bodies. Pure: no Django import.

A checkpoint body is the text of a signed note (see `note.py`):

    <origin>
    <tree size, ASCII decimal, no leading zeroes>
    <base64 of the 32-byte RFC 6962 root hash>
    [extension lines, each non-empty]

every line ending in a newline. Parsing is strict: the size is a canonical decimal that fits in a uint64,
the root hash is canonical standard base64 of exactly 32 bytes, and no line holds an ASCII control character,
so `format_checkpoint(parse_checkpoint(text)) == text` for every accepted text.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

HASH_SIZE = 32
MAX_TREE_SIZE = 2**64 - 1

_DECIMAL = re.compile(r"0|[1-9][0-9]*")
_CONTROL = re.compile(r"[\x00-\x1f]")
_BASE64 = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")


class CheckpointError(ValueError):
    """A checkpoint body that is not well formed."""


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()


def b64decode_strict(value: str) -> bytes | None:
    """Standard base64 (RFC 4648 §4) with padding and zero pad bits, or None. Shared by the note formats."""
    if not _BASE64.fullmatch(value):
        return None
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None
    if base64.b64encode(raw).decode("ascii") != value:
        return None  # non-zero pad bits: one byte string, one encoding
    return raw


def parse_decimal(value: str, limit: int = MAX_TREE_SIZE) -> int | None:
    """An ASCII decimal with no leading zeroes (except "0") not above `limit`, or None."""
    if not _DECIMAL.fullmatch(value):
        return None
    number = int(value)
    return number if number <= limit else None


def _line_ok(line: str) -> bool:
    if _CONTROL.search(line):
        return False
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates
        return False
    return True


def format_checkpoint(cp: Checkpoint) -> str:
    """The note text of `cp`, ending in a newline. Raises CheckpointError if it cannot be a checkpoint."""
    if not cp.origin or not _line_ok(cp.origin):
        raise CheckpointError("the origin must be a non-empty line without control characters")
    if isinstance(cp.size, bool) or not isinstance(cp.size, int) or not 0 <= cp.size <= MAX_TREE_SIZE:
        raise CheckpointError(f"the tree size must be an integer in 0..2^64-1, not {cp.size!r}")
    if not isinstance(cp.root, bytes) or len(cp.root) != HASH_SIZE:
        raise CheckpointError(f"the root hash must be {HASH_SIZE} bytes")
    for line in cp.extensions:
        if not line or not _line_ok(line):
            raise CheckpointError("extension lines must be non-empty lines without control characters")
    root = base64.b64encode(cp.root).decode("ascii")
    return "\n".join([cp.origin, str(cp.size), root, *cp.extensions]) + "\n"


def parse_checkpoint(text: str) -> Checkpoint:
    """Parse a checkpoint note text (the signed note's text, not the signatures)."""
    if not text.endswith("\n"):
        raise CheckpointError("a checkpoint must end with a newline")
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise CheckpointError("a checkpoint needs an origin, a tree size and a root hash line")
    origin, size_line, root_line, *extensions = lines
    if not origin:
        raise CheckpointError("the origin line is empty")
    if not all(_line_ok(line) for line in lines):
        raise CheckpointError("a checkpoint must not contain control characters")
    size = parse_decimal(size_line)
    if size is None:
        raise CheckpointError(f"the tree size {size_line!r} is not a canonical decimal in 0..2^64-1")
    root = b64decode_strict(root_line)
    if root is None or len(root) != HASH_SIZE:
        raise CheckpointError(f"the root hash must be canonical base64 of {HASH_SIZE} bytes")
    if any(not line for line in extensions):
        raise CheckpointError("extension lines must be non-empty")
    return Checkpoint(origin=origin, size=size, root=root, extensions=tuple(extensions))

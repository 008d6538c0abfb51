"""c2sp.org/tlog-tiles layout (tile height 8, SHA-256 hashes). Pure: no Django import.

A tile at level L with index N holds up to 256 consecutive Merkle node hashes of node level 8*L, the nodes
8*L levels above the leaves: nodes N*256 .. N*256+width-1. Level 0 tiles hold leaf hashes. Only hashes of
complete subtrees are ever stored, so the tiles of a tree of size s at level L hold s >> (8*L) hashes: full
tiles of 256, then a partial tile "<path>.p/<width>" with the rest. Entry bundles (tile/entries/...) hold the
entries themselves, each as big-endian uint16 length || bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from qingzhai.evidence import merkle

TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT  # 256
MAX_ENTRY_SIZE = 0xFFFF

TileFetcher = Callable[[int, int, int], bytes]


class TileError(ValueError):
    """Invalid tile coordinates, a malformed entry bundle, or tile data of the wrong size."""


def _check_int(value: int, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise TileError(f"{what} must be a non-negative integer, not {value!r}")


def _check_width(width: int) -> None:
    if isinstance(width, bool) or not isinstance(width, int) or not 1 <= width <= TILE_WIDTH:
        raise TileError(f"a tile width is 1..{TILE_WIDTH}, not {width!r}")


def tile_index_path(n: int) -> str:
    """The index as path elements of three digits, all but the last prefixed with x: 1234067 -> x001/x234/067."""
    _check_int(n, "a tile index")
    path = f"{n % 1000:03d}"
    while n >= 1000:
        n //= 1000
        path = f"x{n % 1000:03d}/{path}"
    return path


def tile_path(level: int, index: int, width: int = TILE_WIDTH) -> str:
    """tile/<L>/<N>[.p/<W>] relative to the log prefix."""
    _check_int(level, "a tile level")
    _check_width(width)
    return f"tile/{level}/{tile_index_path(index)}" + ("" if width == TILE_WIDTH else f".p/{width}")


def entries_path(index: int, width: int = TILE_WIDTH) -> str:
    """tile/entries/<N>[.p/<W>]: the entry bundle behind level-0 tile <N>."""
    _check_width(width)
    return f"tile/entries/{tile_index_path(index)}" + ("" if width == TILE_WIDTH else f".p/{width}")


def tiles_for_size(size: int) -> list[tuple[int, int, int]]:
    """Every hash tile (level, index, width) of a tree of `size` leaves: the full tiles of each level, then its
    partial tile if any, level by level, up to the level whose only tile holds the top stored hash."""
    _check_int(size, "a tree size")
    tiles: list[tuple[int, int, int]] = []
    level = 0
    while (count := size >> (TILE_HEIGHT * level)) > 0:
        tiles.extend((level, index, TILE_WIDTH) for index in range(count // TILE_WIDTH))
        if count % TILE_WIDTH:
            tiles.append((level, count // TILE_WIDTH, count % TILE_WIDTH))
        level += 1
    return tiles


def tile_width_for_size(level: int, index: int, size: int) -> int:
    """How many hashes tile (level, index) holds in a tree of `size` leaves (0 if none)."""
    _check_int(level, "a tile level")
    _check_int(index, "a tile index")
    _check_int(size, "a tree size")
    return max(0, min(TILE_WIDTH, (size >> (TILE_HEIGHT * level)) - index * TILE_WIDTH))


def tile_hash_coords(level: int, index: int, width: int = TILE_WIDTH) -> list[tuple[int, int]]:
    """The Merkle nodes (node level, node index) whose hashes tile (level, index, width) holds, in order."""
    _check_int(level, "a tile level")
    _check_int(index, "a tile index")
    _check_width(width)
    return [(TILE_HEIGHT * level, index * TILE_WIDTH + i) for i in range(width)]


def encode_entry_bundle(entries: Sequence[bytes]) -> bytes:
    if not 1 <= len(entries) <= TILE_WIDTH:
        raise TileError(f"an entry bundle holds 1..{TILE_WIDTH} entries")
    out = bytearray()
    for entry in entries:
        if len(entry) > MAX_ENTRY_SIZE:
            raise TileError(f"an entry is at most {MAX_ENTRY_SIZE} bytes")
        out += len(entry).to_bytes(2, "big") + entry
    return bytes(out)


def decode_entry_bundle(data: bytes) -> list[bytes]:
    entries = []
    position = 0
    while position < len(data):
        if position + 2 > len(data):
            raise TileError("truncated entry length")
        size = int.from_bytes(data[position : position + 2], "big")
        position += 2
        if position + size > len(data):
            raise TileError("truncated entry")
        entries.append(bytes(data[position : position + size]))
        position += size
    if not 1 <= len(entries) <= TILE_WIDTH:
        raise TileError(f"an entry bundle holds 1..{TILE_WIDTH} entries")
    return entries


def root_from_tiles(size: int, get_tile: TileFetcher) -> bytes:
    """MTH of the tree of `size` leaves from its tiles. `get_tile(level, index, width)` returns the tile's
    bytes (32 * width; a wider tile of the same index, e.g. a full one for a partial one, is accepted and
    its first hashes used). Only the right-hand tiles that cover the tree's complete subtrees are read: at
    most one per level (tile/2/000.p/1, tile/1/001.p/17 and tile/0/273.p/112 for size 70000)."""
    _check_int(size, "a tree size")
    if size == 0:
        return merkle.EMPTY_ROOT
    cache: dict[tuple[int, int], bytes] = {}

    def hashes(level: int, start: int, count: int) -> list[bytes]:
        index = start // TILE_WIDTH
        if (level, index) not in cache:
            width = tile_width_for_size(level, index, size)
            data = get_tile(level, index, width)
            if len(data) % merkle.HASH_SIZE or not width * merkle.HASH_SIZE <= len(data) <= TILE_WIDTH * 32:
                raise TileError(f"{tile_path(level, index, width)} must be {width * merkle.HASH_SIZE} bytes")
            cache[(level, index)] = bytes(data)
        offset = (start % TILE_WIDTH) * merkle.HASH_SIZE
        data = cache[(level, index)]
        return [data[offset + i * 32 : offset + (i + 1) * 32] for i in range(count)]

    subtrees: list[bytes] = []
    start = 0
    for height in reversed(range(size.bit_length())):
        if not size >> height & 1:
            continue
        # The complete subtree of 2^height leaves at `start`: 2^rest nodes at stored level 8*L.
        level, rest = divmod(height, TILE_HEIGHT)
        nodes = hashes(level, start >> (TILE_HEIGHT * level), 1 << rest)
        while len(nodes) > 1:
            nodes = [merkle.node_hash(nodes[i], nodes[i + 1]) for i in range(0, len(nodes), 2)]
        subtrees.append(nodes[0])
        start += 1 << height
    root = subtrees.pop()
    while subtrees:
        root = merkle.node_hash(subtrees.pop(), root)
    return root

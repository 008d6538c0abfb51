"""C2SP tlog-tiles hash tiles served from the stored tree: parsing a tile path, reading a tile's hashes."""

from __future__ import annotations

from qingzhai.core.errors import DomainError
from qingzhai.evidence import selectors, tiles, tree

MAX_ID = 2**63 - 1


def _no_tile(path: str) -> DomainError:
    return DomainError(
        "no_tile",
        "日志中没有该瓦片：{path}",
        "The log has no such tile: {path}",
        status=404,
        path=path,
    )


def parse_tile_path(level: int, rest: str) -> tuple[int, int, int]:
    """(level, index, width) of a c2sp tlog-tiles hash tile path `tile/<level>/<rest>`; only the canonical
    spelling is accepted (x001/234, .p/<width> with 1 <= width < 256), anything else is 404."""
    index_part, dot_p, width_part = rest.partition(".p/")
    elements = index_part.split("/")
    ok = bool(elements) and all(
        len(e) == 4 and e[0] == "x" and e[1:].isascii() and e[1:].isdigit() for e in elements[:-1]
    )
    last = elements[-1]
    ok = ok and len(last) == 3 and last.isascii() and last.isdigit()
    width = tiles.TILE_WIDTH
    if dot_p:
        ok = ok and width_part.isascii() and width_part.isdigit() and 1 <= len(width_part) <= 3
        width = int(width_part) if ok else 0
        ok = ok and 1 <= width < tiles.TILE_WIDTH
    index = int("".join(e.lstrip("x") for e in elements)) if ok else 0
    if not ok or not 0 <= level <= 63 or index > MAX_ID:
        raise _no_tile(f"tile/{level}/{rest}"[:200])
    if tiles.tile_path(level, index, width) != f"tile/{level}/{rest}":
        raise _no_tile(f"tile/{level}/{rest}"[:200])
    return level, index, width


def tile_hashes(level: int, index: int, width: int) -> bytes:
    """The bytes of hash tile (level, index, width): `width` stored hashes of node level 8*level, as the
    tree of the latest checkpoint holds them. 404 when that tree does not hold so many."""
    latest = selectors.latest_checkpoint()
    available = tiles.tile_width_for_size(level, index, latest.size) if latest else 0
    if width > available:
        raise _no_tile(tiles.tile_path(level, index, width))
    coords = tiles.tile_hash_coords(level, index, width)
    found = tree.fetch(coords)
    try:
        return b"".join(found[c] for c in coords)
    except KeyError as exc:
        raise tree.MissingNode(f"stored node {exc.args[0]} is missing") from exc

"""c2sp.org/tlog-tiles layout against the vectors (shared set and local subset): index paths, the tiles of a
tree, the tree8 tile and entry bundle, and the 70000-leaf root rebuilt from its three partial tiles."""

from __future__ import annotations

import functools
import hashlib
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qingzhai.evidence import merkle
from qingzhai.evidence import tiles as T
from qingzhai.evidence.tiles import TileError

from .tlog_vectors import files, items


def build_tiles(leaf_hashes: list[bytes]) -> dict[tuple[int, int, int], bytes]:
    """Every tile of the tree, computed from its leaf hashes with merkle.py."""
    out = {}
    for level, index, width in T.tiles_for_size(len(leaf_hashes)):
        hashes = []
        for node_level, node_index in T.tile_hash_coords(level, index, width):
            span = 1 << node_level
            hashes.append(
                merkle.root_from_leaf_hashes(leaf_hashes[node_index * span : (node_index + 1) * span])
            )
        out[(level, index, width)] = b"".join(hashes)
    return out


def expand(paths: list[str]) -> list[str]:
    out = []
    for path in paths:
        if m := re.fullmatch(r"tile/(\d+)/(\d+) \.\. tile/\d+/(\d+) \(full\)", path):
            out += [T.tile_path(int(m[1]), i) for i in range(int(m[2]), int(m[3]) + 1)]
        else:
            out.append(path)
    return out


@pytest.mark.parametrize("case", items("tlog-tiles.json", "index_path_encoding"))
def test_index_path(case):
    assert T.tile_index_path(case["index"]) == case["path"]


@pytest.mark.parametrize("case", items("tlog-tiles.json", "tiles_for_tree_size"))
def test_tiles_for_tree_size(case):
    size = case["tree_size"]
    tiles = T.tiles_for_size(size)
    for want in case["tiles"]:
        level = [t for t in tiles if t[0] == want["level"]]
        assert [t for t in level if t[2] == 256] == [
            (want["level"], i, 256) for i in range(want["full_tiles"])
        ]
        partial = (
            [(want["level"], want["full_tiles"], want["partial_width"])] if want["partial_width"] else []
        )
        assert [t for t in level if t[2] < 256] == partial
    assert {t[0] for t in tiles} == {w["level"] for w in case["tiles"]}
    entries = [T.entries_path(i, w) for lv, i, w in tiles if lv == 0]
    paths = [T.tile_path(*t) for t in tiles]
    assert expand(case["paths"]) in (paths, paths + entries)
    assert all(T.tile_width_for_size(lv, i, size) == w for lv, i, w in tiles)


@pytest.mark.parametrize("vectors", files("tlog-tiles.json"))
def test_tree8(vectors):
    tree8 = vectors["tree8"]
    bundle = bytes.fromhex(tree8["tile/entries/000.p/8_hex"])
    entries = T.decode_entry_bundle(bundle)
    assert [e.hex() for e in entries] == [
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
    ]  # fmt: skip
    assert T.encode_entry_bundle(entries) == bundle
    tile = bytes.fromhex(tree8["tile/0/000.p/8_hex"])
    assert tile == b"".join(merkle.leaf_hash(e) for e in entries)
    assert build_tiles([merkle.leaf_hash(e) for e in entries]) == {(0, 0, 8): tile}
    assert (
        T.root_from_tiles(8, lambda lv, i, w: {(0, 0, 8): tile}[(lv, i, w)]).hex()
        == tree8["root_from_tiles_hex"]
    )
    for size in range(1, 9):  # every smaller tree from a prefix of the same tile
        assert T.root_from_tiles(size, lambda lv, i, w: tile[: w * 32]) == merkle.root_from_leaf_hashes(
            [tile[k * 32 : (k + 1) * 32] for k in range(size)]
        )


@pytest.mark.parametrize("vectors", files("tlog-tiles.json"))
def test_size_70000_from_partial_tiles(vectors):
    v = vectors["size70000_leaf_scheme_leaf_i"]
    leaves = [merkle.leaf_hash(f"leaf {i}".encode()) for i in range(69888, 70000)]
    partial0 = b"".join(leaves)
    assert hashlib.sha256(partial0).hexdigest() == v["tile/0/273.p/112_sha256"]
    given_tiles = {
        (2, 0, 1): bytes.fromhex(v["tile/2/000.p/1_hex"]),
        (1, 1, 17): bytes.fromhex(v["tile/1/001.p/17_hex"]),
        (0, 273, 112): partial0,
    }
    requested = []

    def get_tile(level, index, width):
        requested.append(T.tile_path(level, index, width))
        return given_tiles[(level, index, width)]

    assert T.root_from_tiles(70000, get_tile).hex() == v["root_hex"]
    assert requested == ["tile/2/000.p/1", "tile/1/001.p/17", "tile/0/273.p/112"]


@functools.cache
def tiles_70000() -> tuple[list[bytes], dict[tuple[int, int, int], bytes]]:
    leaf_hashes = [merkle.leaf_hash(f"leaf {i}".encode()) for i in range(70000)]
    return leaf_hashes, build_tiles(leaf_hashes)


@pytest.mark.parametrize("vectors", files("tlog-tiles.json"))
def test_size_70000_all_tiles(vectors):
    v = vectors["size70000_leaf_scheme_leaf_i"]
    leaf_hashes, tiles = tiles_70000()
    assert len(tiles) == 273 + 1 + 1 + 1 + 1
    assert tiles[(2, 0, 1)].hex() == v["tile/2/000.p/1_hex"]
    assert tiles[(1, 1, 17)].hex() == v["tile/1/001.p/17_hex"]
    assert hashlib.sha256(tiles[(0, 273, 112)]).hexdigest() == v["tile/0/273.p/112_sha256"]
    assert merkle.root_from_leaf_hashes(leaf_hashes).hex() == v["root_hex"]
    assert T.root_from_tiles(70000, lambda lv, i, w: tiles[(lv, i, w)]).hex() == v["root_hex"]
    # a full tile may stand in for the partial one a smaller tree asks for
    assert T.root_from_tiles(300, lambda lv, i, w: tiles[(lv, i, 256)]) == merkle.root_from_leaf_hashes(
        leaf_hashes[:300]
    )


def test_paths():
    assert T.tile_index_path(1234067) == "x001/x234/067"
    assert T.tile_index_path(1_000_000) == "x001/x000/000"
    assert T.tile_path(0, 1234067) == "tile/0/x001/x234/067"
    assert T.tile_path(1, 1, 17) == "tile/1/001.p/17"
    assert T.tile_path(63, 0, 256) == "tile/63/000"
    assert T.entries_path(273, 112) == "tile/entries/273.p/112"
    assert T.entries_path(5) == "tile/entries/005"
    for bad in [(0, 0, 0), (0, 0, 257), (-1, 0, 1), (0, -1, 1), (0, 0, True)]:
        with pytest.raises(TileError):
            T.tile_path(*bad)
    assert T.tiles_for_size(0) == []
    assert T.tiles_for_size(1) == [(0, 0, 1)]
    assert T.tiles_for_size(65536)[-2:] == [(1, 0, 256), (2, 0, 1)]
    assert T.tile_hash_coords(0, 2, 3) == [(0, 512), (0, 513), (0, 514)]
    assert T.tile_hash_coords(2, 0, 1) == [(16, 0)]
    assert T.tile_hash_coords(1, 1, 17)[-1] == (8, 272)
    assert T.tile_width_for_size(0, 274, 70000) == 0


def test_entry_bundles():
    assert T.decode_entry_bundle(T.encode_entry_bundle([b"", b"x" * 65535])) == [b"", b"x" * 65535]
    for bad in [[], [b"x" * 65536], [b""] * 257]:
        with pytest.raises(TileError):
            T.encode_entry_bundle(bad)
    for bad in [b"", b"\x00", b"\x00\x02a", b"\x00\x01a\x00"]:
        with pytest.raises(TileError):
            T.decode_entry_bundle(bad)


def test_wrong_tile_sizes():
    tile = b"\x00" * 32 * 8
    for data in [tile[:-32], tile[:-1], tile + b"\x00", b"\x00" * 32 * 257]:
        with pytest.raises(TileError):
            T.root_from_tiles(8, lambda lv, i, w, data=data: data)
    assert T.root_from_tiles(0, lambda lv, i, w: b"") == merkle.EMPTY_ROOT


@settings(max_examples=60, deadline=None)
@given(size=st.integers(1, 1500))
def test_property_root_from_tiles(size):
    leaf_hashes = [merkle.leaf_hash(i.to_bytes(4, "big")) for i in range(size)]
    tiles = build_tiles(leaf_hashes)
    seen = []

    def get_tile(level, index, width):
        seen.append((level, index, width))
        return tiles[(level, index, width)]

    assert T.root_from_tiles(size, get_tile) == merkle.root_from_leaf_hashes(leaf_hashes)
    assert len(seen) == len(set(seen)) <= len({t[0] for t in tiles})

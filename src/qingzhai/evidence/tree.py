"""The stored Merkle tree: leaf hashes (evidence_entry) plus the hash of every complete subtree
(evidence_node), so that any root, inclusion proof or consistency proof costs O(log n) stored hashes,
fetched in one query.

Node (level, index) covers leaves [index << level, (index + 1) << level). Level-0 nodes are the leaf
hashes kept on the entries themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection

from qingzhai.evidence import merkle
from qingzhai.evidence.models import Entry, Node, node_key

Coord = tuple[int, int]  # (level, index)


def range_nodes(lo: int, hi: int) -> list[Coord]:
    """The complete subtrees whose right fold is MTH(D[lo:hi]) (for ranges a proof or root asks for)."""
    out: list[Coord] = []
    while lo < hi:
        level = 0
        while lo % (1 << (level + 1)) == 0 and lo + (1 << (level + 1)) <= hi:
            level += 1
        out.append((level, lo >> level))
        lo += 1 << level
    return out


def fold(hashes: Sequence[bytes]) -> bytes:
    """MTH of consecutive complete subtrees, largest first: H(a, H(b, H(c, ...)))."""
    value = hashes[-1]
    for left in reversed(hashes[:-1]):
        value = merkle.node_hash(left, value)
    return value


def fetch(coords: Iterable[Coord]) -> dict[Coord, bytes]:
    """Stored hashes of the given nodes, in one round trip; a missing node is simply absent."""
    wanted = set(coords)
    leaves = [index for level, index in wanted if level == 0]
    keys = [node_key(level, index) for level, index in wanted if level > 0]
    entry, node = Entry._meta.db_table, Node._meta.db_table
    parts, params = [], []
    if leaves:
        parts.append(
            f'SELECT 0, "index", leaf_hash FROM {entry} WHERE "index" IN ({",".join(["%s"] * len(leaves))})'
        )
        params.extend(leaves)
    if keys:
        parts.append(f'SELECT 1, "key", hash FROM {node} WHERE "key" IN ({",".join(["%s"] * len(keys))})')
        params.extend(keys)
    found: dict[Coord, bytes] = {}
    if not parts:
        return found
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for is_node, key, value in cursor.fetchall():
            if is_node:
                found[(key >> 56, key & ((1 << 56) - 1))] = bytes(value)
            else:
                found[(0, key)] = bytes(value)
    return found


class MissingNode(LookupError):
    pass


def _resolve(ranges: list[tuple[int, int]]) -> list[bytes]:
    plans = [range_nodes(lo, hi) for lo, hi in ranges]
    stored = fetch(c for plan in plans for c in plan)
    out = []
    for plan in plans:
        try:
            out.append(fold([stored[c] for c in plan]))
        except KeyError as exc:
            raise MissingNode(f"stored node {exc.args[0]} is missing") from exc
    return out


def root(size: int) -> bytes:
    if size == 0:
        return merkle.EMPTY_ROOT
    return _resolve([(0, size)])[0]


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The subtree ranges of PATH(index, D[size]) (RFC 6962 §2.1.1), leaf-side first."""
    if not 0 <= index < size:
        raise merkle.ProofError(f"leaf index {index} is outside the tree of size {size}")
    out: list[tuple[int, int]] = []
    lo, hi, m = 0, size, index
    while hi - lo > 1:
        k = merkle.split_point(hi - lo)
        if m < k:
            out.append((lo + k, hi))
            hi = lo + k
        else:
            out.append((lo, lo + k))
            lo, m = lo + k, m - k
    return list(reversed(out))


def consistency_ranges(old: int, new: int) -> list[tuple[int, int]]:
    """The subtree ranges of PROOF(old, D[new]) (RFC 6962 §2.1.2)."""
    if not 0 <= old <= new:
        raise merkle.ProofError(f"sizes {old} and {new} do not describe a tree and one of its prefixes")
    if old in (0, new):
        return []
    out: list[tuple[int, int]] = []
    lo, hi, m, complete = 0, new, old, True
    while True:
        size = hi - lo
        if m == size:
            if not complete:
                out.append((lo, hi))
            break
        k = merkle.split_point(size)
        if m <= k:
            out.append((lo + k, hi))
            hi = lo + k
        else:
            out.append((lo, lo + k))
            lo, m, complete = lo + k, m - k, False
    return list(reversed(out))


def inclusion_proof(index: int, size: int) -> list[bytes]:
    return _resolve(inclusion_ranges(index, size))


def consistency_proof(old: int, new: int) -> list[bytes]:
    return _resolve(consistency_ranges(old, new))


def frontier(size: int) -> list[tuple[int, bytes]]:
    """The complete subtrees covering leaves [0, size), largest first, as (level, hash)."""
    plan = range_nodes(0, size)
    stored = fetch(plan)
    try:
        return [(level, stored[(level, index)]) for level, index in plan]
    except KeyError as exc:
        raise MissingNode(f"stored node {exc.args[0]} is missing") from exc


def extend(
    start: int, stack: list[tuple[int, bytes]], leaf_hashes: Sequence[bytes]
) -> list[tuple[int, bytes]]:
    """Append leaf hashes to a frontier (mutated in place); returns the new complete nodes (level >= 1)
    as (key, hash), ready to store."""
    created: list[tuple[int, bytes]] = []
    index = start
    for h in leaf_hashes:
        level, value = 0, h
        while stack and stack[-1][0] == level:
            _, left = stack.pop()
            value, level = merkle.node_hash(left, value), level + 1
            created.append((node_key(level, index >> level), value))
        stack.append((level, value))
        index += 1
    return created


def frontier_root(stack: Sequence[tuple[int, bytes]]) -> bytes:
    if not stack:
        return merkle.EMPTY_ROOT
    return fold([h for _, h in stack])

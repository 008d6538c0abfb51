"""Hypothesis properties of merkle.py: proofs it makes verify; one flipped bit anywhere (proof, leaf hash,
roots) or a wrong index or size (checked against that size's true root) makes verification fail.

Leaves are kept distinct (a salt plus the leaf number): with two equal leaves, a proof for one really is a
proof for the other."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qingzhai.evidence import merkle
from qingzhai.evidence.merkle import ProofError

MAX_N = 300
FAST = settings(max_examples=150, deadline=None)


def leaves(salt: bytes, n: int) -> list[bytes]:
    return [merkle.leaf_hash(salt + i.to_bytes(2, "big")) for i in range(n)]


def flip(value: bytes, bit: int) -> bytes:
    out = bytearray(value)
    out[bit // 8] ^= 1 << (bit % 8)
    return bytes(out)


def flip_one_of(data: st.DataObject, values: list[bytes]) -> tuple[int, bytes]:
    """Pick one of `values` and one bit of it; returns its position and the flipped value."""
    which = data.draw(st.integers(0, len(values) - 1), label="which value")
    bit = data.draw(st.integers(0, merkle.HASH_SIZE * 8 - 1), label="bit")
    return which, flip(values[which], bit)


@FAST
@given(salt=st.binary(max_size=8), n=st.integers(1, MAX_N), data=st.data())
def test_inclusion(salt, n, data):
    hashes = leaves(salt, MAX_N + 1)
    tree = hashes[:n]
    root = merkle.root_from_leaf_hashes(tree)
    m = data.draw(st.integers(0, n - 1), label="index")
    proof = merkle.inclusion_proof(tree, m)
    merkle.verify_inclusion(m, n, tree[m], proof, root)

    # one flipped bit in the proof, the leaf hash or the root
    which, flipped = flip_one_of(data, [*proof, tree[m], root])
    values = [*proof, tree[m], root]
    values[which] = flipped
    *bad_proof, bad_leaf, bad_root = values
    with pytest.raises(ProofError):
        merkle.verify_inclusion(m, n, bad_leaf, bad_proof, bad_root)

    # a wrong index in the same tree
    if n > 1:
        other = data.draw(st.integers(0, n - 2), label="other index")
        other += other >= m
        with pytest.raises(ProofError):
            merkle.verify_inclusion(other, n, tree[m], proof, root)
    # a wrong size, against the true root of that size
    size = data.draw(st.integers(m + 1, MAX_N + 1).filter(lambda s: s != n), label="other size")
    with pytest.raises(ProofError):
        merkle.verify_inclusion(m, size, tree[m], proof, merkle.root_from_leaf_hashes(hashes[:size]))
    # out of range
    with pytest.raises(ProofError):
        merkle.verify_inclusion(n, n, tree[m], proof, root)
    # one hash more or one hash less
    with pytest.raises(ProofError):
        merkle.verify_inclusion(m, n, tree[m], [*proof, root], root)
    if proof:
        with pytest.raises(ProofError):
            merkle.verify_inclusion(m, n, tree[m], proof[:-1], root)


@settings(max_examples=30, deadline=None)
@given(salt=st.binary(max_size=8), n=st.integers(1, 64))
def test_inclusion_every_index(salt, n):
    tree = leaves(salt, n)
    root = merkle.root_from_leaf_hashes(tree)
    for m in range(n):
        proof = merkle.inclusion_proof(tree, m)
        merkle.verify_inclusion(m, n, tree[m], proof, root)
        for other in range(n):
            if other != m:
                with pytest.raises(ProofError):
                    merkle.verify_inclusion(other, n, tree[m], proof, root)


@FAST
@given(salt=st.binary(max_size=8), n=st.integers(1, MAX_N), data=st.data())
def test_consistency(salt, n, data):
    hashes = leaves(salt, MAX_N + 1)

    def root(size: int) -> bytes:
        return merkle.root_from_leaf_hashes(hashes[:size])

    m = data.draw(st.integers(1, n), label="old size")
    proof = merkle.consistency_proof(hashes[:n], m)
    old, new = root(m), root(n)
    merkle.verify_consistency(m, n, old, new, proof)
    merkle.verify_consistency(0, n, merkle.EMPTY_ROOT, new, [])

    which, flipped = flip_one_of(data, [*proof, old, new])
    values = [*proof, old, new]
    values[which] = flipped
    *bad_proof, bad_old, bad_new = values
    with pytest.raises(ProofError):
        merkle.verify_consistency(m, n, bad_old, bad_new, bad_proof)

    # a wrong old size or a wrong new size, each against the true root of that size
    other_old = data.draw(
        st.integers(1, n).filter(lambda s: s != m) if n > 1 else st.just(0), label="other old"
    )
    if other_old:
        with pytest.raises(ProofError):
            merkle.verify_consistency(other_old, n, root(other_old), new, proof)
    other_new = data.draw(st.integers(m, MAX_N + 1).filter(lambda s: s != n), label="other new size")
    with pytest.raises(ProofError):
        merkle.verify_consistency(m, other_new, old, root(other_new), proof)
    # from the empty tree only an empty proof
    if proof:
        with pytest.raises(ProofError):
            merkle.verify_consistency(0, n, merkle.EMPTY_ROOT, new, proof)
    with pytest.raises(ProofError):
        merkle.verify_consistency(0, n, flip(merkle.EMPTY_ROOT, 0), new, [])


@settings(max_examples=30, deadline=None)
@given(salt=st.binary(max_size=8), n=st.integers(1, 64))
def test_consistency_every_old_size(salt, n):
    tree = leaves(salt, n)
    roots = [merkle.root_from_leaf_hashes(tree[:size]) for size in range(n + 1)]
    for m in range(n + 1):
        proof = merkle.consistency_proof(tree, m)
        merkle.verify_consistency(m, n, roots[m], roots[n], proof)
        assert (proof == []) == (m in (0, n))
        for other in range(1, n + 1):
            if other != m and proof:
                with pytest.raises(ProofError):
                    merkle.verify_consistency(other, n, roots[other], roots[n], proof)

"""RFC 6962 Merkle tree against the interoperability vectors: every vector in ../shared/vectors (skipped with a
message where absent) and the subset kept in tests/data/evidence, which always runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qingzhai.evidence import merkle
from qingzhai.evidence.merkle import ProofError

VECTORS = Path(__file__).resolve().parents[2].parent / "shared" / "vectors" / "rfc6962-merkle.json"
LOCAL = Path(__file__).resolve().parents[1] / "data" / "evidence" / "rfc6962-subset.json"
_current: list[Path] = [LOCAL]


@pytest.fixture(params=["shared", "local"])
def source(request):
    path = VECTORS if request.param == "shared" else LOCAL
    if not path.exists():
        pytest.skip(f"shared test vectors not present at {path}")
    _current[0] = path
    return path


needs_vectors = pytest.mark.usefixtures("source")


def data() -> dict:
    return json.loads(_current[0].read_text(encoding="utf-8"))


def h(values: list[str]) -> list[bytes]:
    return [bytes.fromhex(v) for v in values]


def tree8_hashes() -> list[bytes]:
    return [merkle.leaf_hash(bytes.fromhex(x)) for x in data()["tree8"]["leaves_hex"]]


@needs_vectors
def test_tree8_roots_for_every_size():
    tree = data()["tree8"]
    hashes = tree8_hashes()
    roots = tree["roots_by_size_hex"]
    assert len(roots) == 9
    assert {str(n): merkle.root_from_leaf_hashes(hashes[:n]).hex() for n in range(9)} == roots


@needs_vectors
def test_every_inclusion_and_consistency_proof_of_tree8_is_built_and_verified():
    hashes = tree8_hashes()
    for case in data()["derived_tree8_all_inclusion"]["proofs"]:
        proof = merkle.inclusion_proof(hashes[: case["treeSize"]], case["leafIdx"])
        assert [p.hex() for p in proof] == case["proof_hex"]
        root = merkle.root_from_leaf_hashes(hashes[: case["treeSize"]])
        merkle.verify_inclusion(
            case["leafIdx"], case["treeSize"], bytes.fromhex(case["leafHash_hex"]), proof, root
        )
    for case in data()["derived_tree8_all_consistency"]["proofs"]:
        proof = merkle.consistency_proof(hashes[: case["size2"]], case["size1"])
        assert [p.hex() for p in proof] == case["proof_hex"]
        merkle.verify_consistency(
            case["size1"],
            case["size2"],
            bytes.fromhex(case["root1_hex"]),
            bytes.fromhex(case["root2_hex"]),
            proof,
        )


def _outcome(fn, *args) -> bool:
    try:
        fn(*args)
    except ProofError:
        return True
    return False


@needs_vectors
def test_upstream_inclusion_probes_including_mutated_and_garbage_proofs():
    probes = data()["inclusion_probes"]["probes"]
    got = [
        _outcome(
            merkle.verify_inclusion,
            p["leafIdx"],
            p["treeSize"],
            bytes.fromhex(p["leafHash_hex"]),
            h(p["proof_hex"]),
            bytes.fromhex(p["root_hex"]),
        )
        for p in probes
    ]
    assert got == [p["wantErr"] for p in probes]


@needs_vectors
def test_upstream_consistency_probes_with_the_documented_empty_tree_rule():
    probes = data()["consistency_probes"]["probes"]
    wanted = []
    for p in probes:
        malformed = any(len(x) != 64 for x in [p["root1_hex"], p["root2_hex"], *p["proof_hex"]])
        if malformed:  # stricter than upstream: every hash must be 32 bytes, even when the roots are equal
            wanted.append(True)
        elif (
            p["size1"] == 0
        ):  # c2sp tlog-witness rule: from size 0 only an empty proof (upstream refuses all)
            empty = merkle.EMPTY_ROOT.hex()
            bad_new = len(p["root2_hex"]) != 64 or (p["size2"] == 0 and p["root2_hex"] != empty)
            wanted.append(bool(p["proof_hex"]) or p["root1_hex"] != empty or bad_new)
        else:
            wanted.append(p["wantErr"])
    got = [
        _outcome(
            merkle.verify_consistency,
            p["size1"],
            p["size2"],
            bytes.fromhex(p["root1_hex"]),
            bytes.fromhex(p["root2_hex"]),
            h(p["proof_hex"]),
        )
        for p in probes
    ]
    assert got == wanted


@needs_vectors
def test_large_trees():
    large = data()["derived_large"]

    def hashes(n: int) -> list[bytes]:
        return [merkle.leaf_hash(f"leaf {i}".encode()) for i in range(n)]

    for case in large["roots"]:
        assert merkle.root_from_leaf_hashes(hashes(case["treeSize"])).hex() == case["root_hex"]
    for case in large["inclusion"]:
        proof = merkle.inclusion_proof(hashes(case["treeSize"]), case["leafIdx"])
        assert [p.hex() for p in proof] == case["proof_hex"]


@given(st.lists(st.binary(max_size=8), min_size=1, max_size=40), st.data())
def test_proofs_verify_and_a_changed_leaf_does_not(leaves, draw):
    hashes = [merkle.leaf_hash(x) for x in leaves]
    n = len(hashes)
    index = draw.draw(st.integers(0, n - 1))
    root = merkle.root_from_leaf_hashes(hashes)
    proof = merkle.inclusion_proof(hashes, index)
    merkle.verify_inclusion(index, n, hashes[index], proof, root)
    with pytest.raises(ProofError):
        merkle.verify_inclusion(index, n, merkle.leaf_hash(leaves[index] + b"x"), proof, root)
    old = draw.draw(st.integers(1, n))
    merkle.verify_consistency(
        old, n, merkle.root_from_leaf_hashes(hashes[:old]), root, merkle.consistency_proof(hashes, old)
    )


@needs_vectors
def test_classic_ct_tables_one_based():
    hashes = tree8_hashes()
    tables = data()["classic_ct_tables"]
    for case in tables["inclusion"]:
        index, size = case["leaf_1based"] - 1, case["treeSize"]
        assert [p.hex() for p in merkle.inclusion_proof(hashes[:size], index)] == case["proof_hex"]
    for case in tables["consistency"]:
        proof = merkle.consistency_proof(hashes[: case["size2"]], case["size1"])
        assert [p.hex() for p in proof] == case["proof_hex"]
        merkle.verify_consistency(
            case["size1"],
            case["size2"],
            merkle.root_from_leaf_hashes(hashes[: case["size1"]]),
            merkle.root_from_leaf_hashes(hashes[: case["size2"]]),
            proof,
        )


@needs_vectors
def test_large_tree_consistency_proofs():
    for case in data()["derived_large"]["consistency"]:
        hashes = [merkle.leaf_hash(f"leaf {i}".encode()) for i in range(case["size2"])]
        proof = merkle.consistency_proof(hashes, case["size1"])
        assert [p.hex() for p in proof] == case["proof_hex"]
        merkle.verify_consistency(
            case["size1"],
            case["size2"],
            bytes.fromhex(case["root1_hex"]),
            bytes.fromhex(case["root2_hex"]),
            proof,
        )
